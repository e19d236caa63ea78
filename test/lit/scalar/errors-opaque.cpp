// Values flowing into a local adjoint cannot see into (std::pair) are an
// error, never a silently dropped derivative (std::array is differentiated:
// modern/std-array.cpp).
// RUN: not %adjoint_cxx -c %s -o /dev/null 2>&1 | FileCheck %s
#include <adjoint/adjoint.h>
#include <utility>

ADJOINT_GRAD(x) double viaPair(double x) {
  std::pair<double, double> a;
  // CHECK: errors-opaque.cpp:[[@LINE-1]]:29: error: adjoint: cannot differentiate through 'a' of type 'std::pair<double, double>': use a C array, std::vector<double> or scalar locals
  a.first = x * x;
  a.second = 1;
  return a.first + a.second;
}
