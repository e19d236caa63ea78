// A helper defined before the file includes adjoint's header (a unity build,
// or a header of helpers included first): its pullback, inserted after it,
// needs adjoint's runtime, so the file then includes <adjoint/scalar.h> first
// (`#line 1` keeps the line numbers). Annotating an operator is an error: the
// generated names append to the function's name.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx %s -o %t/a.out %adjoint_link
// RUN: %t/a.out | FileCheck %s
// RUN: not %adjoint_cxx -DOPERATOR -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR --implicit-check-not="error:"
#include <cmath>
inline double bell(const double &z) { return std::exp(-z * z / 2.0); }
#include <adjoint/adjoint.h>
#include <cstdio>

ADJOINT_GRAD(x) double f(double x) { return x * bell(x); }

#ifdef OPERATOR
struct Cost {
  ADJOINT_GRAD(x) double operator()(double x) const { return x * x; }
  // ERR: helper-before-header.cpp:[[@LINE-1]]:26: error: adjoint: cannot annotate 'operator()', which has no name to derive gradient names from: annotate a named function (e.g. 'double value(...) const') and call it from 'operator()'
};
#else

int main() {
  double x = 0.4, dx = 0;
  f_grad(x, dx);
  std::printf("dx = %.6f (expected %.6f), line %d\n", dx,
              bell(x) - x * x * bell(x), __LINE__);
  // CHECK: dx = 0.775418 (expected 0.775418), line 28
}
#endif
