// Forward over reverse through user calls: f_hvp's reverse sweep over Duals
// (NAME_hvp_sweep) calls each user function's pullback generated over Duals
// too (NAME_hvp_pullback), so a body calling helpers is one sweep, not one
// run per input. A helper's pointer parameter is a template parameter: it
// receives the view of a listed pointer input (DualPointer, its gradient a
// TangentSink) or a local array of Duals; a constant buffer keeps its
// pointer (NAME_hvp_pullback_const_w). The forward sweep calls the helper
// computed over Duals (NAME_hvp_primal), or for an unconditional call of a
// helper without pointers, its split forward. Helpers the sweep cannot take over
// Duals (a reference parameter) keep forward over forward. Checked against
// finite differences of f_grad.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/Inputs
// RUN: %gxx -I%S/Inputs %t/gen.cpp -o %t/gen.out %adjoint_link
// RUN: %t/gen.out | FileCheck %s --check-prefix=OUT
#include "fwd_check.h"
#include <cmath>

namespace model {
inline double logistic(double z) { return 1.0 / (1.0 + std::exp(-z)); }
// A helper calling a helper.
inline double gate(double a, double b) { return logistic(a * b) * a; }
} // namespace model

// Scalars through nested helpers in a namespace. An unconditional call is
// split as in reverse mode: the forward over Duals fills a record that the
// reverse reads (NAME_hvp_pullback_forward/_reverse); a conditional one
// calls the helper over Duals, then its pullback.
ADJOINT_GRAD(x, y) ADJOINT_HESSIAN(x, y)
double gated(double x, double y) {
  double g = model::gate(x, y);
  double h = x > y ? model::logistic(x - y) : 0.5 * x;
  return g * h + g * x;
}
// CHECK-LABEL: // logistic_hvp_primal, from logistic
// CHECK-NEXT: inline ::adjoint::Dual<double> logistic_hvp_primal(::adjoint::Dual<double> z) { return 1.0 / (1.0 + std::exp(-z)); }
// CHECK-LABEL: // gate_hvp_pullback_forward, from gate
// CHECK:      inline ::adjoint::Dual<double> gate_hvp_pullback_forward(::adjoint::Dual<double> a, ::adjoint::Dual<double> b, gate_hvp_pullback_record &_rec) {
// CHECK:        _t0 = ::model::logistic_hvp_pullback_forward(a * b, _rec0);
// CHECK:      inline void gate_hvp_pullback_reverse(const gate_hvp_pullback_record &_rec, ::adjoint::Dual<double> _d_return, ::adjoint::Dual<double> &_d_a, ::adjoint::Dual<double> &_d_b) {
// CHECK:        ::model::logistic_hvp_pullback_reverse(_rec0, _d_return * a, _r0);
// CHECK-LABEL: // logistic_hvp_pullback, from logistic
// CHECK-NEXT: inline void logistic_hvp_pullback(::adjoint::Dual<double> z, ::adjoint::Dual<double> _d_return, ::adjoint::Dual<double> &_d_z) {
// CHECK-LABEL: // gated_hvp_sweep, from gated
// CHECK:        _t0 = ::model::gate_hvp_pullback_forward(x, y, _rec0);
// CHECK:        ::model::logistic_hvp_primal(x - y)
// CHECK:        ::model::logistic_hvp_pullback(x - y,
// CHECK:        ::model::gate_hvp_pullback_reverse(_rec0, _d_g, _r0, _r1);
// CHECK-LABEL: // gated_hvp, from gated
// CHECK:      inline void gated_hessian(double x, double y, double *_H) {
// CHECK-NOT:  gated_pushforward

// Helpers reading a pointer: the listed input (a view), a constant buffer,
// and a local array of Duals.
double term(const double *p, int i) { return p[i] * std::sin(p[i + 1]); }
double weight(const double *w, double s, int i) { return w[i] * s * s; }
double pairSum(const double *c) { return c[0] * c[1] + c[1]; }

