// A callee with a pointer-to-non-const parameter that it only reads (C code
// rarely writes `const`: an optimisation benchmark's dispatcher calls
// `objective(double *x, double *f, int n)`, declared first and defined after
// it). The callee's body decides: its uses of x are all reads, directly or
// passed on to sumOfSquares, which only reads too, so the call writes f
// alone and x needs no saving (before, the caller asked for a logged variant
// of objective, which a callee defined after its caller cannot have, and was
// rejected). A callee that may write through the parameter (here through a
// local pointer) is still a write: an error where it cannot be logged.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: %gxx -I%S/../scalar/Inputs %t/gen.cpp -o %t/gxx.out %adjoint_link
// RUN: %t/gxx.out | FileCheck %s --check-prefix=OUT
// RUN: not %adjoint_cxx -I%S/../scalar/Inputs -DERRORS -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR --implicit-check-not="error:"
#include "check.h"
#include <cmath>
#include <vector>

void objective(double *x, double *f, int n);
double sumOfSquares(double *p, int n);

ADJOINT_GRAD(x, f)
void evaluateAll(double *x, double *f, int n, int count) {
  for (int i = 0; i < count; i++)
    objective(&x[i * n], &f[i], n);
}
// The forward sweep calls objective as written, nothing saved or logged.
// CHECK-LABEL: void evaluateAll_grad(
// CHECK:         while (i < count) {
// CHECK-NEXT:      objective(&x[i * n], &f[i], n);
// CHECK-NEXT:      i++;
// CHECK:         ::objective_pullback(&x[i * n], &f[i], n, &_d_x[i * n], &_d_f[i]);

void objective(double *x, double *f, int n) {
  f[0] = 0.0;
  double s = sumOfSquares(x, n);
  for (int i = 0; i < n; i++)
    s += std::cos(2.0 * M_PI * x[i]);
  f[0] = s;
}

double sumOfSquares(double *p, int n) {
  double s = 0;
  for (int i = 0; i < n; i++)
    s += p[i] * p[i];
  return s;
}

#ifdef ERRORS
void doubleFirst(double *x, int n);
ADJOINT_GRAD(x) double writesThroughLocal(double *x, int n) {
  doubleFirst(x, n);
  // ERR: readonly-callee-params.cpp:[[@LINE-1]]:15: error: adjoint: cannot differentiate a call overwriting 'x', whose earlier contents the reverse sweep needs in 'writesThroughLocal': 'doubleFirst' cannot save what it overwrites (it is defined after 'writesThroughLocal'); pass a local array, std::vector or new[] buffer of known size
  return x[0] * x[1];
}
void doubleFirst(double *x, int n) {
  double *q = x;
  q[0] *= 2.0 + n;
}
#else
int main() {
  std::vector<double> x = {0.3, -0.7, 1.1, 0.5}, f(2);
  for (int k = 0; k < 2; ++k) {
    std::vector<double> g(4, 0.0), df(2, 0.0);
    df[k] = 1.0;
    evaluateAll_grad(x.data(), f.data(), 2, 2, g.data(), df.data());
    lit::check("evaluateAll", [k](const std::vector<double> &p) {
      std::vector<double> q = p, o(2);
      evaluateAll(q.data(), o.data(), 2, 2);
      return o[k];
    }, x, g);
  }
}
#endif
// OUT: gradcheck evaluateAll: ok
// OUT: gradcheck evaluateAll: ok
