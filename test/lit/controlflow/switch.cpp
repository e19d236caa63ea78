// switch: the segment entered is recorded as a case index (_sK) and the
// forward sweep switches on it, with the user's fallthrough; break records
// the switch's exit. Segment J's reverse runs when the entry was at or
// before it and the exit after the statement.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

ADJOINT_GRAD(x) double sw(double x, int k) {
  double y = x;
  switch (k) {
  case 0:
    y = y * x;
  case 1:
    y = y * 3.0;
    break;
  case 2:
  case 3:
    y = std::sin(y);
    break;
  default:
    y = y + x * x;
  }
  return y;
}
// CHECK-LABEL: double sw_vjp(double x, int k, double _seed, double &_d_x) {
// CHECK:        _s0 = k == 0 ? 0 : k == 1 ? 1 : k == 2 || k == 3 ? 2 : 3;
// CHECK-NEXT:   _p0 = 3;
// CHECK-NEXT:   switch (_s0) {
// CHECK-NEXT:     case 0: {
// CHECK-NEXT:       _t0 = y;
// CHECK-NEXT:       y = y * x;
// CHECK-NEXT:     }
// CHECK-NEXT:     case 1: {
// CHECK-NEXT:       _t1 = y;
// CHECK-NEXT:       y = y * 3.0;
// CHECK-NEXT:       _p0 = 1;
// CHECK-NEXT:       break;
// CHECK-NEXT:     }
// CHECK:          case 3: {
// CHECK:        _d_y += _seed;
// CHECK-NEXT:   if (_s0 <= 3) {
// CHECK-NEXT:     if (_p0 == 3) {
// CHECK-NEXT:       y = _t3;
// CHECK:        if (_s0 <= 2) {
// CHECK-NEXT:     if (_p0 > 1) {
// CHECK-NEXT:       y = _t2;
// CHECK:        if (_s0 <= 1) {
// CHECK-NEXT:     y = _t1;
// CHECK:        if (_s0 == 0) {
// CHECK-NEXT:     y = _t0;

// A switch in a loop: break leaves the switch, continue the loop (through
// the switch's exit); the case index and exit go on the tape.
ADJOINT_GRAD(x) double swloop(double x, int n) {
  double y = x;
  for (int i = 0; i < n; ++i) {
    switch (i % 3) {
    case 0:
      y = y * x;
      break;
    case 1:
      if (y > 2.0)
        continue;
      y = y + 1.0;
    default:
      y = y * 0.5;
    }
    y = y + x;
  }
  return y;
}
// CHECK-LABEL: double swloop_vjp(double x, int n, double _seed, double &_d_x) {
// CHECK:          _s0 = (i % 3) == 0 ? 0 : (i % 3) == 1 ? 1 : 2;
// CHECK-NEXT:     _p1 = 3;
// CHECK-NEXT:     switch (_s0) {
// CHECK:            case 1: {
// CHECK-NEXT:         if (y > 2.0) {
// CHECK-NEXT:           _p1 = 2;
// CHECK-NEXT:           break;
// CHECK-NEXT:         }
// CHECK:          _tape.push(_s0);
// CHECK-NEXT:     _tape.push(_p1);
// CHECK-NEXT:     if (_p1 == 2) {
// CHECK-NEXT:       ++i;
// CHECK-NEXT:       _p0 = 1;
// CHECK-NEXT:       _tape.push(_p0);
// CHECK-NEXT:       continue;
// CHECK-NEXT:     }
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     _p0 = _tape.pop<int>();
// CHECK-NEXT:     if (_p0 == 2) {
// CHECK:          _p1 = _tape.pop<int>();
// CHECK-NEXT:     _s0 = _tape.pop<int>();

