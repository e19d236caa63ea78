//===- adjoint/tape.h - LIFO value stack for reverse sweeps -----*- C++ -*-===//
//
// Generated reverse sweeps restore overwritten values and replay branch
// decisions in exact reverse order, so one untyped LIFO byte stack per gradient
// call serves every type. Storage grows geometrically and is reused, so
// pushes do not allocate per element; a tape's storage outlives it in a
// per-thread spare that the next tape starts from, so repeated gradient calls
// do not allocate (or page-fault in fresh memory) at all. Values of other
// types (tensors, vectors) go on an ObjectTape, and what a callee overwrites
// through pointers of unknown extent in a WriteLog; BackwardError is what split
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
/// A copy of the object of trivially copyable type \p T_ whose bytes start at
/// \p Bytes, for classes without a default constructor (a class of doubles
/// with constructors): its bytes are copied into storage, which starts the
/// lifetime of an object of such an implicit-lifetime type.
template <class T_> T_ object_from_bytes(const void *Bytes) {
  static_assert(std::is_trivially_copyable<T_>::value,
                "only trivially copyable values are copied as bytes");
  alignas(T_) unsigned char Storage[sizeof(T_)];
  std::memcpy(Storage, Bytes, sizeof(T_));
  return *std::launder(reinterpret_cast<T_ *>(Storage));
}

/// The object of trivially copyable type \p T_ whose bytes are all zero: the
/// zero adjoint of a class of doubles, whatever its constructors do.
template <class T_> T_ zero_object() {
  unsigned char Zero[sizeof(T_)] = {};
  return object_from_bytes<T_>(Zero);
}

/// Sets \p Value, an array of such objects or one, to zero bytes (the
/// adjoint of a local array of structs, which default member initializers
/// must not reach).
template <class T_> void zero_fill(T_ &Value) { Value = zero_object<T_>(); }
template <class T_, std::size_t N_> void zero_fill(T_ (&Values)[N_]) {
  for (T_ &Value : Values)
    zero_fill(Value);
}

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
    detail::TapeSpare &S_ = detail::Spare;
    if (Capacity > S_.Capacity) {
      std::swap(Data, S_.Data);
      std::swap(Capacity, S_.Capacity);
    }
    std::free(Data);
  }

  /// Saves \p V_ on top of the stack.
  template <class T_> void push(const T_ &V_) {
    static_assert(std::is_trivially_copyable<T_>::value,
                  "adjoint::Tape stores trivially copyable values only");
    if (Size + sizeof(T_) > Capacity)
      grow(Size + sizeof(T_));
    std::memcpy(Data + Size, &V_, sizeof(T_));
    Size += sizeof(T_);
  }

  /// Saves the \p N_ values at \p Values on top of the stack, as one block.
  template <class T_> void pushRange(const T_ *Values, std::size_t N_) {
    static_assert(std::is_trivially_copyable<T_>::value,
                  "adjoint::Tape stores trivially copyable values only");
    std::size_t Bytes = N_ * sizeof(T_);
    if (Size + Bytes > Capacity)
      grow(Size + Bytes);
    if (Bytes)
      std::memcpy(Data + Size, Values, Bytes);
    Size += Bytes;
  }

  /// Removes the block of \p N_ values on top of the stack, which must have
  /// been pushed with pushRange and the same type, into \p Values.
  template <class T_> void popRange(T_ *Values, std::size_t N_) {
    std::size_t Bytes = N_ * sizeof(T_);
    Size -= Bytes;
    if (Bytes)
      std::memcpy(Values, Data + Size, Bytes);
  }

  /// Removes and returns the value on top of the stack, which must have been
  /// pushed with the same type.
  template <class T_> T_ pop() {
    Size -= sizeof(T_);
    if constexpr (std::is_default_constructible<T_>::value) {
      T_ V_;
      std::memcpy(&V_, Data + Size, sizeof(T_));
      return V_;
    } else {
      return detail::object_from_bytes<T_>(Data + Size);
    }
  }

  /// Number of bytes currently stored.
  std::size_t size() const { return Size; }
  /// Whether nothing is stored.
  bool empty() const { return Size == 0; }
  /// Bytes that can be stored before the storage grows.
  std::size_t capacity() const { return Capacity; }

private:
  void grow(std::size_t Needed) {
    detail::TapeSpare &S_ = detail::Spare;
    if (Capacity == 0 && S_.Capacity >= Needed) {
      std::swap(Data, S_.Data);
      std::swap(Capacity, S_.Capacity);
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
template <class T_> class ObjectTape {
public:
  /// Saves \p V_ on top of the stack.
  void push(T_ V_) { Items.push_back(std::move(V_)); }
  /// Removes and returns the top value.
  T_ pop() {
    T_ V_ = std::move(Items.back());
    Items.pop_back();
    return V_;
  }

private:
  std::vector<T_> Items;
};

/// The values a called function overwrote through its pointer and reference
/// parameters, newest last, in frames (one per call). A caller whose reverse
/// sweep needs a buffer's contents from before a call, and cannot snapshot
/// the buffer because its extent is unknown, calls the callee's logged
/// variant (generated `g_logged(..., _log)`), which saves each element before
/// it writes it. The reverse sweep then puts the elements back, newest first,
/// which leaves memory as it was when the frame was opened.
class WriteLog {
public:
  /// Starts the frame of one call.
  void open() { Frames.push_back(Bytes.size()); }

  /// Saves the current value of \p Place, which is about to be overwritten.
  template <class T_> void save(T_ &Place) {
    static_assert(std::is_trivially_copyable<T_>::value,
                  "adjoint::WriteLog saves trivially copyable values only");
    Entry E_{&Place, sizeof(T_)};
    std::size_t At = Bytes.size();
    Bytes.resize(At + sizeof(T_) + sizeof(Entry));
    std::memcpy(Bytes.data() + At, &Place, sizeof(T_));
    std::memcpy(Bytes.data() + At + sizeof(T_), &E_, sizeof(Entry));
  }

  /// Writes back what the newest frame saved, newest first; keeps the frame.
  void restore() const {
    std::size_t End = Bytes.size(), Begin = Frames.back();
    while (End > Begin) {
      Entry E_;
      std::memcpy(&E_, Bytes.data() + End - sizeof(Entry), sizeof(Entry));
      End -= sizeof(Entry) + E_.Size;
      std::memcpy(E_.Place, Bytes.data() + End, E_.Size);
    }
  }

  /// restore(), then drops the newest frame.
  void close() {
    restore();
    Bytes.resize(Frames.back());
    Frames.pop_back();
  }

private:
  struct Entry {
    void *Place;
    std::size_t Size;
  };
  std::vector<unsigned char> Bytes;
  std::vector<std::size_t> Frames;
};

} // namespace adjoint

#endif // ADJOINT_TAPE_H
