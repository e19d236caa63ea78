// adjoint-gen: ?:, float <-> double casts, subsets of parameters, f_vjp with a
// seed, accumulation and aliasing inputs, compiled by g++.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_gen %s -o %t/out.cpp -- -std=c++17 -I%adjoint_include -I%S/../Inputs
// RUN: FileCheck %s < %t/out.cpp
// RUN: %gxx -I%S/../Inputs %t/out.cpp -o %t/a.out %adjoint_link
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

ADJOINT_GRAD(x, y) double huber(double x, double y) {
  double d = x - y;
  double a = std::fabs(d);
  return a < 1.0 ? 0.5 * d * d : a - 0.5;
}
// CHECK:      double huber_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {

ADJOINT_GRAD(x) float mixed(float x, double s) {
  double w = (double)x * s;
  float f = (float)std::sqrt(w);
  return f * x;
}
// CHECK:      float mixed_vjp(float x, double s, float _seed, float &_d_x) {
// CHECK-NOT:    {{^ .*}}_d_s
// CHECK:      float mixed_grad(float x, double s, float &_d_x) {

ADJOINT_GRAD(a, b) double bilinear(double a, double b) { return a * b + std::sin(a); }
// CHECK:      double bilinear_vjp(double a, double b, double _seed, double &_d_a, double &_d_b) {

int main() {
  using V = std::vector<double>;
  for (double x : {0.5, 3.0}) {
    double dx = 0, dy = 0;
    huber_grad(x, 0.25, dx, dy);
    lit::check("huber", [](const V &v) { return huber(v[0], v[1]); }, {x, 0.25}, {dx, dy});
  }
  {
    float dx = 0;
    mixed_grad(2.0f, 8.0, dx);
    lit::checkf("mixed", [](const V &v) { return (double)mixed((float)v[0], 8.0); }, {2.0}, {dx});
  }
  {
    double d = 0;
    double value = bilinear_vjp(0.5, 0.5, 2.0, d, d);
    std::printf("bilinear value: %.6f\n", value);
    lit::check("bilinear(x, x) seed 2", [](const V &v) { return 2.0 * bilinear(v[0], v[0]); }, {0.5}, {d});
    bilinear_vjp(0.5, 0.5, 2.0, d, d);
    lit::print("bilinear accumulated", {d});
  }
}
// |d| < 1: (d, -d); else (sign d, -sign d)
// OUT:      huber: 0.250000 -0.250000
// OUT-NEXT: gradcheck huber: ok
// OUT-NEXT: huber: 1.000000 -1.000000
// OUT-NEXT: gradcheck huber: ok
// sqrt(x s) x: 1.5 sqrt(s x)
// OUT-NEXT: mixed: 6.000000
// OUT-NEXT: gradcheck mixed: ok
// 2 (x^2 + sin x): 2 (2x + cos x)
// OUT-NEXT: bilinear value: 0.729426
// OUT-NEXT: bilinear(x, x) seed 2: 3.755165
// OUT-NEXT: gradcheck bilinear(x, x) seed 2: ok
// OUT-NEXT: bilinear accumulated: 7.510330
