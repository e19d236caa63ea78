// Helpers whose body a macro writes (`DEFINE_SCALE(name, k)`, common in C
// numerical code) have no text adjoint can rewrite, and code inserted after
// them would land inside the macro's invocation: a located error at the
// call that names the macro and the pullback to write. With that custom
// pullback the call is differentiated.
// RUN: not %adjoint_cxx -DNO_CUSTOM -I%S/../scalar/Inputs -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR --implicit-check-not="error:"
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs %s -o %t/a.out %adjoint_link
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"

#define DEFINE_SCALE(NAME, K)                                                 \
  double NAME(double v) { return K * v * v; }

DEFINE_SCALE(twice_sq, 2.0)
DEFINE_SCALE(thrice_sq, 3.0)

#ifndef NO_CUSTOM
void twice_sq_pullback(double v, double _d_return, double &_d_v) {
  _d_v += 4.0 * v * _d_return;
}
void thrice_sq_pullback(double v, double _d_return, double &_d_v) {
  _d_v += 6.0 * v * _d_return;
}
#endif

ADJOINT_GRAD(x)
double f(double x) { return twice_sq(x) + x * thrice_sq(x); }
// ERR: macro-defined-callee.cpp:[[@LINE-1]]:29: error: adjoint: cannot differentiate the call to 'twice_sq': its body is written by the macro 'DEFINE_SCALE', whose expansion adjoint cannot rewrite; define it without the macro, or provide a custom pullback 'void twice_sq_pullback(double v, double _d_return, double &_d_v)' next to it (see docs/custom-derivatives.md)
// ERR: macro-defined-callee.cpp:[[@LINE-2]]:47: error: adjoint: cannot differentiate the call to 'thrice_sq'

#ifndef NO_CUSTOM
int main() {
  using V = std::vector<double>;
  double dx = 0;
  f_grad(1.5, dx);
  lit::check("f", [](const V &v) { return f(v[0]); }, {1.5}, {dx});
  return 0;
}
#endif
// OUT: gradcheck f: ok
