// Hyperbolic, exponential, logarithmic and root functions, std:: and global.
// exp, exp2, expm1, tanh and sqrt use the rules taking the forward value.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>
#include <math.h>

ADJOINT_GRAD(x) double f_sinh(double x) { return std::sinh(x); }
// CHECK-LABEL: double f_sinh_vjp(double x, double _seed, double &_d_x) {
// CHECK-NEXT:   double _ret0 = std::sinh(x);
// CHECK-NEXT:   double _r0 = 0;
// CHECK-NEXT:   ::adjoint::derivatives::sinh_pullback(x, _seed, _r0);
// CHECK-NEXT:   _d_x += _r0;
// CHECK-NEXT:   return _ret0;

ADJOINT_GRAD(x) double f_cosh(double x) { return std::cosh(x); }
// CHECK-LABEL: double f_cosh_vjp(
// CHECK:        ::adjoint::derivatives::cosh_pullback(x, _seed, _r0);

ADJOINT_GRAD(x) double f_tanh(double x) { return std::tanh(x); }
// CHECK-LABEL: double f_tanh_vjp(
// CHECK:        ::adjoint::derivatives::tanh_result_pullback(x, _t0, _seed, _r0);

ADJOINT_GRAD(x) double f_exp(double x) { return std::exp(-x * x); }
// CHECK-LABEL: double f_exp_vjp(
// CHECK:        ::adjoint::derivatives::exp_result_pullback(-x * x, _t0, _seed, _r0);
// CHECK-NEXT:   _d_x += -(_r0 * x);
// CHECK-NEXT:   _d_x += (-x) * _r0;

ADJOINT_GRAD(x) double f_exp2(double x) { return std::exp2(x); }
// CHECK-LABEL: double f_exp2_vjp(
// CHECK:        ::adjoint::derivatives::exp2_result_pullback(x, _t0, _seed, _r0);

ADJOINT_GRAD(x) double f_expm1(double x) { return std::expm1(x); }
// CHECK-LABEL: double f_expm1_vjp(
// CHECK:        ::adjoint::derivatives::expm1_result_pullback(x, _t0, _seed, _r0);

ADJOINT_GRAD(x) double f_log(double x) { return std::log(x); }
// CHECK-LABEL: double f_log_vjp(
// CHECK:        ::adjoint::derivatives::log_pullback(x, _seed, _r0);

ADJOINT_GRAD(x) double f_log2(double x) { return std::log2(x); }
// CHECK-LABEL: double f_log2_vjp(
// CHECK:        ::adjoint::derivatives::log2_pullback(x, _seed, _r0);

ADJOINT_GRAD(x) double f_log10(double x) { return std::log10(x); }
// CHECK-LABEL: double f_log10_vjp(
// CHECK:        ::adjoint::derivatives::log10_pullback(x, _seed, _r0);

ADJOINT_GRAD(x) double f_log1p(double x) { return std::log1p(x); }
// CHECK-LABEL: double f_log1p_vjp(
// CHECK:        ::adjoint::derivatives::log1p_pullback(x, _seed, _r0);

ADJOINT_GRAD(x) double f_sqrt(double x) { return std::sqrt(x); }
// CHECK-LABEL: double f_sqrt_vjp(
// CHECK:        ::adjoint::derivatives::sqrt_result_pullback(x, _t0, _seed, _r0);

ADJOINT_GRAD(x) double f_cbrt(double x) { return std::cbrt(x); }
// CHECK-LABEL: double f_cbrt_vjp(
// CHECK:        ::adjoint::derivatives::cbrt_pullback(x, _seed, _r0);

