//===- tensor_derivatives.cpp - Pullbacks and pushforwards of tensor ops --===//

#include "adjoint/tensor_derivatives.h"

#include "tensor_internal.h"

#include <cmath>

namespace adjoint {
namespace derivatives {

using adjoint::detail::throwInvalid;

namespace {
/// Throws unless the defined adjoint \p D has shape \p S.
void checkAdjoint(const char *Op, const Tensor &D, const Shape &S) {
  if (D.shape() != S)
    throwInvalid(Op, "adjoint of shape " + D.shape().str() +
                         " cannot accumulate the gradient of an argument of "
                         "shape " +
                         S.str());
}

/// Throws unless the upstream gradient has the forward result's shape.
void checkUpstream(const char *Op, const Tensor &DOut, const Shape &S) {
  adjoint::detail::checkDefined(Op, DOut);
  if (DOut.shape() != S)
    throwInvalid(Op, "upstream gradient of shape " + DOut.shape().str() +
                         " does not match the result's shape " + S.str());
}

/// D += G for an argument of shape \p S, summing G over broadcast dimensions
/// first. An undefined D takes G itself when \p Owned says that nobody else
/// holds G (so later accumulation cannot write into another tensor).
void accumulate(const char *Op, Tensor &D, const Shape &S, Tensor G,
                bool Owned) {
  if (is_unused(D))
    return;
  if (G.shape() != S) {
    G = sum_to(G, S);
    Owned = true;
  }
  if (!D.defined()) {
    D = Owned ? std::move(G) : G.clone();
    return;
  }
  checkAdjoint(Op, D, S);
  // Both have shape S now: add without add_'s broadcast checks.
  kernels::axpy(static_cast<std::size_t>(D.numel()), 1.0f, G.data(), D.data());
}

/// D += G broadcast to the argument's shape \p S (for reductions).
void accumulateExpanded(const char *Op, Tensor &D, const Shape &S,
                        const Tensor &G) {
  if (is_unused(D))
    return;
  if (!D.defined()) {
    D = expand(G, S);
    return;
  }
  checkAdjoint(Op, D, S);
  D.add_(G);
}

/// Whether the caller wants the adjoint \p D: generated code passes unused()
/// for inactive arguments, and their gradient is then never computed (not
/// just thrown away), so that e.g. the input-gradient GEMM of a layer whose
/// input is data costs nothing.
bool wanted(const Tensor &D) { return !is_unused(D); }

/// Allocates an undefined D as zeros of shape \p S (checks a defined one),
/// for kernels that accumulate into their output. Returns false, touching
/// nothing, for the unused() adjoint: the shared sink must stay undefined.
bool prepare(const char *Op, Tensor &D, const Shape &S) {
  if (is_unused(D))
    return false;
  if (!D.defined())
    D = zeros(S);
  else
    checkAdjoint(Op, D, S);
  return true;
}

/// Sum of A * B over all elements, in double.
double dot(const Tensor &A, const Tensor &B) {
  double Acc = 0;
  for (std::int64_t I = 0; I < A.numel(); ++I)
    Acc += static_cast<double>(A.data()[I]) * B.data()[I];
  return Acc;
}

/// Sum of all elements, in double.
double total(const Tensor &A) {
  double Acc = 0;
  for (std::int64_t I = 0; I < A.numel(); ++I)
    Acc += A.data()[I];
  return Acc;
}

Shape broadcastResult(const char *Op, const Tensor &A, const Tensor &B) {
  adjoint::detail::checkDefined(Op, A);
  adjoint::detail::checkDefined(Op, B);
  if (A.shape() == B.shape())
    return A.shape();
  return adjoint::detail::broadcastShapes(Op, A.shape(), B.shape());
}
} // namespace

//===--- Arithmetic
//--------------------------------------------------------===//

void add_pullback(const Tensor &a, const Tensor &b, const Tensor &d_out,
                  Tensor &d_a, Tensor &d_b) {
  const char *Op = "add_pullback";
  checkUpstream(Op, d_out, broadcastResult(Op, a, b));
  accumulate(Op, d_a, a.shape(), d_out, false);
  accumulate(Op, d_b, b.shape(), d_out, false);
}

void sub_pullback(const Tensor &a, const Tensor &b, const Tensor &d_out,
                  Tensor &d_a, Tensor &d_b) {
  const char *Op = "sub_pullback";
  checkUpstream(Op, d_out, broadcastResult(Op, a, b));
  accumulate(Op, d_a, a.shape(), d_out, false);
  if (wanted(d_b))
    accumulate(Op, d_b, b.shape(), neg(d_out), true);
}

void mul_pullback(const Tensor &a, const Tensor &b, const Tensor &d_out,
                  Tensor &d_a, Tensor &d_b) {
  const char *Op = "mul_pullback";
  checkUpstream(Op, d_out, broadcastResult(Op, a, b));
  if (wanted(d_a))
    accumulate(Op, d_a, a.shape(), d_out * b, true);
  if (wanted(d_b))
    accumulate(Op, d_b, b.shape(), d_out * a, true);
}

void div_pullback(const Tensor &a, const Tensor &b, const Tensor &d_out,
                  Tensor &d_a, Tensor &d_b) {
  const char *Op = "div_pullback";
  checkUpstream(Op, d_out, broadcastResult(Op, a, b));
  if (!wanted(d_a) && !wanted(d_b))
    return;
  Tensor GA = d_out / b;
  // d(a / b)/db = -(a / b) / b, reusing d_out / b.
  if (wanted(d_b))
    accumulate(Op, d_b, b.shape(), neg(GA * a / b), true);
  accumulate(Op, d_a, a.shape(), std::move(GA), true);
}

void neg_pullback(const Tensor &a, const Tensor &d_out, Tensor &d_a) {
  checkUpstream("neg_pullback", d_out, a.shape());
  if (wanted(d_a))
    accumulate("neg_pullback", d_a, a.shape(), neg(d_out), true);
}

namespace detail {
void addScalarPullback(const Tensor &T, double, bool, const Tensor &DOut,
                       Tensor &DT, double *DS) {
  checkUpstream("add_pullback", DOut, T.shape());
  accumulate("add_pullback", DT, T.shape(), DOut, false);
  if (DS)
    *DS += total(DOut);
}

void subScalarPullback(const Tensor &T, double, bool ScalarFirst,
                       const Tensor &DOut, Tensor &DT, double *DS) {
  checkUpstream("sub_pullback", DOut, T.shape());
  // s - t negates the tensor's gradient, t - s the scalar's.
  if (ScalarFirst && wanted(DT))
    accumulate("sub_pullback", DT, T.shape(), neg(DOut), true);
  else if (!ScalarFirst)
    accumulate("sub_pullback", DT, T.shape(), DOut, false);
  if (DS)
    *DS += ScalarFirst ? total(DOut) : -total(DOut);
}

void mulScalarPullback(const Tensor &T, double S, bool, const Tensor &DOut,
                       Tensor &DT, double *DS) {
  checkUpstream("mul_pullback", DOut, T.shape());
  if (wanted(DT))
    accumulate("mul_pullback", DT, T.shape(), DOut * S, true);
  if (DS)
    *DS += dot(DOut, T);
}

void divScalarPullback(const Tensor &T, double S, bool ScalarFirst,
                       const Tensor &DOut, Tensor &DT, double *DS) {
  checkUpstream("div_pullback", DOut, T.shape());
  if (ScalarFirst) {
    // s / t: d/ds = 1 / t, d/dt = -s / t^2.
    if (!DS && !wanted(DT))
      return;
    Tensor Recip = 1.0f / T;
    if (DS)
      *DS += dot(DOut, Recip);
    if (wanted(DT))
      accumulate("div_pullback", DT, T.shape(),
                 DOut * Recip * Recip * static_cast<float>(-S), true);
    return;
  }
  // t / s: d/dt = 1 / s, d/ds = -t / s^2.
  if (wanted(DT))
    accumulate("div_pullback", DT, T.shape(), DOut / static_cast<float>(S),
               true);
  if (DS)
    *DS -= dot(DOut, T) / (S * S);
}

void powPullback(const Tensor &X, double P, const Tensor &DOut, Tensor &DX,
                 double *DP) {
  const char *Op = "pow_pullback";
  adjoint::detail::checkDefined(Op, X);
  checkUpstream(Op, DOut, X.shape());
  // PyTorch's rule: the gradient of x^0 is 0 even at x == 0.
  if (P == 0.0)
    prepare(Op, DX, X.shape());
  else if (wanted(DX))
    accumulate(Op, DX, X.shape(), DOut * pow(X, P - 1) * static_cast<float>(P),
               true);
  if (!DP)
    return;
  double Acc = 0;
  for (std::int64_t I = 0; I < X.numel(); ++I) {
    double V = X.data()[I];
    // x^p log x tends to 0 as x -> 0 for p > 0; PyTorch masks x == 0 too.
    if (V != 0.0)
      Acc += DOut.data()[I] * std::pow(V, P) * std::log(V);
  }
  *DP += Acc;
}
} // namespace detail

//===--- Elementwise functions
//---------------------------------------------===//

namespace {
/// The gradient of an elementwise function, from its derivative at each x.
template <class F>
Tensor elementwise(const char *Op, const Tensor &X, const Tensor &DOut,
                   F Derivative) {
  adjoint::detail::checkDefined(Op, X);
  checkUpstream(Op, DOut, X.shape());
  Tensor G = empty(X.shape());
  // Raw pointers and a fixed count, so that the loop vectorizes.
  const float *In = X.data(), *Up = DOut.data();
  float *Out = G.data();
  const std::int64_t N = X.numel();
  for (std::int64_t I = 0; I < N; ++I)
    Out[I] = Up[I] * Derivative(In[I]);
  return G;
}
} // namespace

void exp_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x) {
  checkUpstream("exp_pullback", d_out, x.shape());
  if (wanted(d_x))
    accumulate("exp_pullback", d_x, x.shape(), d_out * exp(x), true);
}

void log_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x) {
  checkUpstream("log_pullback", d_out, x.shape());
  if (wanted(d_x))
    accumulate("log_pullback", d_x, x.shape(), d_out / x, true);
}

