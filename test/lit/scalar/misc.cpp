// More constructs: compound assignment to array elements, ++/-- on doubles,
// locals declared in branches, returns in both branches, callees with loops
// and pointer arguments, static functions, const references, float functions
// calling the C library's double functions, nested ?: and strided loops.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

// Compound assignments to array elements.
ADJOINT_GRAD(x, out) void scale_acc(const double *x, double *out, int n) {
  for (int i = 0; i < n; ++i) {
    out[i] += x[i] * x[i];
    out[i] *= x[i];
  }
// CHECK-LABEL: void scale_acc_grad(const double * x, double * out, int n, double *_d_x, double *_d_out) {
// CHECK:          _tape.push(out[i]);
// CHECK-NEXT:     out[i] += x[i] * x[i];
// CHECK-NEXT:     _tape.push(out[i]);
// CHECK-NEXT:     out[i] *= x[i];
// CHECK:          out[i] = _tape.pop<double>();
// CHECK-NEXT:     double _r1 = _d_out[i];
// CHECK-NEXT:     _d_out[i] = _r1 * (x[i]);
// CHECK-NEXT:     _d_x[i] += (out[i]) * _r1;
// CHECK-NEXT:     out[i] = _tape.pop<double>();
// CHECK-NEXT:     double _r0 = _d_out[i];
// CHECK-NEXT:     _d_x[i] += _r0 * (x[i]);
// CHECK-NEXT:     _d_x[i] += (x[i]) * _r0;
}

// ++ and -- on a double do not change its adjoint.
ADJOINT_GRAD(x) double incr(double x) {
  double y = x * x;
  y++;
  ++y;
  y--;
  return y * y;
}
// CHECK-LABEL: double incr_vjp(double x, double _seed, double &_d_x) {
// CHECK:        y++;
// CHECK:        ++y;
// CHECK:        y--;
// Nothing before the increments reads y in reverse: no saves.
// CHECK-NOT:    _t0
// CHECK:        _d_y += 2 * y * _seed;
// CHECK-NEXT:   _d_x += 2 * x * _d_y;

// Locals declared in branches are hoisted; the second t is renamed.
ADJOINT_GRAD(x) double branchlocal(double x) {
  double r = 0.0;
  if (x > 0.0) {
    double t = x * x;
    r = t * 2.0;
  } else {
    double t = -x;
    r = t * t * t;
  }
  return r;
}
// CHECK-LABEL: double branchlocal_vjp(double x, double _seed, double &_d_x) {
// CHECK-NEXT:   double _d_r = 0;
// CHECK-NEXT:   double _d_t = 0;
// CHECK-NEXT:   double _d_t_1 = 0;
// CHECK-NEXT:   double t;
// CHECK:        double t_1;
// CHECK:          t = x * x;
// CHECK:          t_1 = -x;
// CHECK:          r = t_1 * t_1 * t_1;

// Both branches return.
ADJOINT_GRAD(x) double bothret(double x) {
  if (x > 1.0) {
    return x * x;
  } else {
    return std::exp(x);
  }
}
// CHECK-LABEL: double bothret_vjp(double x, double _seed, double &_d_x) {
// CHECK-NEXT:   double _ret0;
// CHECK-NEXT:   double _t0;
// CHECK-NEXT:   bool _c0;
// CHECK-NEXT:   _c0 = x > 1.0;
// CHECK-NEXT:   if (_c0) {
// CHECK-NEXT:     _ret0 = x * x;
// CHECK-NEXT:   }
// CHECK-NEXT:   else {
// CHECK-NEXT:     _t0 = std::exp(x);
// CHECK-NEXT:     _ret0 = _t0;
// CHECK-NEXT:   }

// A callee with a loop: its pullback has its own tape.
double sumpow(double v, int n) {
  double s = 0.0, p = 1.0;
  for (int i = 0; i < n; ++i) {
    p = p * v;
    s = s + p;
  }
  return s;
}
ADJOINT_GRAD(x) double calleeloop(double x) { return sumpow(x, 3) * sumpow(x * 2.0, 2); }
// CHECK-LABEL: double calleeloop_vjp(double x, double _seed, double &_d_x) {
// CHECK:        _t1 = sumpow(x, 3);
// CHECK-NEXT:   _t0 = sumpow(x * 2.0, 2);
// CHECK:        ::sumpow_pullback(x, 3, _seed * _t0, _r0);
// CHECK:        ::sumpow_pullback(x * 2.0, 2, _t1 * _seed, _r1);
// CHECK-NEXT:   _d_x += _r1 * 2.0;

