// Assignments, compound assignments and variables reassigned several times:
// the reverse sweep restores each overwritten value before using it.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"

ADJOINT_GRAD(x, y) double addsub(double x, double y) {
  double s = x;
  s += y * y;
  s -= 2.0 * x;
  return s;
}
// += and -= pass the adjoint through without resetting it.
// CHECK-LABEL: double addsub_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK:        s += y * y;
// CHECK:        s -= 2.0 * x;
// CHECK-NEXT:   double _ret0 = s;
// CHECK-NEXT:   _d_s += _seed;
// CHECK:        double _r1 = _d_s;
// CHECK-NEXT:   _d_x += 2.0 * (-_r1);
// CHECK:        double _r0 = _d_s;
// CHECK-NEXT:   _d_y += 2 * y * _r0;
// CHECK-NEXT:   _d_x += _d_s;

ADJOINT_GRAD(x, y) double muldiv(double x, double y) {
  double p = x;
  p *= y;
  p *= p;
  p /= x + y;
  return p;
}
// *= and /= scale the adjoint, using the value restored from before the update.
// CHECK-LABEL: double muldiv_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK:        _t2 = p;
// CHECK-NEXT:   p /= x + y;
// CHECK:        p = _t2;
// CHECK-NEXT:   double _r2 = _d_p;
// CHECK-NEXT:   _d_p = _r2 / (x + y);
// CHECK-NEXT:   double _r3 = -_r2 * (p) / ((x + y) * (x + y));
// CHECK:        p = _t1;
// CHECK-NEXT:   double _r1 = _d_p;
// CHECK-NEXT:   _d_p = _r1 * (p);
// CHECK-NEXT:   _d_p += (p) * _r1;
// CHECK-NEXT:   p = _t0;
// CHECK-NEXT:   double _r0 = _d_p;
// CHECK-NEXT:   _d_p = _r0 * (y);
// CHECK-NEXT:   _d_y += (p) * _r0;
// CHECK-NEXT:   _d_x += _d_p;

ADJOINT_GRAD(x) double reassign(double x) {
  double t = x * x;
  t = t * x;
  t = t * t + x;
  t = t / x;
  return t;
}
// Each overwrite saves the old value; the reverse sweep restores it before
// the adjoint of that assignment reads it.
// CHECK-LABEL: double reassign_vjp(double x, double _seed, double &_d_x) {
// CHECK:        double t = x * x;
// CHECK-NEXT:   _t0 = t;
// CHECK-NEXT:   t = t * x;
// CHECK-NEXT:   _t1 = t;
// CHECK-NEXT:   t = t * t + x;
// CHECK-NEXT:   _t2 = t;
// CHECK-NEXT:   t = t / x;
// CHECK-NEXT:   double _ret0 = t;
// CHECK-NEXT:   _d_t += _seed;
// CHECK-NEXT:   t = _t2;
// CHECK-NEXT:   double _r2 = _d_t;
// CHECK-NEXT:   double _r3 = _r2 / x;
// CHECK-NEXT:   _d_t = _r3;
// CHECK-NEXT:   _d_x += -_r3 * (t / x);
// CHECK-NEXT:   t = _t1;
// CHECK:        t = _t0;

// The parameter itself is overwritten.
ADJOINT_GRAD(x, y) double param(double x, double y) {
  x = x * y;
  x = x * x;
  y = y + x;
  return x * y;
}
// CHECK-LABEL: double param_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK:        x = x * y;
// CHECK:        x = x * x;
// CHECK:        y = y + x;
// CHECK:        x = _t0;
// CHECK:        _d_x_local = _r0 * y;

ADJOINT_GRAD(x) double plain(double x) {
  double a;
  a = 3.0 * x;
  double b;
  b = a * a;
  return b;
}
// Declarations without initializer, assigned later.
// CHECK-LABEL: double plain_vjp(double x, double _seed, double &_d_x) {
// CHECK:        a = 3.0 * x;
// CHECK:        b = a * a;
// CHECK:        _d_x += 3.0 * _r0;

int main() {
  using V = std::vector<double>;
  {
    double dx = 0, dy = 0;
    addsub_grad(1.5, -2.0, dx, dy);
    lit::check("addsub", [](const V &v) { return addsub(v[0], v[1]); }, {1.5, -2.0}, {dx, dy});
  }
  {
    double dx = 0, dy = 0;
    muldiv_grad(1.0, 2.0, dx, dy);
    lit::check("muldiv", [](const V &v) { return muldiv(v[0], v[1]); }, {1.0, 2.0}, {dx, dy});
  }
  {
    double dx = 0;
    reassign_grad(1.5, dx);
    lit::check("reassign", [](const V &v) { return reassign(v[0]); }, {1.5}, {dx});
  }
  {
    double dx = 0, dy = 0;
    param_grad(1.0, 2.0, dx, dy);
    lit::check("param", [](const V &v) { return param(v[0], v[1]); }, {1.0, 2.0}, {dx, dy});
  }
  {
    double dx = 0;
    plain_grad(0.5, dx);
    lit::check("plain", [](const V &v) { return plain(v[0]); }, {0.5}, {dx});
  }
}

// s = y^2 - x
// OUT:      addsub: -1.000000 -4.000000
// OUT-NEXT: gradcheck addsub: ok
// p = (xy)^2 / (x+y): (2xy^2/(x+y) - (xy/(x+y))^2, 2x^2y/(x+y) - (xy/(x+y))^2) at (1, 2)
// OUT-NEXT: muldiv: 2.222222 0.888889
// OUT-NEXT: gradcheck muldiv: ok
// t = x^5 + 1
// OUT-NEXT: reassign: 25.312500
// OUT-NEXT: gradcheck reassign: ok
// x^2 y^3 + x^4 y^4 at (1, 2)
// OUT-NEXT: param: 80.000000 44.000000
// OUT-NEXT: gradcheck param: ok
// OUT-NEXT: plain: 9.000000
// OUT-NEXT: gradcheck plain: ok
