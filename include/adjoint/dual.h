//===- adjoint/dual.h - Values with a tangent -------------------*- C++ -*-===//
//
// adjoint::Dual<T>: a value and its directional derivative. Generated forward
// code (f_jvp) returns one; f_hvp and f_hessian run the generated reverse
// sweep over Dual<double> values (forward over reverse), or, for what that
// sweep cannot take, the generated tangent code (forward over forward).
//
// The arithmetic below is exact first-order Taylor arithmetic. The math
// functions of <cmath> get Dual overloads whose derivatives come from the
// same pullback rules that reverse mode uses (adjoint/derivatives.h), so a
// rule is written once for every mode. The overloads are declared here, made
// visible as std::NAME (user code and the rules spell std::sin), and defined
// in adjoint/dual_math.h once the rules exist.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_DUAL_H
#define ADJOINT_DUAL_H

#include <cmath>
#include <cstddef>
#include <type_traits>

namespace adjoint {

/// A value and its tangent (directional derivative), as returned by the
/// generated `f_jvp`: `Dual<double>{value, tangent}`. Nesting
/// (Dual<Dual<double>>) carries second derivatives.
template <class T_> struct Dual {
  /// The primal value.
  T_ value;
  /// Its derivative along the chosen direction.
  T_ tangent;

  /// Uninitialized, like a double.
  Dual() = default;
  /// A value with tangent \p t.
  constexpr Dual(const T_ &v, const T_ &t) : value(v), tangent(t) {}
  /// A constant: tangent 0.
  constexpr Dual(const T_ &v) : value(v), tangent(T_(0)) {}
  /// A constant of another arithmetic type: tangent 0.
  template <class U_,
            class = typename std::enable_if<std::is_arithmetic<U_>::value &&
                                            !std::is_same<U_, T_>::value>::type>
  constexpr Dual(U_ v) : value(T_(v)), tangent(T_(0)) {}
  /// The value converted explicitly (`(int)x`): integers carry no tangent.
  template <class U_, class = typename std::enable_if<
                          std::is_arithmetic<U_>::value>::type>
  explicit constexpr operator U_() const {
    return static_cast<U_>(value);
  }

  Dual &operator+=(const Dual &o) {
    value += o.value;
    tangent += o.tangent;
    return *this;
  }
  Dual &operator-=(const Dual &o) {
    value -= o.value;
    tangent -= o.tangent;
    return *this;
  }
  Dual &operator*=(const Dual &o) {
    tangent = tangent * o.value + value * o.tangent;
    value *= o.value;
    return *this;
  }
  Dual &operator/=(const Dual &o) {
    tangent = (tangent * o.value - value * o.tangent) / (o.value * o.value);
    value /= o.value;
    return *this;
  }
};

/// Whether T is a Dual.
template <class T_> struct is_dual : std::false_type {};
template <class T_> struct is_dual<Dual<T_>> : std::true_type {};

namespace detail {
/// Enables an operator for a Dual<T> and an arithmetic U.
template <class U_, class R_>
using IfArithmetic =
    typename std::enable_if<std::is_arithmetic<U_>::value, R_>::type;
} // namespace detail

template <class T_> Dual<T_> operator+(const Dual<T_> &a) { return a; }
template <class T_> Dual<T_> operator-(const Dual<T_> &a) {
  return {-a.value, -a.tangent};
}
template <class T_> Dual<T_> operator+(const Dual<T_> &a, const Dual<T_> &b) {
  return {a.value + b.value, a.tangent + b.tangent};
}
template <class T_> Dual<T_> operator-(const Dual<T_> &a, const Dual<T_> &b) {
  return {a.value - b.value, a.tangent - b.tangent};
}
template <class T_> Dual<T_> operator*(const Dual<T_> &a, const Dual<T_> &b) {
  return {a.value * b.value, a.tangent * b.value + a.value * b.tangent};
}
template <class T_> Dual<T_> operator/(const Dual<T_> &a, const Dual<T_> &b) {
  return {a.value / b.value,
          (a.tangent * b.value - a.value * b.tangent) / (b.value * b.value)};
}

// Mixed with plain numbers (constants: no tangent).
#define ADJOINT_DUAL_MIXED(OP_)                                                \
  template <class T_, class U_>                                                \
  detail::IfArithmetic<U_, Dual<T_>> operator OP_(const Dual<T_> &a, U_ b) {   \
    return a OP_ Dual<T_>(b);                                                  \
  }                                                                            \
  template <class T_, class U_>                                                \
  detail::IfArithmetic<U_, Dual<T_>> operator OP_(U_ a, const Dual<T_> &b) {   \
    return Dual<T_>(a) OP_ b;                                                  \
  }
ADJOINT_DUAL_MIXED(+)
ADJOINT_DUAL_MIXED(-)
ADJOINT_DUAL_MIXED(*)
ADJOINT_DUAL_MIXED(/)
#undef ADJOINT_DUAL_MIXED

// Comparisons look at values only.
#define ADJOINT_DUAL_COMPARE(OP_)                                              \
  template <class T_>                                                          \
  bool operator OP_(const Dual<T_> &a, const Dual<T_> &b) {                    \
    return a.value OP_ b.value;                                                \
  }                                                                            \
  template <class T_, class U_>                                                \
  detail::IfArithmetic<U_, bool> operator OP_(const Dual<T_> &a, U_ b) {       \
    return a.value OP_ b;                                                      \
  }                                                                            \
  template <class T_, class U_>                                                \
  detail::IfArithmetic<U_, bool> operator OP_(U_ a, const Dual<T_> &b) {       \
    return a OP_ b.value;                                                      \
  }
ADJOINT_DUAL_COMPARE(==)
ADJOINT_DUAL_COMPARE(!=)
ADJOINT_DUAL_COMPARE(<)
ADJOINT_DUAL_COMPARE(>)
ADJOINT_DUAL_COMPARE(<=)
ADJOINT_DUAL_COMPARE(>=)
#undef ADJOINT_DUAL_COMPARE

// The math functions on Duals; defined in adjoint/dual_math.h.
#define ADJOINT_DUAL_UNARY(NAME)                                               \
  template <class T_> Dual<T_> NAME(const Dual<T_> &x);
#define ADJOINT_DUAL_BINARY(NAME)                                              \
  template <class T_> Dual<T_> NAME(const Dual<T_> &x, const Dual<T_> &y);     \
  template <class T_, class U_>                                                \
  detail::IfArithmetic<U_, Dual<T_>> NAME(const Dual<T_> &x, U_ y);            \
  template <class T_, class U_>                                                \
  detail::IfArithmetic<U_, Dual<T_>> NAME(U_ x, const Dual<T_> &y);
#define ADJOINT_DUAL_FUNCTIONS(UNARY, BINARY)                                  \
  UNARY(sin) UNARY(cos) UNARY(tan) UNARY(asin) UNARY(acos) UNARY(atan)         \
  UNARY(sinh) UNARY(cosh) UNARY(tanh) UNARY(exp) UNARY(exp2) UNARY(expm1)      \
  UNARY(log) UNARY(log2) UNARY(log10) UNARY(log1p) UNARY(sqrt) UNARY(cbrt)     \
  UNARY(erf) UNARY(erfc) UNARY(fabs) UNARY(abs) UNARY(floor) UNARY(ceil)       \
  UNARY(round) UNARY(trunc) BINARY(pow) BINARY(atan2) BINARY(hypot)            \
  BINARY(fmin) BINARY(fmax) BINARY(fmod)
ADJOINT_DUAL_FUNCTIONS(ADJOINT_DUAL_UNARY, ADJOINT_DUAL_BINARY)
#undef ADJOINT_DUAL_UNARY
#undef ADJOINT_DUAL_BINARY

/// isnan of the value (the rules of fmin and fmax ask).
template <class T_> bool isnan(const Dual<T_> &x) {
  using std::isnan;
  return isnan(x.value);
}

namespace detail {
/// The tangent argument f_jvp passes for a pointer that is not
/// differentiated: every element's tangent is 0.
template <class T_> struct ZeroTangent {
  T_ operator[](std::ptrdiff_t) const { return T_(0); }
  T_ operator*() const { return T_(0); }
  ZeroTangent operator+(std::ptrdiff_t) const { return *this; }
  ZeroTangent operator-(std::ptrdiff_t) const { return *this; }
};

/// A read-only pointer seen as Duals: element k is
/// `Dual<T_>{p[k], k == Seed ? 1 : 0}`. f_hvp runs the second-order code once
/// per element of a pointer input, seeding that element; the first run
/// (Seed -1) records the largest index read, which bounds the elements that
/// can have a derivative.
template <class T_> struct SeedPointer {
  const T_ *Data;
  std::ptrdiff_t Offset;
  std::ptrdiff_t Seed;
  std::ptrdiff_t *Extent;
  /// Const: writing through an input is a compile-time error.
  const Dual<T_> operator[](std::ptrdiff_t k) const {
    std::ptrdiff_t At = Offset + k;
    if (At + 1 > *Extent)
      *Extent = At + 1;
    return Dual<T_>(Data[At], At == Seed ? T_(1) : T_(0));
  }
  const Dual<T_> operator*() const { return (*this)[0]; }
  SeedPointer operator+(std::ptrdiff_t k) const {
    return {Data, Offset + k, Seed, Extent};
  }
  SeedPointer operator-(std::ptrdiff_t k) const { return *this + (-k); }
};

/// A read-only pointer seen as constant Duals (tangent 0): the direction of
/// a pointer input in f_hvp's second-order code.
template <class T_> struct ConstantPointer {
  const T_ *Data;
  const Dual<T_> operator[](std::ptrdiff_t k) const {
    return Dual<T_>(Data[k]);
  }
  const Dual<T_> operator*() const { return Dual<T_>(*Data); }
  ConstantPointer operator+(std::ptrdiff_t k) const { return {Data + k}; }
  ConstantPointer operator-(std::ptrdiff_t k) const { return {Data - k}; }
};

/// A read-only pointer seen as Duals whose tangents come from a second
/// array: element k is Dual{Data[k], Tangents[k]}. f_hvp passes a listed
/// pointer input to its reverse sweep this way, seeded with the direction.
template <class T_> struct DualPointer {
  const T_ *Data;
  const T_ *Tangents;
  Dual<T_> operator[](std::ptrdiff_t k) const { return {Data[k], Tangents[k]}; }
  Dual<T_> operator*() const { return {*Data, *Tangents}; }
  DualPointer operator+(std::ptrdiff_t k) const {
    return {Data + k, Tangents + k};
  }
  DualPointer operator-(std::ptrdiff_t k) const {
    return {Data - k, Tangents - k};
  }
};

/// The gradient of a DualPointer input in f_hvp's reverse sweep: adding a
/// Dual to element k adds its tangent (a component of H·v) into Out[k]; its
/// value, a component of the gradient, is not asked for.
template <class T_> struct TangentSink {
  T_ *Out;
  /// Element k of the gradient, which is only accumulated into.
  struct Element {
    T_ *At;
    const Element &operator+=(const Dual<T_> &d) const {
      *At += d.tangent;
      return *this;
    }
    const Element &operator-=(const Dual<T_> &d) const {
      *At -= d.tangent;
      return *this;
    }
  };
  Element operator[](std::ptrdiff_t k) const { return {Out + k}; }
  Element operator*() const { return {Out}; }
  TangentSink operator+(std::ptrdiff_t k) const { return {Out + k}; }
  TangentSink operator-(std::ptrdiff_t k) const { return {Out - k}; }
  explicit operator bool() const { return Out != nullptr; }
};
} // namespace detail

} // namespace adjoint

// User code and the rules call std::sin; these make std::sin(Dual) the Dual
// overload (adding declarations to std is formally reserved, but it is the
// only way qualified calls in existing code can see them).
namespace std {
#define ADJOINT_DUAL_USING(NAME) using ::adjoint::NAME;
ADJOINT_DUAL_FUNCTIONS(ADJOINT_DUAL_USING, ADJOINT_DUAL_USING)
using ::adjoint::isnan;
#undef ADJOINT_DUAL_USING
} // namespace std

#endif // ADJOINT_DUAL_H
