//===- adjoint/annotations.h - Source annotations for adjoint ---*- C++ -*-===//
//
// The macros a user puts on forward functions. Under Clang ADJOINT_GRAD
// becomes an `annotate` attribute that the adjoint plugin and adjoint-gen look
// for; under other compilers (compiling adjoint-gen's output) it expands to
// nothing. ADJOINT_CHECKPOINT is a statement: a call of an empty inline
// function, so it means the same to every compiler and every Clang version
// (Clang 14 has no statement form of `annotate`).
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_ANNOTATIONS_H
#define ADJOINT_ANNOTATIONS_H

#if defined(__clang__)
/// Requests a reverse-mode gradient of the annotated function with respect to
/// the named parameters (all differentiable parameters when the list is empty).
/// Generates `f_grad(params..., d_params...)` and, for a scalar result,
/// `f_vjp(params..., seed, d_params...)` right after the function.
#define ADJOINT_GRAD(...) [[clang::annotate("adjoint.grad", #__VA_ARGS__)]]
/// Requests forward mode with respect to the named parameters (all
/// differentiable ones when the list is empty): generates
/// `f_jvp(params..., tangents...)`, one tangent per named parameter, which
/// returns `adjoint::Dual<R>{value, tangent}` (void for a void function,
/// whose output pointers' tangents go to their tangent pointers).
#define ADJOINT_JVP(...) [[clang::annotate("adjoint.jvp", #__VA_ARGS__)]]
/// Requests second derivatives of a function with a float or double result
/// with respect to the named parameters: `f_hvp(params..., directions...,
/// outputs...)` adds the Hessian-vector product into the outputs and returns
/// f's value; when every named parameter is a scalar, `f_hessian(params...,
/// R *H)` writes the full row-major Hessian.
#define ADJOINT_HESSIAN(...)                                                   \
  [[clang::annotate("adjoint.hessian", #__VA_ARGS__)]]
#else
#define ADJOINT_GRAD(...)
#define ADJOINT_JVP(...)
#define ADJOINT_HESSIAN(...)
#endif

namespace adjoint {
/// The marker ADJOINT_CHECKPOINT expands to; does nothing at run time.
inline void checkpoint_next_loop() {}
} // namespace adjoint

/// Put as a statement of its own right before a loop of a differentiated
/// function (`ADJOINT_CHECKPOINT; for (...) {...}`): the loop's iterations are
/// recomputed in the reverse sweep from a small per-iteration snapshot instead
/// of taping every overwritten value. Outside differentiated functions it
/// does nothing.
#define ADJOINT_CHECKPOINT ::adjoint::checkpoint_next_loop()

#endif // ADJOINT_ANNOTATIONS_H
