// --graph=dot: the backward graph as Graphviz DOT, edges from the inputs
// (AccumulateGrad leaves) to the output.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_gen --graph=dot %s -- -std=c++17 -I%adjoint_include | FileCheck %s
// RUN: %adjoint_gen --graph=dot --graph-out=%t/g.dot %s -- -std=c++17 -I%adjoint_include
// RUN: FileCheck %s < %t/g.dot
// RUN: not %adjoint_gen --graph=png %s -- -std=c++17 -I%adjoint_include 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not %adjoint_gen --explain -o %t/x.cpp %s -- -std=c++17 -I%adjoint_include 2>&1 | FileCheck %s --check-prefix=NOOUT
#include <adjoint/adjoint.h>

using adjoint::Tensor;

ADJOINT_GRAD(w, b)
Tensor loss(const Tensor &x, const Tensor &y, const Tensor &w,
            const Tensor &b) {
  Tensor z = matmul(x, w) + b;
  return binary_cross_entropy_with_logits(z, y);
}

// CHECK: digraph adjoint {
// CHECK: subgraph cluster_0 {
// CHECK-NEXT: label="loss: gradient with respect to w, b";
// CHECK-DAG: [[W:f0_n[0-9]+]] [label="AccumulateGrad\nw", fillcolor=lightblue];
// CHECK-DAG: [[B:f0_n[0-9]+]] [label="AccumulateGrad\nb", fillcolor=lightblue];
// CHECK-DAG: [[MM:f0_n[0-9]+]] [label="MmBackward0\nmatmul(x, w)"];
// CHECK-DAG: [[ADD:f0_n[0-9]+]] [label="AddBackward0\nmatmul(x, w) + b -> z"];
// CHECK-DAG: [[BCE:f0_n[0-9]+]] [label="BinaryCrossEntropyWithLogitsBackward0\nbinary_cross_entropy_with_logits(z, y)"];
// CHECK-DAG: [[OUT:f0_out0]] [label="result", shape=ellipse
// CHECK-DAG: [[W]] -> [[MM]];
// CHECK-DAG: [[MM]] -> [[ADD]];
// CHECK-DAG: [[B]] -> [[ADD]];
// CHECK-DAG: [[ADD]] -> [[BCE]];
// CHECK-DAG: [[BCE]] -> [[OUT]];
// CHECK: }
// CHECK-NEXT: }

// BAD: unknown --graph format 'png' (expected: dot)
// NOOUT: --explain and --graph rewrite nothing