void sqrt_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x) {
  checkUpstream("sqrt_pullback", d_out, x.shape());
  if (wanted(d_x))
    accumulate("sqrt_pullback", d_x, x.shape(), d_out / sqrt(x) * 0.5f, true);
}

void abs_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x) {
  if (!wanted(d_x))
    return;
  Tensor G = elementwise("abs_pullback", x, d_out, [](float V) {
    return V > 0 ? 1.0f : V < 0 ? -1.0f : 0.0f;
  });
  accumulate("abs_pullback", d_x, x.shape(), std::move(G), true);
}

void sigmoid_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x) {
  checkUpstream("sigmoid_pullback", d_out, x.shape());
  if (!wanted(d_x))
    return;
  Tensor S = sigmoid(x);
  accumulate("sigmoid_pullback", d_x, x.shape(), d_out * S * (1.0f - S), true);
}

void tanh_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x) {
  checkUpstream("tanh_pullback", d_out, x.shape());
  if (!wanted(d_x))
    return;
  Tensor T = tanh(x);
  accumulate("tanh_pullback", d_x, x.shape(), d_out * (1.0f - T * T), true);
}

void relu_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x) {
  // Written as PyTorch's threshold_backward (x <= 0 ? 0 : g), so a NaN input
  // passes the gradient through.
  if (!wanted(d_x))
    return;
  Tensor G = elementwise("relu_pullback", x, d_out,
                         [](float V) { return V <= 0 ? 0.0f : 1.0f; });
  accumulate("relu_pullback", d_x, x.shape(), std::move(G), true);
}

//===--- Reductions
//--------------------------------------------------------===//

namespace {
/// The upstream gradient of a reduction along \p Dim, reshaped so that it
/// broadcasts over the reduced dimension.
Tensor keptDim(const char *Op, const Tensor &X, std::int64_t Dim, bool KeepDim,
               const Tensor &DOut) {
  adjoint::detail::checkDefined(Op, X);
  std::int64_t D = adjoint::detail::wrapDim(Op, Dim, X.dim());
  Shape Kept = X.shape();
  if (X.dim() > 0)
    Kept[static_cast<std::size_t>(D)] = 1;
  Shape Reduced;
  for (std::int64_t I = 0; I < X.dim(); ++I)
    if (I != D || KeepDim)
      Reduced.push_back(Kept[static_cast<std::size_t>(I)]);
  checkUpstream(Op, DOut, Reduced);
  return DOut.reshape(Kept);
}

std::int64_t reducedSize(const Tensor &X, std::int64_t Dim) {
  return X.dim() ? X.size(Dim) : 1;
}
} // namespace

