// JVP of a tensor loss with tangent tensors: one reverse sweep gives the
// gradient, whose contraction with the tangents is the directional
// derivative; checked against finite differences. A tangent of the wrong
// shape throws with both shapes.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "fwd_check.h"

using adjoint::Tensor;

// A layer and a loss; x and y are data, s a real scale.
ADJOINT_JVP(w, b, s)
Tensor loss(const Tensor &x, const Tensor &y, const Tensor &w, const Tensor &b,
            float s) {
  Tensor z = matmul(x, w) * s + b;
  return mse_loss(tanh(z), y) + 0.1f * sum(w * w);
}
// CHECK-LABEL: // loss_jvp, from loss
// CHECK-NEXT: inline ::adjoint::Dual<::adjoint::Tensor> loss_jvp(const ::adjoint::Tensor &x, const ::adjoint::Tensor &y, const ::adjoint::Tensor &w, const ::adjoint::Tensor &b, float s, const ::adjoint::Tensor &_t_w, const ::adjoint::Tensor &_t_b, float _t_s) {
// CHECK:        ::adjoint::Tensor _value = loss_jvp_sweep(x, y, w, b, s, ::adjoint::Tensor(), _g_w, _g_b, _g_s);
// CHECK:        return {_value, ::adjoint::detail::lossTangent(_value, _tangent, "loss_jvp")};

int main() {
  Tensor x = adjoint::tensor({{0.5f, -0.2f, 0.1f}, {0.3f, 0.8f, -0.6f}});
  Tensor y = adjoint::tensor({{0.1f, 0.0f}, {-0.2f, 0.4f}});
  Tensor w = adjoint::tensor({{0.2f, -0.1f}, {0.4f, 0.3f}, {-0.5f, 0.2f}});
  Tensor b = adjoint::tensor({0.05f, -0.1f});
  Tensor tw = adjoint::tensor({{1.0f, 0.5f}, {-0.3f, 0.2f}, {0.7f, -1.1f}});
  Tensor tb = adjoint::tensor({-0.4f, 0.9f});
  float s = 1.3f, ts = -0.6f;
  adjoint::Dual<Tensor> D = loss_jvp(x, y, w, b, s, tw, tb, ts);
  // Central differences in double around the float function.
  double h = 1e-2;
  auto At = [&](double e) {
    return double(loss(x, y, w + tw * float(e), b + tb * float(e),
                       s + ts * float(e))
                      .item());
  };
  double Fd = (At(h) - At(-h)) / (2 * h);
  bool Ok = lit::compare("tensor loss",
                         {D.value.item(), D.tangent.item()},
                         {loss(x, y, w, b, s).item(), Fd}, 1e-3);
  Ok &= D.tangent.shape() == D.value.shape();
  try {
    loss_jvp(x, y, w, b, s, tb, tb, ts);
    Ok = false;
  } catch (const std::invalid_argument &E) {
    std::printf("%s\n", E.what());
  }
  std::printf("%s\n", Ok ? "all ok" : "FAILED");
}
// OUT-NOT: FAILED
// OUT: tensor loss: ok
// OUT: loss_jvp: the tangent of 'w' has shape [2] but 'w' has shape [3, 2]
// OUT: all ok
