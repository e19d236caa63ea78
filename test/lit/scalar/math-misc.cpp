// pow with a floating-point and an integer exponent, hypot, fabs, abs, fmin,
// fmax and erf, std:: and global.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>
#include <math.h>
#include <stdlib.h>

ADJOINT_GRAD(x, y) double f_pow(double x, double y) { return std::pow(x, y); }
// CHECK-LABEL: double f_pow_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK:        double _r0 = 0;
// CHECK-NEXT:   double _r1 = 0;
// CHECK-NEXT:   ::adjoint::derivatives::pow_pullback(x, y, _seed, _r0, _r1);
// CHECK-NEXT:   _d_x += _r0;
// CHECK-NEXT:   _d_y += _r1;

ADJOINT_GRAD(x) double f_powi(double x, int n) { return std::pow(x, n); }
// The integer exponent gets no adjoint.
// CHECK-LABEL: double f_powi_vjp(double x, int n, double _seed, double &_d_x) {
// CHECK-NOT:    _d_n
// CHECK:        ::adjoint::derivatives::pow_pullback(x, n, _seed, _r0);
// CHECK-NEXT:   _d_x += _r0;
// CHECK-LABEL: double f_powi_grad(double x, int n, double &_d_x) {

ADJOINT_GRAD(x, y) double f_hypot(double x, double y) { return std::hypot(x, y); }
// CHECK-LABEL: double f_hypot_vjp(
// CHECK:        ::adjoint::derivatives::hypot_pullback(x, y, _seed, _r0, _r1);

ADJOINT_GRAD(x) double f_fabs(double x) { return std::fabs(x) * x; }
// CHECK-LABEL: double f_fabs_vjp(
// CHECK:        _t0 = std::fabs(x);
// CHECK-NEXT:   double _ret0 = _t0 * x;
// CHECK:        ::adjoint::derivatives::fabs_pullback(x, _seed * x, _r0);

ADJOINT_GRAD(x) double f_abs(double x) { return std::abs(x - 1.0); }
// CHECK-LABEL: double f_abs_vjp(
// CHECK:        ::adjoint::derivatives::abs_pullback(x - 1.0, _seed, _r0);

ADJOINT_GRAD(x, y) double f_fmin(double x, double y) { return std::fmin(x, y * y); }
// CHECK-LABEL: double f_fmin_vjp(
// CHECK:        ::adjoint::derivatives::fmin_pullback(x, y * y, _seed, _r0, _r1);
// CHECK-NEXT:   _d_x += _r0;
// CHECK-NEXT:   _d_y += 2 * y * _r1;

ADJOINT_GRAD(x, y) double f_fmax(double x, double y) { return std::fmax(x, y * y); }
// CHECK-LABEL: double f_fmax_vjp(
// CHECK:        ::adjoint::derivatives::fmax_pullback(x, y * y, _seed, _r0, _r1);

ADJOINT_GRAD(x) double f_erf(double x) { return std::erf(x); }
// CHECK-LABEL: double f_erf_vjp(
// CHECK:        ::adjoint::derivatives::erf_pullback(x, _seed, _r0);

// The global versions.
ADJOINT_GRAD(x, y) double f_global_misc(double x, double y) {
  double a = pow(x, y) + pow(y, 3) + hypot(x, y);
  double b = fabs(x - y) + fmin(x, y) + fmax(x, y) + erf(x * y) + abs(y - 2.0);
  return a * b;
}
// CHECK-LABEL: double f_global_misc_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK:        ::adjoint::derivatives::fabs_pullback(x - y, _d_b, _r5);
// CHECK-NEXT:   _d_x += _r5;
// CHECK-NEXT:   _d_y += -_r5;
// CHECK:        ::adjoint::derivatives::fmin_pullback(x, y, _d_b, _r6, _r7);
// CHECK:        ::adjoint::derivatives::fmax_pullback(x, y, _d_b, _r8, _r9);
// CHECK:        ::adjoint::derivatives::erf_pullback(x * y, _d_b, _r10);
// CHECK:        ::adjoint::derivatives::abs_pullback(y - 2.0, _d_b, _r11);
// CHECK:        ::adjoint::derivatives::pow_pullback(x, y, _d_a, _r0, _r1);
// CHECK:        ::adjoint::derivatives::pow_pullback(y, 3, _d_a, _r2);
// CHECK:        ::adjoint::derivatives::hypot_pullback(x, y, _d_a, _r3, _r4);

// float overloads.
ADJOINT_GRAD(x, y) float f_float_misc(float x, float y) {
  return std::pow(x, y) + std::pow(x, 2) + std::hypot(x, y) + std::fabs(y) +
         std::erf(x);
}
// CHECK-LABEL: float f_float_misc_vjp(float x, float y, float _seed, float &_d_x, float &_d_y) {
// CHECK:        float _r0 = 0;
// CHECK-NEXT:   float _r1 = 0;
// CHECK-NEXT:   ::adjoint::derivatives::pow_pullback(x, y, _seed, _r0, _r1);
// CHECK:        ::adjoint::derivatives::pow_pullback(x, 2, _seed, _r2);
// CHECK:        ::adjoint::derivatives::erf_pullback(x, _seed, _r6);

