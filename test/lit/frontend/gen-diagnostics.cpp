// Core errors are printed like compiler errors; nothing is written and the
// exit status is 1.
// RUN: rm -rf %t && mkdir -p %t
// RUN: not %adjoint_gen %s -o %t/out.cpp -- -std=c++17 -I%adjoint_include 2>&1 | FileCheck %s
// RUN: test ! -e %t/out.cpp
#include <adjoint/adjoint.h>

ADJOINT_GRAD(x) double pick(double x) {
  asm("nop");
  // CHECK: gen-diagnostics.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate inline assembly in 'pick'
  // CHECK-NEXT: {{^( *[0-9]* [|] ?)?}}  asm("nop");
  // CHECK-NEXT: {{^( *[0-9]* [|] ?)?}}  ^
  return x;
}
