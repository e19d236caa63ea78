// Pointer inputs (const double*) read in loops over n, and outputs written
// through double* whose adjoints carry the seed in.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

ADJOINT_GRAD(x) double sumsq(const double *x, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i)
    s += x[i] * x[i];
  return s;
}
// A const double* parameter gets a double* adjoint indexed like it.
// CHECK-LABEL: double sumsq_vjp(const double * __restrict x, int n, double _seed, double *_d_x) {
// CHECK-NOT:    _d_n
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     --i;
// CHECK-NEXT:     double _r0 = _d_s;
// CHECK-NEXT:     _d_x[i] += _r0 * (x[i]);
// CHECK-NEXT:     _d_x[i] += (x[i]) * _r0;
// CHECK-NEXT:   }
// CHECK-LABEL: double sumsq_grad(const double * x, int n, double *_d_x) {
// CHECK-NEXT:   return sumsq_vjp(x, n, 1, _d_x);

ADJOINT_GRAD(x, w) double dot(const double *x, const double *w, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i)
    s = s + w[i] * x[i];
  return s;
}
// CHECK-LABEL: double dot_vjp(const double * __restrict x, const double * __restrict w, int n, double _seed, double *_d_x, double *_d_w) {
// CHECK:          _d_w[i] += _r0 * (x[i]);
// CHECK-NEXT:     _d_x[i] += (w[i]) * _r0;

// Products of neighbours: x[i] and x[i + 1].
ADJOINT_GRAD(x) double chain(const double *x, int n) {
  double p = 1.0;
  for (int i = 0; i + 1 < n; ++i)
    p *= x[i] - x[i + 1] * 0.5;
  return p;
}
// CHECK-LABEL: double chain_vjp(const double * __restrict x, int n, double _seed, double *_d_x) {
// CHECK:        while (i + 1 < n) {
// CHECK:          _d_p = _r0 * (x[i] - x[i + 1] * 0.5);
// CHECK-NEXT:     double _r1 = (p) * _r0;
// CHECK-NEXT:     _d_x[i] += _r1;
// CHECK-NEXT:     _d_x[i + 1] += (-_r1) * 0.5;

// An output pointer: out[i] = x[i]^2 * a.
ADJOINT_GRAD(x, a, out) void squares(const double *x, double a, double *out, int n) {
  for (int i = 0; i < n; ++i)
    out[i] = x[i] * x[i] * a;
}
// A void function has only f_grad; the output's adjoint is consumed.
// CHECK-LABEL: void squares_grad(const double * x, double a, double * out, int n, double *_d_x, double &_d_a, double *_d_out) {
// CHECK-NOT:    _tape
// CHECK:          out[i] = x[i] * x[i] * a;
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     --i;
// CHECK-NEXT:     double _r0 = _d_out[i];
// CHECK-NEXT:     _d_out[i] = 0;
// CHECK-NEXT:     double _r1 = _r0 * a;
// CHECK-NEXT:     _d_x[i] += _r1 * (x[i]);
// CHECK-NEXT:     _d_x[i] += (x[i]) * _r1;
// CHECK-NEXT:     _d_a += (x[i] * x[i]) * _r0;
// CHECK-NEXT:   }
// CHECK-NOT:  squares_vjp

// Outputs that are also read: a prefix sum in place.
ADJOINT_GRAD(x, out) void prefix(const double *x, double *out, int n) {
  out[0] = x[0];
  for (int i = 1; i < n; ++i)
    out[i] = out[i - 1] + std::exp(x[i]);
}
// CHECK-LABEL: void prefix_grad(const double * x, double * out, int n, double *_d_x, double *_d_out) {
// CHECK:          _d_out[i - 1] += _r1;
// CHECK-NEXT:     double _r2 = 0;
// CHECK-NEXT:     ::adjoint::derivatives::exp_result_pullback(x[i], _t0, _r1, _r2);
// CHECK-NEXT:     _d_x[i] += _r2;
// CHECK:        double _r0 = _d_out[0];
// CHECK-NEXT:   _d_out[0] = 0;
// CHECK-NEXT:   _d_x[0] += _r0;

// Output through *p.
ADJOINT_GRAD(x, r) void deref(double x, double *r) { *r = std::sin(x) * x; }
// CHECK-LABEL: void deref_grad(double x, double * r, double &_d_x, double *_d_r) {
// CHECK:        *r = _t0 * x;
// CHECK-NEXT:   double _r0 = *_d_r;
// CHECK-NEXT:   *_d_r = 0;

