//===- adjoint/tensor_forward.h - JVPs of tensor functions ------*- C++ -*-===//
//
// What the generated f_jvp of a tensor function calls. Its forward sweep
// carries a tangent tensor beside each tensor (each operation's from its
// NAME_pushforward rule, adjoint/tensor_derivatives.h): f_jvp checks the
// tangents' shapes and gives a result no tangent reached a zero tangent. A
// body the forward sweep cannot take, with a one-element (loss) result, has
// the JVP <grad f, t>: f_jvp then runs the function's reverse sweep once and
// contracts each gradient with its tangent.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_TENSOR_FORWARD_H
#define ADJOINT_TENSOR_FORWARD_H

#include "adjoint/tensor.h"

#include <stdexcept>
#include <string>

namespace adjoint {
namespace detail {

/// Throws unless the tangent \p T_ of parameter \p Name of \p Function has
/// the shape of its value \p X_.
inline void checkTangentShape(const Tensor &T_, const Tensor &X_,
                              const char *Function, const char *Name) {
  if (!T_.defined() || T_.shape() != X_.shape())
    throw std::invalid_argument(
        std::string(Function) + ": the tangent of '" + Name + "' has shape " +
        (T_.defined() ? T_.shape().str() : std::string("(undefined)")) +
        " but '" + Name + "' has shape " +
        (X_.defined() ? X_.shape().str() : std::string("(undefined)")));
}

/// \p Tangent, or zeros of \p Value's shape when no tangent reached it.
inline Tensor tangentOrZeros(const Tensor &Tangent, const Tensor &Value) {
  if (Tangent.defined() || !Value.defined())
    return Tangent;
  return zeros_like(Value);
}

/// <G, T>: the sum of the elementwise products of gradient \p G_ and tangent
/// \p T_ of parameter \p Name of \p Function (0 when no gradient reached it).
inline double contractTangent(const Tensor &G_, const Tensor &T_,
                              const char *Function, const char *Name) {
  if (!G_.defined())
    return 0;
  if (!T_.defined() || G_.shape() != T_.shape())
    throw std::invalid_argument(
        std::string(Function) + ": the tangent of '" + Name + "' has shape " +
        (T_.defined() ? T_.shape().str() : std::string("(undefined)")) +
        " but '" + Name + "' has shape " + G_.shape().str());
  double Sum = 0;
  const float *Gd = G_.data(), *Td = T_.data();
  for (std::int64_t I_ = 0; I_ < G_.numel(); ++I_)
    Sum += double(Gd[I_]) * double(Td[I_]);
  return Sum;
}

/// The tangent of the one-element result \p Value of \p Function: a tensor
/// of its shape holding \p Tangent.
inline Tensor lossTangent(const Tensor &Value, double Tangent,
                          const char *Function) {
  if (Value.numel() != 1)
    throw std::invalid_argument(
        std::string(Function) + ": forward mode of a tensor function needs a "
        "one-element (loss) result, but it has shape " + Value.shape().str());
  return full_like(Value, float(Tangent));
}

} // namespace detail
} // namespace adjoint

#endif // ADJOINT_TENSOR_FORWARD_H
