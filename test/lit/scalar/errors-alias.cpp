// Aliasing between a differentiated input and a differentiated output: a call
// inside differentiated code that visibly passes overlapping parts of one
// buffer for both is a compile-time error; at run time, f_grad checks on
// entry that the buffers (and their adjoints) do not overlap, over the
// elements the function reaches (`n` for `x[i]`, i < n), and throws
// std::invalid_argument. Where that extent is unknown (a pointer that
// moves), it compares the pointers.
// RUN: rm -rf %t && mkdir -p %t
// RUN: not %adjoint_cxx -I%S/Inputs -DCALLS -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR --implicit-check-not="error:"
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <stdexcept>

ADJOINT_GRAD(x, out) void square(const double *x, double *out, int n) {
  for (int i = 0; i < n; ++i)
    out[i] = x[i] * x[i];
}
// CHECK-LABEL: void square_grad(const double * x, double * out, int n, double *_d_x, double *_d_out) {
// CHECK-NEXT:    ::adjoint::require_disjoint(x, n, out, n, "square_grad: 'x' and 'out' overlap, but 'out' is a differentiated output: the gradient would be wrong; pass distinct buffers");
// CHECK-NEXT:    ::adjoint::require_disjoint(_d_x, n, _d_out, n, "square_grad: the adjoints of 'x' and 'out' overlap, but 'out' is a differentiated output: the gradient would be wrong; pass distinct buffers");

// A pointer that moves: its extent is unknown, equal pointers are detected.
ADJOINT_GRAD(x, out) void copyOut(const double *x, double *out, int n) {
  for (int i = 0; i < n; ++i) {
    *out = 3 * x[i];
    ++out;
  }
}
// CHECK-LABEL: void copyOut_grad(
// CHECK-NEXT:    if (x && static_cast<const void *>(x) == static_cast<const void *>(out))
// CHECK-NEXT:      throw std::invalid_argument("copyOut_grad: 'x' and 'out' are the same buffer, but 'out' is a differentiated output: the gradient would be wrong; pass distinct buffers");

// Two read-only inputs may alias, and so may their gradient buffers. The
// inputs are __restrict (dot writes no memory of the caller's), so a gradient
// buffer must not be an input.
ADJOINT_GRAD(a, b) double dot(const double *a, const double *b, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += a[i] * b[i];
  return s;
}
// CHECK-LABEL: double dot_vjp(const double * __restrict a, const double * __restrict b, int n, double _seed, double *_d_a, double *_d_b) {
// CHECK-NEXT:    ::adjoint::require_disjoint(_d_a, n, a, n, "dot_vjp: the gradient buffer of 'a' overlaps the input 'a': the gradient would be wrong; pass a separate buffer");
// CHECK-NEXT:    ::adjoint::require_disjoint(_d_a, n, b, n, "dot_vjp: the gradient buffer of 'a' overlaps the input 'b': the gradient would be wrong; pass a separate buffer");
// CHECK-NEXT:    ::adjoint::require_disjoint(_d_b, n, a, n, "dot_vjp: the gradient buffer of 'b' overlaps the input 'a': the gradient would be wrong; pass a separate buffer");
// CHECK-NEXT:    ::adjoint::require_disjoint(_d_b, n, b, n, "dot_vjp: the gradient buffer of 'b' overlaps the input 'b': the gradient would be wrong; pass a separate buffer");
// CHECK-NOT:     invalid_argument
// CHECK:         return _ret0;

#ifdef CALLS
void scale(const double *x, double *y, int n) {
  for (int i = 0; i < n; ++i)
    y[i] = 2 * x[i];
}

ADJOINT_GRAD(x) double inPlace(const double *x) {
  double a[2] = {x[0], x[1]};
  scale(a, a, 2);
  // ERR: errors-alias.cpp:[[@LINE-1]]:12: error: adjoint: cannot differentiate passing 'a' both as 'x' and as the output 'y' of 'scale' in 'inPlace': the pullback assumes distinct buffers: pass a copy of the input, or a separate output buffer
  return a[0] * a[1];
}

