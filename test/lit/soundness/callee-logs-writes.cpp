// A callee that reads and rewrites a buffer whose extent the caller cannot
// know (a pointer parameter passed on: ADBench's bundle adjustment calls
// radial_distort(&cam[9], proj) inside project(cam, X, proj)). The caller's
// reverse sweep needs the buffer's contents from before the call, so the
// forward sweep runs the callee's logged variant, which saves each element
// in an adjoint::WriteLog before writing it; the reverse sweep puts them back
// before the callee's pullback (which replays the call) and again after it.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: FileCheck %s --check-prefix=FILL < %t/dump.txt
// RUN: FileCheck %s --check-prefix=LOG < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <vector>

template <class T> T sqsum(int n, const T *x) {
  T res = 0;
  for (int i = 0; i < n; i++)
    res = res + x[i] * x[i];
  return res;
}

template <class T> void radial_distort(const T *rad, T *proj) {
  T rsq, L;
  rsq = sqsum(2, proj);
  L = 1. + rad[0] * rsq + rad[1] * rsq * rsq;
  proj[0] = proj[0] * L;
  proj[1] = proj[1] * L;
}
// CHECK-LABEL: // radial_distort_logged, from radial_distort
// CHECK:       template <class T>
// CHECK-NEXT:  void radial_distort_logged(const T * rad, T * proj, ::adjoint::WriteLog &_log) = delete;
// CHECK-NEXT:  template <> inline void radial_distort_logged<double>(const double * rad, double * proj, ::adjoint::WriteLog &_log) {
// CHECK-NEXT:    using T = double;
// CHECK:         rsq = sqsum(2, proj);
// CHECK:         _log.save(proj[0]), proj[0] = proj[0] * L;
// CHECK-NEXT:    _log.save(proj[1]), proj[1] = proj[1] * L;

template <class T> void project(const T *cam, const T *X, T *proj) {
  proj[0] = X[0] / X[2] + cam[0];
  proj[1] = X[1] / X[2] * cam[1];
  radial_distort(&cam[9], proj);
}
// CHECK-LABEL: void project_pullback<double>(
// CHECK:         ::adjoint::WriteLog _log;
// CHECK:         _log.open();
// CHECK-NEXT:    ::radial_distort_logged<double>(&cam[9], proj, _log);
// CHECK-NEXT:    _log.restore();
// CHECK-NEXT:    ::radial_distort_pullback<double>(&cam[9], proj, &_d_cam[9], _d_proj);
// CHECK-NEXT:    _log.close();

ADJOINT_GRAD(cam, X)
double reprojection(const double *cam, const double *X) {
  double proj[2];
  project(cam, X, proj);
  return proj[0] * proj[0] + 3 * proj[1];
}

// Writes of unknown extent (a loop to n), through a pointer that moves and
// through a reference; passed on twice.
void normalize(double *p, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += p[i] * p[i];
  for (int i = 0; i < n; ++i)
    p[i] /= s;
}
void shift(double *p, int n, double *pair, double &last) {
  for (int i = 0; i < n; ++i) {
    *p += pair[0] * last;
    p++;
  }
  pair[1] = pair[0] * pair[1];
  last = last * pair[1];
}
void transform(double *out, int n, double *pair, double &last) {
  normalize(out, n);
  shift(out, n, pair, last);
}
// FILL-LABEL: // shift_logged, from shift
// FILL:         _log.save(*p), *p += pair[0] * last;
// FILL-NEXT:    p++;
// FILL:         _log.save(pair[1]), pair[1] = pair[0] * pair[1];
// FILL-NEXT:    _log.save(last), last = last * pair[1];
// FILL-LABEL: // transform_logged, from transform
// FILL:         normalize_logged(out, n, _log);
// FILL-NEXT:    shift_logged(out, n, pair, last, _log);

void fill(const double *x, int n, double *out, double *pair, double &last) {
  for (int i = 0; i < n; ++i)
    out[i] = x[i] * x[i] + 1;
  pair[0] = x[0];
  pair[1] = x[1];
  last = x[n - 1];
  transform(out, n, pair, last);
}

