//===- adjoint/dual_math.h - Math functions of Duals ------------*- C++ -*-===//
//
// Definitions of the <cmath> overloads declared in adjoint/dual.h. Each takes
// its partial derivatives from the reverse-mode rule of the function
// (adjoint/derivatives.h) called with seed 1: the rule is the one description
// of the derivative, for reverse mode, generated tangent code and Duals alike.
// A unary function's value and partial come together from
// adjoint/value_partial.h (one sincos for sin and cos).
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_DUAL_MATH_H
#define ADJOINT_DUAL_MATH_H

#include "adjoint/derivatives.h"
#include "adjoint/dual.h"
#include "adjoint/value_partial.h"

namespace adjoint {

namespace detail {
/// Whether \p Name is "pow", whose rule keeps an integer exponent exact.
constexpr bool isPow(const char *Name) {
  return Name[0] == 'p' && Name[1] == 'o' && Name[2] == 'w' && !Name[3];
}
} // namespace detail

#define ADJOINT_DUAL_UNARY(NAME)                                               \
  template <class T_> Dual<T_> NAME(const Dual<T_> &x) {                       \
    Dual<T_> Local = derivatives::NAME##_value_and_partial(x.value);           \
    return {Local.value, Local.tangent * x.tangent};                           \
  }
#define ADJOINT_DUAL_BINARY(NAME)                                              \
  template <class T_> Dual<T_> NAME(const Dual<T_> &x, const Dual<T_> &y) {    \
    T_ Px = T_(0), Py = T_(0);                                                 \
    derivatives::NAME##_pullback(x.value, y.value, T_(1), Px, Py);             \
    return {std::NAME(x.value, y.value), Px * x.tangent + Py * y.tangent};     \
  }                                                                            \
  template <class T_, class U_>                                                \
  detail::IfArithmetic<U_, Dual<T_>> NAME(const Dual<T_> &x, U_ y) {           \
    /* An integer exponent of pow stays exact (and has no derivative). */      \
    if constexpr (std::is_integral<U_>::value && detail::isPow(#NAME)) {       \
      T_ Px = T_(0);                                                           \
      derivatives::NAME##_pullback(x.value, y, T_(1), Px);                     \
      return {std::NAME(x.value, y), Px * x.tangent};                          \
    } else {                                                                   \
      return NAME(x, Dual<T_>(y));                                             \
    }                                                                          \
  }                                                                            \
  template <class T_, class U_>                                                \
  detail::IfArithmetic<U_, Dual<T_>> NAME(U_ x, const Dual<T_> &y) {           \
    return NAME(Dual<T_>(x), y);                                               \
  }
ADJOINT_DUAL_FUNCTIONS(ADJOINT_DUAL_UNARY, ADJOINT_DUAL_BINARY)
#undef ADJOINT_DUAL_UNARY
#undef ADJOINT_DUAL_BINARY

// The C library's float and long double spellings (expf, powl), found by
// argument-dependent lookup.
#define ADJOINT_DUAL_UNARY(NAME)                                               \
  template <class T_> Dual<T_> NAME##f(const Dual<T_> &x) { return NAME(x); }  \
  template <class T_> Dual<T_> NAME##l(const Dual<T_> &x) { return NAME(x); }
#define ADJOINT_DUAL_BINARY(NAME)                                              \
  template <class T_, class U_>                                                \
  Dual<T_> NAME##f(const Dual<T_> &x, const U_ &y) {                           \
    return NAME(x, y);                                                         \
  }                                                                            \
  template <class T_, class U_>                                                \
  Dual<T_> NAME##l(const Dual<T_> &x, const U_ &y) {                           \
    return NAME(x, y);                                                         \
  }
ADJOINT_DUAL_FUNCTIONS(ADJOINT_DUAL_UNARY, ADJOINT_DUAL_BINARY)
#undef ADJOINT_DUAL_UNARY
#undef ADJOINT_DUAL_BINARY

} // namespace adjoint

#endif // ADJOINT_DUAL_MATH_H
