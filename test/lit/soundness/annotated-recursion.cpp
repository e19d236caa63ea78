// An annotated function that calls itself: its gradient calls its pullback,
// which is declared before the gradient and defined after it (recursion in
// callees that are not annotated works the same way).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

ADJOINT_GRAD(x, s)
double price(double x, double s) {
  if (x > 0)
    return std::exp(0.5 * x) + price(-x, s);
  if (s <= 0)
    return 0.0;
  return s * s * std::exp(x);
}
// CHECK-LABEL: void price_pullback(double x, double s, double _d_return, double &_d_x, double &_d_s);
// CHECK-LABEL: double price_vjp(
// CHECK:         price_pullback(
// CHECK-LABEL: void price_pullback(double x, double s, double _d_return, double &_d_x, double &_d_s) {

int main() {
  for (double x0 : {0.3, -0.4}) {
    std::vector<double> p = {x0, 1.2};
    double dx = 0, ds = 0;
    price_grad(p[0], p[1], dx, ds);
    lit::check("price",
               [](const std::vector<double> &v) { return price(v[0], v[1]); },
               p, {dx, ds});
  }
}
// OUT: gradcheck price: ok
// OUT: gradcheck price: ok
