//===- adjoint/shape.h - Tensor shapes stored inline ------------*- C++ -*-===//
//
// The sizes of a tensor of up to four dimensions. Shapes are created and
// compared on every tensor operation, so they live inline (no heap) and
// behave like a small std::vector<int64_t>.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_SHAPE_H
#define ADJOINT_SHAPE_H

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <string>
#include <vector>

namespace adjoint {

/// The sizes of a tensor, outermost first; a Shape of rank 0 is a scalar.
class Shape {
public:
  /// Most dimensions a tensor may have.
  static constexpr int MaxDims = 4;

  /// Iterator types, so that Shape works with range-for and gtest printing.
  using value_type = std::int64_t;
  using iterator = const std::int64_t *;
  using const_iterator = const std::int64_t *;

  /// The shape of a 0-D (scalar) tensor.
  Shape() = default;
  /// A 1-D shape of \p Size elements, so that `ones(5)` reads like PyTorch.
  Shape(std::int64_t Size) : Rank(1) { Dims[0] = Size; }
  /// A shape from its sizes, e.g. `{5, 3}`; throws std::invalid_argument for
  /// more than MaxDims dimensions.
  Shape(std::initializer_list<std::int64_t> Sizes);
  /// A shape from its sizes; throws std::invalid_argument for more than
  /// MaxDims dimensions.
  Shape(const std::vector<std::int64_t> &Sizes);

  /// Number of dimensions.
  std::size_t size() const { return static_cast<std::size_t>(Rank); }
  /// Size of dimension \p I_ (unchecked).
  std::int64_t operator[](std::size_t I_) const { return Dims[I_]; }
  /// Mutable size of dimension \p I_ (unchecked).
  std::int64_t &operator[](std::size_t I_) { return Dims[I_]; }
  /// First size.
  const std::int64_t *begin() const { return Dims; }
  /// One past the last size.
  const std::int64_t *end() const { return Dims + Rank; }
  /// The sizes as a contiguous array.
  const std::int64_t *data() const { return Dims; }
  /// Appends a dimension; throws std::invalid_argument beyond MaxDims.
  void push_back(std::int64_t Size);
  /// Product of the sizes (1 for rank 0).
  std::int64_t numel() const {
    std::int64_t N_ = 1;
    for (int I_ = 0; I_ < Rank; ++I_)
      N_ *= Dims[I_];
    return N_;
  }
  /// The sizes as a std::vector.
  operator std::vector<std::int64_t>() const {
    return std::vector<std::int64_t>(begin(), end());
  }
  /// PyTorch-like rendering used in error messages, e.g. "[5, 3]".
  std::string str() const;

  /// Same rank and sizes.
  friend bool operator==(const Shape &A_, const Shape &B_) {
    if (A_.Rank != B_.Rank)
      return false;
    for (int I_ = 0; I_ < A_.Rank; ++I_)
      if (A_.Dims[I_] != B_.Dims[I_])
        return false;
    return true;
  }
  /// Different rank or sizes.
  friend bool operator!=(const Shape &A_, const Shape &B_) {
    return !(A_ == B_);
  }

private:
  std::int64_t Dims[MaxDims] = {0, 0, 0, 0};
  int Rank = 0;
};

/// Prints \p S_ as "[5, 3]".
std::ostream &operator<<(std::ostream &OS_, const Shape &S_);

} // namespace adjoint

#endif // ADJOINT_SHAPE_H
