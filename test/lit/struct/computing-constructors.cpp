// Constructors that compute their members from the values they are given:
// initializers (`momentum(m * v)`), default member initializers that read
// other members, body statements that read members set before
// (`r = std::sqrt(x * x + y * y);`), locals and reassignments in the body. A
// construction replays the constructor in the reverse sweep (its arguments
// evaluated again, its values renamed `_c<k>`) and differentiates it from the
// object's adjoint into the arguments. Used at named locals, temporaries,
// braced initializations, in loops, as arguments, returned, nested in other
// constructors and in member operators. These were errors before session 10
// ('which computes member ... from its parameters').
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: %gxx -I%S/../scalar/Inputs %t/gen.cpp -o %t/gxx.out %adjoint_link
// RUN: %t/gxx.out | FileCheck %s --check-prefix=OUT
// RUN: not %adjoint_cxx -I%S/../scalar/Inputs -DERRORS -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR --implicit-check-not="error:"
#include "check.h"
#include <cmath>
#include <vector>

struct Particle {
  double mass, momentum;
  Particle(double m, double v) : mass(m), momentum(m * v) {}
};

// A named local.
ADJOINT_GRAD(a, b) double kinetic(double a, double b) {
  Particle p(a, b);
  return p.momentum * p.momentum / (2 * p.mass);
}
// CHECK-LABEL: double kinetic_vjp(double a, double b, double _seed, double &_d_a, double &_d_b) {
// CHECK:         const double _c0 = a;
// CHECK-NEXT:    const double _c1 = b;
// CHECK-NEXT:    double _d_c0 = 0;
// CHECK-NEXT:    double _d_c1 = 0;
// CHECK-NEXT:    double _d_c2 = _d_p.mass;
// CHECK-NEXT:    double _d_c3 = _d_p.momentum;
// CHECK-NEXT:    _d_c0 += _d_c3 * _c1;
// CHECK-NEXT:    _d_c1 += _c0 * _d_c3;
// CHECK-NEXT:    _d_c0 += _d_c2;
// CHECK-NEXT:    _d_a += _d_c0;
// CHECK-NEXT:    _d_b += _d_c1;

// Members read by the body and by a default member initializer.
struct Polar {
  double x, y, r;
  double r2 = x * x + y * y;
  Polar(double a, double b) : x(a), y(b) { r = std::sqrt(x * x + y * y); }
};
// Temporaries and braced initializations.
ADJOINT_GRAD(a, b) double polar(double a, double b) {
  return Polar(a, b).r * Polar{b, a}.x + Polar(a * b, 1.0).r2;
}
// CHECK-LABEL: double polar_vjp(double a, double b, double _seed, double &_d_a, double &_d_b) {
// CHECK:         const double _c2 = _c0;
// CHECK-NEXT:    const double _c3 = _c1;
// CHECK:         double _d_c4 = _r0.r2;
// CHECK-NEXT:    double _d_c5 = _r0.r;
// CHECK:         ::adjoint::derivatives::sqrt_result_pullback(_c2 * _c2 + _c3 * _c3, std::sqrt(_c2 * _c2 + _c3 * _c3), _d_c5, _r1);

// A local and reassignments in the body; an integer parameter.
struct Unit {
  double u, v;
  Unit(double a, double b, int k) {
    const double n = std::sqrt(a * a + b * b);
    u = a / n;
    v = b / n;
    u = u * k + v;
  }
};
// In a loop, over a std::vector.
ADJOINT_GRAD(x) double units(const std::vector<double> &x) {
  double s = 0;
  for (size_t i = 0; i + 1 < x.size(); ++i) {
    Unit e(x[i], x[i + 1], int(i) + 1);
    s += e.u * x[i] + e.v;
  }
  return s;
}
// CHECK-LABEL: double units_vjp(
// CHECK:         const int _c2 = int(i) + 1;
// CHECK-NEXT:    const double _c3 = std::sqrt(_c0 * _c0 + _c1 * _c1);
// CHECK:         _d_c4 += _d_c6 * _c2;

// As an argument, returned from a function, nested in another constructor.
double energy(const Particle &p) { return 0.5 * p.momentum * p.momentum / p.mass; }
Particle launch(double m, double v) { return Particle(m * 2, std::sin(v)); }
struct Pair {
  Particle p;
  double total;
  Pair(double m, double v) : p(m, v * v), total(p.mass + p.momentum) {}
};
ADJOINT_GRAD(m, v) double system(double m, double v) {
  Pair q(m, v);
  return energy(Particle(m, v)) + launch(v, m).momentum * q.total +
         q.p.momentum;
}
// CHECK-LABEL: double system_vjp(double m, double v, double _seed, double &_d_m, double &_d_v) {
// CHECK:         ::energy_pullback(Particle(m, v), _seed, _r{{[0-9]+}});
// CHECK:         Particle _d_c2 = _d_q.p;
// CHECK-NEXT:    double _d_c3 = _d_q.total;
// CHECK-NEXT:    _d_c2.mass += _d_c3;

