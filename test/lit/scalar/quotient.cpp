// Quotients kept in variables: for `v = a / b` (or `T v = a / b;`) outside
// loops, where a and b do not mention v, the adjoint of b reads the quotient
// from v instead of dividing again, and a reciprocal `v = 1 / b` scales by v
// instead of dividing. The to-be-recorded analysis counts that read of v's new
// value, so later overwrites of v are saved; anything else keeps the old rule.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"

// The quotient is q.
ADJOINT_GRAD(x, y) double reuse(double x, double y) {
  double q = x / y;
  return q * x;
}
// CHECK-LABEL: double reuse_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK:        double [[R:_r[0-9]+]] = _d_q / y;
// CHECK-NEXT:   _d_x += [[R]];
// CHECK-NEXT:   _d_y += -[[R]] * q;

// A reciprocal: d(1 / t) = -(d * r) * r, no division.
ADJOINT_GRAD(x, y) double recip(double x, double y) {
  double t = x * x + 1.0;
  double r = 1.0 / t;
  return r * y;
}
// CHECK-LABEL: double recip_vjp(
// CHECK:        double _ret0 = r * y;
// CHECK-NOT:    / t
// CHECK:        _d_t += -(_d_r * r) * r;

// Division by an expression: its value is divided by once, the quotient is v.
ADJOINT_GRAD(x, y) double byexpr(double x, double y) {
  double v = (x - y) / (y * y + 1.0);
  return v * v;
}
// CHECK-LABEL: double byexpr_vjp(
// CHECK:        double [[R:_r[0-9]+]] = _d_v / (y * y + 1.0);
// CHECK-NEXT:   _d_x += [[R]];
// CHECK-NEXT:   _d_y += -[[R]];
// CHECK-NEXT:   double {{_r[0-9]+}} = -[[R]] * v;

// q is overwritten after its quotient: the overwrite is saved, so q holds the
// quotient again when its declaration's adjoint reads it.
ADJOINT_GRAD(x, y) double overwritten(double x, double y) {
  double q = x / y;
  double u = q * y;
  q = x * 3.0;
  return u + q * y;
}
// CHECK-LABEL: double overwritten_vjp(
// CHECK:        double q = x / y;
// CHECK-NEXT:   double u = q * y;
// CHECK-NEXT:   _t0 = q;
// CHECK-NEXT:   q = x * 3.0;
// CHECK:        q = _t0;
// CHECK:        _d_y += -_r{{[0-9]+}} * q;

// Only the quotient's own adjoint reads q (u = q + x is linear in it): the
// overwrite is saved for that read alone.
ADJOINT_GRAD(x, y) double alone(double x, double y) {
  double q = x / y;
  double u = q + x;
  q = x * 3.0;
  return u * q;
}
// CHECK-LABEL: double alone_vjp(
// CHECK:        _t0 = q;
// CHECK-NEXT:   q = x * 3.0;
// CHECK:        q = _t0;
// CHECK:        _d_y += -_r{{[0-9]+}} * q;

// An assignment whose old value is read earlier: saved, and restored only
// after its adjoint, which reads the new value.
ADJOINT_GRAD(x, y) double restored(double x, double y) {
  double q = x * y;
  double u = q * x;
  q = y / x;
  return u * q;
}
// CHECK-LABEL: double restored_vjp(
// CHECK:        _t0 = q;
// CHECK-NEXT:   q = y / x;
// CHECK:        _d_x += -_r{{[0-9]+}} * q;
// CHECK-NEXT:   q = _t0;

// Overwritten in a loop: every write is taped, because the adjoint of the
// declaration before the loop reads the quotient.
ADJOINT_GRAD(x, y) double inloop(const double *x, double y, int n) {
  double q = x[0] / y;
  double s = 0.0;
  for (int i = 0; i < n; ++i) {
    s += q * x[i];
    q = q * 0.5 + x[i];
  }
  return s + q;
}
// CHECK-LABEL: double inloop_vjp(
// CHECK:          _tape.push(q);
// CHECK-NEXT:     q = q * 0.5 + x[i];
// CHECK:        _d_y += -_r{{[0-9]+}} * q;

// Inside a loop the old rule divides again (reading q would need a save per
// iteration).
ADJOINT_GRAD(x, y) double loopdecl(const double *x, double y, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i) {
    double q = x[i] / y;
    s += q;
  }
  return s;
}
// CHECK-LABEL: double loopdecl_vjp(
// CHECK:        _d_y += -_r{{[0-9]+}} * ((x[i]) / y);

// x = x / y mentions its target: the old rule, with x restored first.
ADJOINT_GRAD(x, y) double self(double x, double y) {
  x = x / y;
  return x * x;
}
// CHECK-LABEL: double self_vjp(
// CHECK:        x = _t0;
// CHECK:        _d_x_local = [[R:_r[0-9]+]];
// CHECK-NEXT:   _d_y += -[[R]] * (x / y);

// An element or a float target of a double quotient keep the old rule.
ADJOINT_GRAD(x, y, out) void element(const double *x, double y, double *out) {
  out[0] = x[0] / y;
  float f = x[1] / y;
  out[1] = f * y;
}
// CHECK-LABEL: void element_grad(
// CHECK:        _d_y += -_r{{[0-9]+}} * ((x[1]) / y);
// CHECK:        _d_y += -_r{{[0-9]+}} * ((x[0]) / y);

