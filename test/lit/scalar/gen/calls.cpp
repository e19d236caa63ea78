// adjoint-gen: calls to user functions (nested, twice, in a loop, recursive),
// namespaces, static members, and an annotated inline function in a header
// rewritten into --header-dir.
// RUN: rm -rf %t && mkdir -p %t/include
// RUN: %adjoint_gen %s -o %t/out.cpp --header-dir=%t/include -- -std=c++17 -I%adjoint_include -I%S/../Inputs -I%S/Inputs
// RUN: FileCheck %s < %t/out.cpp
// RUN: FileCheck %s --check-prefix=HEADER < %t/include/gen_model.h
// RUN: %gxx -I%t/include -I%S/../Inputs %t/out.cpp -o %t/a.out %adjoint_link
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include "gen_model.h"
#include <cmath>

// The callee's split-mode functions (it keeps tanh's value) go right after
// the callee, before its caller.
// HEADER: inline double act(double v) { return std::tanh(v); }
// HEADER: struct act_pullback_record {
// HEADER: inline double act_pullback_forward(double v, act_pullback_record &_rec) {
// HEADER: inline void act_pullback_reverse(const act_pullback_record &_rec, double _d_return, double &_d_v) {
// HEADER: inline double neuron_vjp(double w, double b, double x, double _seed, double &_d_w, double &_d_b) {
// HEADER:   = ::model::act_pullback_forward(
// HEADER:   ::model::act_pullback_reverse(
// HEADER: inline double neuron_grad(double w, double b, double x, double &_d_w, double &_d_b) {

double sq(double v) { return v * v; }
// CHECK:      double sq(double v) { return v * v; }
// CHECK:      void sq_pullback(double v, double _d_return, double &_d_v) {

double fact(double v, int n) { return n <= 1 ? v : v * fact(v, n - 1); }

ADJOINT_GRAD(x) double calls(double x, int n) {
  double s = sq(sq(x));
  for (int i = 0; i < n; ++i)
    s = s + sq(x + i);
  return s + fact(x, 3);
}
// CHECK:      double calls_vjp(double x, int n, double _seed, double &_d_x) {
// CHECK:        ::fact_pullback(x, 3, _seed, {{_r[0-9]+}});

namespace geo {
struct Circle {
  ADJOINT_GRAD() static double area(double r) { return 3.0 * sq(r); }
};
} // namespace geo
// CHECK:      static inline double area_vjp(double r, double _seed, double &_d_r) {

int main() {
  using V = std::vector<double>;
  {
    double dx = 0;
    calls_grad(1.5, 3, dx);
    lit::check("calls", [](const V &v) { return calls(v[0], 3); }, {1.5}, {dx});
  }
  {
    double dr = 0;
    geo::Circle::area_grad(2.0, dr);
    lit::check("area", [](const V &v) { return geo::Circle::area(v[0]); }, {2.0}, {dr});
  }
  {
    double dw = 0, db = 0;
    model::neuron_grad(0.5, -0.25, 2.0, dw, db);
    lit::check("neuron", [](const V &v) { return model::neuron(v[0], v[1], 2.0); }, {0.5, -0.25}, {dw, db});
  }
}
// 4x^3 + sum_i 2(x + i) + 3x^2 at x = 1.5, n = 3: 13.5 + 2(1.5 + 2.5 + 3.5) + 6.75
// OUT:      calls: 35.250000
// OUT-NEXT: gradcheck calls: ok
// OUT-NEXT: area: 12.000000
// OUT-NEXT: gradcheck area: ok
// (x, 1) (1 - tanh^2(wx + b))
// OUT-NEXT: neuron: 1.193172 0.596586
// OUT-NEXT: gradcheck neuron: ok
