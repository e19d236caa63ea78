// Generated code that did not compile: a constructor-initialized local in a
// callee's pullback (`std::vector<size_t> r(n)` became `r = r(n)`), and an
// output parameter named like its function (the vjp's final call of the
// function named the parameter). Both compile and are right now.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cstddef>
#include <vector>

double reversed_weights(const double *x, int n) {
  std::vector<size_t> r(n);
  for (int i = 0; i < n; ++i)
    r[i] = static_cast<size_t>(n - 1 - i);
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += x[r[i]] * (i + 1);
  return s;
}

ADJOINT_GRAD(x) double permuted(const double *x, int n) {
  return reversed_weights(x, n) * x[0];
}

ADJOINT_GRAD(x, energy) void energy(const double *x, int n, double &energy) {
  energy = 0;
  for (int i = 0; i < n; i++)
    energy += x[i] * x[i];
  energy *= 4.0;
}
// Split mode is generated only for functions the file names: none here.
// CHECK-NOT:   _forward
// CHECK-LABEL: void energy_grad(
// CHECK:         ::energy(x, n, energy);
// The pullback is generated after the functions that call it.
// CHECK-LABEL: void reversed_weights_pullback(
// CHECK:         std::vector<size_t> r(n);

int main() {
  std::vector<double> x = {0.3, -0.7, 1.1, 0.5};
  {
    std::vector<double> g(4);
    permuted_grad(x.data(), 4, g.data());
    lit::check("permuted",
               [](const std::vector<double> &p) { return permuted(p.data(), 4); },
               x, g);
  }
  {
    std::vector<double> g(4);
    double e = 0, de = 1;
    energy_grad(x.data(), 4, e, g.data(), de);
    std::printf("energy: %g\n", e);
    lit::check("energy",
               [](const std::vector<double> &p) {
                 double e = 0;
                 energy(p.data(), 4, e);
                 return e;
               },
               x, g);
  }
}
// OUT: gradcheck permuted: ok
// OUT: energy: 8.16
// OUT: gradcheck energy: ok
