// Split-mode calls: a callee whose reverse sweep reads values its forward
// sweep computed gets a record type and a forward/reverse pair. The caller
// runs the forward function in its forward sweep (keeping the record in a
// local, or on its tape inside loops) and the reverse function, which takes
// the record instead of the arguments, in its reverse sweep.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

double logistic(double z) { return 1.0 / (1.0 + std::exp(-z)); }
// The record holds what the reverse sweep reads: the parameter and the two
// values computed on the way (exp(-z) and 1 + exp(-z)).
// CHECK-LABEL: struct logistic_pullback_record {
// CHECK-NEXT:    double z;
// CHECK-NEXT:    double _t0;
// CHECK-NEXT:    double _t1;
// CHECK-NEXT:  };
// CHECK-NEXT:  double logistic_pullback_forward(double z, logistic_pullback_record &_rec) {
// CHECK-NEXT:    double _t0;
// CHECK-NEXT:    double _t1;
// CHECK-NEXT:    _t1 = std::exp(-z);
// CHECK-NEXT:    _t0 = 1.0 + _t1;
// CHECK-NEXT:    double _ret0 = 1.0 / (_t0);
// CHECK-NEXT:    _rec.z = z;
// CHECK-NEXT:    _rec._t0 = _t0;
// CHECK-NEXT:    _rec._t1 = _t1;
// CHECK-NEXT:    return _ret0;
// CHECK-NEXT:  }
// CHECK-NEXT:  void logistic_pullback_reverse(const logistic_pullback_record &_rec, double _d_return, double &_d_z) {
// CHECK-NEXT:    double z = _rec.z;
// CHECK-NEXT:    double _t0 = _rec._t0;
// CHECK-NEXT:    double _t1 = _rec._t1;
// CHECK-NEXT:    double _r0 = 0;
// CHECK-NEXT:    ::adjoint::derivatives::exp_result_pullback(-z, _t1, -(_d_return / _t0) * (1.0 / _t0), _r0);
// CHECK-NEXT:    _d_z += -_r0;
// CHECK-NEXT:  }

// Called twice: one record each; the reverse sweep evaluates no exp.
ADJOINT_GRAD(x, y) double twice(double x, double y) {
  double g = logistic(x * y);
  double h = logistic(x - y);
  return g * h + g * x;
}
// CHECK-LABEL: double twice_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK:         ::logistic_pullback_record _rec0;
// CHECK-NEXT:    double _t0;
// CHECK-NEXT:    ::logistic_pullback_record _rec1;
// CHECK-NEXT:    double _t1;
// CHECK-NEXT:    _t0 = ::logistic_pullback_forward(x * y, _rec0);
// CHECK-NEXT:    double g = _t0;
// CHECK-NEXT:    _t1 = ::logistic_pullback_forward(x - y, _rec1);
// CHECK-NEXT:    double h = _t1;
// CHECK-NOT:     exp
// CHECK:         ::logistic_pullback_reverse(_rec1, _d_h, _r1);
// CHECK-NEXT:    _d_x += _r1;
// CHECK-NEXT:    _d_y += -_r1;
// CHECK-NEXT:    double _r0 = 0;
// CHECK-NEXT:    ::logistic_pullback_reverse(_rec0, _d_g, _r0);
// CHECK-NEXT:    _d_x += _r0 * y;
// CHECK-NEXT:    _d_y += x * _r0;
// CHECK-NEXT:    return _ret0;

// In a loop with a data-dependent trip count: the records go on the tape.
ADJOINT_GRAD(x) double untilbound(double x, double bound) {
  double acc = 0.0;
  int k = 0;
  while (acc < bound) {
    acc = acc + logistic(x * k) * x;
    ++k;
  }
  return acc;
}
// The value is taped too, because the reverse sweep reads it (d acc / d x).
// CHECK-LABEL: double untilbound_vjp(double x, double bound, double _seed, double &_d_x) {
// CHECK:         while (acc < bound) {
// CHECK-NEXT:      ++_n0;
// CHECK-NEXT:      _t0 = ::logistic_pullback_forward(x * k, _rec0);
// CHECK-NEXT:      _tape.push(_rec0);
// CHECK-NEXT:      _tape.push(_t0);
// CHECK-NEXT:      acc = acc + _t0 * x;
// CHECK-NEXT:      ++k;
// CHECK-NEXT:    }
// CHECK:         for (; _n0; --_n0) {
// CHECK-NEXT:      --k;
// CHECK-NEXT:      _t0 = _tape.pop<double>();
// CHECK-NEXT:      _rec0 = _tape.pop<::logistic_pullback_record>();
// CHECK:           ::logistic_pullback_reverse(_rec0, _r0 * x, _r1);
// CHECK-NEXT:      _d_x += _r1 * k;

