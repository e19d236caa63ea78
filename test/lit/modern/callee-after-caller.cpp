// Callees defined after the function that calls them (declared first, as C
// code often is): their pullbacks are declared before the caller's
// generated code and defined after the callees.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: %gxx -I%S/../scalar/Inputs %t/gen.cpp -o %t/gxx.out %adjoint_link
// RUN: %t/gxx.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>
#include <vector>

double g(double v);
void fill(const double *x, double *out);

ADJOINT_GRAD(x) double f(const double *x) {
  double r[2];
  fill(x, r);
  return g(x[0]) * r[1] + g(r[0]);
}
// CHECK:       void fill_pullback(const double * x, double * out, double *_d_x, double *_d_out);
// CHECK:       void g_pullback(double v, double _d_return, double &_d_v);
// CHECK-LABEL: double f_vjp(
// CHECK-LABEL: void g_pullback(double v, double _d_return, double &_d_v) {
// CHECK-LABEL: void fill_pullback(const double * x, double * out, double *_d_x, double *_d_out) {

double h(double v) { return std::exp(v); }
double g(double v) { return v * h(v) + std::sin(v); }
void fill(const double *x, double *out) {
  out[0] = x[0] * x[1];
  out[1] = g(x[1]);
}

int main() {
  std::vector<double> x = {0.5, 0.7}, g(2, 0.0);
  f_grad(x.data(), g.data());
  lit::check("f", [](const std::vector<double> &p) { return f(p.data()); }, x,
             g);
}
// OUT: gradcheck f: ok
