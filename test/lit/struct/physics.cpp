// Physics vectors as numerical code writes them: a class with constructors
// and const operators, a helper returning a struct by value (cross), a
// local array of structs filled in a loop, and a local constructed with
// parentheses inside a loop body (hoisted: assigned `V3(...)` there).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: %gxx -I%S/../scalar/Inputs %t/gen.cpp -o %t/gxx.out %adjoint_link
// RUN: %t/gxx.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>
#include <vector>

struct V3 {
  double x, y, z;
  V3() : x(0), y(0), z(0) {}
  V3(double a, double b, double c) : x(a), y(b), z(c) {}
  V3 operator+(const V3 &o) const { return V3(x + o.x, y + o.y, z + o.z); }
  V3 operator-(const V3 &o) const { return V3(x - o.x, y - o.y, z - o.z); }
  V3 operator*(double s) const { return V3(x * s, y * s, z * s); }
  double dot(const V3 &o) const { return x * o.x + y * o.y + z * o.z; }
  double norm() const { return std::sqrt(dot(*this)); }
};

V3 cross(const V3 &a, const V3 &b) {
  return V3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z,
            a.x * b.y - a.y * b.x);
}

// |L| for n particles: L = sum of m r_i x v_i about the centre c.
ADJOINT_GRAD(p, v)
double angular(const double *p, const double *v, int n, double m) {
  V3 c(0.1, -0.2, 0.3);
  V3 L;
  V3 pos[4];
  for (int i = 0; i < n; ++i)
    pos[i] = V3(p[3 * i], p[3 * i + 1], p[3 * i + 2]) - c;
  for (int i = 0; i < n; ++i) {
    V3 vel(v[3 * i], v[3 * i + 1], v[3 * i + 2]);
    L = L + cross(pos[i], vel * m);
  }
  return L.norm();
}
// CHECK-LABEL: double angular_vjp(
// CHECK:         vel = V3(v[3 * i_1], v[3 * i_1 + 1], v[3 * i_1 + 2]);
// CHECK:         ::cross_pullback(pos[i_1], _t{{[0-9]+}}, {{.*}});
// CHECK-LABEL: void cross_pullback(const V3 & a, const V3 & b, const V3 &_d_return, V3 &_d_a, V3 &_d_b) {

int main() {
  using V = std::vector<double>;
  V p(12), v(12), gp(12, 0.0), gv(12, 0.0);
  for (int i = 0; i < 12; ++i) {
    p[i] = 0.1 * i - 0.4;
    v[i] = std::sin(i + 1.0);
  }
  angular_grad(p.data(), v.data(), 4, 2.0, gp.data(), gv.data());
  V all = p, grad = gp;
  all.insert(all.end(), v.begin(), v.end());
  grad.insert(grad.end(), gv.begin(), gv.end());
  lit::check("angular",
             [](const V &q) { return angular(q.data(), q.data() + 12, 4, 2.0); },
             all, grad);
}
// OUT: gradcheck angular: ok
