// Automatic checkpointing: a loop whose body calls no function but cheap
// math, has no nested loops or exits, and would tape its locals or branch
// flags is recomputed in the reverse sweep when its snapshot is only integer
// (the induction variable; in a for loop without exits not even that: the
// reverse undoes ++i). Other loops are taped as before.
// RUN: rm -rf %t && mkdir -p %t
// The code checked below is the taped code (-fplugin-arg-adjoint-no-fusion);
// the gradients are checked with and without loop fusion.
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-no-fusion -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -I%S/../scalar/Inputs %s -o %t/fused.out %adjoint_link
// RUN: %t/fused.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

// The Huber loss of bench/scalar_functions.h: the body-local a and both
// branch flags live only within an iteration; s is only accumulated, so the
// recompute leaves its updates out.
ADJOINT_GRAD(r, delta) double huber(const double *r, double delta, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i) {
    double a = r[i];
    if (a < 0.0)
      a = -a;
    if (a <= delta)
      s += 0.5 * a * a;
    else
      s += delta * (a - 0.5 * delta);
  }
  return s;
}
// CHECK-LABEL: double huber_vjp(const double * __restrict r, double delta, int n, double _seed, double *_d_r, double &_d_delta) {
// CHECK-NOT:    _tape
// CHECK:        while (i < n) {
// CHECK-NEXT:     ++_n0;
// CHECK-NEXT:     a = r[i];
// CHECK-NEXT:     _c0 = a < 0.0;
// CHECK-NEXT:     if (_c0) {
// CHECK-NEXT:       a = -a;
// CHECK-NEXT:     }
// CHECK-NEXT:     _c1 = a <= delta;
// CHECK-NEXT:     if (_c1) {
// CHECK-NEXT:       s += 0.5 * a * a;
// CHECK-NEXT:     }
// CHECK-NEXT:     else {
// CHECK-NEXT:       s += delta * (a - 0.5 * delta);
// CHECK-NEXT:     }
// CHECK-NEXT:     ++i;
// CHECK-NEXT:   }
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     --i;
// CHECK-NEXT:     a = r[i];
// CHECK-NEXT:     _c0 = a < 0.0;
// CHECK-NEXT:     if (_c0) {
// CHECK-NEXT:       a = -a;
// CHECK-NEXT:     }
// CHECK-NEXT:     _c1 = a <= delta;
// CHECK-NEXT:     if (_c1) {
// CHECK-NOT:      _tape
// CHECK:          _d_r[i] += _r0;
// CHECK-NEXT:   }

// exp is not cheap math: its value is taped, not recomputed.
ADJOINT_GRAD(x) double expsum(const double *x, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i) {
    double w = x[i] * 2.0;
    w = w * w;
    s += std::exp(w);
  }
  return s;
}
// CHECK-LABEL: double expsum_vjp(
// CHECK:        while (i < n) {
// CHECK-NEXT:     _tape.push(w);
// CHECK:        for (; _n0; --_n0) {
// CHECK-NOT:      _tape.pop<int>

// A loop-carried double would need a double snapshot: taped as before.
ADJOINT_GRAD(x) double carried(const double *x, int n) {
  double y = 1.0;
  for (int i = 0; i < n; ++i) {
    double t = x[i] * y;
    if (t < 0.0)
      t = -t;
    y = 0.5 * y + t;
  }
  return y;
}
// CHECK-LABEL: double carried_vjp(
// CHECK:        while (i < n) {
// CHECK-NEXT:     t = x[i] * y;
// CHECK:          _tape.push(_c0);
// CHECK-NEXT:     _tape.push(y);

int main() {
  using V = std::vector<double>;
  V r = {0.3, -2.0, 1.5, -0.1, 0.7};
  for (int n : {5, 0, 3}) {
    V dr(5, 0.0);
    double dd = 0;
    huber_grad(r.data(), 1.0, n, dr.data(), dd);
    V g = dr, p = r;
    g.push_back(dd);
    p.push_back(1.0);
    lit::check(
        "huber", [n](const V &v) { return huber(v.data(), v[5], n); }, p, g);
  }
  {
    V dx(5, 0.0);
    expsum_grad(r.data(), 3, dx.data());
    lit::check(
        "expsum", [](const V &v) { return expsum(v.data(), 3); }, r, dx);
  }
  {
    V dx(5, 0.0);
    carried_grad(r.data(), 5, dx.data());
    lit::check(
        "carried", [](const V &v) { return carried(v.data(), 5); }, r, dx);
  }
}

// d/dr_i = clamp(r_i, -delta, delta); d/ddelta = sum over |r_i| > delta of
// |r_i| - delta = 1 + 0.5.
// OUT:      huber: 0.300000 -1.000000 1.000000 -0.100000 0.700000 1.500000
// OUT-NEXT: gradcheck huber: ok
// OUT-NEXT: huber: 0.000000 0.000000 0.000000 0.000000 0.000000 0.000000
// OUT-NEXT: gradcheck huber: ok
// OUT-NEXT: huber: 0.300000 -1.000000 1.000000 0.000000 0.000000 1.500000
// OUT-NEXT: gradcheck huber: ok
// OUT-NEXT: expsum:
// OUT-NEXT: gradcheck expsum: ok
// OUT-NEXT: carried:
// OUT-NEXT: gradcheck carried: ok
