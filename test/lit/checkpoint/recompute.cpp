// ADJOINT_CHECKPOINT: the forward sweep runs the loop without taping, pushing
// only a snapshot of the loop-carried values each iteration reads; each
// iteration of the reverse sweep restores its snapshot, recomputes the
// iteration with its ordinary saves, then runs its reverse. Gradients are
// compared with finite differences and hand-derived values.
// RUN: rm -rf %t && mkdir -p %t
// The code checked below is the taped code (-fplugin-arg-adjoint-no-fusion);
// the gradients are checked with and without loop fusion.
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-no-fusion -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -I%S/../scalar/Inputs %s -o %t/fused.out %adjoint_link
// RUN: %t/fused.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

// Loop-carried y, overwritten each iteration; t is local to the body.
ADJOINT_GRAD(x, a) double carried(const double *x, double a, int n) {
  double y = a;
  ADJOINT_CHECKPOINT;
  for (int i = 0; i < n; ++i) {
    double t = std::sin(y) * x[i];
    y = y * 0.5 + t * t;
  }
  return y;
}
// The forward loop pushes the snapshot (y) and nothing else; the reverse
// restores it, undoes ++i, recomputes the iteration (saving y in a local
// before overwriting it) and runs the iteration's reverse.
// CHECK-LABEL: double carried_vjp(const double * __restrict x, double a, int n, double _seed, double *_d_x, double &_d_a) {
// CHECK:        while (i < n) {
// CHECK-NEXT:     ++_n0;
// CHECK-NEXT:     _tape.push(y);
// CHECK-NEXT:     _t0 = std::sin(y);
// CHECK-NEXT:     t = _t0 * x[i];
// CHECK-NEXT:     y = y * 0.5 + t * t;
// CHECK-NEXT:     ++i;
// CHECK-NEXT:   }
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     y = _tape.pop<double>();
// CHECK-NEXT:     --i;
// CHECK-NEXT:     _t0 = std::sin(y);
// CHECK-NEXT:     t = _t0 * x[i];
// CHECK-NEXT:     _t1 = y;
// CHECK-NEXT:     y = y * 0.5 + t * t;
// CHECK-NEXT:     y = _t1;
// CHECK:          ::adjoint::derivatives::sin_pullback(y, _r0 * (x[i]), _r1);
// CHECK:        }
// CHECK-NEXT:   _d_a += _d_y;

ADJOINT_GRAD(x, a) double brkcont(const double *x, double a, int n) {
  double s = a;
  double p = 1.0;
  ADJOINT_CHECKPOINT;
  for (int i = 0; i < n; ++i) {
    if (x[i] * s > 2.0)
      break;
    if (x[i] < 0.0)
      continue;
    p = p * std::cos(s);
    s = s + x[i] * p;
  }
  return s + p;
}

// A checkpointed outer loop whose body runs an ordinary inner loop (taped
// during the recompute) and a checkpointed triangular one.
ADJOINT_GRAD(x, a) double nested(const double *x, double a, int n, int m) {
  double y = a;
  ADJOINT_CHECKPOINT;
  for (int i = 0; i < n; ++i) {
    double z = y;
    for (int j = 0; j < m; ++j)
      z = std::sin(z) * x[j];
    ADJOINT_CHECKPOINT;
    for (int j = 0; j <= i; ++j)
      y = y * 0.9 + z * x[j];
  }
  return y;
}
// The forward sweep tapes nothing inside the outer loop but its snapshot; the
// recompute tapes the ordinary inner loop and pushes the inner checkpointed
// loop's snapshots, which its reverse pops.
// CHECK-LABEL: double nested_vjp(
// CHECK:        while (i < n) {
// CHECK-NEXT:     ++_n0;
// CHECK-NEXT:     _tape.push(y);
// CHECK-NOT:      _tape
// CHECK:        double _ret0 = y;
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     y = _tape.pop<double>();
// CHECK-NEXT:     --i;
// CHECK:          while (j < m) {
// CHECK-NEXT:       _tape.push(z);
// CHECK:          while (j_1 <= i) {
// CHECK-NEXT:       ++_n2;
// CHECK-NEXT:       _tape.push(y);
// CHECK:          for (; _n2; --_n2) {
// CHECK-NEXT:       y = _tape.pop<double>();
// CHECK-NEXT:       --j_1;
// CHECK:          for (; _n1; --_n1) {

// A checkpointed loop inside an ordinary one: its snapshots go on the tape
// per outer iteration.
ADJOINT_GRAD(x) double inner(const double *x, int n) {
  double s = 0.25;
  for (int r = 0; r < 3; ++r) {
    double y = s;
    ADJOINT_CHECKPOINT;
    for (int i = 0; i < n; ++i)
      y = std::sin(y) + x[i] * y;
    s = s * 0.5 + y;
  }
  return s;
}

