// sin' = cos and cos' = -sin: when a variable holds cos(x) (or sin(x)) of the
// same variable x, the adjoint of sin(x) (or cos(x)) reads it instead of
// evaluating cos (or sin) again. The holder is declared `T c = std::cos(x);`
// before the call in a block around it, or right after the call's own
// declaration in the same block with no jump between; x and the holder keep
// their values from their initialization on. Anything else keeps the pullback.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>
#include <math.h>

// Each uses the other: no sin or cos in the reverse sweep.
ADJOINT_GRAD(x, y, t) double rotate(double x, double y, double t) {
  double c = std::cos(t);
  double s = std::sin(t);
  return x * c - y * s;
}
// CHECK-LABEL: double rotate_vjp(
// CHECK:        double _ret0 = x * c - y * s;
// CHECK-NOT:    pullback
// CHECK:        _d_t += _d_s * c;
// CHECK-NOT:    pullback
// CHECK:        _d_t += -(_d_c * s);
// CHECK-NEXT:   return _ret0;
// The split-mode tape holds both.
// CHECK-LABEL: struct rotate_tape {
// CHECK:        double c;
// CHECK-NEXT:   double s;

// A later call, in a nested block, reads the holder declared before it.
ADJOINT_GRAD(x, t) double later(double x, double t) {
  double c = cos(t);
  if (x > 0.0) {
    return sin(t) * x * c;
  }
  return c * x;
}
// CHECK-LABEL: double later_vjp(
// CHECK:        _d_t += {{.*}} * c;
// CHECK-NOT:    sin_pullback
// CHECK:        ::adjoint::derivatives::cos_pullback(t,
// CHECK-LABEL: later_forward

// x changes after the holder's initialization: the pullback.
ADJOINT_GRAD(t) double argwritten(double t) {
  double c = std::cos(t);
  t = t * 2.0;
  return std::sin(t) * c;
}
// CHECK-LABEL: double argwritten_vjp(
// CHECK:        ::adjoint::derivatives::sin_pullback(t,
// CHECK:        ::adjoint::derivatives::cos_pullback(t,

// The holder changes: the pullback.
ADJOINT_GRAD(t) double holderwritten(double t) {
  double c = std::cos(t);
  c = c * 2.0;
  return std::sin(t) + c;
}
// CHECK-LABEL: double holderwritten_vjp(
// CHECK:        ::adjoint::derivatives::sin_pullback(t,

// A return between the declarations: the sine's declaration may not run, so
// the cosine's adjoint does not read it; the sine's reads the cosine.
ADJOINT_GRAD(t) double jump(double t) {
  double c = std::cos(t);
  if (c > 2.0)
    return c;
  double s = std::sin(t);
  return s * c;
}
// CHECK-LABEL: double jump_vjp(
// CHECK-NOT:    sin_pullback
// CHECK:        _d_t += {{_r[0-9]+}} * c;
// CHECK:        ::adjoint::derivatives::cos_pullback(t,
// CHECK-LABEL: jump_forward

// In a loop, from a holder before it.
ADJOINT_GRAD(x, t) double inloop(const double *x, double t, int n) {
  double c = std::cos(t);
  double r = 0.0;
  for (int i = 0; i < n; ++i)
    r += std::sin(t) * x[i];
  return r + c;
}
// CHECK-LABEL: double inloop_vjp(
// CHECK:        for (; _n0; --_n0) {
// CHECK-NOT:    sin_pullback
// CHECK:          _d_t += {{.*}} * c;
// CHECK:        }
// CHECK:        ::adjoint::derivatives::cos_pullback(t,

// Inactive holders in a nested block are still kept for the reverse sweep.
ADJOINT_GRAD(x, t) double nested(double x, double t) {
  double r = 0.0;
  if (t > -10.0) {
    double c = std::cos(t);
    double s = std::sin(t);
    r = s * x;
  }
  return r;
}
// CHECK-LABEL: double nested_vjp(
// CHECK:        double c;
// CHECK:        c = std::cos(t);
// CHECK-NEXT:   s = std::sin(t);
// CHECK:        _d_t += {{_r[0-9]+}} * c;

// An inactive holder read only for the derivative of a factor of a product
// (whose other factor reads the call's value): still kept.
ADJOINT_GRAD(x, t) double product(double x, double t) {
  double r = 0.0;
  if (x > -10.0) {
    double c = std::cos(t);
    r = std::sin(t) * x;
  }
  return r;
}
// CHECK-LABEL: double product_vjp(
// CHECK:        double c;
// CHECK:        c = std::cos(t);
// CHECK:        _d_t += {{.*}} * c;

