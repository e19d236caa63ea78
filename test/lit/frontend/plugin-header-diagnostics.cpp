// Errors in headers point into the header, before it is even included.
// RUN: not %adjoint_cxx -I%S/Inputs -fsyntax-only %s 2>&1 | FileCheck %s
// CHECK: Inputs{{/|\\}}bad.h:5:3: error: adjoint: cannot differentiate inline assembly in 'pick'
// CHECK-NEXT: {{^( *[0-9]* [|] ?)?}}  asm("nop");
// CHECK-NEXT: {{^( *[0-9]* [|] ?)?}}  ^
#include "bad.h"
