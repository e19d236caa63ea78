// Generated gradients of tensor functions against finite differences
// (adjoint::gradcheck: central differences in double, |analytic - numeric| <=
// 1e-3 + 1e-2 |numeric|, see adjoint/tensor_gradcheck.h): every op, composed
// functions, broadcasting edge cases, shapes with 1s, batched matmul, double
// parameters and .item(), the losses and activations. Each check also calls
// the gradient twice to see it accumulate.
//
// RUN: %adjoint_cxx %s -o %t %adjoint_link
// RUN: %t | FileCheck %s
#include <adjoint/adjoint.h>
#include <adjoint/tensor_gradcheck.h>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

using adjoint::Tensor;
using V = std::vector<Tensor>;

namespace {
int Failures = 0;

/// Deterministic, varied values in [Low, Low + Span).
Tensor ramp(const adjoint::Shape &S, float Low, float Span, int Salt) {
  Tensor T = adjoint::empty(S);
  for (std::int64_t I = 0; I < T.numel(); ++I)
    T.data()[I] =
        Low + Span * static_cast<float>((I * 37 + Salt * 11 + 5) % 101) / 101;
  return T;
}

/// Checks the generated gradients \p Grads of \p F at \p Inputs, then that
/// \p Again (the same gradient call once more, into the same tensors)
/// doubles them.
void check(const std::string &Name, const adjoint::TensorFunction &F,
           const V &Inputs, V &Grads, const std::function<void()> &Again) {
  adjoint::TensorGradcheckOptions Options;
  Options.Name = Name;
  bool Ok = adjoint::gradcheck(F, Inputs, Grads, Options);
  V Before;
  for (const Tensor &G : Grads)
    Before.push_back(G.defined() ? G.clone() : Tensor());
  Again();
  for (std::size_t K = 0; K < Grads.size(); ++K) {
    if (!Before[K].defined())
      continue;
    for (std::int64_t I = 0; I < Grads[K].numel(); ++I)
      if (std::fabs(Grads[K].data()[I] - 2 * Before[K].data()[I]) >
          1e-5f * (1 + std::fabs(Before[K].data()[I])))
        Ok = false;
  }
  if (!Ok) {
    ++Failures;
    std::printf("%s: accumulation FAILED\n", Name.c_str());
  }
}
} // namespace

//===--- Functions under test ---------------------------------------------===//

ADJOINT_GRAD(a, b) Tensor add2(const Tensor &a, const Tensor &b) {
  return a + b;
}
ADJOINT_GRAD(a, b) Tensor sub2(const Tensor &a, const Tensor &b) {
  return a - b;
}
ADJOINT_GRAD(a, b) Tensor mul2(const Tensor &a, const Tensor &b) {
  return a * b;
}
ADJOINT_GRAD(a, b) Tensor div2(const Tensor &a, const Tensor &b) {
  return a / b;
}
ADJOINT_GRAD(a, b) Tensor matmul2(const Tensor &a, const Tensor &b) {
  return matmul(a, b);
}
// Every operand used twice and mixed: the adjoints of a and b add up.
ADJOINT_GRAD(a, b) Tensor mixed2(const Tensor &a, const Tensor &b) {
  Tensor u = a * b - a / (b * b + 1);
  return u * u + (-a) + b;
}

