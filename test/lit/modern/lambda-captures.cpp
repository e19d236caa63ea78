// Lambdas capturing differentiated data, by reference and by value, called
// in loops and in expressions, also writing through what they capture by
// reference (a captured accumulator, a captured output pointer). Their
// pullbacks are local lambdas capturing by reference (`term_pullback`),
// defined where the reverse sweep starts; they read the captured variables
// and add into their adjoints by name.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: %gxx -I%S/../scalar/Inputs %t/gen.cpp -o %t/gxx.out %adjoint_link
// RUN: %t/gxx.out | FileCheck %s --check-prefix=OUT
// RUN: not %adjoint_cxx -I%S/../scalar/Inputs -DERRORS -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR --implicit-check-not="error:"
#include "check.h"
#include <cmath>
#include <vector>

ADJOINT_GRAD(x, w) double weighted(const double *x, int n, double w) {
  auto term = [&](int i) { return w * x[i] * x[i]; };
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += term(i);
  return s;
}
// CHECK-LABEL: double weighted_vjp(
// CHECK:         auto term_pullback = [&](int i, double _d_return) {
// CHECK-NEXT:      double _r0 = _d_return * (x[i]);
// CHECK-NEXT:      _d_w += _r0 * (x[i]);
// CHECK-NEXT:      _d_x[i] += w * _r0;
// CHECK:         term_pullback(i, _r0);

ADJOINT_GRAD(x) double byValue(const double *x, int n) {
  const double scale = 2.0 * x[0];
  auto f = [scale, x](int i) { return scale * std::sin(x[i]); };
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += f(i);
  return s;
}

ADJOINT_GRAD(x) double accumulated(const double *x, int n) {
  double acc = 0;
  auto add = [&](double v) { acc += v * v; };
  for (int i = 0; i < n; ++i)
    add(x[i]);
  return acc * x[1];
}
// CHECK-LABEL: double accumulated_vjp(
// CHECK:         auto add = [&](double v) { acc += v * v; };
// CHECK:         auto add_pullback = [&](double v, double &_d_v) {
// CHECK:         add_pullback(x[i], _r0);

ADJOINT_GRAD(x, out) void written(const double *x, double *out, int n) {
  auto put = [&](int i, double v) { out[i] = v * x[i]; };
  for (int i = 0; i < n; ++i)
    put(i, std::cos(x[i]));
}
// CHECK-LABEL: void written_grad(
// CHECK:         auto put_pullback = [&](int i, double v, double &_d_v) {
// CHECK-NEXT:      out[i] = v * x[i];
// CHECK-NEXT:      double _r0 = _d_out[i];
// CHECK-NEXT:      _d_out[i] = 0;

ADJOINT_GRAD(x) double nested(const double *x, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i) {
    double xi = x[i];
    auto g = [&](double t) { return t * xi + std::sin(xi); };
    s += g(x[(i + 1) % n]);
  }
  return s;
}

ADJOINT_GRAD(x) double vec(const double *x, int n) {
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i)
    v[i] = x[i] * x[i];
  double s = 0;
  auto at = [&](int i) { return v[i] * x[i]; };
  for (int i = 0; i < n; ++i)
    s += at(i) * 0.5;
  return s;
}

#ifdef ERRORS
ADJOINT_GRAD(x) double changedCopy(const double *x, int n) {
  double w = x[0];
  auto f = [w](double t) { return w * t; };
  // ERR: lambda-captures.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a lambda capturing 'w' by value, which changes after the capture in 'changedCopy': capture it by reference ('[&]'), or copy it into a const local first
  w = x[1];
  return f(x[2]) + w;
}
ADJOINT_GRAD(x) double writesInExpression(const double *x) {
  double acc = 0;
  auto add = [&](double v) { acc += v; return v; };
  return add(x[0] * x[1]) * acc;
  // ERR: lambda-captures.cpp:[[@LINE-1]]:10: error: adjoint: cannot differentiate a call writing 'acc' inside an expression in 'writesInExpression': make the call a statement of its own ('f(x, r);', or 'bool ok = f(x, r);' and then test 'ok')
}
ADJOINT_GRAD(x) double lambdaInLambda(const double *x, int n) {
  double s = 0;
  auto at = [&](int i) { return x[i] * x[i]; };
  auto add = [&](int i) { s += at(i); };
  // ERR: lambda-captures.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a lambda capturing 'at', another lambda capturing variables in 'lambdaInLambda': call a function at namespace scope, or pass the lambda's result as a parameter
  for (int i = 0; i < n; ++i)
    add(i);
  return s;
}
template <class F> double applyTo(F f, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += f(i);
  return s;
}
ADJOINT_GRAD(x) double passed(const double *x, int n) {
  auto term = [&](int i) { return x[i] * x[i]; };
  return applyTo(term, n);
  // ERR: lambda-captures.cpp:[[@LINE-1]]:10: error: adjoint: cannot differentiate a call writing 'term' inside an expression in 'passed': make the call a statement of its own ('f(x, r);', or 'bool ok = f(x, r);' and then test 'ok')
}
#else
int main() {
  std::vector<double> x = {0.3, -0.7, 1.1, 0.5};
  std::vector<double> g(4, 0.0);
  double dw = 0;
  weighted_grad(x.data(), 4, 1.5, g.data(), dw);
  lit::check("weighted", [](const std::vector<double> &p) { return weighted(p.data(), 4, 1.5); }, x, g);
  // d/dw of sum w * x_i^2 is sum x_i^2.
  std::printf("dw %.6f\n", dw);
  std::vector<double> g2(4, 0.0);
  byValue_grad(x.data(), 4, g2.data());
  lit::check("byValue", [](const std::vector<double> &p) { return byValue(p.data(), 4); }, x, g2);
  std::vector<double> g3(4, 0.0);
  accumulated_grad(x.data(), 4, g3.data());
  lit::check("accumulated", [](const std::vector<double> &p) { return accumulated(p.data(), 4); }, x, g3);
  std::vector<double> g5(4, 0.0);
  nested_grad(x.data(), 4, g5.data());
  lit::check("nested", [](const std::vector<double> &p) { return nested(p.data(), 4); }, x, g5);
  std::vector<double> g6(4, 0.0);
  vec_grad(x.data(), 4, g6.data());
  lit::check("vec", [](const std::vector<double> &p) { return vec(p.data(), 4); }, x, g6);
  for (int k = 0; k < 3; ++k) {
    std::vector<double> g4(4, 0.0), out(3), seed(3, 0.0);
    seed[k] = 1.0;
    written_grad(x.data(), out.data(), 3, g4.data(), seed.data());
    lit::check("written", [k](const std::vector<double> &p) { std::vector<double> o(3); written(p.data(), o.data(), 3); return o[k]; }, x, g4);
  }
}
#endif
// OUT: gradcheck weighted: ok
// OUT: dw 2.040000
// OUT: gradcheck byValue: ok
// OUT: gradcheck accumulated: ok
// OUT: gradcheck nested: ok
// OUT: gradcheck vec: ok
// OUT: gradcheck written: ok
// OUT: gradcheck written: ok
// OUT: gradcheck written: ok
