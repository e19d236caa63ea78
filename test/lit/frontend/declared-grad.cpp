// A gradient declared by the user (in a header, to call it from another
// file) is accepted when the declaration matches the generated signature; the
// generated definition then has external linkage and links with the other
// file. With the plugin and with adjoint-gen + g++.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump -c %s -o %t/grad.o 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %plain_cxx -I%S/Inputs -c %S/Inputs/declared_main.cpp -o %t/main.o
// RUN: %plain_cxx %t/grad.o %t/main.o -o %t/a.out %adjoint_link
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/Inputs
// RUN: %gxx -I%S/Inputs %t/gen.cpp %S/Inputs/declared_main.cpp -o %t/gcc.out %adjoint_link
// RUN: %t/gcc.out | FileCheck %s --check-prefix=OUT
// CHECK: {{^}}double sq_vjp(double x, double k, double _seed, double &_d_x)
// CHECK: {{^}}double sq_grad(double x, double k, double &_d_x)
// CHECK: {{^}}void scale_grad(
// CHECK: {{^}}::adjoint::Tensor loss_vjp(
// CHECK: {{^}}::adjoint::Tensor loss_grad(
// OUT: sq = 3.375, d_x = 4.500
// OUT: gradcheck: ok
// OUT: vjp d_x = 9.000
// OUT: scale d_in = 2.000 0.000
// OUT: gradcheck: ok
#include "declared.h"

namespace model {

ADJOINT_GRAD(x)
double sq(double x, double k) { return k * x * x / 2; }

ADJOINT_GRAD(in, out)
void scale(const double *in, double *out, int n) {
  for (int i = 0; i < n; ++i)
    out[i] = 2 * in[i];
}

ADJOINT_GRAD(w)
adjoint::Tensor loss(const adjoint::Tensor &x, const adjoint::Tensor &y,
                     const adjoint::Tensor &w) {
  adjoint::Tensor r = matmul(x, w) - y;
  return mean(r * r);
}

} // namespace model
