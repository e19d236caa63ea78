// A NoGradGuard after the loss is computed must not cut the loss's gradient:
// in PyTorch a tensor computed before `with torch.no_grad():` keeps its
// grad_fn. Today the guard also makes the later `return loss` inactive, so
// no gradient is generated at all (/tmp/lit-bugs.md, "[tensor]").
// XFAIL: *
// RUN: %adjoint_cxx %s -o %t %adjoint_link
// RUN: %t | FileCheck %s
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

int main() {
  Tensor norm, dw;
  with_stats_grad(adjoint::ones({2, 3}), adjoint::ones({3, 2}), norm, dw);
  // d sum(x w) / dw = x^T 1 = 2 everywhere.
  // CHECK: tensor({{\[\[}}2., 2.],
  std::cout << dw << "\n";
}
