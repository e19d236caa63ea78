// A branch whose condition reads only counters of the counted loops around
// it, parameters and locals that keep their values is not recorded: the
// reverse sweep evaluates the condition again (the counters are counted
// back). Conditions on values that change are still taped.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT --implicit-check-not=FAILED
#include "check.h"

// The counter and a parameter: replayed.
ADJOINT_GRAD(x) double parity(const double *x, int n, int mode) {
  double s = 1.0;
  for (int i = 0; i < n; ++i) {
    if (i % 2 == 0 && mode != 3)
      s = s * x[i] + 1.0;
    else
      s = s - std::sin(x[i]) * s;
  }
  return s;
}
// CHECK-LABEL: double parity_vjp(
// CHECK:          _c0 = i % 2 == 0 && mode != 3;
// CHECK-NEXT:     if (_c0) {
// CHECK-NOT:      _tape.push(_c0);
// CHECK:          ++i;
// CHECK:          --i;
// CHECK-NEXT:     _c0 = i % 2 == 0 && mode != 3;
// CHECK-NEXT:     if (_c0) {

// Shifts and sizeof are integer arithmetic like the rest.
ADJOINT_GRAD(x) double pairs(const double *x, int n) {
  double s = 1.0;
  for (int i = 0; i < n; ++i) {
    if ((i >> 1) % 2 == 0 && sizeof(double) == 8)
      s = s * x[i];
    else
      s = s + std::cos(s) * x[i];
  }
  return s;
}
// CHECK-LABEL: double pairs_vjp(
// CHECK-NOT:      _tape.push(_c0);
// CHECK:          --i;
// CHECK-NEXT:     _c0 = (i >> 1) % 2 == 0 && sizeof(double) == 8;

// An inner loop's branch on the outer counter.
ADJOINT_GRAD(x) double lower(const double *x, int n) {
  double s = 0.5;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      if (j < i)
        s = s * x[i * n + j];
      else
        s = s + x[i * n + j];
    }
  return s;
}
// CHECK-LABEL: double lower_vjp(
// CHECK:          _c0 = j < i;
// CHECK-NOT:      _tape.push(_c0);
// CHECK:          --j;
// CHECK-NEXT:     _c0 = j < i;

// A counter stepped in the body (k), and a value that changes (s): taped.
ADJOINT_GRAD(x) double changing(const double *x, int n) {
  double s = 1.0;
  int k = 0;
  for (int i = 0; i < n; ++i) {
    if (k < 2)
      s = s * x[i];
    if (s > 1.0)
      s = s - 0.25 * s * x[i];
    ++k;
  }
  return s;
}
// CHECK-LABEL: double changing_vjp(
// CHECK:          _tape.push(_c0);
// CHECK:          _tape.push(_c1);
// CHECK:          _c1 = _tape.pop<bool>();
// CHECK:          _c0 = _tape.pop<bool>();

// A parameter's branch around a break: replayed whether or not the loop left
// through it.
ADJOINT_GRAD(x) double capped(double x, int n, int mode) {
  double y = x;
  for (int i = 0; i < n; ++i) {
    y = y * x;
    if (mode > 0) {
      y = y - 0.1 * y * x;
      if (y > 4.0)
        break;
    }
  }
  return y;
}
// CHECK-LABEL: double capped_vjp(
// CHECK:        _c0 = mode > 0;
// CHECK-NEXT:   if (_c0) {
// CHECK-NOT:    _tape.push(_c0);
// CHECK:        _c0 = mode > 0;
// CHECK-NEXT:   if (_c0) {

int main() {
  using V = std::vector<double>;
  V x = {0.7, -1.2, 0.4, 1.5, -0.3, 0.9, 1.1, -0.8, 0.5};
  for (int n : {0, 1, 5})
    for (int mode : {1, 3}) {
      V dx(9, 0.0);
      parity_grad(x.data(), n, mode, dx.data());
      lit::check(
          "parity",
          [n, mode](const V &v) { return parity(v.data(), n, mode); }, x, dx);
    }
  for (int n : {0, 3, 7}) {
    V dx(9, 0.0);
    pairs_grad(x.data(), n, dx.data());
    lit::check(
        "pairs", [n](const V &v) { return pairs(v.data(), n); }, x, dx);
  }
  for (int n : {0, 2, 3}) {
    V dx(9, 0.0);
    lower_grad(x.data(), n, dx.data());
    lit::check(
        "lower", [n](const V &v) { return lower(v.data(), n); }, x, dx);
  }
  {
    V y = {1.3, 1.2, 0.9, 1.4, 1.1};
    V dx(5, 0.0);
    changing_grad(y.data(), 5, dx.data());
    lit::check(
        "changing", [](const V &v) { return changing(v.data(), 5); }, y, dx);
  }
  for (int mode : {0, 1})
    for (double x0 : {1.3, 2.5}) {
      double dx = 0.0;
      capped_grad(x0, 6, mode, dx);
      lit::check(
          "capped",
          [mode](const V &v) { return capped(v[0], 6, mode); }, {x0}, {dx});
    }
}
// OUT-COUNT-6: gradcheck parity: ok
// OUT-COUNT-3: gradcheck pairs: ok
// OUT-COUNT-3: gradcheck lower: ok
// OUT:         gradcheck changing: ok
// OUT-COUNT-4: gradcheck capped: ok
