//===- adjoint/tensor_factories.h - Creating tensors ------------*- C++ -*-===//
//
// The PyTorch creation functions: constant-filled tensors, identity matrices,
// ranges, and tensors from nested initializer lists or flat vectors. Shapes
// are written as initializer lists, e.g. `zeros({5, 3})`; `zeros(5, 3)` and
// `zeros(5)` work too, as in PyTorch.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_TENSOR_FACTORIES_H
#define ADJOINT_TENSOR_FACTORIES_H

#include "adjoint/tensor_core.h"

#include <cstdint>
#include <initializer_list>
#include <type_traits>
#include <vector>

namespace adjoint {

namespace detail {
/// Whether every type of a pack is an integer type (for the `zeros(5, 3)`
/// overloads, which must not capture `zeros(shape)`).
template <class... Ts> struct AllIntegral : std::true_type {};
template <class T_, class... Ts>
struct AllIntegral<T_, Ts...>
    : std::integral_constant<bool, std::is_integral<T_>::value &&
                                       AllIntegral<Ts...>::value> {};
template <class... Ds>
using EnableIfSizes =
    typename std::enable_if<(sizeof...(Ds) >= 2) && AllIntegral<Ds...>::value,
                            int>::type;
} // namespace detail

/// A tensor of shape \p S_ filled with 1.
Tensor ones(const Shape &S_);
/// A tensor of shape \p S_ filled with 0.
Tensor zeros(const Shape &S_);
/// A tensor of shape \p S_ filled with \p Value.
Tensor full(const Shape &S_, float Value);
/// `ones(5, 3)`: sizes as separate arguments.
template <class... Ds, detail::EnableIfSizes<Ds...> = 0>
Tensor ones(Ds... Sizes) {
  return ones(Shape{static_cast<std::int64_t>(Sizes)...});
}
/// `zeros(5, 3)`: sizes as separate arguments.
template <class... Ds, detail::EnableIfSizes<Ds...> = 0>
Tensor zeros(Ds... Sizes) {
  return zeros(Shape{static_cast<std::int64_t>(Sizes)...});
}
/// A tensor filled with 1 with the shape of \p T_.
Tensor ones_like(const Tensor &T_);
/// A tensor filled with 0 with the shape of \p T_.
Tensor zeros_like(const Tensor &T_);
/// A tensor filled with \p Value with the shape of \p T_.
Tensor full_like(const Tensor &T_, float Value);
/// The \p N_ x \p N_ identity matrix.
Tensor eye(std::int64_t N_);
/// The \p N_ x \p M_ matrix with ones on the main diagonal.
Tensor eye(std::int64_t N_, std::int64_t M_);
/// The 1-D tensor [0, 1, ..., N - 1].
Tensor arange(std::int64_t N_);
/// The 1-D tensor [Start, Start + Step, ...) stopping before \p End, like
/// torch.arange; throws std::invalid_argument for a zero step.
Tensor arange(double Start, double End, double Step = 1.0);

/// The argument of tensor(): a number or a (nested) braced list of numbers.
/// One recursive type rather than an overload per depth, because with
/// overloads a one-element list such as the rows of `{{1}, {2}}` could be
/// read both as a number and as a list.
class NestedList {
public:
  /// A number.
  NestedList(float Number) : Value(Number), IsList(false) {}
  /// A list of numbers or of lists.
  NestedList(std::initializer_list<NestedList> Elements) : Items(Elements) {}
  /// Whether this is a list rather than a number.
  bool isList() const { return IsList; }
  /// The number (when !isList()).
  float value() const { return Value; }
  /// The elements (when isList()).
  const std::initializer_list<NestedList> &items() const { return Items; }

private:
  float Value = 0.0f;
  std::initializer_list<NestedList> Items;
  bool IsList = true;
};

/// A tensor from a number (0-D) or nested lists like torch.tensor, e.g.
/// `tensor(2.5)`, `tensor({0.2045, 0.1843})` or `tensor({{1, 2}, {3, 4}})`;
/// throws std::invalid_argument for ragged lists.
Tensor tensor(const NestedList &Values);
/// A tensor of shape \p S_ holding \p Values in row-major order; throws
/// std::invalid_argument when the counts differ.
Tensor tensor(const std::vector<float> &Values, const Shape &S_);
/// Same as tensor(Values, S).
Tensor from_vector(const std::vector<float> &Values, const Shape &S_);

} // namespace adjoint

#endif // ADJOINT_TENSOR_FACTORIES_H
