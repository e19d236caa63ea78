// A computation that does not reach the output is not active, and values that
// do not depend on a differentiated input are not either.
// RUN: %adjoint_gen --explain %s -- -std=c++17 -I%adjoint_include | FileCheck %s
#include <adjoint/adjoint.h>

using adjoint::Tensor;

ADJOINT_GRAD(w)
Tensor f(const Tensor &x, const Tensor &w) {
  Tensor unused = exp(w) * 2.0;
  Tensor scale = x * 3.0;
  Tensor h = relu(matmul(scale, w));
  return mean(h, 0).sum();
}
// CHECK: f ({{.*}}): gradient with respect to w
// CHECK-NEXT: active (requires_grad=True): w, h, result
// CHECK: inactive (requires_grad=False): x, unused, scale
// CHECK: unused {{ *}}does not reach the output (dead: nothing flows back through it)
// CHECK-NEXT: scale {{ *}}does not depend on a differentiated input
// CHECK: result.grad_fn = SumBackward0 <- MeanBackward1 <- ReluBackward0 <- MmBackward0 <- AccumulateGrad(w)
// CHECK-NOT: ExpBackward0

ADJOINT_GRAD(x)
double g(double x) {
  double dead = x * x;
  double c = 2.0;
  return c * x;
}
// CHECK: g ({{.*}}): gradient with respect to x
// CHECK-NEXT: active (requires_grad=True): x, result
// CHECK: inactive (requires_grad=False): dead, c
// CHECK: dead {{ *}}does not reach the output
// CHECK-NEXT: c {{ *}}does not depend on a differentiated input
// CHECK: result.grad_fn = MulBackward0 <- AccumulateGrad(x)
