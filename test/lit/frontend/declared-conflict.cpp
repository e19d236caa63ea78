// A declaration of a gradient that does not match the generated signature
// is an error showing both (plugin and adjoint-gen); so is one whose
// linkage differs, and a definition (the output of an earlier run).
// RUN: not %adjoint_cxx -fsyntax-only %s 2>&1 | FileCheck %s
// RUN: not %adjoint_gen %s -- -std=c++17 -I%adjoint_include 2>&1 | FileCheck %s
#include <adjoint/adjoint.h>

double sq_grad(double x, float &d_x);
// CHECK: declared-conflict.cpp:[[@LINE-1]]:8: error: adjoint: the declaration 'double sq_grad(double x, float &d_x)' does not match the gradient adjoint generates from 'sq': 'double sq_grad(double x, double &_d_x)'; declare it with the generated signature (or rename it)
// CHECK: declared-conflict.cpp:[[@LINE+2]]:8: note: 'sq_grad' is generated from here
ADJOINT_GRAD(x)
double sq(double x) { return x * x; }

adjoint::Tensor tl_vjp(const adjoint::Tensor &w, adjoint::Tensor &d_w);
// CHECK: declared-conflict.cpp:[[@LINE-1]]:17: error: adjoint: the declaration '{{(adjoint::)?}}Tensor tl_vjp(const {{(adjoint::)?}}Tensor &w, {{(adjoint::)?}}Tensor &d_w)' does not match the gradient adjoint generates from 'tl': '::adjoint::Tensor tl_vjp(const ::adjoint::Tensor &{{ ?}}w, const ::adjoint::Tensor &_seed, ::adjoint::Tensor &_d_w)'
ADJOINT_GRAD(w)
adjoint::Tensor tl(const adjoint::Tensor &w) { return sum(w * w); }

double st_grad(double x, double &d_x);
// CHECK: declared-conflict.cpp:[[@LINE-1]]:8: error: adjoint: the declaration 'double st_grad(double x, double &d_x)' does not match the gradient adjoint generates from 'st': 'static double st_grad(double x, double &_d_x)'
ADJOINT_GRAD(x)
static double st(double x) { return x * x; }

double cu_grad(double x, double &d_x) { return d_x += 3 * x * x, x * x * x; }
// CHECK: declared-conflict.cpp:[[@LINE+2]]:8: error: adjoint: 'cu_grad' is already defined at {{.*}}declared-conflict.cpp:[[@LINE-1]]:8: adjoint generates it from 'cu'; remove that definition
ADJOINT_GRAD(x)
double cu(double x) { return x * x * x; }

int main() { return int(st(1)); }
