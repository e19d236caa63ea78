// A constant static table of more than one dimension keeps its extents in
// their order: `A[2][3]` was declared `A[3][2]` in the generated function,
// which then read other entries (a flat initializer) or did not compile
// (one braced list per row).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"

ADJOINT_GRAD(x) double rows(double x) {
  static const double weights[2][3] = {{1, 2, 3}, {4, 5, 6}};
  return weights[1][0] * x * x + weights[0][2] * x;
}
// CHECK-LABEL: double rows_vjp(
// CHECK:         static const double weights[2][3] = {{[{][{]}}1, 2, 3}, {4, 5, 6}};

ADJOINT_GRAD(x) double flat(double x) {
  static const double weights[2][3] = {1, 2, 3, 4, 5, 6};
  return weights[1][0] * x * x;
}
// CHECK-LABEL: double flat_vjp(
// CHECK:         static const double weights[2][3] = {1, 2, 3, 4, 5, 6};

// Three dimensions, indexed in a loop (the table is declared once, at the
// top of the generated function).
ADJOINT_GRAD(x) double cube(const double *x, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i) {
    static const float c[2][2][3] = {{{1, 2, 3}, {4, 5, 6}}, {{7, 8, 9}, {10, 11, 12}}};
    s += c[i % 2][1][i] * x[i] * x[i];
  }
  return s;
}
// CHECK-LABEL: double cube_vjp(
// CHECK:         static const float c[2][2][3] =

int main() {
  double dx = 0;
  double v = rows_grad(1.5, dx);
  std::printf("rows: %g %g\n", v, dx);
  lit::check("rows", [](const std::vector<double> &p) { return rows(p[0]); }, {1.5}, {dx});
  dx = 0;
  v = flat_grad(1.5, dx);
  std::printf("flat: %g %g\n", v, dx);
  std::vector<double> x = {1.5, -2.0, 0.5}, g(3);
  cube_grad(x.data(), 3, g.data());
  lit::check("cube", [](const std::vector<double> &p) { return cube(p.data(), 3); }, x, g);
}
// rows: 4 x^2 + 3 x = 13.5 at 1.5, derivative 8 x + 3 = 15.
// OUT: rows: 13.5 15
// OUT: gradcheck rows: ok
// flat: A[1][0] = 4: 4 x^2 = 9, derivative 12.
// OUT: flat: 9 12
// OUT: gradcheck cube: ok
