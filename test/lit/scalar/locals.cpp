// Locals and names: generated temporaries avoid the user's names, several
// declarators in one statement, shadowing in nested blocks, overwritten
// parameters, declarations inside loop bodies and nested early returns.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>
ADJOINT_GRAD(x) double clash(double x, double _t0, double _r0) {
  double _d_x0 = std::sin(x) * _t0;
  return _d_x0 * x + _r0;
}
// Parameters named like generated temporaries: the temporaries move aside.
// CHECK-LABEL: double clash_vjp(double x, double _t0, double _r0, double _seed, double &_d_x) {
// CHECK-NEXT:   double _d__d_x0 = 0;
// CHECK:        double _r1 = 0;
// CHECK-NEXT:   ::adjoint::derivatives::sin_pullback(x, _d__d_x0 * _t0, _r1);
// CHECK-NEXT:   _d_x += _r1;
ADJOINT_GRAD(x) double multi(double x) {
  double a = x * 2.0, b = a * a, c = b - a;
  return c * x;
}
// CHECK-LABEL: double multi_vjp(double x, double _seed, double &_d_x) {
// CHECK:        double a = x * 2.0;
// CHECK-NEXT:   double b = a * a;
// CHECK-NEXT:   double c = b - a;
// CHECK:        _d_b += _d_c;
// CHECK-NEXT:   _d_a += -_d_c;
// CHECK-NEXT:   _d_a += 2 * a * _d_b;
// CHECK-NEXT:   _d_x += _d_a * 2.0;
ADJOINT_GRAD(x) double shadow(double x) {
  double t = x;
  {
    double t = x * x;
    x = t + 1.0;
  }
  return t * x;
}
// The inner t is hoisted as t_1; the overwritten parameter x accumulates in a
// local adjoint that is added to _d_x at the end.
// CHECK-LABEL: double shadow_vjp(double x, double _seed, double &_d_x) {
// CHECK:        double t = x;
// CHECK-NEXT:   t_1 = x * x;
// CHECK-NEXT:   _t0 = x;
// CHECK-NEXT:   x = t_1 + 1.0;
// CHECK:        _d_x += _d_x_local;
// CHECK-NEXT:   return _ret0;
ADJOINT_GRAD(x) double selfneg(double x) {
  x = -x;
  x = x * x * x;
  return x;
}
// CHECK-LABEL: double selfneg_vjp(double x, double _seed, double &_d_x) {
// Only the value x * x * x reads is saved: the input's is not needed.
// CHECK:        x = -x;
// CHECK-NEXT:   _t0 = x;
// CHECK-NEXT:   x = x * x * x;
// CHECK:        x = _t0;
// CHECK:        _d_x_local += (x * x) * _r1;
// CHECK-NEXT:   double _r0 = _d_x_local;
// CHECK-NEXT:   _d_x_local = -_r0;
ADJOINT_GRAD(x) double loopdecl(const double *x, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i) {
    double w;
    w = x[i] * 2.0;
    double v = w * w;
    s += v * std::exp(w);
  }
  return s;
}
// Loop-body locals are hoisted and their old values taped.
// CHECK-LABEL: double loopdecl_vjp(const double * __restrict x, int n, double _seed, double *_d_x) {
// CHECK:        double w;
// CHECK-NEXT:   double v;
// CHECK:          _tape.push(w);
// CHECK-NEXT:     w = x[i] * 2.0;
// CHECK-NEXT:     _tape.push(v);
// CHECK-NEXT:     v = w * w;
ADJOINT_GRAD(x) double earlynested(double x, double y) {
  if (x > 0.0) {
    if (y > 0.0)
      return x * y;
    return x;
  }
  return y * y;
}
// CHECK-LABEL: double earlynested_vjp(double x, double y, double _seed, double &_d_x) {
// CHECK-NOT:    _d_y
// CHECK:        return _ret0;
int main() {
  // Split mode is generated for the functions a file names; the checks
  // above read its unfused reverse sweep.
  (void)&loopdecl_forward;
  using V = std::vector<double>;
  { double dx = 0; clash_grad(0.5, 2.0, 3.0, dx); lit::check("clash", [](const V &v) { return clash(v[0], 2.0, 3.0); }, {0.5}, {dx}); }
#define U(F, X) { double dx = 0; F##_grad(X, dx); lit::check(#F, [](const V &v) { return F(v[0]); }, {X}, {dx}); }
  U(multi, 1.5)
  U(shadow, 1.5)
  U(selfneg, 1.5)
  { double x[3] = {0.5, -0.25, 0.1}, dx[3] = {0}; loopdecl_grad(x, 3, dx); lit::check("loopdecl", [](const V &v) { return loopdecl(v.data(), 3); }, {0.5, -0.25, 0.1}, {dx[0], dx[1], dx[2]}); }
  for (double y : {2.0, -2.0}) { double dx = 0; earlynested_grad(1.5, y, dx); lit::check("earlynested", [y](const V &v) { return earlynested(v[0], y); }, {1.5}, {dx}); }
}

// 2 (x cos x + sin x)
// OUT:      clash: 1.836434
// OUT-NEXT: gradcheck clash: ok
// 4x^3 - 2x^2
// OUT-NEXT: multi: 21.000000
// OUT-NEXT: gradcheck multi: ok
// x (x^2 + 1)
// OUT-NEXT: shadow: 7.750000
// OUT-NEXT: gradcheck shadow: ok
// -x^3
// OUT-NEXT: selfneg: -6.750000
// OUT-NEXT: gradcheck selfneg: ok
// sum (2x)^2 e^(2x): (8x + 8x^2) e^(2x)
// OUT-NEXT: loopdecl: 16.309691 -0.909796 1.074834
// OUT-NEXT: gradcheck loopdecl: ok
// y, then 1
// OUT-NEXT: earlynested: 2.000000
// OUT-NEXT: gradcheck earlynested: ok
// OUT-NEXT: earlynested: 1.000000
// OUT-NEXT: gradcheck earlynested: ok
