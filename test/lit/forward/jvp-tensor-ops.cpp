// JVP of tensor functions by a forward sweep: each tensor has a tangent
// tensor beside it, each operation's from its forward rule
// (NAME_pushforward, beside NAME_pullback); data without a tangent costs
// nothing. Every operation with a reverse rule is exercised (arithmetic with
// broadcasting and scalars, elementwise functions, reductions, products and
// shapes, softmax, losses, item and at), with tensor and real results, user
// calls, loops and branches; each JVP is checked elementwise against central
// differences, and the dot-product identity <J v, u> = <v, J^T u> against
// f_vjp.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "fwd_check.h"

#include <functional>
#include <stdexcept>

using adjoint::Reduction;
using adjoint::Tensor;

// Arithmetic: tensor-tensor with broadcasting (b is a row), tensor-scalar
// and scalar-tensor, an integer scalar, negation, reassignment.
ADJOINT_JVP(a, b, s)
Tensor arith(const Tensor &a, const Tensor &b, float s) {
  Tensor c = a * b - a / (b * b + 2.0f);
  c = c + s * a - 3;
  return -c + s / (b * b + 1.0f) - b * s;
}
// CHECK-LABEL: // arith_pushforward, from arith
// CHECK-NEXT: template <class _S>
// CHECK-NEXT: inline ::adjoint::Dual<::adjoint::Tensor> arith_pushforward(const ::adjoint::Tensor &a, const ::adjoint::Tensor &b, _S s, const ::adjoint::Tensor &_t_a, const ::adjoint::Tensor &_t_b, _S _t_s) {
// CHECK-NEXT:   const ::adjoint::Tensor _v0 = (a) * (b);
// CHECK-NEXT:   const ::adjoint::Tensor _t_v0 = ::adjoint::derivatives::mul_pushforward(a, b, _v0, _t_a, _t_b);
// CHECK:        const ::adjoint::Tensor _t_v2 = ::adjoint::derivatives::add_pushforward(_v1, 2.0f, _v2, _t_v1, 0.0);
// CHECK:        ::adjoint::Tensor _t_c = _t_v4;
// CHECK-NEXT:   ::adjoint::Tensor c = _v4;
// CHECK-NEXT:   const ::adjoint::Tensor _v5 = (s) * (a);
// CHECK-NEXT:   const ::adjoint::Tensor _t_v5 = ::adjoint::derivatives::mul_pushforward(s, a, _v5, double(_t_s), _t_a);
// CHECK:        const ::adjoint::Tensor _v7 = (_v6) - (3);
// CHECK-NEXT:   const ::adjoint::Tensor _t_v7 = ::adjoint::derivatives::sub_pushforward(_v6, 3, _v7, _t_v6);
// CHECK-NEXT:   _t_c = _t_v7;
// CHECK-NEXT:   c = _v7;
// CHECK:        const ::adjoint::Tensor _t_v11 = ::adjoint::derivatives::div_pushforward(s, (_v10), _v11, double(_t_s), _t_v10);
// CHECK:        return ::adjoint::Dual<::adjoint::Tensor>{_v14, _t_v14};
// CHECK-LABEL: // arith_jvp, from arith
// CHECK-NEXT: inline ::adjoint::Dual<::adjoint::Tensor> arith_jvp(const ::adjoint::Tensor &a, const ::adjoint::Tensor &b, float s, const ::adjoint::Tensor &_t_a, const ::adjoint::Tensor &_t_b, float _t_s) {
// CHECK-NEXT:   ::adjoint::detail::checkTangentShape(_t_a, a, "arith_jvp", "a");
// CHECK-NEXT:   ::adjoint::detail::checkTangentShape(_t_b, b, "arith_jvp", "b");
// CHECK-NEXT:   ::adjoint::Dual<::adjoint::Tensor> _r = arith_pushforward<float>(a, b, s, _t_a, _t_b, _t_s);
// CHECK-NEXT:   return {_r.value, ::adjoint::detail::tangentOrZeros(_r.tangent, _r.value)};

