// To-be-recorded analysis: a value is saved before it is overwritten only if
// the reverse sweep reads it afterwards, i.e. some adjoint that runs later in
// the reverse sweep (a statement before the write, or anywhere in a loop
// around it) reads it. Linear updates (s += e) and plain returns read nothing.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

// s is read in reverse only by log(s), after the loop: the loop's updates of
// s are not taped.
ADJOINT_GRAD(x, a) double lse(const double *x, double a, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i)
    s += std::exp(a * x[i]);
  return std::log(s) / a;
}
// Only exp's value is taped, for its rule.
// CHECK-LABEL: double lse_vjp(const double * __restrict x, double a, int n, double _seed, double *_d_x, double &_d_a) {
// CHECK:        while (i < n) {
// CHECK-NEXT:     _t0 = std::exp(a * x[i]);
// CHECK-NEXT:     _tape.push(_t0);
// CHECK-NEXT:     s += _t0;
// CHECK-NEXT:     ++i;
// CHECK-NEXT:   }
// CHECK-NOT:    _tape
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     --i;
// CHECK-NEXT:     _t0 = _tape.pop<double>();
// CHECK-NEXT:     double _r0 = _d_s;
// CHECK-LABEL: lse_forward

// The product reads s inside the loop, before the update: every iteration's
// value is needed, so the update is taped even though it is linear.
ADJOINT_GRAD(x) double readfirst(const double *x, int n) {
  double s = 1.0, y = 0.0;
  for (int i = 0; i < n; ++i) {
    y += s * x[i];
    s += x[i];
  }
  return y;
}
// CHECK-LABEL: double readfirst_vjp(const double * __restrict x, int n, double _seed, double *_d_x) {
// CHECK:          y += s * x[i];
// CHECK-NEXT:     _tape.push(s);
// CHECK-NEXT:     s += x[i];
// CHECK:          s = _tape.pop<double>();

// t is read by u's adjoint, which runs after t's overwrite is undone: saved.
// The final write of u is read by nothing earlier: not saved.
ADJOINT_GRAD(x, y) double straight(double x, double y) {
  double t = x * x;
  double u = t * y;
  t = y + 1.0;
  u = u + t * t;
  return u;
}
// CHECK-LABEL: double straight_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK:        double u = t * y;
// CHECK-NEXT:   _t0 = t;
// CHECK-NEXT:   t = y + 1.0;
// CHECK-NEXT:   u = u + t * t;
// CHECK-NEXT:   double _ret0 = u;
// CHECK:        t = _t0;
// CHECK-NOT:    _t1

// A value overwritten twice in a loop, read by a product at the loop's end:
// both writes come before the read in the same iteration, yet the reads of
// earlier iterations run after them in reverse, so both are taped.
ADJOINT_GRAD(x) double twice(const double *x, int n) {
  double v = 0.0, p = 1.0;
  for (int i = 0; i < n; ++i) {
    v = x[i] + 1.0;
    v = v * v;
    p = p * v;
  }
  return p;
}
// CHECK-LABEL: double twice_vjp(const double * __restrict x, int n, double _seed, double *_d_x) {
// CHECK:          _tape.push(v);
// CHECK-NEXT:     v = x[i] + 1.0;
// CHECK-NEXT:     _tape.push(v);
// CHECK-NEXT:     v = v * v;
// CHECK-NEXT:     _tape.push(p);
// CHECK-NEXT:     p = p * v;

// An increment of a value nobody read before it: no save.
ADJOINT_GRAD(x) double bump(double x) {
  double y = x * x;
  y += 1.0;
  y *= x;
  return y;
}
// CHECK-LABEL: double bump_vjp(double x, double _seed, double &_d_x) {
// CHECK:        double y = x * x;
// CHECK-NEXT:   y += 1.0;
// CHECK-NEXT:   _t0 = y;
// CHECK-NEXT:   y *= x;