ADJOINT_GRAD(x) double offset(const double *x) {
  double a[3] = {x[0], x[1], x[2]};
  scale(&a[1], a, 2);
  // ERR: errors-alias.cpp:[[@LINE-1]]:16: error: adjoint: cannot differentiate passing 'a' both as 'x' and as the output 'y' of 'scale' in 'offset'
  return a[0] * a[1];
}
void scaleAndSum(const double *x, double *y, int n, double &sum) {
  for (int i = 0; i < n; ++i) {
    y[i] = 2 * x[i];
    sum += y[i];
  }
}

// An element passed by reference inside the buffer the call writes.
ADJOINT_GRAD(x) double intoItself(const double *x) {
  double a[3] = {x[0], x[1], x[2]};
  double b[3];
  scaleAndSum(a, b, 3, b[1]);
  // ERR: errors-alias.cpp:[[@LINE-1]]:18: error: adjoint: cannot differentiate passing 'b' both as 'sum' and as the output 'y' of 'scaleAndSum' in 'intoItself'
  scaleAndSum(a, b, 2, b[2]); // b[2] is outside what the call writes
  return b[0] * b[2];
}

// One scalar as the callee's in-out reference and as its const reference
// input: the pullback replays `y += x * x` on two distinct variables.
void addSquare(double &y, const double &x) { y += x * x; }
ADJOINT_GRAD(x) double sameScalar(const double *x) {
  double s = x[0];
  addSquare(s, s);
  // ERR: errors-alias.cpp:[[@LINE-1]]:13: error: adjoint: cannot differentiate passing 's' both as 'x' and as the output 'y' of 'addSquare' in 'sameScalar'
  double t = x[1];
  addSquare(t, s); // distinct variables
  double e[2] = {x[0], x[1]};
  addSquare(e[0], e[0]);
  // ERR: errors-alias.cpp:[[@LINE-1]]:13: error: adjoint: cannot differentiate passing 'e' both as 'x' and as the output 'y' of 'addSquare' in 'sameScalar'
  addSquare(e[0], e[1]); // distinct elements
  return s * t + e[0];
}
#else
int main() {
  double a[2] = {1.5, -2.0}, da[2] = {1, 1};
  try {
    square_grad(a, a, 2, da, da);
    std::printf("no error\n");
  } catch (const std::invalid_argument &E) {
    std::printf("%s\n", E.what());
  }
  // OUT: square_grad: 'x' and 'out' overlap, but 'out' is a differentiated output: the gradient would be wrong; pass distinct buffers
  double b[3] = {1.5, -2.0, 0.5}, db[3] = {0, 0, 0}, dc[3] = {1, 1, 1};
  try {
    square_grad(b, b + 1, 2, db, dc);
    std::printf("no error\n");
  } catch (const std::invalid_argument &E) {
    std::printf("%s\n", E.what());
  }
  // OUT: square_grad: 'x' and 'out' overlap, but 'out' is a differentiated output
  try {
    copyOut_grad(b, b, 2, db, dc);
    std::printf("no error\n");
  } catch (const std::invalid_argument &E) {
    std::printf("%s\n", E.what());
  }
  // OUT: copyOut_grad: 'x' and 'out' are the same buffer
  double out[2], dx[2] = {0, 0};
  try {
    square_grad(a, out, 2, da, da);
    std::printf("no error\n");
  } catch (const std::invalid_argument &E) {
    std::printf("%s\n", E.what());
  }
  // OUT: square_grad: the adjoints of 'x' and 'out' overlap
  // Distinct buffers, and null buffers for an empty problem, are fine.
  double dout[2] = {1, 1};
  square_grad(a, out, 2, dx, dout);
  square_grad(nullptr, nullptr, 0, nullptr, nullptr);
  std::printf("dx = %.1f %.1f\n", dx[0], dx[1]);
  // OUT: dx = 3.0 -4.0
  double dd[2] = {0, 0};
  dot_grad(a, a, 2, dd, dd);
  std::printf("dot(a, a): %.1f %.1f\n", dd[0], dd[1]);
  // OUT: dot(a, a): 3.0 -4.0
  double c[2] = {0.5, 4.0};
  try {
    dot_grad(a, c, 2, dd, a);
    std::printf("no error\n");
  } catch (const std::invalid_argument &E) {
    std::printf("%s\n", E.what());
  }
  // OUT: dot_vjp: the gradient buffer of 'b' overlaps the input 'a': the gradient would be wrong; pass a separate buffer
  std::printf("a unchanged: %.1f %.1f\n", a[0], a[1]);
  // OUT: a unchanged: 1.5 -2.0
}
#endif
