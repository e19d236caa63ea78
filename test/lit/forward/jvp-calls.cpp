// Calls in forward mode: a user function with a visible body gets its own
// pushforward (called once, its Dual result kept before the statement),
// through values, references it writes, pointers and sub-arrays, recursion
// and calls in conditions; a function without a body uses its custom
// pullback (one rule for both modes); library math uses the built-in rules.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: FileCheck %s --check-prefix=CHECK-SQ < %t/dump.txt
// RUN: FileCheck %s --check-prefix=SCALE < %t/dump.txt
// RUN: FileCheck %s --check-prefix=POWR < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "fwd_check.h"
#include <cmath>

double sq(double a) { return a * a; }
// (Callees' pushforwards are inserted after the callees, and dumped after
// their first caller's.)
// CHECK-SQ: // sq_pushforward, from sq
// CHECK-SQ-NEXT: template <class _S>
// CHECK-SQ-NEXT: inline ::adjoint::Dual<_S> sq_pushforward(_S a, _S _t_a) {

// Writes its result through a reference.
void scaleInto(double s, double &out) { out = out * s + std::sin(s); }
// SCALE: inline void scaleInto_pushforward(_S s, _S &out, _S _t_s, _S &_t_out) {

// Reads a sub-array.
double dot(const double *a, const double *b, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += a[i] * b[i];
  return s;
}

// Recursion, in a branch of ?: (only the branch taken runs, once).
double powr(double x, int n) { return n == 0 ? 1.0 : x * powr(x, n - 1); }
// POWR: inline ::adjoint::Dual<_S> powr_pushforward(_S x, int n, _S _t_x) {
// POWR-NEXT: ::adjoint::Dual<_S> _c1 = n == 0 ? [&]() -> ::adjoint::Dual<_S> { return {1.0, _S(0)}; }() : [&]() -> ::adjoint::Dual<_S> { ::adjoint::Dual<_S> _c0 = ::powr_pushforward<_S>(x, n - 1, _t_x); return {x * _c0.value, _S((_t_x * (_c0.value) + (x) * _c0.tangent))}; }();
// POWR-NEXT: return ::adjoint::Dual<_S>{_c1.value, _S(_c1.tangent)};

// No body here: its custom pullback is its tangent rule too.
double opaque(double u, double v);
namespace adjoint {
namespace derivatives {
inline void opaque_pullback(double u, double v, double d, double &du,
                            double &dv) {
  du += d * v * std::cos(u * v);
  dv += d * u * std::cos(u * v);
}
} // namespace derivatives
} // namespace adjoint

ADJOINT_JVP(x, p) double caller(double x, const double *p, int n) {
  double acc = sq(x) + dot(p, p + 1, n - 1);
  scaleInto(x, acc);
  if (sq(acc) > 1000.0)
    acc = 0;
  acc += powr(x + p[0], 3) * opaque(x, p[n - 1]);
  return acc;
}
// CHECK-LABEL: // caller_pushforward, from caller
// CHECK:        ::adjoint::Dual<_S> _c0 = ::sq_pushforward<_S>(x, _t_x);
// CHECK-NEXT:   ::adjoint::Dual<_S> _c1 = ::dot_pushforward<_S>(p, p + 1, n - 1, _t_p, (_t_p + 1));
// CHECK-NEXT:   _S _t_acc = (_c0.tangent + _c1.tangent);
// CHECK-NEXT:   _S acc = _c0.value + _c1.value;
// CHECK-NEXT:   ::scaleInto_pushforward<_S>(x, acc, _t_x, _t_acc);
// A call in a condition is not hoisted.
// The condition of an if runs once: its call is kept in a temporary too.
// CHECK-NEXT:   ::adjoint::Dual<_S> _c2 = ::sq_pushforward<_S>(acc, _t_acc);
// CHECK-NEXT:   if (_c2.value > 1000.0)
// CHECK:        ::adjoint::derivatives::opaque_pullback(_S(x), _S(p[n - 1]), _S(1), _p0, _p1)

double opaque(double u, double v) { return std::sin(u * v); }

int main() {
  std::vector<double> P = {0.3, 0.9, -0.4, 0.6};
  const int N = 4;
  auto F = [&](const std::vector<double> &In) {
    return std::vector<double>{caller(In[0], In.data() + 1, N)};
  };
  std::vector<double> In = {0.8, 0.3, 0.9, -0.4, 0.6};
  bool Ok = true;
  for (int c = 0; c <= N; ++c) {
    std::vector<double> V(N + 1, 0.0);
    V[c] = 1.0;
    V[(c + 2) % (N + 1)] = -0.5;
    adjoint::Dual<double> D = caller_jvp(In[0], P.data(), N, V[0], V.data() + 1);
    Ok &= lit::compare("caller", {D.value, D.tangent},
                       {F(In)[0], lit::directional(F, In, V)[0]});
  }
  std::printf("%s\n", Ok ? "all ok" : "FAILED");
}
// OUT-NOT: FAILED
// OUT: all ok
