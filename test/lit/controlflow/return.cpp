// Early return from inside loops: the return records its exit and breaks
// out; each enclosing loop continues the exit after its inner loop, and the
// function body records which loop returned (`_p0`), guarding the rest of
// the function in both sweeps.
// RUN: rm -rf %t && mkdir -p %t
// The code checked below is the taped code (-fplugin-arg-adjoint-no-fusion);
// the gradients are checked with and without loop fusion.
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-no-fusion -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -I%S/../scalar/Inputs %s -o %t/fused.out %adjoint_link
// RUN: %t/fused.out | FileCheck %s --check-prefix=OUT
#include "check.h"

ADJOINT_GRAD(x) double findret(double x, int n) {
  double y = x;
  for (int i = 0; i < n; ++i) {
    y = y * x;
    if (y > 5.0)
      return y * 2.0;
  }
  double z = y + 1.0;
  return z * x;
}
// CHECK-LABEL: double findret_vjp(double x, int n, double _seed, double &_d_x) {
// CHECK:        int _p0 = 2;
// CHECK:        double _ret0;
// CHECK:        double z;
// CHECK:        while (i < n) {
// CHECK-NEXT:     ++_n0;
// CHECK-NEXT:     _tape.push(y);
// CHECK-NEXT:     y = y * x;
// CHECK-NEXT:     _c0 = y > 5.0;
// CHECK-NEXT:     if (_c0) {
// CHECK-NEXT:       _ret0 = y * 2.0;
// CHECK-NEXT:       _p1 = 1;
// CHECK-NEXT:       break;
// CHECK-NEXT:     }
// CHECK-NEXT:     _tape.push(_c0);
// CHECK-NEXT:     ++i;
// CHECK-NEXT:   }
// CHECK-NEXT:   if (_p1 == 1) {
// CHECK-NEXT:     _p0 = 1;
// CHECK-NEXT:   }
// CHECK-NEXT:   if (_p0 == 2) {
// CHECK-NEXT:     z = y + 1.0;
// CHECK-NEXT:     _ret0 = z * x;
// CHECK-NEXT:   }
// CHECK-NEXT:   if (_p0 == 2) {
// CHECK-NEXT:     _d_z += _seed * x;
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     _c0 = _p1 == 1 || _tape.pop<bool>();
// CHECK-NEXT:     if (_c0) {
// CHECK-NEXT:       _d_y += _seed * 2.0;
// CHECK-NEXT:     }

