// Core errors in the main file can be checked with -verify.
// RUN: %adjoint_cxx -fsyntax-only -Xclang -verify %s
#include <adjoint/adjoint.h>

ADJOINT_GRAD(x) double pick(double x, int k) {
  // expected-error@+1 {{adjoint: cannot differentiate a 'switch' statement in 'pick'}}
  switch (k) {
  default:
    return x;
  }
}

double plain(double x) { return x; }
