//===- adjoint/tensor_out.h - Operations into a given tensor ----*- C++ -*-===//
//
// Out-variants of the hot operations, like PyTorch's `out=` arguments: the
// result goes into the storage of \p Out when \p Out already has the
// result's shape, so a loop reuses one buffer instead of allocating a result
// per call. An undefined \p Out, or one of another shape, is rebound to a
// new tensor of the result's shape (PyTorch resizes it). Other handles to
// \p Out's storage see the new values. Each returns \p Out.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_TENSOR_OUT_H
#define ADJOINT_TENSOR_OUT_H

#include "adjoint/tensor_core.h"

namespace adjoint {

/// Out = matmul(A, B). Throws std::invalid_argument when \p Out shares
/// storage with \p A or \p B, or when the shapes cannot be multiplied.
Tensor &matmul_out(Tensor &Out, const Tensor &A, const Tensor &B);

/// Self = Beta * Self + Alpha * (A @ B) in place, for 2-D \p A [M, K], \p B
/// [K, N] and \p Self [M, N] (PyTorch's Tensor.addmm_); Beta == 0 ignores
/// Self's previous contents. Throws std::invalid_argument with the shapes
/// when they do not fit, or when \p Self shares storage with \p A or \p B.
Tensor &addmm_(Tensor &Self, const Tensor &A, const Tensor &B,
               float Beta = 1.0f, float Alpha = 1.0f);

/// Out = A + B with broadcasting. \p Out may be \p A or \p B when that
/// operand has the result's shape.
Tensor &add_out(Tensor &Out, const Tensor &A, const Tensor &B);
/// Out = A - B with broadcasting (aliasing as add_out).
Tensor &sub_out(Tensor &Out, const Tensor &A, const Tensor &B);
/// Out = A * B elementwise with broadcasting (aliasing as add_out).
Tensor &mul_out(Tensor &Out, const Tensor &A, const Tensor &B);
/// Out = A / B elementwise with broadcasting (aliasing as add_out).
Tensor &div_out(Tensor &Out, const Tensor &A, const Tensor &B);

/// Out = relu(X); \p Out may be \p X.
Tensor &relu_out(Tensor &Out, const Tensor &X);
/// Out = sigmoid(X); \p Out may be \p X.
Tensor &sigmoid_out(Tensor &Out, const Tensor &X);
/// Out = tanh(X); \p Out may be \p X.
Tensor &tanh_out(Tensor &Out, const Tensor &X);
/// Out = exp(X); \p Out may be \p X.
Tensor &exp_out(Tensor &Out, const Tensor &X);

} // namespace adjoint

#endif // ADJOINT_TENSOR_OUT_H
