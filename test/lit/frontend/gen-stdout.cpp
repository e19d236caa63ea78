// Without -o and --in-place the rewritten file goes to stdout; a file without
// annotated functions comes out unchanged.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_gen %s -- -std=c++17 -I%adjoint_include | FileCheck %s
// RUN: %adjoint_gen %S/Inputs/plain.cpp -- -std=c++17 > %t/plain.cpp
// RUN: diff %S/Inputs/plain.cpp %t/plain.cpp
#include <adjoint/adjoint.h>

ADJOINT_GRAD(x) double sq(double x) { return x * x; }
// CHECK: double sq(double x)
// CHECK: {{.*}} sq_grad(double x
