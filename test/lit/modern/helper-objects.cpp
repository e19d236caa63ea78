// Member functions called on local helper objects inside differentiated
// code. Methods that write no data member are differentiated as const ones
// are, whether or not they are declared const (ObjectWrites.cpp): on an
// object without derivatives they get functor-style member pullbacks
// (`Gauss.cdf_pullback(d1, ...)`), on one built from differentiated values
// member pullbacks taking the object's adjoint (`D.cdf_pullback_this(...)`).
// A method that writes the object between calls (`G.setSigma(...)`) has the
// object snapshotted for the pullbacks before it.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: %gxx -I%S/../scalar/Inputs %t/gen.cpp -o %t/gxx.out %adjoint_link
// RUN: %t/gxx.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>
#include <vector>

// As option pricers write it: no const on the methods.
struct normalDist {
  double mu = 0, sigma = 1;
  double z(double x) { return (x - mu) / sigma; }
  double cdf(double x) { return 0.5 * std::erfc(-z(x) / std::sqrt(2.0)); }
  double pdf(double x) {
    return std::exp(-0.5 * z(x) * z(x)) / (sigma * std::sqrt(2 * M_PI));
  }
  void setSigma(double s) { sigma = s; }
};

// Black-Scholes price of a call plus a vega-weighted term.
ADJOINT_GRAD(S, K, r, sigma, T)
double bs_call(double S, double K, double r, double sigma, double T) {
  normalDist Gauss;
  double d1 = (std::log(S / K) + (r + 0.5 * sigma * sigma) * T) /
              (sigma * std::sqrt(T));
  double d2 = d1 - sigma * std::sqrt(T);
  double p = S * Gauss.cdf(d1) - K * std::exp(-r * T) * Gauss.cdf(d2);
  return p + 0.01 * S * Gauss.pdf(d1) * std::sqrt(T);
}
// CHECK-LABEL: double bs_call_vjp(
// CHECK:         Gauss.pdf_pullback(d1, {{.*}});
// CHECK:         Gauss.cdf_pullback(d1, {{.*}});
// CHECK:         Gauss.cdf_pullback(d2, {{.*}});

// A distribution built from differentiated parameters.
ADJOINT_GRAD(x, m, s) double shifted(double x, double m, double s) {
  normalDist D{m, s};
  return D.cdf(x) + D.pdf(x * x);
}
// CHECK-LABEL: double shifted_vjp(
// CHECK:         D.cdf_pullback_this(x, _seed, _d_D, {{.*}});
// CHECK:         D.pdf_pullback_this(x * x, _seed, _d_D, {{.*}});
// CHECK:         _d_m += _d_D.mu;
// CHECK:         _d_s += _d_D.sigma;

// The object changes between the calls: each pullback reads it as it was.
ADJOINT_GRAD(x) double mixture(const double *x, int n) {
  normalDist G;
  double acc = 0;
  for (int i = 0; i < n; ++i) {
    acc += G.cdf(x[i]);
    G.setSigma(1.0 + i);
  }
  return acc;
}
// CHECK-LABEL: double mixture_vjp(
// CHECK:         _tape.push(G);
// CHECK-NEXT:    G.setSigma(1.0 + i);
// CHECK:         normalDist [[S:_s[0-9]+]] = _tape.pop<normalDist>();
// CHECK-NEXT:    G = [[S]];
// CHECK:         G.cdf_pullback(x[i], {{.*}});

// A helper object declared in a loop body is built anew each iteration
// (hoisted: `G = normalDist();`, its previous state saved for the reverse
// sweep); found by the fuzzer's helperobj idiom, which gave wrong gradients
// while the hoisted object kept the last iteration's sigma.
ADJOINT_GRAD(x) double perstep(const double *x, int n) {
  double acc = 0;
  for (int i = 0; i < n; ++i) {
    normalDist G;
    acc += G.cdf(x[i]) * x[i];
    G.setSigma(1.5);
    acc += G.pdf(x[(i + 1) % n]);
  }
  return acc;
}
// CHECK-LABEL: double perstep_vjp(
// CHECK:         _tape.push(G);
// CHECK-NEXT:    G = normalDist();
// CHECK:         G = _tape.pop<normalDist>();

// A class adjoint does not model (a std::vector member), read by a method.
struct Table {
  std::vector<double> w;
  double eval(double x) { return w[0] * x + w[1] * x * x; }
};
ADJOINT_GRAD(x) double table(double x, const Table &t) {
  Table u = t;
  return u.eval(x) * x;
}
// CHECK-LABEL: double table_vjp(
// CHECK:         u.eval_pullback(x, {{.*}});

// A method without const on a differentiated temporary.
struct Scaled {
  double a;
  Scaled(double v) : a(v) {}
  double twice() { return 2 * a * a; }
};
ADJOINT_GRAD(x) double temporary(double x) { return Scaled(x * 3).twice(); }
// CHECK-LABEL: double temporary_vjp(
// CHECK:         (Scaled(x * 3)).twice_pullback_this(_seed, [[R:_r[0-9]+]]);
// CHECK-NEXT:    _d_x += [[R]].a * 3;
// CHECK-LABEL: inline void twice_pullback_this(double _d_return, Scaled &_d_this) {
// CHECK-LABEL: inline void eval_pullback(double x, double _d_return, double &_d_x) {
// CHECK-LABEL: inline void cdf_pullback_this(double x, double _d_return, normalDist &_d_this, double &_d_x) {
// CHECK:         z_pullback_this(x, {{.*}}, _d_this, {{.*}});
// CHECK-LABEL: inline void cdf_pullback(double x, double _d_return, double &_d_x) {
// CHECK:         z_pullback(x, {{.*}});

int main() {
  using V = std::vector<double>;
  double dS = 0, dK = 0, dr = 0, ds = 0, dT = 0;
  bs_call_grad(100, 95, 0.05, 0.2, 1.0, dS, dK, dr, ds, dT);
  lit::check(
      "bs_call",
      [](const V &v) { return bs_call(v[0], v[1], v[2], v[3], v[4]); },
      {100, 95, 0.05, 0.2, 1.0}, {dS, dK, dr, ds, dT});
  double dx = 0, dm = 0, dsg = 0;
  shifted_grad(0.3, 0.1, 1.5, dx, dm, dsg);
  lit::check("shifted", [](const V &v) { return shifted(v[0], v[1], v[2]); },
             {0.3, 0.1, 1.5}, {dx, dm, dsg});
  V x = {0.2, -0.4, 0.9}, g(3, 0.0);
  mixture_grad(x.data(), 3, g.data());
  lit::check("mixture", [](const V &v) { return mixture(v.data(), 3); }, x, g);
  V gp(3, 0.0);
  perstep_grad(x.data(), 3, gp.data());
  lit::check("perstep", [](const V &v) { return perstep(v.data(), 3); }, x, gp);
  Table t{{0.5, -1.5}};
  double dt = 0;
  table_grad(0.7, t, dt);
  lit::check("table", [&](const V &v) { return table(v[0], t); }, {0.7}, {dt});
  double dtmp = 0;
  temporary_grad(0.4, dtmp);
  lit::check("temporary", [](const V &v) { return temporary(v[0]); }, {0.4},
             {dtmp});
}
// OUT: gradcheck bs_call: ok
// OUT: gradcheck shifted: ok
// OUT: gradcheck mixture: ok
// OUT: gradcheck perstep: ok
// OUT: gradcheck table: ok
// OUT: gradcheck temporary: ok