// q is written through a reference after its quotient: saved before the call.
inline void halve(double &v) { v = v * 0.5; }
ADJOINT_GRAD(x, y) double aliased(double x, double y) {
  double q = x / y;
  double u = q * x;
  halve(q);
  return u + q;
}
// CHECK-LABEL: double aliased_vjp(
// CHECK:        _d_y += -_r{{[0-9]+}} * q;

// The quotient of a variable by itself, and the split-mode tape holds q.
ADJOINT_GRAD(x, y) double same(double x, double y) {
  double q = x / x;
  double p = y / x;
  return q * y + p;
}
// CHECK-LABEL: double same_vjp(
// CHECK:        _d_x += -_r{{[0-9]+}} * q;
// CHECK:        _d_x += -_r{{[0-9]+}} * p;

int main() {
  using V = std::vector<double>;
  auto two = [](const char *Name, auto F, auto G, double X, double Y) {
    double dx = 0, dy = 0;
    G(X, Y, dx, dy);
    lit::check(Name, [F](const V &v) { return F(v[0], v[1]); }, {X, Y}, {dx, dy});
  };
  two("reuse", reuse, reuse_grad, 1.5, -0.7);
  two("recip", recip, recip_grad, 0.8, 2.5);
  two("byexpr", byexpr, byexpr_grad, 1.2, 0.4);
  two("overwritten", overwritten, overwritten_grad, 0.9, 1.7);
  two("alone", alone, alone_grad, 0.9, 1.7);
  two("restored", restored, restored_grad, 1.3, -0.6);
  two("self", self, self_grad, 2.0, 0.75);
  two("aliased", aliased, aliased_grad, -1.1, 0.35);
  two("same", same, same_grad, 0.6, 1.9);
  const double xs[] = {0.3, -1.2, 0.7, 2.0};
  for (int n : {4, 1, 0}) {
    double dx[4] = {0}, dy = 0;
    inloop_grad(xs, 1.3, n, dx, dy);
    V Point(xs, xs + 4), Grad(dx, dx + 4);
    Point.push_back(1.3);
    Grad.push_back(dy);
    lit::check("inloop", [n](const V &v) { return inloop(v.data(), v[4], n); },
               Point, Grad);
  }
  {
    double dx[4] = {0}, dy = 0;
    loopdecl_grad(xs, -0.8, 4, dx, dy);
    V Point(xs, xs + 4), Grad(dx, dx + 4);
    Point.push_back(-0.8);
    Grad.push_back(dy);
    lit::check("loopdecl", [](const V &v) { return loopdecl(v.data(), v[4], 4); },
               Point, Grad);
  }
  for (int Row = 0; Row < 2; ++Row) {
    double dx[2] = {0}, dy = 0, dout[2] = {Row == 0 ? 1.0 : 0.0, Row == 1 ? 1.0 : 0.0};
    double out[2];
    element_grad(xs, 0.9, out, dx, dy, dout);
    lit::checkf("element",
               [Row](const V &v) {
                 double out[2];
                 element(v.data(), v[2], out);
                 return out[Row];
               },
               {xs[0], xs[1], 0.9}, {dx[0], dx[1], dy});
  }
  {
    // Split mode: one forward, two backward sweeps read q from the tape.
    auto Tape = same_forward(0.6, 1.9);
    double dx = 0, dy = 0, dx2 = 0, dy2 = 0;
    same_backward(Tape, 1.0, dx, dy);
    same_backward(std::move(Tape), 2.0, dx2, dy2);
    lit::check("same split", [](const V &v) { return same(v[0], v[1]); },
               {0.6, 1.9}, {dx, dy});
    std::printf("same twice: %d\n", dx2 == 2 * dx && dy2 == 2 * dy);
  }
  return 0;
}

// OUT:      reuse:
// OUT-NEXT: gradcheck reuse: ok
// OUT-NEXT: recip:
// OUT-NEXT: gradcheck recip: ok
// OUT-NEXT: byexpr:
// OUT-NEXT: gradcheck byexpr: ok
// OUT-NEXT: overwritten:
// OUT-NEXT: gradcheck overwritten: ok
// OUT-NEXT: alone:
// OUT-NEXT: gradcheck alone: ok
// OUT-NEXT: restored:
// OUT-NEXT: gradcheck restored: ok
// OUT-NEXT: self:
// OUT-NEXT: gradcheck self: ok
// OUT-NEXT: aliased:
// OUT-NEXT: gradcheck aliased: ok
// OUT-NEXT: same:
// OUT-NEXT: gradcheck same: ok
// OUT-NEXT: inloop:
// OUT-NEXT: gradcheck inloop: ok
// OUT-NEXT: inloop:
// OUT-NEXT: gradcheck inloop: ok
// OUT-NEXT: inloop:
// OUT-NEXT: gradcheck inloop: ok
// OUT-NEXT: loopdecl:
// OUT-NEXT: gradcheck loopdecl: ok
// OUT-NEXT: element:
// OUT-NEXT: gradcheck element: ok
// OUT-NEXT: element:
// OUT-NEXT: gradcheck element: ok
// OUT-NEXT: same split:
// OUT-NEXT: gradcheck same split: ok
// OUT-NEXT: same twice: 1
