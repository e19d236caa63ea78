// std::max_element and std::min_element over doubles (a std::vector's
// iterators, a pointer range, a C array, with a comparator lambda), their
// result dereferenced in differentiated code: the derivative goes to the
// element they select, found again in the reverse sweep on the same values
// (`const auto _k0 = std::max_element(v.begin(), v.end()) - (v.begin());`,
// `(_d_v.data())[_k0] += _d_m;`).
// These were errors before session 10 ('cannot differentiate this
// dereference').
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: %gxx -I%S/../scalar/Inputs %t/gen.cpp -o %t/gxx.out %adjoint_link
// RUN: %t/gxx.out | FileCheck %s --check-prefix=OUT
// RUN: not %adjoint_cxx -I%S/../scalar/Inputs -DERRORS -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR --implicit-check-not="error:"
#include "check.h"
#include <algorithm>
#include <cmath>
#include <vector>

// The largest of a local std::vector, in a softmax-like normalization.
ADJOINT_GRAD(x) double peak(const double *x, int n) {
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i)
    v[i] = std::sin(x[i]) * x[i];
  double m = *std::max_element(v.begin(), v.end());
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += std::exp(v[i] - m);
  return m + std::log(s);
}
// CHECK-LABEL: double peak_vjp(
// CHECK:         const auto _k0 = std::max_element(v.begin(), v.end()) - (v.begin());
// CHECK-NEXT:    (_d_v.data())[_k0] += _d_m;

// Over a pointer range and a C array, min and max, with a comparator.
ADJOINT_GRAD(x) double spread(const double *x, int n) {
  double a[3] = {x[0] * x[1], x[1] + x[2], x[2] * x[2]};
  double lo = *std::min_element(x, x + n);
  double big = *std::max_element(a, a + 3, [](double p, double q) {
    return std::fabs(p) < std::fabs(q);
  });
  return (*std::max_element(x + 1, x + n) - lo) * big;
}
// CHECK-LABEL: double spread_vjp(
// CHECK:         const auto _k2 = std::max_element(x + 1, x + n) - (x + 1);
// CHECK-NEXT:    (_d_x + 1)[_k2] += _r3;
// CHECK:         }) - a;
// CHECK-NEXT:    _d_a[_k1] += _d_big;
// CHECK-NEXT:    const auto _k0 = std::min_element(x, x + n) - x;
// CHECK-NEXT:    _d_x[_k0] += _d_lo;

#ifdef ERRORS
ADJOINT_GRAD(x) double iterator(const double *x, int n) {
  const double *it = std::max_element(x, x + n);
  return *it * 2;
}
// ERR: min-max-element.cpp:[[@LINE-3]]:{{[0-9]+}}: error: adjoint: cannot differentiate a local pointer 'it' that does not point into a parameter or local array in 'iterator': initialize it as '&x[k]' or 'x + k'
ADJOINT_GRAD(x) double capturing(const double *x, int n) {
  double w = x[0];
  return *std::max_element(x, x + n, [&](double p, double q) { return p * w < q * w; });
}
// ERR: min-max-element.cpp:[[@LINE-2]]:{{[0-9]+}}: error: adjoint: cannot differentiate 'std::max_element' with a comparator that is not a lambda without captures in 'capturing': pass '[](double a, double b) { return ...; }'
#else
int main() {
  std::vector<double> x = {0.4, -1.2, 0.9, 2.1, 0.3}, g(5, 0.0);
  peak_grad(x.data(), 5, g.data());
  lit::check("peak", [](const std::vector<double> &p) { return peak(p.data(), 5); }, x, g);
  std::fill(g.begin(), g.end(), 0.0);
  spread_grad(x.data(), 5, g.data());
  lit::check("spread", [](const std::vector<double> &p) { return spread(p.data(), 5); }, x,
             g);
}
// OUT: gradcheck peak: ok
// OUT: gradcheck spread: ok
#endif