// A callee with a pointer argument gets the adjoint pointer.
double psum(const double *p, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i)
    s += p[i] * p[i];
  return s;
}
ADJOINT_GRAD(x) double ptrcall(const double *x, int n) { return std::sqrt(psum(x, n)); }
// It is a split-mode call: the record keeps the loop's bound, and the
// reverse function runs only the reverse loop.
// CHECK-LABEL: struct psum_pullback_record {
// CHECK-NEXT:   const double * p;
// CHECK-NEXT:   int n;
// CHECK-NEXT:   int i;
// CHECK-NEXT:   unsigned long _n0;
// CHECK-NEXT: };
// CHECK-LABEL: void psum_pullback_reverse(const psum_pullback_record &_rec, double _d_return, double *_d_p) {
// CHECK-NOT:    while
// CHECK:          _d_p[i] += _r0 * (p[i]);
// CHECK-LABEL: double ptrcall_vjp(const double * __restrict x, int n, double _seed, double *_d_x) {
// CHECK:        _t0 = ::psum_pullback_forward(x, n, _rec0);
// CHECK:        ::adjoint::derivatives::sqrt_result_pullback(_t0, _t1, _seed, _r0);
// CHECK-NEXT:   ::psum_pullback_reverse(_rec0, _r0, _d_x);

// A static function has static gradients.
ADJOINT_GRAD(x) static double stat(double x) { return x * x * x; }
// CHECK-LABEL: static double stat_vjp(double x, double _seed, double &_d_x) {
// CHECK-LABEL: static double stat_grad(double x, double &_d_x) {

// A const reference parameter.
ADJOINT_GRAD(x) double cref(const double &x, double y) { return x * y; }
// CHECK-LABEL: double cref_vjp(const double & x, double y, double _seed, double &_d_x) {
// CHECK-NEXT:   double _ret0 = x * y;
// CHECK-NEXT:   _d_x += _seed * y;

// A float function calling the global double functions.
ADJOINT_GRAD(x) float fglobal(float x) { return sin(x) * (float)exp(x); }
// CHECK-LABEL: float fglobal_vjp(float x, float _seed, float &_d_x) {
// CHECK:        ::adjoint::derivatives::sin_pullback(x, _seed * _t0, _r0);
// CHECK:        ::adjoint::derivatives::exp_result_pullback(x, _t2, _t1 * _seed, _r1);

// Nested ?: with a call in the condition.
ADJOINT_GRAD(x) double tern(double x) {
  return std::sin(x) > 0.5 ? (x > 2.0 ? x * x : -x) : std::cos(x);
}
// The condition holding a call is evaluated once and kept.
// CHECK-LABEL: double tern_vjp(double x, double _seed, double &_d_x) {
// CHECK-NEXT:   bool _t0;
// CHECK-NEXT:   _t0 = std::sin(x) > 0.5;
// CHECK-NEXT:   double _ret0 = _t0 ? (x > 2.0 ? x * x : -x) : std::cos(x);
// CHECK-NEXT:   if (_t0) {
// CHECK-NEXT:     if (x > 2.0) {
// CHECK:          else {
// CHECK-NEXT:       _d_x += -_seed;
// CHECK:        else {
// CHECK-NEXT:     double _r0 = 0;
// CHECK-NEXT:     ::adjoint::derivatives::cos_pullback(x, _seed, _r0);

// A loop counting down in steps of 2: the counter is restored by the inverse step.
ADJOINT_GRAD(x) double step2(const double *x, int n) {
  double s = 1.0;
  for (int i = n - 1; i >= 0; i -= 2)
    s = s * x[i] + 1.0;
  return s;
}
// CHECK-LABEL: double step2_vjp(const double * __restrict x, int n, double _seed, double *_d_x) {
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     i += 2;
// CHECK-NEXT:     s = _tape.pop<double>();

// Loop-local values and call results in a loop body.
ADJOINT_GRAD(x) double cachedloop(double x, int n) {
  double y = x;
  for (int i = 0; i < n; ++i) {
    double e = std::exp(-y);
    y = y + e / (1.0 + std::sin(y));
  }
  return y;
}
// CHECK-LABEL: double cachedloop_vjp(double x, int n, double _seed, double &_d_x) {
// CHECK:          _tape.push(e);
// CHECK-NEXT:     _t0 = std::exp(-y);
// CHECK-NEXT:     _tape.push(_t0);
// CHECK-NEXT:     e = _t0;
// CHECK-NEXT:     _tape.push(y);
// CHECK-NEXT:     _t1 = 1.0 + std::sin(y);
// CHECK-NEXT:     _tape.push(_t1);
// CHECK-NEXT:     y = y + e / (_t1);
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     --i;
// CHECK-NEXT:     _t1 = _tape.pop<double>();
// CHECK-NEXT:     y = _tape.pop<double>();
// CHECK:          _t0 = _tape.pop<double>();
// CHECK-NEXT:     e = _tape.pop<double>();

// The generated pullback of sumpow, whose tape keeps it out of split mode.
// CHECK-LABEL: void sumpow_pullback(double v, int n, double _d_return, double &_d_v) {
// CHECK:        ::adjoint::Tape _tape;

