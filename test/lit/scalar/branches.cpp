// ?: and if/else on active values: the branch taken is recorded and replayed.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"

ADJOINT_GRAD(x, y) double select(double x, double y) {
  return x > y ? x * y : y * y;
}
// CHECK-LABEL: double select_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK-NEXT:   double _ret0 = x > y ? x * y : y * y;
// CHECK-NEXT:   if (x > y) {
// CHECK-NEXT:     _d_x += _seed * y;
// CHECK-NEXT:     _d_y += x * _seed;
// CHECK-NEXT:   }
// CHECK-NEXT:   else {
// CHECK-NEXT:     _d_y += 2 * y * _seed;
// CHECK-NEXT:   }

ADJOINT_GRAD(x) double relu(double x) {
  double r = x > 0.0 ? x : 0.0;
  return r * 2.0;
}
// The constant arm has no adjoint: only the active arm is guarded.
// CHECK-LABEL: double relu_vjp(double x, double _seed, double &_d_x) {
// CHECK:        _d_r += _seed * 2.0;
// CHECK-NEXT:   if (x > 0.0) {
// CHECK-NEXT:     _d_x += _d_r;
// CHECK-NEXT:   }
// CHECK-NOT:    else
// CHECK:        return _ret0;

ADJOINT_GRAD(x, y) double ifelse(double x, double y) {
  double t;
  if (x * y > 1.0) {
    t = x * x;
  } else {
    t = y / x;
  }
  return t + y;
}
// CHECK-LABEL: double ifelse_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK:        bool _c0;
// CHECK:        _c0 = x * y > 1.0;
// CHECK-NEXT:   if (_c0) {
// CHECK-NEXT:     t = x * x;
// CHECK-NEXT:   }
// CHECK-NEXT:   else {
// CHECK-NEXT:     t = y / x;
// CHECK-NEXT:   }
// Nothing reads t's earlier value in reverse: it is not saved.
// CHECK-NOT:      = t;
// CHECK:        if (_c0) {
// CHECK-NEXT:     double _r0 = _d_t;
// CHECK:        else {
// CHECK-NEXT:     double _r1 = _d_t;
// The quotient is read from t, which holds it.
// CHECK:          _d_x += -_r2 * t;

// An if without else that overwrites a value.
ADJOINT_GRAD(x) double clamp(double x) {
  double t = x * 3.0;
  if (t > 2.0)
    t = 2.0 + 0.1 * t;
  return t;
}
// CHECK-LABEL: double clamp_vjp(double x, double _seed, double &_d_x) {
// CHECK:        _c0 = t > 2.0;
// CHECK:        _d_t += _seed;
// CHECK-NEXT:   if (_c0) {
// CHECK-NEXT:     double _r0 = _d_t;
// CHECK-NEXT:     _d_t = 0.1 * _r0;
// CHECK-NEXT:   }
// CHECK-NEXT:   _d_x += _d_t * 3.0;

// Early return in a branch.
ADJOINT_GRAD(x, y) double early(double x, double y) {
  double s;
  if (x < 0.0)
    return -x * y;
  s = x + y;
  return s * s;
}
// The statements after `if (c) return` become the else branch.
// CHECK-LABEL: double early_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK:        double _ret0;
// CHECK:        _c0 = x < 0.0;
// CHECK-NEXT:   if (_c0) {
// CHECK-NEXT:     _ret0 = -x * y;
// CHECK-NEXT:   }
// CHECK-NEXT:   else {
// CHECK:          _ret0 = s * s;
// CHECK-NEXT:   }
// CHECK-NEXT:   if (_c0) {
// CHECK-NEXT:     _d_x += -(_seed * y);
// CHECK-NEXT:     _d_y += (-x) * _seed;
// CHECK-NEXT:   }
// CHECK-NEXT:   else {
// CHECK-NEXT:     _d_s += 2 * s * _seed;

// A local declared after an early return is hoisted out of the branch.
ADJOINT_GRAD(x, y) double early2(double x, double y) {
  if (x < 0.0)
    return -x * y;
  double s = x + y;
  return s * s;
}
// CHECK-LABEL: double early2_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK:        double s;
// CHECK:        else {
// CHECK-NEXT:     s = x + y;
// CHECK-NEXT:     _ret0 = s * s;
// CHECK-NEXT:   }
// CHECK:        else {
// CHECK-NEXT:     _d_s += 2 * s * _seed;

int main() {
  using V = std::vector<double>;
  for (double x : {3.0, 1.0}) {
    double dx = 0, dy = 0;
    select_grad(x, 2.0, dx, dy);
    lit::check("select", [](const V &v) { return select(v[0], v[1]); }, {x, 2.0}, {dx, dy});
  }
  for (double x : {1.5, -1.5}) {
    double dx = 0;
    relu_grad(x, dx);
    lit::check("relu", [](const V &v) { return relu(v[0]); }, {x}, {dx});
  }
  for (double x : {2.0, 0.25}) {
    double dx = 0, dy = 0;
    ifelse_grad(x, 1.5, dx, dy);
    lit::check("ifelse", [](const V &v) { return ifelse(v[0], v[1]); }, {x, 1.5}, {dx, dy});
  }
  for (double x : {1.0, 0.5}) {
    double dx = 0;
    clamp_grad(x, dx);
    lit::check("clamp", [](const V &v) { return clamp(v[0]); }, {x}, {dx});
  }
  for (double x : {-2.0, 2.0}) {
    double dx = 0, dy = 0;
    early_grad(x, 0.5, dx, dy);
    lit::check("early", [](const V &v) { return early(v[0], v[1]); }, {x, 0.5}, {dx, dy});
  }
  for (double x : {-2.0, 2.0}) {
    double dx = 0, dy = 0;
    early2_grad(x, 0.5, dx, dy);
    lit::check("early2", [](const V &v) { return early2(v[0], v[1]); }, {x, 0.5}, {dx, dy});
  }
}

// OUT:      select: 2.000000 3.000000
// OUT-NEXT: gradcheck select: ok
// OUT-NEXT: select: 0.000000 4.000000
// OUT-NEXT: gradcheck select: ok
// OUT-NEXT: relu: 2.000000
// OUT-NEXT: gradcheck relu: ok
// OUT-NEXT: relu: 0.000000
// OUT-NEXT: gradcheck relu: ok
// x^2 + y, then y/x + y: (-y/x^2, 1/x + 1)
// OUT-NEXT: ifelse: 4.000000 1.000000
// OUT-NEXT: gradcheck ifelse: ok
// OUT-NEXT: ifelse: -24.000000 5.000000
// OUT-NEXT: gradcheck ifelse: ok
// 2 + 0.3x, then 3x
// OUT-NEXT: clamp: 0.300000
// OUT-NEXT: gradcheck clamp: ok
// OUT-NEXT: clamp: 3.000000
// OUT-NEXT: gradcheck clamp: ok
// -xy, then (x+y)^2
// OUT-NEXT: early: -0.500000 2.000000
// OUT-NEXT: gradcheck early: ok
// OUT-NEXT: early: 5.000000 5.000000
// OUT-NEXT: gradcheck early: ok
// OUT-NEXT: early2: -0.500000 2.000000
// OUT-NEXT: gradcheck early2: ok
// OUT-NEXT: early2: 5.000000 5.000000
// OUT-NEXT: gradcheck early2: ok
