// --graph-out=FILE.svg renders the graph with Graphviz's dot.
// REQUIRES: dot
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_gen --graph=dot --graph-out=%t/g.svg %s -- -std=c++17 -I%adjoint_include
// RUN: FileCheck %s < %t/g.svg
#include <adjoint/adjoint.h>

ADJOINT_GRAD(x)
double f(double x, double y) { return x * y + x; }

// CHECK: <svg
// CHECK: AccumulateGrad
// CHECK: MulBackward0
// CHECK: AddBackward0