ADJOINT_GRAD(x) double filled(const double *x, int n) {
  std::vector<double> buf(n);
  double pair[2];
  double last;
  double total = 0;
  // Called in a loop: one frame of the log per call.
  for (int k = 1; k < 3; ++k) {
    fill(x, n, buf.data(), pair, last);
    for (int i = 0; i < n; ++i)
      total += k * buf[i] * x[i];
    total += pair[1] * last;
  }
  return total;
}
// FILL-LABEL: void fill_pullback(
// FILL:         _log.open();
// FILL-NEXT:    ::transform_logged(out, n, pair, last, _log);
// FILL-NEXT:    _log.restore();
// FILL:          ::transform_pullback(out, n, pair, last, _d_out, _d_pair, _d_last);
// FILL-NEXT:    _log.close();

// The write passes a class temporary to a call (`Floor{}`), destroyed at
// the end of the statement: still a statement-level write, logged (it was
// "a write inside a larger expression" before).
struct Floor {
  double eps = 1e-9;
};
inline double atLeast(double v, const Floor &f) { return v < f.eps ? f.eps : v; }
inline void recurrence(const double *x, int n, double *out) {
  out[0] = x[0];
  for (int i = 1; i < n; ++i)
    out[i] = atLeast(x[0] + x[1] * out[i - 1], Floor{});
}
ADJOINT_GRAD(x, out) void path(const double *x, int n, double *out) {
  recurrence(x, n, out);
}
// LOG-LABEL: void recurrence_logged(
// LOG:          _log.save(out[i]), out[i] = atLeast(x[0] + x[1] * out[i - 1], Floor{});

// A local pointer into the parameter's memory (`double *q = p + 1;`) is
// followed like the parameter: its writes are logged too (the callee was
// "a local pointer to a parameter's memory", refused, before).
inline void squaredTail(double *p, int n) {
  double *q = p + 1;
  for (int i = 0; i + 1 < n; ++i)
    q[i] = 2 * q[i] * q[i];
}
inline void fillTail(const double *x, double *out, int n) {
  for (int i = 0; i < n; ++i)
    out[i] = x[i] * x[i];
  squaredTail(out, n);
}
ADJOINT_GRAD(x) double tail(const double *x, int n) {
  double buf[8];
  fillTail(x, buf, n);
  return buf[0] + buf[1] * buf[2];
}
// LOG-LABEL: void squaredTail_logged(
// LOG:          _log.save(q[i]), q[i] = 2 * q[i] * q[i];

int main() {
  bool ok = true;
  for (int k = 0; k < 3; ++k) {
    std::vector<double> p = {0.5, 0.8}, dp(2, 0.0), o(3), seed(3, 0.0);
    seed[k] = 1;
    path_grad(p.data(), 3, o.data(), dp.data(), seed.data());
    ok &= lit::check("path", [k](const std::vector<double> &q) {
      std::vector<double> r(3);
      path(q.data(), 3, r.data());
      return r[k];
    }, p, dp);
  }
  // OUT: gradcheck path: ok
  // OUT: gradcheck path: ok
  // OUT: gradcheck path: ok
  std::vector<double> camX = {0.1, 0.7, 0, 0, 0, 0, 0, 0, 0, 0.3, -0.2,
                              0.5, -0.4, 2.0};
  auto reproj = [](const std::vector<double> &p) {
    return reprojection(p.data(), p.data() + 11);
  };
  std::vector<double> g(14, 0.0);
  reprojection_grad(camX.data(), camX.data() + 11, g.data(), g.data() + 11);
  ok &= lit::check("reprojection", reproj, camX, g);
  // OUT: gradcheck reprojection: ok

  std::vector<double> x = {0.3, -0.7, 1.1, 0.5};
  auto f = [](const std::vector<double> &p) { return filled(p.data(), 4); };
  std::vector<double> dx(4, 0.0);
  filled_grad(x.data(), 4, dx.data());
  ok &= lit::check("filled", f, x, dx);
  // OUT: gradcheck filled: ok

  std::vector<double> dt(4, 0.0);
  tail_grad(x.data(), 3, dt.data());
  ok &= lit::check("tail",
                   [](const std::vector<double> &p) { return tail(p.data(), 3); },
                   x, dt);
  // OUT: gradcheck tail: ok
  return ok ? 0 : 1;
}
