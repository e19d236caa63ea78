// Functions in namespaces and static member functions defined in their class:
// the gradients are declared next to them and called with qualified names.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

namespace phys {
double kinetic(double m, double v) { return 0.5 * m * v * v; }

namespace detail {
double potential(double m, double h) { return 9.81 * m * h; }
} // namespace detail

ADJOINT_GRAD(v, h) double energy(double m, double v, double h) {
  return kinetic(m, v) + detail::potential(m, h);
}
// m is not differentiated: no adjoint for it, and the callees' adjoints of m
// are dropped.
// CHECK-LABEL: double energy_vjp(double m, double v, double h, double _seed, double &_d_v, double &_d_h) {
// CHECK-NOT:    _d_m
// CHECK:        ::phys::kinetic_pullback(m, v, _seed, _r0, _r1);
// CHECK-NEXT:   _d_v += _r1;
// CHECK:        ::phys::detail::potential_pullback(m, h, _seed, _r2, _r3);
// CHECK-NEXT:   _d_h += _r3;
// CHECK-NEXT:   return _ret0;
// CHECK-LABEL: double energy_grad(double m, double v, double h, double &_d_v, double &_d_h) {
} // namespace phys

struct Stats {
  static double square(double v) { return v * v; }

  ADJOINT_GRAD(a, b) static double meansq(double a, double b) {
    return (square(a) + square(b)) / 2.0;
  }
// CHECK-LABEL: static inline double meansq_vjp(double a, double b, double _seed, double &_d_a, double &_d_b) {
// CHECK:        ::Stats::square_pullback(a, _r0, _r1);
// CHECK:        ::Stats::square_pullback(b, _r0, _r2);
// CHECK-LABEL: static inline double meansq_grad(double a, double b, double &_d_a, double &_d_b) {
};

namespace outer {
struct Model {
  ADJOINT_GRAD(w) static double predict(double w, double x) { return std::tanh(w * x); }
// CHECK-LABEL: static inline double predict_vjp(double w, double x, double _seed, double &_d_w) {
// CHECK:        ::adjoint::derivatives::tanh_result_pullback(w * x, _t0, _seed, _r0);
// CHECK-NEXT:   _d_w += _r0 * x;
};
} // namespace outer

// Calls into a namespace from a free function.
ADJOINT_GRAD(m) double total(double m) { return phys::energy(m, 2.0, 3.0); }
// An annotated function called from another one also gets a pullback.
// CHECK-LABEL: double total_vjp(double m, double _seed, double &_d_m) {
// CHECK:        ::phys::energy_pullback(m, 2.0, 3.0, _seed, _r0, _r1, _r2);
// CHECK-NEXT:   _d_m += _r0;
// CHECK-LABEL: void energy_pullback(double m, double v, double h, double _d_return, double &_d_m, double &_d_v, double &_d_h) {
// CHECK-LABEL: static inline void square_pullback(double v, double _d_return, double &_d_v) {
// CHECK-LABEL: void potential_pullback(double m, double h, double _d_return, double &_d_m, double &_d_h) {
// CHECK-LABEL: void kinetic_pullback(double m, double v, double _d_return, double &_d_m, double &_d_v) {

int main() {
  using V = std::vector<double>;
  {
    double dv = 0, dh = 0;
    phys::energy_grad(2.0, 3.0, 0.5, dv, dh);
    lit::check("energy", [](const V &v) { return phys::energy(2.0, v[0], v[1]); }, {3.0, 0.5}, {dv, dh});
  }
  {
    double da = 0, db = 0;
    Stats::meansq_grad(1.5, -2.5, da, db);
    lit::check("meansq", [](const V &v) { return Stats::meansq(v[0], v[1]); }, {1.5, -2.5}, {da, db});
  }
  {
    double dw = 0;
    outer::Model::predict_grad(0.5, 2.0, dw);
    lit::check("predict", [](const V &v) { return outer::Model::predict(v[0], 2.0); }, {0.5}, {dw});
  }
  {
    double dm = 0;
    total_grad(2.0, dm);
    lit::check("total", [](const V &v) { return total(v[0]); }, {2.0}, {dm});
  }
}

// (m v, 9.81 m)
// OUT:      energy: 6.000000 19.620000
// OUT-NEXT: gradcheck energy: ok
// OUT-NEXT: meansq: 1.500000 -2.500000
// OUT-NEXT: gradcheck meansq: ok
// x (1 - tanh^2(wx))
// OUT-NEXT: predict: 0.839949
// OUT-NEXT: gradcheck predict: ok
// v^2/2 + 9.81 h
// OUT-NEXT: total: 31.430000
// OUT-NEXT: gradcheck total: ok
