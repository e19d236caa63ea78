// Straight-line float code and conversions between float and double.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

ADJOINT_GRAD(x, y) float fpoly(float x, float y) {
  float t = x * x * y;
  float u = t / (y + 1.0f) - x;
  return u * 2.0f;
}
// CHECK-LABEL: float fpoly_vjp(float x, float y, float _seed, float &_d_x, float &_d_y) {
// CHECK-NEXT:   float _d_t = 0;
// CHECK-NEXT:   float _d_u = 0;
// CHECK:        float _ret0 = u * 2.0f;
// CHECK-NEXT:   _d_u += _seed * 2.0f;
// CHECK-NEXT:   float _r1 = _d_u / (y + 1.0f);
// CHECK-NEXT:   _d_t += _r1;
// CHECK-NEXT:   _d_y += -_r1 * (t / (y + 1.0f));
// CHECK-NEXT:   _d_x += -_d_u;
// CHECK-LABEL: float fpoly_grad(float x, float y, float &_d_x, float &_d_y) {

// float -> double -> float.
ADJOINT_GRAD(x) float widen(float x) {
  double d = x;
  double e = d * d + (double)x;
  return static_cast<float>(e * 0.5);
}
// The double locals of a float function have double adjoints; casts between
// float types pass the adjoint through.
// CHECK-LABEL: float widen_vjp(float x, float _seed, float &_d_x) {
// CHECK-NEXT:   double _d_d = 0;
// CHECK-NEXT:   double _d_e = 0;
// CHECK:        _d_e += _seed * 0.5;
// CHECK-NEXT:   _d_d += 2 * d * _d_e;
// CHECK-NEXT:   _d_x += _d_e;
// CHECK-NEXT:   _d_x += _d_d;

// double -> float inside a double function.
ADJOINT_GRAD(x, y) double narrow(double x, double y) {
  float f = (float)(x * y);
  float g = f * f;
  return g + x;
}
// CHECK-LABEL: double narrow_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK-NEXT:   float _d_f = 0;
// CHECK-NEXT:   float _d_g = 0;
// CHECK:        _d_x += _d_f * y;
// CHECK-NEXT:   _d_y += x * _d_f;

// A float local fed by a float math call.
ADJOINT_GRAD(x) float fsin(float x) {
  float s = std::sin(x);
  return s * x;
}
// CHECK-LABEL: float fsin_vjp(float x, float _seed, float &_d_x) {
// CHECK:        float _r0 = 0;
// CHECK-NEXT:   ::adjoint::derivatives::sin_pullback(x, _d_s, _r0);
// CHECK-NEXT:   _d_x += _r0;

int main() {
  using V = std::vector<double>;
  {
    float dx = 0, dy = 0;
    fpoly_grad(2.0f, 3.0f, dx, dy);
    lit::checkf("fpoly", [](const V &v) { return (double)fpoly((float)v[0], (float)v[1]); }, {2.0, 3.0}, {dx, dy});
  }
  {
    float dx = 0;
    widen_grad(1.5f, dx);
    lit::checkf("widen", [](const V &v) { return (double)widen((float)v[0]); }, {1.5}, {dx});
  }
  {
    double dx = 0, dy = 0;
    narrow_grad(0.5, 1.5, dx, dy);
    lit::checkf("narrow", [](const V &v) { return narrow(v[0], v[1]); }, {0.5, 1.5}, {dx, dy});
  }
  {
    float dx = 0;
    fsin_grad(0.5f, dx);
    lit::checkf("fsin", [](const V &v) { return (double)fsin((float)v[0]); }, {0.5}, {dx});
  }
}

// OUT:      fpoly: 4.000000 0.500000
// OUT-NEXT: gradcheck fpoly: ok
// OUT-NEXT: widen: 2.000000
// OUT-NEXT: gradcheck widen: ok
// OUT-NEXT: narrow: 3.250000 0.750000
// OUT-NEXT: gradcheck narrow: ok
// sin x + x cos x at 0.5
// OUT-NEXT: fsin: 0.918217
// OUT-NEXT: gradcheck fsin: ok
