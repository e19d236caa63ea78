// Rejected constructs from outside code name what the user wrote: a typedef'd
// anonymous struct by its typedef (it was ''), a local array of arrays of
// structs with the flat-array hint (it said to index a pointer parameter),
// an iterator loop over a std::vector with the index-loop hint (it named
// libstdc++'s internals).
// RUN: not %adjoint_cxx -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not="error:"
#include <adjoint/adjoint.h>
#include <vector>

typedef struct {
  float *w;
  int n;
} Net;

ADJOINT_GRAD(in)
float out(const Net t, const float *in) {
  float s = 0;
  for (int i = 0; i < t.n; ++i)
    s += t.w[i] * in[i];
  t.w[0] = s;
  return t.w[0] * s;
}
// CHECK: errors-outside-hints.cpp:[[@LINE-7]]:{{[0-9]+}}: error: adjoint: cannot differentiate through 't' of type 'const Net': use a C array, std::vector<double> or scalar locals (or a struct of doubles: member 'w' of 'Net' has type 'float *', which is not float, double, an integer or a struct of those)

struct P2 {
  double x, y;
};
ADJOINT_GRAD(t)
double bez(const P2 *V, int degree, double t) {
  P2 Vt[4][4];
  for (int j = 0; j <= degree; j++)
    Vt[0][j] = V[j];
  for (int i = 1; i <= degree; i++)
    for (int j = 0; j <= degree - i; j++)
      Vt[i][j].x = (1.0 - t) * Vt[i - 1][j].x + t * Vt[i - 1][j + 1].x;
  return Vt[degree][0].x;
}
// CHECK: errors-outside-hints.cpp:[[@LINE-3]]:{{[0-9]+}}: error: adjoint: cannot differentiate this access to differentiated data in 'bez': arrays of arrays are not differentiated; use a flat array indexed as 'a[i * n + j]'
// CHECK: errors-outside-hints.cpp:[[@LINE-4]]:{{[0-9]+}}: error: adjoint: cannot differentiate this access to differentiated data in 'bez': arrays of arrays are not differentiated; use a flat array indexed as 'a[i * n + j]'
// CHECK: errors-outside-hints.cpp:[[@LINE-4]]:{{[0-9]+}}: error: adjoint: cannot differentiate this access to differentiated data in 'bez': arrays of arrays are not differentiated; use a flat array indexed as 'a[i * n + j]'

ADJOINT_GRAD(v)
double squares(const std::vector<double> &v) {
  double s = 0;
  for (auto it = v.begin(); it != v.end(); ++it)
    s += *it * *it;
  return s;
}
// CHECK: errors-outside-hints.cpp:[[@LINE-4]]:{{[0-9]+}}: error: adjoint: cannot differentiate through 'it' of type '{{[^']*}}': iterators over differentiated data are not differentiated; write an index loop ('for (size_t i = 0; i < v.size(); ++i)' reading 'v[i]') or a range-based for loop ('for (double e : v)')