// Member operators returning constructions, and data that is not public.
class Vec {
  double x, y, n;

public:
  Vec(double a, double b) : x(a), y(b), n(std::sqrt(a * a + b * b)) {}
  Vec operator*(double s) const { return Vec(x * s, y * s); }
  double norm() const { return n; }
  double dot(const Vec &o) const { return x * o.x + y * o.y; }
};
ADJOINT_GRAD(x) double vecs(const double *x) {
  Vec a(x[0], x[1]);
  Vec b = a * x[2];
  return b.norm() + a.dot(b);
}
// CHECK-LABEL: double vecs_vjp(const double * __restrict x, double _seed, double *_d_x) {
// CHECK:         double _d_c4 = Vec::_adjoint_n(_d_a);
// CHECK-LABEL: inline void mul_pullback_this(double s, const Vec &_d_return, Vec &_d_this, double &_d_s) const {
// CHECK:         const double _c0 = x * s;
// CHECK-LABEL: void launch_pullback(double m, double v, const Particle &_d_return, double &_d_m, double &_d_v) {
// CHECK:         const double _c0 = m * 2;
// CHECK-NEXT:    const double _c1 = _t0;

#ifdef ERRORS
// Constructors that cannot be replayed are errors at the construction.
struct Delegating {
  double a, b;
  Delegating(double x, double y) : a(x), b(y * x) {}
  Delegating(double x) : Delegating(x, 2 * x) {}
};
ADJOINT_GRAD(x) double e1(double x) { return Delegating(x).b; }
// ERR: computing-constructors.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate the constructor of 'Delegating' called here, which delegates or initializes a base in 'e1'
struct Looping {
  double s;
  Looping(double x) : s(0) {
    for (int i = 0; i < 3; ++i)
      s = s * x + 1;
  }
};
ADJOINT_GRAD(x) double e2(double x) { return Looping(x).s; }
// ERR: computing-constructors.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate the constructor of 'Looping' called here, which has a statement of kind 'ForStmt' in its body (only 'x = e;' and local declarations are replayed) in 'e2'
double helper(double x) { return x * x; }
struct Calling {
  double s;
  Calling(double x) : s(helper(x)) {}
};
ADJOINT_GRAD(x) double e3(double x) { return Calling(x).s; }
// ERR: computing-constructors.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate the constructor of 'Calling' called here, which calls 'helper' (only library math functions are replayed) in 'e3'
double gScale = 3.0;
struct Global {
  double s;
  Global(double x) : s(x * gScale) {}
};
ADJOINT_GRAD(x) double e4(double x) { return Global(x).s; }
// ERR: computing-constructors.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate the constructor of 'Global' called here, which reads 'gScale', which is not its parameter, local or member in 'e4'
struct Branching {
  double a;
  Branching(double x) {
    a = x;
    if (a < 0)
      a = -a;
  }
};
ADJOINT_GRAD(x) double e5(double x) { return Branching(x).a; }
// ERR: computing-constructors.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate the constructor of 'Branching' called here, which has a statement of kind 'IfStmt' in its body (only 'x = e;' and local declarations are replayed) in 'e5'
struct Compound {
  double a;
  Compound(double x) : a(x) { a *= x; }
};
ADJOINT_GRAD(x) double e6(double x) { return Compound(x).a; }
// ERR: computing-constructors.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate the constructor of 'Compound' called here, which has a statement of kind 'CompoundAssignOperator' in its body (only 'x = e;' and local declarations are replayed) in 'e6'
#else
int main() {
  double da = 0, db = 0;
  kinetic_grad(0.7, 1.3, da, db);
  lit::check("kinetic", [](const std::vector<double> &p) { return kinetic(p[0], p[1]); },
             {0.7, 1.3}, {da, db});
  da = db = 0;
  polar_grad(0.7, 1.3, da, db);
  lit::check("polar", [](const std::vector<double> &p) { return polar(p[0], p[1]); },
             {0.7, 1.3}, {da, db});
  std::vector<double> x = {0.4, -1.2, 0.9, 2.1}, gx(4, 0.0);
  units_grad(x, gx);
  lit::check("units", [](const std::vector<double> &p) { return units(p); }, x, gx);
  da = db = 0;
  system_grad(0.8, 1.1, da, db);
  lit::check("system", [](const std::vector<double> &p) { return system(p[0], p[1]); },
             {0.8, 1.1}, {da, db});
  std::vector<double> g3(3, 0.0);
  vecs_grad(x.data(), g3.data());
  lit::check("vecs", [](const std::vector<double> &p) { return vecs(p.data()); },
             {0.4, -1.2, 0.9}, g3);
}
// OUT: gradcheck kinetic: ok
// OUT: gradcheck polar: ok
// OUT: gradcheck units: ok
// OUT: gradcheck system: ok
// OUT: gradcheck vecs: ok
#endif
