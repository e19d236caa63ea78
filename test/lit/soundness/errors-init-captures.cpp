// A lambda's init-capture (`[y = x * x]`) is a variable of the closure
// initialized where the lambda is created; the activity analysis sees no
// flow from its initializer, so one that may carry derivatives would give a
// zero gradient (and a pullback naming it did not compile). Each is a located
// error saying what to capture instead. A derivative-free init-capture is
// accepted where no pullback reads it, and an error where one would.
// RUN: not %adjoint_cxx -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not="error:"
#include <adjoint/adjoint.h>

ADJOINT_GRAD(x) double byValue(double x) {
  auto f = [y = x * x]() { return 3 * y; };
  // CHECK: errors-init-captures.cpp:[[@LINE-1]]:13: error: adjoint: cannot differentiate the init-capture 'y' in 'byValue': declare a local before the lambda ('double y = x * x;') and capture it
  return f();
}

ADJOINT_GRAD(x) double byReference(double x) {
  auto f = [&r = x](double t) { return r * t; };
  // CHECK: errors-init-captures.cpp:[[@LINE-1]]:14: error: adjoint: cannot differentiate the init-capture 'r' in 'byReference': capture the variable itself by reference ('[&x]') and use its name
  return f(2.0);
}

ADJOINT_GRAD(x) double element(const double *x) {
  auto f = [&e = x[1]](double t) { return e * t; };
  // CHECK: errors-init-captures.cpp:[[@LINE-1]]:14: error: adjoint: cannot differentiate the init-capture 'e' in 'element': capture by reference ('[&]') and write 'x[1]' in the body instead of 'e'
  return f(x[0]);
}

ADJOINT_GRAD(x) double pointer(const double *x) {
  auto f = [p = x](int i) { return p[i] * p[i]; };
  // CHECK: errors-init-captures.cpp:[[@LINE-1]]:13: error: adjoint: cannot differentiate the init-capture 'p' in 'pointer': declare a local before the lambda ('const double * p = x;') and capture it
  return f(0) + f(1);
}

// With a differentiated parameter as well (the pullback named 's' before).
ADJOINT_GRAD(x) double withParameter(double x) {
  auto f = [s = x](double t) { return s * t; };
  // CHECK: errors-init-captures.cpp:[[@LINE-1]]:13: error: adjoint: cannot differentiate the init-capture 's' in 'withParameter': declare a local before the lambda ('double s = x;') and capture it
  return f(x);
}

// An integer init-capture read by the pullback of a differentiated call.
ADJOINT_GRAD(x) double integerCapture(double x) {
  auto f = [n = 3](double t) { return n * t * t; };
  // CHECK: errors-init-captures.cpp:[[@LINE+1]]:10: error: adjoint: cannot differentiate a lambda with the init-capture 'n' in 'integerCapture': declare it as a local before the lambda and capture that
  return f(x);
}

// Only the forward sweep calls this one: no error.
ADJOINT_GRAD(x) double forwardOnly(const double *x) {
  auto next = [step = 1](int i) { return i + step; };
  return x[next(0)] * x[0];
}
