//===- adjoint/value_partial.h - A function and its derivative -*- C++ -*-===//
//
// Forward-mode rules `NAME_value_and_partial(x)`: the Dual {NAME(x),
// NAME'(x)} from one evaluation, for the functions whose value and
// derivative share work (sin and cos from one sincos; exp, tanh and sqrt,
// whose derivative is a function of the value). Generated tangent code
// (f_jvp) and the Dual overloads of <cmath> prefer such a rule to evaluating
// NAME and then its pullback with seed 1, which calls the library twice.
// Every unary function of the Dual overloads has one (the others combine the
// value with the pullback's partial), so the overloads take all from here.
// The partial is still the pullback rule's (adjoint/derivatives.h): the
// result rule's for exp, tanh and sqrt; for sin and cos, the cosine and
// sine that the pullbacks compute.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_VALUE_PARTIAL_H
#define ADJOINT_VALUE_PARTIAL_H

#include "adjoint/derivatives.h"
#include "adjoint/dual.h"

#include <cmath>

namespace adjoint {
namespace derivatives {

namespace detail {
/// sin(x) and cos(x) from one library call where the C library has sincos.
inline void sinCos(double X_, double &S_, double &C_) {
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
  ::sincos(X_, &S_, &C_);
#else
  S_ = std::sin(X_);
  C_ = std::cos(X_);
#endif
}
inline void sinCos(float X_, float &S_, float &C_) {
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
  ::sincosf(X_, &S_, &C_);
#else
  S_ = std::sin(X_);
  C_ = std::cos(X_);
#endif
}
/// Other types (long double, Duals): two calls.
template <class T_> inline void sinCos(const T_ &X_, T_ &S_, T_ &C_) {
  S_ = std::sin(X_);
  C_ = std::cos(X_);
}
} // namespace detail

#define ADJOINT_SINCOS_VALUE_PARTIAL(NAME, VALUE, PARTIAL)                     \
  /** NAME(x) and its derivative, from one sincos. */                          \
  template <class T_>                                                          \
  inline Dual<detail::Real<T_>> NAME##_value_and_partial(T_ x) {               \
    using R_ = detail::Real<T_>;                                               \
    R_ S_, C_;                                                                 \
    detail::sinCos(static_cast<R_>(x), S_, C_);                                \
    return {VALUE, PARTIAL};                                                   \
  }
ADJOINT_SINCOS_VALUE_PARTIAL(sin, S_, C_)
ADJOINT_SINCOS_VALUE_PARTIAL(cos, C_, -S_)
ADJOINT_SINCOS_VALUE_PARTIAL(sinf, S_, C_)
ADJOINT_SINCOS_VALUE_PARTIAL(cosf, C_, -S_)
#undef ADJOINT_SINCOS_VALUE_PARTIAL

// The functions with a result rule: the partial from the value.
#define ADJOINT_RESULT_VALUE_PARTIAL(NAME, CALL)                               \
  /** NAME(x) and its derivative, which the result rule takes from NAME(x). */ \
  template <class T_>                                                          \
  inline Dual<detail::Real<T_>> NAME##_value_and_partial(T_ x) {               \
    using R_ = detail::Real<T_>;                                               \
    R_ Y_ = CALL(static_cast<R_>(x)), Partial = R_(0);                         \
    NAME##_result_pullback(x, Y_, R_(1), Partial);                             \
    return {Y_, Partial};                                                      \
  }
ADJOINT_RESULT_VALUE_PARTIAL(exp, std::exp)
ADJOINT_RESULT_VALUE_PARTIAL(expf, std::exp)
ADJOINT_RESULT_VALUE_PARTIAL(exp2, std::exp2)
ADJOINT_RESULT_VALUE_PARTIAL(exp2f, std::exp2)
ADJOINT_RESULT_VALUE_PARTIAL(expm1, std::expm1)
ADJOINT_RESULT_VALUE_PARTIAL(expm1f, std::expm1)
ADJOINT_RESULT_VALUE_PARTIAL(tanh, std::tanh)
ADJOINT_RESULT_VALUE_PARTIAL(tanhf, std::tanh)
ADJOINT_RESULT_VALUE_PARTIAL(sqrt, std::sqrt)
ADJOINT_RESULT_VALUE_PARTIAL(sqrtf, std::sqrt)
#undef ADJOINT_RESULT_VALUE_PARTIAL

// The other unary functions: the value, then the pullback's partial.
#define ADJOINT_GENERIC_VALUE_PARTIAL(NAME)                                    \
  /** NAME(x) and its derivative from NAME's pullback. */                      \
  template <class T_>                                                          \
  inline Dual<detail::Real<T_>> NAME##_value_and_partial(T_ x) {               \
    using R_ = detail::Real<T_>;                                               \
    R_ X_ = static_cast<R_>(x), Partial = R_(0);                               \
    NAME##_pullback(X_, R_(1), Partial);                                       \
    return {std::NAME(X_), Partial};                                           \
  }
ADJOINT_GENERIC_VALUE_PARTIAL(tan)
ADJOINT_GENERIC_VALUE_PARTIAL(asin)
ADJOINT_GENERIC_VALUE_PARTIAL(acos)
ADJOINT_GENERIC_VALUE_PARTIAL(atan)
ADJOINT_GENERIC_VALUE_PARTIAL(sinh)
ADJOINT_GENERIC_VALUE_PARTIAL(cosh)
ADJOINT_GENERIC_VALUE_PARTIAL(log)
ADJOINT_GENERIC_VALUE_PARTIAL(log2)
ADJOINT_GENERIC_VALUE_PARTIAL(log10)
ADJOINT_GENERIC_VALUE_PARTIAL(log1p)
ADJOINT_GENERIC_VALUE_PARTIAL(cbrt)
ADJOINT_GENERIC_VALUE_PARTIAL(erf)
ADJOINT_GENERIC_VALUE_PARTIAL(erfc)
ADJOINT_GENERIC_VALUE_PARTIAL(fabs)
ADJOINT_GENERIC_VALUE_PARTIAL(abs)
ADJOINT_GENERIC_VALUE_PARTIAL(floor)
ADJOINT_GENERIC_VALUE_PARTIAL(ceil)
ADJOINT_GENERIC_VALUE_PARTIAL(round)
ADJOINT_GENERIC_VALUE_PARTIAL(trunc)
#undef ADJOINT_GENERIC_VALUE_PARTIAL

} // namespace derivatives
} // namespace adjoint

#endif // ADJOINT_VALUE_PARTIAL_H
