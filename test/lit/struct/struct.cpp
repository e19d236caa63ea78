// Structs of doubles: passed by const reference (the shadow is the same
// struct, accumulated field by field), read as `cam.f`, passed to user
// functions, and used as locals (copies, braced initializers, member and
// whole assignment, nested structs, loops). Integer members are plain copies.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// The same through adjoint-gen and g++.
// RUN: %adjoint_gen %s -o %t/out.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: %gxx -I%S/../scalar/Inputs %t/out.cpp -o %t/gen.out %adjoint_link
// RUN: %t/gen.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

struct Camera {
  double f, k1, k2;
  int id; // not differentiated: a plain copy
};

// Reprojection with radial distortion: the struct's fields get adjoints.
ADJOINT_GRAD(cam, x) double proj(const Camera &cam, const double *x) {
  double u = x[0] / x[2], v = x[1] / x[2];
  double r2 = u * u + v * v;
  double d = 1.0 + cam.k1 * r2 + cam.k2 * r2 * r2;
  return cam.f * d * u + cam.id;
}
// CHECK-LABEL: double proj_vjp(const Camera & cam, const double * __restrict x, double _seed, Camera &_d_cam, double *_d_x) {
// CHECK:         _d_cam.f += _r{{[0-9]+}} * d;
// CHECK:         _d_cam.k1 += _d_d * r2;
// CHECK:         _d_cam.k2 += _r{{[0-9]+}} * r2;
// CHECK-NOT:     _d_cam.id
// CHECK:         return _ret0;
// CHECK-LABEL: double proj_grad(const Camera & cam, const double * x, Camera &_d_cam, double *_d_x) {

// A callee taking the struct by const reference gets a pullback with a
// struct shadow.
double distort(const Camera &c, double r2) { return 1.0 + c.k1 * r2 + c.k2 * r2 * r2; }

ADJOINT_GRAD(cam, r) double viaCall(const Camera &cam, double r) {
  return cam.f * distort(cam, r * r);
}
// CHECK-LABEL: double viaCall_vjp(const Camera & cam, double r, double _seed, Camera &_d_cam, double &_d_r) {
// CHECK:         Camera _r0 = Camera{0, 0, 0, {}};
// CHECK-NEXT:    double _r1 = 0;
// CHECK-NEXT:    ::distort_pullback(cam, r * r, cam.f * _seed, _r0, _r1);
// CHECK-NEXT:    _d_cam.f += _r0.f;
// CHECK-NEXT:    _d_cam.k1 += _r0.k1;
// CHECK-NEXT:    _d_cam.k2 += _r0.k2;

struct Inner {
  double a;
  float b;
};
struct Outer {
  Inner in;
  double c;
  int n = 7; // default member initializers stay out of adjoints
};

// Locals: copies, braced initializers, member assignment, whole assignment,
// nested structs, and a by-value struct parameter.
ADJOINT_GRAD(o, x, y) double locals(Outer o, double x, double y) {
  Outer p = o;
  p.in.a = x * y;
  p.c += o.in.b * x;
  Inner q = {x, (float)y};
  Inner r{q.a * q.a, 2.0f};
  double s = 0;
  for (int i = 0; i < 3; ++i) {
    p.c = p.c * r.a + q.b;
    s += p.in.a * p.c;
  }
  p = o;
  return s + p.c * x + p.n;
}
// CHECK-LABEL: double locals_vjp(Outer o, double x, double y, double _seed, Outer &_d_o, double &_d_x, double &_d_y) {
// CHECK-NEXT:    Outer _d_p = Outer{{[{][{]}}0, 0}, 0, {}};
// CHECK-NEXT:    Inner _d_q = Inner{0, 0};
// Nothing reads p.in.a's first value in reverse: it is not saved.
// CHECK:         Outer p = o;
// CHECK-NEXT:    p.in.a = x * y;
// CHECK:         Inner q = {x, (float)y};
// Whole assignment: the old value is restored, the adjoint moves to o.
// CHECK:         _t0 = p;
// CHECK-NEXT:    p = o;
// CHECK:         p = _t0;
// CHECK-NEXT:    Outer _r4 = _d_p;
// CHECK-NEXT:    _d_p = Outer{{[{][{]}}0, 0}, 0, {}};
// CHECK-NEXT:    _d_o.in.a += _r4.in.a;
// CHECK-NEXT:    _d_o.in.b += _r4.in.b;
// CHECK-NEXT:    _d_o.c += _r4.c;
// CHECK:         _d_x += _d_q.a;
// CHECK-NEXT:    _d_y += _d_q.b;