int main() {
  using V = std::vector<double>;
  {
    double x[2] = {1.5, -0.5}, out[2] = {1.0, 2.0}, dx[2] = {0, 0}, dout[2] = {1.0, 1.0};
    scale_acc_grad(x, out, 2, dx, dout);
    lit::check("scale_acc", [](const V &v) { double o[2] = {1.0, 2.0}; scale_acc(v.data(), o, 2); return o[0] + o[1]; }, {1.5, -0.5}, {dx[0], dx[1]});
  }
#define U(F, X) { double dx = 0; F##_grad(X, dx); lit::check(#F, [](const V &v) { return F(v[0]); }, {X}, {dx}); }
  U(incr, 1.5)
  U(branchlocal, 1.5)
  U(branchlocal, -1.5)
  U(bothret, 1.5)
  U(bothret, 0.5)
  U(calleeloop, 0.75)
  U(stat, 0.75)
  {
    double x[3] = {1.0, 2.0, 2.0}, dx[3] = {0, 0, 0};
    ptrcall_grad(x, 3, dx);
    lit::check("ptrcall", [](const V &v) { return ptrcall(v.data(), 3); }, {1.0, 2.0, 2.0}, {dx[0], dx[1], dx[2]});
  }
  {
    double dx = 0;
    cref_grad(2.0, 3.0, dx);
    lit::check("cref", [](const V &v) { return cref(v[0], 3.0); }, {2.0}, {dx});
  }
  { float dx = 0; fglobal_grad(0.5f, dx); lit::checkf("fglobal", [](const V &v) { return (double)fglobal((float)v[0]); }, {0.5}, {dx}); }
  U(tern, 2.5)
  U(tern, 1.0)
  U(tern, 0.1)
  {
    double x[5] = {1.0, 2.0, 0.5, 1.5, -1.0}, dx[5] = {0};
    step2_grad(x, 5, dx);
    lit::check("step2", [](const V &v) { return step2(v.data(), 5); }, {1.0, 2.0, 0.5, 1.5, -1.0}, {dx[0], dx[1], dx[2], dx[3], dx[4]});
  }
  { double dx = 0; cachedloop_grad(0.5, 4, dx); lit::check("cachedloop", [](const V &v) { return cachedloop(v[0], 4); }, {0.5}, {dx}); }
}

// (out_i + 3 x_i^2) with out = (1, 2)
// OUT:      scale_acc: 7.750000 2.750000
// OUT-NEXT: gradcheck scale_acc: ok
// (x^2 + 1)^2: 4x (x^2 + 1)
// OUT-NEXT: incr: 19.500000
// OUT-NEXT: gradcheck incr: ok
// 2x^2, then -x^3
// OUT-NEXT: branchlocal: 6.000000
// OUT-NEXT: gradcheck branchlocal: ok
// OUT-NEXT: branchlocal: -6.750000
// OUT-NEXT: gradcheck branchlocal: ok
// OUT-NEXT: bothret: 3.000000
// OUT-NEXT: gradcheck bothret: ok
// OUT-NEXT: bothret: 1.648721
// OUT-NEXT: gradcheck bothret: ok
// (x + x^2 + x^3)(2x + 4x^2): A' B + A B' = 4.1875 * 3.75 + 1.734375 * 8
// OUT-NEXT: calleeloop: 29.578125
// OUT-NEXT: gradcheck calleeloop: ok
// OUT-NEXT: stat: 1.687500
// OUT-NEXT: gradcheck stat: ok
// x / |x|
// OUT-NEXT: ptrcall: 0.333333 0.666667 0.666667
// OUT-NEXT: gradcheck ptrcall: ok
// OUT-NEXT: cref: 3.000000
// OUT-NEXT: gradcheck cref: ok
// (cos x + sin x) e^x
// OUT-NEXT: fglobal: 2.23732{{[0-9]}}
// OUT-NEXT: gradcheck fglobal: ok
// 2x, -1, -sin x
// OUT-NEXT: tern: 5.000000
// OUT-NEXT: gradcheck tern: ok
// OUT-NEXT: tern: -1.000000
// OUT-NEXT: gradcheck tern: ok
// OUT-NEXT: tern: -0.099833
// OUT-NEXT: gradcheck tern: ok
// ((x4 + 1) x2 + 1) x0 + 1
// OUT-NEXT: step2: 1.000000 0.000000 0.000000 0.000000 0.500000
// OUT-NEXT: gradcheck step2: ok
// forward recurrence y' <- y' (1 + (-e (1 + sin y) - e cos y) / (1 + sin y)^2), e = exp(-y)
// OUT-NEXT: cachedloop: 0.162061
// OUT-NEXT: gradcheck cachedloop: ok
