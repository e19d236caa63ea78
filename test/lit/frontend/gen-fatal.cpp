// A fatal error of the parse (here a missing header) is shown, since the AST
// would be incomplete, and nothing is written.
// RUN: rm -rf %t && mkdir -p %t
// RUN: not %adjoint_gen %s -o %t/out.cpp -- -std=c++17 2>&1 | FileCheck %s
// RUN: test ! -e %t/out.cpp
// CHECK: gen-fatal.cpp:[[@LINE+2]]:10: fatal error: 'no-such-header.h' file not found
// CHECK: adjoint-gen: error: '{{.*}}gen-fatal.cpp' has errors; nothing was written
#include "no-such-header.h"