ADJOINT_GRAD(a) Tensor neg1(const Tensor &a) { return -a; }
ADJOINT_GRAD(a) Tensor scalars1(const Tensor &a) {
  return 2.5 * a - a / 4 + (1 - a) * 3 + (a + 2) / 2.0f - 3.0 / (a * a + 1);
}
ADJOINT_GRAD(a) Tensor pow1(const Tensor &a) { return pow(a, 3) + a.pow(2); }
ADJOINT_GRAD(a) Tensor exp1(const Tensor &a) { return exp(a); }
ADJOINT_GRAD(a) Tensor log1(const Tensor &a) { return log(a); }
ADJOINT_GRAD(a) Tensor sqrt1(const Tensor &a) { return sqrt(a); }
ADJOINT_GRAD(a) Tensor abs1(const Tensor &a) { return abs(a); }
ADJOINT_GRAD(a) Tensor sigmoid1(const Tensor &a) { return sigmoid(a); }
ADJOINT_GRAD(a) Tensor tanh1(const Tensor &a) { return tanh(a); }
ADJOINT_GRAD(a) Tensor relu1(const Tensor &a) { return relu(a); }
ADJOINT_GRAD(a) Tensor sum1(const Tensor &a) { return sum(a) + a.sum(); }
ADJOINT_GRAD(a) Tensor sumdim1(const Tensor &a) { return sum(a, 1); }
ADJOINT_GRAD(a) Tensor sumkeep1(const Tensor &a) { return a.sum(0, true) * a; }
ADJOINT_GRAD(a) Tensor mean1(const Tensor &a) { return mean(a) * a.mean(); }
ADJOINT_GRAD(a) Tensor meandim1(const Tensor &a) { return a.mean(-1); }
ADJOINT_GRAD(a) Tensor sumto1(const Tensor &a) { return sum_to(a * a, {1, 4}); }
ADJOINT_GRAD(a) Tensor t1(const Tensor &a) { return a.t() * 2; }
ADJOINT_GRAD(a) Tensor transpose1(const Tensor &a) {
  return transpose(a, 0, 2) + 1;
}
ADJOINT_GRAD(a) Tensor reshape1(const Tensor &a) {
  return a.reshape({1, -1}) * 3;
}
ADJOINT_GRAD(a) Tensor expand1(const Tensor &a) {
  return expand(a, {2, 3, 5}) * 2;
}
ADJOINT_GRAD(a) Tensor clone1(const Tensor &a) { return a.clone() * a; }
ADJOINT_GRAD(a) Tensor softmax1(const Tensor &a) { return softmax(a, 1); }
ADJOINT_GRAD(a) Tensor logsoftmax1(const Tensor &a) {
  return log_softmax(a, 0);
}

// Losses: the target is data (no gradient asked for).
ADJOINT_GRAD(z)
Tensor bce_mean(const Tensor &z, const Tensor &y) {
  return binary_cross_entropy_with_logits(z, y);
}
ADJOINT_GRAD(z)
Tensor bce_none(const Tensor &z, const Tensor &y) {
  return binary_cross_entropy_with_logits(z, y, adjoint::Reduction::None);
}
ADJOINT_GRAD(z, y, p)
Tensor bce_weighted(const Tensor &z, const Tensor &y, const Tensor &p) {
  return binary_cross_entropy_with_logits(z, y, adjoint::Reduction::Sum, p);
}
ADJOINT_GRAD(a, b) Tensor mse2(const Tensor &a, const Tensor &b) {
  return mse_loss(a, b);
}
ADJOINT_GRAD(a)
Tensor ce_classes(const Tensor &a, const std::vector<std::int64_t> &k) {
  return cross_entropy(a, k);
}
ADJOINT_GRAD(a, p) Tensor ce_probs(const Tensor &a, const Tensor &p) {
  return cross_entropy(a, p, adjoint::Reduction::Sum);
}

// Doubles and tensors mixed: a differentiated temperature, .item().
ADJOINT_GRAD(a, temperature)
Tensor tempered(const Tensor &a, double temperature) {
  return log_softmax(a / temperature, 1) * temperature;
}
ADJOINT_GRAD(a, s) double item2(const Tensor &a, double s) {
  double m = a.mean().item();
  return m * m * s + a.sum().item();
}
ADJOINT_GRAD(a, s) Tensor rescale(const Tensor &a, double s) {
  double n = a.pow(2).sum().item();
  return a * (s / (n + 1));
}
ADJOINT_GRAD(a, p) Tensor powp(const Tensor &a, double p) { return a.pow(p); }

// Composed: a two-layer MLP with cross entropy, and a loop.
ADJOINT_GRAD(w1, b1, w2, b2)
Tensor mlp(const Tensor &x, const std::vector<std::int64_t> &k,
           const Tensor &w1, const Tensor &b1, const Tensor &w2,
           const Tensor &b2) {
  Tensor h = tanh(matmul(x, w1) + b1);
  Tensor logits = matmul(h, w2) + b2;
  return cross_entropy(logits, k) + 0.01 * (w1 * w1).sum();
}
// One call per statement: nested tensor calls in a loop do not compile yet
// (their temporaries go on the trivially-copyable tape; /tmp/lit-bugs.md).
ADJOINT_GRAD(a, w) Tensor loop2(const Tensor &a, const Tensor &w) {
  Tensor z = a;
  for (int i = 0; i < 3; ++i) {
    Tensor u = matmul(z, w);
    Tensor v = sigmoid(u);
    z = v + z;
  }
  return z;
}
ADJOINT_GRAD(a) Tensor branch1(const Tensor &a, bool square) {
  Tensor z = a * 2;
  if (square)
    z = z * z;
  else
    z = exp(z);
  return z;
}

