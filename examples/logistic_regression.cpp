//===- logistic_regression.cpp - SGD with a generated gradient ------------===//
//
// Logistic regression on two Gaussian blobs the example draws itself
// (deterministic: manual_seed), trained by full-batch gradient descent with
// the gradient the adjoint plugin generates for `loss`. Prints the loss every
// 25 steps and the final accuracy.
//
//===----------------------------------------------------------------------===//
#include <adjoint/adjoint.h>

#include <cstdio>

using adjoint::Tensor;

/// Mean binary cross entropy of the linear classifier z = x w + b; the
/// gradient is taken with respect to the parameters only, the data x and y
/// get none.
ADJOINT_GRAD(w, b)
Tensor loss(const Tensor &x, const Tensor &y, const Tensor &w,
            const Tensor &b) {
  Tensor z = matmul(x, w) + b;
  return binary_cross_entropy_with_logits(z, y);
}

/// Fraction of the points on the right side of the decision boundary.
static double accuracy(const Tensor &x, const Tensor &y, const Tensor &w,
                       const Tensor &b) {
  Tensor z = matmul(x, w) + b;
  int Right = 0;
  for (std::int64_t I = 0; I < z.numel(); ++I)
    Right += (z.data()[I] > 0) == (y.data()[I] > 0.5f);
  return double(Right) / z.numel();
}

int main() {
  adjoint::manual_seed(42);
  // 200 points in 2-D: class 0 around (-1.5, -1), class 1 around (1.5, 1).
  const std::int64_t N = 200;
  Tensor x = adjoint::randn(N, 2) * 0.8f;
  Tensor y = adjoint::zeros({N, 1});
  for (std::int64_t I = 0; I < N; ++I) {
    bool One = I % 2;
    y.data()[I] = One;
    x.at({I, 0}) += One ? 1.5f : -1.5f;
    x.at({I, 1}) += One ? 1.0f : -1.0f;
  }

  Tensor w = adjoint::randn(2, 1) * 0.1f, b = adjoint::zeros({1});
  Tensor dw, db; // Allocated by the first gradient call, then reused.
  const float Lr = 0.5f;
  for (int Step = 0; Step <= 200; ++Step) {
    // Like loss.backward(): dw, db accumulate, so they are zeroed per step
    // (optimizer.zero_grad()).
    Tensor l = loss_grad(x, y, w, b, dw, db);
    if (Step % 25 == 0)
      std::printf("step %3d  loss %.4f\n", Step, l.item());
    // optimizer.step() of torch.optim.SGD, in place.
    w.add_(dw, -Lr);
    b.add_(db, -Lr);
    dw.zero_();
    db.zero_();
  }
  std::printf("accuracy %.3f\n", accuracy(x, y, w, b));
  return 0;
}