// Different arguments, and float functions.
ADJOINT_GRAD(t, u) double other(double t, double u) {
  double c = std::cos(t);
  double s = std::sin(u);
  return c * s;
}
// CHECK-LABEL: double other_vjp(
// CHECK:        ::adjoint::derivatives::sin_pullback(u,
// CHECK:        ::adjoint::derivatives::cos_pullback(t,

ADJOINT_GRAD(t) float fpair(float t) {
  float c = cosf(t);
  float s = sinf(t);
  return c * s * 3.0f;
}
// CHECK-LABEL: float fpair_vjp(
// CHECK:        _d_t += _d_s * c;
// CHECK-NEXT:   _d_t += -(_d_c * s);

int main() {
  // Split mode is generated for the functions a file names; the checks
  // above read its unfused reverse sweep.
  (void)&jump_forward;
  (void)&later_forward;
  (void)&rotate_forward;
  (void)&inloop_forward;
  using V = std::vector<double>;
  {
    double dx = 0, dy = 0, dt = 0;
    rotate_grad(0.7, -1.3, 0.4, dx, dy, dt);
    lit::check("rotate", [](const V &v) { return rotate(v[0], v[1], v[2]); },
               {0.7, -1.3, 0.4}, {dx, dy, dt});
    auto Tape = rotate_forward(0.7, -1.3, 0.4);
    double ex = 0, ey = 0, et = 0;
    rotate_backward(std::move(Tape), 1.0, ex, ey, et);
    std::printf("rotate split: %d\n", ex == dx && ey == dy && et == dt);
  }
  for (double x : {0.8, -0.8}) {
    double dx = 0, dt = 0;
    later_grad(x, 1.1, dx, dt);
    lit::check("later", [](const V &v) { return later(v[0], v[1]); }, {x, 1.1},
               {dx, dt});
  }
  {
    double dt = 0;
    argwritten_grad(0.6, dt);
    lit::check("argwritten", [](const V &v) { return argwritten(v[0]); }, {0.6},
               {dt});
  }
  {
    double dt = 0;
    holderwritten_grad(0.6, dt);
    lit::check("holderwritten", [](const V &v) { return holderwritten(v[0]); },
               {0.6}, {dt});
  }
  {
    double dt = 0;
    jump_grad(0.9, dt);
    lit::check("jump", [](const V &v) { return jump(v[0]); }, {0.9}, {dt});
  }
  {
    const double xs[] = {0.3, -1.2, 0.7};
    double dx[3] = {0}, dt = 0;
    inloop_grad(xs, 0.5, 3, dx, dt);
    lit::check("inloop", [](const V &v) { return inloop(v.data(), v[3], 3); },
               {0.3, -1.2, 0.7, 0.5}, {dx[0], dx[1], dx[2], dt});
  }
  {
    double dx = 0, dt = 0;
    nested_grad(1.4, 0.3, dx, dt);
    lit::check("nested", [](const V &v) { return nested(v[0], v[1]); },
               {1.4, 0.3}, {dx, dt});
  }
  {
    double dx = 0, dt = 0;
    product_grad(1.4, 0.3, dx, dt);
    lit::check("product", [](const V &v) { return product(v[0], v[1]); },
               {1.4, 0.3}, {dx, dt});
  }
  {
    double dt = 0, du = 0;
    other_grad(0.2, 1.7, dt, du);
    lit::check("other", [](const V &v) { return other(v[0], v[1]); },
               {0.2, 1.7}, {dt, du});
  }
  {
    float dt = 0;
    fpair_grad(0.5f, dt);
    lit::checkf("fpair", [](const V &v) { return fpair(float(v[0])); }, {0.5},
                {dt});
  }
  return 0;
}

// OUT:      rotate:
// OUT-NEXT: gradcheck rotate: ok
// OUT-NEXT: rotate split: 1
// OUT-NEXT: later:
// OUT-NEXT: gradcheck later: ok
// OUT-NEXT: later:
// OUT-NEXT: gradcheck later: ok
// OUT-NEXT: argwritten:
// OUT-NEXT: gradcheck argwritten: ok
// OUT-NEXT: holderwritten:
// OUT-NEXT: gradcheck holderwritten: ok
// OUT-NEXT: jump:
// OUT-NEXT: gradcheck jump: ok
// OUT-NEXT: inloop:
// OUT-NEXT: gradcheck inloop: ok
// OUT-NEXT: nested:
// OUT-NEXT: gradcheck nested: ok
// OUT-NEXT: product:
// OUT-NEXT: gradcheck product: ok
// OUT-NEXT: other:
// OUT-NEXT: gradcheck other: ok
// OUT-NEXT: fpair:
// OUT-NEXT: gradcheck fpair: ok
