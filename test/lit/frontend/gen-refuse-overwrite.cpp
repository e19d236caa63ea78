// adjoint-gen never overwrites its input without --in-place.
// RUN: rm -rf %t && mkdir -p %t
// RUN: cp %s %t/in.cpp
// RUN: not %adjoint_gen %t/in.cpp -o %t/in.cpp -- -std=c++17 -I%adjoint_include 2>&1 | FileCheck %s
// RUN: not %adjoint_gen %t/in.cpp -o %t/./in.cpp -- -std=c++17 -I%adjoint_include 2>&1 | FileCheck %s
// RUN: not %adjoint_gen %t/in.cpp --in-place -o %t/out.cpp -- -std=c++17 -I%adjoint_include 2>&1 | FileCheck %s --check-prefix=BOTH
// RUN: diff %s %t/in.cpp
// CHECK: error: refusing to overwrite the input '{{.*}}in.cpp' with -o; use --in-place to replace it
// BOTH: error: -o and --in-place exclude each other
#include <adjoint/adjoint.h>

ADJOINT_GRAD(x) double sq(double x) { return x * x; }
