// Fuzzer finds (scripts/fuzz.sh, seeds 202264, 207503, 204700), reduced:
// - a call statement whose argument reads an element the call overwrites
//   (`put(&out[1], cos(out[1]), b)`): the argument's adjoint reads the value
//   from before the call, so the snapshot is put back before it, not after;
// - two buffers snapshotted by one call: both are taken back, then both
//   pushed again for after the pullback (they were interleaved, and came
//   back swapped);
// - an element assigned from another element of the same array
//   (`a[c] = f(a[4 - c], a[c])`): its adjoint is zeroed before the other's
//   is added (the two were merged into one assignment, wrong when the
//   indices meet).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs %s -o %t/a.out %adjoint_link
// RUN: %t/a.out | FileCheck %s
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s
#include "check.h"
#include <cmath>

void put(double *out, double u, double w) {
  out[0] = u * w;
  out[1] = std::sin(u) + 0.71 * w;
}

ADJOINT_GRAD(x, b, out) void argument(const double *x, double b, double *out) {
  out[0] = x[0] * x[1];
  out[1] = std::tanh(x[1]);
  out[2] = x[0];
  put(&out[1], 0.5 * std::cos(out[1]), b);
  out[0] += 0.73 * out[2];
}

void fill(const double *in, double *out, int m) {
  for (int j = 0; j < m; ++j)
    out[j] = std::tanh(in[j]) * 0.91 + 0.17 * in[(j + 1) % m];
}
void two(const double *in, double *p, double *q, int m) {
  for (int j = 0; j < m; ++j) {
    p[j] = std::sin(in[j]) + 0.5;
    q[j] = in[j] * p[j];
  }
}

ADJOINT_GRAD(x) double buffers(const double *x) {
  double p[7] = {0.0};
  double q[7] = {0.0};
  two(x + 2, &p[0], &q[0], 3);
  fill(&q[0], p + 1, 4);
  two(&x[2], &p[0], &q[4], 1);
  return std::tanh(-0.53 * p[0] + -0.31 * p[1] + -0.76 * q[6]);
}

ADJOINT_GRAD(a, b) double mirrored(double a, double b) {
  double v[5];
  for (int j = 0; j < 5; ++j)
    v[j] = std::sin(0.54 * -0.20 * a);
  for (int c = 0; c < 5; ++c)
    v[c] = std::tanh((b + v[4 - c]) - v[c] * 0.3);
  return v[2] + v[4] * v[1];
}

int main() {
  std::vector<double> x = {0.3, -0.7, 1.1, 0.5, 0.2};
  {
    std::vector<double> w = {0.4, -1.2, 0.8}, out(3), dout = w, dx(5);
    double db = 0;
    argument_grad(x.data(), 0.6, out.data(), dx.data(), db, dout.data());
    std::vector<double> p = {x[0], x[1], 0.6}, g = {dx[0], dx[1], db};
    lit::check("argument",
               [&](const std::vector<double> &q) {
                 std::vector<double> xx = x, o(3);
                 xx[0] = q[0];
                 xx[1] = q[1];
                 argument(xx.data(), q[2], o.data());
                 return w[0] * o[0] + w[1] * o[1] + w[2] * o[2];
               },
               p, g);
  }
  {
    std::vector<double> g(5);
    buffers_grad(x.data(), g.data());
    lit::check("buffers",
               [](const std::vector<double> &p) { return buffers(p.data()); }, x, g);
  }
  {
    double da = 0, db = 0;
    mirrored_grad(0.3, 0.7, da, db);
    lit::check("mirrored",
               [](const std::vector<double> &p) { return mirrored(p[0], p[1]); },
               {0.3, 0.7}, {da, db});
  }
}
// CHECK: gradcheck argument: ok
// CHECK: gradcheck buffers: ok
// CHECK: gradcheck mirrored: ok
