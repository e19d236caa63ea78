// --in-place replaces the file through a temporary file and a rename: the
// permissions stay, and no temporary file is left behind.
// RUN: rm -rf %t && mkdir -p %t
// RUN: cp %s %t/in.cpp
// RUN: chmod 600 %t/in.cpp
// RUN: %adjoint_gen --in-place %t/in.cpp -- -std=c++17 -I%adjoint_include
// RUN: FileCheck %s < %t/in.cpp
// RUN: stat -c %%a %t/in.cpp | FileCheck %s --check-prefix=PERM
// RUN: ls -A %t | FileCheck %s --check-prefix=LS
// CHECK: double sq(double x)
// CHECK: {{.*}} sq_grad(double x
// PERM: 600
// LS: in.cpp
// LS-NOT: {{.}}
#include <adjoint/adjoint.h>

ADJOINT_GRAD(x) double sq(double x) { return x * x; }
