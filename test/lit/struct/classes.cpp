// Classes of doubles with constructors, member and non-member operators and
// const member functions: class temporaries and locals, structs returned by
// value, temporaries passed to functions, members of temporaries, local
// arrays of structs, members of class templates, classes with private data.
// A construction passes each
// field's adjoint to the constructor argument that initializes it; a const
// method called on a differentiated object gets a member pullback taking the
// object's adjoint (`a.dot_pullback_this(b, _d_return, _d_a, _d_b)`); a
// function returning a struct gets its adjoint as `const V3 &_d_return`.
// These were errors before issue 14 (`cannot differentiate through 'a' of
// type 'V3'`, `passing a differentiated value of type 'P'`).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: %gxx -I%S/../scalar/Inputs %t/gen.cpp -o %t/gxx.out %adjoint_link
// RUN: %t/gxx.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>
#include <vector>

struct V3 {
  double x, y, z;
  V3(double a, double b, double c) : x(a), y(b), z(c) {}
  V3 operator+(const V3 &o) const { return V3(x + o.x, y + o.y, z + o.z); }
  V3 operator*(double s) const { return V3(x * s, y * s, z * s); }
  double dot(const V3 &o) const { return x * o.x + y * o.y + z * o.z; }
  double norm() const { return std::sqrt(dot(*this)); }
};

// Non-member operators and functions returning structs by value.
V3 operator-(const V3 &a, const V3 &b) { return V3(a.x - b.x, a.y - b.y, a.z - b.z); }
V3 cross(const V3 &a, const V3 &b) {
  return V3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x);
}
double norm2(const V3 &v) { return v.dot(v); }

// The shape of the issue: a temporary scaled by a member operator, a local
// of the class, a const method.
ADJOINT_GRAD(x) double energy(const double *x, double s) {
  V3 a = V3(x[0], x[1], x[2]) * s;
  return a.dot(a);
}
// CHECK-LABEL: double energy_vjp(const double * __restrict x, double s, double _seed, double *_d_x) {
// CHECK:         V3 _d_a = ::adjoint::detail::zero_object<V3>();
// CHECK:         a.dot_pullback_this(a, _seed, _d_a, _r{{[0-9]+}});
// CHECK:         (V3(x[0], x[1], x[2])).mul_pullback_this(s, _d_a, _r{{[0-9]+}}, _r{{[0-9]+}});
// CHECK:         _d_x[0] += _r{{[0-9]+}}.x;

// Locals built several ways, non-member operators, functions returning
// structs, members of temporaries and of call results, a method calling
// another on *this.
ADJOINT_GRAD(x) double mixed(const double *x) {
  V3 a(x[0], x[1], x[2]);
  V3 b = a + V3(x[1], 2.0, x[0] * x[0]);
  V3 c = cross(b, a) - a * 3.0;
  return norm2(c) + (a * x[2]).y + cross(a, c).z * 0.5 + std::sin(c.x) + b.norm();
}
// CHECK-LABEL: double mixed_vjp(const double * __restrict x, double _seed, double *_d_x) {
// CHECK:         ::cross_pullback(a, c, _r{{[0-9]+}}, _r{{[0-9]+}}, _r{{[0-9]+}});
// CHECK:         ::sub_pullback(

// Class temporaries passed to functions by const reference and by value.
struct P {
  double x, y;
  P() : x(0), y(0) {}
  P(double a, double b) : x(a), y(b) {}
};
double len2(const P &p) { return p.x * p.x + p.y * p.y; }
double sumv(P p) { return p.x + 3 * p.y; }
ADJOINT_GRAD(x, y) double temporaries(double x, double y) {
  return len2(P(x, y)) + sumv(P(y * x, 1.0)) + P(x, 2.0).y * x;
}
// CHECK-LABEL: double temporaries_vjp(double x, double y, double _seed, double &_d_x, double &_d_y) {
// CHECK:         P _r0 = ::adjoint::detail::zero_object<P>();
// CHECK:         ::len2_pullback(P(x, y), _seed, _r0);
// CHECK:         _d_x += _r0.x;
// CHECK:         _d_y += _r0.y;

