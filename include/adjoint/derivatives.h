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
/// Adds \p V to element \p K of shadow \p D; no-op for the null shadow
/// (nullptr) generated code passes for constant data.
template <class G, class V> inline void addAt(G *D, std::ptrdiff_t K, V Value) {
  if (D)
    D[K] += static_cast<G>(Value);
}
template <class V> inline void addAt(std::nullptr_t, std::ptrdiff_t, V) {}

/// Computation type of a rule: the argument's type for float, double and
/// Duals (second-order code evaluates the rules on Duals), double otherwise.
template <class T>
using Real = typename std::conditional<std::is_floating_point<T>::value ||
                                           is_dual<T>::value,
                                       T, double>::type;
constexpr double Pi = 3.14159265358979323846;
} // namespace detail

// Each rule also serves the C library's float and long double spellings
// (sinf, sinl), which the differentiator looks up by their own names.
#define ADJOINT_UNARY_PULLBACK_NAMED(NAME, PARTIAL)                            \
  /** Pullback of NAME: d_x += d_y * (PARTIAL). */                             \
  template <class T, class D, class G>                                         \
  inline void NAME##_pullback(T x, D d_y, G &d_x) {                            \
    using R = detail::Real<T>;                                                 \
    R X = static_cast<R>(x);                                                   \
    (void)X;                                                                   \
    d_x += static_cast<G>(d_y * (PARTIAL));                                    \
  }
