// Forward over reverse: f_hvp runs f's reverse sweep once over
// adjoint::Dual values (NAME_hvp_sweep), the inputs seeded with the
// direction, a pointer input and its gradient passed as views; f_hessian
// runs it once per listed scalar. Checked against finite differences of
// f_grad, through loops, branches, early exits, local arrays, checkpoints
// and library math; a float function computes in Dual<float>.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/Inputs
// RUN: %gxx -I%S/Inputs %t/gen.cpp -o %t/gen.out %adjoint_link
// RUN: %t/gen.out | FileCheck %s --check-prefix=OUT
#include "fwd_check.h"
#include <cmath>

// A scaled log-sum-exp over a pointer input and a scale.
ADJOINT_GRAD(x, a) ADJOINT_HESSIAN(x, a)
double lse(const double *x, double a, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i)
    s += std::exp(a * x[i]);
  return std::log(s) / a;
}
// CHECK-LABEL: // lse_hvp_sweep, from lse
// CHECK-NEXT: ::adjoint::Dual<double> lse_hvp_sweep(::adjoint::detail::DualPointer<double> x, ::adjoint::Dual<double> a, int n, ::adjoint::Dual<double> _seed, ::adjoint::detail::TangentSink<double> _d_x, ::adjoint::Dual<double> &_d_a) {
// CHECK-LABEL: // lse_hvp, from lse
// CHECK-NEXT: inline double lse_hvp(const double *x, double a, int n, const double *_v_x, double _v_a, double *_hv_x, double &_hv_a) {
// CHECK-NEXT:   using _D = ::adjoint::Dual<double>;
// CHECK-NEXT:   _D _g_a(0, 0);
// CHECK-NEXT:   double _value = lse_hvp_sweep(::adjoint::detail::DualPointer<double>{x, _v_x}, _D(a, _v_a), n, _D(1, 0), ::adjoint::detail::TangentSink<double>{_hv_x}, _g_a).value;
// CHECK-NEXT:   _hv_a += _g_a.tangent;
// CHECK-NEXT:   return _value;
// CHECK-NOT:  lse_pushforward

// Huber loss: a branch on active values in a loop, a constant buffer.
ADJOINT_GRAD(r) ADJOINT_HESSIAN(r)
double huber(const double *r, const double *w, double delta, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i) {
    double a = std::fabs(r[i]);
    if (a <= delta)
      s += w[i] * 0.5 * r[i] * r[i] * r[i] * r[i];
    else
      s += w[i] * delta * (a - 0.5 * delta) * std::sin(r[i]);
  }
  return s;
}
// CHECK-LABEL: inline double huber_hvp(const double *r, const double *w, double delta, int n, const double *_v_r, double *_hv_r) {
// CHECK:        huber_hvp_sweep(

// Scalars: a loop, an early return, a ?: and sin/cos.
ADJOINT_GRAD(x, y, z) ADJOINT_HESSIAN(x, y, z)
double waves(double x, double y, double z, int k) {
  double c0 = x * y, c1 = std::sin(y * z), c2 = std::cos(x) * z;
  if (k < 0)
    return c0 * c1;
  double e = 0;
  for (int i = 0; i < k; ++i) {
    e += (i % 2 ? c0 * c1 : c1 * c2) + std::exp(-x * x * i) * std::sqrt(1 + z * z);
    c2 = c2 * 0.5 + c0;
  }
  return e;
}
// CHECK-LABEL: // waves_hvp, from waves
// CHECK:      inline void waves_hessian(double x, double y, double z, int k, double *_H) {
// CHECK:        for (int _j = 0; _j < 3; ++_j) {
// CHECK:          waves_hvp_sweep(_D(x, _j == 0 ? double(1) : double(0)), _D(y, _j == 1 ? double(1) : double(0)), _D(z, _j == 2 ? double(1) : double(0)), k, _D(1, 0), _g_x, _g_y, _g_z);
// CHECK-NEXT:     _H[0 * 3 + _j] = _g_x.tangent;

// A local array of reals (spelled as Duals in the sweep) and a
// checkpointed loop.
ADJOINT_GRAD(p, q) ADJOINT_HESSIAN(p, q)
double arrays(double p, double q, int n) {
  double c[3] = {p, q * p, std::sin(q)};
  double e = 0;
  ADJOINT_CHECKPOINT;
  for (int i = 0; i < n; ++i)
    e += c[i % 3] * c[(i + 1) % 3] * std::exp(0.1 * e);
  return e;
}
// CHECK-LABEL: // arrays_hvp_sweep, from arrays
// CHECK:        ::adjoint::Dual<double> c[3] = {p, q * p, std::sin(q)};

// float: the sweep computes in Dual<float>.
ADJOINT_GRAD(u, v) ADJOINT_HESSIAN(u, v)
float smallf(float u, float v) { return std::tanh(u * v) + u * u * v; }
// CHECK-LABEL: ::adjoint::Dual<float> smallf_hvp_sweep(

// A user call: its pullback over Duals (more in hvp-sweep-calls.cpp).
double square(double t) { return t * t; }
ADJOINT_GRAD(p, q) ADJOINT_HESSIAN(p, q)
double withCall(double p, double q) { return square(p * q) + std::log(q); }
// CHECK-LABEL: // withCall_hvp_sweep, from withCall
// CHECK:        ::square_hvp_pullback(p * q,
// CHECK-NOT:    withCall_pushforward