//===--- Checks -----------------------------------------------------------===//

#define CHECK1(NAME, A)                                                        \
  do {                                                                         \
    Tensor a = (A);                                                            \
    Tensor s = ramp(NAME(a).shape(), 0.5f, 1.0f, 7);                           \
    V G(1);                                                                    \
    auto call = [&] { NAME##_vjp(a, s, G[0]); };                               \
    call();                                                                    \
    check(                                                                     \
        #NAME " " + a.shape().str(),                                           \
        [&](const V &X) { return NAME(X[0]) * s; }, {a}, G, call);             \
  } while (0)

#define CHECK2(NAME, A, B)                                                     \
  do {                                                                         \
    Tensor a = (A), b = (B);                                                   \
    Tensor s = ramp(NAME(a, b).shape(), 0.5f, 1.0f, 7);                        \
    V G(2);                                                                    \
    auto call = [&] { NAME##_vjp(a, b, s, G[0], G[1]); };                      \
    call();                                                                    \
    check(                                                                     \
        #NAME " " + a.shape().str() + " " + b.shape().str(),                   \
        [&](const V &X) { return NAME(X[0], X[1]) * s; }, {a, b}, G, call);    \
  } while (0)

int main() {
  using S = adjoint::Shape;
  // Broadcasting edge cases and shapes with 1s, 0-D tensors.
  const std::vector<std::pair<S, S>> Pairs = {
      {{3, 1}, {1, 4}}, {{5}, {2, 5}},       {{2, 5}, {5}},
      {{2, 5}, {}},     {{}, {3}},           {{1}, {3}},
      {{1, 1}, {1, 1}}, {{4, 1, 3}, {2, 1}}, {{2, 3}, {2, 3}}};
  for (const auto &[A, B] : Pairs) {
    CHECK2(add2, ramp(A, -2, 4, 1), ramp(B, -2, 4, 2));
    CHECK2(sub2, ramp(A, -2, 4, 1), ramp(B, -2, 4, 2));
    CHECK2(mul2, ramp(A, -2, 4, 1), ramp(B, -2, 4, 2));
    CHECK2(div2, ramp(A, -2, 4, 1), ramp(B, 0.5, 2, 2));
    CHECK2(mixed2, ramp(A, -1, 2, 1), ramp(B, 0.5, 1, 2));
  }
  // matmul in all its forms.
  const std::vector<std::pair<S, S>> Products = {{{5}, {5}},
                                                 {{5}, {5, 3}},
                                                 {{4, 5}, {5}},
                                                 {{4, 5}, {5, 3}},
                                                 {{1, 3}, {3, 1}},
                                                 {{1, 1}, {1, 1}},
                                                 {{2, 4, 5}, {5, 3}},
                                                 {{2, 4, 5}, {2, 5, 3}},
                                                 {{1, 4, 5}, {3, 5, 2}},
                                                 {{2, 1, 4, 5}, {3, 5, 2}},
                                                 {{5}, {2, 5, 3}}};
  for (const auto &[A, B] : Products)
    CHECK2(matmul2, ramp(A, -1, 2, 3), ramp(B, -1, 2, 4));
  CHECK2(mse2, ramp({3, 4}, -1, 2, 1), ramp({3, 4}, -1, 2, 2));
  CHECK2(mse2, ramp({3, 4}, -1, 2, 1), ramp({4}, -1, 2, 2));
  CHECK2(ce_probs, ramp({4, 5}, -2, 4, 1), softmax(ramp({4, 5}, -1, 2, 9), 1));
  CHECK2(loop2, ramp({2, 3}, -1, 2, 1), ramp({3, 3}, -0.5, 1, 2));

  for (S Sh : {S{5}, S{3, 4}, S{1, 1}, S{}}) {
    CHECK1(neg1, ramp(Sh, -2, 4, 1));
    CHECK1(scalars1, ramp(Sh, 0.5, 2, 1));
    CHECK1(pow1, ramp(Sh, -2, 4, 1));
    CHECK1(exp1, ramp(Sh, -2, 4, 1));
    CHECK1(log1, ramp(Sh, 0.5, 2, 1));
    CHECK1(sqrt1, ramp(Sh, 0.5, 2, 1));
    CHECK1(abs1, ramp(Sh, -2, 4, 1));
    CHECK1(sigmoid1, ramp(Sh, -3, 6, 1));
    CHECK1(tanh1, ramp(Sh, -2, 4, 1));
    CHECK1(relu1, ramp(Sh, -2, 4, 1));
    CHECK1(sum1, ramp(Sh, -2, 4, 1));
    CHECK1(mean1, ramp(Sh, -2, 4, 1));
  }
  for (S Sh : {S{3, 4}, S{1, 4}, S{3, 1}}) {
    CHECK1(sumdim1, ramp(Sh, -2, 4, 1));
    CHECK1(sumkeep1, ramp(Sh, -2, 4, 1));
    CHECK1(meandim1, ramp(Sh, -2, 4, 1));
    CHECK1(sumto1, ramp(S{3, Sh[1] == 1 ? 4 : Sh[1]}, -2, 4, 1));
    CHECK1(t1, ramp(Sh, -2, 4, 1));
    CHECK1(reshape1, ramp(Sh, -2, 4, 1));
    CHECK1(clone1, ramp(Sh, -2, 4, 1));
    CHECK1(softmax1, ramp(Sh, -2, 4, 1));
    CHECK1(logsoftmax1, ramp(Sh, -2, 4, 1));
  }
  CHECK1(t1, ramp({4}, -2, 4, 1));
  CHECK1(transpose1, ramp({2, 3, 4}, -2, 4, 1));
  CHECK1(expand1, ramp({3, 1}, -2, 4, 1));
  CHECK1(expand1, ramp({5}, -2, 4, 1));

  // Losses with data targets: only the listed parameters get gradients.
  Tensor Z = ramp({4, 3}, -3, 6, 1), Y = ramp({4, 3}, 0.1f, 0.8f, 2);
  {
    V G(1);
    auto call = [&] { bce_mean_grad(Z, Y, G[0]); };
    call();
    check(
        "bce_mean", [&](const V &X) { return bce_mean(X[0], Y); }, {Z}, G,
        call);
  }
  {
    V G(1);
    Tensor Seed = ramp({4, 3}, 0.5f, 1.0f, 7);
    auto call = [&] { bce_none_vjp(Z, Y, Seed, G[0]); };
    call();
    check(
        "bce_none", [&](const V &X) { return bce_none(X[0], Y) * Seed; }, {Z},
        G, call);
  }
  {
    V G(3);
    Tensor P = ramp({3}, 0.5f, 2.0f, 3);
    auto call = [&] { bce_weighted_grad(Z, Y, P, G[0], G[1], G[2]); };
    call();
    check(
        "bce_weighted",
        [&](const V &X) { return bce_weighted(X[0], X[1], X[2]); }, {Z, Y, P},
        G, call);
  }
  {
    V G(1);
    std::vector<std::int64_t> K = {0, 4, 2, 2};
    Tensor A = ramp({4, 5}, -2, 4, 1);
    auto call = [&] { ce_classes_grad(A, K, G[0]); };
    call();
    check(
        "ce_classes", [&](const V &X) { return ce_classes(X[0], K); }, {A}, G,
        call);
  }
  // Doubles: their adjoints are checked against differences in the double
  // (as a 0-D tensor argument of the checked function).
  {
    Tensor A = ramp({3, 4}, -2, 4, 1);
    double T = 1.7, DT = 0;
    V G(1);
    Tensor Seed = ramp({3, 4}, 0.5f, 1.0f, 7);
    auto call = [&] { tempered_vjp(A, T, Seed, G[0], DT); };
    call();
    V GT = {G[0], adjoint::tensor(float(DT))};
    check(
        "tempered",
        [&](const V &X) { return tempered(X[0], X[1].item()) * Seed; },
        {A, adjoint::tensor(float(T))}, GT,
        [&] {
          call();
          GT[1].fill_(float(DT));
        });
  }
  {
    Tensor A = ramp({2, 3}, -2, 4, 1);
    double DS = 0;
    V G(1);
    auto call = [&] { item2_grad(A, 0.8, G[0], DS); };
    call();
    V GS = {G[0], adjoint::tensor(float(DS))};
    check(
        "item2",
        [&](const V &X) {
          return adjoint::tensor(float(item2(X[0], X[1].item())));
        },
        {A, adjoint::tensor(0.8f)}, GS,
        [&] {
          call();
          GS[1].fill_(float(DS));
        });
  }
  {
    Tensor A = ramp({2, 3}, -2, 4, 1);
    double DS = 0;
    V G(1);
    Tensor Seed = ramp({2, 3}, 0.5f, 1.0f, 7);
    auto call = [&] { rescale_vjp(A, 1.3, Seed, G[0], DS); };
    call();
    V GS = {G[0], adjoint::tensor(float(DS))};
    check(
        "rescale",
        [&](const V &X) { return rescale(X[0], X[1].item()) * Seed; },
        {A, adjoint::tensor(1.3f)}, GS,
        [&] {
          call();
          GS[1].fill_(float(DS));
        });
  }
  {
    Tensor A = ramp({2, 3}, 0.5, 2, 1);
    double DP = 0;
    V G(1);
    Tensor Seed = ramp({2, 3}, 0.5f, 1.0f, 7);
    auto call = [&] { powp_vjp(A, 2.5, Seed, G[0], DP); };
    call();
    V GP = {G[0], adjoint::tensor(float(DP))};
    check(
        "powp", [&](const V &X) { return powp(X[0], X[1].item()) * Seed; },
        {A, adjoint::tensor(2.5f)}, GP,
        [&] {
          call();
          GP[1].fill_(float(DP));
        });
  }
  // The composed network and control flow.
  {
    Tensor X = ramp({6, 4}, -1, 2, 1);
    std::vector<std::int64_t> K = {0, 2, 1, 1, 0, 2};
    Tensor W1 = ramp({4, 5}, -0.5, 1, 2), B1 = ramp({5}, -0.2f, 0.4f, 3);
    Tensor W2 = ramp({5, 3}, -0.5, 1, 4), B2 = ramp({3}, -0.2f, 0.4f, 5);
    V G(4);
    auto call = [&] { mlp_grad(X, K, W1, B1, W2, B2, G[0], G[1], G[2], G[3]); };
    call();
    check(
        "mlp", [&](const V &P) { return mlp(X, K, P[0], P[1], P[2], P[3]); },
        {W1, B1, W2, B2}, G, call);
  }
  for (bool Square : {true, false}) {
    Tensor A = ramp({2, 3}, -1, 2, 1);
    Tensor Seed = ramp({2, 3}, 0.5f, 1.0f, 7);
    V G(1);
    auto call = [&] { branch1_vjp(A, Square, Seed, G[0]); };
    call();
    check(
        Square ? "branch1 square" : "branch1 exp",
        [&](const V &X) { return branch1(X[0], Square) * Seed; }, {A}, G, call);
  }
  std::printf("failures: %d\n", Failures);
  return Failures ? 1 : 0;
}

// Every check prints "<name>: ok" (or mismatching elements and "FAILED").
// CHECK-NOT: FAILED
// CHECK: add2 [3, 1] [1, 4]: ok
// CHECK: mixed2 [3, 1] [1, 4]: ok
// CHECK: add2 [5] [2, 5]: ok
// CHECK: div2 [2, 5] []: ok
// CHECK: mul2 [] [3]: ok
// CHECK: mixed2 [4, 1, 3] [2, 1]: ok
// CHECK: matmul2 [5] [5]: ok
// CHECK: matmul2 [1, 3] [3, 1]: ok
// CHECK: matmul2 [2, 4, 5] [2, 5, 3]: ok
// CHECK: matmul2 [2, 1, 4, 5] [3, 5, 2]: ok
// CHECK: matmul2 [5] [2, 5, 3]: ok
// CHECK: mse2 [3, 4] [4]: ok
// CHECK: ce_probs [4, 5] [4, 5]: ok
// CHECK: loop2 [2, 3] [3, 3]: ok
// CHECK: scalars1 [5]: ok
// CHECK: relu1 [3, 4]: ok
// CHECK: mean1 []: ok
// CHECK: sumkeep1 [1, 4]: ok
// CHECK: softmax1 [3, 1]: ok
// CHECK: transpose1 [2, 3, 4]: ok
// CHECK: expand1 [5]: ok
// CHECK: bce_mean: ok
// CHECK: bce_none: ok
// CHECK: bce_weighted: ok
// CHECK: ce_classes: ok
// CHECK: tempered: ok
// CHECK: item2: ok
// CHECK: rescale: ok
// CHECK: powp: ok
// CHECK: mlp: ok
// CHECK: branch1 square: ok
// CHECK: branch1 exp: ok
// CHECK-NOT: FAILED
// CHECK: failures: 0