// A data-dependent trip count (Newton's iteration for sqrt(a)) and a
// do-while loop.
ADJOINT_GRAD(a) double newton(double a) {
  double x = 1.0;
  int k = 0;
  ADJOINT_CHECKPOINT;
  while (std::fabs(x * x - a) > 1e-14 && k < 50) {
    x = 0.5 * (x + a / x);
    ++k;
  }
  return x;
}

ADJOINT_GRAD(a) double dowhile(double a, int n) {
  double y = a;
  int k = 0;
  ADJOINT_CHECKPOINT;
  do {
    y = y * y * 0.5 + 0.25;
    ++k;
  } while (k < n);
  return y;
}

// Branches on active values; m and s are carried, v is local.
ADJOINT_GRAD(x) double branchy(const double *x, int n) {
  double m = 0.0;
  double s = 0.0;
  ADJOINT_CHECKPOINT;
  for (int i = 0; i < n; ++i) {
    double v = x[i] * x[i];
    if (v > m) {
      s = s * 0.5 + v * m;
      m = v;
    } else {
      s += std::sqrt(v + m);
    }
  }
  return s + m;
}

// A return from inside the checkpointed loop.
ADJOINT_GRAD(x, a) double early(const double *x, double a, int n) {
  double y = a;
  ADJOINT_CHECKPOINT;
  for (int i = 0; i < n; ++i) {
    y = std::tanh(y + x[i]);
    if (y > 0.6)
      return y * x[i];
  }
  return y;
}

// A switch in the body.
ADJOINT_GRAD(x) double switched(const double *x, int n) {
  double y = 1.0;
  ADJOINT_CHECKPOINT;
  for (int i = 0; i < n; ++i) {
    switch (i % 3) {
    case 0:
      y = y * x[i];
      break;
    case 1:
      y = std::exp(y * 0.5);
    default:
      y += x[i];
    }
  }
  return y;
}

// Outputs: out[i] is written once, out[n] accumulates in every iteration.
// The recompute leaves both stores out, so the caller sees each update
// once.
ADJOINT_GRAD(x, out) void outs(const double *x, double *out, int n) {
  double acc = 0.0;
  ADJOINT_CHECKPOINT;
  for (int i = 0; i < n; ++i) {
    double v = x[i] * x[i];
    acc += v;
    out[i] = acc * v;
    out[n] += v * 0.5;
  }
}
// CHECK-LABEL: void outs_grad(
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     acc = _tape.pop<double>();
// CHECK-NEXT:     --i;
// CHECK-NEXT:     v = x[i] * x[i];
// CHECK-NEXT:     acc += v;
// CHECK-NEXT:     double _r3 = _d_out[n];

// In a function that is not differentiated the marker does nothing.
double plain(const double *x, int n) {
  double s = 0;
  ADJOINT_CHECKPOINT;
  for (int i = 0; i < n; ++i)
    s += x[i];
  return s;
}

