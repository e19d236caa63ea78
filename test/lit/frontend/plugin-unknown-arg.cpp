// An unknown plugin argument is an error, not silently ignored.
// RUN: not %adjoint_cxx -fsyntax-only -fplugin-arg-adjoint-bogus %s 2>&1 | FileCheck %s
// RUN: not %adjoint_cxx -fsyntax-only -fplugin-arg-adjoint-dump-dir= %s 2>&1 | FileCheck %s --check-prefix=EMPTY
// CHECK: error: unknown argument 'bogus' for plugin 'adjoint' (expected -fplugin-arg-adjoint-dump, -fplugin-arg-adjoint-dump-dir=DIR, -fplugin-arg-adjoint-no-fusion or -fplugin-arg-adjoint-verify)
// EMPTY: error: unknown argument 'dump-dir=' for plugin 'adjoint'
int main() {}