// Elementwise functions and powers.
ADJOINT_JVP(x)
Tensor elementwise(const Tensor &x) {
  Tensor q = x * x + 1.0f;
  return relu(x) + sigmoid(x) * tanh(x) + exp(x * 0.5f) + log(q) + sqrt(q) +
         abs(x) + pow(x, 3) + q.pow(1.5) + pow(q, -0.5f);
}

// Reductions, with and without a dimension and keepdim.
ADJOINT_JVP(x)
Tensor reductions(const Tensor &x) {
  return sum(x, 1) * mean(x, 1) + x.sum() + mean(x) +
         sum(x * x, 0, true).sum(1) + x.mean(0, true).mean(1) +
         sum_to(x, {1, 3}).sum(1);
}

// Products and shapes; w's tangent enters the product, x is data.
ADJOINT_JVP(w, b)
Tensor shapes(const Tensor &x, const Tensor &w, const Tensor &b) {
  Tensor y = transpose(matmul(x, w), 0, 1);
  Tensor z = reshape(y, {6}) + expand(b, {6});
  return z.reshape({2, 3}) * matmul(w.t(), w).t().sum(0) + x.clone();
}

// detach(): no tangent flows through it.
ADJOINT_JVP(w)
Tensor stopped(const Tensor &w) { return w * w.detach(); }

ADJOINT_JVP(x)
Tensor softmaxes(const Tensor &x) {
  return softmax(x, 1) * log_softmax(x, 0) + log_softmax(x, -1);
}

// Losses: BCE with logits (reduced, per element, with a weight), MSE
// broadcasting its target, cross-entropy with probabilities and classes.
ADJOINT_JVP(z, y, pw)
Tensor losses(const Tensor &z, const Tensor &y, const Tensor &pw) {
  std::vector<std::int64_t> classes = {2, 0};
  return binary_cross_entropy_with_logits(z, y) +
         binary_cross_entropy_with_logits(z, y, Reduction::Sum, pw) +
         binary_cross_entropy_with_logits(z, y, Reduction::None, pw).mean() +
         mse_loss(z, y.sum(0), Reduction::None).sum() + mse_loss(z, y) +
         cross_entropy(z, softmax(y, 1)) +
         cross_entropy(z, classes, Reduction::None).sum() +
         cross_entropy(z, softmax(y, 1), Reduction::None).mean();
}
// The losses' rules take the same arguments as their pullbacks.
// CHECK-LABEL: // losses_pushforward, from losses
// CHECK: ::adjoint::derivatives::binary_cross_entropy_with_logits_pushforward(z, y, Reduction::Sum, pw, _v1, _t_z, _t_y, _t_pw);
// CHECK: ::adjoint::derivatives::cross_entropy_pushforward(z, classes, Reduction::None, _v{{[0-9]+}}, _t_z);

// A real result from item() and at().
ADJOINT_JVP(x, s)
double scalar_of(const Tensor &x, double s) {
  double v = (x * x).sum().item();
  return v * s + x.at({0, 1}) * x.at({1, 2});
}

// A user helper called twice, loops, branches and reassignment.
Tensor dense(const Tensor &x, const Tensor &w, const Tensor &b) {
  return tanh(matmul(x, w) + b);
}
ADJOINT_JVP(w, b)
Tensor network(const Tensor &x, const Tensor &w, const Tensor &b, int layers) {
  Tensor h = x;
  for (int i = 0; i < layers; ++i) {
    h = dense(h, w, b);
    if (i % 2 == 1)
      h = h * h;
  }
  return h;
}
// CHECK-LABEL: // dense_pushforward, from dense
// CHECK-LABEL: // network_pushforward, from network
// CHECK:      ::adjoint::Tensor _t_h = _t_x;
// CHECK:      ::adjoint::Dual<::adjoint::Tensor> _c0 = ::dense_pushforward<_S>(h, w, b, _t_h, _t_w, _t_b);
// CHECK-NEXT: _t_h = _c0.tangent;
// CHECK-NEXT: h = _c0.value;
// CHECK-LABEL: // network_jvp, from network
// CHECK: ::adjoint::Dual<::adjoint::Tensor> _r = network_pushforward<double>(x, w, b, layers, ::adjoint::Tensor(), _t_w, _t_b);

