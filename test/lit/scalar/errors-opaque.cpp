// Values flowing into a local adjoint cannot see into (std::pair) are an
// error, never a silently dropped derivative (std::array is differentiated:
// modern/std-array.cpp), and so are arrays of arrays.
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

// An array of arrays gets the flat array to write instead.
ADJOINT_GRAD(x) double viaTable(double x) {
  double table[2][3];
  // CHECK: errors-opaque.cpp:[[@LINE-1]]:10: error: adjoint: cannot differentiate through 'table' of type 'double[2][3]': arrays of arrays are not differentiated; use a flat array 'double table[6]' indexed as 'table[i * 3 + j]'
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      table[i][j] = x * (i + j);
  return table[1][2];
}