// Return from a triangular inner loop.
ADJOINT_GRAD(x) double nestret(double x, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      s = s + x * j;
      if (s > 20.0)
        return s * s;
    }
    s = s * 0.5;
  }
  return s;
}
// CHECK-LABEL: double nestret_vjp(double x, int n, double _seed, double &_d_x) {
// CHECK:            if (_c0) {
// CHECK-NEXT:         _ret0 = s * s;
// CHECK-NEXT:         _p2 = 1;
// CHECK-NEXT:         break;
// CHECK-NEXT:       }
// CHECK:          _tape.push(_n1);
// CHECK-NEXT:     _tape.push(_p2);
// CHECK-NEXT:     if (_p2 == 1) {
// CHECK-NEXT:       _p1 = 1;
// CHECK-NEXT:       break;
// CHECK-NEXT:     }
// CHECK-NEXT:     _tape.push(s);
// CHECK-NEXT:     s = s * 0.5;
// CHECK:        if (_p1 == 1) {
// CHECK-NEXT:     _p0 = 1;
// CHECK-NEXT:   }
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     if (_p1 == 2) {
// CHECK-NEXT:       s = _tape.pop<double>();

// A void function with a pointer output.
ADJOINT_GRAD(x, out) void voidret(double x, double *out, int n) {
  out[0] = 0.0;
  for (int i = 0; i < n; ++i) {
    out[0] = out[0] + x * x;
    if (out[0] > 3.0)
      return;
  }
  out[0] = out[0] * 2.0;
}
// CHECK-LABEL: void voidret_grad(double x, double * out, int n, double &_d_x, double *_d_out) {
// CHECK:          if (out[0] > 3.0) {
// CHECK-NEXT:       _p1 = 1;
// CHECK-NEXT:       break;
// CHECK-NEXT:     }
// The reverse sweep never reads out[0]'s value (its updates are linear or
// scaled by constants): nothing is saved, and out keeps its results.
// CHECK:        if (_p0 == 2) {
// CHECK-NEXT:     out[0] = out[0] * 2.0;
// CHECK-NEXT:   }
// CHECK-NOT:    voidret(x, out, n);

// A return nested in if/else with code after it (fuzz seed 145): an exit of
// the function body, which guards the rest.
ADJOINT_GRAD(x) double nestedif(double x, double c) {
  double y = x * x;
  if (c > 0.0) {
    y = y * 3.0;
  } else {
    if (c < -1.0)
      return y * x;
  }
  y = y + x;
  return y;
}
// CHECK-LABEL: double nestedif_vjp(double x, double c, double _seed, double &_d_x) {
// CHECK:          if (_c0) {
// CHECK-NEXT:       _ret0 = y * x;
// CHECK-NEXT:       _p0 = 1;
// CHECK-NEXT:     }
// CHECK-NEXT:   }
// CHECK-NEXT:   if (_p0 == 2) {
// CHECK-NEXT:     _t0 = y;
// CHECK-NEXT:     y = y + x;
// CHECK-NEXT:     _ret0 = y;
// CHECK-NEXT:   }

int main() {
  using V = std::vector<double>;
  for (int n : {0, 2, 5}) {
    double dx = 0;
    findret_grad(1.5, n, dx);
    lit::check("findret", [n](const V &v) { return findret(v[0], n); }, {1.5}, {dx});
  }
  for (int n : {0, 3, 6}) {
    double dx = 0;
    nestret_grad(1.1, n, dx);
    lit::check("nestret", [n](const V &v) { return nestret(v[0], n); }, {1.1}, {dx});
  }
  for (int n : {0, 3, 8}) {
    double dx = 0, o = 0, d_o = 1;
    voidret_grad(0.9, &o, n, dx, &d_o);
    lit::check("voidret", [n](const V &v) { double o; voidret(v[0], &o, n); return o; }, {0.9}, {dx});
  }
  for (double c : {1.0, -2.0, -0.5}) {
    double dx = 0;
    nestedif_grad(1.5, c, dx);
    lit::check("nestedif", [c](const V &v) { return nestedif(v[0], c); }, {1.5}, {dx});
  }
}

// n = 0: (x + 1) x; n = 2: x^4 + x; n = 5: x^4 > 5 returns 2 x^4
// OUT:      findret: 4.000000
// OUT-NEXT: gradcheck findret: ok
// OUT-NEXT: findret: 14.500000
// OUT-NEXT: gradcheck findret: ok
// OUT-NEXT: findret: 27.000000
// OUT-NEXT: gradcheck findret: ok
// n = 0: 0; n = 3: ((x + 2x) / 2 + 2x) / 2 / 2 = 0.875 x; n = 6: returns
// s^2 with s = 21.5 x: 2 21.5^2 x
// OUT-NEXT: nestret: 0.000000
// OUT-NEXT: gradcheck nestret: ok
// OUT-NEXT: nestret: 0.875000
// OUT-NEXT: gradcheck nestret: ok
// OUT-NEXT: nestret: 1016.950000
// OUT-NEXT: gradcheck nestret: ok
// n = 0: 0; n = 3: 2 (3x^2) = 6x^2; n = 8: 4x^2 = 3.24 > 3 returns: 8x
// OUT-NEXT: voidret: 0.000000
// OUT-NEXT: gradcheck voidret: ok
// OUT-NEXT: voidret: 10.800000
// OUT-NEXT: gradcheck voidret: ok
// OUT-NEXT: voidret: 7.200000
// OUT-NEXT: gradcheck voidret: ok
// c > 0: 3x^2 + x; c < -1: x^3; else x^2 + x
// OUT-NEXT: nestedif: 10.000000
// OUT-NEXT: gradcheck nestedif: ok
// OUT-NEXT: nestedif: 6.750000
// OUT-NEXT: gradcheck nestedif: ok
// OUT-NEXT: nestedif: 4.000000
// OUT-NEXT: gradcheck nestedif: ok
