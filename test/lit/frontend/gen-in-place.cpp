// --in-place replaces the file through a temporary file and a rename: the
// permissions stay, and no temporary file is left behind.
// RUN: rm -rf %t && mkdir -p %t
// RUN: cp %s %t/in.cpp
// RUN: chmod 600 %t/in.cpp
// RUN: %adjoint_gen --in-place %t/in.cpp -- -std=c++17 -I%adjoint_include
// RUN: FileCheck %s < %t/in.cpp
// RUN: stat -c %%a %t/in.cpp | FileCheck %s --check-prefix=PERM
// RUN: ls -A %t | FileCheck %s --check-prefix=LS
// A second run finds the generated functions and refuses, leaving the file.
// RUN: cp %t/in.cpp %t/first.cpp
// RUN: not %adjoint_gen --in-place %t/in.cpp -- -std=c++17 -I%adjoint_include 2>&1 | FileCheck %s --check-prefix=AGAIN
// RUN: diff %t/in.cpp %t/first.cpp
// AGAIN: in.cpp:[[@LINE+8]]:24: error: adjoint: 'sq_grad' is already defined at {{.*}}in.cpp:{{[0-9]+}}:{{[0-9]+}}: adjoint generates it from 'sq'; remove that definition (is this file the output of an earlier adjoint-gen run?) and run on the original source
// CHECK: double sq(double x)
// CHECK: {{.*}} sq_grad(double x
// PERM: 600
// LS: in.cpp
// LS-NOT: {{.}}
#include <adjoint/adjoint.h>

ADJOINT_GRAD(x) double sq(double x) { return x * x; }
