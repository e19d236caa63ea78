// A callee overwriting a buffer of unknown extent whose earlier contents the
// caller's reverse sweep needs, where the callee cannot log its own writes
// (a local pointer assigned into the buffer, a write inside a larger
// expression, a call of a library function writing it): a located error, not
// a gradient computed from the overwritten contents.
// RUN: not %adjoint_cxx -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not="error:"
#include <adjoint/adjoint.h>
#include <cstring>

void doubled_tail(double *p, int n) {
  double *q;
  q = p + 1;
  for (int i = 0; i + 1 < n; ++i)
    q[i] = 2 * q[i];
}
void stepped(double *p, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += (p[i] *= 0.5);
  p[0] = s;
}
void copied(double *p, int n) { std::memmove(p, p + 1, (n - 1) * sizeof(double)); }

void fill(const double *x, double *out, int n) {
  for (int i = 0; i < n; ++i)
    out[i] = x[i] * x[i];
  doubled_tail(out, n);
  // CHECK: errors-unlogged-callee.cpp:[[@LINE-1]]:16: error: adjoint: cannot differentiate a call overwriting 'out', whose earlier contents the reverse sweep needs in 'fill': 'doubled_tail' cannot save what it overwrites (this operation on a pointer into a parameter's memory); pass a local array, std::vector or new[] buffer of known size
  stepped(out, n);
  // CHECK: errors-unlogged-callee.cpp:[[@LINE-1]]:11: error: adjoint: cannot differentiate a call overwriting 'out', whose earlier contents the reverse sweep needs in 'fill': 'stepped' cannot save what it overwrites (a write inside a larger expression);
  copied(out, n);
  // CHECK: errors-unlogged-callee.cpp:[[@LINE-1]]:10: error: adjoint: cannot differentiate a call overwriting 'out', whose earlier contents the reverse sweep needs in 'fill': 'copied' cannot save what it overwrites (a call of 'memmove', which writes a parameter's memory and cannot log it);
}

ADJOINT_GRAD(x) double total(const double *x, int n) {
  double buf[8];
  fill(x, buf, n);
  return buf[0] + buf[1];
}
