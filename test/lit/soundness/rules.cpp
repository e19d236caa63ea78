// Derivative rules are chosen by arity, and built-in rules only for the
// library functions of their names. The three-argument std::hypot took the
// two-argument rule (the generated call did not compile); a user's own `sin`
// or `max` took the library's rule (a silently wrong gradient).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <algorithm>
#include <cmath>
#include <numeric>

ADJOINT_GRAD(a, b, c) double library(double a, double b, double c) {
  return std::hypot(a, b, c) + std::hypot(a, c) + std::fmod(a * 3, b) +
         std::floor(a) * c + std::min(a, b) * std::max(b, c) +
         std::clamp(a, b, c) + std::min(a * b, 2.0);
}
// CHECK-LABEL: double library_vjp(
// CHECK:         ::adjoint::derivatives::hypot_pullback(a, b, c, _seed, _r0, _r1, _r2);
// CHECK:         ::adjoint::derivatives::hypot_pullback(a, c, _seed, _r3, _r4);

ADJOINT_GRAD(a, b, c) float single(float a, float b, float c) {
  return sqrtf(a * a + 1) * expf(b) + logf(c * c + 1) + tanhf(a) * fabsf(b) +
         powf(a, 2) + powf(c, b) + sinf(a) * cosf(c) + atan2f(a, c) +
         std::exp(a * b);
}
// CHECK-LABEL: float single_vjp(
// CHECK:         ::adjoint::derivatives::sqrtf_result_pullback(

// std::inner_product and std::accumulate (the sum) over pointers have rules;
// with vector iterators or an operation argument they are errors (no rule of
// that arity), never a zero gradient.
ADJOINT_GRAD(x, y) double numeric(const double *x, const double *y, int n) {
  return std::inner_product(x, x + n, y, 0.0) * x[0] +
         std::accumulate(x, x + n, 1.0) * y[1] +
         std::inner_product(x, x + n, x, 0.5);
}
// CHECK-LABEL: double numeric_vjp(
// CHECK:         ::adjoint::derivatives::inner_product_pullback(x, x + n, y, 0.0, _seed * (x[0]), _d_x, _d_x + n, _d_y, _r0);

namespace my {
double sin(double x) { return x * x * x; }
} // namespace my
double max(double a, double b) { return a * b; }

ADJOINT_GRAD(a, b) double own(double a, double b) { return my::sin(a) + max(a, b); }
// CHECK-LABEL: double own_vjp(
// CHECK:         ::my::sin_pullback(a, _seed, _r0);
// CHECK:         ::max_pullback(a, b, _seed, _r1, _r2);

int main() {
  {
    double da = 0, db = 0, dc = 0;
    library_grad(0.3, -0.7, 1.1, da, db, dc);
    lit::check("library",
               [](const std::vector<double> &p) { return library(p[0], p[1], p[2]); },
               {0.3, -0.7, 1.1}, {da, db, dc});
  }
  {
    float da = 0, db = 0, dc = 0;
    single_grad(0.3f, -0.7f, 1.1f, da, db, dc);
    lit::checkf("single",
                [](const std::vector<double> &p) {
                  return (double)single((float)p[0], (float)p[1], (float)p[2]);
                },
                {0.3, -0.7, 1.1}, {da, db, dc});
  }
  {
    std::vector<double> p = {0.3, -0.7, 1.1, 1.5, 0.2, -0.4}, dx(3), dy(3);
    numeric_grad(p.data(), p.data() + 3, 3, dx.data(), dy.data());
    dx.insert(dx.end(), dy.begin(), dy.end());
    lit::check("numeric",
               [](const std::vector<double> &q) { return numeric(q.data(), q.data() + 3, 3); },
               p, dx);
  }
  {
    double da = 0, db = 0;
    own_grad(0.3, -0.7, da, db);
    lit::check("own", [](const std::vector<double> &p) { return own(p[0], p[1]); },
               {0.3, -0.7}, {da, db});
  }
}
// OUT: gradcheck library: ok
// OUT: gradcheck single: ok
// OUT: gradcheck numeric: ok
// OUT: gradcheck own: ok
