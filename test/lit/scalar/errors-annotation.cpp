// Annotations that cannot be honoured: a name that is not a parameter, an
// integer parameter, a non-static member function, member templates and
// templates with parameter packs.
// RUN: not %adjoint_cxx -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not="Stack dump" --implicit-check-not="warning:"
#include <adjoint/adjoint.h>

ADJOINT_GRAD(x, z) double g_notparam(double x, double y) { return x * y; }
// CHECK: errors-annotation.cpp:[[@LINE-1]]:1: error: adjoint: 'z' in ADJOINT_GRAD is not a parameter of 'g_notparam'
// CHECK-NEXT: {{^( *[0-9]* [|] ?)?}}ADJOINT_GRAD(x, z) double g_notparam(double x, double y) { return x * y; }
// CHECK-NEXT: {{^( *[0-9]* [|] ?)?}}^

ADJOINT_GRAD(x, n) double g_int(double x, int n) { return x * n; }
// CHECK: errors-annotation.cpp:[[@LINE-1]]:1: error: adjoint: cannot differentiate with respect to 'n' of type 'int': only float and double values, references and pointers are differentiable

ADJOINT_GRAD() double g_noreal(int n, long m) { return n * m; }
// CHECK: errors-annotation.cpp:[[@LINE-1]]:1: error: adjoint: 'g_noreal' has no float or double parameter to differentiate with respect to

struct S {
  double w;
  ADJOINT_GRAD(x) double member(double x);
};
double S::member(double x) { return w * x; }
// CHECK: errors-annotation.cpp:[[@LINE-1]]:11: error: adjoint: define member function 'member' inside its class so its gradient can be declared there

struct Holder {
  template <class T> ADJOINT_GRAD(x) static T g_template(T x) { return x * x; }
  // CHECK: errors-annotation.cpp:[[@LINE-1]]:47: error: adjoint: cannot differentiate the member template or member of a class template 'g_template': annotate a function template or function at namespace scope that calls it
};
double use_template(double v) { return Holder::g_template(v); }

template <class... T> ADJOINT_GRAD(x) double g_pack(double x, T... rest) { return x * x; }
// CHECK: errors-annotation.cpp:[[@LINE-1]]:46: error: adjoint: cannot differentiate function template 'g_pack': it has a parameter pack; annotate a function that calls it
double use_pack(double v) { return g_pack(v, 1, 2); }

template <int N> ADJOINT_GRAD(x) double g_unused(double x) { return N * x; }
// CHECK: errors-annotation.cpp:[[@LINE-1]]:41: error: adjoint: function template 'g_unused' has no instantiation to differentiate: instantiate it in this file (call it, or 'template double g_unused<...>(...);')

ADJOINT_GRAD(x) int g_intresult(double x) { return (int)x; }
// CHECK: errors-annotation.cpp:[[@LINE-1]]:21: error: adjoint: cannot differentiate 'g_intresult': its result type 'int' is not float{{.*}}

// CHECK: 8 errors generated.
