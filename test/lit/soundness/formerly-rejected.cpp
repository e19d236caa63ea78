// Constructs of real code (ADBench's bundle adjustment, test-function
// collections) that were rejected although they are differentiable:
// several arrays in one declaration, an in-out output passed to a helper
// that indexes it with constants (radial_distort(&cam[9], proj)), and
// constant static tables (also in a nested block, and in split mode).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"

ADJOINT_GRAD(x) double two_arrays(const double *x) {
  double a[2], b[2];
  a[0] = x[0] * x[1];
  a[1] = x[1];
  b[0] = a[0] * a[1];
  b[1] = a[0];
  return b[0] + b[1];
}
// CHECK-LABEL: double two_arrays_vjp(
// CHECK:         double a[2];
// CHECK-NEXT:    double b[2];

// Reads and rewrites p[0] and p[1]: the reverse sweep needs their old values.
void distort(const double *k, double *p) {
  double r2 = p[0] * p[0] + p[1] * p[1];
  double factor = 1.0 + k[0] * r2;
  p[0] *= factor;
  p[1] *= factor;
}

ADJOINT_GRAD(k, proj) void project(const double *k, double *proj) {
  proj[0] = k[1] * 0.5;
  proj[1] = k[1] * k[1];
  distort(&k[0], proj);
}
// CHECK-LABEL: void project_grad(
// CHECK:         _tape.pushRange(proj, 2);

ADJOINT_GRAD(x) double tables(const double *x, int n) {
  static const double w[3] = {1.0, 2.0, 3.0};
  double s = 0;
  for (int i = 0; i < n; i++) {
    static const double c = 0.5;
    s += w[i] * x[i] * x[i] * c;
  }
  return s;
}
// CHECK-LABEL: double tables_vjp(
// CHECK:         static const double w[3] = {1.0, 2.0, 3.0};

// Arrays and vectors declared after an early return (the rest of the body is
// then the else branch of the return's `if`).
ADJOINT_GRAD(a, b) double after_return(double a, double b, int n) {
  if (a > 10)
    return a;
  double u = 0.5 * a, p[3] = {u, b, a * b}, w;
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i)
    v[i] = p[i % 3] * (i + 1);
  w = p[0] * p[2] + p[1] + v[n - 1];
  return w * u;
}
// CHECK-LABEL: double after_return_vjp(
// CHECK:         p[0] = u;
// CHECK-NEXT:    p[1] = b;
// CHECK-NEXT:    p[2] = a * b;

int main() {
  (void)&tables_forward; // split mode, generated for the names a file uses
  std::vector<double> x = {1.5, -2.0, 0.5};
  {
    std::vector<double> g(3);
    two_arrays_grad(x.data(), g.data());
    lit::check("two_arrays",
               [](const std::vector<double> &p) { return two_arrays(p.data()); },
               x, g);
  }
  {
    std::vector<double> k = {0.3, -0.7}, p(2), dk(2), dp = {1.0, 2.0};
    project_grad(k.data(), p.data(), dk.data(), dp.data());
    std::printf("project: %g %g\n", p[0], p[1]);
    lit::check("project",
               [](const std::vector<double> &q) {
                 double o[2];
                 project(q.data(), o);
                 return o[0] + 2 * o[1];
               },
               k, dk);
  }
  {
    std::vector<double> g(3), h(3);
    tables_grad(x.data(), 3, g.data());
    lit::check("tables",
               [](const std::vector<double> &p) { return tables(p.data(), 3); }, x,
               g);
    tables_tape Tape = tables_forward(x.data(), 3);
    tables_backward(Tape, 1.0, h.data());
    std::printf("split: %g %g %g\n", h[0] - g[0], h[1] - g[1], h[2] - g[2]);
  }
  {
    double da = 0, db = 0;
    after_return_grad(0.3, -0.7, 4, da, db);
    lit::check("after_return",
               [](const std::vector<double> &p) { return after_return(p[0], p[1], 4); },
               {0.3, -0.7}, {da, db});
  }
}
// OUT: gradcheck two_arrays: ok
// OUT: project: -0.388073 0.543302
// OUT: gradcheck project: ok
// OUT: gradcheck tables: ok
// OUT: split: 0 0 0
// OUT: gradcheck after_return: ok
