// Combinations: continue, break and return in nested loops and in both
// branches of an if/else (the condition of a branch left by an exit is
// derived from the exit), zero-trip loops, two loops with returns (the
// function body records which one returned), and a renamed loop counter in
// the second loop.
// RUN: rm -rf %t && mkdir -p %t
// The code checked below is the taped code (-fplugin-arg-adjoint-no-fusion);
// the gradients are checked with and without loop fusion.
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-no-fusion -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT --implicit-check-not=FAILED
// RUN: %adjoint_cxx -I%S/../scalar/Inputs %s -o %t/fused.out %adjoint_link
// RUN: %t/fused.out | FileCheck %s --check-prefix=OUT --implicit-check-not=FAILED
#include "check.h"
#include <cmath>

ADJOINT_GRAD(x) double mix(double x, int n) {
  double s = x;
  for (int i = 0; i < n; ++i) {
    int j = 0;
    while (j < n) {
      j++;
      if (j % 3 == 0) {
        s = s * 1.1;
        continue;
      } else if (j == 5) {
        s = s + x;
        break;
      }
      s = std::sin(s) + x * j;
      if (s > 40.0)
        return s * x;
    }
    if (i == 3) {
      s = s * x;
      break;
    } else {
      s = s - 0.5;
      if (s < -100.0) continue;
    }
    s = s * 0.9;
  }
  return s;
}

ADJOINT_GRAD(x) double zerotrip(double x, int n) {
  double s = x;
  for (int i = 0; i < n; ++i) {
    if (i == 2) break;
    if (i == 0) continue;
    s = s * x;
  }
  return s;
}

ADJOINT_GRAD(x) double retboth(double x, int n) {
  double s = x;
  for (int i = 0; i < n; ++i) {
    if (s > 3.0) {
      s = s * 2.0;
      return s;
    } else {
      s = s * x;
      if (s < 0.01) return 0.0;
    }
  }
  for (int i = 0; i < n; ++i) {
    s = s + x;
    if (s > 10.0) return s * s;
  }
  return s;
}

// CHECK-LABEL: double mix_vjp(double x, int n, double _seed, double &_d_x) {
// Exits in both branches: then (continue) is exit 1, else (break) exit 2.
// CHECK:              _p2 = 1;
// CHECK-NEXT:         _tape.push(_p2);
// CHECK-NEXT:         continue;
// CHECK:              _p2 = 2;
// CHECK-NEXT:         _tape.push(_p2);
// CHECK-NEXT:         break;
// CHECK:          _tape.push(_n1);
// CHECK-NEXT:     if (_p2 == 3) {
// CHECK-NEXT:       _p1 = 1;
// CHECK-NEXT:       _tape.push(_p1);
// CHECK-NEXT:       break;
// CHECK-NEXT:     }
// CHECK:          _c3 = _p1 == 2 || (_p1 > 3 && _tape.pop<bool>());
// CHECK:            _c1 = _p2 == 1 || (_p2 > 2 && _tape.pop<bool>());

// CHECK-LABEL: double retboth_vjp(double x, int n, double _seed, double &_d_x) {
// CHECK:        if (_p1 == 1 || _p1 == 2) {
// CHECK-NEXT:     _p0 = 1;
// CHECK-NEXT:   }
// CHECK-NEXT:   if (_p0 > 1) {
// CHECK-NEXT:     i_1 = 0;
// CHECK:          while (i_1 < n) {
// CHECK:          if (_p2 == 1) {
// CHECK-NEXT:       _p0 = 2;
// CHECK-NEXT:     }
// CHECK-NEXT:     if (_p0 == 3) {
// CHECK-NEXT:       _ret0 = s;
// CHECK-NEXT:     }
// CHECK-NEXT:   }

int main() {
  using V = std::vector<double>;
  for (double x : {0.3, 1.1, 2.5})
    for (int n : {0, 1, 4, 7}) {
      double dx = 0;
      mix_grad(x, n, dx);
      lit::check("mix", [n](const V &v) { return mix(v[0], n); }, {x}, {dx});
    }
  for (int n : {0, 1, 2, 5}) {
    double dx = 0;
    zerotrip_grad(1.5, n, dx);
    lit::check("zerotrip", [n](const V &v) { return zerotrip(v[0], n); }, {1.5}, {dx});
  }
  for (double x : {0.05, 1.2, 1.9})
    for (int n : {0, 2, 6}) {
      double dx = 0;
      retboth_grad(x, n, dx);
      lit::check("retboth", [n](const V &v) { return retboth(v[0], n); }, {x}, {dx});
    }
}

// mix: checked against finite differences only.
// OUT-COUNT-12: gradcheck mix: ok
// zerotrip: n = 0: x; n = 1: i = 0 continues: x; n = 2, 5: x^2 (break at 2)
// OUT:      zerotrip: 1.000000
// OUT-NEXT: gradcheck zerotrip: ok
// OUT-NEXT: zerotrip: 1.000000
// OUT-NEXT: gradcheck zerotrip: ok
// OUT-NEXT: zerotrip: 3.000000
// OUT-NEXT: gradcheck zerotrip: ok
// OUT-NEXT: zerotrip: 3.000000
// OUT-NEXT: gradcheck zerotrip: ok
// retboth, x = 0.05: n = 0: x; n = 2, 6: x^2 < 0.01 returns 0
// OUT-NEXT: retboth: 1.000000
// OUT-NEXT: gradcheck retboth: ok
// OUT-NEXT: retboth: 0.000000
// OUT-NEXT: gradcheck retboth: ok
// OUT-NEXT: retboth: 0.000000
// OUT-NEXT: gradcheck retboth: ok
// x = 1.2: n = 0: x; n = 2: x^3 + 2x: 3x^2 + 2; n = 6: s = x^7 (x^6 < 3),
// the second loop returns (x^7 + 6x)^2: 2 (x^7 + 6x) (7x^6 + 6)
// OUT-NEXT: retboth: 1.000000
// OUT-NEXT: gradcheck retboth: ok
// OUT-NEXT: retboth: 6.320000
// OUT-NEXT: gradcheck retboth: ok
// OUT-NEXT: retboth: 580.175844
// OUT-NEXT: gradcheck retboth: ok
// x = 1.9: n = 0: x; n = 2, 6: x^2 > 3 at i = 1 returns 2x^2: 4x
// OUT-NEXT: retboth: 1.000000
// OUT-NEXT: gradcheck retboth: ok
// OUT-NEXT: retboth: 7.600000
// OUT-NEXT: gradcheck retboth: ok
// OUT-NEXT: retboth: 7.600000
// OUT-NEXT: gradcheck retboth: ok
