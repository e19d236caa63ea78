// C code often defines short macros (`#define N 100`, -DT, -DP1, -DGI)
// before it includes adjoint's headers. The headers and the generated code
// name nothing a one- or two-letter upper-case macro can replace: this file
// defines all of them (Inputs/short-macros.h) before including
// <adjoint/adjoint.h> and <adjoint/scalar.h>, and differentiates functions
// that call the library's rules and the tensor API.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

#include "short-macros.h"

#include <adjoint/adjoint.h>
#include <adjoint/scalar.h>

#undef N
#define N 5

ADJOINT_GRAD(x)
double f(const double *x) {
  double s = 0;
  for (int i = 0; i < N; ++i)
    s += std::sin(x[i]) * std::exp(0.5 * x[i]) + std::hypot(x[i], 2.0);
  return s * std::pow(x[0], 2.0) +
         std::inner_product(x, x + N, x, 0.0) / std::max(x[1], 0.1);
}
// CHECK-LABEL: double f_vjp(const double * __restrict x, double _seed, double *_d_x) {
// CHECK:         ::adjoint::derivatives::inner_product_pullback(
// CHECK-LABEL: ::adjoint::Tensor loss_vjp(

ADJOINT_GRAD(w)
adjoint::Tensor loss(const adjoint::Tensor &w, const adjoint::Tensor &in) {
  return adjoint::sum(adjoint::tanh(adjoint::matmul(in, w)));
}

int main() {
  std::vector<double> x = {0.3, -0.7, 1.1, 0.5, 0.9}, g(N);
  f_grad(x.data(), g.data());
  adjoint::GradcheckOptions Options;
  Options.Name = "gradcheck f";
  adjoint::gradcheck([](const std::vector<double> &p) { return f(p.data()); },
                     x, g, Options);
  adjoint::Tensor w = adjoint::full({2, 1}, 0.5f);
  adjoint::Tensor in = adjoint::full({3, 2}, 0.25f);
  adjoint::Tensor dw;
  loss_grad(w, in, dw);
  std::printf("dw: %.6f %.6f\n", dw.data()[0], dw.data()[1]);
}
// OUT: gradcheck f: ok
// OUT: dw: [[VAL:[0-9.]+]] [[VAL]]
