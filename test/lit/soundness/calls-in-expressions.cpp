// A call matters through what it writes through its arguments. Before
// session 7, a call writing an output inside a condition (`if (!res(x, r))`)
// or in a declaration of a value without derivatives (`bool ok = res(x,
// r);`) got no adjoint code (zero gradients), and one whose value is
// differentiated lost the adjoint of a use of its output in the same
// statement. A declaration made for the call's writes is differentiated as
// a call statement; other calls writing differentiated data inside an
// expression are errors, unless their value is differentiated, they only
// write the data and nothing else in the statement uses it.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
// RUN: not %adjoint_cxx -I%S/../scalar/Inputs -DERRORS -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR --implicit-check-not="error:"
#include "check.h"
#include <cmath>
#include <vector>

inline bool residual(const double *p, double *r) {
  r[0] = p[0] * p[1];
  r[1] = p[0] - p[1];
  return true;
}
inline double residualValue(const double *p, double *r) {
  r[0] = p[0] * p[1];
  r[1] = p[0] - p[1];
  return std::sin(p[0]);
}

ADJOINT_GRAD(x) double declared(const double *x) {
  double r[2];
  bool ok = residual(x, r);
  if (!ok)
    return 0;
  return r[0] * r[0] + r[1] * r[1];
}
// CHECK-LABEL: double declared_vjp(
// CHECK:         bool ok = residual(x, r);
// CHECK:         ::residual_pullback(x, r, _d_x, _d_r);

ADJOINT_GRAD(x) double valued(const double *x) {
  double r[2];
  double v = 2 * residualValue(x, r);
  v += r[0];
  return v * (r[0] * r[0] + r[1] * r[1]);
}
// CHECK-LABEL: double valued_vjp(
// CHECK:         ::residualValue_pullback(x, r, 2 * _d_v, _d_x, _d_r);

#ifdef ERRORS
ADJOINT_GRAD(x) double inCondition(const double *x) {
  double r[2];
  if (!residual(x, r))
    // ERR: calls-in-expressions.cpp:[[@LINE-1]]:8: error: adjoint: cannot differentiate a call writing 'r' inside an expression in 'inCondition': make the call a statement of its own ('f(x, r);', or 'bool ok = f(x, r);' and then test 'ok')
    return 0;
  return r[0] * r[0];
}

ADJOINT_GRAD(x) double usedBeside(const double *x) {
  double r[2];
  double v = 2 * residualValue(x, r) + r[0];
  // ERR: calls-in-expressions.cpp:[[@LINE-1]]:18: error: adjoint: cannot differentiate a call writing 'r' inside an expression in 'usedBeside': make the call a statement of its own
  return v * r[1];
}

ADJOINT_GRAD(x) double overwritesNeeded(const double *x) {
  double r[2];
  r[0] = x[1] * 3;
  r[1] = x[0];
  double s = r[0] * r[0] * r[1];
  double v = residualValue(x, r);
  // ERR: calls-in-expressions.cpp:[[@LINE-1]]:14: error: adjoint: cannot differentiate a call writing 'r' inside an expression in 'overwritesNeeded'
  return v * s + r[0] * r[1];
}
#else
int main() {
  std::vector<double> x = {1.5, 2.0};
  auto run = [&](const char *Name, double (*F)(const double *),
                 double (*G)(const double *, double *)) {
    std::vector<double> g(2, 0.0);
    G(x.data(), g.data());
    lit::check(Name, [&](const std::vector<double> &p) { return F(p.data()); },
               x, g);
  };
  run("declared", declared, declared_grad);
  run("valued", valued, valued_grad);
}
#endif
// OUT: declared: 11.000000 10.000000
// OUT: gradcheck declared: ok
// OUT: gradcheck valued: ok