// A chain a -> b -> c: each forward function calls the next one's, each
// reverse function the next one's with the record kept in its own record.
double cfun(double v) { return std::exp(v) * v; }
double bfun(double v) { return cfun(v) * std::sin(v); }
double afun(double v) { return bfun(v * v) + v; }
ADJOINT_GRAD(x) double chain(double x) { return afun(x) * 2.0; }
// CHECK-LABEL: struct cfun_pullback_record {
// CHECK-LABEL: struct bfun_pullback_record {
// CHECK-NEXT:    double v;
// CHECK-NEXT:    double _t0;
// CHECK-NEXT:    double _t1;
// CHECK-NEXT:    ::cfun_pullback_record _rec0;
// CHECK-NEXT:  };
// The inner record is filled and read in place.
// CHECK:         ::cfun_pullback_record &_rec0 = _rec._rec0;
// CHECK:         _t1 = ::cfun_pullback_forward(v, _rec0);
// CHECK-NOT:     _rec._rec0 = _rec0;
// CHECK:       void bfun_pullback_reverse(const bfun_pullback_record &_rec, double _d_return, double &_d_v) {
// CHECK:         const ::cfun_pullback_record &_rec0 = _rec._rec0;
// CHECK-NOT:     exp(
// CHECK:         ::cfun_pullback_reverse(_rec0, _d_return * _t0, _r0);
// CHECK-LABEL: struct afun_pullback_record {
// CHECK-NEXT:    double v;
// CHECK-NEXT:    ::bfun_pullback_record _rec0;
// CHECK-NEXT:  };
// CHECK:         _t0 = ::bfun_pullback_forward(v * v, _rec0);
// CHECK:         ::bfun_pullback_reverse(_rec0, _d_return, _r0);
// CHECK-LABEL: double chain_vjp(double x, double _seed, double &_d_x) {
// CHECK-NEXT:    ::afun_pullback_record _rec0;
// CHECK-NEXT:    double _t0;
// CHECK-NEXT:    _t0 = ::afun_pullback_forward(x, _rec0);
// CHECK-NEXT:    double _ret0 = _t0 * 2.0;
// CHECK-NEXT:    double _r0 = 0;
// CHECK-NEXT:    ::afun_pullback_reverse(_rec0, _seed * 2.0, _r0);

// The argument is overwritten after the call: the reverse function reads the
// record, not the variable.
ADJOINT_GRAD(x, y) double overwritten(double x, double y) {
  double t = x * y;
  double g = logistic(t);
  t = t * 3.0;
  return g * t;
}
// CHECK-LABEL: double overwritten_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK:         _t0 = ::logistic_pullback_forward(t, _rec0);
// CHECK:         t = t * 3.0;
// CHECK:         ::logistic_pullback_reverse(_rec0, _d_g, _r0);
// CHECK-NEXT:    _d_t += _r0;

// Several parameters, some of them inactive at the call.
double gauss(double x, double mu, double s) {
  double z = (x - mu) / s;
  return std::exp(-0.5 * z * z) / s;
}
ADJOINT_GRAD(x) double density(double x, double s) { return gauss(x, 1.0, s) * x; }
// The reverse function has an adjoint for every real parameter; the caller
// passes temporaries for the inactive ones.
// CHECK-LABEL: struct gauss_pullback_record {
// CHECK:       void gauss_pullback_reverse(const gauss_pullback_record &_rec, double _d_return, double &_d_x, double &_d_mu, double &_d_s) {
// CHECK-LABEL: double density_vjp(double x, double s, double _seed, double &_d_x) {
// CHECK:         _t0 = ::gauss_pullback_forward(x, 1.0, s, _rec0);
// CHECK:         ::gauss_pullback_reverse(_rec0, _seed * x, _r0, _r1, _r2);
// CHECK-NEXT:    _d_x += _r0;
// CHECK-NEXT:    _d_x += _t0 * _seed;

