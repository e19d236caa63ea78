// Calls to user functions with visible bodies get generated pullbacks.
// RUN: rm -rf %t && mkdir -p %t
// The code checked below is the taped code (-fplugin-arg-adjoint-no-fusion);
// the gradients are checked with and without loop fusion.
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-no-fusion -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -I%S/Inputs %s -o %t/fused.out %adjoint_link
// RUN: %t/fused.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

double sq(double v) { return v * v; }

double cube(double v) { return sq(v) * v; }

double scaled(double v, int k) { return v * k; }

ADJOINT_GRAD(x) double nested(double x) { return cube(std::sin(x)) + sq(sq(x)); }
// cube keeps a computed value, sq(v), for its reverse sweep: its calls are
// split-mode calls. Its forward function fills a record; its reverse function
// takes the record instead of the arguments and does not call sq again.
// CHECK-LABEL: struct cube_pullback_record {
// CHECK-NEXT:   double v;
// CHECK-NEXT:   double _t0;
// CHECK-NEXT: };
// CHECK-NEXT: double cube_pullback_forward(double v, cube_pullback_record &_rec) {
// CHECK-NEXT:   double _t0;
// CHECK-NEXT:   _t0 = sq(v);
// CHECK-NEXT:   double _ret0 = _t0 * v;
// CHECK-NEXT:   _rec.v = v;
// CHECK-NEXT:   _rec._t0 = _t0;
// CHECK-NEXT:   return _ret0;
// CHECK-NEXT: }
// CHECK-NEXT: void cube_pullback_reverse(const cube_pullback_record &_rec, double _d_return, double &_d_v) {
// CHECK-NEXT:   double v = _rec.v;
// CHECK-NEXT:   double _t0 = _rec._t0;
// CHECK-NEXT:   double _r0 = 0;
// CHECK-NEXT:   ::sq_pullback(v, _d_return * v, _r0);
// CHECK-NEXT:   _d_v += _r0;
// CHECK-NEXT:   _d_v += _t0 * _d_return;
// CHECK-NEXT: }
// Nested calls: the pullbacks run outside in. The argument of the split call
// is not needed in the reverse sweep, so it is not cached; the argument of
// sq is.
// CHECK-LABEL: double nested_vjp(double x, double _seed, double &_d_x) {
// CHECK:        _t0 = ::cube_pullback_forward(std::sin(x), _rec0);
// CHECK-NEXT:   _t1 = sq(x);
// CHECK-NEXT:   double _ret0 = _t0 + sq(_t1);
// CHECK-NEXT:   double _r0 = 0;
// CHECK-NEXT:   ::cube_pullback_reverse(_rec0, _seed, _r0);
// CHECK-NEXT:   double _r1 = 0;
// CHECK-NEXT:   ::adjoint::derivatives::sin_pullback(x, _r0, _r1);
// CHECK-NEXT:   _d_x += _r1;
// CHECK-NEXT:   double _r2 = 0;
// CHECK-NEXT:   ::sq_pullback(_t1, _seed, _r2);
// CHECK-NEXT:   double _r3 = 0;
// CHECK-NEXT:   ::sq_pullback(x, _r2, _r3);
// CHECK-NEXT:   _d_x += _r3;

// The same callee twice with different arguments.
ADJOINT_GRAD(x, y) double twice(double x, double y) {
  double a = sq(x);
  double b = sq(x * y);
  return a + b;
}
// CHECK-LABEL: double twice_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK:        ::sq_pullback(x * y, _d_b, _r1);
// CHECK-NEXT:   _d_x += _r1 * y;
// CHECK-NEXT:   _d_y += x * _r1;
// CHECK:        ::sq_pullback(x, _d_a, _r0);
// CHECK-NEXT:   _d_x += _r0;

// A call in a loop, with an integer argument.
ADJOINT_GRAD(x) double inloop(double x, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i)
    s += scaled(x, i) * x;
  return s;
}
// The call's value is taped in the loop; the loop counter is restored by
// decrementing it.
// CHECK-LABEL: double inloop_vjp(double x, int n, double _seed, double &_d_x) {
// CHECK-NOT:    _d_n
// CHECK-NOT:    _d_i
// CHECK:        while (i < n) {
// CHECK-NEXT:     _t0 = scaled(x, i);
// CHECK-NEXT:     _tape.push(_t0);
// CHECK-NEXT:     s += _t0 * x;
// CHECK-NEXT:     ++i;
// CHECK-NEXT:   }
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     --i;
// CHECK-NEXT:     _t0 = _tape.pop<double>();
// CHECK:          ::scaled_pullback(x, i, _r0 * x, _r1);
// CHECK-NEXT:     _d_x += _r1;
// CHECK-NEXT:     _d_x += _t0 * _r0;
// CHECK-NEXT:   }

