// v.at(i), v.front() and v.back() on a differentiated std::vector read an
// element like v[i]: the adjoint gets the same call (`_d_v.at(i) += ...`),
// the adjoint vector having the vector's size. They were rejected as calls
// on a differentiated object. Writing through them is still an error.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
// RUN: not %adjoint_cxx -fsyntax-only -I%S/../scalar/Inputs -DWRITE %s 2>&1 | FileCheck %s --check-prefix=WRITE
#include "check.h"
#include <vector>

#ifndef WRITE
ADJOINT_GRAD(v)
double ends(const std::vector<double> &v) {
  std::vector<double> o(v.size());
  for (size_t i = 0; i < v.size(); ++i)
    o[i] = v[i] * v.at(i);
  double s = 0;
  for (size_t i = 0; i + 1 < v.size(); ++i)
    s += o.at(i + 1) * v.at(i);
  return s + o.back() * v.front() + o.front();
}
// CHECK-LABEL: double ends_vjp(
// CHECK:         _d_o.back() += _seed * [[FRONT:_t[0-9]+]];
// CHECK-NEXT:    _d_v.front() += {{_t[0-9]+}} * _seed;
// CHECK-NEXT:    _d_o.front() += _seed;
// CHECK:         _d_o.at(i_1 + 1) +=
#else
ADJOINT_GRAD(v)
double written(const std::vector<double> &v) {
  std::vector<double> o(3);
  o.at(0) = v[0] * v[0];
  return o[0];
}
// WRITE: error: adjoint: cannot differentiate an assignment to this kind of expression
#endif

int main() {
#ifndef WRITE
  std::vector<double> v = {0.3, 0.5, 0.7}, d(3, 0.0);
  ends_grad(v, d);
  lit::check("ends", [](const std::vector<double> &x) { return ends(x); }, v,
             d);
#endif
}
// OUT: gradcheck ends: ok