void sum_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x) {
  adjoint::detail::checkDefined("sum_pullback", x);
  checkUpstream("sum_pullback", d_out, Shape());
  accumulateExpanded("sum_pullback", d_x, x.shape(), d_out);
}

void sum_pullback(const Tensor &x, std::int64_t dim, const Tensor &d_out,
                  Tensor &d_x) {
  sum_pullback(x, dim, false, d_out, d_x);
}

void sum_pullback(const Tensor &x, std::int64_t dim, bool keepdim,
                  const Tensor &d_out, Tensor &d_x) {
  Tensor G = keptDim("sum_pullback", x, dim, keepdim, d_out);
  accumulateExpanded("sum_pullback", d_x, x.shape(), G);
}

void mean_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x) {
  adjoint::detail::checkDefined("mean_pullback", x);
  checkUpstream("mean_pullback", d_out, Shape());
  if (wanted(d_x))
    accumulateExpanded("mean_pullback", d_x, x.shape(),
                       d_out / static_cast<float>(x.numel()));
}

void mean_pullback(const Tensor &x, std::int64_t dim, const Tensor &d_out,
                   Tensor &d_x) {
  mean_pullback(x, dim, false, d_out, d_x);
}

void mean_pullback(const Tensor &x, std::int64_t dim, bool keepdim,
                   const Tensor &d_out, Tensor &d_x) {
  Tensor G = keptDim("mean_pullback", x, dim, keepdim, d_out);
  if (wanted(d_x))
    accumulateExpanded("mean_pullback", d_x, x.shape(),
                       G / static_cast<float>(reducedSize(x, dim)));
}

void sum_to_pullback(const Tensor &x, const Shape &shape, const Tensor &d_out,
                     Tensor &d_x) {
  adjoint::detail::checkDefined("sum_to_pullback", x);
  checkUpstream("sum_to_pullback", d_out, shape);
  accumulateExpanded("sum_to_pullback", d_x, x.shape(), d_out);
}

void item_pullback(const Tensor &x, double d_out, Tensor &d_x) {
  adjoint::detail::checkDefined("item_pullback", x);
  if (x.numel() != 1)
    throwInvalid("item_pullback", "item() needs exactly one element, the "
                                  "argument has shape " +
                                      x.shape().str());
  if (prepare("item_pullback", d_x, x.shape()))
    d_x.data()[0] += static_cast<float>(d_out);
}

void at_pullback(const Tensor &x, std::initializer_list<std::int64_t> index,
                 double d_out, Tensor &d_x) {
  adjoint::detail::checkDefined("at_pullback", x);
  if (prepare("at_pullback", d_x, x.shape()))
    d_x.at(index) += static_cast<float>(d_out);
}

//===--- Matrix products and shapes ---------------------------------------===//

void matmul_pullback(const Tensor &a, const Tensor &b, const Tensor &d_out,
                     Tensor &d_a, Tensor &d_b) {
  const char *Op = "matmul_pullback";
  adjoint::detail::MatmulDims Dims = adjoint::detail::matmulDims(a, b);
  checkUpstream(Op, d_out, Dims.Out);
  // Only the wanted products are formed: for a layer x . w with data x, the
  // d_x GEMM (as large as the forward one) is skipped.
  // Every form is batches of [M, K] . [K, N] = [M, N] (a 1-D a is one row, a
  // 1-D b one column), and d_out is laid out as [Batch, M, N].
  std::int64_t M = Dims.M, K = Dims.K, N = Dims.N;
  bool Empty = M == 0 || N == 0 || K == 0 || d_out.numel() == 0;
  // When b is shared by all of a's matrices, each adjoint is written by one
  // GEMM: a fresh (undefined) one is then allocated uninitialised and written
  // with Beta = 0, saving a zero fill of a weight-sized buffer per backward.
  bool Shared = Dims.BatchB.numel() == 1;
  float BetaA = 1.0f, BetaB = 1.0f;
  auto Target = [&](Tensor &D, const Shape &S, float &Beta) {
    if (Shared && !Empty && !is_unused(D) && !D.defined()) {
      D = empty(S);
      Beta = 0.0f;
      return true;
    }
    return prepare(Op, D, S);
  };
  bool WantA = Target(d_a, a.shape(), BetaA);
  bool WantB = Target(d_b, b.shape(), BetaB);
  if (Empty || (!WantA && !WantB))
    return;
  const float *PA = a.data(), *PB = b.data(), *G = d_out.data();
  float *DA = WantA ? d_a.data() : nullptr, *DB = WantB ? d_b.data() : nullptr;
  if (Shared) {
    // a's matrices stack into one [Rows, K].
    std::int64_t Rows = M * Dims.BatchA.numel();
    if (WantA)
      kernels::sgemm(false, true, Rows, K, N, 1.0f, G, N, PB, N, BetaA, DA, K);
    if (WantB)
      kernels::sgemm(true, false, K, N, Rows, 1.0f, PA, K, G, N, BetaB, DB, N);
    return;
  }
  adjoint::detail::BroadcastPlan Plan =
      adjoint::detail::planBroadcast(Dims.Batch, Dims.BatchA, Dims.BatchB);
  std::int64_t InnerA = adjoint::detail::innerStrideA(Plan),
               InnerB = adjoint::detail::innerStrideB(Plan);
  adjoint::detail::forEachRun(Plan, [&](std::int64_t OA, std::int64_t OB,
                                        std::int64_t OG, std::int64_t Count) {
    for (std::int64_t I = 0; I < Count; ++I) {
      std::int64_t IA = OA + I * InnerA, IB = OB + I * InnerB;
      const float *GI = G + (OG + I) * M * N;
      if (WantA)
        kernels::sgemm(false, true, M, K, N, 1.0f, GI, N, PB + IB * K * N, N,
                       1.0f, DA + IA * M * K, K);
      if (WantB)
        kernels::sgemm(true, false, K, N, M, 1.0f, PA + IA * M * K, K, GI, N,
                       1.0f, DB + IB * K * N, N);
    }
  });
}

