// Function templates: an annotated template gets f_vjp/f_grad as explicit
// specializations of a deleted primary template, one per instantiation with
// float and double (and any other instantiation in the file), so both
// f_grad<double>(...) and f_grad(x, y, dx) work. Calls to non-annotated
// templates get pullbacks generated from the instantiation's body.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// The same through adjoint-gen and g++.
// RUN: %adjoint_gen %s -o %t/out.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: FileCheck %s --check-prefix=GEN < %t/out.cpp
// RUN: %gxx -I%S/../scalar/Inputs %t/out.cpp -o %t/gen.out %adjoint_link
// RUN: %t/gen.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

// Not annotated: called from differentiated code.
template <class T> T tsq(T v) { return v * v * std::sin(v); }

template <class T>
ADJOINT_GRAD(x) T f(T x, T y) {
  T t = T(2) * x;
  return tsq(t) * y + std::exp(x);
}
// CHECK-LABEL: template <class T> T f_vjp(T x, T y, T _seed, T &_d_x) = delete;
// CHECK:       template <class T> T f_grad(T x, T y, T &_d_x) = delete;
// The template's text is valid in the specialization through `using T`.
// CHECK-LABEL: template <> inline double f_vjp<double>(double x, double y, double _seed, double &_d_x) {
// CHECK-NEXT:    using T = double;
// CHECK:         double t = T(2) * x;
// CHECK:         ::tsq_pullback<double>(t, _seed * y, _r0);
// CHECK-LABEL: template <> inline double f_grad<double>(double x, double y, double &_d_x) {
// CHECK-NEXT:    return f_vjp<double>(x, y, 1, _d_x);
// CHECK-LABEL: template <> inline float f_vjp<float>(float x, float y, float _seed, float &_d_x) {
// CHECK-NEXT:    using T = float;
// CHECK:         ::tsq_pullback<float>(t, _seed * y, _r0);
// CHECK-LABEL: template <> inline float f_grad<float>(float x, float y, float &_d_x) {

// Two type parameters, pointers, outputs: every float/double combination.
template <class T, class U>
ADJOINT_GRAD(x, out) void sq(const T *x, U *out, int n) {
  for (int i = 0; i < n; ++i)
    out[i] = x[i] * x[i] * 0.5;
}
// CHECK-LABEL: template <class T, class U> void sq_grad(const T * x, U * out, int n, T *_d_x, U *_d_out) = delete;
// CHECK:       template <> inline void sq_grad<double, double>(const double * x, double * out, int n, double *_d_x, double *_d_out) {
// CHECK:       template <> inline void sq_grad<float, double>(
// CHECK:       template <> inline void sq_grad<double, float>(
// CHECK:       template <> inline void sq_grad<float, float>(

// A non-type parameter: only the instantiations used in the file.
template <int N>
ADJOINT_GRAD(x) double poly(double x) {
  double s = 0;
  for (int k = 0; k < N; ++k)
    s = s * x + (k + 1);
  return s;
}
double poly3(double x) { return poly<3>(x); }
// CHECK-LABEL: template <int N> double poly_vjp(double x, double _seed, double &_d_x) = delete;
// CHECK-LABEL: template <> inline double poly_vjp<3>(double x, double _seed, double &_d_x) {
// CHECK-NEXT:    constexpr int N = 3;

// An explicit instantiation; the epilogue that recomputes the rolled-back
// outputs names the instantiation (N cannot be deduced).
template <int N>
ADJOINT_GRAD(x, y) void acc(const double *x, double *y) {
  for (int i = 0; i < N; ++i) {
    y[i] = y[i] * x[i];
    y[i] = y[i] * y[i];
  }
}
template void acc<2>(const double *, double *);
// CHECK-LABEL: template <> inline void acc_grad<2>(const double * x, double * y, double *_d_x, double *_d_y) {
// CHECK:         acc<2>(x, y);
// CHECK-NEXT:  }

// A template the file only names in an unevaluated operand: cube<float> is
// declared but has no body until adjoint instantiates it.
template <class T> ADJOINT_GRAD(x) T cube(T x) { return x * x * x; }
using CubeResult = decltype(cube(0.0f));
// CHECK-LABEL: template <> inline float cube_vjp<float>(float x, float _seed, float &_d_x) {

