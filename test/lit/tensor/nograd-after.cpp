// A NoGradGuard after the loss is computed does not cut the loss's gradient:
// in PyTorch a tensor computed before `with torch.no_grad():` keeps its
// grad_fn, and returning it (or a plain copy of it) computes nothing. Only
// values computed after the guard are inactive.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -fplugin-arg-adjoint-dump %s -o %t/run %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s --check-prefix=GEN < %t/dump.txt
// RUN: %t/run | FileCheck %s
// RUN: %adjoint_gen --explain %s -- -std=c++17 -I%adjoint_include | FileCheck %s --check-prefix=EXPLAIN
#include <adjoint/adjoint.h>

#include <iostream>

using adjoint::Tensor;

ADJOINT_GRAD(w)
Tensor with_stats(const Tensor &x, const Tensor &w, Tensor &norm) {
  Tensor h = matmul(x, w);
  Tensor loss = sum(h);
  adjoint::NoGradGuard guard;
  norm = sqrt(sum(h * h));
  return loss;
}
// The statistics get no adjoint code; the returned loss does.
// GEN-LABEL: with_stats_vjp(
// GEN:       norm = sqrt(sum(h * h));
// GEN:       ::adjoint::derivatives::accumulate(_d_loss, _seed0);
// GEN-NEXT:  ::adjoint::derivatives::sum_pullback(h, _d_loss, _d_h);
// GEN-NEXT:  ::adjoint::derivatives::matmul_pullback(x, w, _d_h, ::adjoint::derivatives::unused(), _d_w);
// GEN-NEXT:  return _ret0;
// EXPLAIN:      with_stats ({{.*}}): gradient with respect to w
// EXPLAIN-NEXT: active (requires_grad=True): w, h, loss, result
// EXPLAIN:      result.grad_fn = SumBackward0 <- MmBackward0 <- AccumulateGrad(w)

// A copy made under the guard is still the same tensor.
ADJOINT_GRAD(w)
Tensor copied(const Tensor &x, const Tensor &w) {
  Tensor loss = sum(matmul(x, w));
  adjoint::NoGradGuard guard;
  Tensor out = loss;
  return out;
}
// EXPLAIN:      copied ({{.*}}): gradient with respect to w
// EXPLAIN-NEXT: active (requires_grad=True): w, loss, out, result

// A value computed under the guard has no gradient: w's stays undefined.
ADJOINT_GRAD(w)
Tensor computed_after(const Tensor &x, const Tensor &w) {
  Tensor loss = sum(matmul(x, w));
  adjoint::NoGradGuard guard;
  return loss * 2;
}
// GEN-LABEL: computed_after_vjp(
// GEN-NOT:   _pullback
// GEN:       return _ret0;
// EXPLAIN:      computed_after ({{.*}}): gradient with respect to w
// EXPLAIN-NEXT: active (requires_grad=True): none

int main() {
  Tensor x = adjoint::ones({2, 3}), w = adjoint::ones({3, 2});
  Tensor norm, dw;
  with_stats_grad(x, w, norm, dw);
  // d sum(x w) / dw = x^T 1 = 2 everywhere; norm = sqrt(4 * 3^2) = 6.
  // CHECK: tensor({{\[\[}}2., 2.],
  // CHECK-NEXT: [2., 2.],
  // CHECK-NEXT: [2., 2.]])
  std::cout << dw << "\n";
  // CHECK-NEXT: tensor(6.)
  std::cout << norm << "\n";
  Tensor dc;
  copied_grad(x, w, dc);
  // CHECK-NEXT: tensor({{\[\[}}2., 2.],
  std::cout << dc << "\n";
  Tensor da;
  computed_after_grad(x, w, da);
  // CHECK: computed after the guard: undefined
  std::cout << "computed after the guard: "
            << (da.defined() ? "defined" : "undefined") << "\n";
}