void t_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x) {
  adjoint::detail::checkDefined("t_pullback", x);
  if (x.dim() < 2) {
    checkUpstream("t_pullback", d_out, x.shape());
    accumulate("t_pullback", d_x, x.shape(), d_out, false);
    return;
  }
  transpose_pullback(x, 0, 1, d_out, d_x);
}

void transpose_pullback(const Tensor &x, std::int64_t d0, std::int64_t d1,
                        const Tensor &d_out, Tensor &d_x) {
  adjoint::detail::checkDefined("transpose_pullback", x);
  Shape Out = x.shape();
  if (x.dim() > 0)
    std::swap(Out[static_cast<std::size_t>(
                  adjoint::detail::wrapDim("transpose_pullback", d0, x.dim()))],
              Out[static_cast<std::size_t>(adjoint::detail::wrapDim(
                  "transpose_pullback", d1, x.dim()))]);
  checkUpstream("transpose_pullback", d_out, Out);
  if (wanted(d_x))
    accumulate("transpose_pullback", d_x, x.shape(), transpose(d_out, d0, d1),
               true);
}

void reshape_pullback(const Tensor &x, const Shape &shape, const Tensor &d_out,
                      Tensor &d_x) {
  adjoint::detail::checkDefined("reshape_pullback", x);
  checkUpstream("reshape_pullback", d_out, x.reshape(shape).shape());
  if (wanted(d_x))
    accumulate("reshape_pullback", d_x, x.shape(), d_out.reshape(x.shape()),
               false);
}

void expand_pullback(const Tensor &x, const Shape &shape, const Tensor &d_out,
                     Tensor &d_x) {
  adjoint::detail::checkDefined("expand_pullback", x);
  checkUpstream("expand_pullback", d_out, shape);
  accumulate("expand_pullback", d_x, x.shape(), d_out, false);
}

void clone_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x) {
  adjoint::detail::checkDefined("clone_pullback", x);
  checkUpstream("clone_pullback", d_out, x.shape());
  accumulate("clone_pullback", d_x, x.shape(), d_out, false);
}

void detach_pullback(const Tensor &x, const Tensor &, Tensor &d_x) {
  adjoint::detail::checkDefined("detach_pullback", x);
  prepare("detach_pullback", d_x, x.shape());
}

//===--- Activations and losses -------------------------------------------===//

void softmax_pullback(const Tensor &x, std::int64_t dim, const Tensor &d_out,
                      Tensor &d_x) {
  checkUpstream("softmax_pullback", d_out, x.shape());
  if (!wanted(d_x))
    return;
  Tensor Y = softmax(x, dim);
  Tensor G = Y * (d_out - sum(d_out * Y, dim, true));
  accumulate("softmax_pullback", d_x, x.shape(), std::move(G), true);
}

void log_softmax_pullback(const Tensor &x, std::int64_t dim,
                          const Tensor &d_out, Tensor &d_x) {
  checkUpstream("log_softmax_pullback", d_out, x.shape());
  if (!wanted(d_x))
    return;
  Tensor P = exp(log_softmax(x, dim));
  Tensor G = d_out - P * sum(d_out, dim, true);
  accumulate("log_softmax_pullback", d_x, x.shape(), std::move(G), true);
}

namespace {
/// The per-element upstream factor of a reduced loss: d_out / N for a mean,
/// d_out for a sum; reduction None instead uses d_out elementwise.
float lossScale(const Tensor &DOut, Reduction R, std::int64_t N) {
  float G = DOut.item();
  return R == Reduction::Mean ? G / static_cast<float>(N) : G;
}

Shape lossShape(Reduction R, const Shape &Elementwise) {
  return R == Reduction::None ? Elementwise : Shape();
}
} // namespace

void binary_cross_entropy_with_logits_pullback(
    const Tensor &input, const Tensor &target, Reduction reduction,
    const Tensor &pos_weight, const Tensor &d_out, Tensor &d_input,
    Tensor &d_target, Tensor &d_pos_weight) {
  const char *Op = "binary_cross_entropy_with_logits_pullback";
  adjoint::detail::checkDefined(Op, input);
  adjoint::detail::checkDefined(Op, target);
  if (target.shape() != input.shape())
    throwInvalid(Op, "target shape " + target.shape().str() +
                         " must match input shape " + input.shape().str());
  checkUpstream(Op, d_out, lossShape(reduction, input.shape()));
  adjoint::detail::PosWeightView W =
      adjoint::detail::posWeightView(Op, input.shape(), pos_weight);
  std::int64_t N = input.numel();
  bool PerElement = reduction == Reduction::None;
  float Scale = PerElement ? 1.0f : lossScale(d_out, reduction, N);
  if (prepare(Op, d_input, input.shape()))
    kernels::bce_with_logits_backward(
        input.data(), target.data(), W.Data, W.Len, static_cast<std::size_t>(N),
        PerElement ? d_out.data() : nullptr, Scale, d_input.data());
  // The target (almost always data) and the weight go through a scalar loop
  // with two transcendentals per element, slower than the fused kernel: run
  // it only for the gradients somebody wants.
  bool WantT = wanted(d_target);
  bool WantW = pos_weight.defined() && wanted(d_pos_weight);
  if (!WantT && !WantW)
    return;
  // The target and the weight enter linearly through softplus(-z):
  //   dloss/dy = -z + (p - 1) softplus(-z),  dloss/dp = y softplus(-z).
  Tensor GT, GW;
  if (WantT)
    GT = empty(input.shape());
  if (WantW)
    GW = empty(input.shape());
  for (std::int64_t I = 0; I < N; ++I) {
    double Z = input.data()[I], Y = target.data()[I];
    double P = W.Data ? W.Data[static_cast<std::size_t>(I) % W.Len] : 1.0;
    double Softplus = std::log1p(std::exp(-std::fabs(Z))) + std::fmax(-Z, 0.0);
    double Up = PerElement ? d_out.data()[I] : Scale;
    if (WantT)
      GT.data()[I] = static_cast<float>(Up * (-Z + (P - 1) * Softplus));
    if (WantW)
      GW.data()[I] = static_cast<float>(Up * Y * Softplus);
  }
  if (WantT)
    accumulate(Op, d_target, target.shape(), std::move(GT), true);
  if (WantW)
    accumulate(Op, d_pos_weight, pos_weight.shape(), std::move(GW), true);
}

