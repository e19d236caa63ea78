// Aliasing inputs: the same value (and the same adjoint) passed for two
// parameters gives the total derivative.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

ADJOINT_GRAD(x, y) double prod(double x, double y) {
  double t = x * std::exp(y);
  t = t * y;
  return t;
}
// Adjoints are only ever added into _d_x and _d_y, so binding both to the
// same variable is safe.
// CHECK-LABEL: double prod_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK-NOT:    _d_x =
// CHECK-NOT:    _d_y =
// CHECK:        return _ret0;

// Two pointer parameters bound to the same array.
ADJOINT_GRAD(a, b) double dot2(const double *a, const double *b, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i)
    s += a[i] * b[n - 1 - i];
  return s;
}
// CHECK-LABEL: double dot2_vjp(const double * __restrict a, const double * __restrict b, int n, double _seed, double *_d_a, double *_d_b) {
// CHECK:          _d_a[i] += _r0 * (b[n - 1 - i]);
// CHECK-NEXT:     _d_b[n - 1 - i] += (a[i]) * _r0;

// Inside the function: a user function called with the same variable twice.
double mulxy(double x, double y) { return x * y * y; }

ADJOINT_GRAD(x) double self(double x) { return mulxy(x, x); }
// CHECK-LABEL: double self_vjp(double x, double _seed, double &_d_x) {
// CHECK:        double _r0 = 0;
// CHECK-NEXT:   double _r1 = 0;
// CHECK-NEXT:   ::mulxy_pullback(x, x, _seed, _r0, _r1);
// CHECK-NEXT:   _d_x += _r0;
// CHECK-NEXT:   _d_x += _r1;
// CHECK-LABEL: void mulxy_pullback(double x, double y, double _d_return, double &_d_x, double &_d_y) {

int main() {
  using V = std::vector<double>;
  {
    // prod(x, x) = x^2 e^x: (2x + x^2) e^x.
    double dx = 0;
    prod_grad(0.5, 0.5, dx, dx);
    lit::check("prod(x, x)", [](const V &v) { return prod(v[0], v[0]); }, {0.5}, {dx});
  }
  {
    // sum_i a_i a_{n-1-i}
    double a[3] = {1.0, 2.0, 3.0}, da[3] = {0, 0, 0};
    dot2_grad(a, a, 3, da, da);
    lit::check("dot2(a, a)", [](const V &v) { return dot2(v.data(), v.data(), 3); }, {1.0, 2.0, 3.0}, {da[0], da[1], da[2]});
  }
  {
    double dx = 0;
    self_grad(1.5, dx);
    lit::check("self", [](const V &v) { return self(v[0]); }, {1.5}, {dx});
  }
}

// (2x + x^2) e^x at 0.5
// OUT:      prod(x, x): 2.060902
// OUT-NEXT: gradcheck prod(x, x): ok
// (2 a2, 2 a1, 2 a0)
// OUT-NEXT: dot2(a, a): 6.000000 4.000000 2.000000
// OUT-NEXT: gradcheck dot2(a, a): ok
// x^3
// OUT-NEXT: self: 6.750000
// OUT-NEXT: gradcheck self: ok