int main() {
  using V = std::vector<double>;
  {
    double dx = 0, dy = 0;
    f_pow_grad(1.5, 2.5, dx, dy);
    lit::check("f_pow", [](const V &v) { return f_pow(v[0], v[1]); }, {1.5, 2.5}, {dx, dy});
  }
  {
    double dx = 0;
    f_powi_grad(1.5, 3, dx);
    lit::check("f_powi", [](const V &v) { return f_powi(v[0], 3); }, {1.5}, {dx});
  }
  {
    double dx = 0, dy = 0;
    f_hypot_grad(3.0, 4.0, dx, dy);
    lit::check("f_hypot", [](const V &v) { return f_hypot(v[0], v[1]); }, {3.0, 4.0}, {dx, dy});
  }
  for (double x : {1.5, -1.5}) {
    double dx = 0;
    f_fabs_grad(x, dx);
    lit::check("f_fabs", [](const V &v) { return f_fabs(v[0]); }, {x}, {dx});
  }
  for (double x : {2.0, 0.5}) {
    double dx = 0;
    f_abs_grad(x, dx);
    lit::check("f_abs", [](const V &v) { return f_abs(v[0]); }, {x}, {dx});
  }
  for (double x : {1.0, 5.0}) {
    double dx = 0, dy = 0;
    f_fmin_grad(x, 1.5, dx, dy);
    lit::check("f_fmin", [](const V &v) { return f_fmin(v[0], v[1]); }, {x, 1.5}, {dx, dy});
  }
  for (double x : {1.0, 5.0}) {
    double dx = 0, dy = 0;
    f_fmax_grad(x, 1.5, dx, dy);
    lit::check("f_fmax", [](const V &v) { return f_fmax(v[0], v[1]); }, {x, 1.5}, {dx, dy});
  }
  {
    double dx = 0;
    f_erf_grad(0.5, dx);
    lit::check("f_erf", [](const V &v) { return f_erf(v[0]); }, {0.5}, {dx});
  }
  {
    double dx = 0, dy = 0;
    f_global_misc_grad(1.25, 0.5, dx, dy);
    lit::check("f_global_misc", [](const V &v) { return f_global_misc(v[0], v[1]); }, {1.25, 0.5}, {dx, dy});
  }
  {
    float dx = 0, dy = 0;
    f_float_misc_grad(1.25f, 0.5f, dx, dy);
    lit::checkf("f_float_misc", [](const V &v) { return (double)f_float_misc((float)v[0], (float)v[1]); }, {1.25, 0.5}, {dx, dy});
  }
}

// (y x^(y-1), x^y ln x) at (1.5, 2.5)
// OUT:      f_pow: 4.592793 1.117330
// OUT-NEXT: gradcheck f_pow: ok
// 3 x^2
// OUT-NEXT: f_powi: 6.750000
// OUT-NEXT: gradcheck f_powi: ok
// (x, y) / hypot(x, y)
// OUT-NEXT: f_hypot: 0.600000 0.800000
// OUT-NEXT: gradcheck f_hypot: ok
// d(|x| x) = 2 |x|
// OUT-NEXT: f_fabs: 3.000000
// OUT-NEXT: gradcheck f_fabs: ok
// OUT-NEXT: f_fabs: 3.000000
// OUT-NEXT: gradcheck f_fabs: ok
// OUT-NEXT: f_abs: 1.000000
// OUT-NEXT: gradcheck f_abs: ok
// OUT-NEXT: f_abs: -1.000000
// OUT-NEXT: gradcheck f_abs: ok
// min(x, y^2): x, then y^2
// OUT-NEXT: f_fmin: 1.000000 0.000000
// OUT-NEXT: gradcheck f_fmin: ok
// OUT-NEXT: f_fmin: 0.000000 3.000000
// OUT-NEXT: gradcheck f_fmin: ok
// OUT-NEXT: f_fmax: 0.000000 3.000000
// OUT-NEXT: gradcheck f_fmax: ok
// OUT-NEXT: f_fmax: 1.000000 0.000000
// OUT-NEXT: gradcheck f_fmax: ok
// 2/sqrt(pi) exp(-x^2)
// OUT-NEXT: f_erf: 0.878783
// OUT-NEXT: gradcheck f_erf: ok
// OUT-NEXT: f_global_misc: 12.527272 6.219735
// OUT-NEXT: gradcheck f_global_misc: ok
// OUT-NEXT: f_float_misc: 4.11221{{[0-9]}} 1.62087{{[0-9]}}
// OUT-NEXT: gradcheck f_float_misc: ok