void binary_cross_entropy_with_logits_pullback(
    const Tensor &input, const Tensor &target, Reduction reduction,
    const Tensor &d_out, Tensor &d_input, Tensor &d_target) {
  binary_cross_entropy_with_logits_pullback(input, target, reduction, Tensor(),
                                            d_out, d_input, d_target, unused());
}

void binary_cross_entropy_with_logits_pullback(const Tensor &input,
                                               const Tensor &target,
                                               const Tensor &d_out,
                                               Tensor &d_input,
                                               Tensor &d_target) {
  binary_cross_entropy_with_logits_pullback(input, target, Reduction::Mean,
                                            d_out, d_input, d_target);
}

void mse_loss_pullback(const Tensor &input, const Tensor &target,
                       Reduction reduction, const Tensor &d_out,
                       Tensor &d_input, Tensor &d_target) {
  const char *Op = "mse_loss_pullback";
  Shape Out = broadcastResult(Op, input, target);
  checkUpstream(Op, d_out, lossShape(reduction, Out));
  if (!wanted(d_input) && !wanted(d_target))
    return;
  // d/dinput (input - target)^2 = 2 (input - target), times the upstream.
  Tensor G = sub(input, target);
  if (reduction == Reduction::None)
    G.mul_(d_out).mul_(2.0f);
  else
    G.mul_(2.0f * lossScale(d_out, reduction, G.numel()));
  if (wanted(d_target))
    accumulate(Op, d_target, target.shape(), neg(G), true);
  accumulate(Op, d_input, input.shape(), std::move(G), true);
}

void mse_loss_pullback(const Tensor &input, const Tensor &target,
                       const Tensor &d_out, Tensor &d_input, Tensor &d_target) {
  mse_loss_pullback(input, target, Reduction::Mean, d_out, d_input, d_target);
}

namespace {
/// The logits' gradient of cross_entropy, and the target's for class
/// probabilities (\p DTarget null for integer classes).
void crossEntropyPullback(const Tensor &Logits, const Tensor &Target,
                          Reduction R, const Tensor &DOut, Tensor &DLogits,
                          Tensor *DTarget) {
  const char *Op = "cross_entropy_pullback";
  bool WantTarget = DTarget && wanted(*DTarget);
  if (!wanted(DLogits) && !WantTarget)
    return;
  // The forward call validates the arguments (class range, shapes).
  Tensor Losses = cross_entropy(Logits, Target, Reduction::None);
  checkUpstream(Op, DOut, lossShape(R, Losses.shape()));
  bool Batched = Logits.dim() == 2;
  std::int64_t Rows = Batched ? Logits.size(0) : 1, C = Logits.size(-1);
  bool Probabilities = Target.shape() == Logits.shape();
  std::int64_t Counted = Rows;
  if (!Probabilities) {
    Counted = 0;
    for (std::int64_t I = 0; I < Rows; ++I)
      Counted += Target.data()[I] != -100.0f;
  }
  auto Upstream = [&](std::int64_t I) {
    if (R == Reduction::None)
      return DOut.data()[I];
    return R == Reduction::Mean ? DOut.item() / static_cast<float>(Counted)
                                : DOut.item();
  };
  Tensor LogP = log_softmax(Logits, -1);
  Tensor P = exp(LogP);
  Tensor G = zeros(Logits.shape());
  // The target's gradient only exists for probabilities somebody wants.
  bool FormGT = Probabilities && WantTarget;
  Tensor GT = FormGT ? zeros(Logits.shape()) : Tensor();
  for (std::int64_t I = 0; I < Rows; ++I) {
    const float *PI = P.data() + I * C;
    float *GI = G.data() + I * C;
    float Up = Upstream(I);
    if (Probabilities) {
      // d/dz of -sum_c t_c log p_c is p * sum_c t_c - t.
      const float *TI = Target.data() + I * C;
      float Mass = 0;
      for (std::int64_t K = 0; K < C; ++K)
        Mass += TI[K];
      for (std::int64_t K = 0; K < C; ++K)
        GI[K] = Up * (PI[K] * Mass - TI[K]);
      if (FormGT)
        for (std::int64_t K = 0; K < C; ++K)
          GT.data()[I * C + K] = -Up * LogP.data()[I * C + K];
      continue;
    }
    float Class = Target.data()[I];
    if (Class == -100.0f)
      continue;
    for (std::int64_t K = 0; K < C; ++K)
      GI[K] = Up * PI[K];
    GI[static_cast<std::int64_t>(Class)] -= Up;
  }
  accumulate(Op, DLogits, Logits.shape(), std::move(G), true);
  if (!WantTarget)
    return;
  if (Probabilities)
    accumulate(Op, *DTarget, Target.shape(), std::move(GT), true);
  else
    prepare(Op, *DTarget, Target.shape());
}

} // namespace

void cross_entropy_pullback(const Tensor &logits, const Tensor &target,
                            Reduction reduction, const Tensor &d_out,
                            Tensor &d_logits, Tensor &d_target) {
  crossEntropyPullback(logits, target, reduction, d_out, d_logits, &d_target);
}

void cross_entropy_pullback(const Tensor &logits, const Tensor &target,
                            const Tensor &d_out, Tensor &d_logits,
                            Tensor &d_target) {
  crossEntropyPullback(logits, target, Reduction::Mean, d_out, d_logits,
                       &d_target);
}

void cross_entropy_pullback(const Tensor &logits,
                            const std::vector<std::int64_t> &target,
                            Reduction reduction, const Tensor &d_out,
                            Tensor &d_logits) {
  crossEntropyPullback(logits,
                       adjoint::detail::classIndexTensor(logits, target),
                       reduction, d_out, d_logits, nullptr);
}

void cross_entropy_pullback(const Tensor &logits,
                            const std::vector<std::int64_t> &target,
                            const Tensor &d_out, Tensor &d_logits) {
  cross_entropy_pullback(logits, target, Reduction::Mean, d_out, d_logits);
}

//===--- Forward (tangent) rules ------------------------------------------===//
//
// NAME_pushforward(args, out, tangents) returns the tangent of out; an
// undefined tangent is zero, and all-zero tangents give an undefined one.

