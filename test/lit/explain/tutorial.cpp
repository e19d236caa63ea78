// --explain on the tutorial's network: requires_grad of every variable and
// the grad_fn chain, with PyTorch's node names.
// RUN: %adjoint_gen --explain %s -- -std=c++17 -I%adjoint_include | FileCheck %s
#include <adjoint/adjoint.h>

using adjoint::Tensor;

ADJOINT_GRAD(w, b)
Tensor loss(const Tensor &x, const Tensor &y, const Tensor &w,
            const Tensor &b) {
  Tensor z = matmul(x, w) + b;
  return binary_cross_entropy_with_logits(z, y);
}

// CHECK: loss ({{.*}}tutorial.cpp:9): gradient with respect to w, b
// CHECK-NEXT: active (requires_grad=True): w, b, z, result
// CHECK-NEXT: w {{ *}}differentiated input (leaf: AccumulateGrad)
// CHECK-NEXT: b {{ *}}differentiated input (leaf: AccumulateGrad)
// CHECK-NEXT: z {{ *}}grad_fn=<AddBackward0>: depends on a differentiated input and reaches the output
// CHECK-NEXT: result {{ *}}grad_fn=<BinaryCrossEntropyWithLogitsBackward0>: the output
// CHECK-NEXT: inactive (requires_grad=False): x, y
// CHECK-NEXT: x {{ *}}no gradient requested (not in ADJOINT_GRAD)
// CHECK-NEXT: y {{ *}}no gradient requested (not in ADJOINT_GRAD)
// CHECK-NEXT: backward graph:
// CHECK-NEXT: result.grad_fn = BinaryCrossEntropyWithLogitsBackward0 <- AddBackward0 <- (MmBackward0 <- AccumulateGrad(w)), AccumulateGrad(b)
// CHECK-NEXT: {{^ +}}BinaryCrossEntropyWithLogitsBackward0 {{ *}}line 12: binary_cross_entropy_with_logits(z, y)
// CHECK-NEXT: {{^ +}}AddBackward0 {{ *}}line 11: matmul(x, w) + b -> z
// CHECK-NEXT: {{^ +}}MmBackward0 {{ *}}line 11: matmul(x, w) [operand ranks unknown: 2-D . 2-D assumed]
// CHECK-NEXT: {{^ +}}AccumulateGrad(w)
// CHECK-NEXT: {{^ +}}AccumulateGrad(b)

// The ranks come from the calls in the file when they all agree: here
// x = ones(5) and w = randn(5, 3), the tutorial's 1-D . 2-D product.
ADJOINT_GRAD(w, b)
Tensor loss2(const Tensor &x, const Tensor &y, const Tensor &w,
             const Tensor &b) {
  Tensor z = matmul(x, w) + b;
  return binary_cross_entropy_with_logits(z, y);
}

// CHECK: loss2 ({{.*}}): gradient with respect to w, b
// CHECK: result.grad_fn = BinaryCrossEntropyWithLogitsBackward0 <- AddBackward0 <- (MmBackward0 <- AccumulateGrad(w)), AccumulateGrad(b)
// CHECK: MmBackward0 {{ *}}line 37: matmul(x, w) [1-D . 2-D: PyTorch shows SqueezeBackward4 over MmBackward0]

// The eye(4, 5) cell: (inp + 1).pow(2).t().
ADJOINT_GRAD(inp)
Tensor cell(const Tensor &inp) { return (inp + 1).pow(2).t(); }
// CHECK: cell ({{.*}}): gradient with respect to inp
// CHECK: result.grad_fn = TBackward0 <- PowBackward0 <- AddBackward0 <- AccumulateGrad(inp)

int main() {
  Tensor x = adjoint::ones(5);
  Tensor y = adjoint::zeros(3);
  Tensor w = adjoint::randn(5, 3);
  Tensor b = adjoint::randn(3);
  Tensor l = loss2(x, y, w, b);
  Tensor c = cell(adjoint::eye(4, 5));
  return l.numel() + c.numel() > 0 ? 0 : 1;
}
