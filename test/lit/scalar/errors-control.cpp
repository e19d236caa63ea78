// Unsupported control flow and statements: a clean error with file:line:col
// and a hint, no crash, and no object file.
// RUN: not %adjoint_cxx -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not="Stack dump" --implicit-check-not="warning:"
#include <adjoint/adjoint.h>

ADJOINT_GRAD(x) double g_goto(double x) {
  double y = x;
again:
  // CHECK: errors-control.cpp:[[@LINE-1]]:1: error: adjoint: cannot differentiate 'goto' in 'g_goto': use structured control flow
  // CHECK-NEXT: {{^( *[0-9]* [|] ?)?}}again:
  // CHECK-NEXT: {{^( *[0-9]* [|] ?)?}}^
  y = y * 2.0;
  if (y < 10.0)
    goto again;
  // CHECK: errors-control.cpp:[[@LINE-1]]:5: error: adjoint: cannot differentiate 'goto' in 'g_goto'
  return y;
}

// (break, continue, return in loops and switch are supported: see
// test/lit/controlflow.)

// A loop condition with a side effect.
ADJOINT_GRAD(x) double g_loop_effect(double x, int n) {
  double y = x;
  int k = 0;
  while (k++ < n)
  // CHECK: errors-control.cpp:[[@LINE-1]]:10: error: adjoint: cannot differentiate a loop condition with side effects in 'g_loop_effect': move the side effect into a separate statement
    y = y * x;
  return y;
}

// A case range (GNU extension).
ADJOINT_GRAD(x) double g_case_range(double x, int k) {
  double y = x;
  switch (k) {
  case 1 ... 3:
  // CHECK: errors-control.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a case range in 'g_case_range': list the values
    y = y * x;
    break;
  }
  return y;
}

ADJOINT_GRAD(x) double g_try(double x) {
  try {
  // CHECK: errors-control.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a 'try' block in 'g_try': move exception handling out of the differentiated function
    return x * x;
  } catch (...) {
    return 0.0;
  }
}

ADJOINT_GRAD(x) double g_assign_expr(double x) {
  double y;
  double z = (y = x * 2.0) + 1.0;
  // CHECK: errors-control.cpp:[[@LINE-1]]:15: error: adjoint: cannot differentiate an assignment inside an expression in 'g_assign_expr': make the assignment a statement of its own
  return z * y;
}

// A range-based for loop over a range that is not a variable is reported as
// the loop, not through its hidden iterators.
ADJOINT_GRAD(x) double rangeFor(double x) {
  double s = 0;
  for (double e : {x, 2 * x, 3 * x})
    s += e * e;
  // CHECK: errors-control.cpp:[[@LINE-2]]:3: error: adjoint: cannot differentiate a range-based 'for' loop over this range in 'rangeFor': loop over a C array or std::vector variable, or write an index loop
  // CHECK-NOT: __begin
  return s;
}

// Unsupported constructs in one function do not stop the others.
ADJOINT_GRAD(x) double fine(double x) { return x * x; }

// CHECK: 7 errors generated.