ADJOINT_GRAD(x, s) ADJOINT_HESSIAN(x, s)
double chain(const double *x, const double *w, double s, int n) {
  double e = 0;
  double c[2] = {x[0] * s, std::exp(x[1])};
  for (int i = 0; i + 1 < n; ++i)
    e += term(x, i) * weight(w, s, i) + pairSum(c) * x[i];
  return e;
}
// CHECK-LABEL: // term_hvp_primal, from term
// CHECK-NEXT: template <class _P0> inline ::adjoint::Dual<double> term_hvp_primal(_P0 p, int i) { return p[i] * std::sin(p[i + 1]); }
// CHECK-LABEL: // term_hvp_pullback, from term
// CHECK-NEXT: template <class _P0, class _A0> inline void term_hvp_pullback(_P0 p, int i, ::adjoint::Dual<double> _d_return, _A0 _d_p) {
// CHECK-LABEL: // weight_hvp_pullback_const_w, from weight
// CHECK-NEXT: void weight_hvp_pullback_const_w(const double * __restrict w, ::adjoint::Dual<double> s, int i, ::adjoint::Dual<double> _d_return, ::adjoint::Dual<double> &_d_s) {
// CHECK-LABEL: // pairSum_hvp_pullback, from pairSum
// CHECK-NEXT: template <class _P0, class _A0> inline void pairSum_hvp_pullback(_P0 c, ::adjoint::Dual<double> _d_return, _A0 _d_c) {
// CHECK-LABEL: // chain_hvp_sweep, from chain
// CHECK:        ::adjoint::Dual<double> c[2] = {x[0] * s, std::exp(x[1])};
// CHECK:        _t2 = ::term_hvp_primal(x, i);
// CHECK-NEXT:   _t1 = ::weight_hvp_primal(w, s, i);
// CHECK-NEXT:   _t3 = ::pairSum_hvp_primal(c);
// CHECK:        ::term_hvp_pullback(x, i, _r2 * _t1, _d_x);
// CHECK:        ::weight_hvp_pullback_const_w(w, s, i, _t2 * _r2, _r3);
// CHECK:        ::pairSum_hvp_pullback(c, _r2 * (x[i]), _d_c);
// CHECK-LABEL: // chain_hvp, from chain
// CHECK-NEXT: inline double chain_hvp(const double *x, const double *w, double s, int n, const double *_v_x, double _v_s, double *_hv_x, double &_hv_s) {
// CHECK-NOT:  chain_pushforward

// A helper taking a reference: forward over forward.
double scaled(const double &t) { return t * t * t; }
ADJOINT_GRAD(p, q) ADJOINT_HESSIAN(p, q)
double viaReference(double p, double q) { return scaled(p * q) + q; }
// CHECK-LABEL: // viaReference_hvp, from viaReference
// CHECK:        viaReference_pushforward<_D>(

int main() {
  bool Ok = true;
  auto PairRows = [&](const char *Name, auto Hessian, auto Grad, double A,
                      double B) {
    double H[4];
    Hessian(A, B, H);
    auto G = [&](const std::vector<double> &Q) {
      std::vector<double> D(2, 0.0);
      Grad(Q[0], Q[1], D[0], D[1]);
      return D;
    };
    Ok &= lit::compare(Name, {H[0], H[1], H[2], H[3]},
                       [&] {
                         std::vector<double> R0 = lit::directional(G, {A, B}, {1, 0}, 1e-5);
                         std::vector<double> R1 = lit::directional(G, {A, B}, {0, 1}, 1e-5);
                         return std::vector<double>{R0[0], R0[1], R1[0], R1[1]};
                       }(),
                       1e-6);
  };
  PairRows("gated hessian", gated_hessian, gated_grad, 0.7, 1.3);
  PairRows("gated hessian, other branch", gated_hessian, gated_grad, 1.3, 0.7);
  PairRows("reference hessian", viaReference_hessian, viaReference_grad, 0.4, -0.9);
  {
    const int N = 6;
    std::vector<double> X = {0.1, 0.4, -0.3, 0.2, 0.9, -0.1};
    std::vector<double> W = {1.0, 0.5, 2.0, 1.5, 0.7, 1.1};
    double S = 0.8;
    auto Grad = [&](const std::vector<double> &In) {
      std::vector<double> G(N + 1, 0.0);
      chain_grad(In.data(), W.data(), In[N], N, G.data(), G[N]);
      return G;
    };
    std::vector<double> In = X;
    In.push_back(S);
    for (std::vector<double> V : {std::vector<double>{1, 0, 0, 0, 0, 0, 0},
                                  std::vector<double>{0.3, -0.7, 1.1, 0.2, -0.4, 0.6, 0.9}}) {
      std::vector<double> Hv(N, 0.5); // added to
      double HvS = -1;
      double Value = chain_hvp(X.data(), W.data(), S, N, V.data(), V[N], Hv.data(), HvS);
      Hv.push_back(HvS);
      std::vector<double> Want = lit::directional(Grad, In, V, 1e-5);
      for (int i = 0; i < N; ++i)
        Want[i] += 0.5;
      Want[N] -= 1;
      Ok &= lit::compare("chain value", {Value}, {chain(X.data(), W.data(), S, N)}, 0);
      Ok &= lit::compare("chain hvp", Hv, Want, 1e-6);
    }
  }
  std::printf("%s\n", Ok ? "all ok" : "FAILED");
}
// OUT-NOT: FAILED
// OUT: all ok