// y is declared in the outer loop's body: its declaration restores the
// previous iteration's value, so the inner loop's updates, read only after the
// inner loop, need no tape (the GMM objective's inner product).
ADJOINT_GRAD(x) double rows(const double *x, int n) {
  double s = 0.0;
  for (int j = 0; j < n; ++j) {
    double y = x[j] * x[j];
    for (int i = 0; i < j; ++i)
      y += x[i] * x[j];
    s += y * y;
  }
  return s;
}
// CHECK-LABEL: double rows_vjp(const double * __restrict x, int n, double _seed, double *_d_x) {
// CHECK:          _tape.push(y);
// CHECK-NEXT:     y = x[j] * x[j];
// CHECK-NOT:      _tape.push(y)
// CHECK:          s += y * y;

int main() {
  // Split mode is generated for the functions a file names; the checks
  // above read its unfused reverse sweep.
  (void)&lse_forward;
  (void)&rows_forward;
  using V = std::vector<double>;
  const double xs[] = {0.3, -1.2, 0.7, 2.0, -0.4};
  for (int n : {5, 1, 0}) {
    double dx[5] = {0}, da = 0;
    if (n == 0) {
      // log(0): the value is -inf; only check that nothing crashes.
      lse_grad(xs, 1.5, n, dx, da);
      std::printf("lse n=0 ran\n");
      continue;
    }
    lse_grad(xs, 1.5, n, dx, da);
    V Point(xs, xs + n), Grad(dx, dx + n);
    Point.push_back(1.5);
    Grad.push_back(da);
    lit::check("lse", [n](const V &v) { return lse(v.data(), v[n], n); }, Point, Grad);
  }
  for (int n : {5, 2, 0}) {
    double dx[5] = {0};
    readfirst_grad(xs, n, dx);
    lit::check("readfirst", [n](const V &v) { return readfirst(v.data(), n); },
               V(xs, xs + n), V(dx, dx + n));
  }
  {
    double dx = 0, dy = 0;
    straight_grad(1.5, -0.5, dx, dy);
    lit::check("straight", [](const V &v) { return straight(v[0], v[1]); }, {1.5, -0.5}, {dx, dy});
  }
  for (int n : {4, 1}) {
    double dx[5] = {0};
    twice_grad(xs, n, dx);
    lit::check("twice", [n](const V &v) { return twice(v.data(), n); },
               V(xs, xs + n), V(dx, dx + n));
  }
  for (int n : {5, 1, 0}) {
    double dx[5] = {0};
    rows_grad(xs, n, dx);
    lit::check("rows", [n](const V &v) { return rows(v.data(), n); },
               V(xs, xs + n), V(dx, dx + n));
  }
  {
    double dx = 0;
    bump_grad(1.5, dx);
    lit::check("bump", [](const V &v) { return bump(v[0]); }, {1.5}, {dx});
  }
}

// OUT:      lse:
// OUT-NEXT: gradcheck lse: ok
// OUT-NEXT: lse:
// OUT-NEXT: gradcheck lse: ok
// OUT-NEXT: lse n=0 ran
// OUT-NEXT: readfirst:
// OUT-NEXT: gradcheck readfirst: ok
// OUT-NEXT: readfirst:
// OUT-NEXT: gradcheck readfirst: ok
// d y / d x_i = s_i = 1 + sum_{j<i} x_j: nothing for n = 0
// OUT-NEXT: readfirst:{{$}}
// OUT-NEXT: gradcheck readfirst: ok
// u = x^2 y + (y + 1)^2: (2 x y, x^2 + 2 (y + 1)) = (-1.5, 3.25)
// OUT-NEXT: straight: -1.500000 3.250000
// OUT-NEXT: gradcheck straight: ok
// OUT-NEXT: twice:
// OUT-NEXT: gradcheck twice: ok
// OUT-NEXT: twice:
// OUT-NEXT: gradcheck twice: ok
// OUT-NEXT: rows:
// OUT-NEXT: gradcheck rows: ok
// OUT-NEXT: rows:
// OUT-NEXT: gradcheck rows: ok
// OUT-NEXT: rows:{{$}}
// OUT-NEXT: gradcheck rows: ok
// y = (x^2 + 1) x: 3 x^2 + 1
// OUT-NEXT: bump: 7.750000
// OUT-NEXT: gradcheck bump: ok