namespace {
/// \p T broadcast to \p S (shared when it has that shape already).
Tensor broadcastTangent(const Tensor &T, const Shape &S) {
  return T.shape() == S ? T : expand(T, S);
}

/// A + B for tangents, either possibly undefined.
Tensor plus(Tensor A, const Tensor &B) {
  if (!A.defined())
    return B;
  if (!B.defined())
    return A;
  return A + B;
}

/// Throws unless the defined tangent \p T has its primal \p X's shape.
void checkTangent(const char *Op, const Tensor &T, const Tensor &X) {
  if (T.defined() && T.shape() != X.shape())
    throwInvalid(Op, "tangent of shape " + T.shape().str() +
                         " for an argument of shape " + X.shape().str());
}

/// The tangent of an elementwise function with value \p Out at \p X:
/// Partial(x, out) * t at each element.
template <class F>
Tensor elementwiseTangent(const char *Op, const Tensor &X, const Tensor &Out,
                          const Tensor &T, F Partial) {
  if (!T.defined())
    return Tensor();
  checkTangent(Op, T, X);
  Tensor R = empty(X.shape());
  const float *In = X.data(), *Val = Out.data(), *Tan = T.data();
  float *Res = R.data();
  const std::int64_t N = X.numel();
  for (std::int64_t I = 0; I < N; ++I)
    Res[I] = Tan[I] * Partial(In[I], Val[I]);
  return R;
}
} // namespace

Tensor add_pushforward(const Tensor &, const Tensor &, const Tensor &out,
                       const Tensor &t_a, const Tensor &t_b) {
  if (t_a.defined() && t_b.defined())
    return broadcastTangent(t_a + t_b, out.shape());
  if (t_a.defined() || t_b.defined())
    return broadcastTangent(t_a.defined() ? t_a : t_b, out.shape());
  return Tensor();
}

Tensor sub_pushforward(const Tensor &, const Tensor &, const Tensor &out,
                       const Tensor &t_a, const Tensor &t_b) {
  if (t_a.defined() && t_b.defined())
    return broadcastTangent(t_a - t_b, out.shape());
  if (t_a.defined())
    return broadcastTangent(t_a, out.shape());
  if (t_b.defined())
    return broadcastTangent(neg(t_b), out.shape());
  return Tensor();
}

Tensor mul_pushforward(const Tensor &a, const Tensor &b, const Tensor &out,
                       const Tensor &t_a, const Tensor &t_b) {
  Tensor R = plus(t_a.defined() ? t_a * b : Tensor(),
                  t_b.defined() ? a * t_b : Tensor());
  return R.defined() ? broadcastTangent(R, out.shape()) : R;
}

Tensor div_pushforward(const Tensor &, const Tensor &b, const Tensor &out,
                       const Tensor &t_a, const Tensor &t_b) {
  if (!t_a.defined() && !t_b.defined())
    return Tensor();
  Tensor Num =
      t_b.defined() ? (t_a.defined() ? t_a - out * t_b : neg(out * t_b)) : t_a;
  return broadcastTangent(Num / b, out.shape());
}

Tensor neg_pushforward(const Tensor &, const Tensor &, const Tensor &t_a) {
  return t_a.defined() ? neg(t_a) : Tensor();
}

namespace detail {
namespace {
/// \p TT (possibly undefined) plus the scalar tangent \p TS, as a tensor of
/// \p Out's shape, or undefined when both are zero.
Tensor plusScalar(const Tensor &TT, double TS, const Tensor &Out) {
  if (!TT.defined())
    return TS == 0 ? Tensor() : full_like(Out, static_cast<float>(TS));
  return TS == 0 ? TT : TT + static_cast<float>(TS);
}
} // namespace

Tensor addScalarPushforward(const Tensor &, double, bool, const Tensor &Out,
                            const Tensor &TT, double TS) {
  return plusScalar(TT, TS, Out);
}

Tensor subScalarPushforward(const Tensor &, double, bool ScalarFirst,
                            const Tensor &Out, const Tensor &TT, double TS) {
  // T - S: TT - TS; S - T: TS - TT.
  if (!ScalarFirst)
    return plusScalar(TT, -TS, Out);
  return plusScalar(TT.defined() ? neg(TT) : TT, TS, Out);
}

Tensor mulScalarPushforward(const Tensor &T, double S, bool, const Tensor &,
                            const Tensor &TT, double TS) {
  Tensor R = TT.defined() ? TT * static_cast<float>(S) : Tensor();
  if (TS != 0)
    R = plus(R, T * static_cast<float>(TS));
  return R;
}

Tensor divScalarPushforward(const Tensor &T, double S, bool ScalarFirst,
                            const Tensor &Out, const Tensor &TT, double TS) {
  if (!TT.defined() && TS == 0)
    return Tensor();
  if (!ScalarFirst) // T / S: (TT - Out TS) / S
    return plus(TT, TS != 0 ? Out * static_cast<float>(-TS) : Tensor()) /
           static_cast<float>(S);
  // S / T: (TS - Out TT) / T
  Tensor Num = TT.defined() ? neg(Out * TT) : Tensor();
  return plusScalar(Num, TS, Out) / T;
}

Tensor powPushforward(const Tensor &X, double P, const Tensor &Out,
                      const Tensor &TX, double TP) {
  Tensor R;
  if (TX.defined()) {
    checkTangent("pow_pushforward", TX, X);
    R = TX * (pow(X, P - 1) * static_cast<float>(P));
  }
  if (TP == 0)
    return R;
  // d/dp x^p = x^p log x, taken as 0 where x == 0 (as the pullback does).
  Tensor G = empty(X.shape());
  for (std::int64_t I = 0; I < X.numel(); ++I) {
    float V = X.data()[I];
    G.data()[I] =
        V == 0.0f ? 0.0f : static_cast<float>(TP * Out.data()[I] * std::log(V));
  }
  return plus(R, G);
}
} // namespace detail

Tensor exp_pushforward(const Tensor &x, const Tensor &out, const Tensor &t_x) {
  return elementwiseTangent("exp_pushforward", x, out, t_x,
                            [](float, float Y) { return Y; });
}

