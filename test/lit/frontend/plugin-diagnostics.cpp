// Core diagnostics are ordinary Clang errors: file:line:col, the source line
// with a caret, and a failing compile.
// RUN: not %adjoint_cxx -c %s -o /dev/null 2>&1 | FileCheck %s
#include <adjoint/adjoint.h>

ADJOINT_GRAD(x) double pick(double x) {
  asm("nop");
  // CHECK: plugin-diagnostics.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate inline assembly in 'pick'
  // CHECK-NEXT: {{^( *[0-9]* [|] ?)?}}  asm("nop");
  // CHECK-NEXT: {{^( *[0-9]* [|] ?)?}}  ^
  return x;
}
