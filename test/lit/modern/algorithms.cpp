// Standard algorithms in differentiated code: std::accumulate and
// std::inner_product over std::vector iterators, std::accumulate with a
// lambda as its operation, std::transform (unary and binary, into a local
// vector, in place, into an output pointer) with lambdas capturing nothing or
// differentiated data. They go through the rules NAME_range_pullback of
// adjoint/derivatives.h, which receive the lambda's pullback; the iterators'
// adjoints are pointers into the adjoints of the variables they walk.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: %gxx -I%S/../scalar/Inputs %t/gen.cpp -o %t/gxx.out %adjoint_link
// RUN: %t/gxx.out | FileCheck %s --check-prefix=OUT
// RUN: not %adjoint_cxx -I%S/../scalar/Inputs -DERRORS -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR --implicit-check-not="error:"
#include "check.h"
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

ADJOINT_GRAD(x) double sumVector(const double *x, int n) {
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i)
    v[i] = std::sin(x[i]);
  double s = std::accumulate(v.begin(), v.end(), 0.0);
  return s * x[0] + std::inner_product(v.begin(), v.end(), v.begin(), 0.5);
}
// CHECK-LABEL: double sumVector_vjp(
// CHECK:         ::adjoint::derivatives::inner_product_range_pullback(v.begin(), v.end(), v.begin(), 0.5, _seed, _d_v.data(), _d_v.data(), _r{{[0-9]+}});
// CHECK:         ::adjoint::derivatives::accumulate_range_pullback(v.begin(), v.end(), 0.0, _d_s, _d_v.data(), _r{{[0-9]+}});

ADJOINT_GRAD(x) double sumSquares(const double *x, int n) {
  return std::accumulate(x, x + n, 1.0,
                         [](double a, double b) { return a + b * b; });
}
// CHECK-LABEL: double sumSquares_vjp(
// CHECK:         auto _lambda0_pullback = [](double a, double b, double _d_return, double &_d_a, double &_d_b) {
// CHECK:         ::adjoint::derivatives::accumulate_range_pullback(x, x + n, 1.0, [](double a, double b) { return a + b * b; }, _seed, _d_x, _r0, _lambda0_pullback);

ADJOINT_GRAD(x, w) double weightedSum(const double *x, int n, double w) {
  auto step = [&](double a, double b) { return a * w + std::exp(b); };
  return std::accumulate(x + 1, x + n, x[0], step);
}
// CHECK-LABEL: double weightedSum_vjp(
// CHECK:         auto step_pullback = [&](double a, double b, double _d_return, double &_d_a, double &_d_b) {
// CHECK:           _d_w +=
// CHECK:         ::adjoint::derivatives::accumulate_range_pullback(x + 1, x + n, x[0], step, _seed, _d_x + 1, _r0, step_pullback);
// CHECK-NEXT:    _d_x[0] += _r0;

ADJOINT_GRAD(x) double mapped(const double *x, int n) {
  std::vector<double> v(n);
  std::transform(x, x + n, v.begin(), [](double t) { return std::sin(t) * t; });
  std::vector<double> u(n);
  std::transform(v.begin(), v.end(), x, u.begin(),
                 [](double a, double b) { return a * b + b; });
  std::transform(u.begin(), u.end(), u.begin(), [&](double t) { return t * x[1]; });
  return std::accumulate(u.begin(), u.end(), 0.0) + std::inner_product(x, x + n, u.data(), 0.0);
}
// CHECK-LABEL: double mapped_vjp(
// CHECK:         auto _lambda2_pullback = [&](double t, double _d_return, double &_d_t) {
// CHECK-NEXT:      _d_t += _d_return * (x[1]);
// CHECK-NEXT:      _d_x[1] += t * _d_return;
// CHECK:         ::adjoint::derivatives::transform_range_pullback(u.begin(), u.end(), u.begin(), [&](double t) { return t * x[1]; }, _d_u.data(), _d_u.data(), _lambda2_pullback);
// CHECK:         ::adjoint::derivatives::transform_range_pullback(v.begin(), v.end(), x, u.begin(), [](double a, double b) { return a * b + b; }, _d_v.data(), _d_x, _d_u.data(), _lambda1_pullback);
// CHECK:         ::adjoint::derivatives::transform_range_pullback(x, x + n, v.begin(), [](double t) { return std::sin(t) * t; }, _d_x, _d_v.data(), _lambda0_pullback);