Tensor log_pushforward(const Tensor &x, const Tensor &out, const Tensor &t_x) {
  return elementwiseTangent("log_pushforward", x, out, t_x,
                            [](float X, float) { return 1.0f / X; });
}

Tensor sqrt_pushforward(const Tensor &x, const Tensor &out, const Tensor &t_x) {
  return elementwiseTangent("sqrt_pushforward", x, out, t_x,
                            [](float, float Y) { return 0.5f / Y; });
}

Tensor abs_pushforward(const Tensor &x, const Tensor &out, const Tensor &t_x) {
  return elementwiseTangent("abs_pushforward", x, out, t_x, [](float X, float) {
    return X > 0 ? 1.0f : (X < 0 ? -1.0f : 0.0f);
  });
}

Tensor sigmoid_pushforward(const Tensor &x, const Tensor &out,
                           const Tensor &t_x) {
  return elementwiseTangent("sigmoid_pushforward", x, out, t_x,
                            [](float, float Y) { return Y * (1.0f - Y); });
}

Tensor tanh_pushforward(const Tensor &x, const Tensor &out, const Tensor &t_x) {
  return elementwiseTangent("tanh_pushforward", x, out, t_x,
                            [](float, float Y) { return 1.0f - Y * Y; });
}

Tensor relu_pushforward(const Tensor &x, const Tensor &out, const Tensor &t_x) {
  return elementwiseTangent("relu_pushforward", x, out, t_x,
                            [](float X, float) { return X > 0 ? 1.0f : 0.0f; });
}

Tensor sum_pushforward(const Tensor &, const Tensor &, const Tensor &t_x) {
  return t_x.defined() ? sum(t_x) : Tensor();
}

Tensor sum_pushforward(const Tensor &, std::int64_t dim, const Tensor &,
                       const Tensor &t_x) {
  return t_x.defined() ? sum(t_x, dim) : Tensor();
}

Tensor sum_pushforward(const Tensor &, std::int64_t dim, bool keepdim,
                       const Tensor &, const Tensor &t_x) {
  return t_x.defined() ? sum(t_x, dim, keepdim) : Tensor();
}

Tensor mean_pushforward(const Tensor &, const Tensor &, const Tensor &t_x) {
  return t_x.defined() ? mean(t_x) : Tensor();
}

Tensor mean_pushforward(const Tensor &, std::int64_t dim, const Tensor &,
                        const Tensor &t_x) {
  return t_x.defined() ? mean(t_x, dim) : Tensor();
}

Tensor mean_pushforward(const Tensor &, std::int64_t dim, bool keepdim,
                        const Tensor &, const Tensor &t_x) {
  return t_x.defined() ? mean(t_x, dim, keepdim) : Tensor();
}

Tensor sum_to_pushforward(const Tensor &, const Shape &shape, const Tensor &,
                          const Tensor &t_x) {
  return t_x.defined() ? sum_to(t_x, shape) : Tensor();
}

double item_pushforward(const Tensor &, double, const Tensor &t_x) {
  return t_x.defined() ? t_x.item() : 0.0;
}

double at_pushforward(const Tensor &, std::initializer_list<std::int64_t> index,
                      double, const Tensor &t_x) {
  return t_x.defined() ? t_x.at(index) : 0.0;
}

Tensor matmul_pushforward(const Tensor &a, const Tensor &b, const Tensor &,
                          const Tensor &t_a, const Tensor &t_b) {
  return plus(t_a.defined() ? matmul(t_a, b) : Tensor(),
              t_b.defined() ? matmul(a, t_b) : Tensor());
}

Tensor t_pushforward(const Tensor &, const Tensor &, const Tensor &t_x) {
  return t_x.defined() ? t_x.t() : Tensor();
}

Tensor transpose_pushforward(const Tensor &, std::int64_t d0, std::int64_t d1,
                             const Tensor &, const Tensor &t_x) {
  return t_x.defined() ? transpose(t_x, d0, d1) : Tensor();
}

Tensor reshape_pushforward(const Tensor &, const Shape &shape, const Tensor &,
                           const Tensor &t_x) {
  return t_x.defined() ? reshape(t_x, shape) : Tensor();
}

Tensor expand_pushforward(const Tensor &, const Shape &shape, const Tensor &,
                          const Tensor &t_x) {
  return t_x.defined() ? expand(t_x, shape) : Tensor();
}

Tensor clone_pushforward(const Tensor &, const Tensor &, const Tensor &t_x) {
  return t_x;
}

Tensor detach_pushforward(const Tensor &, const Tensor &, const Tensor &) {
  return Tensor();
}

Tensor softmax_pushforward(const Tensor &, std::int64_t dim, const Tensor &out,
                           const Tensor &t_x) {
  if (!t_x.defined())
    return Tensor();
  Tensor Weighted = out * t_x;
  return Weighted - out * sum(Weighted, dim, true);
}

Tensor log_softmax_pushforward(const Tensor &, std::int64_t dim,
                               const Tensor &out, const Tensor &t_x) {
  if (!t_x.defined())
    return Tensor();
  return t_x - sum(exp(out) * t_x, dim, true);
}

namespace {
/// The reduction \p R of the elementwise tangents \p T, as the loss's
/// tangent.
Tensor reduceLossTangent(const Tensor &T, Reduction R) {
  if (R == Reduction::None)
    return T;
  return R == Reduction::Mean ? mean(T) : sum(T);
}
} // namespace

