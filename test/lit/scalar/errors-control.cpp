// Unsupported control flow and statements: a clean error with file:line:col
// and a hint, no crash, and no object file.
// RUN: not %adjoint_cxx -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not="Stack dump" --implicit-check-not="warning:"
#include <adjoint/adjoint.h>

ADJOINT_GRAD(x) double g_goto(double x) {
  double y = x;
again:
  // CHECK: errors-control.cpp:[[@LINE-1]]:1: error: adjoint: cannot differentiate 'goto' in 'g_goto': use structured control flow
  // CHECK-NEXT: {{^}}again:
  // CHECK-NEXT: {{^}}^
  y = y * 2.0;
  if (y < 10.0)
    goto again;
  // CHECK: errors-control.cpp:[[@LINE-1]]:5: error: adjoint: cannot differentiate 'goto' in 'g_goto'
  return y;
}

ADJOINT_GRAD(x) double g_break(double x, int n) {
  double y = x;
  for (int i = 0; i < n; ++i) {
  // CHECK: errors-control.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a loop containing 'break' or 'continue' in 'g_break': express the exit in the loop condition
    if (i > 3)
      break;
    y = y * x;
  }
  return y;
}

ADJOINT_GRAD(x) double g_continue(double x, int n) {
  double y = x;
  int i = 0;
  while (i < n) {
  // CHECK: errors-control.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a loop containing 'break' or 'continue' in 'g_continue': express the exit in the loop condition
    i += 1;
    if (y > 100.0)
      continue;
    y = y * x;
  }
  return y;
}

// break in an inner loop.
ADJOINT_GRAD(x) double g_inner_break(double x, int n) {
  double y = x;
  for (int i = 0; i < n; ++i) {
  // CHECK: errors-control.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a loop containing 'break' or 'continue' in 'g_inner_break'
    do {
      y = y * 0.5;
      if (y < 1.0)
        break;
    } while (true);
  }
  return y;
}

ADJOINT_GRAD(x) double g_switch(double x, int k) {
  switch (k) {
  // CHECK: errors-control.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a 'switch' statement in 'g_switch': use if/else
  case 0:
    return x;
  default:
    return x * x;
  }
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

// Unsupported constructs in one function do not stop the others.
ADJOINT_GRAD(x) double fine(double x) { return x * x; }

// CHECK: 8 errors generated.
