// adjoint-gen: loops, branches, reassignment and pointer inputs, compiled by
// g++ without the plugin.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_gen %s -o %t/out.cpp -- -std=c++17 -I%adjoint_include -I%S/../Inputs
// RUN: FileCheck %s < %t/out.cpp
// RUN: %gxx -I%S/../Inputs %t/out.cpp -o %t/a.out %adjoint_link
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

// Horner evaluation of sum c[i] x^i: x and the coefficients.
ADJOINT_GRAD(c, x) double horner(const double *c, double x, int n) {
  double p = 0.0;
  for (int i = n - 1; i >= 0; --i)
    p = p * x + c[i];
  return p;
}
// CHECK:      double horner_vjp(const double * c, double x, int n, double _seed, double *_d_c, double &_d_x) {
// CHECK:          _tape.push(p);
// CHECK:          p = _tape.pop<double>();

ADJOINT_GRAD(x) double piecewise(double x) {
  double y;
  if (x < 0.0)
    y = -x * x;
  else if (x < 1.0)
    y = std::sin(x);
  else
    y = x;
  return y * 3.0;
}
// CHECK:      double piecewise_vjp(double x, double _seed, double &_d_x) {

ADJOINT_GRAD(x) double newton(double x, int iters) {
  // Newton's iteration for sqrt(x): the gradient goes through every step.
  double r = x;
  int k = 0;
  while (k < iters) {
    r = 0.5 * (r + x / r);
    k += 1;
  }
  return r;
}
// CHECK:      double newton_vjp(double x, int iters, double _seed, double &_d_x) {
// CHECK-NOT:    _d_k
// CHECK-NOT:    _d_iters
// CHECK:      double newton_grad(

ADJOINT_GRAD(x, out) void normalize(const double *x, double *out, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i)
    s += x[i] * x[i];
  double inv = 1.0 / std::sqrt(s);
  for (int i = 0; i < n; ++i)
    out[i] = x[i] * inv;
}
// CHECK:      void normalize_grad(const double * x, double * out, int n, double *_d_x, double *_d_out) {
// The second loop's counter is hoisted under a new name.
// CHECK:        int i_1 = 0;
// CHECK:          out[i_1] = x[i_1] * inv;
// sqrt's rule takes its value _t0; the reciprocal's adjoint scales by inv.
// CHECK:        ::adjoint::derivatives::sqrt_result_pullback(s, _t0, -(_d_inv * inv) * inv, {{_r[0-9]+}});

int main() {
  using V = std::vector<double>;
  {
    double c[3] = {1.0, -2.0, 0.5}, dc[3] = {0, 0, 0}, dx = 0;
    horner_grad(c, 3.0, 3, dc, dx);
    lit::check("horner", [](const V &v) { return horner(v.data(), v[3], 3); }, {1.0, -2.0, 0.5, 3.0}, {dc[0], dc[1], dc[2], dx});
  }
  for (double x : {-2.0, 0.5, 2.0}) {
    double dx = 0;
    piecewise_grad(x, dx);
    lit::check("piecewise", [](const V &v) { return piecewise(v[0]); }, {x}, {dx});
  }
  {
    double dx = 0;
    newton_grad(2.0, 6, dx);
    lit::check("newton", [](const V &v) { return newton(v[0], 6); }, {2.0}, {dx});
  }
  {
    double x[2] = {3.0, 4.0}, out[2], dx[2] = {0, 0}, dout[2] = {1.0, 0.0};
    normalize_grad(x, out, 2, dx, dout);
    lit::check("normalize", [](const V &v) { double o[2]; normalize(v.data(), o, 2); return o[0]; }, {3.0, 4.0}, {dx[0], dx[1]});
  }
}
// (1, x, x^2, c1 + 2 c2 x)
// OUT:      horner: 1.000000 3.000000 9.000000 1.000000
// OUT-NEXT: gradcheck horner: ok
// -6x, 3 cos x, 3
// OUT-NEXT: piecewise: 12.000000
// OUT-NEXT: gradcheck piecewise: ok
// OUT-NEXT: piecewise: 2.632748
// OUT-NEXT: gradcheck piecewise: ok
// OUT-NEXT: piecewise: 3.000000
// OUT-NEXT: gradcheck piecewise: ok
// converged to sqrt(x): 1 / (2 sqrt 2)
// OUT-NEXT: newton: 0.353553
// OUT-NEXT: gradcheck newton: ok
// d(x0/|x|) = (x1^2, -x0 x1) / |x|^3
// OUT-NEXT: normalize: 0.128000 -0.096000
// OUT-NEXT: gradcheck normalize: ok
