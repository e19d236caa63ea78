// Forward mode of scalar code: loops, branches, locals, compound assignments,
// library math (tangents from the reverse rules called with seed 1), and a
// function annotated for all three modes. f_jvp is checked against finite
// differences along several directions, with the plugin and adjoint-gen.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/Inputs
// RUN: %plain_cxx -I%S/Inputs %t/gen.cpp -o %t/gen.out %adjoint_link
// RUN: %t/gen.out | FileCheck %s --check-prefix=OUT
#include "fwd_check.h"
#include <cmath>

ADJOINT_JVP(x, y) double branchy(double x, double y, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i) {
    if (s > 1.0)
      s = s * 0.5 + std::sin(x * s);
    else if (i % 2)
      s += x * y / (1.0 + s * s);
    else
      s -= std::pow(y, 2) * x - std::exp(-s);
    s *= 1.1;
  }
  double t = s;
  while (t > 0.1)
    t /= 1.5 + y * y;
  return t + std::sqrt(s * s + x);
}
// CHECK-LABEL: // branchy_pushforward, from branchy
// CHECK:      template <class _S>
// CHECK-NEXT: inline ::adjoint::Dual<_S> branchy_pushforward(_S x, _S y, int n, _S _t_x, _S _t_y) {
// CHECK-NEXT:   _S _t_s = 0;
// CHECK-NEXT:   _S s = 0;
// CHECK-NEXT:   for (int i = 0; i < n; ++i)
// CHECK:          if (s > 1.0)
// A library call's value and partial come from one evaluation (sin and cos
// from one sincos), kept in a temporary; the tangent statement comes first,
// from the values before the assignment.
// CHECK:            const auto _v0 = ::adjoint::derivatives::sin_value_and_partial(x * s);
// CHECK-NEXT:       _t_s = (_t_s * (0.5) + _S(_v0.tangent * ((_t_x * (s) + (x) * _t_s))));
// CHECK-NEXT:       s = s * 0.5 + _S(_v0.value);
// CHECK:          _t_s = _t_s * (1.1);
// CHECK-NEXT:     s *= 1.1;
// CHECK:        while (t > 0.1)
// CHECK:          _t_t = (_t_t - (t) / (1.5 + y * y) * (_t_y * (y) + (y) * _t_y)) / (1.5 + y * y);
// CHECK-NEXT:     t /= 1.5 + y * y;
// sqrt's partial comes from its value (its result rule): one square root.
// CHECK:        const auto [[V:_v[0-9]+]] = ::adjoint::derivatives::sqrt_value_and_partial(s * s + x);
// CHECK-NEXT:   return ::adjoint::Dual<_S>{t + _S([[V]].value), _S((_t_t + _S([[V]].tangent * (((_t_s * (s) + (s) * _t_s) + _t_x)))))};
// CHECK-LABEL: // branchy_jvp, from branchy
// CHECK-NEXT: inline ::adjoint::Dual<double> branchy_jvp(double x, double y, int n, double _t_x, double _t_y) {
// CHECK-NEXT:   return branchy_pushforward<double>(x, y, n, _t_x, _t_y);

// Only y listed: one tangent; x's is zero.
ADJOINT_JVP(y) float onlyy(float x, float y) {
  float r = x;
  for (int i = 0; i < 3; ++i)
    r = r * y + std::cos(r);
  return r;
}
// CHECK-LABEL: inline ::adjoint::Dual<float> onlyy_jvp(float x, float y, float _t_y) {
// CHECK-NEXT:   return onlyy_pushforward<float>(x, y, float(0), _t_y);

// All three modes on one function.
ADJOINT_GRAD(a, b) ADJOINT_JVP(a, b) ADJOINT_HESSIAN(a, b)
double mixed(double a, double b) {
  return a * std::log(b) + std::atan2(a, b);
}

int main() {
  auto F = [](const std::vector<double> &X) {
    return std::vector<double>{branchy(X[0], X[1], 7)};
  };
  bool Ok = true;
  for (std::vector<double> X : {std::vector<double>{0.7, 0.3},
                                std::vector<double>{0.2, -0.4},
                                std::vector<double>{1.3, 0.9}})
    for (std::vector<double> V : {std::vector<double>{1, 0},
                                  std::vector<double>{0, 1},
                                  std::vector<double>{0.6, -1.7}}) {
      adjoint::Dual<double> D = branchy_jvp(X[0], X[1], 7, V[0], V[1]);
      Ok &= lit::compare("branchy", {D.value, D.tangent},
                         {branchy(X[0], X[1], 7), lit::directional(F, X, V)[0]});
    }
  adjoint::Dual<float> Df = onlyy_jvp(0.5f, 0.8f, 1.0f);
  Ok &= lit::compare("onlyy",
                     {Df.value, Df.tangent},
                     {onlyy(0.5f, 0.8f),
                      (onlyy(0.5f, 0.8f + 1e-2f) - onlyy(0.5f, 0.8f - 1e-2f)) /
                          2e-2},
                     1e-3);
  double Ga = 0, Gb = 0;
  double Value = mixed_grad(0.4, 1.7, Ga, Gb);
  adjoint::Dual<double> Dm = mixed_jvp(0.4, 1.7, 0.3, -0.2);
  // The JVP is the gradient times the direction.
  Ok &= lit::compare("mixed", {Dm.value, Dm.tangent},
                     {Value, 0.3 * Ga - 0.2 * Gb}, 1e-12);
  std::printf("%s\n", Ok ? "all ok" : "FAILED");
}
// OUT-NOT: FAILED
// OUT: all ok
