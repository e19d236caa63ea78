// -p takes the compile flags from a compile_commands.json.
// RUN: rm -rf %t && mkdir -p %t/build
// RUN: cp %s %t/main.cpp
// RUN: echo '[{"directory": "%t", "file": "%t/main.cpp", "command": "clang++ -std=c++17 -I%adjoint_include -DSCALE=3 -c main.cpp"}]' > %t/build/compile_commands.json
// RUN: %adjoint_gen -p %t/build %t/main.cpp -o %t/out.cpp
// RUN: FileCheck %s < %t/out.cpp
// RUN: %gxx -DSCALE=3 %t/out.cpp -o %t/a.out %adjoint_link
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include <adjoint/adjoint.h>
#include <cstdio>

// SCALE only exists in the compile command: without it, nothing parses.
ADJOINT_GRAD(x) double scaled(double x) { return SCALE * x * x; }
// CHECK: void scaled_grad(double x

int main() {
  double dx = 0;
  scaled_grad(1.0, dx);
  std::printf("dx = %.3f\n", dx);
  // OUT: dx = 6.000
}
