// adjoint-gen -o writes the rewritten file; g++ compiles it and the gradient
// is right.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_gen %s -o %t/out.cpp -- -std=c++17 -I%adjoint_include
// RUN: FileCheck %s < %t/out.cpp
// RUN: %gxx %t/out.cpp -o %t/a.out %adjoint_link
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include <adjoint/adjoint.h>
#include <cstdio>

ADJOINT_GRAD(x) double sq(double x) { return x * x; }
// CHECK: ADJOINT_GRAD(x) double sq(double x) { return x * x; }
// CHECK-NEXT: #pragma GCC diagnostic push
// CHECK: #line
// CHECK: {{.*}} sq_grad(double x
// CHECK: #line [[@LINE-5]]

int main() {
  double dx = 0;
  sq_grad(3.0, dx);
  std::printf("dx = %.3f\n", dx);
  // OUT: dx = 6.000
}