// Local arrays of structs, filled in a loop and read through members.
ADJOINT_GRAD(x) double polygon(const double *x, int n) {
  P pts[4];
  for (int i = 0; i < n; ++i)
    pts[i] = P(x[i], x[i] * x[(i + 1) % n]);
  double area = 0;
  for (int i = 0; i < n; ++i) {
    const int j = (i + 1) % n;
    area += pts[i].x * pts[j].y - pts[j].x * pts[i].y;
  }
  return 0.5 * area + len2(pts[0]);
}
// CHECK-LABEL: double polygon_vjp(const double * __restrict x, int n, double _seed, double *_d_x) {
// CHECK:         P _d_pts[4];
// CHECK-NEXT:    ::adjoint::detail::zero_fill(_d_pts);

// A braced list of temporaries, in a nested block.
ADJOINT_GRAD(x) double triangle(const double *x) {
  double r = 0;
  {
    P tri[3] = {P(x[0], x[1]), P(x[1], x[2]), P(x[2], x[0])};
    for (int i = 0; i < 3; ++i)
      r += len2(tri[i]) * tri[(i + 1) % 3].y;
  }
  return r;
}

// Members of a class template, used with double and float.
template <class T> struct Vec2 {
  T x, y;
  Vec2(T a, T b) : x(a), y(b) {}
  Vec2 operator+(const Vec2 &o) const { return Vec2(x + o.x, y + o.y); }
  T dot(const Vec2 &o) const { return x * o.x + y * o.y; }
  T len2() const { return dot(*this); }
};
ADJOINT_GRAD(x) double tmpl(const double *x) {
  Vec2<double> a(x[0], x[1]);
  Vec2<double> b = a + Vec2<double>(x[2], 1.0);
  return a.dot(b) + b.len2();
}
ADJOINT_GRAD(x) float tmplf(const float *x) {
  Vec2<float> a(x[0], x[1]);
  return (a + Vec2<float>(x[1], x[0])).len2();
}

// A cost functor class template (as in least-squares libraries), called on
// a temporary: its pullback is a member of the template.
template <class T> struct Residual {
  T scale;
  bool operator()(const T *p, T *r) const {
    r[0] = scale * (p[1] - p[0] * p[0]);
    r[1] = 1.0 - p[0];
    return true;
  }
};
ADJOINT_GRAD(x) double cost(const double *x) {
  double r[2];
  Residual<double>{10.0}(x, r);
  return r[0] * r[0] + r[1] * r[1];
}

// A class with private data: generated code outside it reaches the fields
// through static members adjoint adds after its first member function
// (public, and the access after them is restored).
class Cplx {
  double a_, b_;

public:
  Cplx(double a, double b) : a_(a), b_(b) {}
  Cplx operator*(const Cplx &o) const {
    return Cplx(a_ * o.a_ - b_ * o.b_, a_ * o.b_ + b_ * o.a_);
  }
  double re() const { return a_; }
  double abs2() const { return a_ * a_ + b_ * b_; }
};
double mag(const Cplx &q) { return q.abs2(); }
ADJOINT_GRAD(x) double complexMul(const double *x) {
  Cplx z(x[0], x[1]);
  Cplx w = z * z * Cplx(x[2], 0.5);
  return w.re() + mag(w) + mag(Cplx(x[1], x[0]));
}
// CHECK-LABEL: // _adjoint_add, from Cplx
// CHECK-NEXT:  public:
// CHECK-NEXT:  static void _adjoint_add(Cplx &_l, const Cplx &_r) {
// CHECK-NEXT:    _l.a_ += _r.a_;
// CHECK-NEXT:    _l.b_ += _r.b_;
// CHECK-NEXT:  }
// CHECK-NEXT:  static const auto &_adjoint_a_(const Cplx &_o) { return _o.a_; }
// CHECK-NEXT:  static const auto &_adjoint_b_(const Cplx &_o) { return _o.b_; }
// CHECK-LABEL: double complexMul_vjp(const double * __restrict x, double _seed, double *_d_x) {
// CHECK:         Cplx::_adjoint_add(_d_w, _r{{[0-9]+}});
// CHECK:         _d_x[1] += Cplx::_adjoint_a_(_r{{[0-9]+}});

