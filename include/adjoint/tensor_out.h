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
/// storage with \p A_ or \p B_, or when the shapes cannot be multiplied.
Tensor &matmul_out(Tensor &Out, const Tensor &A_, const Tensor &B_);

/// Self = Beta * Self + Alpha * (A @ B) in place, for 2-D \p A_ [M, K], \p B_
/// [K, N] and \p Self [M, N] (PyTorch's Tensor.addmm_); Beta == 0 ignores
/// Self's previous contents. Throws std::invalid_argument with the shapes
/// when they do not fit, or when \p Self shares storage with \p A_ or \p B_.
Tensor &addmm_(Tensor &Self, const Tensor &A_, const Tensor &B_,
               float Beta = 1.0f, float Alpha = 1.0f);

/// Out = A + B with broadcasting. \p Out may be \p A_ or \p B_ when that
/// operand has the result's shape.
Tensor &add_out(Tensor &Out, const Tensor &A_, const Tensor &B_);
/// Out = A - B with broadcasting (aliasing as add_out).
Tensor &sub_out(Tensor &Out, const Tensor &A_, const Tensor &B_);
/// Out = A * B elementwise with broadcasting (aliasing as add_out).
Tensor &mul_out(Tensor &Out, const Tensor &A_, const Tensor &B_);
/// Out = A / B elementwise with broadcasting (aliasing as add_out).
Tensor &div_out(Tensor &Out, const Tensor &A_, const Tensor &B_);

/// Out = relu(X); \p Out may be \p X_.
Tensor &relu_out(Tensor &Out, const Tensor &X_);
/// Out = sigmoid(X); \p Out may be \p X_.
Tensor &sigmoid_out(Tensor &Out, const Tensor &X_);
/// Out = tanh(X); \p Out may be \p X_.
Tensor &tanh_out(Tensor &Out, const Tensor &X_);
/// Out = exp(X); \p Out may be \p X_.
Tensor &exp_out(Tensor &Out, const Tensor &X_);

} // namespace adjoint

#endif // ADJOINT_TENSOR_OUT_H
