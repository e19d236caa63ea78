// Code on standard input cannot be parsed twice: the plugin says so instead
// of silently generating nothing.
// RUN: cat %s | not %adjoint_cxx -x c++ -fsyntax-only - 2>&1 | FileCheck %s
// CHECK: warning: the adjoint plugin cannot differentiate code read from standard input; compile a file instead
#include <adjoint/adjoint.h>

ADJOINT_GRAD(x) double sq(double x) { return x * x; }
double use(double &dx) { sq_grad(1.0, dx); return dx; }
