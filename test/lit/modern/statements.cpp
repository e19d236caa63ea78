// `if` and `switch` with initializers (C++17), and calls of functions in
// unnamed namespaces (whose pullbacks are named through the enclosing
// namespace: `::ns::h_pullback`, not `::ns::(anonymous namespace)::...`).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: %gxx -I%S/../scalar/Inputs %t/gen.cpp -o %t/gxx.out %adjoint_link
// RUN: %t/gxx.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>
#include <vector>

namespace {
double g(double v) { return v * std::sin(v); }
} // namespace
namespace ns {
namespace {
double h(double v) { return v * v; }
} // namespace
} // namespace ns

ADJOINT_GRAD(x) double initializers(const double *x, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i) {
    if (double t = x[i] * x[i]; t > 0.3)
      s += std::sin(t);
    else
      s -= t;
    switch (int k = i % 3; k) {
    case 0:
      s += x[i];
      break;
    default:
      s *= 1.1;
      break;
    }
  }
  if (const double &y = x[0]; y > 0)
    s *= y;
  return s + g(x[1]) + ns::h(x[2]);
}
// CHECK-LABEL: double initializers_vjp(
// CHECK:         ::g_pullback_reverse(_rec0,
// CHECK:         ::ns::h_pullback(x[2],

int main() {
  std::vector<double> x = {0.5, 0.7, 0.2}, g(3, 0.0);
  initializers_grad(x.data(), 3, g.data());
  lit::check("initializers",
             [](const std::vector<double> &p) { return initializers(p.data(), 3); },
             x, g);
}
// OUT: gradcheck initializers: ok
