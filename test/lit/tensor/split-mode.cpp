// Split mode for tensor functions: f_forward saves what the reverse sweep
// reads, f_backward(const f_tape&) can run several times (retain_graph=True)
// and f_backward(f_tape&&) releases the tape. Each backward adds the same
// gradient as f_grad, including through a loop that reassigns a tensor (its
// adjoint moves out) and a variable passed twice to one op.
// RUN: %adjoint_cxx %s -o %t %adjoint_link
// RUN: %t | FileCheck %s
#include <adjoint/adjoint.h>

#include <cmath>
#include <cstdio>

using adjoint::Tensor;

ADJOINT_GRAD(w, b)
Tensor net(const Tensor &x, const Tensor &w, const Tensor &b, int n) {
  Tensor h = matmul(x, w) + b;
  for (int i = 0; i < n; ++i)
    h = tanh(h) * h;
  return mean(h * h);
}

namespace {
/// Largest |A - Scale * B|.
float diff(const Tensor &A, const Tensor &B, float Scale) {
  float E = 0;
  for (std::int64_t I = 0; I < A.numel(); ++I)
    E = std::fmax(E, std::fabs(A.data()[I] - Scale * B.data()[I]));
  return E;
}
} // namespace

int main() {
  adjoint::manual_seed(3);
  Tensor x = adjoint::randn(4, 3), w = adjoint::randn(3, 2) * 0.5f,
         b = adjoint::randn({2}) * 0.1f;
  Tensor gw, gb;
  Tensor loss = net_grad(x, w, b, 2, gw, gb);
  net_tape tape = net_forward(x, w, b, 2);
  Tensor sw, sb;
  net_backward(tape, Tensor(), sw, sb);
  net_backward(tape, Tensor(), sw, sb);
  // CHECK: retained twice: value 1, grads 1
  std::printf("retained twice: value %d, grads %d\n",
              diff(tape.value, loss, 1) == 0,
              diff(sw, gw, 2) < 1e-6f && diff(sb, gb, 2) < 1e-6f);
  net_backward(std::move(tape), Tensor(), sw, sb);
  // CHECK-NEXT: released: grads 1
  std::printf("released: grads %d\n",
              diff(sw, gw, 3) < 1e-6f && diff(sb, gb, 3) < 1e-6f);
  // CHECK-NEXT: second backward: net_backward: Trying to backward through the graph a second time
  try {
    net_backward(std::move(tape), Tensor(), sw, sb);
  } catch (const adjoint::BackwardError &E) {
    std::printf("second backward: %s\n", E.what());
  }
  bool Ok = adjoint::gradcheck(
      [&](const std::vector<Tensor> &P) { return net(x, P[0], P[1], 2); },
      {w, b}, {gw, gb});
  // CHECK: gradcheck 1
  std::printf("gradcheck %d\n", Ok);
}
