// --explain on scalar code: math calls, user functions, a loop and a branch.
// RUN: %adjoint_gen --explain %s -- -std=c++17 -I%adjoint_include | FileCheck %s
#include <adjoint/adjoint.h>
#include <cmath>

double sq(double v) { return v * v; }

ADJOINT_GRAD(x, y)
double f(double x, double y, double k) {
  double a = x * y;
  double b = std::sin(x) + k;
  return std::exp(a) + std::pow(b, 2.0) + sq(y);
}

// CHECK: f ({{.*}}scalar.cpp:9): gradient with respect to x, y
// CHECK-NEXT: active (requires_grad=True): x, y, a, b, result
// CHECK: a {{ *}}grad_fn=<MulBackward0>
// CHECK: b {{ *}}grad_fn=<AddBackward0>
// CHECK: inactive (requires_grad=False): k
// CHECK-NEXT: k {{ *}}no gradient requested (not in ADJOINT_GRAD)
// CHECK: result.grad_fn = AddBackward0 <- (AddBackward0 <- (ExpBackward0 <- MulBackward0 <- AccumulateGrad(x), AccumulateGrad(y)), (PowBackward0 <- AddBackward0 <- SinBackward0 <- AccumulateGrad(x))), (sqBackward <- AccumulateGrad(y))

ADJOINT_GRAD(x)
double g(const double *x, int n, double t) {
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += x[i] * x[i];
  if (s > t)
    s = -s;
  return s / n;
}

// CHECK: g ({{.*}}): gradient with respect to x
// CHECK-NEXT: active (requires_grad=True): x, s, result
// CHECK: s {{ *}}grad_fn=<AddBackward0 | NegBackward0>
// CHECK: inactive (requires_grad=False): n, t
// CHECK-NEXT: n {{ *}}type 'int' carries no derivative
// CHECK-NEXT: t {{ *}}no gradient requested
// CHECK: result.grad_fn = DivBackward0 <- (AddBackward0 <- MulBackward0 <- AccumulateGrad(x)), (NegBackward0 <- AddBackward0 <- MulBackward0 <- AccumulateGrad(x))
// CHECK: AddBackward0 {{ *}}line 27: s += x[i] * x[i] -> s (inside a loop)
// CHECK: NegBackward0 {{ *}}line 29: -s -> s (inside a branch)
// CHECK-NEXT: AddBackward0 {{.*}} (shared, see above)
// CHECK: note: nodes inside a loop are shown once
// CHECK: note: nodes inside a branch exist only when it is taken
