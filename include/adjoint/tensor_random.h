//===- adjoint/tensor_random.h - Random tensors -----------------*- C++ -*-===//
//
// Random tensors from one global generator that manual_seed resets. The
// streams are the same on every machine and standard library: the engine is
// std::mt19937_64 (whose output the C++ standard fixes) and the conversions
// to uniform and normal floats are written here rather than taken from
// <random>'s distributions, whose algorithms differ between libstdc++ and
// libc++. The values differ from PyTorch's own generator.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_TENSOR_RANDOM_H
#define ADJOINT_TENSOR_RANDOM_H

#include "adjoint/tensor_factories.h"

#include <cstdint>

namespace adjoint {

/// Resets the global generator so that later rand/randn calls repeat.
void manual_seed(std::uint64_t Seed);
/// A tensor of shape \p S_ with samples uniform in [0, 1).
Tensor rand(const Shape &S_);
/// A tensor of shape \p S_ with standard normal samples (Box-Muller).
Tensor randn(const Shape &S_);
/// `rand(5, 3)`: sizes as separate arguments.
template <class... Ds, detail::EnableIfSizes<Ds...> = 0>
Tensor rand(Ds... Sizes) {
  return rand(Shape{static_cast<std::int64_t>(Sizes)...});
}
/// `randn(5, 3)`: sizes as separate arguments.
template <class... Ds, detail::EnableIfSizes<Ds...> = 0>
Tensor randn(Ds... Sizes) {
  return randn(Shape{static_cast<std::int64_t>(Sizes)...});
}
/// Uniform samples with the shape of \p T_.
Tensor rand_like(const Tensor &T_);
/// Standard normal samples with the shape of \p T_.
Tensor randn_like(const Tensor &T_);

} // namespace adjoint

#endif // ADJOINT_TENSOR_RANDOM_H
