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

/// Throws std::invalid_argument(\p What) when the \p NA elements at \p A and
/// the \p NB elements at \p B overlap.
template <class T, class U>
inline void require_disjoint(const T *A, long long NA, const U *B, long long NB,
                             const char *What) {
  if (!A || !B || NA <= 0 || NB <= 0)
    return;
  auto BeginA = reinterpret_cast<std::uintptr_t>(A);
  auto BeginB = reinterpret_cast<std::uintptr_t>(B);
  if (BeginA < BeginB + static_cast<std::uintptr_t>(NB) * sizeof(U) &&
      BeginB < BeginA + static_cast<std::uintptr_t>(NA) * sizeof(T))
    throw std::invalid_argument(What);
}

} // namespace adjoint

#endif // ADJOINT_ALIASING_H
