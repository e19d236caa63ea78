// A function template taking a callable (the shape of ODE steppers and line
// searches), instantiated with a class declared before it: the pullback is
// a specialization for that class, and the call of operator() inside is
// differentiated like a member call. (A lambda's type cannot be named where
// the pullback goes: errors-unnameable-arguments.cpp.)
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

namespace ode {
struct Logistic {
  double rate;
  double operator()(double y) const { return rate * y * (1.0 - y); }
};

template <class F> double euler(const F &f, double y, double h) {
  return y + h * f(y);
}
} // namespace ode
// CHECK: ::ode::euler_pullback_const_f<ode::Logistic>(f, y, 0.2,

ADJOINT_GRAD(y0)
double integrate(double y0) {
  ode::Logistic f{1.5};
  double y = y0;
  for (int i = 0; i < 4; ++i)
    y = ode::euler(f, y, 0.2);
  return y;
}

int main() {
  using V = std::vector<double>;
  double d = 0;
  integrate_grad(0.3, d);
  lit::check("integrate", [](const V &v) { return integrate(v[0]); }, {0.3}, {d});
  return 0;
}
// OUT: gradcheck integrate: ok