ADJOINT_GRAD(x, out) void mappedOut(const double *x, double *out, int n) {
  double c = x[0];
  std::transform(x, x + n, out, [&](double t) { return c * t * t; });
}

// A loop calling an algorithm with a lambda is not fused: the lambda's
// pullback is defined after the forward sweep.
ADJOINT_GRAD(x) double fusedShape(const double *x, int n) {
  auto sq = [](double a, double b) { return a + b * b; };
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += std::accumulate(x, x + i + 1, 0.0, sq) * x[i];
  return s;
}

#ifdef ERRORS
ADJOINT_GRAD(x) double customProduct(const double *x, int n) {
  return std::inner_product(x, x + n, x, 0.0, [](double a, double b) { return a + b; },
                            [](double a, double b) { return a * b; });
  // ERR: algorithms.cpp:[[@LINE-2]]:10: error: adjoint: cannot differentiate 'std::inner_product' with operations in 'customProduct': write the loop, or use std::transform and std::accumulate
}
ADJOINT_GRAD(x) double writesCapture(const double *x, int n) {
  double last = 0;
  double s = std::accumulate(x, x + n, 0.0, [&](double a, double b) { last = b; return a + b * b; });
  // ERR: algorithms.cpp:[[@LINE-1]]:14: error: adjoint: cannot differentiate a call writing 'last' inside an expression in 'writesCapture': make the call a statement of its own ('f(x, r);', or 'bool ok = f(x, r);' and then test 'ok')
  return s + last;
}
inline const double *skip(const double *p) { return p + 1; }
ADJOINT_GRAD(x) double lostRange(const double *x, int n) {
  return std::accumulate(skip(x), x + n, 0.0);
  // ERR: algorithms.cpp:[[@LINE-1]]:26: error: adjoint: cannot differentiate 'std::accumulate' over a range adjoint cannot follow in 'lostRange': pass 'v.begin()', 'v.end()', 'x', 'x + n' or 'v.data()' of a std::vector, array or pointer
}
ADJOINT_GRAD(x) double mixedTypes(const double *x, int n) {
  return std::accumulate(x, x + n, 0.0, [](double a, float b) { return a + b; });
  // ERR: algorithms.cpp:[[@LINE-1]]:41: error: adjoint: cannot differentiate a lambda passed to 'std::accumulate' whose parameters are not the types of the accumulated value and the elements in 'mixedTypes': take and return the element type ('double')
}
#else
int main() {
  std::vector<double> x = {0.3, -0.7, 1.1, 0.5};
  auto run = [&](const char *Name, double (*F)(const double *, int), double (*G)(const double *, int, double *)) {
    std::vector<double> g(4, 0.0);
    G(x.data(), 4, g.data());
    lit::check(Name, [&](const std::vector<double> &p) { return F(p.data(), 4); }, x, g);
  };
  run("sumVector", sumVector, sumVector_grad);
  run("sumSquares", sumSquares, sumSquares_grad);
  run("mapped", mapped, mapped_grad);
  run("fusedShape", fusedShape, fusedShape_grad);
  std::vector<double> g(4, 0.0);
  double dw = 0;
  weightedSum_grad(x.data(), 4, 0.8, g.data(), dw);
  lit::check("weightedSum", [&](const std::vector<double> &p) { return weightedSum(p.data(), 4, 0.8); }, x, g);
  lit::check("weightedSum w", [&](const std::vector<double> &p) { return weightedSum(x.data(), 4, p[0]); }, {0.8}, {dw});
  for (int k = 0; k < 3; ++k) {
    std::vector<double> g4(4, 0.0), out(3), seed(3, 0.0);
    seed[k] = 1.0;
    mappedOut_grad(x.data(), out.data(), 3, g4.data(), seed.data());
    lit::check("mappedOut", [k](const std::vector<double> &p) { std::vector<double> o(3); mappedOut(p.data(), o.data(), 3); return o[k]; }, x, g4);
  }
}
#endif
// OUT: gradcheck sumVector: ok
// OUT: gradcheck sumSquares: ok
// OUT: gradcheck mapped: ok
// OUT: gradcheck fusedShape: ok
// OUT: gradcheck weightedSum: ok
// OUT: gradcheck weightedSum w: ok
// OUT: gradcheck mappedOut: ok
// OUT: gradcheck mappedOut: ok
// OUT: gradcheck mappedOut: ok
