// std::swap of two arrays of reals swaps them element by element, and so
// does its pullback: the array overload of the built-in swap rule (the
// scalar rule does not compile for arrays).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <utility>

ADJOINT_GRAD(x)
double rows(const double *x) {
  double a[3] = {x[0], x[1] * x[1], x[2]}, b[3] = {1.0, 2.0, 3.0};
  std::swap(a, b);
  return a[0] * b[0] + a[1] * b[1] + b[2] * b[1];
}
// CHECK-LABEL: double rows_vjp(
// CHECK:         std::swap(a, b);
// CHECK:         ::adjoint::derivatives::swap_pullback(a, b, _d_a, _d_b);

// Swapped in a loop: the arrays before each swap are restored for the
// statements before it.
ADJOINT_GRAD(x)
double rounds(const double *x, int n) {
  double a[2] = {x[0], x[1]}, b[2] = {x[1], 0.5};
  double s = 0;
  for (int i = 0; i < n; ++i) {
    s += a[0] * b[1] + a[1];
    std::swap(a, b);
    a[1] = a[1] * x[0];
  }
  return s + a[0] * b[0];
}

int main() {
  using V = std::vector<double>;
  {
    double x[3] = {1.5, 2.0, -0.5}, d[3] = {0, 0, 0};
    rows_grad(x, d);
    lit::check("rows", [](const V &v) { return rows(v.data()); }, {1.5, 2.0, -0.5},
               {d[0], d[1], d[2]});
  }
  {
    double x[3] = {1.5, 2.0, -0.5}, d[3] = {0, 0, 0};
    rounds_grad(x, 5, d);
    lit::check("rounds", [](const V &v) { return rounds(v.data(), 5); }, {1.5, 2.0, -0.5},
               {d[0], d[1], d[2]});
  }
  return 0;
}
// OUT: gradcheck rows: ok
// OUT: gradcheck rounds: ok
