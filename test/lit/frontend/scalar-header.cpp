// <adjoint/scalar.h> is enough for scalar code, split mode and vectors
// included, and leaves the tensor library out (cheaper to compile). With the
// plugin and with adjoint-gen + g++.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx %s -o %t/a.out %adjoint_link
// RUN: %t/a.out | FileCheck %s
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include
// RUN: %gxx %t/gen.cpp -o %t/gcc.out %adjoint_link
// RUN: %t/gcc.out | FileCheck %s
// CHECK-COUNT-3: gradcheck: ok
// CHECK: released: Trying to backward
#include <adjoint/scalar.h>

#ifdef ADJOINT_TENSOR_H
#error "<adjoint/scalar.h> includes the tensor library"
#endif

#include <cmath>
#include <cstdio>
#include <vector>

ADJOINT_GRAD(x)
double f(const double *x, int n) {
  std::vector<double> v(n);
  double s = 0;
  for (int i = 0; i < n; ++i) {
    v[i] = std::sin(x[i]) * x[i];
    s += v[i] * v[i];
  }
  return std::sqrt(s);
}

ADJOINT_GRAD(x, out)
void g(const double *x, double *out, int n) {
  for (int i = 0; i < n; ++i)
    out[i] = std::exp(x[i]);
}

int main() {
  std::vector<double> x = {0.3, 1.1, -0.7}, dx(3, 0.0);
  f_grad(x.data(), 3, dx.data());
  adjoint::gradcheck(
      [](const std::vector<double> &P) { return f(P.data(), 3); }, x, dx);

  std::vector<double> ds(3, 0.0);
  f_tape tape = f_forward(x.data(), 3);
  f_backward(tape, 1.0, ds.data());
  adjoint::gradcheck(
      [](const std::vector<double> &P) { return f(P.data(), 3); }, x, ds);

  double out[3], dout[3] = {0, 1, 0}, dg[3] = {0, 0, 0};
  g_grad(x.data(), out, 3, dg, dout);
  adjoint::gradcheck(
      [](const std::vector<double> &P) {
        double o[3];
        g(P.data(), o, 3);
        return o[1];
      },
      x, {dg[0], dg[1], dg[2]});

  std::vector<double> dr(3, 0.0);
  f_backward(std::move(tape), 1.0, dr.data());
  try {
    f_backward(std::move(tape), 1.0, dr.data());
  } catch (const adjoint::BackwardError &E) {
    std::printf("released: %s\n", E.what() + std::string("f_backward: ").size());
  }
}
