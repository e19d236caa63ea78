// Activity analysis: integer parameters and locals, values that do not depend
// on the differentiated parameters and dead code get no adjoint code.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

// Integer parameters and locals are left alone.
ADJOINT_GRAD(x) double ints(double x, int n) {
  int m = n * 2 + 1;
  int k = m;
  k = k - n;
  double c = m;
  return x * c + k;
}
// CHECK-LABEL: double ints_vjp(double x, int n, double _seed, double &_d_x) {
// CHECK-NOT:    _d_n
// CHECK-NOT:    _d_m
// CHECK-NOT:    _d_k
// CHECK-NOT:    _d_c
// CHECK:        _d_x += _seed * c;
// CHECK-NOT:    _d_
// CHECK:        return _ret0;

// `unused` depends on x but never reaches the result; `konst` reaches it but
// does not depend on x.
ADJOINT_GRAD(x) double dead(double x, double y) {
  double unused = std::exp(x) * x;
  unused = unused * 2.0;
  double konst = std::sin(y) * y;
  double r = x * konst;
  return r;
}
// CHECK-LABEL: double dead_vjp(double x, double y, double _seed, double &_d_x) {
// CHECK-NEXT:   double _d_r = 0;
// CHECK-NEXT:   double unused = std::exp(x) * x;
// CHECK-NEXT:   unused = unused * 2.0;
// CHECK-NEXT:   double konst = std::sin(y) * y;
// CHECK-NEXT:   double r = x * konst;
// CHECK-NEXT:   double _ret0 = r;
// CHECK-NEXT:   _d_r += _seed;
// CHECK-NEXT:   _d_x += _d_r * konst;
// CHECK-NEXT:   return _ret0;

// A parameter that is not differentiated behaves like a constant, even when it
// is overwritten.
ADJOINT_GRAD(x) double passive(double x, double y) {
  y = y * y;
  double z = y + 1.0;
  return x * z;
}
// CHECK-LABEL: double passive_vjp(double x, double y, double _seed, double &_d_x) {
// CHECK-NEXT:   y = y * y;
// CHECK-NEXT:   double z = y + 1.0;
// CHECK-NEXT:   double _ret0 = x * z;
// CHECK-NEXT:   _d_x += _seed * z;
// CHECK-NEXT:   return _ret0;

// A double local computed from integers only.
ADJOINT_GRAD(x) double fromint(double x, int n) {
  double scale = 1.0;
  for (int i = 0; i < n; ++i)
    scale = scale * 2.0;
  return x * scale;
}
// CHECK-LABEL: double fromint_vjp(double x, int n, double _seed, double &_d_x) {
// CHECK-NOT:    _d_scale
// CHECK:        _d_x += _seed * scale;
// CHECK-NOT:    _d_
// CHECK:        return _ret0;

// The differentiated parameter does not reach the result at all.
ADJOINT_GRAD(x) double unrelated(double x, double y) { return y * y; }
// CHECK-LABEL: double unrelated_vjp(double x, double y, double _seed, double &_d_x) {
// CHECK-NEXT:   double _ret0 = y * y;
// CHECK-NEXT:   return _ret0;

int main() {
  using V = std::vector<double>;
  {
    double dx = 0;
    ints_grad(1.5, 3, dx);
    lit::check("ints", [](const V &v) { return ints(v[0], 3); }, {1.5}, {dx});
  }
  {
    double dx = 0;
    dead_grad(1.5, 0.5, dx);
    lit::check("dead", [](const V &v) { return dead(v[0], 0.5); }, {1.5}, {dx});
  }
  {
    double dx = 0;
    passive_grad(1.5, 2.0, dx);
    lit::check("passive", [](const V &v) { return passive(v[0], 2.0); }, {1.5}, {dx});
  }
  {
    double dx = 0;
    fromint_grad(1.5, 3, dx);
    lit::check("fromint", [](const V &v) { return fromint(v[0], 3); }, {1.5}, {dx});
  }
  {
    double dx = 0;
    unrelated_grad(1.5, 2.0, dx);
    lit::check("unrelated", [](const V &v) { return unrelated(v[0], 2.0); }, {1.5}, {dx});
  }
}

// OUT:      ints: 7.000000
// OUT-NEXT: gradcheck ints: ok
// x y sin y
// OUT-NEXT: dead: 0.239713
// OUT-NEXT: gradcheck dead: ok
// OUT-NEXT: passive: 5.000000
// OUT-NEXT: gradcheck passive: ok
// OUT-NEXT: fromint: 8.000000
// OUT-NEXT: gradcheck fromint: ok
// OUT-NEXT: unrelated: 0.000000
// OUT-NEXT: gradcheck unrelated: ok
