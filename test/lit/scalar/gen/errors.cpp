// adjoint-gen reports unsupported constructs as file:line:col errors, exits
// with status 1 and writes nothing.
// RUN: rm -rf %t && mkdir -p %t
// RUN: not %adjoint_gen %s -o %t/out.cpp -- -std=c++17 -I%adjoint_include 2>&1 | FileCheck %s --implicit-check-not="Stack dump"
// RUN: not test -e %t/out.cpp
#include <adjoint/adjoint.h>

double opaque(double v);

ADJOINT_GRAD(x) double g(double x, int k) {
  double y = x * k;
  asm("nop");
  // CHECK: errors.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate inline assembly in 'g': provide a custom pullback
  return y;
}

ADJOINT_GRAD(x) double h(double x) { return opaque(x); }
// CHECK: errors.cpp:[[@LINE-1]]:45: error: adjoint: no derivative for the call to 'opaque' (its body is not visible): provide a custom pullback 'void opaque_pullback(double v, double _d_return, double &_d_v)'

ADJOINT_GRAD(q) double k(double x) { return x; }
// CHECK: errors.cpp:[[@LINE-1]]:1: error: adjoint: 'q' in ADJOINT_GRAD is not a parameter of 'k'
