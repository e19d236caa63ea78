// A status declared from a call that writes an output (`int j = proj(a, xi);`)
// and then tested in the returned expression (`j == 0 ? xi[0] : 0.0`): the
// reverse sweep reads the status, which the declaration as written keeps in
// scope at the function's top level (the `if` form was accepted before, the
// ternary rejected). In a nested block the declaration is hoisted: still an
// error there.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
// RUN: not %adjoint_cxx -fsyntax-only -I%S/../scalar/Inputs -DNESTED %s 2>&1 | FileCheck %s --check-prefix=NESTED
#include "check.h"

int proj(double a, double *xi) {
  *xi = a * a * a;
  return a > 2.0 ? 1 : 0;
}

#ifndef NESTED
ADJOINT_GRAD(a)
double f(double a) {
  double xi[1];
  int j = proj(a, xi);
  return j == 0 ? xi[0] : 0.0;
}
// CHECK-LABEL: double f_vjp(double a, double _seed, double &_d_a) {
// CHECK:         int j = proj(a, xi);
// CHECK:         proj_pullback(a, xi,

// Also in a callee.
double twice(double a) {
  double xi[1];
  int j = proj(a, xi);
  return j == 0 ? 2.0 * xi[0] : a;
}
ADJOINT_GRAD(a)
double g(double a) { return twice(a) * a; }
#else
ADJOINT_GRAD(a)
double h(double a) {
  double s = 0;
  if (a > 0) {
    double xi[1];
    int j = proj(a, xi);
    s = j == 0 ? xi[0] : 0.0;
  }
  return s;
}
// NESTED: error: adjoint: cannot differentiate a call writing 'xi' inside an expression
#endif

int main() {
#ifndef NESTED
  for (double a : {1.5, 2.5}) {
    double d = 0;
    f_grad(a, d);
    lit::check("f", [](const std::vector<double> &v) { return f(v[0]); }, {a},
               {d});
    double dg = 0;
    g_grad(a, dg);
    lit::check("g", [](const std::vector<double> &v) { return g(v[0]); }, {a},
               {dg});
  }
#endif
}
// OUT: gradcheck f: ok
// OUT: gradcheck g: ok
// OUT: gradcheck f: ok
// OUT: gradcheck g: ok