int main() {
  // Split mode is generated for the functions a file names; the checks
  // above read its unfused reverse sweep.
  (void)&sumsq_forward;
  using V = std::vector<double>;
  {
    double x[3] = {1.0, -2.0, 0.5}, dx[3] = {0, 0, 0};
    sumsq_grad(x, 3, dx);
    lit::check("sumsq", [](const V &v) { return sumsq(v.data(), 3); }, {1.0, -2.0, 0.5}, {dx[0], dx[1], dx[2]});
    double d0[1] = {7.0};
    sumsq_grad(x, 0, d0);
    lit::print("sumsq n=0", {d0[0]});
  }
  {
    double x[3] = {1.0, 2.0, 3.0}, w[3] = {0.5, -1.0, 2.0};
    double dx[3] = {0, 0, 0}, dw[3] = {0, 0, 0};
    dot_grad(x, w, 3, dx, dw);
    lit::check("dot", [](const V &v) { return dot(v.data(), v.data() + 3, 3); },
               {1.0, 2.0, 3.0, 0.5, -1.0, 2.0}, {dx[0], dx[1], dx[2], dw[0], dw[1], dw[2]});
  }
  {
    double x[4] = {1.5, 0.5, 2.0, 1.0}, dx[4] = {0, 0, 0, 0};
    chain_grad(x, 4, dx);
    lit::check("chain", [](const V &v) { return chain(v.data(), 4); }, {1.5, 0.5, 2.0, 1.0}, {dx[0], dx[1], dx[2], dx[3]});
  }
  {
    // The vjp of out with seed s: d/dx sum_i s_i out_i.
    double x[2] = {1.5, -0.5}, out[2], dx[2] = {0, 0}, da = 0;
    double seed[2] = {1.0, 2.0};
    double dout[2] = {seed[0], seed[1]};
    squares_grad(x, 3.0, out, 2, dx, da, dout);
    std::printf("squares out: %.6f %.6f\n", out[0], out[1]);
    lit::check("squares", [](const V &v) {
      double o[2];
      squares(v.data(), v[2], o, 2);
      return 1.0 * o[0] + 2.0 * o[1];
    }, {1.5, -0.5, 3.0}, {dx[0], dx[1], da});
  }
  {
    double x[3] = {0.0, 0.5, -0.5}, out[3], dx[3] = {0, 0, 0};
    double dout[3] = {1.0, 1.0, 1.0};
    prefix_grad(x, out, 3, dx, dout);
    lit::check("prefix", [](const V &v) {
      double o[3];
      prefix(v.data(), o, 3);
      return o[0] + o[1] + o[2];
    }, {0.0, 0.5, -0.5}, {dx[0], dx[1], dx[2]});
  }
  {
    double r, dx = 0, dr = 1.0;
    deref_grad(0.5, &r, dx, &dr);
    lit::check("deref", [](const V &v) { double o; deref(v[0], &o); return o; }, {0.5}, {dx});
  }
}

// 2 x, and n = 0 leaves the adjoint alone
// OUT:      sumsq: 2.000000 -4.000000 1.000000
// OUT-NEXT: gradcheck sumsq: ok
// OUT-NEXT: sumsq n=0: 7.000000
// (w, x)
// OUT-NEXT: dot: 0.500000 -1.000000 2.000000 1.000000 2.000000 3.000000
// OUT-NEXT: gradcheck dot: ok
// a b c with a = x0 - x1/2 = 1.25, b = x1 - x2/2 = -0.5, c = x2 - x3/2 = 1.5:
// (bc, -bc/2 + ac, -ac/2 + ab, -ab/2)
// OUT-NEXT: chain: -0.750000 2.250000 -1.562500 0.312500
// OUT-NEXT: gradcheck chain: ok
// a (x0^2 + 2 x1^2): (2 a x0, 4 a x1, x0^2 + 2 x1^2)
// OUT-NEXT: squares out: 6.750000 0.750000
// OUT-NEXT: squares: 9.000000 -6.000000 2.750000
// OUT-NEXT: gradcheck squares: ok
// 3 x0 + 2 e^x1 + e^x2
// OUT-NEXT: prefix: 3.000000 3.297443 0.606531
// OUT-NEXT: gradcheck prefix: ok
// OUT-NEXT: deref: 0.918217
// OUT-NEXT: gradcheck deref: ok
