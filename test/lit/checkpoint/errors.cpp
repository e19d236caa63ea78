// ADJOINT_CHECKPOINT that is not right before a loop, and checkpointed loops
// that cannot be recomputed: a clean error with file:line:col and a hint.
// RUN: not %adjoint_cxx -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not="Stack dump" --implicit-check-not="warning:"
#include <adjoint/adjoint.h>

ADJOINT_GRAD(x) double notloop(double x) {
  double y = x;
  ADJOINT_CHECKPOINT;
  // CHECK: errors.cpp:[[@LINE-1]]:3: error: adjoint: ADJOINT_CHECKPOINT in 'notloop' is not followed by a loop: put it as a statement of its own right before the 'for', 'while' or 'do' loop to checkpoint
  y = y * x;
  return y;
}

ADJOINT_GRAD(x) double atend(double x, int n) {
  double y = x;
  for (int i = 0; i < n; ++i) {
    y = y * x;
    ADJOINT_CHECKPOINT;
    // CHECK: errors.cpp:[[@LINE-1]]:5: error: adjoint: ADJOINT_CHECKPOINT in 'atend' is not followed by a loop
  }
  return y;
}

ADJOINT_GRAD(x) double inif(double x, int n) {
  double y = x;
  if (n > 0)
    ADJOINT_CHECKPOINT;
  // CHECK: errors.cpp:[[@LINE-1]]:5: error: adjoint: ADJOINT_CHECKPOINT in 'inif' is not followed by a loop
  for (int i = 0; i < n; ++i)
    y = y * x;
  return y;
}

// The loop reads the elements it overwrites: recomputing an iteration would
// read the later values.
ADJOINT_GRAD(x) double prefix(double x, int n) {
  double a[8] = {};
  a[0] = x;
  ADJOINT_CHECKPOINT;
  for (int i = 1; i < 8; ++i)
    a[i] = a[i - 1] * x;
  // CHECK: errors.cpp:[[@LINE-1]]:5: error: adjoint: cannot checkpoint this loop in 'prefix': it overwrites elements of 'a', which the reverse sweep or the loop itself reads: write the results to a buffer the loop does not read, or remove ADJOINT_CHECKPOINT
  return a[7];
}

// A call writing a buffer would write it again in the recompute.
void fill(double *out, double v) { out[0] = v * v; }
ADJOINT_GRAD(x, out) void calls(double x, double *out, int n) {
  ADJOINT_CHECKPOINT;
  for (int i = 0; i < n; ++i)
    fill(out + i, x);
  // CHECK: errors.cpp:[[@LINE-1]]:10: error: adjoint: cannot checkpoint this loop in 'calls': a call writing 'out', which the recompute would write again: pass a local scalar, or move the call out of the loop
}

// An in-out reference the reverse sweep reads: the recompute would change
// what the caller sees.
ADJOINT_GRAD(x, y) void inout(double x, double &y, int n) {
  ADJOINT_CHECKPOINT;
  for (int i = 0; i < n; ++i)
    y = y * x;
  // CHECK: errors.cpp:[[@LINE-1]]:5: error: adjoint: cannot checkpoint this loop in 'inout': it overwrites 'y', which is visible outside the function and read by the reverse sweep: accumulate into a local and assign it after the loop
}

// Outside differentiated functions the marker is an ordinary statement.
double plain(double x) {
  ADJOINT_CHECKPOINT;
  return x;
}
