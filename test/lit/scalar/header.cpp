// Annotated inline functions in a header: the generated gradients are inline
// too and are declared in the header.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include "inline_fns.h"

// CHECK-LABEL: inline double logistic_loss_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK:        _t0 = std::exp(-z);
// CHECK-NEXT:   double _ret0 = std::log1p(_t0);
// CHECK-NEXT:   double _r0 = 0;
// CHECK-NEXT:   ::adjoint::derivatives::log1p_pullback(_t0, _seed, _r0);
// CHECK-NEXT:   double _r1 = 0;
// CHECK-NEXT:   ::adjoint::derivatives::exp_result_pullback(-z, _t0, _r0, _r1);
// CHECK-NEXT:   _d_z += -_r1;
// CHECK-NEXT:   _d_x += _d_z * y;
// CHECK-NEXT:   _d_y += x * _d_z;
// CHECK-LABEL: inline double logistic_loss_grad(double x, double y, double &_d_x, double &_d_y) {
// ADJOINT_GRAD() differentiates with respect to every floating-point parameter.
// CHECK-LABEL: inline double area_vjp(double w, double h, double _seed, double &_d_w, double &_d_h) {
// CHECK-LABEL: inline double area_grad(double w, double h, double &_d_w, double &_d_h) {

int main() {
  using V = std::vector<double>;
  {
    double dx = 0, dy = 0;
    logistic_loss_grad(0.5, -2.0, dx, dy);
    lit::check("logistic_loss", [](const V &v) { return logistic_loss(v[0], v[1]); }, {0.5, -2.0}, {dx, dy});
  }
  {
    double dw = 0, dh = 0;
    shapes::area_grad(3.0, 4.0, dw, dh);
    lit::check("area", [](const V &v) { return shapes::area(v[0], v[1]); }, {3.0, 4.0}, {dw, dh});
  }
}

// z = xy, d log(1 + e^-z) / dz = -1 / (1 + e^z): (-y, -x) / (1 + e^z)
// OUT:      logistic_loss: 1.462117 -0.365529
// OUT-NEXT: gradcheck logistic_loss: ok
// OUT-NEXT: area: 2.000000 1.500000
// OUT-NEXT: gradcheck area: ok
