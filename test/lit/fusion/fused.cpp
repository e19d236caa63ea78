// Loop fusion: the function's last loop, which only sums into locals that
// the return adds or subtracts, runs each iteration's reverse right after the
// iteration. The accumulators' adjoints are the seed (negated for a
// subtracted term) before the loop; the iteration keeps no tape of its own
// (inner loops still tape, and pop within the iteration); the reverse sweep
// does not run the loop again. Gradients against hand-derived values and
// central differences, with zero and odd trip counts.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT --implicit-check-not=FAILED
// adjoint-gen fuses the same way, and --no-fusion (like the plugin's
// -fplugin-arg-adjoint-no-fusion) tapes the loop instead.
// RUN: %adjoint_gen %s -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs | FileCheck %s --check-prefix=GEN
// RUN: %adjoint_gen --no-fusion %s -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs | FileCheck %s --check-prefix=NOFUSE
// GEN-LABEL:    {{^}}double huber_vjp(
// GEN:            _d_s = _seed;
// GEN-NEXT:       while (i < n) {
// NOFUSE-LABEL: {{^}}double huber_vjp(
// NOFUSE-NOT:     _d_s = _seed;
// NOFUSE:         for (; _n0; --_n0) {
#include "check.h"
#include <cmath>

// Branches and an overwritten local: nothing on the tape.
ADJOINT_GRAD(r, delta) double huber(const double *r, double delta, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i) {
    double a = r[i];
    if (a < 0.0)
      a = -a;
    if (a <= delta)
      s += 0.5 * a * a;
    else
      s += delta * (a - 0.5 * delta);
  }
  return s;
}
// CHECK-LABEL: double huber_vjp(const double * __restrict r, double delta, int n, double _seed, double *_d_r, double &_d_delta) {
// CHECK-NOT:    _tape
// CHECK:        i = 0;
// CHECK-NEXT:   _d_s = _seed;
// CHECK-NEXT:   while (i < n) {
// CHECK-NEXT:     a = r[i];
// CHECK:            s += delta * (a - 0.5 * delta);
// CHECK-NEXT:     }
// CHECK-NEXT:     if (_c1) {
// CHECK:          _d_r[i] += _r0;
// CHECK-NEXT:     ++i;
// CHECK-NEXT:   }
// CHECK-NEXT:   _d_s = 0;
// CHECK-NEXT:   double _ret0 = s;
// CHECK-NEXT:   _d_s += _seed;
// CHECK-NEXT:   return _ret0;
// CHECK-NEXT: }
// Split mode keeps the sweeps apart: its tape has the loop's count.
// CHECK-LABEL: struct huber_tape {
// CHECK:        unsigned long _n0;

// A subtracted accumulator, `s = s + e`, an inner loop whose overwritten
// value is taped and popped within the iteration, a second accumulator and a
// declaration between the loop and the return.
ADJOINT_GRAD(x, w)
double rows(const double *x, const double *w, int n, int d) {
  double c = 0.25 * w[0];
  double s = 0.0;
  double t = 0.0;
  for (int r = 0; r < n; ++r) {
    double y = 0.0;
    for (int j = 0; j < d; ++j) {
      double p = x[r * d + j] * w[j];
      y = std::sin(y) + p;
    }
    s = s + y * y;
    t -= std::exp(0.1 * y);
  }
  double m = 2.0 * c;
  return m - s + (t);
}
// CHECK-LABEL: double rows_vjp(
// CHECK:        r = 0;
// CHECK-NEXT:   _d_s = -_seed;
// CHECK-NEXT:   _d_t = _seed;
// CHECK-NEXT:   while (r < n) {
// CHECK:            _tape.push(y);
// CHECK:          s = s + y * y;
// CHECK:            y = _tape.pop<double>();
// CHECK:          ++r;
// CHECK-NEXT:   }
// CHECK-NEXT:   _d_s = 0;
// CHECK-NEXT:   _d_t = 0;
// CHECK-NEXT:   double m = 2.0 * c;

// A local vector built before the loop and read in it: its adjoint is sized
// once, before the loop, so what the iterations add reaches the code before
// the loop.
ADJOINT_GRAD(x, w) double weighted(const double *x, const double *w, int n) {
  std::vector<double> e(3);
  for (int j = 0; j < 3; ++j)
    e[j] = std::exp(w[j]);
  double s = 0.0;
  for (int i = 0; i < n; ++i)
    s += e[i % 3] * x[i] * x[i];
  return s;
}
// CHECK-LABEL: double weighted_vjp(
// CHECK:        _d_e = std::vector<double>(e.size());
// CHECK-NEXT:   i = 0;
// CHECK-NEXT:   _d_s = _seed;
// CHECK-NEXT:   while (i < n) {
// CHECK-NOT:    std::vector<double>(e.size())
// CHECK:        return _ret0;