// A callee with branches: the record keeps the branch taken.
double softrelu(double z) {
  if (z > 0.0)
    return z + std::log1p(std::exp(-z));
  return std::log1p(std::exp(z));
}
ADJOINT_GRAD(x) double branchy(double x) { return softrelu(x) * softrelu(-2.0 * x); }
// CHECK-LABEL: struct softrelu_pullback_record {
// CHECK-NEXT:    double z;
// CHECK-NEXT:    double _t0;
// CHECK-NEXT:    double _t1;
// CHECK-NEXT:    bool _c0;
// CHECK-NEXT:  };
// CHECK:       void softrelu_pullback_reverse(const softrelu_pullback_record &_rec, double _d_return, double &_d_z) {
// CHECK:         bool _c0 = _rec._c0;
// CHECK-NEXT:    if (_c0) {
// CHECK-LABEL: double branchy_vjp(double x, double _seed, double &_d_x) {
// CHECK:         _t1 = ::softrelu_pullback_forward(x, _rec0);
// CHECK-NEXT:    _t0 = ::softrelu_pullback_forward(-2.0 * x, _rec1);

// Float callees.
float sigf(float z) { return 1.0f / (1.0f + std::exp(-z)); }
ADJOINT_GRAD(x, y) float floats(float x, float y) { return sigf(x * y) * sigf(x); }
// CHECK-LABEL: struct sigf_pullback_record {
// CHECK-NEXT:    float z;
// CHECK-NEXT:    float _t0;
// CHECK-NEXT:    float _t1;
// CHECK-NEXT:  };
// CHECK-NEXT:  float sigf_pullback_forward(float z, sigf_pullback_record &_rec) {
// CHECK:       void sigf_pullback_reverse(const sigf_pullback_record &_rec, float _d_return, float &_d_z) {
// CHECK-LABEL: float floats_vjp(float x, float y, float _seed, float &_d_x, float &_d_y) {
// CHECK:         ::sigf_pullback_reverse(_rec0, _seed * _t0, _r0);

// A recursive callee keeps its pullback (which calls itself); a split-mode
// callee can still be called from it.
double rexp(double v, int n) {
  if (n == 0)
    return logistic(v);
  return std::exp(v) * rexp(v, n - 1);
}
ADJOINT_GRAD(x) double recursive(double x) { return rexp(x, 3); }
// CHECK-NOT:   rexp_pullback_forward
// CHECK-LABEL: double recursive_vjp(double x, double _seed, double &_d_x) {
// CHECK-NEXT:    double _ret0 = rexp(x, 3);
// CHECK-NEXT:    double _r0 = 0;
// CHECK-NEXT:    ::rexp_pullback(x, 3, _seed, _r0);

// A call that runs only on one side of ?: keeps the pullback, which runs only
// there too.
ADJOINT_GRAD(x) double cond(double x) { return x > 0.0 ? logistic(x) : 0.5 * x; }
// CHECK-LABEL: double cond_vjp(double x, double _seed, double &_d_x) {
// CHECK-NEXT:    double _ret0 = x > 0.0 ? logistic(x) : 0.5 * x;
// CHECK-NEXT:    if (x > 0.0) {
// CHECK-NEXT:      double _r0 = 0;
// CHECK-NEXT:      ::logistic_pullback(x, _seed, _r0);

// A callee that needs a tape (an exp per iteration) keeps its pullback.
double lse(const double *v, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i)
    s += std::exp(v[i]);
  return std::log(s);
}
ADJOINT_GRAD(v) double withtape(const double *v, int n) { return lse(v, n) * 2.0; }
// CHECK-LABEL: double withtape_vjp(const double * __restrict v, int n, double _seed, double *_d_v) {
// CHECK-NEXT:    ::adjoint::require_disjoint(_d_v, n, v, n, "withtape_vjp: the gradient buffer of 'v' overlaps the input 'v': the gradient would be wrong; pass a separate buffer");
// CHECK-NEXT:    double _ret0 = lse(v, n) * 2.0;
// CHECK-NEXT:    ::lse_pullback(v, n, _seed * 2.0, _d_v);

// The pullbacks, generated after the gradients; rexp's runs logistic's
// split-mode functions.
// CHECK-LABEL: void lse_pullback(const double * __restrict v, int n, double _d_return, double *_d_v) {
// CHECK:         ::adjoint::Tape _tape;
// CHECK-LABEL: void logistic_pullback(double z, double _d_return, double &_d_z) {
// CHECK-LABEL: void rexp_pullback(double v, int n, double _d_return, double &_d_v) {
// CHECK:           _t0 = ::logistic_pullback_forward(v, _rec0);
// CHECK:           ::logistic_pullback_reverse(_rec0, _d_return, _r0);
// CHECK:           ::rexp_pullback(v, n - 1, _t2 * _d_return, _r2);

