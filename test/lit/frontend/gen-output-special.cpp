// adjoint-gen -o to something that is not a regular file (a FIFO here, or
// /dev/null or /dev/stdout) writes into it; the atomic rename used for files
// would replace the device or pipe with a regular file.
// RUN: rm -rf %t && mkdir -p %t && mkfifo %t/fifo
// RUN: python3 %S/Inputs/write_to_fifo.py %adjoint_gen %s %t/fifo -std=c++17 -I%adjoint_include | FileCheck %s
#include <adjoint/adjoint.h>

ADJOINT_GRAD(x) double sq(double x) { return x * x; }
// CHECK: {{.*}} sq_grad(double x
// CHECK: still a fifo: True
