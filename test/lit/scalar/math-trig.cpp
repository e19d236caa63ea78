// Trigonometric functions, std:: and global: each call becomes a call of its
// pullback in adjoint::derivatives.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>
#include <math.h>

ADJOINT_GRAD(x) double f_sin(double x) { return std::sin(2.0 * x); }
// CHECK-LABEL: double f_sin_vjp(double x, double _seed, double &_d_x) {
// CHECK-NEXT:   double _ret0 = std::sin(2.0 * x);
// CHECK-NEXT:   double _r0 = 0;
// CHECK-NEXT:   ::adjoint::derivatives::sin_pullback(2.0 * x, _seed, _r0);
// CHECK-NEXT:   _d_x += 2.0 * _r0;
// CHECK-NEXT:   return _ret0;

ADJOINT_GRAD(x) double f_cos(double x) { return std::cos(x) * x; }
// A call whose value is needed in the reverse sweep is evaluated once.
// CHECK-LABEL: double f_cos_vjp(double x, double _seed, double &_d_x) {
// CHECK-NEXT:   double _t0;
// CHECK-NEXT:   _t0 = std::cos(x);
// CHECK-NEXT:   double _ret0 = _t0 * x;
// CHECK-NEXT:   double _r0 = 0;
// CHECK-NEXT:   ::adjoint::derivatives::cos_pullback(x, _seed * x, _r0);
// CHECK-NEXT:   _d_x += _r0;
// CHECK-NEXT:   _d_x += _t0 * _seed;

ADJOINT_GRAD(x) double f_tan(double x) { return std::tan(x); }
// CHECK-LABEL: double f_tan_vjp(
// CHECK:        ::adjoint::derivatives::tan_pullback(x, _seed, _r0);

ADJOINT_GRAD(x) double f_asin(double x) { return std::asin(x); }
// CHECK-LABEL: double f_asin_vjp(
// CHECK:        ::adjoint::derivatives::asin_pullback(x, _seed, _r0);

ADJOINT_GRAD(x) double f_acos(double x) { return std::acos(x); }
// CHECK-LABEL: double f_acos_vjp(
// CHECK:        ::adjoint::derivatives::acos_pullback(x, _seed, _r0);

ADJOINT_GRAD(x) double f_atan(double x) { return std::atan(x * x); }
// CHECK-LABEL: double f_atan_vjp(
// CHECK:        ::adjoint::derivatives::atan_pullback(x * x, _seed, _r0);
// CHECK-NEXT:   _d_x += 2 * x * _r0;

ADJOINT_GRAD(y, x) double f_atan2(double y, double x) { return std::atan2(y, x); }
// CHECK-LABEL: double f_atan2_vjp(double y, double x, double _seed, double &_d_y, double &_d_x) {
// CHECK:        double _r0 = 0;
// CHECK-NEXT:   double _r1 = 0;
// CHECK-NEXT:   ::adjoint::derivatives::atan2_pullback(y, x, _seed, _r0, _r1);
// CHECK-NEXT:   _d_y += _r0;
// CHECK-NEXT:   _d_x += _r1;

// The C library's global functions.
ADJOINT_GRAD(x, y) double f_global_trig(double x, double y) {
  double a = sin(x) + cos(y) + tan(x * y);
  double b = asin(x / 2.0) + acos(y / 2.0) + atan(x);
  return a * b + atan2(x, y);
}
// CHECK-LABEL: double f_global_trig_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK:        ::adjoint::derivatives::atan2_pullback(x, y, _seed, _r6, _r7);
// CHECK:        ::adjoint::derivatives::asin_pullback(x / 2.0, _d_b, _r3);
// CHECK-NEXT:   _d_x += _r3 / 2.0;
// CHECK:        ::adjoint::derivatives::acos_pullback(y / 2.0, _d_b, _r4);
// CHECK-NEXT:   _d_y += _r4 / 2.0;
// CHECK:        ::adjoint::derivatives::atan_pullback(x, _d_b, _r5);
// CHECK:        ::adjoint::derivatives::sin_pullback(x, _d_a, _r0);
// CHECK:        ::adjoint::derivatives::cos_pullback(y, _d_a, _r1);
// CHECK:        ::adjoint::derivatives::tan_pullback(x * y, _d_a, _r2);
// CHECK-NEXT:   _d_x += _r2 * y;
// CHECK-NEXT:   _d_y += x * _r2;

int main() {
  using V = std::vector<double>;
  double x = 0.5;
#define UNARY(F)                                                               \
  {                                                                            \
    double dx = 0;                                                             \
    F##_grad(x, dx);                                                           \
    lit::check(#F, [](const V &v) { return F(v[0]); }, {x}, {dx});             \
  }
  UNARY(f_sin)
  UNARY(f_cos)
  UNARY(f_tan)
  UNARY(f_asin)
  UNARY(f_acos)
  UNARY(f_atan)
  {
    double dy = 0, dx = 0;
    f_atan2_grad(1.0, 2.0, dy, dx);
    lit::check("f_atan2", [](const V &v) { return f_atan2(v[0], v[1]); }, {1.0, 2.0}, {dy, dx});
  }
  {
    double dx = 0, dy = 0;
    f_global_trig_grad(0.5, 0.75, dx, dy);
    lit::check("f_global_trig", [](const V &v) { return f_global_trig(v[0], v[1]); }, {0.5, 0.75}, {dx, dy});
  }
}

// At x = 0.5: 2 cos(2x), cos x - x sin x, 1/cos^2 x, 1/sqrt(1-x^2),
// -1/sqrt(1-x^2), 2x/(1+x^4)
// OUT:      f_sin: 1.080605
// OUT-NEXT: gradcheck f_sin: ok
// OUT-NEXT: f_cos: 0.637870
// OUT-NEXT: gradcheck f_cos: ok
// OUT-NEXT: f_tan: 1.298446
// OUT-NEXT: gradcheck f_tan: ok
// OUT-NEXT: f_asin: 1.154701
// OUT-NEXT: gradcheck f_asin: ok
// OUT-NEXT: f_acos: -1.154701
// OUT-NEXT: gradcheck f_acos: ok
// OUT-NEXT: f_atan: 0.941176
// OUT-NEXT: gradcheck f_atan: ok
// atan2(y, x) at (1, 2): (x, -y) / (x^2 + y^2)
// OUT-NEXT: f_atan2: 0.400000 -0.200000
// OUT-NEXT: gradcheck f_atan2: ok
// OUT-NEXT: f_global_trig: 6.353509 -1.679121
// OUT-NEXT: gradcheck f_global_trig: ok