// A non-template function calling template instantiations.
ADJOINT_GRAD(x) double h(double x) { return tsq(x) + tsq(float(x)) + f(x, 2.0); }
// CHECK-LABEL: double h_vjp(double x, double _seed, double &_d_x) {
// CHECK:         ::tsq_pullback<double>(x, _seed, _r0);
// CHECK:         ::tsq_pullback<float>(float(x), _seed, _r1);
// CHECK:         ::f_pullback<double>(x, 2.0, _seed, _r2, _r3);
// Pullbacks come last, each after its primary template.
// CHECK-LABEL: template <class T> void f_pullback(T x, T y, T _d_return, T &_d_x, T &_d_y) = delete;
// CHECK:       template <> inline void f_pullback<double>(
// CHECK-LABEL: // tsq_pullback, from tsq
// CHECK-NEXT:  // Defined only for the instantiations differentiated below.
// CHECK-NEXT:  template <class T> void tsq_pullback(T v, T _d_return, T &_d_v) = delete;
// CHECK:       template <> inline void tsq_pullback<float>(float v, float _d_return, float &_d_v) {
// CHECK-LABEL: template <> inline void tsq_pullback<double>(double v, double _d_return, double &_d_v) {
// CHECK-NEXT:    using T = double;

// GEN: template <class T> T f_grad(T x, T y, T &_d_x) = delete;
// GEN: template <> inline float f_grad<float>(float x, float y, float &_d_x) {

int main() {
  using V = std::vector<double>;
  {
    double dx = 0;
    double v = f_grad(0.5, 1.5, dx); // deduced
    std::printf("f<double> = %.6f\n", v);
    lit::check("f<double>", [](const V &v) { return f(v[0], 1.5); }, {0.5}, {dx});
  }
  {
    float dx = 0;
    float v = f_grad<float>(0.5f, 1.5f, dx); // explicit
    std::printf("f<float> = %.6f\n", v);
    lit::checkf("f<float>", [](const V &v) { return f<float>((float)v[0], 1.5f); }, {0.5}, {dx});
  }
  {
    float x[3] = {1, 2, 3}, out[3], dx[3] = {0, 0, 0};
    double outd[3], dout[3] = {1, 0.5, 2};
    sq_grad(x, outd, 3, dx, dout); // deduced: T = float, U = double
    std::printf("sq<float, double>: %.3f %.3f %.3f\n", dx[0], dx[1], dx[2]);
    float dout2[3] = {1, 1, 1}, dx2[3] = {0, 0, 0};
    sq_grad<float, float>(x, out, 3, dx2, dout2);
    std::printf("sq<float, float>: %.3f %.3f %.3f\n", dx2[0], dx2[1], dx2[2]);
  }
  {
    double dx = 0;
    poly_grad<3>(0.7, dx);
    lit::check("poly<3>", [](const V &v) { return poly3(v[0]); }, {0.7}, {dx});
  }
  {
    double x[2] = {1.5, 2.0}, y[2] = {0.5, 3.0}, dx[2] = {0, 0}, dy[2] = {1, 1};
    acc_grad<2>(x, y, dx, dy);
    std::printf("acc<2>: dx %.4f %.4f dy %.4f %.4f y %.4f %.4f\n", dx[0], dx[1], dy[0], dy[1], y[0], y[1]);
  }
  {
    float dx = 0;
    CubeResult v = cube_grad(2.0f, dx);
    std::printf("cube<float>: %.4f %.4f\n", v, dx);
  }
  {
    double dx = 0;
    h_grad(0.3, dx);
    // tsq(float(x)) rounds to float: a float tolerance.
    lit::checkf("h", [](const V &v) { return h(v[0]); }, {0.3}, {dx});
  }
}
// OUT: f<double> = 2.910928
// OUT: gradcheck f<double>: ok
// OUT: f<float> = 2.910928
// OUT: gradcheck f<float>: ok
// OUT: sq<float, double>: 1.000 1.000 6.000
// OUT: sq<float, float>: 1.000 2.000 3.000
// OUT: gradcheck poly<3>: ok
// OUT: acc<2>: dx 0.7500 36.0000 dy 2.2500 24.0000 y 0.5625 36.0000
// OUT: cube<float>: 8.0000 12.0000
// OUT: gradcheck h: ok