// Every case returns.
ADJOINT_GRAD(x) double swret(double x, int k) {
  switch (k) {
  case 0:
    return x * x;
  default:
    return x * 3.0;
  }
}
// CHECK-LABEL: double swret_vjp(double x, int k, double _seed, double &_d_x) {
// CHECK:        _s0 = k == 0 ? 0 : 1;
// CHECK:            _ret0 = x * x;
// CHECK-NEXT:       _p1 = 1;
// CHECK-NEXT:       break;

// The last case shares the default's block, which returns at its end
// (outside code: it was rejected as "may end without 'return'").
ADJOINT_GRAD(x) double swblock(double x, int k) {
  switch (k) {
  case 0:
    return x * x;
  case 1:
  default: {
    double v = 2.0 * x;
    return v > 0 ? v * x : 0.0;
  }
  }
}
// CHECK-LABEL: double swblock_vjp(double x, int k, double _seed, double &_d_x) {

int main() {
  using V = std::vector<double>;
  for (int k : {0, 1, 2}) {
    double dx = 0;
    swblock_grad(0.7, k, dx);
    lit::check("swblock", [k](const V &v) { return swblock(v[0], k); }, {0.7}, {dx});
  }
  for (int k : {0, 1, 2, 3, 4}) {
    double dx = 0;
    sw_grad(0.7, k, dx);
    lit::check("sw", [k](const V &v) { return sw(v[0], k); }, {0.7}, {dx});
  }
  for (double x : {1.3, 0.5})
    for (int n : {0, 2, 4}) {
      double dx = 0;
      swloop_grad(x, n, dx);
      lit::check("swloop", [n](const V &v) { return swloop(v[0], n); }, {x}, {dx});
    }
  for (int k : {0, 1}) {
    double dx = 0;
    swret_grad(0.7, k, dx);
    lit::check("swret", [k](const V &v) { return swret(v[0], k); }, {0.7}, {dx});
  }
}

// OUT:      swblock: 1.400000
// OUT-NEXT: gradcheck swblock: ok
// OUT-NEXT: swblock: 2.800000
// OUT-NEXT: gradcheck swblock: ok
// OUT-NEXT: swblock: 2.800000
// OUT-NEXT: gradcheck swblock: ok
// k = 0 falls through: 3x^2; k = 1: 3x; k = 2, 3: sin x; default: x + x^2
// OUT-NEXT: sw: 4.200000
// OUT-NEXT: gradcheck sw: ok
// OUT-NEXT: sw: 3.000000
// OUT-NEXT: gradcheck sw: ok
// OUT-NEXT: sw: 0.764842
// OUT-NEXT: gradcheck sw: ok
// OUT-NEXT: sw: 0.764842
// OUT-NEXT: gradcheck sw: ok
// OUT-NEXT: sw: 2.400000
// OUT-NEXT: gradcheck sw: ok
// x = 1.3: n = 0: x; n = 2: x^2 + x, then 2.99 > 2 continues: 2x + 1;
// n = 4: 0.5x^3 + 1.5x^2 + x: 1.5x^2 + 3x + 1
// OUT-NEXT: swloop: 1.000000
// OUT-NEXT: gradcheck swloop: ok
// OUT-NEXT: swloop: 3.600000
// OUT-NEXT: gradcheck swloop: ok
// OUT-NEXT: swloop: 7.435000
// OUT-NEXT: gradcheck swloop: ok
// x = 0.5: n = 2: (x^2 + x + 1) / 2 + x: x + 1.5; n = 4 (no continue):
// 0.25x^3 + 1.75x^2 + 1.25x: 0.75x^2 + 3.5x + 1.25
// OUT-NEXT: swloop: 1.000000
// OUT-NEXT: gradcheck swloop: ok
// OUT-NEXT: swloop: 2.000000
// OUT-NEXT: gradcheck swloop: ok
// OUT-NEXT: swloop: 3.187500
// OUT-NEXT: gradcheck swloop: ok
// OUT-NEXT: swret: 1.400000
// OUT-NEXT: gradcheck swret: ok
// OUT-NEXT: swret: 3.000000
// OUT-NEXT: gradcheck swret: ok
