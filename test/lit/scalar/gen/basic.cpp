// adjoint-gen writes the gradients into the source; g++ compiles the result
// without the plugin. Straight-line code, math calls and float.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_gen %s -o %t/out.cpp -- -std=c++17 -I%adjoint_include -I%S/../Inputs
// RUN: FileCheck %s < %t/out.cpp
// RUN: %gxx -I%S/../Inputs %t/out.cpp -o %t/a.out %adjoint_link
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

ADJOINT_GRAD(x, y) double rosen(double x, double y) {
  double a = 1.0 - x;
  double b = y - x * x;
  return a * a + 100.0 * b * b;
}
// CHECK:      ADJOINT_GRAD(x, y) double rosen(double x, double y) {
// CHECK:      double rosen_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK:      double rosen_grad(double x, double y, double &_d_x, double &_d_y) {
// CHECK-NEXT:   return rosen_vjp(x, y, 1, _d_x, _d_y);

ADJOINT_GRAD(x) double gauss(double x, double mu) {
  double z = (x - mu) / 2.0;
  return std::exp(-z * z) + std::log(x);
}
// CHECK:      double gauss_vjp(double x, double mu, double _seed, double &_d_x) {
// exp's rule takes the value kept from the forward sweep.
// CHECK:        _t0 = std::exp(-z * z);
// CHECK:        ::adjoint::derivatives::exp_result_pullback(-z * z, _t0, _seed, {{_r[0-9]+}});
// CHECK:        ::adjoint::derivatives::log_pullback(x, _seed, {{_r[0-9]+}});

ADJOINT_GRAD(x) float softplus(float x) { return std::log1p(std::exp(x)) * 2.0f; }
// CHECK:      float softplus_vjp(float x, float _seed, float &_d_x) {

int main() {
  using V = std::vector<double>;
  {
    double dx = 0, dy = 0;
    rosen_grad(0.5, 1.5, dx, dy);
    lit::check("rosen", [](const V &v) { return rosen(v[0], v[1]); }, {0.5, 1.5}, {dx, dy});
  }
  {
    double dx = 0;
    gauss_grad(1.5, 0.5, dx);
    lit::check("gauss", [](const V &v) { return gauss(v[0], 0.5); }, {1.5}, {dx});
  }
  {
    float dx = 0;
    softplus_grad(0.5f, dx);
    lit::checkf("softplus", [](const V &v) { return (double)softplus((float)v[0]); }, {0.5}, {dx});
  }
}
// -2(1-x) - 400 x (y - x^2), 200 (y - x^2)
// OUT:      rosen: -251.000000 250.000000
// OUT-NEXT: gradcheck rosen: ok
// -z exp(-z^2) + 1/x with z = (x - mu)/2
// OUT-NEXT: gauss: 0.277266
// OUT-NEXT: gradcheck gauss: ok
// 2 sigmoid(x)
// OUT-NEXT: softplus: 1.24491{{[0-9]}}
// OUT-NEXT: gradcheck softplus: ok
