//===- adjoint/tape.h - LIFO value stack for reverse sweeps -----*- C++ -*-===//
//
// Generated reverse sweeps restore overwritten values and replay branch
// decisions in exact reverse order, so one untyped LIFO byte stack per gradient
// call serves every type. Storage grows geometrically and is reused, so
// pushes do not allocate per element; a tape's storage outlives it in a
// per-thread spare that the next tape starts from, so repeated gradient calls
// do not allocate (or page-fault in fresh memory) at all. Values of other
// types (tensors, vectors) go on an ObjectTape; BackwardError is what split
// mode throws for a tape run backward after it was released.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_TAPE_H
#define ADJOINT_TAPE_H

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace adjoint {

namespace detail {
/// The largest storage a destroyed tape left behind on this thread.
struct TapeSpare {
  unsigned char *Data = nullptr;
  std::size_t Capacity = 0;
  ~TapeSpare() { std::free(Data); }
};
inline thread_local TapeSpare Spare;
} // namespace detail

/// A LIFO stack of trivially copyable values used by generated code.
class Tape {
public:
  Tape() = default;
  /// Copies the stored values (split mode's retained tapes).
  Tape(const Tape &Other) { *this = Other; }
  Tape &operator=(const Tape &Other) {
    if (this != &Other) {
      Size = 0;
      if (Other.Size > Capacity)
        grow(Other.Size);
      if (Other.Size)
        std::memcpy(Data, Other.Data, Other.Size);
      Size = Other.Size;
    }
    return *this;
  }
  Tape(Tape &&Other) noexcept { *this = std::move(Other); }
  Tape &operator=(Tape &&Other) noexcept {
    std::swap(Data, Other.Data);
    std::swap(Size, Other.Size);
    std::swap(Capacity, Other.Capacity);
    return *this;
  }
  ~Tape() {
    detail::TapeSpare &S = detail::Spare;
    if (Capacity > S.Capacity) {
      std::swap(Data, S.Data);
      std::swap(Capacity, S.Capacity);
    }
    std::free(Data);
  }

  /// Saves \p V on top of the stack.
  template <class T> void push(const T &V) {
    static_assert(std::is_trivially_copyable<T>::value,
                  "adjoint::Tape stores trivially copyable values only");
    if (Size + sizeof(T) > Capacity)
      grow(Size + sizeof(T));
    std::memcpy(Data + Size, &V, sizeof(T));
    Size += sizeof(T);
  }

  /// Saves the \p N values at \p Values on top of the stack, as one block.
  template <class T> void pushRange(const T *Values, std::size_t N) {
    static_assert(std::is_trivially_copyable<T>::value,
                  "adjoint::Tape stores trivially copyable values only");
    std::size_t Bytes = N * sizeof(T);
    if (Size + Bytes > Capacity)
      grow(Size + Bytes);
    if (Bytes)
      std::memcpy(Data + Size, Values, Bytes);
    Size += Bytes;
  }

  /// Removes the block of \p N values on top of the stack, which must have
  /// been pushed with pushRange and the same type, into \p Values.
  template <class T> void popRange(T *Values, std::size_t N) {
    std::size_t Bytes = N * sizeof(T);
    Size -= Bytes;
    if (Bytes)
      std::memcpy(Values, Data + Size, Bytes);
  }

  /// Removes and returns the value on top of the stack, which must have been
  /// pushed with the same type.
  template <class T> T pop() {
    T V;
    Size -= sizeof(T);
    std::memcpy(&V, Data + Size, sizeof(T));
    return V;
  }

  /// Number of bytes currently stored.
  std::size_t size() const { return Size; }
  /// Whether nothing is stored.
  bool empty() const { return Size == 0; }
  /// Bytes that can be stored before the storage grows.
  std::size_t capacity() const { return Capacity; }

private:
  void grow(std::size_t Needed) {
    detail::TapeSpare &S = detail::Spare;
    if (Capacity == 0 && S.Capacity >= Needed) {
      std::swap(Data, S.Data);
      std::swap(Capacity, S.Capacity);
      return;
    }
    std::size_t NewCapacity = Capacity ? Capacity * 2 : 256;
    while (NewCapacity < Needed)
      NewCapacity *= 2;
    void *NewData = std::realloc(Data, NewCapacity);
    if (!NewData)
      throw std::bad_alloc();
    Data = static_cast<unsigned char *>(NewData);
    Capacity = NewCapacity;
  }

  unsigned char *Data = nullptr;
  std::size_t Size = 0;
  std::size_t Capacity = 0;
};

/// Raised when a released tape (split mode) is run backward again.
class BackwardError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// A LIFO stack of values of a non-trivially-copyable type (tensors,
/// vectors), used by generated reverse sweeps the way adjoint::Tape is for
/// plain values.
template <class T> class ObjectTape {
public:
  /// Saves \p V on top of the stack.
  void push(T V) { Items.push_back(std::move(V)); }
  /// Removes and returns the top value.
  T pop() {
    T V = std::move(Items.back());
    Items.pop_back();
    return V;
  }

private:
  std::vector<T> Items;
};

} // namespace adjoint

#endif // ADJOINT_TAPE_H
