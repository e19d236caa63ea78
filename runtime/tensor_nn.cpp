//===- tensor_nn.cpp - Softmax and losses ---------------------------------===//

#include "tensor_internal.h"

#include <cmath>

namespace adjoint {

using kernels::BinaryOp;
using kernels::UnaryOp;

namespace detail {
DimSplit splitAt(const Shape &S, std::int64_t D) {
  DimSplit Split;
  if (S.size() == 0)
    return Split;
  for (std::int64_t I = 0; I < static_cast<std::int64_t>(S.size()); ++I)
    (I < D ? Split.Outer : I == D ? Split.N : Split.Inner) *= S[I];
  return Split;
}

PosWeightView posWeightView(const char *Op, const Shape &Input,
                            const Tensor &PosWeight) {
  PosWeightView View;
  if (!PosWeight.defined())
    return View;
  checkBroadcastsTo(Op, PosWeight.shape(), Input);
  // Without its leading 1s the weight repeats every Len elements exactly when
  // its shape equals the input's trailing dimensions.
  const Shape &W = PosWeight.shape();
  std::size_t Lead = 0;
  while (Lead < W.size() && W[Lead] == 1)
    ++Lead;
  bool Suffix = true;
  for (std::size_t I = Lead; I < W.size(); ++I)
    Suffix = Suffix && W[I] == Input[Input.size() - W.size() + I];
  View.Holder = Suffix ? PosWeight : expand(PosWeight, Input);
  View.Data = View.Holder.data();
  View.Len = static_cast<std::size_t>(View.Holder.numel());
  return View;
}
} // namespace detail

//===--- Softmax
//-----------------------------------------------------------===//

namespace {
/// Maximum that propagates NaN, like torch.max.
float maxWithNaN(float M, float V) { return (V > M || std::isnan(V)) ? V : M; }

/// Softmax (or its logarithm) of X along dimension \p Dim, computed as
/// exp(x - max) / sum(exp(x - max)) so that large logits cannot overflow.
Tensor softmaxImpl(const char *Op, const Tensor &X, std::int64_t Dim,
                   bool Log) {
  detail::checkDefined(Op, X);
  detail::DimSplit Sp =
      detail::splitAt(X.shape(), detail::wrapDim(Op, Dim, X.dim()));
  Tensor Out = empty(X.shape());
  if (Sp.N == 0 || X.numel() == 0)
    return Out;
  auto Count = [](std::int64_t N) { return static_cast<std::size_t>(N); };
  std::int64_t Slab = Sp.N * Sp.Inner;
  Tensor Scratch = empty({Log ? Slab : 0});
  // Per-position maxima and sums of one slab (Inner values each).
  Tensor Max = empty({Sp.Inner}), Sum = empty({Sp.Inner});
  for (std::int64_t O = 0; O < Sp.Outer; ++O) {
    const float *In = X.data() + O * Slab;
    float *Y = Out.data() + O * Slab;
    float *M = Max.data(), *S = Sum.data();
    std::copy(In, In + Sp.Inner, M);
    for (std::int64_t K = 1; K < Sp.N; ++K)
      for (std::int64_t I = 0; I < Sp.Inner; ++I)
        M[I] = maxWithNaN(M[I], In[K * Sp.Inner + I]);
    if (Sp.Inner == 1)
      kernels::binary_scalar(BinaryOp::Sub, In, M[0], Y, Count(Sp.N));
    else
      for (std::int64_t K = 0; K < Sp.N; ++K)
        kernels::binary(BinaryOp::Sub, In + K * Sp.Inner, M, Y + K * Sp.Inner,
                        Count(Sp.Inner));
    float *E = Log ? Scratch.data() : Y;
    kernels::unary(UnaryOp::Exp, Y, E, Count(Slab));
    if (Sp.Inner == 1) {
      S[0] = kernels::sum(E, Count(Sp.N));
    } else {
      std::fill(S, S + Sp.Inner, 0.0f);
      for (std::int64_t K = 0; K < Sp.N; ++K)
        kernels::axpy(Count(Sp.Inner), 1.0f, E + K * Sp.Inner, S);
    }
    if (Log)
      kernels::unary(UnaryOp::Log, S, S, Count(Sp.Inner));
    BinaryOp Finish = Log ? BinaryOp::Sub : BinaryOp::Div;
    if (Sp.Inner == 1)
      kernels::binary_scalar(Finish, Y, S[0], Y, Count(Sp.N));
    else
      for (std::int64_t K = 0; K < Sp.N; ++K)
        kernels::binary(Finish, Y + K * Sp.Inner, S, Y + K * Sp.Inner,
                        Count(Sp.Inner));
  }
  return Out;
}
} // namespace

Tensor softmax(const Tensor &X, std::int64_t Dim) {
  return softmaxImpl("softmax", X, Dim, false);
}

Tensor log_softmax(const Tensor &X, std::int64_t Dim) {
  return softmaxImpl("log_softmax", X, Dim, true);
}

//===--- Losses
//------------------------------------------------------------===//

namespace {
Tensor reduceLoss(const Tensor &Losses, Reduction R) {
  switch (R) {
  case Reduction::None:
    return Losses;
  case Reduction::Sum:
    return sum(Losses);
  case Reduction::Mean:
    break;
  }
  return mean(Losses);
}
} // namespace

Tensor binary_cross_entropy_with_logits(const Tensor &Input,
                                        const Tensor &Target, Reduction R,
                                        const Tensor &PosWeight) {
  const char *Op = "binary_cross_entropy_with_logits";
  detail::checkDefined(Op, Input);
  detail::checkDefined(Op, Target);
  if (Target.shape() != Input.shape())
    detail::throwInvalid(Op, "target shape " + Target.shape().str() +
                                 " must match input shape " +
                                 Input.shape().str());
  detail::PosWeightView W = detail::posWeightView(Op, Input.shape(), PosWeight);
  auto N = static_cast<std::size_t>(Input.numel());
  if (R == Reduction::None) {
    Tensor Out = empty(Input.shape());
    kernels::bce_with_logits_elementwise(Input.data(), Target.data(), W.Data,
                                         W.Len, N, Out.data());
    return Out;
  }
  double Total = kernels::bce_with_logits_sum(Input.data(), Target.data(),
                                              W.Data, W.Len, N);
  // 0 / 0 gives PyTorch's NaN for the mean of an empty input.
  return tensor(static_cast<float>(
      R == Reduction::Sum ? Total : Total / static_cast<double>(N)));
}

Tensor mse_loss(const Tensor &Input, const Tensor &Target, Reduction R) {
  detail::checkDefined("mse_loss", Input);
  detail::checkDefined("mse_loss", Target);
  detail::broadcastShapes("mse_loss", Input.shape(), Target.shape());
  Tensor Diff = sub(Input, Target);
  kernels::binary(BinaryOp::Mul, Diff.data(), Diff.data(), Diff.data(),
                  static_cast<std::size_t>(Diff.numel()));
  return reduceLoss(Diff, R);
}

Tensor cross_entropy(const Tensor &Logits, const Tensor &Target, Reduction R) {
  const char *Op = "cross_entropy";
  detail::checkDefined(Op, Logits);
  detail::checkDefined(Op, Target);
  if (Logits.dim() < 1 || Logits.dim() > 2)
    detail::throwInvalid(Op, "expected logits of shape [N, C] or [C], got " +
                                 Logits.shape().str());
  bool Batched = Logits.dim() == 2;
  std::int64_t Rows = Batched ? Logits.size(0) : 1, C = Logits.size(-1);
  Shape RowShape = Batched ? Shape{Rows} : Shape();
  Tensor LogP = log_softmax(Logits, -1);
  Tensor Losses = empty(RowShape);
  const float *LP = LogP.data(), *T = Target.data();
  float *L = Losses.data();
  std::int64_t Counted = Rows;
  if (Target.shape() == Logits.shape()) {
    // Class probabilities: the cross entropy of two distributions.
    for (std::int64_t I = 0; I < Rows; ++I) {
      float Acc = 0.0f;
      for (std::int64_t K = 0; K < C; ++K)
        Acc -= T[I * C + K] * LP[I * C + K];
      L[I] = Acc;
    }
  } else {
    if (Target.shape() != RowShape)
      detail::throwInvalid(
          Op, "target shape " + Target.shape().str() +
                  " does not fit logits of shape " + Logits.shape().str() +
                  " (expected class indices of shape " + RowShape.str() +
                  " or probabilities of the logits' shape)");
    Counted = 0;
    for (std::int64_t I = 0; I < Rows; ++I) {
      float Class = T[I];
      L[I] = 0.0f;
      if (Class == -100.0f) // PyTorch's default ignore_index.
        continue;
      if (Class != std::floor(Class))
        detail::throwInvalid(Op, "target " + std::to_string(Class) +
                                     " is not a class index");
      if (Class < 0 || Class >= static_cast<float>(C))
        detail::throwOutOfRange(
            Op, "target " + std::to_string(static_cast<long long>(Class)) +
                    " is out of bounds for " + std::to_string(C) + " classes");
      L[I] = -LP[I * C + static_cast<std::int64_t>(Class)];
      ++Counted;
    }
  }
  if (R != Reduction::Mean)
    return reduceLoss(Losses, R);
  // The mean runs over the samples that are not ignored (NaN if none).
  return tensor(sum(Losses).item() / static_cast<float>(Counted));
}

namespace detail {
Tensor classIndexTensor(const Tensor &Logits,
                        const std::vector<std::int64_t> &Classes) {
  checkDefined("cross_entropy", Logits);
  std::vector<float> Values(Classes.begin(), Classes.end());
  Shape S = Logits.dim() == 1 && Classes.size() == 1
                ? Shape()
                : Shape{static_cast<std::int64_t>(Classes.size())};
  return tensor(Values, S);
}
} // namespace detail

Tensor cross_entropy(const Tensor &Logits,
                     const std::vector<std::int64_t> &Target, Reduction R) {
  return cross_entropy(Logits, detail::classIndexTensor(Logits, Target), R);
}

} // namespace adjoint
