//===- adjoint/tensor_core.h - The Tensor handle ----------------*- C++ -*-===//
//
// adjoint::Tensor is a PyTorch-like float32 tensor: contiguous, row-major,
// 0-D to 4-D. A Tensor is a handle: copies share the storage like Python
// references do, reshape shares it, and every operation allocates a new
// result. Storage is reference counted intrusively and comes from a caching
// allocator (adjoint/tensor_allocator.h): the tiny tensors of small networks
// cost a few pointer operations rather than a malloc each, and large results
// reuse the pages of buffers dropped before instead of faulting in new ones.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_TENSOR_CORE_H
#define ADJOINT_TENSOR_CORE_H

#include "adjoint/shape.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>

namespace adjoint {

namespace detail {
/// A reference-counted float buffer: this header, then the data at a 64-byte
/// boundary (the alignment of AVX-512 vectors and of cache lines).
struct Storage {
  /// Bytes before the first element.
  static constexpr std::size_t HeaderBytes = 64;
  /// Number of Tensor handles sharing the buffer.
  std::atomic<std::int32_t> RefCount;
  /// Free-list class of the buffer, or -1 when it came straight from malloc.
  std::int32_t SizeClass;
  /// The elements.
  float *data() {
    return reinterpret_cast<float *>(reinterpret_cast<char *>(this) +
                                     HeaderBytes);
  }
};

/// A buffer of at least \p Numel floats with a reference count of one.
Storage *allocateStorage(std::int64_t Numel);
/// Returns a buffer whose reference count dropped to zero.
void freeStorage(Storage *S_);
} // namespace detail

class Tensor;
/// A tensor of shape \p S_ with uninitialized contents.
Tensor empty(const Shape &S_);

/// A float32, contiguous, row-major tensor of 0 to 4 dimensions. A
/// default-constructed Tensor is undefined (it has no storage), which is
/// different from a defined tensor with zero elements.
class Tensor {
public:
  /// An undefined tensor.
  Tensor() = default;
  /// Another handle to the same storage.
  Tensor(const Tensor &Other) : Store(Other.Store), Sizes(Other.Sizes) {
    retain();
  }
  /// Takes over \p Other's storage, leaving \p Other undefined.
  Tensor(Tensor &&Other) noexcept : Store(Other.Store), Sizes(Other.Sizes) {
    Other.Store = nullptr;
    Other.Sizes = Shape();
  }
  /// Rebinds this handle to \p Other's storage (no data is copied).
  Tensor &operator=(const Tensor &Other) {
    Tensor Copy(Other);
    swap(Copy);
    return *this;
  }
  /// Rebinds this handle to \p Other's storage, leaving \p Other undefined.
  Tensor &operator=(Tensor &&Other) noexcept {
    Tensor Moved(static_cast<Tensor &&>(Other));
    swap(Moved);
    return *this;
  }
  ~Tensor() { release(); }

  /// Whether the tensor has storage (a default-constructed one has not).
  bool defined() const { return Store != nullptr; }
  /// The sizes, outermost first.
  const Shape &shape() const { return Sizes; }
  /// Number of elements (0 when undefined).
  std::int64_t numel() const { return Store ? Sizes.numel() : 0; }
  /// Number of dimensions.
  std::int64_t dim() const { return static_cast<std::int64_t>(Sizes.size()); }
  /// Size of dimension \p D_ (negative counts from the end); throws
  /// std::out_of_range for a bad dimension.
  std::int64_t size(std::int64_t D_) const;
  /// The first element; elements are contiguous and row-major.
  float *data() { return Store ? Store->data() : nullptr; }
  /// The first element; elements are contiguous and row-major.
  const float *data() const { return Store ? Store->data() : nullptr; }

  /// The value of a one-element tensor; throws std::invalid_argument
  /// otherwise.
  float item() const;
  /// The element at \p Index (one index a dimension, negative counts from the
  /// end); throws std::out_of_range for a bad index.
  float &at(std::initializer_list<std::int64_t> Index);
  /// The element at \p Index; throws std::out_of_range for a bad index.
  float at(std::initializer_list<std::int64_t> Index) const;

  /// The transpose of a 2-D tensor (a 0-D or 1-D tensor is returned as is,
  /// sharing storage, as in PyTorch); throws for more than 2 dimensions.
  Tensor t() const;
  /// Same as adjoint::transpose(*this, D0, D1).
  Tensor transpose(std::int64_t D0_, std::int64_t D1_) const;
  /// A handle with shape \p S_ sharing this storage; one size may be -1 to be
  /// inferred. Throws std::invalid_argument when the sizes do not match.
  Tensor reshape(const Shape &S_) const;
  /// Elementwise power, same as adjoint::pow(*this, P).
  Tensor pow(double P_) const;
  /// Sum of all elements as a 0-D tensor.
  Tensor sum() const;
  /// Sum over dimension \p D_, same as adjoint::sum(*this, D, KeepDim).
  Tensor sum(std::int64_t D_, bool KeepDim = false) const;
  /// Mean of all elements as a 0-D tensor.
  Tensor mean() const;
  /// Mean over dimension \p D_, same as adjoint::mean(*this, D, KeepDim).
  Tensor mean(std::int64_t D_, bool KeepDim = false) const;

  /// Sets every element to 0.
  Tensor &zero_();
  /// Sets every element to \p V_.
  Tensor &fill_(float V_);
  /// Adds \p Alpha * \p U_, broadcast to this shape, in place; throws
  /// std::invalid_argument when \p U_ does not broadcast to it.
  Tensor &add_(const Tensor &U_, float Alpha = 1.0f);
  /// Adds \p S_ to every element.
  Tensor &add_(float S_);
  /// Multiplies every element by \p S_.
  Tensor &mul_(float S_);
  /// Multiplies elementwise by \p U_ broadcast to this shape, in place.
  Tensor &mul_(const Tensor &U_);

  /// A copy with its own storage.
  Tensor clone() const;
  /// A handle sharing this storage. adjoint differentiates at compile time, so
  /// detach only tells the differentiator not to propagate gradients.
  Tensor detach() const { return *this; }

  /// Exchanges two handles.
  void swap(Tensor &Other) noexcept {
    detail::Storage *S_ = Store;
    Store = Other.Store;
    Other.Store = S_;
    Shape Tmp = Sizes;
    Sizes = Other.Sizes;
    Other.Sizes = Tmp;
  }

private:
  friend Tensor empty(const Shape &S_);
  Tensor(detail::Storage *S_, const Shape &Sz) : Store(S_), Sizes(Sz) {}

  void retain() {
    if (Store)
      Store->RefCount.fetch_add(1, std::memory_order_relaxed);
  }
  void release() {
    if (Store && Store->RefCount.fetch_sub(1, std::memory_order_acq_rel) == 1)
      detail::freeStorage(Store);
  }

  detail::Storage *Store = nullptr;
  Shape Sizes;
};

/// Prints \p T_ exactly as PyTorch does with its default print options
/// (precision 4, line width 80, summarization beyond 1000 elements).
std::ostream &operator<<(std::ostream &OS_, const Tensor &T_);

} // namespace adjoint

#endif // ADJOINT_TENSOR_CORE_H