int main() {
  bool Ok = true;
  const int N = 5;
  std::vector<double> X = {0.1, 0.4, -0.3, 0.2, 0.9};
  double A = 0.8;
  std::vector<double> In = X;
  In.push_back(A);
  auto Grad = [&](const std::vector<double> &P) {
    std::vector<double> G(N + 1, 0.0);
    lse_grad(P.data(), P[N], N, G.data(), G[N]);
    return G;
  };
  for (std::vector<double> V : {std::vector<double>{1, 0, 0, 0, 0, 0},
                                std::vector<double>{0.3, -0.7, 1.1, 0.2, -0.4, 0.6}}) {
    std::vector<double> Hv(N, 1.0); // added to
    double HvA = 2;
    double Value = lse_hvp(X.data(), A, N, V.data(), V[N], Hv.data(), HvA);
    Hv.push_back(HvA);
    std::vector<double> Want = lit::directional(Grad, In, V, 1e-5);
    for (int i = 0; i < N; ++i)
      Want[i] += 1;
    Want[N] += 2;
    Ok &= lit::compare("lse value", {Value}, {lse(X.data(), A, N)}, 0);
    Ok &= lit::compare("lse hvp", Hv, Want, 1e-6);
  }
  {
    std::vector<double> R = {0.3, -1.7, 0.9, 2.5}, W = {1, 2, 0.5, 1.5};
    std::vector<double> V = {0.4, -0.2, 1.0, 0.7}, Hv(4, 0.0);
    huber_hvp(R.data(), W.data(), 1.0, 4, V.data(), Hv.data());
    auto G = [&](const std::vector<double> &P) {
      std::vector<double> D(4, 0.0);
      huber_grad(P.data(), W.data(), 1.0, 4, D.data());
      return D;
    };
    Ok &= lit::compare("huber hvp", Hv, lit::directional(G, R, V, 1e-5), 1e-6);
  }
  for (int K : {-1, 7}) {
    std::vector<double> P = {0.7, -0.4, 1.3};
    double H[9];
    for (double &h : H)
      h = 1e300; // overwritten, not added to
    waves_hessian(P[0], P[1], P[2], K, H);
    auto G = [&](const std::vector<double> &Q) {
      std::vector<double> D(3, 0.0);
      waves_grad(Q[0], Q[1], Q[2], K, D[0], D[1], D[2]);
      return D;
    };
    for (int r = 0; r < 3; ++r) {
      std::vector<double> E(3, 0.0);
      E[r] = 1;
      Ok &= lit::compare("waves hessian row", {H[3 * r], H[3 * r + 1], H[3 * r + 2]},
                         lit::directional(G, P, E, 1e-5), 1e-6);
    }
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c)
        Ok &= H[3 * r + c] == H[3 * c + r];
    std::vector<double> V = {0.5, -1.2, 0.8};
    double Hv[3] = {0, 0, 0};
    waves_hvp(P[0], P[1], P[2], K, V[0], V[1], V[2], Hv[0], Hv[1], Hv[2]);
    std::vector<double> Want(3);
    for (int r = 0; r < 3; ++r)
      Want[r] = H[3 * r] * V[0] + H[3 * r + 1] * V[1] + H[3 * r + 2] * V[2];
    Ok &= lit::compare("waves hvp", {Hv[0], Hv[1], Hv[2]}, Want, 1e-10);
  }
  {
    double H[4];
    arrays_hessian(0.7, -1.1, 5, H);
    auto G = [](const std::vector<double> &Q) {
      std::vector<double> D(2, 0.0);
      arrays_grad(Q[0], Q[1], 5, D[0], D[1]);
      return D;
    };
    Ok &= lit::compare("arrays hessian row 0", {H[0], H[1]},
                       lit::directional(G, {0.7, -1.1}, {1, 0}, 1e-5), 1e-6);
    Ok &= lit::compare("arrays hessian row 1", {H[2], H[3]},
                       lit::directional(G, {0.7, -1.1}, {0, 1}, 1e-5), 1e-6);
  }
  {
    float H[4];
    smallf_hessian(0.6f, -0.9f, H);
    auto G = [](const std::vector<double> &Q) {
      float Du = 0, Dv = 0;
      smallf_grad(float(Q[0]), float(Q[1]), Du, Dv);
      return std::vector<double>{Du, Dv};
    };
    Ok &= lit::compare("float hessian row 0", {H[0], H[1]},
                       lit::directional(G, {0.6, -0.9}, {1, 0}, 1e-2), 1e-2);
    Ok &= lit::compare("float hessian row 1", {H[2], H[3]},
                       lit::directional(G, {0.6, -0.9}, {0, 1}, 1e-2), 1e-2);
  }
  {
    double H[4];
    withCall_hessian(0.5, 1.5, H);
    auto G = [](const std::vector<double> &Q) {
      std::vector<double> D(2, 0.0);
      withCall_grad(Q[0], Q[1], D[0], D[1]);
      return D;
    };
    Ok &= lit::compare("call hessian row 0", {H[0], H[1]},
                       lit::directional(G, {0.5, 1.5}, {1, 0}, 1e-5), 1e-6);
    Ok &= lit::compare("call hessian row 1", {H[2], H[3]},
                       lit::directional(G, {0.5, 1.5}, {0, 1}, 1e-5), 1e-6);
  }
  std::printf("%s\n", Ok ? "all ok" : "FAILED");
}
// OUT-NOT: FAILED
// OUT: all ok
