// Lambdas called in differentiated code: in expressions, as statements
// writing through pointer parameters, in loops, capturing constants (by
// reference or by value), also constants that change in the function. Their
// pullbacks are local lambdas of the generated function (`sq_pullback`);
// those of lambdas with captures capture by reference and read the captured
// variables rolled back to their values at the call (differentiated captures:
// lambda-captures.cpp). `auto` parameters instantiated with several types
// are an error (one type: generic-lambdas.cpp).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: %gxx -I%S/../scalar/Inputs %t/gen.cpp -o %t/gxx.out %adjoint_link
// RUN: %t/gxx.out | FileCheck %s --check-prefix=OUT
// RUN: not %adjoint_cxx -I%S/../scalar/Inputs -DERRORS -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR --implicit-check-not="error:"
#include "check.h"
#include <cmath>
#include <vector>

ADJOINT_GRAD(x) double lambdas(const double *x, int n) {
  auto sq = [](double v) { return v * v; };
  auto residual = [](const double *p, double *r) {
    r[0] = p[0] - 1.0;
    r[1] = 10.0 * (p[1] - p[0] * p[0]);
  };
  double s = 0;
  for (int i = 0; i + 1 < n; ++i) {
    double r[2];
    residual(x + i, r);
    s += sq(r[0]) + sq(r[1]) + std::sin(sq(x[i]));
  }
  return s;
}
// CHECK-LABEL: double lambdas_vjp(
// CHECK:         auto residual_pullback = [](const double * p, double * r, double *_d_p, double *_d_r) {
// CHECK:         auto sq_pullback = [](double v, double _d_return, double &_d_v) {
// CHECK:         auto sq = [](double v) { return v * v; };
// CHECK:         residual_pullback(x + i, r, _d_x + i, _d_r);

ADJOINT_GRAD(x) double captures(const double *x, int n, double w) {
  const int m = n;
  auto next = [&](int i) { return (i + 1) % m; };
  auto scaled = [&](double v) { return w * std::sin(v); };
  auto byValue = [w](double v) { return w * v * v; };
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += scaled(x[i]) * x[next(i)] + byValue(x[i]);
  return s;
}
// CHECK-LABEL: double captures_vjp(
// CHECK:         auto scaled_pullback = [&](double v, double _d_return, double &_d_v) {
// CHECK:         auto byValue_pullback = [&](double v, double _d_return, double &_d_v) {
// CHECK:         scaled_pullback(x[i],

ADJOINT_GRAD(x) double changing(const double *x, int n) {
  double w = 2.0;
  auto scaled = [&](double v) { return w * v; };
  double s = 0;
  for (int i = 0; i < n; ++i) {
    s += scaled(x[i]);
    w += 0.5; // the pullback reads w as it was at the call
  }
  return s;
}

#ifdef ERRORS
ADJOINT_GRAD(x) double generic(const double *x) {
  auto sq = [](auto v) { return v * v; };
  return sq(x[0]) + sq(2.0f) * x[1];
  // ERR: lambdas.cpp:[[@LINE-1]]:10: error: adjoint: cannot differentiate the call of a lambda with 'auto' parameters called with several types: give them types, or write one lambda per type
}
#else
int main() {
  std::vector<double> x = {0.3, -0.7, 1.1, 0.5}, g(4, 0.0);
  lambdas_grad(x.data(), 4, g.data());
  lit::check("lambdas",
             [](const std::vector<double> &p) { return lambdas(p.data(), 4); },
             x, g);
  std::vector<double> g2(4, 0.0);
  captures_grad(x.data(), 4, 1.5, g2.data());
  lit::check("captures",
             [](const std::vector<double> &p) { return captures(p.data(), 4, 1.5); },
             x, g2);
  std::vector<double> g3(4, 0.0);
  changing_grad(x.data(), 4, g3.data());
  lit::check("changing",
             [](const std::vector<double> &p) { return changing(p.data(), 4); },
             x, g3);
}
#endif
// OUT: gradcheck lambdas: ok
// OUT: gradcheck captures: ok
// OUT: gradcheck changing: ok
