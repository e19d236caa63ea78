// Without annotated functions the plugin changes nothing: same assembly as
// without it, no output on stderr even with -dump.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %plain_cxx -S %s -o %t/plain.s
// RUN: %adjoint_cxx -fplugin-arg-adjoint-dump -S %s -o %t/plugin.s 2> %t/err.txt
// RUN: diff %t/plain.s %t/plugin.s
// RUN: FileCheck %s --allow-empty < %t/err.txt
// CHECK-NOT: {{.}}
#include <adjoint/adjoint.h>
#include <cmath>

double f(double x) { return std::sin(x) * x; }
int main() { return f(1.0) > 0 ? 0 : 1; }
