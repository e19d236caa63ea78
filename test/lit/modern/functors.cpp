// Calls of operator() on function objects whose data are constants: named
// functors, temporaries, and a cost functor with a member template
// `template <class T> bool operator()(const T *a, T *r) const` as in
// nonlinear least-squares libraries. The pullback is a member of the
// functor's class (`call_pullback`, one overload per instantiation of a
// template), run on the same object. These were copied without adjoint code
// before session 6 (zero gradients) and rejected in session 6.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: %gxx -I%S/../scalar/Inputs %t/gen.cpp -o %t/gxx.out %adjoint_link
// RUN: %t/gxx.out | FileCheck %s --check-prefix=OUT
// RUN: not %adjoint_cxx -I%S/../scalar/Inputs -DERRORS -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR --implicit-check-not="error:"
#include "check.h"
#include <cmath>
#include <vector>

// A cost functor in the style of nonlinear least-squares libraries.
struct Rosenbrock {
  double a, b;
  template <class T> bool operator()(const T *p, T *residual) const {
    residual[0] = T(a) - p[0];
    residual[1] = std::sqrt(b) * (p[1] - p[0] * p[0]);
    return true;
  }
};

struct Gaussian {
  double mu, sigma;
  double operator()(double v) const {
    double z = (v - mu) / sigma;
    return std::exp(-0.5 * z * z);
  }
};

ADJOINT_GRAD(x) double rosenbrock(const double *x) {
  double r[2];
  Rosenbrock cost{1.0, 100.0};
  cost(x, r);
  return r[0] * r[0] + r[1] * r[1];
}
// CHECK-LABEL: double rosenbrock_vjp(
// CHECK:         cost.call_pullback(x, r, _d_x, _d_r);

ADJOINT_GRAD(x) double temporaries(const double *x, int n) {
  double s = 0;
  for (int i = 0; i + 1 < n; ++i) {
    double r[2];
    bool ok = Rosenbrock{1.0, 10.0}(x + i, r);
    if (!ok)
      return 0;
    s += r[0] * r[0] + r[1] * r[1];
    s += Gaussian{0.5, 2.0}(x[i]) * x[i + 1];
  }
  return s;
}
// CHECK-LABEL: double temporaries_vjp(
// CHECK:         (Gaussian{0.5, 2.0}).call_pullback(
// CHECK:         (Rosenbrock{1.0, 10.0}).call_pullback(x + i, r, _d_x + i, _d_r);
// CHECK-LABEL: void call_pullback(double v, double _d_return, double &_d_v) const {
// CHECK-LABEL: void call_pullback(const double * p, double * residual, double *_d_p, double *_d_residual) const {
// CHECK-NEXT:    using T = double;

#ifdef ERRORS
// A functor whose operator() ends in a macro: its generated member would be
// inserted after the macro's expansion, outside the class.
#define END_FUNCTOR                                                           \
  return true;                                                                \
  }                                                                           \
  }
struct InMacro {
  template <class T> bool operator()(const T *p, T *r) const {
    r[0] = p[0] * p[0];
END_FUNCTOR;
ADJOINT_GRAD(x) double macroFunctor(const double *x) {
  double r[1];
  InMacro()(x, r);
  // ERR: functors.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate the call of 'InMacro::operator()': its definition ends inside a macro expansion, after which adjoint would insert its generated member function outside the class; end the function outside the macro
  return r[0];
}
#else
int main() {
  std::vector<double> x = {-1.2, 1.0, 0.7, 0.4};
  std::vector<double> g(2, 0.0);
  rosenbrock_grad(x.data(), g.data());
  lit::check("rosenbrock",
             [](const std::vector<double> &p) { return rosenbrock(p.data()); },
             {-1.2, 1.0}, g);
  std::vector<double> g4(4, 0.0);
  temporaries_grad(x.data(), 4, g4.data());
  lit::check("temporaries",
             [](const std::vector<double> &p) { return temporaries(p.data(), 4); },
             x, g4);
}
#endif
// OUT: rosenbrock: -215.600000 -88.000000
// OUT: gradcheck rosenbrock: ok
// OUT: gradcheck temporaries: ok
