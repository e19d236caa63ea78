//===- adjoint/aliasing.h - Run-time checks of distinct buffers -*- C++ -*-===//
//
// Generated pullbacks assume that the buffers a call reads and writes are
// distinct. Where adjoint knows how many elements each reaches (an
// expression of the call's arguments), the generated code checks at run time
// that they do not overlap, and throws instead of computing a wrong gradient.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_ALIASING_H
#define ADJOINT_ALIASING_H

#include <cstdint>
#include <stdexcept>

namespace adjoint {

/// Throws std::invalid_argument(\p What) when the \p NA_ elements at \p A_ and
/// the \p NB_ elements at \p B_ overlap.
template <class T_, class U_>
inline void require_disjoint(const T_ *A_, long long NA_, const U_ *B_,
                             long long NB_, const char *What) {
  if (!A_ || !B_ || NA_ <= 0 || NB_ <= 0)
    return;
  auto BeginA = reinterpret_cast<std::uintptr_t>(A_);
  auto BeginB = reinterpret_cast<std::uintptr_t>(B_);
  if (BeginA < BeginB + static_cast<std::uintptr_t>(NB_) * sizeof(U_) &&
      BeginB < BeginA + static_cast<std::uintptr_t>(NA_) * sizeof(T_))
    throw std::invalid_argument(What);
}

} // namespace adjoint

#endif // ADJOINT_ALIASING_H
