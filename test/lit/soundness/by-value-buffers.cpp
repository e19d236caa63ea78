// A std::vector passed by value to a helper (`double dot(std::vector<double>
// a, std::vector<double> b)`, as in plain logistic-regression code): the
// parameter is a copy, whose adjoint is the argument's. Such calls were given
// the pullback for constant buffers, and the gradient was zero.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>
#include <vector>

double dot(std::vector<double> a, std::vector<double> b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); i++)
    s += a[i] * b[i];
  return s;
}
double sigmoid(double z) { return 1 / (1 + std::exp(-z)); }
double sum2(std::vector<double> a) { return a[0] * a[0] + a[1]; }

ADJOINT_GRAD(w)
double predict(std::vector<double> x, std::vector<double> w) {
  return sigmoid(dot(x, w));
}
// CHECK-LABEL: double predict_vjp(
// CHECK:         ::dot_pullback_const_a(x, w, _r0, _d_w);

ADJOINT_GRAD(x) double local(const double *x) {
  std::vector<double> v(2);
  v[0] = x[0] * x[1];
  v[1] = std::sin(x[1]);
  return sum2(v) + dot(v, v);
}
// CHECK-LABEL: double local_vjp(
// CHECK:         ::sum2_pullback(v, {{.*}}, _d_v);

int main() {
  bool ok = true;
  std::vector<double> x = {1, 2, 3}, w = {0.5, -1, 2}, dw(3, 0.0);
  predict_grad(x, w, dw);
  auto f = [&](const std::vector<double> &p) { return predict(x, p); };
  ok &= lit::check("predict", f, w, dw);
  // OUT: gradcheck predict: ok
  std::vector<double> y = {0.7, -0.4}, dy(2, 0.0);
  local_grad(y.data(), dy.data());
  auto g = [](const std::vector<double> &p) { return local(p.data()); };
  ok &= lit::check("local", g, y, dy);
  // OUT: gradcheck local: ok
  return ok ? 0 : 1;
}
