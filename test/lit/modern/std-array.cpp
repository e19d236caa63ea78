// std::array locals of doubles are differentiated as std::vectors are:
// elements through a[i], range-based for (also writing its elements),
// passed to a function by const reference, and std::accumulate /
// std::inner_product over a.begin()/a.end() (which are pointers). The
// adjoint is a zeroed std::array of the same type.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: %gxx -I%S/../scalar/Inputs %t/gen.cpp -o %t/gxx.out %adjoint_link
// RUN: %t/gxx.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <array>
#include <cmath>
#include <numeric>
#include <vector>

double norm3(const std::array<double, 3> &v) { return std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]); }

ADJOINT_GRAD(x) double arrays(const double *x, int n) {
  std::array<double, 3> a = {x[0], x[1] * x[2], 1.0};
  std::array<double, 3> b{};
  for (int i = 0; i < 3; ++i)
    b[i] = std::sin(a[i]) * x[3];
  double s = 0;
  for (double v : b)
    s += v * v;
  for (auto &v : a)
    v *= x[1];
  std::array<double, 3> c;
  for (size_t k = 0; k < c.size(); ++k)
    c[k] = a[k] * b[k];
  return s + a[0] * b[2] + norm3(c) + std::accumulate(a.begin(), a.end(), 0.0) + std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
}

// CHECK-LABEL: double arrays_vjp(
// CHECK:         std::array<double, 3> _d_a{};
// CHECK:         std::array<double, 3> a = {x[0], x[1] * x[2], 1.0};
// CHECK:         ::adjoint::derivatives::accumulate_range_pullback(a.begin(), a.end(), 0.0, _seed, _d_a.data(), _r{{[0-9]+}});
// CHECK:         ::adjoint::derivatives::inner_product_range_pullback(a.begin(), a.end(), b.begin(), 0.0, _seed, _d_a.data(), _d_b.data(), _r{{[0-9]+}});

int main() {
  std::vector<double> x = {0.3, -0.7, 1.1, 0.5}, g(4, 0.0);
  arrays_grad(x.data(), 4, g.data());
  lit::check("arrays", [](const std::vector<double> &p) { return arrays(p.data(), 4); }, x, g);
}
// OUT: gradcheck arrays: ok
