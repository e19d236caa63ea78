// Code with errors: the compiler's own errors come out as they are, and
// adjoint adds none about a function whose body has errors (it is not
// differentiated), while the other functions still get their gradients.
// adjoint-gen prints the same errors (not those about the gradients the code
// calls before they exist) and writes nothing.
// RUN: rm -rf %t && mkdir -p %t
// RUN: not %adjoint_cxx -fsyntax-only %s 2>&1 | FileCheck %s --implicit-check-not=adjoint --implicit-check-not=error:
// RUN: not %adjoint_gen %s -o %t/out.cpp -- -std=c++17 -I%adjoint_include 2>&1 | FileCheck %s --check-prefixes=CHECK,GEN --implicit-check-not=error:
// RUN: test ! -e %t/out.cpp
#include <adjoint/adjoint.h>

ADJOINT_GRAD(x)
double f(double x) { return x * ; }
// CHECK: source-errors.cpp:[[@LINE-1]]:33: error: expected expression

ADJOINT_GRAD(x)
double h(double x) { return x * y_typo; }
// CHECK: source-errors.cpp:[[@LINE-1]]:33: error: use of undeclared identifier 'y_typo'

ADJOINT_GRAD(x)
double g(double x) { return x * x; }

int main() {
  double d = 0;
  return g_grad(1.0, d) > 0;
}
// GEN: adjoint-gen: error: '{{.*}}source-errors.cpp' has errors; nothing was written
