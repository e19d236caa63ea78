// A std::vector sized from a differentiated one (`o(v.size())`, also with
// a constant fill value) is sized by an integer: it is not initialized from
// differentiated values. A copy of the differentiated vector still is.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
// RUN: not %adjoint_cxx -fsyntax-only -I%S/../scalar/Inputs -DCOPY %s 2>&1 | FileCheck %s --check-prefix=COPY
#include "check.h"
#include <vector>

#ifndef COPY
ADJOINT_GRAD(v)
double squares(const std::vector<double> &v) {
  std::vector<double> o(v.size());
  std::vector<double> t(v.size(), 1.0);
  for (size_t i = 0; i < v.size(); ++i) {
    o[i] = v[i] * v[i];
    t[i] = t[i] * v[i];
  }
  return o[0] + 3.0 * o[1] + t[2] * o[2];
}
// CHECK-LABEL: double squares_vjp(
// CHECK:         std::vector<double> o(v.size());
#else
ADJOINT_GRAD(v)
double copied(const std::vector<double> &v) {
  std::vector<double> o(v);
  return o[0] * o[1];
}
// COPY: error: adjoint: {{.*}}a std::vector initialized from differentiated values
#endif

int main() {
#ifndef COPY
  std::vector<double> v = {1, 2, 3}, d(3, 0.0);
  squares_grad(v, d);
  lit::check("squares", [](const std::vector<double> &x) { return squares(x); },
             v, d);
#endif
}
// OUT: gradcheck squares: ok
