// Aliasing between a differentiated input and a differentiated output: a call
// inside differentiated code that visibly passes one buffer for both is a
// compile-time error; at run time, f_grad compares the pointers (and their
// adjoints) on entry and throws std::invalid_argument.
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
// CHECK-NEXT:    if (x && static_cast<const void *>(x) == static_cast<const void *>(out))
// CHECK-NEXT:      throw std::invalid_argument("square_grad: 'x' and 'out' are the same buffer, but 'out' is a differentiated output: the gradient would be wrong; pass distinct buffers");
// CHECK-NEXT:    if (_d_x && static_cast<const void *>(_d_x) == static_cast<const void *>(_d_out))
// CHECK-NEXT:      throw std::invalid_argument("square_grad: the adjoints of 'x' and 'out' are the same buffer, but 'out' is a differentiated output: the gradient would be wrong; pass distinct buffers");

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
// CHECK-NEXT:    if (_d_a && static_cast<const void *>(_d_a) == static_cast<const void *>(a))
// CHECK-NEXT:      throw std::invalid_argument("dot_vjp: the gradient buffer of 'a' is the input 'a': the gradient would be wrong; pass a separate buffer");
// CHECK-NEXT:    if (_d_a && static_cast<const void *>(_d_a) == static_cast<const void *>(b))
// CHECK-NEXT:      throw std::invalid_argument("dot_vjp: the gradient buffer of 'a' is the input 'b': the gradient would be wrong; pass a separate buffer");
// CHECK-NEXT:    if (_d_b && static_cast<const void *>(_d_b) == static_cast<const void *>(a))
// CHECK-NEXT:      throw std::invalid_argument("dot_vjp: the gradient buffer of 'b' is the input 'a': the gradient would be wrong; pass a separate buffer");
// CHECK-NEXT:    if (_d_b && static_cast<const void *>(_d_b) == static_cast<const void *>(b))
// CHECK-NEXT:      throw std::invalid_argument("dot_vjp: the gradient buffer of 'b' is the input 'b': the gradient would be wrong; pass a separate buffer");
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
#else
int main() {
  double a[2] = {1.5, -2.0}, da[2] = {1, 1};
  try {
    square_grad(a, a, 2, da, da);
    std::printf("no error\n");
  } catch (const std::invalid_argument &E) {
    std::printf("%s\n", E.what());
  }
  // OUT: square_grad: 'x' and 'out' are the same buffer, but 'out' is a differentiated output: the gradient would be wrong; pass distinct buffers
  double out[2], dx[2] = {0, 0};
  try {
    square_grad(a, out, 2, da, da);
    std::printf("no error\n");
  } catch (const std::invalid_argument &E) {
    std::printf("%s\n", E.what());
  }
  // OUT: square_grad: the adjoints of 'x' and 'out' are the same buffer
  // Distinct buffers, and null buffers for an empty problem, are fine.
  double dout[2] = {1, 1};
  square_grad(a, out, 2, dx, dout);
  square_grad(nullptr, nullptr, 0, nullptr, nullptr);
  std::printf("dx = %.1f %.1f\n", dx[0], dx[1]);
  // OUT: dx = 3.0 -4.0
  double db[2] = {0, 0};
  dot_grad(a, a, 2, db, db);
  std::printf("dot(a, a): %.1f %.1f\n", db[0], db[1]);
  // OUT: dot(a, a): 3.0 -4.0
  double c[2] = {0.5, 4.0};
  try {
    dot_grad(a, c, 2, db, a);
    std::printf("no error\n");
  } catch (const std::invalid_argument &E) {
    std::printf("%s\n", E.what());
  }
  // OUT: dot_vjp: the gradient buffer of 'b' is the input 'a': the gradient would be wrong; pass a separate buffer
  std::printf("a unchanged: %.1f %.1f\n", a[0], a[1]);
  // OUT: a unchanged: 1.5 -2.0
}
#endif
