// Operands spelled by macros: the generated code follows the parse, not the
// spelling. `DEN` (for `a + b`) used as an operand of the adjoint gets
// parentheses; it was pasted as `DEN * _seed`, which is `a + b * _seed`.
// Variables renamed in the generated code (hoisted locals) are renamed
// inside macro expansions too.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"

#define DEN a + b
#define SUM(u, v) u + v
#define SQUARE_T (t * t)

ADJOINT_GRAD(a, b, x) double spelled(double a, double b, double x) {
  return (DEN) * x + x / (DEN) + (SUM(a, x)) * b;
}
// CHECK-LABEL: double spelled_vjp(
// CHECK:         _d_x += (a + b) * _seed;
// CHECK-NEXT:    double _r1 = _seed / (a + b);
// CHECK:         _d_b += (a + x) * _seed;

// The second `t` is hoisted as t_1; SQUARE_T names it inside the macro.
ADJOINT_GRAD(x) double renamed(double x, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i) {
    double t = x * i;
    s += SQUARE_T;
  }
  if (n > 1) {
    double t = x * x;
    s += SQUARE_T * x;
  }
  return s;
}
// CHECK-LABEL: double renamed_vjp(
// CHECK:         s += (t_1 * t_1) * x;

// A call inside a macro argument is computed before the macro's expression
// that uses it; both are at the expansion's location (the outer one was
// computed first, from an unset temporary).
ADJOINT_GRAD(a, b) double argument(double a, double b) {
  double q = a;
  q *= SUM(0.5, std::tanh(b));
  return q;
}
// CHECK-LABEL: double argument_vjp(
// CHECK:         _t1 = std::tanh(b);
// CHECK-NEXT:    _t0 = 0.5 + _t1;

int main() {
  {
    double da = 0, db = 0, dx = 0;
    spelled_grad(0.3, -0.7, 1.1, da, db, dx);
    lit::check("spelled",
               [](const std::vector<double> &p) { return spelled(p[0], p[1], p[2]); },
               {0.3, -0.7, 1.1}, {da, db, dx});
  }
  {
    double dx = 0;
    renamed_grad(0.7, 3, dx);
    lit::check("renamed",
               [](const std::vector<double> &p) { return renamed(p[0], 3); },
               {0.7}, {dx});
  }
  {
    double da = 0, db = 0;
    argument_grad(0.3, 0.7, da, db);
    lit::check("argument",
               [](const std::vector<double> &p) { return argument(p[0], p[1]); },
               {0.3, 0.7}, {da, db});
  }
}
// OUT: gradcheck spelled: ok
// OUT: gradcheck renamed: ok
// OUT: gradcheck argument: ok