// Struct locals in a loop body are hoisted. This cheap loop is recomputed in
// the reverse sweep (automatic checkpointing): nothing goes on the tape (each
// reverse iteration undoes ++i), and the field the iteration overwrites is
// saved in a local during the recompute.
ADJOINT_GRAD(cam) double loopLocal(const Camera &cam, int n) {
  double acc = 0;
  for (int i = 0; i < n; ++i) {
    Camera c = cam;
    c.f = c.f * c.k1 + i;
    acc += c.f * c.k2;
  }
  return acc;
}
// CHECK-LABEL: double loopLocal_vjp(const Camera & cam, int n, double _seed, Camera &_d_cam) {
// CHECK:         Camera c;
// CHECK:         ++_n0;
// CHECK-NEXT:    c = cam;
// CHECK-NOT:     _tape
// CHECK:         for (; _n0; --_n0) {
// CHECK-NEXT:      --i;
// CHECK-NEXT:      c = cam;
// CHECK-NEXT:      _t0 = c.f;
// CHECK-NEXT:      c.f = c.f * c.k1 + i;
// CHECK:           c.f = _t0;

// A field passed as an in-out `double&`: the struct is snapshotted around the
// call like a scalar.
struct Pair {
  double a, b;
  int k;
};
void upd(double &v, double s) { v = v * s + std::sin(v); }

ADJOINT_GRAD(x, y) double inout(double x, double y) {
  Pair c{x, y, 1};
  double keep = c.a * c.b;
  upd(c.a, y);
  upd(c.a, 2.0);
  return c.a * c.b + keep;
}
// CHECK-LABEL: double inout_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK:         _t0 = c;
// CHECK-NEXT:    upd(c.a, y);
// CHECK:         ::upd_pullback(c.a, 2.0, _d_c.a, _r1);
// CHECK:         ::upd_pullback(c.a, y, _d_c.a, _r0);

// Structs of constant data keep working as before: ADJOINT_GRAD() leaves
// struct parameters out, and a callee receiving a constant struct gets a
// pullback without its shadow (so its methods may be called); here a pair of
// split-mode functions, whose record keeps o.rate() but not o.
struct Opt {
  double lr;
  int steps;
  double rate() const { return lr * steps; }
};
double step(double w, const Opt &o) { return w - o.rate() * w * w; }

ADJOINT_GRAD() double train(double w, const Opt &o) {
  for (int i = 0; i < o.steps; ++i)
    w = step(w, o);
  return w * o.rate();
}
// CHECK-LABEL: struct step_pullback_const_o_record {
// CHECK-NEXT:    double w;
// CHECK-NEXT:    double _t0;
// CHECK-NEXT:    double _t1;
// CHECK-NEXT:  };
// CHECK-NEXT:  double step_pullback_const_o_forward(double w, const Opt & o, step_pullback_const_o_record &_rec) {
// CHECK:       void step_pullback_const_o_reverse(const step_pullback_const_o_record &_rec, double _d_return, double &_d_w) {
// CHECK-LABEL: double train_vjp(double w, const Opt & o, double _seed, double &_d_w) {
// CHECK:         _t0 = ::step_pullback_const_o_forward(w, o, _rec0);
// CHECK-NEXT:    _tape.push(_rec0);
// CHECK:         _rec0 = _tape.pop<::step_pullback_const_o_record>();
// CHECK:         ::step_pullback_const_o_reverse(_rec0, {{_r[0-9]+}}, {{_r[0-9]+}});
// Pullbacks come after the gradients.
// CHECK-LABEL: void distort_pullback(const Camera & c, double r2, double _d_return, Camera &_d_c, double &_d_r2) {
// CHECK-NEXT:    _d_c.k1 += _d_return * r2;