// Not fused: the result is not a sum of the accumulator (log), the loop
// multiplies (its adjoint changes from one iteration to the next), it writes
// an output, or code before the loop reads the accumulator in its reverse.
ADJOINT_GRAD(x) double logsum(const double *x, int n) {
  double s = 1.0;
  for (int i = 0; i < n; ++i)
    s += x[i] * x[i];
  return std::log(s);
}
// CHECK-LABEL: double logsum_vjp(
// CHECK:        for (; _n0; --_n0) {
ADJOINT_GRAD(x) double product(const double *x, int n) {
  double s = 1.0;
  for (int i = 0; i < n; ++i)
    s *= x[i];
  return s;
}
// CHECK-LABEL: double product_vjp(
// CHECK:        for (; _n0; --_n0) {
ADJOINT_GRAD(x, out) double scaled(const double *x, double *out, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i) {
    out[i] = 2.0 * x[i];
    s += out[i] * x[i];
  }
  return s;
}
// CHECK-LABEL: double scaled_vjp(
// CHECK:        for (; _n0; --_n0) {
ADJOINT_GRAD(x) double readbefore(const double *x, int n) {
  double s = x[0] * x[0];
  double u = s * x[1];
  for (int i = 0; i < n; ++i)
    s += x[i];
  return s + u;
}
// CHECK-LABEL: double readbefore_vjp(
// CHECK:        for (; _n0; --_n0) {

// Not fused either: the init's double a carries from one iteration to the
// next (its adjoint flows back through the increment), and a counter stepped
// in the body (whose reverse would undo the step) with an accumulation in
// the increment (whose reverse would not run).
ADJOINT_GRAD(x) double doubling(double x) {
  double s = 0;
  for (double a = x; a < 10; a *= 2)
    s += a;
  return s;
}
// CHECK-LABEL: double doubling_vjp(
// CHECK:        for (; _n0; --_n0) {
ADJOINT_GRAD(x) double bodystep(const double *x, int n) {
  double s = 0;
  for (int i = 0; i < n; s += x[i] * x[i])
    ++i;
  return s;
}
// CHECK-LABEL: double bodystep_vjp(
// CHECK:        for (; _n0; --_n0) {

// A callee's pullback (not split: its state holds a std::vector) fuses with
// the seed it is called with.
inline double sumsq(const double *x, int n) {
  std::vector<double> w(2, 1.0);
  double s = 0.0;
  for (int i = 0; i < n; ++i)
    s += w[i % 2] * x[i] * x[i] * x[i];
  return s;
}
ADJOINT_GRAD(x) double caller(const double *x, int n) {
  return 3.0 * sumsq(x, n) + sumsq(x + 1, n - 1);
}

// Float accumulators.
ADJOINT_GRAD(x) float fsum(const float *x, int n) {
  float s = 0.0f;
  for (int i = 0; i < n; ++i)
    s += std::sin(x[i]) * x[i];
  return -s;
}
// CHECK-LABEL: float fsum_vjp(
// CHECK:        _d_s = -_seed;
// Pullbacks are generated after the annotated functions.
// CHECK-LABEL: void sumsq_pullback(
// CHECK:        _d_s = _d_return;
// CHECK-NEXT:   while (i < n) {

