// Core errors in the main file can be checked with -verify.
// RUN: %adjoint_cxx -fsyntax-only -Xclang -verify %s
#include <adjoint/adjoint.h>

ADJOINT_GRAD(x) double pick(double x) {
  // expected-error@+1 {{adjoint: cannot differentiate inline assembly in 'pick'}}
  asm("nop");
  return x;
}

double plain(double x) { return x; }
