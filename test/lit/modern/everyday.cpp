// Everyday constructs inside a differentiated function: assert and
// static_assert, an explicit specialization of a function template as a
// callee, an integer std::vector of indices, auto, std::min/std::max/
// std::clamp, and float math functions.
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
#include <algorithm>
#include <cassert>
#include <cmath>
#include <vector>

template <class T> T cube(T v) { return v * v * v; }
template <> double cube<double>(double v) { return v * v * v + 0.5 * v; }

ADJOINT_GRAD(x) double everyday(const double *x, int n) {
  assert(n > 0 && "needs one element");
  static_assert(sizeof(double) == 8, "IEEE double");
  std::vector<int> order(n);
  for (int i = 0; i < n; ++i)
    order[i] = n - 1 - i;
  double s = 0, t = 1;
  for (int i = 0; i < n; ++i) {
    auto v = x[order[i]];
    s += std::max(v, 0.1) * std::min(std::sqrt(v + 1.0), 2.0) + cube(v);
    t = std::clamp(t * v, -1.0, 1.0);
    float f = static_cast<float>(v);
    s += expf(0.5f * f) + sinf(f) * tanhf(f);
  }
  return s + t;
}
// CHECK-LABEL: double everyday_vjp(
// CHECK:         ? void(0) :
// CHECK: template <class T> void cube_pullback(T v, T _d_return, T &_d_v) = delete;
// CHECK: template <> inline void cube_pullback<double>(double v, double _d_return, double &_d_v) {

int main() {
  std::vector<double> x = {0.5, 0.7, 0.2}, g(3, 0.0);
  everyday_grad(x.data(), 3, g.data());
  lit::checkf("everyday",
              [](const std::vector<double> &p) { return everyday(p.data(), 3); },
              x, g);
}
// OUT: gradcheck everyday: ok
