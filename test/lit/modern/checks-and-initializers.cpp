// Everyday code around the math (found in public code, session 8): argument
// checks that throw, asserts that call const member functions, scalars with
// braced initializers, and a function object built by its default
// constructor, std::swap of two reals. The checks run as written in the forward sweep; the braced
// scalars are initialized from their one element; `Dist g;` stays a
// declaration of an object (not `Dist g();`, a function).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cassert>
#include <cmath>
#include <stdexcept>
#include <utility>
#include <vector>

class Dist {
public:
  Dist(double m = 0.0, double s = 1.0) : mu(m), sigma(s) {}
  double operator()(double x) const {
    return std::exp(-(x - mu) * (x - mu) / (2 * sigma * sigma));
  }

private:
  double mu, sigma;
};

ADJOINT_GRAD(u)
double weighted(const std::vector<double> &u, const std::vector<double> &v) {
  if (u.size() != v.size())
    throw std::invalid_argument("weighted: size mismatch");
  assert(u.size() == v.size() && !u.empty());
  double s{0.0};
  double scale{v[0] * 2};
  Dist g;
  for (size_t i = 0; i < u.size(); i++)
    s += g(u[i]) * v[i] * scale;
  return s;
}
// CHECK-LABEL: double weighted_vjp(
// CHECK:         if (u.size() != v.size())
// CHECK-NEXT:      throw std::invalid_argument("weighted: size mismatch");
// CHECK:         __assert_fail("u.size() == v.size() && !u.empty()"
// CHECK:         double s = 0.0;
// CHECK-NEXT:    double scale = v[0] * 2;
// CHECK-NEXT:    Dist g;

// Ordering two bounds: std::swap's adjoints swap too.
ADJOINT_GRAD(a, b) double ordered(double a, double b) {
  if (a > b)
    std::swap(a, b);
  return a * b * b;
}
// CHECK-LABEL: double ordered_vjp(
// CHECK:         ::adjoint::derivatives::swap_pullback(a, b, _d_a_local, _d_b_local);

int main() {
  std::vector<double> u = {0.3, -0.7, 1.1}, v = {0.5, 2.0, -1.0}, du(3, 0.0);
  weighted_grad(u, v, du);
  auto f = [&](const std::vector<double> &p) { return weighted(p, v); };
  bool ok = lit::check("weighted", f, u, du);
  // OUT: gradcheck weighted: ok
  std::vector<double> shorter = {1.0};
  try {
    weighted_grad(u, shorter, du);
    std::printf("no error\n");
  } catch (const std::invalid_argument &E) {
    std::printf("%s\n", E.what());
  }
  // OUT: weighted: size mismatch
  double da = 0, db = 0;
  ordered_grad(3.0, 1.0, da, db);
  std::printf("ordered: %g %g\n", da, db);
  // OUT: ordered: 6 9
  return ok ? 0 : 1;
}