// A function of data only along its listed inputs' directions: the result's
// tangent is zeros of its shape.
ADJOINT_JVP(w)
Tensor constant_in_w(const Tensor &x, const Tensor &w) {
  return x * 2.0f + zeros_like(w).sum();
}

// A user's tensor op (a raw loop) with its rules beside it: the forward
// rule serves f_jvp.
namespace mylib {
inline Tensor cube(const Tensor &x) {
  Tensor y = adjoint::empty(x.shape());
  for (std::int64_t i = 0; i < x.numel(); ++i)
    y.data()[i] = x.data()[i] * x.data()[i] * x.data()[i];
  return y;
}
inline void cube_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x) {
  adjoint::derivatives::accumulate(d_x, d_out * x * x * 3.0f);
}
inline Tensor cube_pushforward(const Tensor &x, const Tensor &,
                               const Tensor &t_x) {
  return t_x.defined() ? t_x * x * x * 3.0f : Tensor();
}
} // namespace mylib
ADJOINT_JVP(x)
Tensor custom(const Tensor &x) { return mylib::cube(x) * 2.0f; }
// CHECK-LABEL: // custom_pushforward, from custom
// CHECK: const ::adjoint::Tensor _t_v0 = ::mylib::cube_pushforward(x, _v0, _t_x);

// Dot-product identity with reverse mode.
ADJOINT_GRAD(w) ADJOINT_JVP(w)
Tensor head(const Tensor &x, const Tensor &w) {
  return log_softmax(matmul(x, w), 1);
}

namespace {

/// Elementwise check of D against F(0) and central differences of F.
bool check(const char *Name, const adjoint::Dual<Tensor> &D,
           const std::function<Tensor(float)> &F, double Tol = 2e-3) {
  const float H = 1e-2f;
  Tensor V = F(0), P = F(H), M = F(-H);
  std::vector<double> Got, Want;
  if (D.value.shape() != V.shape() || D.tangent.shape() != V.shape()) {
    std::printf("%s: shapes %s, %s, want %s\n", Name,
                D.value.shape().str().c_str(), D.tangent.shape().str().c_str(),
                V.shape().str().c_str());
    return false;
  }
  for (std::int64_t I = 0; I < V.numel(); ++I) {
    Got.push_back(D.value.data()[I]);
    Want.push_back(V.data()[I]);
    Got.push_back(D.tangent.data()[I]);
    Want.push_back((double(P.data()[I]) - M.data()[I]) / (2 * H));
  }
  return lit::compare(Name, Got, Want, Tol);
}

double dot(const Tensor &A, const Tensor &B) {
  double S = 0;
  for (std::int64_t I = 0; I < A.numel(); ++I)
    S += double(A.data()[I]) * B.data()[I];
  return S;
}

} // namespace

