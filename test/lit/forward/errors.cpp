// What forward mode does not support yet is a located error naming the
// construct, never a silently wrong tangent; no object file is produced.
// RUN: not %adjoint_cxx -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not="Stack dump" --implicit-check-not="warning:"
#include <adjoint/adjoint.h>
#include <vector>

struct Point {
  double x, y;
};

ADJOINT_JVP(a) double member(Point p, double a) { return p.x * a; }
// CHECK: errors.cpp:[[@LINE-1]]:36: error: adjoint: forward mode (ADJOINT_JVP/ADJOINT_HESSIAN) does not support structs of reals yet ('p' of type 'Point')

ADJOINT_JVP(v) double vec(const std::vector<double> &v) { return v[0]; }
// CHECK: errors.cpp:[[@LINE-1]]:54: error: adjoint: forward mode (ADJOINT_JVP/ADJOINT_HESSIAN) does not support std::vector parameters yet ('v' of type 'const std::vector<double> &')

ADJOINT_JVP(x) double sw(double x, int k) {
  switch (k) {
  // CHECK: errors.cpp:[[@LINE-1]]:3: error: adjoint: forward mode (ADJOINT_JVP/ADJOINT_HESSIAN) does not support the statement 'SwitchStmt' yet (in 'sw')
  case 0:
    return x;
  default:
    return 2 * x;
  }
}

double counter = 0;
ADJOINT_JVP(x) double global(double x) {
  counter = x * 2;
  // CHECK: errors.cpp:[[@LINE-1]]:3: error: adjoint: forward mode (ADJOINT_JVP/ADJOINT_HESSIAN) does not support writing a real without a tangent (a global or a static variable) yet (in 'global')
  return counter;
}

ADJOINT_JVP(x) void unlisted(const double *x, double *y) { y[0] = x[0]; }
// CHECK: errors.cpp:[[@LINE-1]]:55: error: adjoint: ADJOINT_JVP of 'unlisted' must list 'y': 'unlisted' may write through it, so its elements need tangents (or make it a pointer to const)

ADJOINT_HESSIAN(x) void noresult(const double *x, double *y) { y[0] = x[0]; }
// CHECK: errors.cpp:[[@LINE-1]]:25: error: adjoint: ADJOINT_HESSIAN needs a float or double result; 'noresult' returns 'void'

ADJOINT_JVP(x, q) double notaparam(double x) { return x; }
// CHECK: errors.cpp:[[@LINE-1]]:1: error: adjoint: 'q' in ADJOINT_JVP is not a parameter of 'notaparam'

ADJOINT_JVP(x) double sideeffect(double *x, int n) {
  int i = 0;
  double s = x[i++] * 2;
  // CHECK: errors.cpp:[[@LINE-1]]:14: error: adjoint: forward mode (ADJOINT_JVP/ADJOINT_HESSIAN) does not support ++, -- or assignments inside the initializer of a real yet (in 'sideeffect')
  return s;
}

double noBody(double);
ADJOINT_JVP(x) double opaque(double x) { return noBody(x); }
// CHECK: errors.cpp:[[@LINE-1]]:49: error: adjoint: forward mode: no derivative for the call to 'noBody' (its body is not visible): provide a custom pullback for scalar arguments (see docs/custom-derivatives.md)

// A method of a class with real members: its pushforward would need the
// object's tangent.
struct Gain {
  double k;
  double apply(double x) const { return k * x; }
};
ADJOINT_JVP(x) double viaGain(double x) {
  Gain g{2.0};
  // CHECK: errors.cpp:[[@LINE-1]]:3: error: adjoint: forward mode (ADJOINT_JVP/ADJOINT_HESSIAN) does not support local variables of type 'Gain' yet (in 'viaGain')
  return g.apply(x);
  // CHECK: errors.cpp:[[@LINE-1]]:10: error: adjoint: forward mode (ADJOINT_JVP/ADJOINT_HESSIAN) does not support member function and operator calls of library classes, lambdas, virtual methods or classes with real members yet (in 'viaGain')
}