#define ADJOINT_UNARY_PULLBACK(NAME, PARTIAL)                                  \
  ADJOINT_UNARY_PULLBACK_NAMED(NAME, PARTIAL)                                  \
  ADJOINT_UNARY_PULLBACK_NAMED(NAME##f, PARTIAL)                               \
  ADJOINT_UNARY_PULLBACK_NAMED(NAME##l, PARTIAL)

ADJOINT_UNARY_PULLBACK(sin, std::cos(X))
ADJOINT_UNARY_PULLBACK(cos, -std::sin(X))
ADJOINT_UNARY_PULLBACK(tan, R(1) / (std::cos(X) * std::cos(X)))
ADJOINT_UNARY_PULLBACK(asin, R(1) / std::sqrt(R(1) - X * X))
ADJOINT_UNARY_PULLBACK(acos, R(-1) / std::sqrt(R(1) - X * X))
ADJOINT_UNARY_PULLBACK(atan, R(1) / (R(1) + X * X))
ADJOINT_UNARY_PULLBACK(sinh, std::cosh(X))
ADJOINT_UNARY_PULLBACK(cosh, std::sinh(X))
ADJOINT_UNARY_PULLBACK(tanh, R(1) - std::tanh(X) * std::tanh(X))
ADJOINT_UNARY_PULLBACK(exp, std::exp(X))
ADJOINT_UNARY_PULLBACK(exp2, std::exp2(X) * R(0.69314718055994530942))
ADJOINT_UNARY_PULLBACK(expm1, std::exp(X))
ADJOINT_UNARY_PULLBACK(log, R(1) / X)
ADJOINT_UNARY_PULLBACK(log2, R(1) / (X * R(0.69314718055994530942)))
ADJOINT_UNARY_PULLBACK(log10, R(1) / (X * R(2.30258509299404568402)))
ADJOINT_UNARY_PULLBACK(log1p, R(1) / (R(1) + X))
ADJOINT_UNARY_PULLBACK(sqrt, R(0.5) / std::sqrt(X))
ADJOINT_UNARY_PULLBACK(cbrt, R(1) / (R(3) * std::cbrt(X) * std::cbrt(X)))
ADJOINT_UNARY_PULLBACK(erf, R(2) / std::sqrt(R(detail::Pi)) * std::exp(-X * X))
ADJOINT_UNARY_PULLBACK(erfc,
                       R(-2) / std::sqrt(R(detail::Pi)) * std::exp(-X * X))
// |x| has derivative sign(x), and 0 at x == 0 (PyTorch's choice).
ADJOINT_UNARY_PULLBACK(fabs, X > R(0) ? R(1) : (X < R(0) ? R(-1) : R(0)))
ADJOINT_UNARY_PULLBACK_NAMED(abs, X > R(0) ? R(1) : (X < R(0) ? R(-1) : R(0)))
// Piecewise constant: derivative 0 (PyTorch's choice at the jumps too).
ADJOINT_UNARY_PULLBACK(floor, R(0))
ADJOINT_UNARY_PULLBACK(ceil, R(0))
ADJOINT_UNARY_PULLBACK(round, R(0))
ADJOINT_UNARY_PULLBACK(trunc, R(0))
ADJOINT_UNARY_PULLBACK(nearbyint, R(0))
ADJOINT_UNARY_PULLBACK(rint, R(0))

#undef ADJOINT_UNARY_PULLBACK
#undef ADJOINT_UNARY_PULLBACK_NAMED

// Rules that take the call's value y as well: the differentiator keeps y from
// the forward sweep and prefers `NAME_result_pullback(x, y, d_y, d_x)` over
// `NAME_pullback`, so the reverse sweep does not evaluate NAME again.
#define ADJOINT_RESULT_PULLBACK_NAMED(NAME, PARTIAL)                           \
  /** Pullback of NAME given its value y: d_x += d_y * (PARTIAL). */           \
  template <class T, class V, class D, class G>                                \
  inline void NAME##_result_pullback(T, V y, D d_y, G &d_x) {                  \
    using R = detail::Real<T>;                                                 \
    R Y = static_cast<R>(y);                                                   \
    d_x += static_cast<G>(d_y * (PARTIAL));                                    \
  }
#define ADJOINT_RESULT_PULLBACK(NAME, PARTIAL)                                 \
  ADJOINT_RESULT_PULLBACK_NAMED(NAME, PARTIAL)                                 \
  ADJOINT_RESULT_PULLBACK_NAMED(NAME##f, PARTIAL)                              \
  ADJOINT_RESULT_PULLBACK_NAMED(NAME##l, PARTIAL)

ADJOINT_RESULT_PULLBACK(exp, Y)
ADJOINT_RESULT_PULLBACK(exp2, Y * R(0.69314718055994530942))
ADJOINT_RESULT_PULLBACK(expm1, Y + R(1))
ADJOINT_RESULT_PULLBACK(tanh, R(1) - Y * Y)
ADJOINT_RESULT_PULLBACK(sqrt, R(0.5) / Y)

#undef ADJOINT_RESULT_PULLBACK
#undef ADJOINT_RESULT_PULLBACK_NAMED

/// Pullback of pow(x, y) for a floating-point exponent.
template <class T, class U, class D, class GX, class GY,
          class = typename std::enable_if<!std::is_integral<U>::value>::type>
inline void pow_pullback(T x, U y, D d_y, GX &d_x, GY &d_exp) {
  using R = decltype(detail::Real<T>() + detail::Real<U>());
  R X = x, Y = y;
  R Value = std::pow(X, Y);
  d_x += static_cast<GX>(d_y * (Y == R(0) ? R(0) : Y * std::pow(X, Y - 1)));
  // d/dy x^y = x^y log x; taken as 0 at x == 0 where the limit is 0 for y > 0.
  d_exp += static_cast<GY>(d_y * (X == R(0) ? R(0) : Value * std::log(X)));
}

/// Pullback of pow(x, n) for an integer exponent (no adjoint for n).
template <class T, class N, class D, class GX,
          class = typename std::enable_if<std::is_integral<N>::value>::type>
inline void pow_pullback(T x, N n, D d_y, GX &d_x) {
  using R = detail::Real<T>;
  R X = x;
  d_x += static_cast<GX>(d_y * (n == 0 ? R(0) : R(n) * std::pow(X, n - 1)));
}

/// Pullback of atan2(y, x).
template <class T, class U, class D, class GY, class GX>
inline void atan2_pullback(T y, U x, D d_r, GY &d_y, GX &d_x) {
  using R = decltype(detail::Real<T>() + detail::Real<U>());
  R Y = y, X = x, Den = X * X + Y * Y;
  d_y += static_cast<GY>(d_r * (X / Den));
  d_x += static_cast<GX>(d_r * (-Y / Den));
}

/// Pullback of hypot(x, y).
template <class T, class U, class D, class GX, class GY>
inline void hypot_pullback(T x, U y, D d_r, GX &d_x, GY &d_y) {
  using R = decltype(detail::Real<T>() + detail::Real<U>());
  R X = x, Y = y, H = std::hypot(X, Y);
  d_x += static_cast<GX>(H == R(0) ? R(0) : d_r * X / H);
  d_y += static_cast<GY>(H == R(0) ? R(0) : d_r * Y / H);
}

/// Pullback of fmin(x, y): the gradient goes to the smaller argument (to x on
/// ties, and to the non-NaN argument as fmin returns it).
template <class T, class U, class D, class GX, class GY>
inline void fmin_pullback(T x, U y, D d_r, GX &d_x, GY &d_y) {
  if (std::isnan(y) || (!std::isnan(x) && x <= y))
    d_x += static_cast<GX>(d_r);
  else
    d_y += static_cast<GY>(d_r);
}

/// Pullback of fmax(x, y): the gradient goes to the larger argument (to x on
/// ties, and to the non-NaN argument as fmax returns it).
template <class T, class U, class D, class GX, class GY>
inline void fmax_pullback(T x, U y, D d_r, GX &d_x, GY &d_y) {
  if (std::isnan(y) || (!std::isnan(x) && x >= y))
    d_x += static_cast<GX>(d_r);
  else
    d_y += static_cast<GY>(d_r);
}

/// Pullback of the three-argument hypot(x, y, z) (C++17).
template <class T, class U, class V, class D, class GX, class GY, class GZ>
inline void hypot_pullback(T x, U y, V z, D d_r, GX &d_x, GY &d_y, GZ &d_z) {
  using R = decltype(detail::Real<T>() + detail::Real<U>() + detail::Real<V>());
  R X = x, Y = y, Z = z, H = std::hypot(X, Y, Z);
  d_x += static_cast<GX>(H == R(0) ? R(0) : d_r * X / H);
  d_y += static_cast<GY>(H == R(0) ? R(0) : d_r * Y / H);
  d_z += static_cast<GZ>(H == R(0) ? R(0) : d_r * Z / H);
}

/// Pullback of fmod(x, y) = x - trunc(x / y) * y.
template <class T, class U, class D, class GX, class GY>
inline void fmod_pullback(T x, U y, D d_r, GX &d_x, GY &d_y) {
  using R = decltype(detail::Real<T>() + detail::Real<U>());
  R X = x, Y = y;
  d_x += static_cast<GX>(d_r);
  d_y += static_cast<GY>(-d_r * std::trunc(X / Y));
}

/// Pullback of std::min(a, b), which returns a unless b < a: the gradient
/// goes to the argument returned.
template <class T, class D, class GA, class GB>
inline void min_pullback(const T &a, const T &b, D d_r, GA &d_a, GB &d_b) {
  if (b < a)
    d_b += static_cast<GB>(d_r);
  else
    d_a += static_cast<GA>(d_r);
}

/// Pullback of std::max(a, b), which returns a unless a < b.
template <class T, class D, class GA, class GB>
inline void max_pullback(const T &a, const T &b, D d_r, GA &d_a, GB &d_b) {
  if (a < b)
    d_b += static_cast<GB>(d_r);
  else
    d_a += static_cast<GA>(d_r);
}

/// std::swap(a, b): each adjoint becomes the other's (in-out arguments: the
/// adjoints come in as the seeds of the values after the call and leave as
/// the gradients of the values before it).
template <class T, class G>
inline void swap_pullback(T &, T &, G &d_a, G &d_b) {
  G Saved = d_a;
  d_a = d_b;
  d_b = Saved;
}

/// std::swap of two arrays swaps them element by element, and so do their
/// adjoints.
template <class T, class G, std::size_t N>
inline void swap_pullback(T (&a)[N], T (&b)[N], G (&d_a)[N], G (&d_b)[N]) {
  for (std::size_t I = 0; I < N; ++I)
    swap_pullback(a[I], b[I], d_a[I], d_b[I]);
}

/// Pullback of std::clamp(v, lo, hi): the gradient goes to the value
/// returned (lo if v < lo, hi if hi < v, else v).
template <class T, class D, class GV, class GL, class GH>
inline void clamp_pullback(const T &v, const T &lo, const T &hi, D d_r,
                           GV &d_v, GL &d_lo, GH &d_hi) {
  if (v < lo)
    d_lo += static_cast<GL>(d_r);
  else if (hi < v)
    d_hi += static_cast<GH>(d_r);
  else
    d_v += static_cast<GV>(d_r);
}

/// Pullback of std::inner_product(first1, last1, first2, init) over
/// pointers: d_first1[k] += d_r * first2[k], d_first2[k] += d_r * first1[k].
template <class T, class U, class I, class D, class P1, class PL, class P2,
          class GI>
inline void inner_product_pullback(const T *first1, const T *last1,
                                   const U *first2, I, D d_r, P1 d_first1, PL,
                                   P2 d_first2, GI &d_init) {
  for (std::ptrdiff_t K = 0; K < last1 - first1; ++K) {
    detail::addAt(d_first1, K, d_r * first2[K]);
    detail::addAt(d_first2, K, d_r * first1[K]);
  }
  d_init += static_cast<GI>(d_r);
}

/// Pullback of std::accumulate(first, last, init) (the sum) over pointers.
template <class T, class I, class D, class P, class PL, class GI>
inline void accumulate_pullback(const T *first, const T *last, I, D d_r,
                                P d_first, PL, GI &d_init) {
  for (std::ptrdiff_t K = 0; K < last - first; ++K)
    detail::addAt(d_first, K, d_r);
  d_init += static_cast<GI>(d_r);
}

// Standard algorithms over iterators or with a lambda as their operation
// (DiffAlgorithm.cpp in the differentiator). The differentiator passes the
// iterators' adjoints as pointers into the adjoints of the variables they walk
// (nullptr for constant data), and a lambda's pullback `op_pullback(args...,
// d_result, d_args&...)`, which adds into the adjoints it is given.

/// Pullback of std::accumulate(first, last, init) (the sum).
template <class It, class I, class D, class P, class GI>
inline void accumulate_range_pullback(It first, It last, I, D d_r, P d_first,
                                      GI &d_init) {
  for (std::ptrdiff_t K = 0; K < last - first; ++K)
    detail::addAt(d_first, K, d_r);
  d_init += static_cast<GI>(d_r);
}

/// Pullback of std::accumulate(first, last, init, op): the partial results
/// are computed again, then each step's pullback runs, last first.
template <class It, class I, class Op, class D, class P, class GI,
          class OpPullback>
inline void accumulate_range_pullback(It first, It last, I init, Op op, D d_r,
                                      P d_first, GI &d_init,
                                      OpPullback op_pullback) {
  using E = typename std::iterator_traits<It>::value_type;
  std::vector<I> partial;
  partial.reserve(static_cast<std::size_t>(last - first));
  for (It K = first; K != last; ++K) {
    partial.push_back(init);
    init = op(init, *K);
  }
  I d_acc = static_cast<I>(d_r);
  for (std::ptrdiff_t K = static_cast<std::ptrdiff_t>(partial.size()) - 1;
       K >= 0; --K) {
    I d_before = 0;
    E d_element = 0;
    op_pullback(partial[static_cast<std::size_t>(K)], first[K], d_acc,
                d_before, d_element);
    detail::addAt(d_first, K, d_element);
    d_acc = d_before;
  }
  d_init += static_cast<GI>(d_acc);
}

/// Pullback of std::inner_product(first1, last1, first2, init).
template <class It1, class It2, class I, class D, class P1, class P2, class GI>
inline void inner_product_range_pullback(It1 first1, It1 last1, It2 first2, I,
                                         D d_r, P1 d_first1, P2 d_first2,
                                         GI &d_init) {
  for (std::ptrdiff_t K = 0; K < last1 - first1; ++K) {
    detail::addAt(d_first1, K, d_r * first2[K]);
    detail::addAt(d_first2, K, d_r * first1[K]);
  }
  d_init += static_cast<GI>(d_r);
}

/// Pullback of std::transform(first, last, out, op): each output element's
/// adjoint goes through op's pullback to the input element, and is consumed
/// (the call overwrote the element), also when out is first (in place).
template <class It, class Out, class Op, class P, class PO, class OpPullback>
inline void transform_range_pullback(It first, It last, Out, Op, P d_first,
                                     PO d_out, OpPullback op_pullback) {
  using E = typename std::iterator_traits<It>::value_type;
  for (std::ptrdiff_t K = (last - first) - 1; K >= 0; --K) {
    auto d = d_out[K];
    d_out[K] = 0;
    E d_element = 0;
    op_pullback(first[K], d, d_element);
    detail::addAt(d_first, K, d_element);
  }
}

/// Pullback of std::transform(first1, last1, first2, out, op).
template <class It1, class It2, class Out, class Op, class P1, class P2,
          class PO, class OpPullback>
inline void transform_range_pullback(It1 first1, It1 last1, It2 first2, Out,
                                     Op, P1 d_first1, P2 d_first2, PO d_out,
                                     OpPullback op_pullback) {
  using E1 = typename std::iterator_traits<It1>::value_type;
  using E2 = typename std::iterator_traits<It2>::value_type;
  for (std::ptrdiff_t K = (last1 - first1) - 1; K >= 0; --K) {
    auto d = d_out[K];
    d_out[K] = 0;
    E1 d_element1 = 0;
    E2 d_element2 = 0;
    op_pullback(first1[K], first2[K], d, d_element1, d_element2);
    detail::addAt(d_first1, K, d_element1);
    detail::addAt(d_first2, K, d_element2);
  }
}

/// Pullback of std::copy(first, last, out): each element's adjoint moves
/// from the output to the input.
template <class It, class Out, class P, class PO>
inline void copy_range_pullback(It first, It last, Out, P d_first, PO d_out) {
  for (std::ptrdiff_t K = (last - first) - 1; K >= 0; --K) {
    auto d = d_out[K];
    d_out[K] = 0;
    detail::addAt(d_first, K, d);
  }
}

/// Pullback of std::fill(first, last, value): the value's adjoint gathers
/// the range's, which the fill overwrote.
template <class It, class V, class PO, class GV>
inline void fill_range_pullback(It first, It last, const V &, PO d_first,
                                GV &d_value) {
  for (std::ptrdiff_t K = (last - first) - 1; K >= 0; --K) {
    d_value += static_cast<GV>(d_first[K]);
    d_first[K] = 0;
  }
}

// The float and long double spellings of the two-argument rules.
#define ADJOINT_BINARY_ALIAS(NAME, ALIAS)                                      \
  template <class T, class U, class D, class GX, class GY>                     \
  inline void ALIAS##_pullback(T x, U y, D d_r, GX &d_x, GY &d_y) {            \
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
  template <class T, class U, class D, class GX, class GY,                     \
            class = typename std::enable_if<                                   \
                !std::is_integral<U>::value>::type>                            \
  inline void ALIAS##_pullback(T x, U y, D d_y, GX &d_x, GY &d_exp) {          \
    pow_pullback(x, y, d_y, d_x, d_exp);                                       \
  }                                                                            \
  template <class T, class N, class D, class GX,                               \
            class = typename std::enable_if<std::is_integral<N>::value>::type> \
  inline void ALIAS##_pullback(T x, N n, D d_y, GX &d_x) {                     \
    pow_pullback(x, n, d_y, d_x);                                              \
  }
ADJOINT_POW_ALIAS(powf)
ADJOINT_POW_ALIAS(powl)
#undef ADJOINT_POW_ALIAS

} // namespace derivatives
} // namespace adjoint

#endif // ADJOINT_DERIVATIVES_H
