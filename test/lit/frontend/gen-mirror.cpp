// --mirror-dir (what CMake's adjoint_enable uses with GCC): the headers
// outside system directories are written under DIR/<absolute path>, the
// annotated one rewritten, each starting with a #line naming the original,
// and every #include of them names the copy by absolute path, so that the
// output compiles from anywhere without the original include path.
// --depfile lists the files read.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_gen %s -o %t/out.cpp --mirror-dir=%t/m --depfile=%t/out.d -- -std=c++17 -isystem %adjoint_include -I%S/Inputs
// RUN: FileCheck %s --check-prefix=MAIN < %t/out.cpp
// RUN: FileCheck %s --check-prefix=HDR < %t/m%S/Inputs/cube.h
// RUN: FileCheck %s --check-prefix=DEP < %t/out.d
// RUN: cd %t && %gxx out.cpp -o %t/a.out %adjoint_link
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// A second run leaves the mirrored files alone.
// RUN: touch -d '2000-01-01' %t/m%S/Inputs/cube.h
// RUN: %adjoint_gen %s -o %t/out.cpp --mirror-dir=%t/m -- -std=c++17 -isystem %adjoint_include -I%S/Inputs
// RUN: stat -c %%y %t/m%S/Inputs/cube.h | FileCheck %s --check-prefix=KEPT
// RUN: not %adjoint_gen %s --mirror-dir=%t/m --in-place -- -std=c++17 2>&1 | FileCheck %s --check-prefix=EXCL
// MAIN: #line 1 "{{.*}}gen-mirror.cpp"
// MAIN: #include "{{.*}}/m{{.*}}/Inputs/cube.h"
// MAIN: #include <cstdio>
// HDR: #line 1 "{{.*}}/Inputs/cube.h"
// HDR: inline double cube(double x)
// HDR: cube_grad(double x
// DEP: out.cpp: \
// DEP: gen-mirror.cpp \
// DEP: Inputs/cube.h \
// DEP: adjoint/adjoint.h
// KEPT: 2000-01-01
// EXCL: error: --mirror-dir excludes --in-place and --header-dir
#include "cube.h"
#include <cstdio>

int main() {
  double dx = 0;
  cube_grad(2.0, dx);
  std::printf("dx = %.3f\n", dx);
  // OUT: dx = 12.000
}
