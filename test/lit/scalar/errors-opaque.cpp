// Values flowing into a local adjoint cannot see into (std::array) are an
// error, never a silently dropped derivative.
// RUN: not %adjoint_cxx -c %s -o /dev/null 2>&1 | FileCheck %s
#include <adjoint/adjoint.h>
#include <array>

ADJOINT_GRAD(x) double viaArray(double x) {
  std::array<double, 2> a;
  // CHECK: errors-opaque.cpp:[[@LINE-1]]:25: error: adjoint: cannot differentiate through 'a' of type 'std::array<double, 2>': use a C array, std::vector<double> or scalar locals
  a[0] = x * x;
  a[1] = 1;
  return a[0] + a[1];
}
