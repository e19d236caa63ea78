// ADJOINT_GRAD with no names (all floating-point parameters), with a subset,
// gradient accumulation into the d_ arguments, and f_vjp with a seed.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"

// All of a, b and c; k is an int and gets no adjoint.
ADJOINT_GRAD() double all(double a, int k, double b, float c) {
  return a * b * k + b * c;
}
// CHECK-LABEL: double all_vjp(double a, int k, double b, float c, double _seed, double &_d_a, double &_d_b, float &_d_c) {
// CHECK-NOT:    _d_k
// CHECK:        double _r0 = _seed * k;
// CHECK-NEXT:   _d_a += _r0 * b;
// CHECK-NEXT:   _d_b += a * _r0;
// CHECK-NEXT:   _d_b += _seed * c;
// CHECK-NEXT:   _d_c += b * _seed;
// CHECK-LABEL: double all_grad(double a, int k, double b, float c, double &_d_a, double &_d_b, float &_d_c) {
// CHECK-NEXT:   return all_vjp(a, k, b, c, 1, _d_a, _d_b, _d_c);

// Only y; x and z are constants of the gradient.
ADJOINT_GRAD(y) double subset(double x, double y, double z) {
  return x * y * y + z * y + x * z;
}
// The term x * z has no adjoint code at all.
// CHECK-LABEL: double subset_vjp(double x, double y, double z, double _seed, double &_d_y) {
// CHECK-NEXT:   double _ret0 = x * y * y + z * y + x * z;
// CHECK-NEXT:   _d_y += x * (_seed * y);
// CHECK-NEXT:   _d_y += (x * y) * _seed;
// CHECK-NEXT:   _d_y += z * _seed;
// CHECK-NEXT:   return _ret0;
// CHECK-LABEL: double subset_grad(double x, double y, double z, double &_d_y) {

// Listed out of order: the adjoints follow the parameter order.
ADJOINT_GRAD(z, x) double reorder(double x, double y, double z) {
  return x * y * z;
}
// CHECK-LABEL: double reorder_vjp(double x, double y, double z, double _seed, double &_d_x, double &_d_z) {
// CHECK-NOT:    _d_y
// CHECK:        return _ret0;
// CHECK-LABEL: double reorder_grad(double x, double y, double z, double &_d_x, double &_d_z) {
// CHECK-NEXT:   return reorder_vjp(x, y, z, 1, _d_x, _d_z);

ADJOINT_GRAD(x, y) double acc(double x, double y) { return x * x * y; }
// CHECK-LABEL: double acc_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK-LABEL: double acc_grad(double x, double y, double &_d_x, double &_d_y) {

int main() {
  using V = std::vector<double>;
  {
    double da = 0, db = 0;
    float dc = 0;
    all_grad(1.5, 3, -2.0, 0.5f, da, db, dc);
    lit::checkf("all", [](const V &v) { return all(v[0], 3, v[1], (float)v[2]); }, {1.5, -2.0, 0.5}, {da, db, dc});
  }
  {
    double dy = 0;
    subset_grad(2.0, 3.0, 4.0, dy);
    lit::check("subset", [](const V &v) { return subset(2.0, v[0], 4.0); }, {3.0}, {dy});
  }
  {
    double dx = 0, dz = 0;
    reorder_grad(2.0, 3.0, 4.0, dx, dz);
    lit::check("reorder", [](const V &v) { return reorder(v[0], 3.0, v[1]); }, {2.0, 4.0}, {dx, dz});
  }
  {
    // Gradients add into the d_ arguments: a second call doubles them.
    double dx = 0, dy = 0;
    acc_grad(1.5, 2.0, dx, dy);
    lit::print("acc once", {dx, dy});
    acc_grad(1.5, 2.0, dx, dy);
    lit::print("acc twice", {dx, dy});
    // Starting from nonzero adjoints.
    double ex = 10.0, ey = -1.0;
    acc_grad(1.5, 2.0, ex, ey);
    lit::print("acc offset", {ex, ey});
    // f_vjp scales the gradient by the seed and returns f.
    double sx = 0, sy = 0;
    double value = acc_vjp(1.5, 2.0, -0.5, sx, sy);
    std::printf("acc value: %.6f\n", value);
    lit::check("acc vjp", [](const V &v) { return -0.5 * acc(v[0], v[1]); }, {1.5, 2.0}, {sx, sy});
  }
}

// (bk, ak + c, b) at (1.5, 3, -2, 0.5)
// OUT:      all: -6.000000 5.000000 -2.000000
// OUT-NEXT: gradcheck all: ok
// 2xy + z
// OUT-NEXT: subset: 16.000000
// OUT-NEXT: gradcheck subset: ok
// (yz, xy)
// OUT-NEXT: reorder: 12.000000 6.000000
// OUT-NEXT: gradcheck reorder: ok
// (2xy, x^2) at (1.5, 2)
// OUT-NEXT: acc once: 6.000000 2.250000
// OUT-NEXT: acc twice: 12.000000 4.500000
// OUT-NEXT: acc offset: 16.000000 1.250000
// OUT-NEXT: acc value: 4.500000
// OUT-NEXT: acc vjp: -3.000000 -1.125000
// OUT-NEXT: gradcheck acc vjp: ok
