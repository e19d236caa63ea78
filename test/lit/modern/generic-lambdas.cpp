// Lambdas with `auto` parameters (instantiated with one type) and default
// captures `[=]` and `[&]` in a robust regression cost: the pullback is
// generated from the one instantiation (`[](double v, ...)`). Passed to a
// standard algorithm: generic-lambda-algorithms.cpp.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: %gxx -I%S/../scalar/Inputs %t/gen.cpp -o %t/gxx.out %adjoint_link
// RUN: %t/gxx.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>
#include <vector>

ADJOINT_GRAD(x) double cost(const double *x, int n, double w) {
  auto sq = [](auto v) { return v * v; };
  auto huber = [=](const auto &r) {
    return std::fabs(r) < w ? 0.5 * r * r : w * (std::fabs(r) - 0.5 * w);
  };
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += sq(x[i]) + huber(x[i] - 0.3);
  auto couple = [&](auto i) { return w * x[i] * x[(i + 1) % n]; };
  for (int i = 0; i < n; ++i)
    s += couple(i);
  return s;
}
// CHECK-LABEL: double cost_vjp(
// CHECK:         auto sq_pullback = [](double v, double _d_return, double &_d_v) {
// CHECK:         auto huber_pullback = [&](const double & r, double _d_return, double &_d_r) {
// CHECK:         auto couple_pullback = [&](int i, double _d_return) {

int main() {
  using V = std::vector<double>;
  V x = {0.5, -1.0, 2.0}, g(3, 0.0);
  cost_grad(x.data(), 3, 1.2, g.data());
  lit::check("cost", [](const V &p) { return cost(p.data(), 3, 1.2); }, x, g);
}
// OUT: gradcheck cost: ok
