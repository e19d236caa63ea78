// f_hvp of a loop over a pointer input: H*v with the direction and the
// output as arrays of the input's extent, checked against finite
// differences of f_grad; unlisted scalars and constant buffers are
// constants. chain calls a helper taking a reference, which f_hvp's sweep
// over Duals does not take: forward over forward, one run per element.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "fwd_check.h"
#include <cmath>

double weightOf(const double &wi) { return wi * wi; }

// A chain energy with neighbours, weights from a constant buffer.
ADJOINT_GRAD(x, s) ADJOINT_HESSIAN(x, s)
double chain(const double *x, const double *w, double s, int n) {
  double e = 0;
  for (int i = 0; i + 1 < n; ++i) {
    double d = x[i + 1] - x[i];
    e += weightOf(w[i]) * std::exp(s * d) + std::cos(x[i]) * s;
  }
  return e / n;
}
// CHECK-LABEL: // chain_hvp, from chain
// CHECK-NEXT: inline double chain_hvp(const double *x, const double *w, double s, int n, const double *_v_x, double _v_s, double *_hv_x, double &_hv_s) {
// CHECK:        std::ptrdiff_t _extent_x = 0;
// CHECK:        return chain_pushforward<_D>(::adjoint::detail::SeedPointer<double>{x, 0, _which == 0 ? _at : -1, &_extent_x}, w, _D(s, _which == 1 ? double(1) : double(0)), n, ::adjoint::detail::ConstantPointer<double>{_v_x}, ::adjoint::detail::ZeroTangent<_D>(), _D(_v_s));
// CHECK:        for (std::ptrdiff_t _i = 0; _i < _extent_x; ++_i)
// CHECK-NEXT:     _hv_x[_i] += _run(0, _i).tangent.tangent;
// CHECK-NEXT:   _hv_s += _run(1, 0).tangent.tangent;
// CHECK-NOT:  chain_hessian

// A pointer to non-const that the function only reads is an input.
ADJOINT_GRAD(q) ADJOINT_JVP(q) ADJOINT_HESSIAN(q)
double readsOnly(double *q, int n) {
  double s = 1;
  for (int i = 0; i < n; ++i)
    s *= 1 + q[i] * q[i];
  return std::log(s);
}
// CHECK-LABEL: inline ::adjoint::Dual<double> readsOnly_jvp(double *q, int n, const double *_t_q) {
// CHECK-LABEL: inline double readsOnly_hvp(double *q, int n, const double *_v_q, double *_hv_q) {

int main() {
  const int N = 6;
  std::vector<double> X = {0.1, 0.4, -0.3, 0.2, 0.9, -0.1};
  std::vector<double> W = {1.0, 0.5, 2.0, 1.5, 0.7, 1.1};
  double S = 0.8;
  // Inputs x[0..N) then s.
  auto Grad = [&](const std::vector<double> &In) {
    std::vector<double> G(N + 1, 0.0);
    chain_grad(In.data(), W.data(), In[N], N, G.data(), G[N]);
    return G;
  };
  std::vector<double> In = X;
  In.push_back(S);
  bool Ok = true;
  for (std::vector<double> V : {std::vector<double>{1, 0, 0, 0, 0, 0, 0},
                                std::vector<double>{0.3, -0.7, 1.1, 0.2, -0.4, 0.6, 0.9}}) {
    std::vector<double> Hv(N, 0.0);
    double HvS = 0;
    double Value = chain_hvp(X.data(), W.data(), S, N, V.data(), V[N], Hv.data(), HvS);
    Hv.push_back(HvS);
    Ok &= lit::compare("value", {Value}, {chain(X.data(), W.data(), S, N)}, 0);
    Ok &= lit::compare("hvp", Hv, lit::directional(Grad, In, V, 1e-5), 1e-6);
  }
  {
    std::vector<double> Q = {0.5, -0.3, 0.8}, V = {1.0, 0.4, -0.7};
    std::vector<double> Hv(3, 0.0);
    readsOnly_hvp(Q.data(), 3, V.data(), Hv.data());
    auto G = [](const std::vector<double> &In) {
      std::vector<double> Copy = In, D(3, 0.0);
      readsOnly_grad(Copy.data(), 3, D.data());
      return D;
    };
    Ok &= lit::compare("reads only", Hv, lit::directional(G, Q, V, 1e-5), 1e-6);
    auto F = [](const std::vector<double> &In) {
      std::vector<double> Copy = In;
      return std::vector<double>{readsOnly(Copy.data(), 3)};
    };
    Ok &= lit::compare("reads only jvp",
                       {readsOnly_jvp(Q.data(), 3, V.data()).tangent},
                       lit::directional(F, Q, V));
  }
  std::printf("%s\n", Ok ? "all ok" : "FAILED");
}
// OUT-NOT: FAILED
// OUT: all ok
