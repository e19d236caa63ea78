// A function template instantiated with a type that only its function can
// name (a lambda's closure type, a local class), or with a class declared
// after the template, has no pullback adjoint can define next to the
// template: a located error at the call, not generated code that fails to
// compile. A class declared before the template is fine
// (functor-arguments.cpp).
// RUN: not %adjoint_cxx -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not="error:"
#include <adjoint/adjoint.h>

template <class F> double step(F &&f, double y, double h) { return y + h * f(y); }

template <class F> double twice(F f, double y) { return f(f(y)); }

ADJOINT_GRAD(y0)
double with_lambda(double y0) {
  auto f = [](double y) { return -y * y; };
  return step(f, y0, 0.1);
}
// CHECK: errors-unnameable-arguments.cpp:[[@LINE-2]]:10: error: adjoint: cannot generate the pullback of 'step' for this call: its template argument for 'F' is the type of a lambda, which cannot be named outside that function, where adjoint defines the pullback: pass an object of a class with an operator() declared before the template; or provide a custom pullback (see docs/custom-derivatives.md)

ADJOINT_GRAD(y0)
double with_local_class(double y0) {
  struct Decay {
    double operator()(double y) const { return 0.5 * y; }
  };
  return twice(Decay(), y0);
}
// CHECK: errors-unnameable-arguments.cpp:[[@LINE-2]]:10: error: adjoint: cannot generate the pullback of 'twice' for this call: its template argument for 'F' is a type declared in a function

struct Late {
  double operator()(double y) const { return y * y * 0.25; }
};

ADJOINT_GRAD(y0)
double with_later_class(double y0) { return step(Late(), y0, 0.5); }
// CHECK: errors-unnameable-arguments.cpp:[[@LINE-1]]:45: error: adjoint: cannot generate the pullback of 'step' for this call: its template argument 'Late' is declared after the template, after which adjoint defines the pullback: declare it before 'step'
