// Calls that cannot be differentiated: a function without a visible body (the
// message shows the custom pullback to write), virtual calls, calls through
// function pointers, and calls that update the caller's integers.
// RUN: not %adjoint_cxx -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not="Stack dump" --implicit-check-not="warning:"
#include <adjoint/adjoint.h>

double opaque(double v, int k);
float opaquef(float a, double b);

ADJOINT_GRAD(x) double g_nobody(double x) {
  return opaque(x, 3) * x;
  // CHECK: errors-calls.cpp:[[@LINE-1]]:10: error: adjoint: no derivative for the call to 'opaque' (its body is not visible): provide a custom pullback 'void opaque_pullback(double v, int k, double _d_return, double &_d_v)' in namespace adjoint::derivatives or next to 'opaque' (see docs/custom-derivatives.md)
  // CHECK-NEXT: {{^( *[0-9]* [|] ?)?}}  return opaque(x, 3) * x;
  // CHECK-NEXT: {{^( *[0-9]* [|] ?)?}}         ^
}

namespace lib {
double hidden(const double *p, double s);
}

ADJOINT_GRAD(x, s) float g_nobody2(float x, double s) {
  float y = opaquef(x, s);
  // CHECK: errors-calls.cpp:[[@LINE-1]]:13: error: adjoint: no derivative for the call to 'opaquef' (its body is not visible): provide a custom pullback 'void opaquef_pullback(float a, double b, float _d_return, float &_d_a, double &_d_b)'
  return y;
}

ADJOINT_GRAD(p) double g_nobody3(const double *p) {
  return lib::hidden(p, 2.0);
  // CHECK: errors-calls.cpp:[[@LINE-1]]:10: error: adjoint: no derivative for the call to 'lib::hidden' (its body is not visible): provide a custom pullback 'void hidden_pullback(const double * p, double s, double _d_return, double *_d_p, double &_d_s)' in namespace adjoint::derivatives or next to 'hidden'
}

double unnamed(double, int, double arg0);

ADJOINT_GRAD(x) double g_unnamed(double x) {
  return unnamed(x, 2, x);
  // CHECK: errors-calls.cpp:[[@LINE-1]]:10: error: adjoint: no derivative for the call to 'unnamed' (its body is not visible): provide a custom pullback 'void unnamed_pullback(double _arg0, int arg1, double arg0, double _d_return, double &_d__arg0, double &_d_arg0)'
}

struct Base {
  virtual double eval(double v) const { return v; }
};

ADJOINT_GRAD(x) double g_virtual(double x, const Base &b) {
  return b.eval(x);
  // CHECK: errors-calls.cpp:[[@LINE-1]]:10: error: adjoint: cannot differentiate a {{member or operator|virtual}} call in 'g_virtual'
}

ADJOINT_GRAD(x) double g_fnptr(double x, double (*f)(double)) {
  return f(x) * x;
  // CHECK: errors-calls.cpp:[[@LINE-1]]:10: error: adjoint: cannot differentiate a call through a function pointer in 'g_fnptr': call the function directly
}

// A pullback runs its call again: a callee that updates the caller's integer
// through a reference or pointer would see the value after the call (and
// update it twice), a silently wrong gradient. A callee that only reads
// through a non-const reference is fine.
inline double counted(double v, int &calls) {
  ++calls;
  return v * calls;
}
inline double counted_ptr(double v, int *calls) {
  *calls += 1;
  return v * *calls;
}
inline double reads_only(double v, int &k) { return v * k; }

ADJOINT_GRAD(x) double g_counted(double x, int &calls, int *more) {
  int k = 2;
  return counted(x, calls) + counted_ptr(x, more) + reads_only(x, k);
  // CHECK: errors-calls.cpp:[[@LINE-1]]:10: error: adjoint: cannot differentiate the call to 'counted', which writes 'calls' (an integer of the caller's) in 'g_counted': its pullback runs the call again, and would read and write the value after the call; pass the value and return the update, or provide a custom pullback (docs/custom-derivatives.md)
  // CHECK: errors-calls.cpp:[[@LINE-2]]:30: error: adjoint: cannot differentiate the call to 'counted_ptr', which writes 'calls' (an integer of the caller's) in 'g_counted'
  // CHECK-NOT: 'reads_only'
}

// The same for the function itself when its outputs are read in reverse:
// f_grad runs it once more to leave its results in them.
ADJOINT_GRAD(x, out) void g_rerun(const double *x, double *out, int &calls) {
  // CHECK: errors-calls.cpp:[[@LINE-1]]:27: error: adjoint: cannot differentiate a function that writes 'calls' (an integer of the caller's) and whose outputs the reverse sweep reads in 'g_rerun': the generated function runs it once more to leave its results in the outputs, which would write the integer twice; return the integer's update, or write the outputs from local values
  ++calls;
  out[0] = x[0] * x[0];
  out[0] = out[0] * x[1] * calls;
}

// Writes through a pointer to a scalar were not followed (a silently wrong
// gradient): taking a float or double variable's address is an error.
inline void square_into(double *o, double v) { *o = v * v; }
ADJOINT_GRAD(x) double g_address(double x) {
  double q = 0;
  square_into(&q, x);
  // CHECK: errors-calls.cpp:[[@LINE-1]]:15: error: adjoint: cannot differentiate taking the address of the double 'q' in 'g_address': adjoint does not follow values through a pointer to a scalar; pass it by reference, or make it a one-element array
  return q * x;
}
ADJOINT_GRAD(x) float g_local_pointer(float x) {
  float q = 0;
  float *p = &q;
  // CHECK: errors-calls.cpp:[[@LINE-1]]:14: error: adjoint: cannot differentiate taking the address of the float 'q' in 'g_local_pointer'
  *p = 2 * x;
  return q * x;
}

// CHECK: 11 errors generated.
