// An annotated inline function in a header gets its gradient in the header.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/err.txt
// RUN: FileCheck %s < %t/err.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "cube.h"
#include <cstdio>

// CHECK: // cube_grad, from cube

int main() {
  double dx = 0;
  cube_grad(2.0, dx);
  std::printf("dx = %.3f\n", dx);
  // OUT: dx = 12.000
}