int main() {
  using V = std::vector<double>;
  {
    Camera cam{2.0, 0.1, -0.05, 3}, dcam{0, 0, 0, 0};
    double x[3] = {0.5, -0.3, 2.0}, dx[3] = {0, 0, 0};
    double value = proj_grad(cam, x, dcam, dx);
    std::printf("proj = %.6f, dcam.id = %d\n", value, dcam.id);
    lit::check("proj", [](const V &v) {
      Camera c{v[0], v[1], v[2], 3};
      return proj(c, v.data() + 3);
    }, {2.0, 0.1, -0.05, 0.5, -0.3, 2.0}, {dcam.f, dcam.k1, dcam.k2, dx[0], dx[1], dx[2]});
  }
  {
    // Gradients accumulate (+=) into the shadow, like scalars.
    Camera cam{1.5, 0.2, 0.3, 0}, dcam{1, 1, 1, 0};
    double dr = 0;
    viaCall_grad(cam, 0.7, dcam, dr);
    lit::check("viaCall", [](const V &v) {
      Camera c{v[0], v[1], v[2], 0};
      return viaCall(c, v[3]);
    }, {1.5, 0.2, 0.3, 0.7}, {dcam.f - 1, dcam.k1 - 1, dcam.k2 - 1, dr});
  }
  {
    Outer o{{0.4, 1.5f}, -0.8, 2}, d{{0, 0}, 0, 0};
    double dx = 0, dy = 0;
    locals_grad(o, 0.9, 1.1, d, dx, dy);
    std::printf("d.n = %d\n", d.n);
    lit::checkf("locals", [](const V &v) {
      Outer w{{v[0], 1.5f}, v[1], 2};
      return locals(w, v[2], v[3]);
    }, {0.4, -0.8, 0.9, 1.1}, {d.in.a, d.c, dx, dy});
  }
  {
    // Float members: their adjoints are floats.
    Outer o{{0.4, 1.5f}, -0.8, 2}, d{{0, 0}, 0, 0};
    double dx = 0, dy = 0;
    locals_grad(o, 0.9, 1.1, d, dx, dy);
    lit::checkf("locals.in.b", [](const V &v) {
      Outer w{{0.4, (float)v[0]}, -0.8, 2};
      return locals(w, 0.9, 1.1);
    }, {1.5}, {d.in.b});
  }
  {
    Camera cam{1.2, 0.9, 0.4, 0}, dcam{};
    loopLocal_grad(cam, 4, dcam);
    lit::check("loopLocal", [](const V &v) {
      Camera c{v[0], v[1], v[2], 0};
      return loopLocal(c, 4);
    }, {1.2, 0.9, 0.4}, {dcam.f, dcam.k1, dcam.k2});
  }
  {
    Opt o{0.1, 3};
    double dw = 0;
    train_grad(0.8, o, dw);
    lit::check("train", [](const V &v) { return train(v[0], Opt{0.1, 3}); }, {0.8}, {dw});
  }
  {
    double dx = 0, dy = 0;
    inout_grad(0.7, 1.3, dx, dy);
    lit::check("inout", [](const V &v) { return inout(v[0], v[1]); }, {0.7, 1.3}, {dx, dy});
  }
}
// OUT: proj = 3.504069, dcam.id = 0
// OUT: gradcheck proj: ok
// OUT: gradcheck viaCall: ok
// OUT: d.n = 0
// OUT: gradcheck locals: ok
// OUT: gradcheck locals.in.b: ok
// OUT: gradcheck loopLocal: ok
// OUT: gradcheck train: ok
// OUT: gradcheck inout: ok