// Recursion: the callee's pullback calls itself.
double power(double v, int n) {
  if (n == 0)
    return 1.0;
  return v * power(v, n - 1);
}

ADJOINT_GRAD(x) double rec(double x) { return power(x, 4); }
// CHECK-LABEL: double rec_vjp(double x, double _seed, double &_d_x) {
// CHECK:        ::power_pullback(x, 4, _seed, _r0);

// Two parameters of the callee, one of them inactive at the call site.
double affine(double a, double b) { return 2.0 * a + b * a; }

ADJOINT_GRAD(x) double partial(double x, double c) { return affine(x, c) + affine(c, x); }
// Only the adjoints of active arguments are propagated.
// CHECK-LABEL: double partial_vjp(double x, double c, double _seed, double &_d_x) {
// CHECK-NOT:    _d_c
// CHECK:        ::affine_pullback(x, c, _seed, _r0, _r1);
// CHECK-NEXT:   _d_x += _r0;
// CHECK-NEXT:   double _r2 = 0;
// CHECK-NEXT:   double _r3 = 0;
// CHECK-NEXT:   ::affine_pullback(c, x, _seed, _r2, _r3);
// CHECK-NEXT:   _d_x += _r3;
// CHECK-NEXT:   return _ret0;

// The pullbacks of the callees that recompute nothing (or recurse), each
// generated once.
// CHECK-LABEL: void affine_pullback(double a, double b, double _d_return, double &_d_a, double &_d_b) {
// CHECK-NEXT:   _d_a += 2.0 * _d_return;
// CHECK-NEXT:   _d_b += _d_return * a;
// CHECK-NEXT:   _d_a += b * _d_return;
// CHECK-NEXT: }
// CHECK-LABEL: void power_pullback(double v, int n, double _d_return, double &_d_v) {
// CHECK:        if (!_c0) {
// CHECK-NEXT:     _d_v += _d_return * _t0;
// CHECK-NEXT:     double _r0 = 0;
// CHECK-NEXT:     ::power_pullback(v, n - 1, v * _d_return, _r0);
// CHECK-NEXT:     _d_v += _r0;
// CHECK-NEXT:   }
// CHECK-LABEL: void scaled_pullback(double v, int k, double _d_return, double &_d_v) {
// CHECK-NEXT:   _d_v += _d_return * k;
// CHECK-NEXT: }
// CHECK-LABEL: void sq_pullback(double v, double _d_return, double &_d_v) {
// CHECK-NEXT:   _d_v += 2 * v * _d_return;
// CHECK-NEXT: }
// CHECK-NOT:  _pullback, from

int main() {
  using V = std::vector<double>;
  {
    double dx = 0;
    nested_grad(0.5, dx);
    lit::check("nested", [](const V &v) { return nested(v[0]); }, {0.5}, {dx});
  }
  {
    double dx = 0, dy = 0;
    twice_grad(1.5, 2.0, dx, dy);
    lit::check("twice", [](const V &v) { return twice(v[0], v[1]); }, {1.5, 2.0}, {dx, dy});
  }
  {
    double dx = 0;
    inloop_grad(1.5, 4, dx);
    lit::check("inloop", [](const V &v) { return inloop(v[0], 4); }, {1.5}, {dx});
  }
  {
    double dx = 0;
    rec_grad(1.5, dx);
    lit::check("rec", [](const V &v) { return rec(v[0]); }, {1.5}, {dx});
  }
  {
    double dx = 0;
    partial_grad(1.5, 3.0, dx);
    lit::check("partial", [](const V &v) { return partial(v[0], 3.0); }, {1.5}, {dx});
  }
}

// sin^3 x + x^4: 3 sin^2 x cos x + 4 x^3
// OUT:      nested: 1.105134
// OUT-NEXT: gradcheck nested: ok
// x^2 + x^2 y^2: (2x + 2xy^2, 2x^2 y)
// OUT-NEXT: twice: 15.000000 9.000000
// OUT-NEXT: gradcheck twice: ok
// (0 + 1 + 2 + 3) x^2
// OUT-NEXT: inloop: 18.000000
// OUT-NEXT: gradcheck inloop: ok
// 4 x^3
// OUT-NEXT: rec: 13.500000
// OUT-NEXT: gradcheck rec: ok
// (2x + cx) + (2c + cx): 2 + 2c
// OUT-NEXT: partial: 8.000000
// OUT-NEXT: gradcheck partial: ok
