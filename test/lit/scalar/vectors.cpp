// std::vector<double> locals and parameters: sized locals, braced element
// lists (`= {a, b}`, `{a, b}`, `({a, b})`), push_back in a loop with a
// data-dependent trip count, resize, and `const std::vector<double>&`
// parameters with a `std::vector<double>&` shadow.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT --implicit-check-not=FAILED
#include "check.h"
#include <cmath>
#include <vector>

// Each element's adjoint flows back to the expression it was built from.
ADJOINT_GRAD(x, y) double braced(double x, double y) {
  std::vector<double> v = {x, x * y, std::sin(y)};
  return v[0] * v[1] + v[2];
}
// CHECK-LABEL: double braced_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK:         std::vector<double> _d_v;
// CHECK:         std::vector<double> v = {x, x * y, std::sin(y)};
// CHECK:         _d_v = std::vector<double>(v.size());
// CHECK:         _d_x += _d_v[0];
// CHECK:         double _r{{[0-9]+}} = _d_v[1];
// CHECK:         ::adjoint::derivatives::sin_pullback(y, _d_v[2], _r{{[0-9]+}});

ADJOINT_GRAD(x) double directList(double x) {
  std::vector<double> v{x, 3.0 * x};
  std::vector<double> w({x * x, 2.0});
  return v[0] * v[1] + w[0] * w[1];
}

// Elements appended in a loop whose trip count depends on the data.
ADJOINT_GRAD(x) double appended(const double *x, int n) {
  std::vector<double> v;
  for (int i = 0; i < n && x[i] < 10.0; ++i)
    v.push_back(x[i] * x[i]);
  double s = 0.0;
  for (int i = 0; i < (int)v.size(); ++i)
    s += v[i] * (i + 1);
  return s;
}
// CHECK-LABEL: double appended_vjp(const double * __restrict x, int n, double _seed, double *_d_x) {
// CHECK:         v.push_back(x[i] * x[i]);
// CHECK:         v.pop_back();

// Growing with resize keeps the elements written before.
ADJOINT_GRAD(a) double grown(double a) {
  std::vector<double> v(1);
  v[0] = a;
  v.resize(3);
  v[1] = v[0] * a;
  v[2] = v[1] * a;
  return v[0] + v[1] + v[2];
}

// A const& vector parameter has a std::vector<double>& shadow.
ADJOINT_GRAD(p) double norm2(const std::vector<double> &p) {
  double s = 0.0;
  for (size_t i = 0; i < p.size(); ++i)
    s += p[i] * p[i];
  return std::sqrt(s);
}
// CHECK-LABEL: double norm2_grad(const std::vector<double> & p, std::vector<double> &_d_p) {

int main() {
  using V = std::vector<double>;
  {
    double dx = 0, dy = 0;
    braced_grad(1.5, 0.5, dx, dy);
    // d/dx (x * xy + sin y) = 2xy = 1.5, d/dy = x^2 + cos y.
    lit::check("braced",
               [](const V &p) { return braced(p[0], p[1]); }, {1.5, 0.5},
               {dx, dy});
  }
  // OUT: braced: 1.500000 3.127583
  // OUT: gradcheck braced: ok
  {
    double dx = 0;
    directList_grad(2.0, dx);
    // 3x^2 + 2x^2: 10x.
    lit::check("directList", [](const V &p) { return directList(p[0]); },
               {2.0}, {dx});
  }
  // OUT: directList: 20.000000
  // OUT: gradcheck directList: ok
  {
    // The loop stops at 12.0, so only x[0..2] contribute: 2 x_i (i + 1).
    V x = {1.0, -2.0, 0.5, 12.0, 3.0};
    V dx(5, 0.0);
    appended_grad(x.data(), 5, dx.data());
    lit::check("appended",
               [](const V &p) { return appended(p.data(), 5); }, x, dx);
  }
  // OUT: appended: 2.000000 -8.000000 3.000000 0.000000 0.000000
  // OUT: gradcheck appended: ok
  {
    double da = 0;
    grown_grad(1.5, da);
    // a + a^2 + a^3: 1 + 2a + 3a^2.
    lit::check("grown", [](const V &p) { return grown(p[0]); }, {1.5}, {da});
  }
  // OUT: grown: 10.750000
  // OUT: gradcheck grown: ok
  {
    V p = {3.0, 4.0}, dp(2, 0.0);
    norm2_grad(p, dp);
    // p / |p|, accumulated twice: the shadow adds.
    norm2_grad(p, dp);
    lit::print("norm2 twice", dp);
    V once = {dp[0] / 2, dp[1] / 2};
    lit::check("norm2", [](const V &q) { return norm2(q); }, p, once);
  }
  // OUT: norm2 twice: 1.200000 1.600000
  // OUT: gradcheck norm2: ok
  {
    // An empty vector parameter: nothing to differentiate, value 0.
    V p, dp;
    std::printf("norm2 empty: %g %zu\n", norm2_grad(p, dp), dp.size());
  }
  // OUT: norm2 empty: 0 0
}
