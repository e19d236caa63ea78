// Straight-line double code: + - * /, unary minus, locals.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"

ADJOINT_GRAD(x, y) double add(double x, double y) { return x + y; }
// CHECK-LABEL: double add_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK-NEXT:   double _ret0 = x + y;
// CHECK-NEXT:   _d_x += _seed;
// CHECK-NEXT:   _d_y += _seed;
// CHECK-NEXT:   return _ret0;
// CHECK-LABEL: double add_grad(double x, double y, double &_d_x, double &_d_y) {
// CHECK-NEXT:   return add_vjp(x, y, 1, _d_x, _d_y);

ADJOINT_GRAD(x, y) double sub(double x, double y) { return x - y; }
// CHECK-LABEL: double sub_vjp(
// CHECK:        _d_x += _seed;
// CHECK-NEXT:   _d_y += -_seed;

ADJOINT_GRAD(x, y) double mul(double x, double y) { return x * y; }
// CHECK-LABEL: double mul_vjp(
// CHECK:        _d_x += _seed * y;
// CHECK-NEXT:   _d_y += x * _seed;

ADJOINT_GRAD(x, y) double quot(double x, double y) { return x / y; }
// CHECK-LABEL: double quot_vjp(
// The shared factor _seed / y is computed once; x / y is the forward value.
// CHECK:        double _r0 = _seed / y;
// CHECK-NEXT:   _d_x += _r0;
// CHECK-NEXT:   _d_y += -_r0 * (x / y);

ADJOINT_GRAD(x) double neg(double x) { return -x * 3.0; }
// CHECK-LABEL: double neg_vjp(double x, double _seed, double &_d_x) {
// CHECK:        _d_x += -(_seed * 3.0);

ADJOINT_GRAD(x, y) double poly(double x, double y) {
  double a = x * x;
  double b = 3.0 * x * y;
  double c = a - b / y + 2.0;
  return -c * y;
}
// Locals get adjoints declared up front; their uses are visited in reverse.
// CHECK-LABEL: double poly_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK-NEXT:   double _d_a = 0;
// CHECK-NEXT:   double _d_b = 0;
// CHECK-NEXT:   double _d_c = 0;
// CHECK-NEXT:   double a = x * x;
// CHECK-NEXT:   double b = 3.0 * x * y;
// CHECK-NEXT:   double c = a - b / y + 2.0;
// CHECK-NEXT:   double _ret0 = -c * y;
// CHECK-NEXT:   _d_c += -(_seed * y);
// CHECK-NEXT:   _d_y += (-c) * _seed;
// CHECK-NEXT:   _d_a += _d_c;
// CHECK-NEXT:   double _r0 = -_d_c;
// CHECK-NEXT:   double _r1 = _r0 / y;
// CHECK-NEXT:   _d_b += _r1;
// CHECK-NEXT:   _d_y += -_r1 * (b / y);
// CHECK-NEXT:   _d_x += 3.0 * (_d_b * y);
// CHECK-NEXT:   _d_y += (3.0 * x) * _d_b;
// CHECK-NEXT:   _d_x += 2 * x * _d_a;
// CHECK-NEXT:   return _ret0;

ADJOINT_GRAD(x, y, z) double mix(double x, double y, double z) {
  return (x + y) * (y - z) / (x * z) - -y;
}
// An adjoint used twice is bound to a temporary.
// CHECK-LABEL: double mix_vjp(double x, double y, double z, double _seed, double &_d_x, double &_d_y, double &_d_z) {
// CHECK:        double _r0 = _seed / (x * z);
// CHECK-NEXT:   double _r1 = _r0 * (y - z);
// CHECK-NEXT:   _d_x += _r1;
// CHECK-NEXT:   _d_y += _r1;
// CHECK:        _d_y += -(-_seed);
// CHECK-LABEL: double mix_grad(double x, double y, double z, double &_d_x, double &_d_y, double &_d_z) {

int main() {
  using V = std::vector<double>;
  {
    double dx = 0, dy = 0;
    add_grad(1.5, -2.0, dx, dy);
    lit::check("add", [](const V &v) { return add(v[0], v[1]); }, {1.5, -2.0}, {dx, dy});
  }
  {
    double dx = 0, dy = 0;
    sub_grad(1.5, -2.0, dx, dy);
    lit::check("sub", [](const V &v) { return sub(v[0], v[1]); }, {1.5, -2.0}, {dx, dy});
  }
  {
    double dx = 0, dy = 0;
    mul_grad(1.5, -2.0, dx, dy);
    lit::check("mul", [](const V &v) { return mul(v[0], v[1]); }, {1.5, -2.0}, {dx, dy});
  }
  {
    double dx = 0, dy = 0;
    quot_grad(1.5, -2.0, dx, dy);
    lit::check("quot", [](const V &v) { return quot(v[0], v[1]); }, {1.5, -2.0}, {dx, dy});
  }
  {
    double dx = 0;
    neg_grad(0.7, dx);
    lit::check("neg", [](const V &v) { return neg(v[0]); }, {0.7}, {dx});
  }
  {
    double dx = 0, dy = 0;
    poly_grad(3.0, 0.5, dx, dy);
    lit::check("poly", [](const V &v) { return poly(v[0], v[1]); }, {3.0, 0.5}, {dx, dy});
  }
  {
    double dx = 0, dy = 0, dz = 0;
    mix_grad(1.0, 2.0, 4.0, dx, dy, dz);
    lit::check("mix", [](const V &v) { return mix(v[0], v[1], v[2]); }, {1.0, 2.0, 4.0}, {dx, dy, dz});
  }
}

// OUT:      add: 1.000000 1.000000
// OUT-NEXT: gradcheck add: ok
// OUT-NEXT: sub: 1.000000 -1.000000
// OUT-NEXT: gradcheck sub: ok
// d(xy) = (y, x)
// OUT-NEXT: mul: -2.000000 1.500000
// OUT-NEXT: gradcheck mul: ok
// d(x/y) = (1/y, -x/y^2)
// OUT-NEXT: quot: -0.500000 -0.375000
// OUT-NEXT: gradcheck quot: ok
// OUT-NEXT: neg: -3.000000
// OUT-NEXT: gradcheck neg: ok
// f = -(x^2 - 3x + 2) y: (-(2x - 3) y, -(x^2 - 3x + 2)) at (3, 0.5)
// OUT-NEXT: poly: -1.500000 -2.000000
// OUT-NEXT: gradcheck poly: ok
// f = (x+y)(y-z)/(xz) + y: (-(y-z)y/(x^2 z), (2y+x-z)/(xz) + 1, -(x+y)y/(x z^2)) at (1, 2, 4)
// OUT-NEXT: mix: 1.000000 1.250000 -0.375000
// OUT-NEXT: gradcheck mix: ok
