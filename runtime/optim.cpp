//===- optim.cpp - SGD, Adam and AdamW ------------------------------------===//
//
// The updates run element by element in float, in the order of PyTorch's
// single-tensor implementations (torch/optim/sgd.py, adam.py, adamw.py), so
// results agree with PyTorch to a few ulps; hyper-parameter arithmetic (bias
// corrections, step sizes) is in double like PyTorch's Python scalars.
//
//===----------------------------------------------------------------------===//

#include "adjoint/optim.h"
#include "tensor_internal.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace adjoint {
namespace optim {

namespace {
void checkNonNegative(const char *Op, const char *What, double V) {
  if (!(V >= 0.0))
    detail::throwInvalid(Op, std::string("invalid ") + What + ": " +
                                 std::to_string(V));
}

std::vector<Tensor *> pointers(const TensorRefs &Refs) {
  std::vector<Tensor *> Out;
  Out.reserve(Refs.size());
  for (Tensor &T : Refs)
    Out.push_back(&T);
  return Out;
}
} // namespace

Optimizer::Optimizer(TensorRefs ParamRefs, TensorRefs GradRefs)
    : Params(pointers(ParamRefs)), Grads(pointers(GradRefs)) {
  if (Params.size() != Grads.size())
    detail::throwInvalid("optimizer",
                         std::to_string(Params.size()) + " parameters but " +
                             std::to_string(Grads.size()) + " gradients");
  for (std::size_t I = 0; I < Params.size(); ++I)
    if (!Params[I]->defined())
      detail::throwInvalid("optimizer",
                           "parameter " + std::to_string(I) + " is undefined");
}

void Optimizer::zero_grad() {
  for (Tensor *G : Grads)
    if (G->defined())
      G->zero_();
}

const Tensor *Optimizer::checkedGrad(std::size_t I, const char *Op) const {
  const Tensor *G = Grads[I];
  if (!G->defined())
    return nullptr;
  if (G->shape() != Params[I]->shape())
    detail::throwInvalid(Op, "gradient " + std::to_string(I) + " has shape " +
                                 G->shape().str() + " but its parameter " +
                                 Params[I]->shape().str());
  return G;
}

//===--- SGD --------------------------------------------------------------===//

SGD::SGD(TensorRefs ParamRefs, TensorRefs GradRefs, SGDOptions Options)
    : Optimizer(std::move(ParamRefs), std::move(GradRefs)), Opts(Options),
      MomentumBuffers(Params.size()) {
  checkNonNegative("SGD", "learning rate", Opts.Lr);
  checkNonNegative("SGD", "momentum value", Opts.Momentum);
  checkNonNegative("SGD", "weight_decay value", Opts.WeightDecay);
  if (Opts.Nesterov && (Opts.Momentum <= 0.0 || Opts.Dampening != 0.0))
    detail::throwInvalid("SGD",
                         "Nesterov momentum requires a momentum and zero "
                         "dampening");
}

void SGD::step() {
  const float WeightDecay = static_cast<float>(Opts.WeightDecay);
  const float Momentum = static_cast<float>(Opts.Momentum);
  const float OneMinusDampening = static_cast<float>(1.0 - Opts.Dampening);
  const float NegLr = static_cast<float>(-Opts.Lr);
  for (std::size_t I = 0; I < Params.size(); ++I) {
    const Tensor *G = checkedGrad(I, "SGD");
    if (!G)
      continue;
    float *P = Params[I]->data();
    const float *Gd = G->data();
    const std::int64_t N = Params[I]->numel();
    Tensor &Buf = MomentumBuffers[I];
    const bool First = Momentum != 0.0f && !Buf.defined();
    if (First)
      Buf = empty(Params[I]->shape());
    float *B = Buf.defined() ? Buf.data() : nullptr;
    for (std::int64_t J = 0; J < N; ++J) {
      float D = Gd[J];
      if (WeightDecay != 0.0f)
        D = D + WeightDecay * P[J];
      if (Momentum != 0.0f) {
        B[J] = First ? D : B[J] * Momentum + OneMinusDampening * D;
        D = Opts.Nesterov ? D + Momentum * B[J] : B[J];
      }
      P[J] = P[J] + NegLr * D;
    }
  }
}

//===--- Adam and AdamW ---------------------------------------------------===//

Adam::Adam(TensorRefs ParamRefs, TensorRefs GradRefs, AdamOptions Options)
    : Optimizer(std::move(ParamRefs), std::move(GradRefs)), Opts(Options),
      ExpAvg(Params.size()), ExpAvgSq(Params.size()),
      MaxExpAvgSq(Params.size()), Steps(Params.size(), 0) {
  const char *Name = Opts.DecoupledWeightDecay ? "AdamW" : "Adam";
  checkNonNegative(Name, "learning rate", Opts.Lr);
  checkNonNegative(Name, "epsilon value", Opts.Eps);
  checkNonNegative(Name, "weight_decay value", Opts.WeightDecay.value_or(0));
  if (!(Opts.Beta1 >= 0.0 && Opts.Beta1 < 1.0))
    detail::throwInvalid(Name, "invalid beta parameter at index 0: " +
                                   std::to_string(Opts.Beta1));
  if (!(Opts.Beta2 >= 0.0 && Opts.Beta2 < 1.0))
    detail::throwInvalid(Name, "invalid beta parameter at index 1: " +
                                   std::to_string(Opts.Beta2));
}

void Adam::step() {
  const double Wd = Opts.WeightDecay.value_or(0.0);
  const float Beta1 = static_cast<float>(Opts.Beta1);
  const float Beta2 = static_cast<float>(Opts.Beta2);
  const float OneMinusBeta1 = static_cast<float>(1.0 - Opts.Beta1);
  const float OneMinusBeta2 = static_cast<float>(1.0 - Opts.Beta2);
  const float Eps = static_cast<float>(Opts.Eps);
  const float L2 = Opts.DecoupledWeightDecay ? 0.0f : static_cast<float>(Wd);
  const float Shrink = static_cast<float>(1.0 - Opts.Lr * Wd);
  const bool Decoupled = Opts.DecoupledWeightDecay && Wd != 0.0;
  for (std::size_t I = 0; I < Params.size(); ++I) {
    const Tensor *G =
        checkedGrad(I, Opts.DecoupledWeightDecay ? "AdamW" : "Adam");
    if (!G)
      continue;
    if (!ExpAvg[I].defined()) {
      ExpAvg[I] = zeros_like(*Params[I]);
      ExpAvgSq[I] = zeros_like(*Params[I]);
      if (Opts.AmsGrad)
        MaxExpAvgSq[I] = zeros_like(*Params[I]);
    }
    const double Step = static_cast<double>(++Steps[I]);
    const double BiasCorrection1 = 1.0 - std::pow(Opts.Beta1, Step);
    const double BiasCorrection2 = 1.0 - std::pow(Opts.Beta2, Step);
    const float NegStepSize = static_cast<float>(-(Opts.Lr / BiasCorrection1));
    const float BiasCorrection2Sqrt =
        static_cast<float>(std::sqrt(BiasCorrection2));

    float *P = Params[I]->data();
    const float *Gd = G->data();
    float *M = ExpAvg[I].data(), *V = ExpAvgSq[I].data();
    float *VMax = Opts.AmsGrad ? MaxExpAvgSq[I].data() : nullptr;
    const std::int64_t N = Params[I]->numel();
    for (std::int64_t J = 0; J < N; ++J) {
      if (Decoupled)
        P[J] = P[J] * Shrink;
      float Grad = Gd[J];
      if (L2 != 0.0f)
        Grad = Grad + L2 * P[J];
      M[J] = M[J] * Beta1 + OneMinusBeta1 * Grad;
      // addcmul_ and addcdiv_ multiply by the scalar first.
      V[J] = V[J] * Beta2 + OneMinusBeta2 * Grad * Grad;
      float Second = V[J];
      if (VMax) {
        VMax[J] = std::max(VMax[J], V[J]);
        Second = VMax[J];
      }
      const float Denom = std::sqrt(Second) / BiasCorrection2Sqrt + Eps;
      P[J] = P[J] + NegStepSize * M[J] / Denom;
    }
  }
}

namespace {
AdamOptions decoupled(AdamOptions Options) {
  if (!Options.WeightDecay)
    Options.WeightDecay = 1e-2;
  Options.DecoupledWeightDecay = true;
  return Options;
}
} // namespace

AdamW::AdamW(TensorRefs ParamRefs, TensorRefs GradRefs, AdamOptions Options)
    : Adam(std::move(ParamRefs), std::move(GradRefs), decoupled(Options)) {}

} // namespace optim
} // namespace adjoint