// The pullbacks, in the order they are generated.
// CHECK-LABEL: // call_pullback, from operator()
// CHECK-NEXT:  inline void call_pullback(const double * p, double * r, double *_d_p, double *_d_r) const {
// CHECK:       inline void len2_pullback_this(double _d_return, Vec2<double> &_d_this) const {
// CHECK:         dot_pullback_this(*this, _d_return, _d_this, _r0);
// CHECK:       inline void dot_pullback_this(const Vec2<double> & o, double _d_return, Vec2<double> &_d_this, Vec2<double> &_d_o) const {
// CHECK:         _d_this.x += _d_return * o.x;
// CHECK-LABEL: void sub_pullback(const V3 & a, const V3 & b, const V3 &_d_return, V3 &_d_a, V3 &_d_b) {
// CHECK:         _d_a.x += _d_return.x;
// CHECK:         _d_b.x += -_d_return.x;
// CHECK-LABEL: // add_pullback_this, from operator+
// CHECK-NEXT:  inline void add_pullback_this(const V3 & o, const V3 &_d_return, V3 &_d_this, V3 &_d_o) const {
// CHECK:         _d_this.x += _d_return.x;
// CHECK:         _d_o.x += _d_return.x;
// CHECK-LABEL: // dot_pullback_this, from dot
// CHECK-NEXT:  inline void dot_pullback_this(const V3 & o, double _d_return, V3 &_d_this, V3 &_d_o) const {
// CHECK:         _d_this.x += _d_return * o.x;
// CHECK:         _d_o.x += x * _d_return;
// CHECK-LABEL: // mul_pullback_this, from operator*
// CHECK-NEXT:  inline void mul_pullback_this(double s, const V3 &_d_return, V3 &_d_this, double &_d_s) const {

int main() {
  std::vector<double> x = {0.3, -0.7, 1.1, 0.45};
  std::vector<double> g(3, 0.0);
  energy_grad(x.data(), 1.5, g.data());
  lit::check("energy", [](const std::vector<double> &p) { return energy(p.data(), 1.5); },
             {0.3, -0.7, 1.1}, g);
  std::fill(g.begin(), g.end(), 0.0);
  mixed_grad(x.data(), g.data());
  lit::check("mixed", [](const std::vector<double> &p) { return mixed(p.data()); },
             {0.3, -0.7, 1.1}, g);
  double dx = 0, dy = 0;
  temporaries_grad(0.4, -1.3, dx, dy);
  lit::check("temporaries",
             [](const std::vector<double> &p) { return temporaries(p[0], p[1]); },
             {0.4, -1.3}, {dx, dy});
  std::vector<double> g4(4, 0.0);
  polygon_grad(x.data(), 4, g4.data());
  lit::check("polygon", [](const std::vector<double> &p) { return polygon(p.data(), 4); },
             x, g4);
  std::fill(g.begin(), g.end(), 0.0);
  triangle_grad(x.data(), g.data());
  lit::check("triangle", [](const std::vector<double> &p) { return triangle(p.data()); },
             {0.3, -0.7, 1.1}, g);
  std::fill(g.begin(), g.end(), 0.0);
  tmpl_grad(x.data(), g.data());
  lit::check("tmpl", [](const std::vector<double> &p) { return tmpl(p.data()); },
             {0.3, -0.7, 1.1}, g);
  float xf[2] = {0.3f, -0.7f}, gf[2] = {0, 0};
  tmplf_grad(xf, gf);
  lit::checkf("tmplf",
              [](const std::vector<double> &p) {
                float q[2] = {float(p[0]), float(p[1])};
                return double(tmplf(q));
              },
              {0.3, -0.7}, {gf[0], gf[1]});
  std::fill(g.begin(), g.end(), 0.0);
  complexMul_grad(x.data(), g.data());
  lit::check("complexMul", [](const std::vector<double> &p) { return complexMul(p.data()); },
             {0.3, -0.7, 1.1}, g);
  std::vector<double> g2(2, 0.0);
  cost_grad(x.data(), g2.data());
  lit::check("cost", [](const std::vector<double> &p) { return cost(p.data()); },
             {0.3, -0.7}, g2);
}
// OUT: gradcheck energy: ok
// OUT: gradcheck mixed: ok
// OUT: gradcheck temporaries: ok
// OUT: gradcheck polygon: ok
// OUT: gradcheck triangle: ok
// OUT: gradcheck tmpl: ok
// OUT: gradcheck tmplf: ok
// OUT: gradcheck complexMul: ok
// OUT: gradcheck cost: ok
