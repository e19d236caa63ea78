// for, while and do loops with data-dependent trip counts: the trip count is
// recorded, overwritten values go on the tape, and nested loops keep a count
// per iteration of the outer loop.
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

// x^n by repeated multiplication: t is overwritten in every iteration.
ADJOINT_GRAD(x) double powloop(double x, int n) {
  double t = 1.0;
  for (int i = 0; i < n; ++i)
    t = t * x;
  return t;
}
// CHECK-LABEL: double powloop_vjp(double x, int n, double _seed, double &_d_x) {
// CHECK-NOT:    _d_n
// CHECK-NOT:    _d_i
// A counted loop: the reverse sweep computes the trip count and the counter
// from the header instead of taping them.
// CHECK:        unsigned long _n0 = 0;
// CHECK:        ::adjoint::Tape _tape;
// CHECK:        {{^  }}i = 0;
// CHECK-NEXT:   while (i < n) {
// CHECK-NEXT:     _tape.push(t);
// CHECK-NEXT:     t = t * x;
// CHECK-NEXT:     ++i;
// CHECK-NEXT:   }
// CHECK-NEXT:   double _ret0 = t;
// CHECK-NEXT:   _d_t += _seed;
// CHECK-NEXT:   i = 0;
// CHECK-NEXT:   _n0 = i < n ? static_cast<unsigned long>(n - i) : 0;
// CHECK-NEXT:   i += static_cast<int>(_n0);
// CHECK-NEXT:   for (; _n0; --_n0) {
// CHECK-NEXT:     --i;
// CHECK-NEXT:     t = _tape.pop<double>();
// CHECK-NEXT:     double _r0 = _d_t;
// CHECK-NEXT:     _d_t = _r0 * x;
// CHECK-NEXT:     _d_x += t * _r0;
// CHECK-NEXT:   }
// CHECK-NEXT:   return _ret0;

// A while loop with its own counter.
ADJOINT_GRAD(x, y) double whileloop(double x, double y, int n) {
  double s = y;
  int i = 0;
  while (i < n) {
    s = std::sin(s) * x + y;
    i += 1;
  }
// CHECK-LABEL: double whileloop_vjp(double x, double y, int n, double _seed, double &_d_x, double &_d_y) {
// CHECK:        while (i < n) {
// CHECK-NEXT:     ++_n0;
// CHECK-NEXT:     _tape.push(s);
// CHECK-NEXT:     _t0 = std::sin(s);
// CHECK-NEXT:     _tape.push(_t0);
// CHECK-NEXT:     s = _t0 * x + y;
// CHECK-NEXT:     i += 1;
// CHECK-NEXT:   }
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     _t0 = _tape.pop<double>();
// CHECK-NEXT:     s = _tape.pop<double>();
// CHECK:          ::adjoint::derivatives::sin_pullback(s, _r0 * x, _r1);
// CHECK:        _d_y += _d_s;
  return s;
}

// A do loop runs at least once.
ADJOINT_GRAD(x) double doloop(double x, int n) {
  double p = x;
  int k = n;
  do {
    p = p * p * 0.5 + x;
    k = k - 1;
  } while (k > 0);
  return p;
}
// CHECK-LABEL: double doloop_vjp(double x, int n, double _seed, double &_d_x) {
// CHECK:        do {
// CHECK-NEXT:     ++_n0;
// CHECK-NEXT:     _tape.push(p);
// CHECK-NEXT:     p = p * p * 0.5 + x;
// CHECK-NEXT:     k = k - 1;
// CHECK-NEXT:   }
// CHECK-NEXT:   while (k > 0);
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     p = _tape.pop<double>();

// A loop whose condition depends on an active value.
ADJOINT_GRAD(x) double halve(double x) {
  double h = x;
  double s = 0.0;
  while (h > 0.1) {
    s += h * h;
    h = h / 2.0;
  }
  return s;
}
// CHECK-LABEL: double halve_vjp(double x, double _seed, double &_d_x) {
// CHECK:        while (h > 0.1) {
// CHECK-NEXT:     ++_n0;
// CHECK-NEXT:     s += h * h;
// CHECK-NEXT:     _tape.push(h);
// CHECK-NEXT:     h = h / 2.0;
// CHECK-NEXT:   }
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     h = _tape.pop<double>();
// CHECK-NEXT:     double _r1 = _d_h;
// CHECK-NEXT:     _d_h = _r1 / 2.0;
// CHECK-NEXT:     double _r0 = _d_s;
// CHECK-NEXT:     _d_h += 2 * h * _r0;
// CHECK-NEXT:   }
// CHECK-NEXT:   _d_x += _d_h;

