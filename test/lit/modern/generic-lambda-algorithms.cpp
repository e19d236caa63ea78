// Lambdas with `auto` parameters passed to std::transform (unary and binary)
// and std::accumulate: each is differentiated in its one instantiation, the
// algorithm's element types (adjoint-gen's analysis skips the algorithm's
// body, so adjoint instantiates the call operator itself). These were errors
// before session 10 ('a lambda with 'auto' parameters passed to
// 'std::accumulate': give them types').
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: FileCheck %s --check-prefix=GEN < %t/gen.cpp
// RUN: %gxx -I%S/../scalar/Inputs %t/gen.cpp -o %t/gxx.out %adjoint_link
// RUN: %t/gxx.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

ADJOINT_GRAD(x) double generic(const double *x, int n) {
  std::vector<double> v(n), u(n);
  std::transform(x, x + n, v.begin(), [](auto t) { return std::sin(t) * t; });
  std::transform(v.begin(), v.end(), x, u.begin(),
                 [](const auto &a, auto b) { return a * b + b; });
  return std::accumulate(u.begin(), u.end(), 0.5,
                         [&](auto acc, auto e) { return acc + e * e * x[0]; });
}
// CHECK-LABEL: double generic_vjp(
// CHECK:         auto _lambda0_pullback = [](double t, double _d_return, double &_d_t) {
// CHECK:         auto _lambda1_pullback = [](const double & a, double b, double _d_return, double &_d_a, double &_d_b) {
// CHECK:         ::adjoint::derivatives::accumulate_range_pullback(u.begin(), u.end(), 0.5, [&](auto acc, auto e) { return acc + e * e * x[0]; }, _seed, _d_u.data(), _r{{[0-9]+}}, _lambda2_pullback);
// GEN:         auto _lambda0_pullback = [](double t, double _d_return, double &_d_t) {
// GEN:         ::adjoint::derivatives::accumulate_range_pullback(u.begin(), u.end(), 0.5, [&](auto acc, auto e) { return acc + e * e * x[0]; }, _seed, _d_u.data(), _r{{[0-9]+}}, _lambda2_pullback);

int main() {
  std::vector<double> x = {0.3, -0.7, 1.1, 0.5}, g(4, 0.0);
  generic_grad(x.data(), 4, g.data());
  lit::check("generic", [&](const std::vector<double> &p) { return generic(p.data(), 4); }, x, g);
}
// OUT: gradcheck generic: ok
