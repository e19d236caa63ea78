// An output parameter passed on to a callee, whole (c), or through &c[0] and
// c + 2: the output's adjoint flows into the callee's pullback. A callee that
// only writes through its parameter needs no snapshot of what it overwrites,
// so these are not rejected as "a call overwriting 'c', whose earlier
// contents the reverse sweep needs" (nor is a double& filled by a callee).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <vector>

void squares(const double *in, double *out, int n) {
  for (int i = 0; i < n; ++i)
    out[i] = in[i] * in[i];
}
// Passed on through another function that only writes.
void squares_via(const double *in, double *out, int n) { squares(in, out, n); }

ADJOINT_GRAD(x, c) void halves(const double *x, double *c, int n) {
  squares(x, &c[0], 2);
  squares_via(x + 2, c + 2, n - 2);
}
// CHECK-LABEL: void halves_grad(
// CHECK-NOT:     std::copy
// CHECK:         squares_via_pullback(x + 2, c + 2, n - 2, _d_x + 2, _d_c + 2);
// CHECK:         squares_pullback(x, &c[0], 2, _d_x, &_d_c[0]);

ADJOINT_GRAD(x, c) void whole(const double *x, double *c, int n) {
  squares(x, c, n);
}

void square_into(double a, double &r) { r = a * a; }

ADJOINT_GRAD(x) double by_reference(const double *x, int n) {
  double r;
  square_into(x[0], r);
  double t;
  square_into(x[1] + r, t);
  return t;
}

// A non-const input pointer that the function never writes (C style).
ADJOINT_GRAD(x) double c_style(double *x, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += x[i] * x[i];
  return s;
}

int main() {
  std::vector<double> x = {0.3, -0.7, 1.1, 0.5}, w = {0.2, 1.3, -0.4, 0.9};
  auto weighted = [&](void (*F)(const double *, double *, int)) {
    return [&, F](const std::vector<double> &p) {
      std::vector<double> o(4);
      F(p.data(), o.data(), 4);
      double s = 0;
      for (int i = 0; i < 4; ++i)
        s += w[i] * o[i];
      return s;
    };
  };
  {
    std::vector<double> g(4), c(4), dc = w;
    halves_grad(x.data(), c.data(), 4, g.data(), dc.data());
    lit::check("halves", weighted(halves), x, g);
  }
  {
    std::vector<double> g(4), c(4), dc = w;
    whole_grad(x.data(), c.data(), 4, g.data(), dc.data());
    lit::check("whole", weighted(whole), x, g);
  }
  {
    std::vector<double> g(4);
    by_reference_grad(x.data(), 4, g.data());
    lit::check("by_reference",
               [](const std::vector<double> &p) { return by_reference(p.data(), 4); },
               x, g);
  }
  {
    std::vector<double> g(4), p = x;
    c_style_grad(p.data(), 4, g.data());
    lit::check("c_style",
               [](std::vector<double> p) { return c_style(p.data(), 4); }, x, g);
  }
}
// OUT: halves: 0.120000 -1.820000 -0.880000 0.900000
// OUT: gradcheck halves: ok
// OUT: gradcheck whole: ok
// OUT: gradcheck by_reference: ok
// OUT: gradcheck c_style: ok
