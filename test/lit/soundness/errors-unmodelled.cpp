// Differentiated values passing through what adjoint does not model yet are
// located errors, never silently dropped derivatives (they gave zero
// gradients before): class temporaries and locals of classes adjoint does not
// model (user-defined copies and destructors; classes of doubles with
// constructors are supported, test/lit/struct/classes.cpp), iterators
// written by standard algorithms (lambdas capturing differentiated data:
// modern/lambda-captures.cpp).
// A value that does not reach the result is no error (a debug print).
// RUN: not %adjoint_cxx -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not="error:"
#include <adjoint/adjoint.h>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <utility>
#include <vector>

class V3 {
  double x, y, z;

public:
  V3(double a, double b, double c) : x(a), y(b), z(c) {}
  ~V3() {}
  V3 operator*(double s) const { return V3(x * s, y * s, z * s); }
  double sum() const { return x + y * z; }
};
struct P {
  double x, y;
  P(double a, double b) : x(a), y(b) {}
  P(const P &o) : x(o.x), y(o.y) {}
};
double norm2(const P &p) { return p.x * p.x + p.y * p.y; }

ADJOINT_GRAD(x) double classLocal(const double *x) {
  V3 a = V3(x[0], x[1], x[2]) * x[3];
  // CHECK: errors-unmodelled.cpp:[[@LINE-1]]:6: error: adjoint: cannot differentiate through 'a' of type 'V3': use a C array, std::vector<double> or scalar locals (or a struct of doubles: 'V3' has a user-defined copy, move or destructor)
  return a.sum();
}

ADJOINT_GRAD(x) double classTemporary(const double *x) {
  return norm2(P(x[0], x[1]));
  // CHECK: errors-unmodelled.cpp:[[@LINE-1]]:16: error: adjoint: cannot differentiate passing a differentiated value of type 'P' to 'norm2' in 'classTemporary': pass float or double values, pointers to them, a std::vector of them or a struct of doubles (public members, no user-defined copy)
}

ADJOINT_GRAD(x) double transformed(const double *x, int n) {
  std::vector<double> v;
  std::transform(x, x + n, std::back_inserter(v), [](double t) { return std::sin(t); });
  // CHECK: errors-unmodelled.cpp:[[@LINE-1]]:28: error: adjoint: cannot differentiate a call writing 'v' inside an expression in 'transformed': make the call a statement of its own ('f(x, r);', or 'bool ok = f(x, r);' and then test 'ok')
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += v[i];
  return s;
}

// Printing a differentiated value changes nothing the result depends on.
ADJOINT_GRAD(x) double printed(double x) {
  std::printf("x = %f\n", x);
  return x * x;
}

// A variable-length array (a GNU extension) gets a hint that fits it.
ADJOINT_GRAD(x) double variableLength(const double *x, int n) {
  double y[n];
  // CHECK: errors-unmodelled.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate the variable-length array 'y' in 'variableLength': use 'std::vector<double> y(n)' instead
  for (int i = 0; i < n; ++i)
    y[i] = x[i] * x[i];
  return y[0];
}

// A static local that changes cannot be replayed.
ADJOINT_GRAD(x) double staticCounter(double x) {
  static double calls = 0;
  // CHECK: errors-unmodelled.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a static local variable that is not constant in 'staticCounter': make it a non-static local
  calls += 1;
  return x * x * calls;
}

// A pair holding a pointer to a differentiated buffer: the callee may write
// through it (a const pair's pointer is still a pointer to non-const data).
void putFirst(const std::pair<double *, int> &p, double v) { p.first[0] = v; }
ADJOINT_GRAD(x) double throughPair(double x) {
  double a[2] = {0, 0};
  putFirst(std::make_pair(a, 1), x * x);
  // CHECK: errors-unmodelled.cpp:[[@LINE-1]]:12: error: adjoint: cannot differentiate a call writing 'a' inside an expression in 'throughPair': make the call a statement of its own
  return a[0];
}