int main() {
  Tensor a = adjoint::tensor({{0.5f, -0.2f, 0.1f}, {0.3f, 0.8f, -0.6f}});
  Tensor ta = adjoint::tensor({{1.0f, 0.5f, -0.3f}, {0.2f, -0.7f, 1.1f}});
  Tensor b = adjoint::tensor({0.4f, -0.3f, 0.9f});
  Tensor tb = adjoint::tensor({-0.4f, 0.9f, 0.25f});
  float s = 1.3f, ts = -0.6f;
  bool Ok = check("arith", arith_jvp(a, b, s, ta, tb, ts), [&](float e) {
    return arith(a + ta * e, b + tb * e, s + ts * e);
  });
  Ok &= check("elementwise", elementwise_jvp(a, ta),
              [&](float e) { return elementwise(a + ta * e); });
  Ok &= check("reductions", reductions_jvp(a, ta),
              [&](float e) { return reductions(a + ta * e); });
  Tensor w = adjoint::tensor({{0.2f, -0.1f, 0.3f},
                              {0.4f, 0.3f, -0.2f},
                              {-0.5f, 0.2f, 0.1f}});
  Tensor tw = adjoint::tensor({{1.0f, 0.5f, 0.2f},
                               {-0.3f, 0.2f, 0.6f},
                               {0.7f, -1.1f, 0.4f}});
  Tensor b1 = adjoint::tensor({0.3f}), tb1 = adjoint::tensor({-0.8f});
  Ok &= check("shapes", shapes_jvp(a, w, b1, tw, tb1), [&](float e) {
    return shapes(a, w + tw * e, b1 + tb1 * e);
  });
  Ok &= check("detach", stopped_jvp(w, tw),
              [&](float e) { return (w + tw * e) * w; });
  Ok &= check("custom rule", custom_jvp(a, ta),
              [&](float e) { return custom(a + ta * e); });
  Ok &= check("softmaxes", softmaxes_jvp(a, ta),
              [&](float e) { return softmaxes(a + ta * e); });
  Tensor pw = adjoint::tensor({1.5f, 0.5f, 2.0f});
  Tensor tpw = adjoint::tensor({0.3f, -0.2f, 0.6f});
  Tensor y = adjoint::tensor({{0.9f, 0.1f, 0.4f}, {0.2f, 0.7f, 0.5f}});
  Ok &= check("losses", losses_jvp(a, y, pw, ta, ta * 0.5f, tpw),
              [&](float e) {
                return losses(a + ta * e, y + ta * (0.5f * e), pw + tpw * e);
              });
  {
    adjoint::Dual<double> D = scalar_of_jvp(a, 0.7, ta, -0.4);
    auto At = [&](double e) {
      return scalar_of(a + ta * float(e), 0.7 - 0.4 * e);
    };
    Ok &= lit::compare("item and at", {D.value, D.tangent},
                       {At(0), (At(1e-2) - At(-1e-2)) / 2e-2}, 1e-3);
  }
  Tensor bb = adjoint::tensor({0.1f, -0.2f, 0.05f});
  Ok &= check("network", network_jvp(a, w, bb, 3, tw, tb), [&](float e) {
    return network(a, w + tw * e, bb + tb * e, 3);
  });
  {
    adjoint::Dual<Tensor> D = constant_in_w_jvp(a, w, tw);
    Ok &= lit::compare("constant in w", {dot(D.tangent, D.tangent)}, {0.0});
  }
  {
    // <J v, u> = <v, J^T u>, J^T u from head_vjp.
    Tensor u = adjoint::tensor({{0.3f, -1.0f, 0.5f}, {0.8f, 0.1f, -0.4f}});
    adjoint::Dual<Tensor> D = head_jvp(a, w, tw);
    Tensor dw;
    head_vjp(a, w, u, dw);
    Ok &= lit::compare("dot-product identity", {dot(D.tangent, u)},
                       {dot(tw, dw)}, 1e-5);
  }
  try {
    arith_jvp(a, b, s, tb, tb, ts);
    Ok = false;
  } catch (const std::invalid_argument &E) {
    std::printf("%s\n", E.what());
  }
  std::printf("%s\n", Ok ? "all ok" : "FAILED");
}
// OUT-NOT: FAILED
// OUT: arith: ok
// OUT: elementwise: ok
// OUT: reductions: ok
// OUT: shapes: ok
// OUT: detach: ok
// OUT: custom rule: ok
// OUT: softmaxes: ok
// OUT: losses: ok
// OUT: item and at: ok
// OUT: network: ok
// OUT: constant in w: ok
// OUT: dot-product identity: ok
// OUT: arith_jvp: the tangent of 'a' has shape [3] but 'a' has shape [2, 3]
// OUT: all ok
