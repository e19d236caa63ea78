// The help documents where the outputs go.
// RUN: %adjoint_gen --help | FileCheck %s
// CHECK: --dump
// CHECK: --header-dir=<dir>
// CHECK: --in-place
// CHECK: -o{{[ =]}}<file>
// CHECK: Headers with annotated inline functions are rewritten too