// The C library's global functions, nested.
ADJOINT_GRAD(x) double f_global_exp(double x) {
  double h = sinh(x) * cosh(x) + tanh(x);
  double e = exp(h) + exp2(x) - expm1(x);
  return log(e) + log2(x) + log10(x) + log1p(x) + sqrt(e) + cbrt(h);
}
// Call results used by products are cached in the forward sweep.
// CHECK-LABEL: double f_global_exp_vjp(double x, double _seed, double &_d_x) {
// CHECK:        _t1 = sinh(x);
// CHECK-NEXT:   _t0 = cosh(x);
// CHECK-NEXT:   _t2 = tanh(x);
// CHECK-NEXT:   double h = _t1 * _t0 + _t2;
// CHECK:        ::adjoint::derivatives::log_pullback(e, _seed, _r6);
// CHECK:        ::adjoint::derivatives::log2_pullback(x, _seed, _r7);
// CHECK:        ::adjoint::derivatives::log10_pullback(x, _seed, _r8);
// CHECK:        ::adjoint::derivatives::log1p_pullback(x, _seed, _r9);
// CHECK:        ::adjoint::derivatives::sqrt_result_pullback(e, _t6, _seed, _r10);
// CHECK:        ::adjoint::derivatives::cbrt_pullback(h, _seed, _r11);
// CHECK:        ::adjoint::derivatives::exp_result_pullback(h, _t3, _d_e, _r3);
// CHECK:        ::adjoint::derivatives::exp2_result_pullback(x, _t4, _d_e, _r4);
// CHECK:        ::adjoint::derivatives::expm1_result_pullback(x, _t5, -_d_e, _r5);
// CHECK:        ::adjoint::derivatives::sinh_pullback(x, _d_h * _t0, _r0);
// CHECK:        ::adjoint::derivatives::cosh_pullback(x, _t1 * _d_h, _r1);
// CHECK:        ::adjoint::derivatives::tanh_result_pullback(x, _t2, _d_h, _r2);

int main() {
  using V = std::vector<double>;
  double x = 0.5;
#define UNARY(F)                                                               \
  {                                                                            \
    double dx = 0;                                                             \
    F##_grad(x, dx);                                                           \
    lit::check(#F, [](const V &v) { return F(v[0]); }, {x}, {dx});             \
  }
  UNARY(f_sinh)
  UNARY(f_cosh)
  UNARY(f_tanh)
  UNARY(f_exp)
  UNARY(f_exp2)
  UNARY(f_expm1)
  UNARY(f_log)
  UNARY(f_log2)
  UNARY(f_log10)
  UNARY(f_log1p)
  UNARY(f_sqrt)
  UNARY(f_cbrt)
  UNARY(f_global_exp)
}

// At x = 0.5: cosh x, sinh x, 1 - tanh^2 x, -2x exp(-x^2), 2^x ln 2, e^x,
// 1/x, 1/(x ln 2), 1/(x ln 10), 1/(1+x), 1/(2 sqrt x), 1/(3 x^(2/3))
// OUT:      f_sinh: 1.127626
// OUT-NEXT: gradcheck f_sinh: ok
// OUT-NEXT: f_cosh: 0.521095
// OUT-NEXT: gradcheck f_cosh: ok
// OUT-NEXT: f_tanh: 0.786448
// OUT-NEXT: gradcheck f_tanh: ok
// OUT-NEXT: f_exp: -0.778801
// OUT-NEXT: gradcheck f_exp: ok
// OUT-NEXT: f_exp2: 0.980258
// OUT-NEXT: gradcheck f_exp2: ok
// OUT-NEXT: f_expm1: 1.648721
// OUT-NEXT: gradcheck f_expm1: ok
// OUT-NEXT: f_log: 2.000000
// OUT-NEXT: gradcheck f_log: ok
// OUT-NEXT: f_log2: 2.885390
// OUT-NEXT: gradcheck f_log2: ok
// OUT-NEXT: f_log10: 0.868589
// OUT-NEXT: gradcheck f_log10: ok
// OUT-NEXT: f_log1p: 0.666667
// OUT-NEXT: gradcheck f_log1p: ok
// OUT-NEXT: f_sqrt: 0.707107
// OUT-NEXT: gradcheck f_sqrt: ok
// OUT-NEXT: f_cbrt: 0.529134
// OUT-NEXT: gradcheck f_cbrt: ok
// OUT-NEXT: f_global_exp: 8.397885
// OUT-NEXT: gradcheck f_global_exp: ok