// Triangular nested loop.
ADJOINT_GRAD(x) double triangle(double x, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i) {
    double t = x;
    for (int j = 0; j < i; ++j)
      t = t * x;
    s += t;
  }
  return s;
}
// The inner loop's trip count is the outer counter: nothing but t is taped.
// CHECK-LABEL: double triangle_vjp(double x, int n, double _seed, double &_d_x) {
// CHECK:        while (i < n) {
// CHECK-NEXT:     _tape.push(t);
// CHECK-NEXT:     t = x;
// CHECK-NEXT:     j = 0;
// CHECK-NEXT:     while (j < i) {
// CHECK-NEXT:       _tape.push(t);
// CHECK-NEXT:       t = t * x;
// CHECK-NEXT:       ++j;
// CHECK-NEXT:     }
// CHECK-NEXT:     s += t;
// CHECK-NEXT:     ++i;
// CHECK-NEXT:   }
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     --i;
// CHECK:          j = 0;
// CHECK-NEXT:     _n1 = j < i ? static_cast<unsigned long>(i - j) : 0;
// CHECK-NEXT:     j += static_cast<int>(_n1);
// CHECK-NEXT:     for (; _n1; --_n1) {
// CHECK-NEXT:       --j;
// CHECK-NEXT:       t = _tape.pop<double>();
// CHECK:          t = _tape.pop<double>();
// CHECK-NEXT:     double _r0 = _d_t;
// CHECK-NEXT:     _d_t = 0;
// CHECK-NEXT:     _d_x += _r0;
// CHECK-NEXT:   }

// Branch inside a loop, on an active value.
ADJOINT_GRAD(x) double bounce(double x, int n) {
  double y = x;
  for (int i = 0; i < n; ++i) {
    if (y > 1.0)
      y = y / 2.0 + x;
    else
      y = y * 3.0;
  }
  return y;
}
// The branch decision of each iteration goes on the tape after the branch;
// both updates are linear in y, so y itself is not saved.
// CHECK-LABEL: double bounce_vjp(double x, int n, double _seed, double &_d_x) {
// CHECK:          _c0 = y > 1.0;
// CHECK-NEXT:     if (_c0) {
// CHECK-NEXT:       y = y / 2.0 + x;
// CHECK-NEXT:     }
// CHECK-NEXT:     else {
// CHECK-NEXT:       y = y * 3.0;
// CHECK-NEXT:     }
// CHECK-NEXT:     _tape.push(_c0);
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     --i;
// CHECK-NEXT:     _c0 = _tape.pop<bool>();
// CHECK-NEXT:     if (_c0) {
// CHECK-NEXT:       double _r0 = _d_y;
// CHECK:          else {
// CHECK-NEXT:       double _r1 = _d_y;

int main() {
  using V = std::vector<double>;
  for (int n : {5, 0}) {
    double dx = 0;
    powloop_grad(1.5, n, dx);
    lit::check("powloop", [n](const V &v) { return powloop(v[0], n); }, {1.5}, {dx});
  }
  for (int n : {3, 0}) {
    double dx = 0, dy = 0;
    whileloop_grad(0.5, 0.25, n, dx, dy);
    lit::check("whileloop", [n](const V &v) { return whileloop(v[0], v[1], n); }, {0.5, 0.25}, {dx, dy});
  }
  for (int n : {2, 0}) {
    double dx = 0;
    doloop_grad(0.5, n, dx);
    lit::check("doloop", [n](const V &v) { return doloop(v[0], n); }, {0.5}, {dx});
  }
  {
    double dx = 0;
    halve_grad(1.0, dx);
    lit::check("halve", [](const V &v) { return halve(v[0]); }, {1.0}, {dx});
  }
  for (int n : {4, 0}) {
    double dx = 0;
    triangle_grad(1.5, n, dx);
    lit::check("triangle", [n](const V &v) { return triangle(v[0], n); }, {1.5}, {dx});
  }
  {
    double dx = 0;
    bounce_grad(1.5, 4, dx);
    lit::check("bounce", [](const V &v) { return bounce(v[0], 4); }, {1.5}, {dx});
  }
}

// 5 x^4, then n = 0: the loop never runs
// OUT:      powloop: 25.312500
// OUT-NEXT: gradcheck powloop: ok
// OUT-NEXT: powloop: 0.000000
// OUT-NEXT: gradcheck powloop: ok
// OUT-NEXT: whileloop: 0.637173 1.767636
// OUT-NEXT: gradcheck whileloop: ok
// OUT-NEXT: whileloop: 0.000000 1.000000
// OUT-NEXT: gradcheck whileloop: ok
// p1 = x^2/2 + x, p2 = p1^2/2 + x: p1 (x + 1) + 1, then x + 1
// OUT-NEXT: doloop: 1.937500
// OUT-NEXT: gradcheck doloop: ok
// OUT-NEXT: doloop: 1.500000
// OUT-NEXT: gradcheck doloop: ok
// x^2 (1 + 1/4 + 1/16 + 1/64)
// OUT-NEXT: halve: 2.656250
// OUT-NEXT: gradcheck halve: ok
// 1 + 2x + 3x^2 + 4x^3
// OUT-NEXT: triangle: 24.250000
// OUT-NEXT: gradcheck triangle: ok
// OUT-NEXT: triangle: 0.000000
// OUT-NEXT: gradcheck triangle: ok
// y = y/2 + x four times
// OUT-NEXT: bounce: 1.937500
// OUT-NEXT: gradcheck bounce: ok