int main() {
  // Split mode is generated for the functions a file names.
  (void)&huber_forward;
  using V = std::vector<double>;
  V r = {0.3, -2.0, 1.5, -0.1, 0.7};
  for (int n : {5, 0, 3}) {
    V dr(5, 0.0);
    double dd = 0;
    huber_grad(r.data(), 1.0, n, dr.data(), dd);
    V g = dr, p = r;
    g.push_back(dd);
    p.push_back(1.0);
    lit::check(
        "huber", [n](const V &v) { return huber(v.data(), v[5], n); }, p, g);
  }
  V x = {0.3, -0.7, 1.1, 0.4, -0.2, 0.9, 0.5, -1.3, 0.8, 0.6, -0.4, 0.2};
  V w = {0.5, -0.3, 0.8, 1.2};
  for (int n : {3, 1, 0}) {
    V dx(12, 0.0), dw(4, 0.0);
    rows_grad(x.data(), w.data(), n, 4, dx.data(), dw.data());
    V p = x, g = dx;
    p.insert(p.end(), w.begin(), w.end());
    g.insert(g.end(), dw.begin(), dw.end());
    lit::check(
        "rows",
        [n](const V &v) { return rows(v.data(), v.data() + 12, n, 4); }, p, g);
  }
  for (int n : {5, 2, 0}) {
    V dx(5, 0.0), dw(3, 0.0), p = r, g;
    V wv = {0.2, -0.5, 0.1};
    weighted_grad(r.data(), wv.data(), n, dx.data(), dw.data());
    p.insert(p.end(), wv.begin(), wv.end());
    g = dx;
    g.insert(g.end(), dw.begin(), dw.end());
    lit::check(
        "weighted",
        [n](const V &v) { return weighted(v.data(), v.data() + 5, n); }, p, g);
  }
  {
    V dx(5, 0.0);
    logsum_grad(r.data(), 5, dx.data());
    lit::check(
        "logsum", [](const V &v) { return logsum(v.data(), 5); }, r, dx);
  }
  {
    V dx(5, 0.0);
    product_grad(r.data(), 5, dx.data());
    lit::check(
        "product", [](const V &v) { return product(v.data(), 5); }, r, dx);
  }
  {
    V dx(5, 0.0), out(5), dout(5, 0.0);
    scaled_grad(r.data(), out.data(), 5, dx.data(), dout.data());
    lit::check(
        "scaled",
        [](const V &v) {
          V o(5);
          return scaled(v.data(), o.data(), 5);
        },
        r, dx);
  }
  {
    V dx(5, 0.0);
    readbefore_grad(r.data(), 5, dx.data());
    lit::check(
        "readbefore", [](const V &v) { return readbefore(v.data(), 5); }, r,
        dx);
  }
  {
    V dx(1, 0.0);
    doubling_grad(1.5, dx[0]);
    lit::check(
        "doubling", [](const V &v) { return doubling(v[0]); }, {1.5}, dx);
  }
  {
    V dx(5, 0.0);
    bodystep_grad(r.data(), 4, dx.data());
    lit::check(
        "bodystep", [](const V &v) { return bodystep(v.data(), 4); }, r, dx);
  }
  {
    V dx(5, 0.0);
    caller_grad(r.data(), 4, dx.data());
    lit::check(
        "caller", [](const V &v) { return caller(v.data(), 4); }, r, dx);
  }
  {
    std::vector<float> xf = {0.3f, -0.7f, 1.1f};
    std::vector<float> dxf(3, 0.0f);
    fsum_grad(xf.data(), 3, dxf.data());
    lit::checkf(
        "fsum",
        [](const V &v) {
          std::vector<float> f(v.begin(), v.end());
          return double(fsum(f.data(), 3));
        },
        V(xf.begin(), xf.end()), V(dxf.begin(), dxf.end()));
  }
  // Calling twice accumulates, as always.
  V dx(5, 0.0);
  double dd = 0;
  huber_grad(r.data(), 1.0, 5, dx.data(), dd);
  huber_grad(r.data(), 1.0, 5, dx.data(), dd);
  std::printf("twice: %.6f %.6f\n", dx[1], dd);
}

// d/dr_i = clamp(r_i, -delta, delta); d/ddelta = sum over |r_i| > delta of
// |r_i| - delta.
// OUT:      huber: 0.300000 -1.000000 1.000000 -0.100000 0.700000 1.500000
// OUT-NEXT: gradcheck huber: ok
// OUT-NEXT: huber: 0.000000 0.000000 0.000000 0.000000 0.000000 0.000000
// OUT-NEXT: gradcheck huber: ok
// OUT-NEXT: huber: 0.300000 -1.000000 1.000000 0.000000 0.000000 1.500000
// OUT-NEXT: gradcheck huber: ok
// OUT:      gradcheck rows: ok
// OUT:      gradcheck rows: ok
// With no rows, only m = 0.5 w[0] depends on the inputs.
// OUT-NEXT: rows: 0.000000 0.000000 0.000000 0.000000 0.000000 0.000000 0.000000 0.000000 0.000000 0.000000 0.000000 0.000000 0.500000 0.000000 0.000000 0.000000
// OUT-NEXT: gradcheck rows: ok
// OUT-COUNT-3: gradcheck weighted: ok
// OUT:      gradcheck logsum: ok
// OUT:      gradcheck product: ok
// OUT:      gradcheck scaled: ok
// f = x0^2 + sum(x) + x0^2 x1: d/dx0 = 2 x0 + 1 + 2 x0 x1, d/dx1 = 1 + x0^2.
// OUT:      readbefore: 0.400000 1.090000 1.000000 1.000000 1.000000
// OUT-NEXT: gradcheck readbefore: ok
// s = x + 2x + 4x at x = 1.5 (8x >= 10).
// OUT:      doubling: 7.000000
// OUT-NEXT: gradcheck doubling: ok
// s = x1^2 + x2^2 + x3^2 + x4^2 (x[4] is read once i reaches n).
// OUT-NEXT: bodystep: 0.000000 -4.000000 3.000000 -0.200000 1.400000
// OUT-NEXT: gradcheck bodystep: ok
// d/dx_i = 9 x_i^2 (i < 4) + 3 x_i^2 (1 <= i < 4).
// OUT:      caller: 0.810000 48.000000 27.000000 0.120000 0.000000
// OUT-NEXT: gradcheck caller: ok
// OUT:      gradcheck fsum: ok
// OUT:      twice: -2.000000 3.000000