int main() {
  using V = std::vector<double>;
  {
    double dx = 0, dy = 0;
    twice_grad(0.5, -1.5, dx, dy);
    lit::check("twice", [](const V &v) { return twice(v[0], v[1]); }, {0.5, -1.5}, {dx, dy});
  }
  {
    double dx = 0;
    untilbound_grad(0.7, 3.0, dx);
    lit::check("untilbound", [](const V &v) { return untilbound(v[0], 3.0); }, {0.7}, {dx});
  }
  {
    double dx = 0;
    chain_grad(0.6, dx);
    lit::check("chain", [](const V &v) { return chain(v[0]); }, {0.6}, {dx});
  }
  {
    double dx = 0, dy = 0;
    overwritten_grad(0.5, 2.0, dx, dy);
    lit::check("overwritten", [](const V &v) { return overwritten(v[0], v[1]); }, {0.5, 2.0}, {dx, dy});
  }
  {
    double dx = 0;
    density_grad(1.5, 0.8, dx);
    lit::check("density", [](const V &v) { return density(v[0], 0.8); }, {1.5}, {dx});
  }
  {
    double dx = 0;
    branchy_grad(0.4, dx);
    lit::check("branchy", [](const V &v) { return branchy(v[0]); }, {0.4}, {dx});
  }
  {
    float dx = 0, dy = 0;
    floats_grad(0.5f, 2.0f, dx, dy);
    lit::checkf("floats", [](const V &v) { return double(floats(float(v[0]), float(v[1]))); }, {0.5, 2.0}, {dx, dy});
  }
  {
    double dx = 0;
    recursive_grad(0.3, dx);
    lit::check("recursive", [](const V &v) { return recursive(v[0]); }, {0.3}, {dx});
  }
  {
    double dx = 0, dy = 0;
    cond_grad(0.5, dx);
    cond_grad(-0.5, dy);
    lit::check("cond", [](const V &v) { return cond(v[0]) + cond(v[1]); }, {0.5, -0.5}, {dx, dy});
  }
  {
    double v[3] = {0.1, -0.4, 0.9}, dv[3] = {0, 0, 0};
    withtape_grad(v, 3, dv);
    lit::check("withtape", [](const V &w) { return withtape(w.data(), 3); }, {0.1, -0.4, 0.9}, {dv[0], dv[1], dv[2]});
  }
}

// sigma = 1 / (1 + e^-z), sigma' = sigma (1 - sigma)
// (h + x) sigma'(xy) y + g sigma'(x - y) + g, (h + x) sigma'(xy) x - g sigma'(x - y)
// OUT:      twice: -0.096798 0.116750
// OUT-NEXT: gradcheck twice: ok
// six iterations: sum_k sigma(k x) + x sum_k k sigma'(k x)
// OUT-NEXT: untilbound: 5.606997
// OUT-NEXT: gradcheck untilbound: ok
// 2 (b'(x^2) 2x + 1), b(v) = v e^v sin v
// OUT-NEXT: chain: 4.807087
// OUT-NEXT: gradcheck chain: ok
// f = 3 t sigma(t), t = xy: f'(t) (y, x)
// OUT-NEXT: overwritten: 5.566023 1.391506
// OUT-NEXT: gradcheck overwritten: ok
// G + x G (-z / s), G = e^(-z^2/2) / s, z = (x - 1) / s
// OUT-NEXT: density: -0.176726
// OUT-NEXT: gradcheck density: ok
// softrelu' = sigma: sigma(x) sr(-2x) - 2 sr(x) sigma(-2x)
// OUT-NEXT: branchy: -0.343943
// OUT-NEXT: gradcheck branchy: ok
// sigma'(xy) y sigma(x) + sigma(xy) sigma'(x), sigma'(xy) x sigma(x)
// OUT-NEXT: floats: 0.416567 0.061191
// OUT-NEXT: gradcheck floats: ok
// rexp(v, 3) = e^(3v) sigma(v): 3 e^(3v) sigma + e^(3v) sigma'
// OUT-NEXT: recursive: 4.839972
// OUT-NEXT: gradcheck recursive: ok
// sigma'(0.5), 0.5
// OUT-NEXT: cond: 0.235004 0.500000
// OUT-NEXT: gradcheck cond: ok
// 2 softmax(v)
// OUT-NEXT: withtape: 0.521911 0.316555 1.161534
// OUT-NEXT: gradcheck withtape: ok
