//===- mlp.cpp - A two-layer perceptron on two moons ----------------------===//
//
// A 2-32-2 tanh MLP trained with cross entropy on the two-moons dataset the
// example draws itself (deterministic: manual_seed), by full-batch gradient
// descent with the gradient the adjoint plugin generates for `loss`. Prints
// the loss every 200 steps and the final accuracy.
//
//===----------------------------------------------------------------------===//
#include <adjoint/adjoint.h>

#include <cmath>
#include <cstdio>
#include <vector>

using adjoint::Tensor;

/// The network's logits for the points x.
static Tensor forward(const Tensor &x, const Tensor &w1, const Tensor &b1,
                      const Tensor &w2, const Tensor &b2) {
  Tensor h = tanh(matmul(x, w1) + b1);
  return matmul(h, w2) + b2;
}

/// Mean cross entropy of the network on labelled points. forward's body is
/// visible, so the plugin generates its pullback too.
ADJOINT_GRAD(w1, b1, w2, b2)
Tensor loss(const Tensor &x, const std::vector<std::int64_t> &labels,
            const Tensor &w1, const Tensor &b1, const Tensor &w2,
            const Tensor &b2) {
  Tensor logits = forward(x, w1, b1, w2, b2);
  return cross_entropy(logits, labels);
}

int main() {
  adjoint::manual_seed(7);
  // Two interleaved half circles with Gaussian noise, as sklearn's
  // make_moons(noise=0.1).
  const std::int64_t N = 300;
  const double Pi = 3.14159265358979323846;
  Tensor t = adjoint::rand({N}) * float(Pi);
  Tensor noise = adjoint::randn(N, 2) * 0.1f;
  Tensor x = adjoint::empty({N, 2});
  std::vector<std::int64_t> labels(N);
  for (std::int64_t I = 0; I < N; ++I) {
    float T = t.data()[I];
    bool Upper = I < N / 2;
    labels[I] = Upper ? 0 : 1;
    x.at({I, 0}) = (Upper ? std::cos(T) : 1 - std::cos(T)) + noise.at({I, 0});
    x.at({I, 1}) =
        (Upper ? std::sin(T) : 0.5f - std::sin(T)) + noise.at({I, 1});
  }

  const std::int64_t H = 32;
  Tensor w1 = adjoint::randn(2, H) * 1.0f, b1 = adjoint::zeros({H});
  Tensor w2 = adjoint::randn(H, 2) * float(1 / std::sqrt(double(H)));
  Tensor b2 = adjoint::zeros({2});
  Tensor dw1, db1, dw2, db2;
  const float Lr = 0.5f;
  for (int Step = 0; Step <= 2000; ++Step) {
    Tensor l = loss_grad(x, labels, w1, b1, w2, b2, dw1, db1, dw2, db2);
    if (Step % 200 == 0)
      std::printf("step %4d  loss %.4f\n", Step, l.item());
    // SGD step, then zero_grad: the gradients accumulate otherwise.
    w1 = w1 - Lr * dw1;
    b1 = b1 - Lr * db1;
    w2 = w2 - Lr * dw2;
    b2 = b2 - Lr * db2;
    for (Tensor *D : {&dw1, &db1, &dw2, &db2})
      D->zero_();
  }
  Tensor logits = forward(x, w1, b1, w2, b2);
  int Right = 0;
  for (std::int64_t I = 0; I < N; ++I)
    Right += (logits.at({I, 1}) > logits.at({I, 0})) == (labels[I] == 1);
  std::printf("accuracy %.3f\n", double(Right) / N);
  return 0;
}
