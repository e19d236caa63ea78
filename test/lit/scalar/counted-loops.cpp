// Counted loops, `for (int i = a; i < b; ++i)` whose counter and bounds do
// not change while they run: the reverse sweep computes each trip count and
// counter from the header instead of taping them, also for inner loops whose
// bounds are outer counters. Loops whose bound or counter changes, or that
// can break, keep the taped count.
// RUN: rm -rf %t && mkdir -p %t
// The code checked below is the taped code (-fplugin-arg-adjoint-no-fusion);
// the gradients are checked with and without loop fusion.
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-no-fusion -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT --implicit-check-not=FAILED
// RUN: %adjoint_cxx -I%S/Inputs %s -o %t/fused.out %adjoint_link
// RUN: %t/fused.out | FileCheck %s --check-prefix=OUT --implicit-check-not=FAILED
#include "check.h"
#include <cmath>
#include <vector>

// A triangle: the inner bound is the outer counter, the inner start an
// expression of it.
ADJOINT_GRAD(x) double triangle(const double *x, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i)
    for (int j = i + 1; j < n; ++j)
      s += std::sin(x[i] * x[j]);
  return s;
}
// CHECK-LABEL: double triangle_vjp(const double * __restrict x, int n, double _seed, double *_d_x) {
// CHECK-NOT:    _tape.push
// CHECK:        _d_s += _seed;
// CHECK-NEXT:   i = 0;
// CHECK-NEXT:   _n0 = i < n ? static_cast<unsigned long>(n - i) : 0;
// CHECK-NEXT:   i += static_cast<int>(_n0);
// CHECK-NEXT:   for (; _n0; --_n0) {
// CHECK-NEXT:     --i;
// CHECK-NEXT:     j = i + 1;
// CHECK-NEXT:     _n1 = j < n ? static_cast<unsigned long>(n - j) : 0;
// CHECK-NEXT:     j += static_cast<int>(_n1);
// CHECK-NEXT:     for (; _n1; --_n1) {
// CHECK-NEXT:       --j;
// CHECK-LABEL: triangle_forward

// Counting down, with an inclusive bound, from a top-level local.
ADJOINT_GRAD(x) double down(const double *x, int n) {
  int last = n - 1;
  double p = 1.0;
  for (int i = last; i >= 0; --i)
    p = p * x[i] + 1.0;
  return p;
}
// CHECK-LABEL: double down_vjp(const double * __restrict x, int n, double _seed, double *_d_x) {
// CHECK:        _d_p += _seed;
// CHECK-NEXT:   i = last;
// CHECK-NEXT:   _n0 = i >= 0 ? static_cast<unsigned long>(i - 0 + 1) : 0;
// CHECK-NEXT:   i -= static_cast<int>(_n0);
// CHECK-NEXT:   for (; _n0; --_n0) {
// CHECK-NEXT:     ++i;

// An unsigned counter up to the size of a vector parameter, inclusive bound
// in an inner loop.
ADJOINT_GRAD(v) double sizes(const std::vector<double> &v) {
  double s = 0.0;
  for (size_t i = 0; i < v.size(); ++i)
    for (size_t j = 1; j <= i; ++j)
      s += v[i] * v[j - 1] / (double)j;
  return s;
}
// CHECK-LABEL: double sizes_vjp(const std::vector<double> & v, double _seed, std::vector<double> &_d_v) {
// CHECK-NOT:    _tape.push
// CHECK:        _n1 = j <= i ? static_cast<unsigned long>(i - j + 1) : 0;

// Not counted: the bound changes in the body, the loop can break, or the
// bound is a local of the enclosing loop's body. Their counts are taped.
ADJOINT_GRAD(x) double uncounted(const double *x, int n) {
  double s = 0.0;
  int m = n;
  for (int i = 0; i < m; ++i) {
    s = s * x[i] + 1.0;
    if (s > 100.0)
      m = i; // stops after this iteration
  }
  for (int i = 0; i < n; ++i) {
    if (x[i] > 5.0)
      break;
    s = s * x[i];
  }
  for (int i = 0; i < n; ++i) {
    int k = i / 2;
    for (int j = 0; j < k; ++j)
      s = s * x[j];
  }
  return s;
}
// CHECK-LABEL: double uncounted_vjp(const double * __restrict x, int n, double _seed, double *_d_x) {
// CHECK:        while (i < m) {
// CHECK-NEXT:     ++_n0;
// CHECK:        while (i_1 < n) {
// CHECK-NEXT:     ++_n1;
// CHECK:          while (j < k) {
// CHECK-NEXT:       ++_n3;
// CHECK:          _tape.push(_n3);

int main() {
  // Split mode is generated for the functions a file names.
  (void)&triangle_forward;
  using V = std::vector<double>;
  for (int n : {5, 1, 0, -3}) {
    V x = {0.3, -0.7, 1.1, 0.4, -0.2};
    V dx(5, 0.0);
    triangle_grad(x.data(), n, dx.data());
    lit::check("triangle", [n](const V &p) { return triangle(p.data(), n); }, x, dx);
  }
  // OUT-COUNT-4: gradcheck triangle: ok
  {
    // p = ((x2 + 1) x1 + 1) x0 + 1: dp/dx0 = x1 (x2 + 1) + 1.
    V x = {0.5, 2.0, 3.0}, dx(3, 0.0);
    down_grad(x.data(), 3, dx.data());
    lit::check("down", [](const V &p) { return down(p.data(), 3); }, x, dx);
  }
  // OUT: down: 9.000000 2.000000 1.000000
  // OUT: gradcheck down: ok
  for (int n : {0, -1}) {
    V x = {0.5}, dx(1, 0.0);
    down_grad(x.data(), n, dx.data());
    lit::check("down empty", [n](const V &p) { return down(p.data(), n); }, x, dx);
  }
  // OUT-COUNT-2: down empty: 0.000000
  for (size_t n : {4, 1, 0}) {
    V v = {1.5, -0.5, 2.0, 0.25}, dv(4, 0.0);
    v.resize(n);
    dv.resize(n);
    sizes_grad(v, dv);
    lit::check("sizes", [](const V &p) { return sizes(p); }, v, dv);
  }
  // OUT-COUNT-3: gradcheck sizes: ok
  for (int n : {6, 3, 0}) {
    V x = {1.5, 3.0, 4.0, 2.5, 6.0, 1.2}, dx(6, 0.0);
    uncounted_grad(x.data(), n, dx.data());
    lit::check("uncounted", [n](const V &p) { return uncounted(p.data(), n); }, x, dx);
  }
  // OUT-COUNT-3: gradcheck uncounted: ok
}
