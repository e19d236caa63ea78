//===- adjoint/annotations.h - Source annotations for adjoint ---*- C++ -*-===//
//
// The macros a user puts on forward functions. Under Clang they become
// `annotate` attributes that the adjoint plugin and adjoint-gen look for; under
// other compilers (compiling adjoint-gen's output) they expand to nothing.
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
#else
#define ADJOINT_GRAD(...)
#endif

#endif // ADJOINT_ANNOTATIONS_H