int main() {
  using V = std::vector<double>;
  V x = {0.5, -0.3, 0.8, 1.1, -0.7};
  auto Arr = [](const V &v) { return v.data(); };
  for (int n : {5, 0, 3}) {
    V dx(5, 0.0);
    double da = 0;
    carried_grad(x.data(), 0.7, n, dx.data(), da);
    V g = dx;
    g.push_back(da);
    V p = x;
    p.push_back(0.7);
    lit::check(
        "carried", [&](const V &v) { return carried(Arr(v), v[5], n); }, p, g);
  }
  {
    V dx(5, 0.0);
    double da = 0;
    brkcont_grad(x.data(), 0.9, 5, dx.data(), da);
    V g = dx, p = x;
    g.push_back(da);
    p.push_back(0.9);
    lit::check(
        "brkcont", [&](const V &v) { return brkcont(Arr(v), v[5], 5); }, p, g);
  }
  {
    // Breaks at i = 2 (0.8 * s > 2).
    V xb = {0.5, 0.3, 0.8, 1.1, -0.7}, dx(5, 0.0);
    double da = 0;
    brkcont_grad(xb.data(), 2.5, 5, dx.data(), da);
    V g = dx, p = xb;
    g.push_back(da);
    p.push_back(2.5);
    lit::check(
        "brkcont-break", [&](const V &v) { return brkcont(Arr(v), v[5], 5); },
        p, g);
  }
  for (int n : {3, 0}) {
    V dx(5, 0.0);
    double da = 0;
    nested_grad(x.data(), 0.4, n, 3, dx.data(), da);
    V g = dx, p = x;
    g.push_back(da);
    p.push_back(0.4);
    lit::check(
        "nested", [&](const V &v) { return nested(Arr(v), v[5], n, 3); }, p, g);
  }
  {
    V dx(5, 0.0);
    inner_grad(x.data(), 5, dx.data());
    lit::check(
        "inner", [&](const V &v) { return inner(Arr(v), 5); }, x, dx);
  }
  {
    // d sqrt(a) / da = 1 / (2 sqrt(a)) = 0.25 at a = 4.
    double da = 0;
    newton_grad(4.0, da);
    lit::check("newton", [](const V &v) { return newton(v[0]); }, {4.0}, {da});
  }
  for (int n : {1, 4}) {
    double da = 0;
    dowhile_grad(0.6, n, da);
    lit::check("dowhile", [n](const V &v) { return dowhile(v[0], n); }, {0.6},
               {da});
  }
  {
    V dx(5, 0.0);
    branchy_grad(x.data(), 5, dx.data());
    lit::check(
        "branchy", [&](const V &v) { return branchy(Arr(v), 5); }, x, dx);
  }
  for (double a : {0.1, 0.9}) {
    V dx(5, 0.0);
    double da = 0;
    early_grad(x.data(), a, 5, dx.data(), da);
    V g = dx, p = x;
    g.push_back(da);
    p.push_back(a);
    lit::check(
        "early", [&](const V &v) { return early(Arr(v), v[5], 5); }, p, g);
  }
  {
    V dx(5, 0.0);
    switched_grad(x.data(), 5, dx.data());
    lit::check(
        "switched", [&](const V &v) { return switched(Arr(v), 5); }, x, dx);
  }
  {
    // Loss sum_k w[k] out[k]: d/dx[i] through out[i] = acc_i * x[i]^2 and
    // out[3] = 0.5 * sum x^2.
    int n = 3;
    V w = {1.0, -2.0, 0.5, 3.0}, dx(5, 0.0), out(4, 0.0), dout = w;
    outs_grad(x.data(), out.data(), n, dx.data(), dout.data());
    V ref(4, 0.0);
    outs(x.data(), ref.data(), n);
    bool Same = out == ref;
    std::printf("outs results %s: %.6f %.6f %.6f %.6f\n",
                Same ? "match" : "DIFFER", out[0], out[1], out[2], out[3]);
    auto Loss = [&](const V &v) {
      V o(4, 0.0);
      outs(Arr(v), o.data(), n);
      double L = 0;
      for (int k = 0; k < 4; ++k)
        L += w[k] * o[k];
      return L;
    };
    lit::check("outs", Loss, x, dx);
  }
  std::printf("plain: %.6f\n", plain(x.data(), 5));
}

// carried, n = 5, 0 (the gradient of a is 1, of x 0), 3.
// OUT:      carried:
// OUT-NEXT: gradcheck carried: ok
// OUT-NEXT: carried: 0.000000 0.000000 0.000000 0.000000 0.000000 1.000000
// OUT-NEXT: gradcheck carried: ok
// OUT-NEXT: carried:
// OUT-NEXT: gradcheck carried: ok
// OUT-NEXT: brkcont:
// OUT-NEXT: gradcheck brkcont: ok
// OUT-NEXT: brkcont-break:
// OUT-NEXT: gradcheck brkcont-break: ok
// OUT-NEXT: nested:
// OUT-NEXT: gradcheck nested: ok
// OUT-NEXT: nested: 0.000000 0.000000 0.000000 0.000000 0.000000 1.000000
// OUT-NEXT: gradcheck nested: ok
// OUT-NEXT: inner:
// OUT-NEXT: gradcheck inner: ok
// OUT-NEXT: newton: 0.250000
// OUT-NEXT: gradcheck newton: ok
// y = a^2 / 2 + 1/4 once: dy/da = a = 0.6.
// OUT-NEXT: dowhile: 0.600000
// OUT-NEXT: gradcheck dowhile: ok
// OUT-NEXT: dowhile:
// OUT-NEXT: gradcheck dowhile: ok
// OUT-NEXT: branchy:
// OUT-NEXT: gradcheck branchy: ok
// OUT-NEXT: early:
// OUT-NEXT: gradcheck early: ok
// OUT-NEXT: early:
// OUT-NEXT: gradcheck early: ok
// OUT-NEXT: switched:
// OUT-NEXT: gradcheck switched: ok
// out = (acc_i * x_i^2) for acc = 0.25, 0.34, 0.98, and 0.98 / 2.
// OUT-NEXT: outs results match: 0.062500 0.030600 0.627200 0.490000
// OUT-NEXT: outs:
// OUT-NEXT: gradcheck outs: ok
// OUT-NEXT: plain: 1.400000
