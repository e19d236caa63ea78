// Differentiated data seen through raw memory: `void *` and byte pointers
// (`char *`, `unsigned char *`) may point to anything, so a value of such a
// type may carry derivatives, and a callee taking one may write them. A copy
// by memcpy, a sort by qsort and a local pointer made by casts through them
// were taken as inactive (zero gradients, or gradients at the unsorted
// positions); each is a located error now. Code that only prints or passes
// strings is unaffected.
// RUN: not %adjoint_cxx -I%S/../scalar/Inputs -DERRORS -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR --implicit-check-not="error:"
// RUN: %adjoint_cxx -I%S/../scalar/Inputs %s -o %t.out %adjoint_link
// RUN: %t.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>

#ifdef ERRORS
ADJOINT_GRAD(x) double copyThenMultiply(const double *x) {
  double t[2];
  memcpy(t, x, 2 * sizeof(double));
  // ERR: errors-raw-memory.cpp:[[@LINE-1]]:3: error: adjoint: no derivative for the call to 'memcpy'
  return t[0] * t[1];
}

int ascending(const void *a, const void *b) {
  double d = *static_cast<const double *>(a) - *static_cast<const double *>(b);
  return (d > 0) - (d < 0);
}
ADJOINT_GRAD(x) double smallestPlusLargest(const double *x) {
  double t[3] = {x[0], x[1], x[2]};
  qsort(t, 3, sizeof(double), ascending);
  // ERR: errors-raw-memory.cpp:[[@LINE-1]]:3: error: adjoint: no derivative for the call to 'qsort'
  return t[0] + 2 * t[2];
}

ADJOINT_GRAD(x) double throughVoid(const double *x) {
  const void *raw = x;
  // ERR: errors-raw-memory.cpp:[[@LINE-1]]:15: error: adjoint: cannot differentiate through 'raw' of type 'const void *'
  const double *y = static_cast<const double *>(raw);
  return y[0] * y[1];
}

ADJOINT_GRAD(x) double throughBytes(const double *x) {
  const double *second = reinterpret_cast<const double *>(
      // ERR: errors-raw-memory.cpp:[[@LINE-1]]:26: error: adjoint: cannot differentiate a local pointer 'second' that does not point into a parameter or local array in 'throughBytes'
      reinterpret_cast<const char *>(x) + sizeof(double));
  return second[0] * x[0];
}
#else
ADJOINT_GRAD(x) double labelled(const double *x) {
  const char *label = "energy";
  double e = x[0] * x[0] + x[1];
  if (std::strlen(label) > 3)
    e *= 2;
  return e;
}

int main() {
  std::vector<double> x = {0.3, -0.7};
  std::vector<double> g(2, 0.0);
  labelled_grad(x.data(), g.data());
  lit::check("labelled", [](const std::vector<double> &p) { return labelled(p.data()); }, x, g);
  // OUT: gradcheck labelled: ok
}
#endif
