// JVP of a tensor loss with tangent tensors: a forward sweep (tangent
// tensors beside the values); a body the forward sweep cannot take (tensor
// operations in a branch of ?:) falls back to one reverse sweep, whose
// gradient contracted with the tangents is the directional derivative. Both
// checked against finite differences. A tangent of the wrong shape throws
// with both shapes.
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
// CHECK-LABEL: // loss_pushforward, from loss
// CHECK:        const ::adjoint::Tensor _v0 = matmul(x, w);
// CHECK-NEXT:   const ::adjoint::Tensor _t_v0 = ::adjoint::derivatives::matmul_pushforward(x, w, _v0, _t_x, _t_w);
// CHECK:        ::adjoint::derivatives::mse_loss_pushforward(
// CHECK-LABEL: // loss_jvp, from loss
// CHECK-NEXT: inline ::adjoint::Dual<::adjoint::Tensor> loss_jvp(const ::adjoint::Tensor &x, const ::adjoint::Tensor &y, const ::adjoint::Tensor &w, const ::adjoint::Tensor &b, float s, const ::adjoint::Tensor &_t_w, const ::adjoint::Tensor &_t_b, float _t_s) {
// CHECK:        ::adjoint::Dual<::adjoint::Tensor> _r = loss_pushforward<float>(x, y, w, b, s, ::adjoint::Tensor(), ::adjoint::Tensor(), _t_w, _t_b, _t_s);

// Tensor operations in a branch of ?:: the reverse sweep.
ADJOINT_JVP(w)
Tensor pick(const Tensor &x, const Tensor &w, bool relu_first) {
  Tensor z = relu_first ? relu(matmul(x, w)) : tanh(matmul(x, w));
  return sum(z * z);
}
// CHECK-NOT:  // pick_pushforward
// CHECK-LABEL: // pick_jvp, from pick
// CHECK-NEXT: inline ::adjoint::Dual<::adjoint::Tensor> pick_jvp(const ::adjoint::Tensor &x, const ::adjoint::Tensor &w, bool relu_first, const ::adjoint::Tensor &_t_w) {
// CHECK:        ::adjoint::Tensor _value = pick_jvp_sweep(x, w, relu_first, ::adjoint::Tensor(), _g_w);
// CHECK:        return {_value, ::adjoint::detail::lossTangent(_value, _tangent, "pick_jvp")};

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
  for (bool First : {true, false}) {
    adjoint::Dual<Tensor> P = pick_jvp(x, w, First, tw);
    auto PickAt = [&](double e) {
      return double(pick(x, w + tw * float(e), First).item());
    };
    Ok &= lit::compare(First ? "fallback, relu" : "fallback, tanh",
                       {P.value.item(), P.tangent.item()},
                       {PickAt(0), (PickAt(h) - PickAt(-h)) / (2 * h)}, 1e-3);
  }
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
// OUT: fallback, relu: ok
// OUT: fallback, tanh: ok
// OUT: loss_jvp: the tangent of 'w' has shape [2] but 'w' has shape [3, 2]
// OUT: all ok
