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

/// Throws unless the tangent \p T of parameter \p Name of \p Function has
/// the shape of its value \p X.
inline void checkTangentShape(const Tensor &T, const Tensor &X,
                              const char *Function, const char *Name) {
  if (!T.defined() || T.shape() != X.shape())
    throw std::invalid_argument(
        std::string(Function) + ": the tangent of '" + Name + "' has shape " +
        (T.defined() ? T.shape().str() : std::string("(undefined)")) +
        " but '" + Name + "' has shape " +
        (X.defined() ? X.shape().str() : std::string("(undefined)")));
}

/// \p Tangent, or zeros of \p Value's shape when no tangent reached it.
inline Tensor tangentOrZeros(const Tensor &Tangent, const Tensor &Value) {
  if (Tangent.defined() || !Value.defined())
    return Tangent;
  return zeros_like(Value);
}

/// <G, T>: the sum of the elementwise products of gradient \p G and tangent
/// \p T of parameter \p Name of \p Function (0 when no gradient reached it).
inline double contractTangent(const Tensor &G, const Tensor &T,
                              const char *Function, const char *Name) {
  if (!G.defined())
    return 0;
  if (!T.defined() || G.shape() != T.shape())
    throw std::invalid_argument(
        std::string(Function) + ": the tangent of '" + Name + "' has shape " +
        (T.defined() ? T.shape().str() : std::string("(undefined)")) +
        " but '" + Name + "' has shape " + G.shape().str());
  double Sum = 0;
  const float *Gd = G.data(), *Td = T.data();
  for (std::int64_t I = 0; I < G.numel(); ++I)
    Sum += double(Gd[I]) * double(Td[I]);
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
