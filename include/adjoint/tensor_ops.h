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
template <class S>
using EnableIfScalar =
    typename std::enable_if<std::is_arithmetic<S>::value, int>::type;
} // namespace detail

//===--- Arithmetic with broadcasting -------------------------------------===//

/// A + B with broadcasting.
Tensor add(const Tensor &A, const Tensor &B);
/// A - B with broadcasting.
Tensor sub(const Tensor &A, const Tensor &B);
/// A * B (elementwise) with broadcasting.
Tensor mul(const Tensor &A, const Tensor &B);
/// A / B (elementwise) with broadcasting.
Tensor div(const Tensor &A, const Tensor &B);
/// A + S.
Tensor add(const Tensor &A, float S);
/// S + B.
Tensor add(float S, const Tensor &B);
/// A - S.
Tensor sub(const Tensor &A, float S);
/// S - B.
Tensor sub(float S, const Tensor &B);
/// A * S.
Tensor mul(const Tensor &A, float S);
/// S * B.
Tensor mul(float S, const Tensor &B);
/// A / S.
Tensor div(const Tensor &A, float S);
/// S / B.
Tensor div(float S, const Tensor &B);
/// -A.
Tensor neg(const Tensor &A);

/// A + B with broadcasting.
inline Tensor operator+(const Tensor &A, const Tensor &B) { return add(A, B); }
/// A - B with broadcasting.
inline Tensor operator-(const Tensor &A, const Tensor &B) { return sub(A, B); }
/// A * B (elementwise) with broadcasting.
inline Tensor operator*(const Tensor &A, const Tensor &B) { return mul(A, B); }
/// A / B (elementwise) with broadcasting.
inline Tensor operator/(const Tensor &A, const Tensor &B) { return div(A, B); }
/// -A.
inline Tensor operator-(const Tensor &A) { return neg(A); }
/// A + S.
template <class S, detail::EnableIfScalar<S> = 0>
Tensor operator+(const Tensor &A, S Scalar) {
  return add(A, static_cast<float>(Scalar));
}
/// S + B.
template <class S, detail::EnableIfScalar<S> = 0>
Tensor operator+(S Scalar, const Tensor &B) {
  return add(static_cast<float>(Scalar), B);
}
/// A - S.
template <class S, detail::EnableIfScalar<S> = 0>
Tensor operator-(const Tensor &A, S Scalar) {
  return sub(A, static_cast<float>(Scalar));
}
/// S - B.
template <class S, detail::EnableIfScalar<S> = 0>
Tensor operator-(S Scalar, const Tensor &B) {
  return sub(static_cast<float>(Scalar), B);
}
/// A * S.
template <class S, detail::EnableIfScalar<S> = 0>
Tensor operator*(const Tensor &A, S Scalar) {
  return mul(A, static_cast<float>(Scalar));
}
/// S * B.
template <class S, detail::EnableIfScalar<S> = 0>
Tensor operator*(S Scalar, const Tensor &B) {
  return mul(static_cast<float>(Scalar), B);
}
/// A / S.
template <class S, detail::EnableIfScalar<S> = 0>
Tensor operator/(const Tensor &A, S Scalar) {
  return div(A, static_cast<float>(Scalar));
}
/// S / B.
template <class S, detail::EnableIfScalar<S> = 0>
Tensor operator/(S Scalar, const Tensor &B) {
  return div(static_cast<float>(Scalar), B);
}

//===--- Elementwise functions --------------------------------------------===//

/// Elementwise X^P.
Tensor pow(const Tensor &X, double P);
/// Elementwise e^X.
Tensor exp(const Tensor &X);
/// Elementwise natural logarithm.
Tensor log(const Tensor &X);
/// Elementwise square root.
Tensor sqrt(const Tensor &X);
/// Elementwise absolute value.
Tensor abs(const Tensor &X);
/// Elementwise 1 / (1 + e^-X).
Tensor sigmoid(const Tensor &X);
/// Elementwise hyperbolic tangent.
Tensor tanh(const Tensor &X);
/// Elementwise max(X, 0).
Tensor relu(const Tensor &X);

//===--- Reductions
//--------------------------------------------------------===//

/// Sum of all elements as a 0-D tensor (0 for an empty tensor).
Tensor sum(const Tensor &X);
/// Sum over dimension \p Dim (negative counts from the end); the dimension
/// is removed unless \p KeepDim.
Tensor sum(const Tensor &X, std::int64_t Dim, bool KeepDim = false);
/// Mean of all elements as a 0-D tensor (NaN for an empty tensor).
Tensor mean(const Tensor &X);
/// Mean over dimension \p Dim; the dimension is removed unless \p KeepDim.
Tensor mean(const Tensor &X, std::int64_t Dim, bool KeepDim = false);
/// Sums \p X over its broadcast dimensions down to shape \p S, which must
/// broadcast to X's shape (the reduction that broadcasting gradients need,
/// like PyTorch's sum_to_size).
Tensor sum_to(const Tensor &X, const Shape &S);

//===--- Matrix products and shapes ---------------------------------------===//

/// Matrix product with torch.matmul's rules: 1-D . 1-D is a dot product
/// (0-D), a 1-D first (second) operand is a row (column) vector whose
/// dimension is removed from the result, and 3-D or 4-D operands are stacks
/// of matrices whose batch dimensions broadcast.
Tensor matmul(const Tensor &A, const Tensor &B);
/// \p X with dimensions \p D0 and \p D1 swapped (negative counts from the
/// end), as a new contiguous tensor.
Tensor transpose(const Tensor &X, std::int64_t D0, std::int64_t D1);
/// Same as X.t().
Tensor t(const Tensor &X);
/// Same as X.reshape(S).
Tensor reshape(const Tensor &X, const Shape &S);
/// \p X broadcast to shape \p S as a new contiguous tensor.
Tensor expand(const Tensor &X, const Shape &S);

//===--- Activations and losses -------------------------------------------===//

/// Softmax along \p Dim, computed stably (the maximum is subtracted first).
Tensor softmax(const Tensor &X, std::int64_t Dim);
/// Logarithm of the softmax along \p Dim, computed stably.
Tensor log_softmax(const Tensor &X, std::int64_t Dim);
/// torch.nn.functional.binary_cross_entropy_with_logits: \p Target has the
/// shape of \p Input; \p PosWeight, when defined, broadcasts to it and weighs
/// the positive term.
Tensor binary_cross_entropy_with_logits(const Tensor &Input,
                                        const Tensor &Target,
                                        Reduction R = Reduction::Mean,
                                        const Tensor &PosWeight = Tensor());
/// torch.nn.functional.mse_loss: (Input - Target)^2 reduced; the operands
/// broadcast.
Tensor mse_loss(const Tensor &Input, const Tensor &Target,
                Reduction R = Reduction::Mean);
/// torch.nn.functional.cross_entropy for logits [N, C] (or [C]). \p Target
/// holds class indices stored as floats ([N], or 0-D for [C] logits), where
/// -100 (PyTorch's ignore_index) marks ignored samples, or class
/// probabilities of the shape of \p Logits.
Tensor cross_entropy(const Tensor &Logits, const Tensor &Target,
                     Reduction R = Reduction::Mean);
/// cross_entropy with class indices given as integers.
Tensor cross_entropy(const Tensor &Logits,
                     const std::vector<std::int64_t> &Target,
                     Reduction R = Reduction::Mean);

} // namespace adjoint

#endif // ADJOINT_TENSOR_OPS_H