Tensor binary_cross_entropy_with_logits_pushforward(
    const Tensor &input, const Tensor &target, Reduction reduction,
    const Tensor &pos_weight, const Tensor &, const Tensor &t_input,
    const Tensor &t_target, const Tensor &t_pos_weight) {
  const char *Op = "binary_cross_entropy_with_logits_pushforward";
  bool TZ = t_input.defined(), TY = t_target.defined();
  bool TP = pos_weight.defined() && t_pos_weight.defined();
  if (!TZ && !TY && !TP)
    return Tensor();
  checkTangent(Op, t_input, input);
  checkTangent(Op, t_target, target);
  if (TP)
    checkTangent(Op, t_pos_weight, pos_weight);
  adjoint::detail::PosWeightView W =
      adjoint::detail::posWeightView(Op, input.shape(), pos_weight);
  adjoint::detail::PosWeightView TW = adjoint::detail::posWeightView(
      Op, input.shape(), TP ? t_pos_weight : Tensor());
  Tensor R = empty(input.shape());
  for (std::int64_t I = 0; I < input.numel(); ++I) {
    double Z = input.data()[I], Y = target.data()[I];
    std::size_t K = static_cast<std::size_t>(I);
    double P = W.Data ? W.Data[K % W.Len] : 1.0;
    // softplus(-z) and sigmoid(-z), stable for either sign of z.
    double Softplus = std::log1p(std::exp(-std::fabs(Z))) + std::fmax(-Z, 0.0);
    double T = 0;
    if (TZ)
      T += ((1 - Y) - (1 + (P - 1) * Y) * std::exp(-Z - Softplus)) *
           t_input.data()[I];
    if (TY)
      T += (-Z + (P - 1) * Softplus) * t_target.data()[I];
    if (TP)
      T += Y * Softplus * TW.Data[K % TW.Len];
    R.data()[I] = static_cast<float>(T);
  }
  return reduceLossTangent(R, reduction);
}

Tensor binary_cross_entropy_with_logits_pushforward(
    const Tensor &input, const Tensor &target, Reduction reduction,
    const Tensor &out, const Tensor &t_input, const Tensor &t_target) {
  return binary_cross_entropy_with_logits_pushforward(
      input, target, reduction, Tensor(), out, t_input, t_target, Tensor());
}

Tensor binary_cross_entropy_with_logits_pushforward(const Tensor &input,
                                                    const Tensor &target,
                                                    const Tensor &out,
                                                    const Tensor &t_input,
                                                    const Tensor &t_target) {
  return binary_cross_entropy_with_logits_pushforward(
      input, target, Reduction::Mean, out, t_input, t_target);
}

Tensor mse_loss_pushforward(const Tensor &input, const Tensor &target,
                            Reduction reduction, const Tensor &,
                            const Tensor &t_input, const Tensor &t_target) {
  const char *Op = "mse_loss_pushforward";
  if (!t_input.defined() && !t_target.defined())
    return Tensor();
  checkTangent(Op, t_input, input);
  checkTangent(Op, t_target, target);
  if (reduction != Reduction::None && input.shape() == target.shape()) {
    // A reduced loss without broadcasting: one pass, no temporaries.
    const float *In = input.data(), *Tg = target.data();
    const float *TIn = t_input.data(), *TTg = t_target.data();
    const std::int64_t N = input.numel();
    double Acc = 0;
    if (TIn && TTg)
      for (std::int64_t I = 0; I < N; ++I)
        Acc += double(In[I] - Tg[I]) * (TIn[I] - TTg[I]);
    else if (TIn)
      for (std::int64_t I = 0; I < N; ++I)
        Acc += double(In[I] - Tg[I]) * TIn[I];
    else
      for (std::int64_t I = 0; I < N; ++I)
        Acc -= double(In[I] - Tg[I]) * TTg[I];
    Acc *= 2;
    if (reduction == Reduction::Mean && input.numel() > 0)
      Acc /= static_cast<double>(input.numel());
    return full(Shape(), static_cast<float>(Acc));
  }
  Tensor Diff = sub(input, target);
  Tensor TDiff = t_target.defined()
                     ? (t_input.defined() ? t_input - t_target : neg(t_target))
                     : t_input;
  Tensor T = Diff * TDiff;
  T.mul_(2.0f);
  return reduceLossTangent(broadcastTangent(T, Diff.shape()), reduction);
}

Tensor mse_loss_pushforward(const Tensor &input, const Tensor &target,
                            const Tensor &out, const Tensor &t_input,
                            const Tensor &t_target) {
  return mse_loss_pushforward(input, target, Reduction::Mean, out, t_input,
                              t_target);
}

namespace {
/// The tangent of cross_entropy from its pullback's gradients: each row's
/// gradient contracted with that row's tangents (all rows at once for a
/// reduced loss, whose gradient already carries the reduction).
Tensor crossEntropyPushforward(const Tensor &Logits, const Tensor &Target,
                               Reduction R, const Tensor &Out,
                               const Tensor &TLogits, const Tensor *TTarget) {
  const char *Op = "cross_entropy_pushforward";
  // Class indices (not probabilities) have no derivative.
  bool WithTarget =
      TTarget && TTarget->defined() && Target.shape() == Logits.shape();
  if (!TLogits.defined() && !WithTarget)
    return Tensor();
  checkTangent(Op, TLogits, Logits);
  if (WithTarget)
    checkTangent(Op, *TTarget, Target);
  Tensor GL, GT;
  crossEntropyPullback(Logits, Target, R, ones_like(Out),
                       TLogits.defined() ? GL : unused(),
                       WithTarget ? &GT : nullptr);
  Tensor Products = plus(TLogits.defined() ? GL * TLogits : Tensor(),
                         WithTarget ? GT * *TTarget : Tensor());
  if (R == Reduction::None && Logits.dim() == 2)
    return sum(Products, 1);
  return full_like(Out, static_cast<float>(total(Products)));
}
} // namespace

Tensor cross_entropy_pushforward(const Tensor &logits, const Tensor &target,
                                 Reduction reduction, const Tensor &out,
                                 const Tensor &t_logits,
                                 const Tensor &t_target) {
  return crossEntropyPushforward(logits, target, reduction, out, t_logits,
                                 &t_target);
}

Tensor cross_entropy_pushforward(const Tensor &logits, const Tensor &target,
                                 const Tensor &out, const Tensor &t_logits,
                                 const Tensor &t_target) {
  return cross_entropy_pushforward(logits, target, Reduction::Mean, out,
                                   t_logits, t_target);
}

Tensor cross_entropy_pushforward(const Tensor &logits,
                                 const std::vector<std::int64_t> &target,
                                 Reduction reduction, const Tensor &out,
                                 const Tensor &t_logits) {
  return crossEntropyPushforward(
      logits, adjoint::detail::classIndexTensor(logits, target), reduction, out,
      t_logits, nullptr);
}

Tensor cross_entropy_pushforward(const Tensor &logits,
                                 const std::vector<std::int64_t> &target,
                                 const Tensor &out, const Tensor &t_logits) {
  return cross_entropy_pushforward(logits, target, Reduction::Mean, out,
                                   t_logits);
}

} // namespace derivatives
} // namespace adjoint
