//===- adjoint/autograd.h - Static autograd semantics -----------*- C++ -*-===//
//
// The pieces of torch.autograd's user-facing semantics that adjoint resolves
// at compile time (no_grad, detach) and the small helpers generated tensor
// gradients call (adjoint accumulation, implicit seeds, tapes of tensors).
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_AUTOGRAD_H
#define ADJOINT_AUTOGRAD_H

#include "adjoint/tape.h"
#include "adjoint/tensor.h"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace adjoint {

/// Like `with torch.no_grad():`: in a differentiated function, everything
/// after `adjoint::NoGradGuard guard;` up to the end of its block is inactive
/// and gets no adjoint code. It does nothing at run time.
struct NoGradGuard {
  NoGradGuard() = default;
  NoGradGuard(const NoGradGuard &) = delete;
  NoGradGuard &operator=(const NoGradGuard &) = delete;
};

/// Like `t.detach()`: the same values, through which the differentiator
/// propagates no gradient.
inline Tensor detach(const Tensor &T_) { return T_.detach(); }

namespace derivatives {

/// D += G for the adjoint of a tensor variable; an undefined D becomes a copy
/// of G. Shapes must match.
inline void accumulate(Tensor &D_, const Tensor &G_) {
  if (!G_.defined())
    return;
  if (!D_.defined()) {
    D_ = G_.clone();
    return;
  }
  if (D_.shape() != G_.shape())
    throw std::invalid_argument("adjoint: gradient of shape " +
                                G_.shape().str() +
                                " cannot be accumulated into a gradient of "
                                "shape " +
                                D_.shape().str());
  D_.add_(G_);
}

/// D += G for a temporary G that nobody else holds: an undefined D takes G
/// itself instead of a copy.
inline void accumulate(Tensor &D_, Tensor &&G_) {
  if (!D_.defined() && G_.defined()) {
    D_ = std::move(G_);
    return;
  }
  accumulate(D_, static_cast<const Tensor &>(G_));
}

/// The seed of a backward pass from \p Output: \p Seed itself (shape-checked)
/// or, when undefined, ones for a one-element output, as `out.backward()`.
inline Tensor resolve_seed(const Tensor &Seed, const Tensor &Output) {
  if (Seed.defined()) {
    if (Seed.shape() != Output.shape())
      throw std::invalid_argument(
          "backward: seed of shape " + Seed.shape().str() +
          " does not match the output of shape " +
          Output.shape().str());
    return Seed;
  }
  if (Output.numel() != 1)
    throw std::invalid_argument(
        "backward: grad can be implicitly created only for scalar outputs, "
        "but the output has shape " +
        Output.shape().str() + "; pass a seed to f_vjp");
  return full(Output.shape(), 1.0f);
}

} // namespace derivatives
} // namespace adjoint

#endif // ADJOINT_AUTOGRAD_H
