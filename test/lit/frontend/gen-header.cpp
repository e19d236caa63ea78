// Rewritten headers go to --header-dir (same file name); without it (or
// --in-place) adjoint-gen refuses and writes nothing.
// RUN: rm -rf %t && mkdir -p %t
// RUN: not %adjoint_gen %s -o %t/out.cpp -- -std=c++17 -I%adjoint_include -I%S/Inputs 2>&1 | FileCheck %s --check-prefix=REFUSE
// RUN: test ! -e %t/out.cpp
// RUN: not %adjoint_gen %s -o %t/out.cpp --header-dir %S/Inputs -- -std=c++17 -I%adjoint_include -I%S/Inputs 2>&1 | FileCheck %s --check-prefix=SELF
// RUN: %adjoint_gen %s -o %t/out.cpp --header-dir %t/hdr -- -std=c++17 -I%adjoint_include -I%S/Inputs
// RUN: FileCheck %s < %t/hdr/cube.h
// RUN: %gxx -I%t/hdr -I%S/Inputs %t/out.cpp -o %t/a.out %adjoint_link
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// REFUSE: error: header '{{.*}}cube.h' has annotated functions; pass --header-dir DIR or --in-place
// SELF: error: --header-dir would overwrite the header '{{.*}}cube.h' itself
// CHECK: inline double cube(double x)
// CHECK: cube_grad(double x
#include "cube.h"
#include <cstdio>

int main() {
  double dx = 0;
  cube_grad(2.0, dx);
  std::printf("dx = %.3f\n", dx);
  // OUT: dx = 12.000
}
