//===- adjoint/derivatives.h - Built-in scalar pullbacks --------*- C++ -*-===//
//
// Derivative rules for the C and C++ math functions, written as ordinary
// pullback functions. The differentiator finds a pullback for a call to `NAME`
// by looking up `NAME_pullback` in namespace adjoint::derivatives (then in the
// callee's own namespace), so adding a rule touches only this file, and users
// add their own rules the same way (docs/custom-derivatives.md).
//
// Convention: `void NAME_pullback(args..., d_result, d_args&...)` adds
// d_result * (partial of NAME with respect to each floating-point argument)
// into the matching d_arg; there is no d_arg for integer arguments. A rule
// `NAME_result_pullback(args..., result, d_result, d_args&...)` also receives
// the call's value and is preferred when it exists.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_DERIVATIVES_H
#define ADJOINT_DERIVATIVES_H

#include "adjoint/dual.h"

#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <iterator>
#include <type_traits>
#include <vector>

namespace adjoint {
namespace derivatives {

namespace detail {
/// Adds \p V_ to element \p K_ of shadow \p D_; no-op for the null shadow
/// (nullptr) generated code passes for constant data.
template <class G_, class V_>
inline void addAt(G_ *D_, std::ptrdiff_t K_, V_ Value) {
  if (D_)
    D_[K_] += static_cast<G_>(Value);
}
template <class V_> inline void addAt(std::nullptr_t, std::ptrdiff_t, V_) {}

/// Computation type of a rule: the argument's type for float, double and
/// Duals (second-order code evaluates the rules on Duals), double otherwise.
template <class T_>
using Real = typename std::conditional<
    std::is_floating_point<T_>::value || is_dual<T_>::value, T_, double>::type;
constexpr double Pi = 3.14159265358979323846;
} // namespace detail

// Each rule also serves the C library's float and long double spellings
// (sinf, sinl), which the differentiator looks up by their own names.
#define ADJOINT_UNARY_PULLBACK_NAMED(NAME, PARTIAL)                            \
  /** Pullback of NAME: d_x += d_y * (PARTIAL). */                             \
  template <class T_, class D_, class G_>                                      \
  inline void NAME##_pullback(T_ x, D_ d_y, G_ &d_x) {                         \
    using R_ = detail::Real<T_>;                                               \
    R_ X_ = static_cast<R_>(x);                                                \
    (void)X_;                                                                  \
    d_x += static_cast<G_>(d_y * (PARTIAL));                                   \
  }
#define ADJOINT_UNARY_PULLBACK(NAME, PARTIAL)                                  \
  ADJOINT_UNARY_PULLBACK_NAMED(NAME, PARTIAL)                                  \
  ADJOINT_UNARY_PULLBACK_NAMED(NAME##f, PARTIAL)                               \
  ADJOINT_UNARY_PULLBACK_NAMED(NAME##l, PARTIAL)

ADJOINT_UNARY_PULLBACK(sin, std::cos(X_))
ADJOINT_UNARY_PULLBACK(cos, -std::sin(X_))
ADJOINT_UNARY_PULLBACK(tan, R_(1) / (std::cos(X_) * std::cos(X_)))
ADJOINT_UNARY_PULLBACK(asin, R_(1) / std::sqrt(R_(1) - X_ * X_))
ADJOINT_UNARY_PULLBACK(acos, R_(-1) / std::sqrt(R_(1) - X_ * X_))
ADJOINT_UNARY_PULLBACK(atan, R_(1) / (R_(1) + X_ * X_))
ADJOINT_UNARY_PULLBACK(sinh, std::cosh(X_))
ADJOINT_UNARY_PULLBACK(cosh, std::sinh(X_))
ADJOINT_UNARY_PULLBACK(tanh, R_(1) - std::tanh(X_) * std::tanh(X_))
ADJOINT_UNARY_PULLBACK(exp, std::exp(X_))
ADJOINT_UNARY_PULLBACK(exp2, std::exp2(X_) * R_(0.69314718055994530942))
ADJOINT_UNARY_PULLBACK(expm1, std::exp(X_))
ADJOINT_UNARY_PULLBACK(log, R_(1) / X_)
ADJOINT_UNARY_PULLBACK(log2, R_(1) / (X_ * R_(0.69314718055994530942)))
ADJOINT_UNARY_PULLBACK(log10, R_(1) / (X_ * R_(2.30258509299404568402)))
ADJOINT_UNARY_PULLBACK(log1p, R_(1) / (R_(1) + X_))
ADJOINT_UNARY_PULLBACK(sqrt, R_(0.5) / std::sqrt(X_))
ADJOINT_UNARY_PULLBACK(cbrt, R_(1) / (R_(3) * std::cbrt(X_) * std::cbrt(X_)))
ADJOINT_UNARY_PULLBACK(erf,
                       R_(2) / std::sqrt(R_(detail::Pi)) * std::exp(-X_ * X_))
ADJOINT_UNARY_PULLBACK(erfc,
                       R_(-2) / std::sqrt(R_(detail::Pi)) * std::exp(-X_ * X_))
// |x| has derivative sign(x), and 0 at x == 0 (PyTorch's choice).
ADJOINT_UNARY_PULLBACK(fabs, X_ > R_(0) ? R_(1) : (X_ < R_(0) ? R_(-1) : R_(0)))
ADJOINT_UNARY_PULLBACK_NAMED(abs,
                             X_ > R_(0) ? R_(1) : (X_ < R_(0) ? R_(-1) : R_(0)))
// Piecewise constant: derivative 0 (PyTorch's choice at the jumps too).
ADJOINT_UNARY_PULLBACK(floor, R_(0))
ADJOINT_UNARY_PULLBACK(ceil, R_(0))
ADJOINT_UNARY_PULLBACK(round, R_(0))
ADJOINT_UNARY_PULLBACK(trunc, R_(0))
ADJOINT_UNARY_PULLBACK(nearbyint, R_(0))
ADJOINT_UNARY_PULLBACK(rint, R_(0))

#undef ADJOINT_UNARY_PULLBACK
#undef ADJOINT_UNARY_PULLBACK_NAMED

// Rules that take the call's value y as well: the differentiator keeps y from
// the forward sweep and prefers `NAME_result_pullback(x, y, d_y, d_x)` over
// `NAME_pullback`, so the reverse sweep does not evaluate NAME again.
#define ADJOINT_RESULT_PULLBACK_NAMED(NAME, PARTIAL)                           \
  /** Pullback of NAME given its value y: d_x += d_y * (PARTIAL). */           \
  template <class T_, class V_, class D_, class G_>                            \
  inline void NAME##_result_pullback(T_, V_ y, D_ d_y, G_ &d_x) {              \
    using R_ = detail::Real<T_>;                                               \
    R_ Y_ = static_cast<R_>(y);                                                \
    d_x += static_cast<G_>(d_y * (PARTIAL));                                   \
  }
#define ADJOINT_RESULT_PULLBACK(NAME, PARTIAL)                                 \
  ADJOINT_RESULT_PULLBACK_NAMED(NAME, PARTIAL)                                 \
  ADJOINT_RESULT_PULLBACK_NAMED(NAME##f, PARTIAL)                              \
  ADJOINT_RESULT_PULLBACK_NAMED(NAME##l, PARTIAL)

ADJOINT_RESULT_PULLBACK(exp, Y_)
ADJOINT_RESULT_PULLBACK(exp2, Y_ *R_(0.69314718055994530942))
ADJOINT_RESULT_PULLBACK(expm1, Y_ + R_(1))
ADJOINT_RESULT_PULLBACK(tanh, R_(1) - Y_ * Y_)
ADJOINT_RESULT_PULLBACK(sqrt, R_(0.5) / Y_)

#undef ADJOINT_RESULT_PULLBACK
#undef ADJOINT_RESULT_PULLBACK_NAMED

/// Pullback of pow(x, y) for a floating-point exponent.
template <class T_, class U_, class D_, class GX_, class GY_,
          class = typename std::enable_if<!std::is_integral<U_>::value>::type>
inline void pow_pullback(T_ x, U_ y, D_ d_y, GX_ &d_x, GY_ &d_exp) {
  using R_ = decltype(detail::Real<T_>() + detail::Real<U_>());
  R_ X_ = x, Y_ = y;
  R_ Value = std::pow(X_, Y_);
  d_x +=
      static_cast<GX_>(d_y * (Y_ == R_(0) ? R_(0) : Y_ * std::pow(X_, Y_ - 1)));
  // d/dy x^y = x^y log x; taken as 0 at x == 0 where the limit is 0 for y > 0.
  d_exp += static_cast<GY_>(d_y * (X_ == R_(0) ? R_(0) : Value * std::log(X_)));
}

/// Pullback of pow(x, n) for an integer exponent (no adjoint for n).
template <class T_, class N_, class D_, class GX_,
          class = typename std::enable_if<std::is_integral<N_>::value>::type>
inline void pow_pullback(T_ x, N_ n, D_ d_y, GX_ &d_x) {
  using R_ = detail::Real<T_>;
  R_ X_ = x;
  d_x += static_cast<GX_>(d_y * (n == 0 ? R_(0) : R_(n) * std::pow(X_, n - 1)));
}

/// Pullback of atan2(y, x).
template <class T_, class U_, class D_, class GY_, class GX_>
inline void atan2_pullback(T_ y, U_ x, D_ d_r, GY_ &d_y, GX_ &d_x) {
  using R_ = decltype(detail::Real<T_>() + detail::Real<U_>());
  R_ Y_ = y, X_ = x, Den = X_ * X_ + Y_ * Y_;
  d_y += static_cast<GY_>(d_r * (X_ / Den));
  d_x += static_cast<GX_>(d_r * (-Y_ / Den));
}

/// Pullback of hypot(x, y).
template <class T_, class U_, class D_, class GX_, class GY_>
inline void hypot_pullback(T_ x, U_ y, D_ d_r, GX_ &d_x, GY_ &d_y) {
  using R_ = decltype(detail::Real<T_>() + detail::Real<U_>());
  R_ X_ = x, Y_ = y, H_ = std::hypot(X_, Y_);
  d_x += static_cast<GX_>(H_ == R_(0) ? R_(0) : d_r * X_ / H_);
  d_y += static_cast<GY_>(H_ == R_(0) ? R_(0) : d_r * Y_ / H_);
}

/// Pullback of fmin(x, y): the gradient goes to the smaller argument (to x on
/// ties, and to the non-NaN argument as fmin returns it).
template <class T_, class U_, class D_, class GX_, class GY_>
inline void fmin_pullback(T_ x, U_ y, D_ d_r, GX_ &d_x, GY_ &d_y) {
  if (std::isnan(y) || (!std::isnan(x) && x <= y))
    d_x += static_cast<GX_>(d_r);
  else
    d_y += static_cast<GY_>(d_r);
}

/// Pullback of fmax(x, y): the gradient goes to the larger argument (to x on
/// ties, and to the non-NaN argument as fmax returns it).
template <class T_, class U_, class D_, class GX_, class GY_>
inline void fmax_pullback(T_ x, U_ y, D_ d_r, GX_ &d_x, GY_ &d_y) {
  if (std::isnan(y) || (!std::isnan(x) && x >= y))
    d_x += static_cast<GX_>(d_r);
  else
    d_y += static_cast<GY_>(d_r);
}

/// Pullback of the three-argument hypot(x, y, z) (C++17).
template <class T_, class U_, class V_, class D_, class GX_, class GY_,
          class GZ_>
inline void hypot_pullback(T_ x, U_ y, V_ z, D_ d_r, GX_ &d_x, GY_ &d_y,
                           GZ_ &d_z) {
  using R_ =
      decltype(detail::Real<T_>() + detail::Real<U_>() + detail::Real<V_>());
  R_ X_ = x, Y_ = y, Z_ = z, H_ = std::hypot(X_, Y_, Z_);
  d_x += static_cast<GX_>(H_ == R_(0) ? R_(0) : d_r * X_ / H_);
  d_y += static_cast<GY_>(H_ == R_(0) ? R_(0) : d_r * Y_ / H_);
  d_z += static_cast<GZ_>(H_ == R_(0) ? R_(0) : d_r * Z_ / H_);
}

/// Pullback of fmod(x, y) = x - trunc(x / y) * y.
template <class T_, class U_, class D_, class GX_, class GY_>
inline void fmod_pullback(T_ x, U_ y, D_ d_r, GX_ &d_x, GY_ &d_y) {
  using R_ = decltype(detail::Real<T_>() + detail::Real<U_>());
  R_ X_ = x, Y_ = y;
  d_x += static_cast<GX_>(d_r);
  d_y += static_cast<GY_>(-d_r * std::trunc(X_ / Y_));
}

/// Pullback of std::min(a, b), which returns a unless b < a: the gradient
/// goes to the argument returned.
template <class T_, class D_, class GA_, class GB_>
inline void min_pullback(const T_ &a, const T_ &b, D_ d_r, GA_ &d_a, GB_ &d_b) {
  if (b < a)
    d_b += static_cast<GB_>(d_r);
  else
    d_a += static_cast<GA_>(d_r);
}

/// Pullback of std::max(a, b), which returns a unless a < b.
template <class T_, class D_, class GA_, class GB_>
inline void max_pullback(const T_ &a, const T_ &b, D_ d_r, GA_ &d_a, GB_ &d_b) {
  if (a < b)
    d_b += static_cast<GB_>(d_r);
  else
    d_a += static_cast<GA_>(d_r);
}

/// std::swap(a, b): each adjoint becomes the other's (in-out arguments: the
/// adjoints come in as the seeds of the values after the call and leave as
/// the gradients of the values before it).
template <class T_, class G_>
inline void swap_pullback(T_ &, T_ &, G_ &d_a, G_ &d_b) {
  G_ Saved = d_a;
  d_a = d_b;
  d_b = Saved;
}

/// std::swap of two arrays swaps them element by element, and so do their
/// adjoints.
template <class T_, class G_, std::size_t N_>
inline void swap_pullback(T_ (&a)[N_], T_ (&b)[N_], G_ (&d_a)[N_],
                          G_ (&d_b)[N_]) {
  for (std::size_t I_ = 0; I_ < N_; ++I_)
    swap_pullback(a[I_], b[I_], d_a[I_], d_b[I_]);
}

/// Pullback of std::clamp(v, lo, hi): the gradient goes to the value
/// returned (lo if v < lo, hi if hi < v, else v).
template <class T_, class D_, class GV_, class GL_, class GH_>
inline void clamp_pullback(const T_ &v, const T_ &lo, const T_ &hi, D_ d_r,
                           GV_ &d_v, GL_ &d_lo, GH_ &d_hi) {
  if (v < lo)
    d_lo += static_cast<GL_>(d_r);
  else if (hi < v)
    d_hi += static_cast<GH_>(d_r);
  else
    d_v += static_cast<GV_>(d_r);
}

/// Pullback of std::inner_product(first1, last1, first2, init) over
/// pointers: d_first1[k] += d_r * first2[k], d_first2[k] += d_r * first1[k].
template <class T_, class U_, class I_, class D_, class P1_, class PL_,
          class P2_, class GI_>
inline void inner_product_pullback(const T_ *first1, const T_ *last1,
                                   const U_ *first2, I_, D_ d_r, P1_ d_first1,
                                   PL_, P2_ d_first2, GI_ &d_init) {
  for (std::ptrdiff_t K_ = 0; K_ < last1 - first1; ++K_) {
    detail::addAt(d_first1, K_, d_r * first2[K_]);
    detail::addAt(d_first2, K_, d_r * first1[K_]);
  }
  d_init += static_cast<GI_>(d_r);
}

/// Pullback of std::accumulate(first, last, init) (the sum) over pointers.
template <class T_, class I_, class D_, class P_, class PL_, class GI_>
inline void accumulate_pullback(const T_ *first, const T_ *last, I_, D_ d_r,
                                P_ d_first, PL_, GI_ &d_init) {
  for (std::ptrdiff_t K_ = 0; K_ < last - first; ++K_)
    detail::addAt(d_first, K_, d_r);
  d_init += static_cast<GI_>(d_r);
}

// Standard algorithms over iterators or with a lambda as their operation
// (DiffAlgorithm.cpp in the differentiator). The differentiator passes the
// iterators' adjoints as pointers into the adjoints of the variables they walk
// (nullptr for constant data), and a lambda's pullback `op_pullback(args...,
// d_result, d_args&...)`, which adds into the adjoints it is given.

/// Pullback of std::accumulate(first, last, init) (the sum).
template <class It, class I_, class D_, class P_, class GI_>
inline void accumulate_range_pullback(It first, It last, I_, D_ d_r, P_ d_first,
                                      GI_ &d_init) {
  for (std::ptrdiff_t K_ = 0; K_ < last - first; ++K_)
    detail::addAt(d_first, K_, d_r);
  d_init += static_cast<GI_>(d_r);
}

/// Pullback of std::accumulate(first, last, init, op): the partial results
/// are computed again, then each step's pullback runs, last first.
template <class It, class I_, class Op, class D_, class P_, class GI_,
          class OpPullback>
inline void accumulate_range_pullback(It first, It last, I_ init, Op op, D_ d_r,
                                      P_ d_first, GI_ &d_init,
                                      OpPullback op_pullback) {
  using E_ = typename std::iterator_traits<It>::value_type;
  std::vector<I_> partial;
  partial.reserve(static_cast<std::size_t>(last - first));
  for (It K_ = first; K_ != last; ++K_) {
    partial.push_back(init);
    init = op(init, *K_);
  }
  I_ d_acc = static_cast<I_>(d_r);
  for (std::ptrdiff_t K_ = static_cast<std::ptrdiff_t>(partial.size()) - 1;
       K_ >= 0; --K_) {
    I_ d_before = 0;
    E_ d_element = 0;
    op_pullback(partial[static_cast<std::size_t>(K_)], first[K_], d_acc,
                d_before, d_element);
    detail::addAt(d_first, K_, d_element);
    d_acc = d_before;
  }
  d_init += static_cast<GI_>(d_acc);
}

/// Pullback of std::inner_product(first1, last1, first2, init).
template <class It1, class It2, class I_, class D_, class P1_, class P2_,
          class GI_>
inline void inner_product_range_pullback(It1 first1, It1 last1, It2 first2, I_,
                                         D_ d_r, P1_ d_first1, P2_ d_first2,
                                         GI_ &d_init) {
  for (std::ptrdiff_t K_ = 0; K_ < last1 - first1; ++K_) {
    detail::addAt(d_first1, K_, d_r * first2[K_]);
    detail::addAt(d_first2, K_, d_r * first1[K_]);
  }
  d_init += static_cast<GI_>(d_r);
}

/// Pullback of std::transform(first, last, out, op): each output element's
/// adjoint goes through op's pullback to the input element, and is consumed
/// (the call overwrote the element), also when out is first (in place).
template <class It, class Out, class Op, class P_, class PO_, class OpPullback>
inline void transform_range_pullback(It first, It last, Out, Op, P_ d_first,
                                     PO_ d_out, OpPullback op_pullback) {
  using E_ = typename std::iterator_traits<It>::value_type;
  for (std::ptrdiff_t K_ = (last - first) - 1; K_ >= 0; --K_) {
    auto d = d_out[K_];
    d_out[K_] = 0;
    E_ d_element = 0;
    op_pullback(first[K_], d, d_element);
    detail::addAt(d_first, K_, d_element);
  }
}

/// Pullback of std::transform(first1, last1, first2, out, op).
template <class It1, class It2, class Out, class Op, class P1_, class P2_,
          class PO_, class OpPullback>
inline void transform_range_pullback(It1 first1, It1 last1, It2 first2, Out, Op,
                                     P1_ d_first1, P2_ d_first2, PO_ d_out,
                                     OpPullback op_pullback) {
  using E1_ = typename std::iterator_traits<It1>::value_type;
  using E2_ = typename std::iterator_traits<It2>::value_type;
  for (std::ptrdiff_t K_ = (last1 - first1) - 1; K_ >= 0; --K_) {
    auto d = d_out[K_];
    d_out[K_] = 0;
    E1_ d_element1 = 0;
    E2_ d_element2 = 0;
    op_pullback(first1[K_], first2[K_], d, d_element1, d_element2);
    detail::addAt(d_first1, K_, d_element1);
    detail::addAt(d_first2, K_, d_element2);
  }
}

/// Pullback of std::copy(first, last, out): each element's adjoint moves
/// from the output to the input.
template <class It, class Out, class P_, class PO_>
inline void copy_range_pullback(It first, It last, Out, P_ d_first, PO_ d_out) {
  for (std::ptrdiff_t K_ = (last - first) - 1; K_ >= 0; --K_) {
    auto d = d_out[K_];
    d_out[K_] = 0;
    detail::addAt(d_first, K_, d);
  }
}

/// Pullback of std::fill(first, last, value): the value's adjoint gathers
/// the range's, which the fill overwrote.
template <class It, class V_, class PO_, class GV_>
inline void fill_range_pullback(It first, It last, const V_ &, PO_ d_first,
                                GV_ &d_value) {
  for (std::ptrdiff_t K_ = (last - first) - 1; K_ >= 0; --K_) {
    d_value += static_cast<GV_>(d_first[K_]);
    d_first[K_] = 0;
  }
}

// The float and long double spellings of the two-argument rules.
#define ADJOINT_BINARY_ALIAS(NAME, ALIAS)                                      \
  template <class T_, class U_, class D_, class GX_, class GY_>                \
  inline void ALIAS##_pullback(T_ x, U_ y, D_ d_r, GX_ &d_x, GY_ &d_y) {       \
    NAME##_pullback(x, y, d_r, d_x, d_y);                                      \
  }
ADJOINT_BINARY_ALIAS(atan2, atan2f)
ADJOINT_BINARY_ALIAS(atan2, atan2l)
ADJOINT_BINARY_ALIAS(hypot, hypotf)
ADJOINT_BINARY_ALIAS(hypot, hypotl)
ADJOINT_BINARY_ALIAS(fmin, fminf)
ADJOINT_BINARY_ALIAS(fmin, fminl)
ADJOINT_BINARY_ALIAS(fmax, fmaxf)
ADJOINT_BINARY_ALIAS(fmax, fmaxl)
ADJOINT_BINARY_ALIAS(fmod, fmodf)
ADJOINT_BINARY_ALIAS(fmod, fmodl)
#undef ADJOINT_BINARY_ALIAS

// powf and powl: pow's rules, for a floating-point or integer exponent.
#define ADJOINT_POW_ALIAS(ALIAS)                                               \
  template <class T_, class U_, class D_, class GX_, class GY_,                \
            class =                                                            \
                typename std::enable_if<!std::is_integral<U_>::value>::type>   \
  inline void ALIAS##_pullback(T_ x, U_ y, D_ d_y, GX_ &d_x, GY_ &d_exp) {     \
    pow_pullback(x, y, d_y, d_x, d_exp);                                       \
  }                                                                            \
  template <class T_, class N_, class D_, class GX_,                           \
            class =                                                            \
                typename std::enable_if<std::is_integral<N_>::value>::type>    \
  inline void ALIAS##_pullback(T_ x, N_ n, D_ d_y, GX_ &d_x) {                 \
    pow_pullback(x, n, d_y, d_x);                                              \
  }
ADJOINT_POW_ALIAS(powf)
ADJOINT_POW_ALIAS(powl)
#undef ADJOINT_POW_ALIAS

} // namespace derivatives
} // namespace adjoint

#endif // ADJOINT_DERIVATIVES_H
