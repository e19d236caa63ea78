// Values computed under NoGradGuard (torch.no_grad()) or through detach() are
// inactive, like requires_grad=False in PyTorch.
// RUN: %adjoint_gen --explain %s -- -std=c++17 -I%adjoint_include | FileCheck %s
#include <adjoint/adjoint.h>

using adjoint::Tensor;

ADJOINT_GRAD(w, b)
Tensor loss_no_grad(const Tensor &x, const Tensor &y, const Tensor &w,
                    const Tensor &b) {
  adjoint::NoGradGuard guard;
  Tensor z = matmul(x, w) + b;
  return binary_cross_entropy_with_logits(z, y);
}
// CHECK: loss_no_grad ({{.*}}): gradient with respect to w, b
// CHECK-NEXT: active (requires_grad=True): none
// CHECK-NEXT: inactive (requires_grad=False): x, y, w, b, z, result
// CHECK: w {{ *}}differentiated input, but it does not reach the output (its gradient is zero)
// CHECK: z {{ *}}computed under NoGradGuard (torch.no_grad())
// CHECK-NEXT: result {{ *}}does not depend on a differentiated input: the gradient is zero
// CHECK-NEXT: backward graph:
// CHECK-NEXT: (empty: the output does not depend on a differentiated input)

ADJOINT_GRAD(w, b)
Tensor loss_detached(const Tensor &x, const Tensor &y, const Tensor &w,
                     const Tensor &b) {
  Tensor z = matmul(x, w) + b;
  Tensor z_det = adjoint::detach(z);
  return binary_cross_entropy_with_logits(z_det, y);
}
// CHECK: loss_detached ({{.*}}): gradient with respect to w, b
// CHECK-NEXT: active (requires_grad=True): none
// CHECK-NEXT: inactive (requires_grad=False): x, y, w, b, z, z_det, result
// CHECK: z {{ *}}reaches the output only through detach()
// CHECK-NEXT: z_det {{ *}}detached (detach() stops the gradient)

// Frozen parameter: w.detach() keeps b's gradient.
ADJOINT_GRAD(w, b)
Tensor loss_frozen(const Tensor &x, const Tensor &y, const Tensor &w,
                   const Tensor &b) {
  Tensor z = matmul(x, w.detach()) + b;
  return binary_cross_entropy_with_logits(z, y);
}
// CHECK: loss_frozen ({{.*}}): gradient with respect to w, b
// CHECK-NEXT: active (requires_grad=True): b, z, result
// CHECK: inactive (requires_grad=False): x, y, w
// CHECK: result.grad_fn = BinaryCrossEntropyWithLogitsBackward0 <- AddBackward0 <- AccumulateGrad(b)

// A guard in an inner block ends with it.
ADJOINT_GRAD(w)
Tensor partly(const Tensor &x, const Tensor &w) {
  Tensor h = x * w;
  Tensor stats;
  {
    adjoint::NoGradGuard guard;
    stats = mean(h);
  }
  return sum(h - stats);
}
// CHECK: partly ({{.*}}): gradient with respect to w
// CHECK-NEXT: active (requires_grad=True): w, h, result
// CHECK: h {{ *}}grad_fn=<MulBackward0>
// CHECK: inactive (requires_grad=False): x, stats
// CHECK: stats {{ *}}computed under NoGradGuard
// CHECK: result.grad_fn = SumBackward0 <- SubBackward0 <- MulBackward0 <- AccumulateGrad(w)
