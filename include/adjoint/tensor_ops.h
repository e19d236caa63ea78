//===- adjoint/tensor_ops.h - Operations on tensors -------------*- C++ -*-===//
//
// PyTorch's tensor operations with PyTorch's semantics: broadcasting
// arithmetic, elementwise functions, reductions, matmul, shape operations and
// the common losses. Every operation returns a newly allocated tensor (reshape
// shares storage, like PyTorch's view). Bad shapes or dimensions throw
// std::invalid_argument or std::out_of_range with a message naming the
// operation and the shapes involved; NaN and infinity propagate.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_TENSOR_OPS_H
#define ADJOINT_TENSOR_OPS_H

#include "adjoint/tensor_core.h"

#include <cstdint>
#include <type_traits>
#include <vector>

namespace adjoint {

/// How a loss reduces its elementwise values, like PyTorch's `reduction`.
enum class Reduction { None, Mean, Sum };

namespace detail {
/// Enables the tensor-scalar operator overloads for arithmetic scalars only,
/// so that `t * 2` and `2.0 * t` both work without ambiguity.
template <class S_>
using EnableIfScalar =
    typename std::enable_if<std::is_arithmetic<S_>::value, int>::type;
} // namespace detail

//===--- Arithmetic with broadcasting -------------------------------------===//

/// A + B with broadcasting.
Tensor add(const Tensor &A_, const Tensor &B_);
/// A - B with broadcasting.
Tensor sub(const Tensor &A_, const Tensor &B_);
/// A * B (elementwise) with broadcasting.
Tensor mul(const Tensor &A_, const Tensor &B_);
/// A / B (elementwise) with broadcasting.
Tensor div(const Tensor &A_, const Tensor &B_);
/// A + S.
Tensor add(const Tensor &A_, float S_);
/// S + B.
Tensor add(float S_, const Tensor &B_);
/// A - S.
Tensor sub(const Tensor &A_, float S_);
/// S - B.
Tensor sub(float S_, const Tensor &B_);
/// A * S.
Tensor mul(const Tensor &A_, float S_);
/// S * B.
Tensor mul(float S_, const Tensor &B_);
/// A / S.
Tensor div(const Tensor &A_, float S_);
/// S / B.
Tensor div(float S_, const Tensor &B_);
/// -A.
Tensor neg(const Tensor &A_);

/// A + B with broadcasting.
inline Tensor operator+(const Tensor &A_, const Tensor &B_) {
  return add(A_, B_);
}
/// A - B with broadcasting.
inline Tensor operator-(const Tensor &A_, const Tensor &B_) {
  return sub(A_, B_);
}
/// A * B (elementwise) with broadcasting.
inline Tensor operator*(const Tensor &A_, const Tensor &B_) {
  return mul(A_, B_);
}
/// A / B (elementwise) with broadcasting.
inline Tensor operator/(const Tensor &A_, const Tensor &B_) {
  return div(A_, B_);
}
/// -A.
inline Tensor operator-(const Tensor &A_) { return neg(A_); }
/// A + S.
template <class S_, detail::EnableIfScalar<S_> = 0>
Tensor operator+(const Tensor &A_, S_ Scalar) {
  return add(A_, static_cast<float>(Scalar));
}
/// S + B.
template <class S_, detail::EnableIfScalar<S_> = 0>
Tensor operator+(S_ Scalar, const Tensor &B_) {
  return add(static_cast<float>(Scalar), B_);
}
/// A - S.
template <class S_, detail::EnableIfScalar<S_> = 0>
Tensor operator-(const Tensor &A_, S_ Scalar) {
  return sub(A_, static_cast<float>(Scalar));
}
/// S - B.
template <class S_, detail::EnableIfScalar<S_> = 0>
Tensor operator-(S_ Scalar, const Tensor &B_) {
  return sub(static_cast<float>(Scalar), B_);
}
/// A * S.
template <class S_, detail::EnableIfScalar<S_> = 0>
Tensor operator*(const Tensor &A_, S_ Scalar) {
  return mul(A_, static_cast<float>(Scalar));
}
/// S * B.
template <class S_, detail::EnableIfScalar<S_> = 0>
Tensor operator*(S_ Scalar, const Tensor &B_) {
  return mul(static_cast<float>(Scalar), B_);
}
/// A / S.
template <class S_, detail::EnableIfScalar<S_> = 0>
Tensor operator/(const Tensor &A_, S_ Scalar) {
  return div(A_, static_cast<float>(Scalar));
}
/// S / B.
template <class S_, detail::EnableIfScalar<S_> = 0>
Tensor operator/(S_ Scalar, const Tensor &B_) {
  return div(static_cast<float>(Scalar), B_);
}

//===--- Elementwise functions --------------------------------------------===//

/// Elementwise X^P.
Tensor pow(const Tensor &X_, double P_);
/// Elementwise e^X.
Tensor exp(const Tensor &X_);
/// Elementwise natural logarithm.
Tensor log(const Tensor &X_);
/// Elementwise square root.
Tensor sqrt(const Tensor &X_);
/// Elementwise absolute value.
Tensor abs(const Tensor &X_);
/// Elementwise 1 / (1 + e^-X).
Tensor sigmoid(const Tensor &X_);
/// Elementwise hyperbolic tangent.
Tensor tanh(const Tensor &X_);
/// Elementwise max(X, 0).
Tensor relu(const Tensor &X_);

//===--- Reductions
//--------------------------------------------------------===//

/// Sum of all elements as a 0-D tensor (0 for an empty tensor).
Tensor sum(const Tensor &X_);
/// Sum over dimension \p Dim (negative counts from the end); the dimension
/// is removed unless \p KeepDim.
Tensor sum(const Tensor &X_, std::int64_t Dim, bool KeepDim = false);
/// Mean of all elements as a 0-D tensor (NaN for an empty tensor).
Tensor mean(const Tensor &X_);
/// Mean over dimension \p Dim; the dimension is removed unless \p KeepDim.
Tensor mean(const Tensor &X_, std::int64_t Dim, bool KeepDim = false);
/// Sums \p X_ over its broadcast dimensions down to shape \p S_, which must
/// broadcast to X's shape (the reduction that broadcasting gradients need,
/// like PyTorch's sum_to_size).
Tensor sum_to(const Tensor &X_, const Shape &S_);

//===--- Matrix products and shapes ---------------------------------------===//

/// Matrix product with torch.matmul's rules: 1-D . 1-D is a dot product
/// (0-D), a 1-D first (second) operand is a row (column) vector whose
/// dimension is removed from the result, and 3-D or 4-D operands are stacks
/// of matrices whose batch dimensions broadcast.
Tensor matmul(const Tensor &A_, const Tensor &B_);
/// \p X_ with dimensions \p D0_ and \p D1_ swapped (negative counts from the
/// end), as a new contiguous tensor.
Tensor transpose(const Tensor &X_, std::int64_t D0_, std::int64_t D1_);
/// Same as X.t().
Tensor t(const Tensor &X_);
/// Same as X.reshape(S).
Tensor reshape(const Tensor &X_, const Shape &S_);
/// \p X_ broadcast to shape \p S_ as a new contiguous tensor.
Tensor expand(const Tensor &X_, const Shape &S_);

//===--- Activations and losses -------------------------------------------===//

/// Softmax along \p Dim, computed stably (the maximum is subtracted first).
Tensor softmax(const Tensor &X_, std::int64_t Dim);
/// Logarithm of the softmax along \p Dim, computed stably.
Tensor log_softmax(const Tensor &X_, std::int64_t Dim);
/// torch.nn.functional.binary_cross_entropy_with_logits: \p Target has the
/// shape of \p Input; \p PosWeight, when defined, broadcasts to it and weighs
/// the positive term.
Tensor binary_cross_entropy_with_logits(const Tensor &Input,
                                        const Tensor &Target,
                                        Reduction R_ = Reduction::Mean,
                                        const Tensor &PosWeight = Tensor());
/// torch.nn.functional.mse_loss: (Input - Target)^2 reduced; the operands
/// broadcast.
Tensor mse_loss(const Tensor &Input, const Tensor &Target,
                Reduction R_ = Reduction::Mean);
/// torch.nn.functional.cross_entropy for logits [N, C] (or [C]). \p Target
/// holds class indices stored as floats ([N], or 0-D for [C] logits), where
/// -100 (PyTorch's ignore_index) marks ignored samples, or class
/// probabilities of the shape of \p Logits.
Tensor cross_entropy(const Tensor &Logits, const Tensor &Target,
                     Reduction R_ = Reduction::Mean);
/// cross_entropy with class indices given as integers.
Tensor cross_entropy(const Tensor &Logits,
                     const std::vector<std::int64_t> &Target,
                     Reduction R_ = Reduction::Mean);

} // namespace adjoint

#endif // ADJOINT_TENSOR_OPS_H
