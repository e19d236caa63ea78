//===- adjoint/optim.h - SGD, Adam and AdamW optimizers ---------*- C++ -*-===//
//
// PyTorch's torch.optim.SGD, Adam and AdamW over parameter tensors and the
// gradient tensors adjoint's generated code fills, with the same update
// formulas in the same order of float operations (test/unit/optim_test.cpp
// checks several steps against PyTorch). An optimizer refers to the caller's
// tensor variables, so it sees gradients the generated code rebinds, and
// updates the parameters in place:
//
//   Tensor w = ..., b = ..., dw, db;
//   adjoint::optim::Adam opt({w, b}, {dw, db}, AdamOptions(1e-3));
//   for (...) {
//     opt.zero_grad();
//     loss_grad(x, y, w, b, dw, db); // generated: accumulates into dw, db
//     opt.step();
//   }
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_OPTIM_H
#define ADJOINT_OPTIM_H

#include "adjoint/tensor_core.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace adjoint {
namespace optim {

/// Parameters or gradients: the caller's tensor variables, which must
/// outlive the optimizer.
using TensorRefs = std::vector<std::reference_wrapper<Tensor>>;

/// What every optimizer shares: the parameters, their gradients (same
/// order) and zero_grad.
class Optimizer {
public:
  /// Throws std::invalid_argument unless there are as many gradients as
  /// parameters and every parameter is defined.
  Optimizer(TensorRefs Params, TensorRefs Grads);
  virtual ~Optimizer() = default;

  /// Updates every parameter whose gradient is defined; throws
  /// std::invalid_argument when a gradient's shape differs from its
  /// parameter's (both shapes in the message).
  virtual void step() = 0;
  /// Sets every defined gradient to zero in place (generated gradients
  /// accumulate into the tensors they are given).
  void zero_grad();

  /// Number of parameters.
  std::size_t size() const { return Params.size(); }

protected:
  /// The gradient of parameter \p I_, checked against it; null when the
  /// gradient is undefined (the parameter is then skipped, as PyTorch skips
  /// parameters whose .grad is None).
  const Tensor *checkedGrad(std::size_t I_, const char *Op) const;

  std::vector<Tensor *> Params, Grads;
};

/// Hyper-parameters of SGD (torch.optim.SGD's defaults but lr).
struct SGDOptions {
  /// Options with learning rate \p LearningRate.
  explicit SGDOptions(double LearningRate) : Lr(LearningRate) {}
  /// Sets the learning rate.
  SGDOptions &lr(double V_) {
    Lr = V_;
    return *this;
  }
  /// Sets the momentum factor (0: plain gradient descent).
  SGDOptions &momentum(double V_) {
    Momentum = V_;
    return *this;
  }
  /// Sets the dampening of the momentum.
  SGDOptions &dampening(double V_) {
    Dampening = V_;
    return *this;
  }
  /// Sets the L2 penalty added to the gradient.
  SGDOptions &weight_decay(double V_) {
    WeightDecay = V_;
    return *this;
  }
  /// Enables Nesterov momentum (needs momentum > 0 and dampening 0).
  SGDOptions &nesterov(bool V_) {
    Nesterov = V_;
    return *this;
  }

  double Lr;
  double Momentum = 0.0;
  double Dampening = 0.0;
  double WeightDecay = 0.0;
  bool Nesterov = false;
};

/// Stochastic gradient descent with optional momentum, dampening, weight
/// decay and Nesterov momentum, as torch.optim.SGD:
///   g = grad + weight_decay * p
///   b = g (first step), else b = momentum * b + (1 - dampening) * g
///   g = g + momentum * b (nesterov), else g = b      (when momentum != 0)
///   p = p - lr * g
class SGD : public Optimizer {
public:
  /// Throws std::invalid_argument for a negative learning rate, momentum or
  /// weight decay, or Nesterov without momentum or with dampening.
  SGD(TensorRefs Params, TensorRefs Grads, SGDOptions Options);
  void step() override;
  /// The options.
  const SGDOptions &options() const { return Opts; }

private:
  SGDOptions Opts;
  std::vector<Tensor> MomentumBuffers;
};

/// Hyper-parameters of Adam and AdamW (torch.optim.Adam's defaults).
struct AdamOptions {
  /// Options with learning rate \p LearningRate.
  explicit AdamOptions(double LearningRate = 1e-3) : Lr(LearningRate) {}
  /// Sets the learning rate.
  AdamOptions &lr(double V_) {
    Lr = V_;
    return *this;
  }
  /// Sets the decay rates of the first and second moment estimates.
  AdamOptions &betas(double B1_, double B2_) {
    Beta1 = B1_;
    Beta2 = B2_;
    return *this;
  }
  /// Sets the term added to the denominator for numerical stability.
  AdamOptions &eps(double V_) {
    Eps = V_;
    return *this;
  }
  /// Sets the weight decay: an L2 penalty added to the gradient (Adam) or,
  /// with decoupled_weight_decay, a shrinking of the parameter (AdamW).
  AdamOptions &weight_decay(double V_) {
    WeightDecay = V_;
    return *this;
  }
  /// Uses the maximum of past second moments (AMSGrad).
  AdamOptions &amsgrad(bool V_) {
    AmsGrad = V_;
    return *this;
  }
  /// Decouples the weight decay from the gradient, as AdamW does.
  AdamOptions &decoupled_weight_decay(bool V_) {
    DecoupledWeightDecay = V_;
    return *this;
  }

  double Lr;
  double Beta1 = 0.9, Beta2 = 0.999;
  double Eps = 1e-8;
  /// Unset: 0 for Adam, 0.01 for AdamW (PyTorch's defaults).
  std::optional<double> WeightDecay;
  bool AmsGrad = false;
  bool DecoupledWeightDecay = false;
};

/// Adam, as torch.optim.Adam (and AdamW with decoupled weight decay), at
/// step t:
///   p = p * (1 - lr * weight_decay)                     (decoupled)
///   g = grad + weight_decay * p                         (otherwise)
///   m = beta1 * m + (1 - beta1) * g
///   v = beta2 * v + (1 - beta2) * g * g;  v_max = max(v_max, v) (amsgrad)
///   p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
class Adam : public Optimizer {
public:
  /// Throws std::invalid_argument for a negative learning rate, eps or
  /// weight decay, or betas outside [0, 1).
  Adam(TensorRefs Params, TensorRefs Grads,
       AdamOptions Options = AdamOptions());
  void step() override;
  /// The options.
  const AdamOptions &options() const { return Opts; }

private:
  AdamOptions Opts;
  std::vector<Tensor> ExpAvg, ExpAvgSq, MaxExpAvgSq;
  std::vector<std::int64_t> Steps;
};

/// AdamW (torch.optim.AdamW): Adam with decoupled weight decay, 0.01 unless
/// \p Options sets another.
class AdamW : public Adam {
public:
  AdamW(TensorRefs Params, TensorRefs Grads,
        AdamOptions Options = AdamOptions());
};

} // namespace optim
} // namespace adjoint

#endif // ADJOINT_OPTIM_H
