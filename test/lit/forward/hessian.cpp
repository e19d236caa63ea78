// Second order: f_hessian writes the full row-major Hessian (overwriting
// H), checked against finite differences of f_grad and for symmetry; f_hvp
// adds H*v into its outputs and returns f's value. Both run the
// pushforward over adjoint::Dual<double> (forward over forward), through
// loops, branches, calls and library math: the functions here call functions
// taking references (a helper, std::max), which f_hvp's reverse sweep over
// Duals does not take (hvp-sweep*.cpp test that sweep).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/Inputs
// RUN: %gxx -I%S/Inputs %t/gen.cpp -o %t/gen.out %adjoint_link
// RUN: %t/gen.out | FileCheck %s --check-prefix=OUT
#include "fwd_check.h"
#include <cmath>

double softplus(const double &t) { return std::log1p(std::exp(t)); }

// Rosenbrock-like terms in a loop, a branch and a call.
ADJOINT_GRAD(x, y, z) ADJOINT_HESSIAN(x, y, z)
double energy(double x, double y, double z, int steps) {
  double e = 0;
  for (int i = 1; i <= steps; ++i) {
    double a = x - i * 0.1;
    e += 100 * std::pow(y - a * a, 2) + (1 - a) * (1 - a);
    if (z > 0)
      e += softplus(z * y) / i;
    else
      e -= std::sin(z) * std::cos(x);
  }
  return e * std::sqrt(1 + z * z);
}
// CHECK-LABEL: // energy_hvp, from energy
// CHECK-NEXT: inline double energy_hvp(double x, double y, double z, int steps, double _v_x, double _v_y, double _v_z, double &_hv_x, double &_hv_y, double &_hv_z) {
// CHECK-NEXT:   using _D = ::adjoint::Dual<double>;
// CHECK:        return energy_pushforward<_D>(_D(x, _which == 0 ? double(1) : double(0)), _D(y, _which == 1 ? double(1) : double(0)), _D(z, _which == 2 ? double(1) : double(0)), steps, _D(_v_x), _D(_v_y), _D(_v_z));
// CHECK:        return _value;
// CHECK-LABEL: inline void energy_hessian(double x, double y, double z, int steps, double *_H) {
// CHECK:        for (int _i = 0; _i < 3; ++_i)
// CHECK-NEXT:     for (int _j = _i; _j < 3; ++_j)
// CHECK-NEXT:       _H[_i * 3 + _j] = _H[_j * 3 + _i] =

// std::max and std::min of a real and a constant: one type for the Duals.
ADJOINT_GRAD(a, b) ADJOINT_HESSIAN(a, b)
double clipped(double a, double b) {
  return std::max(a * b, 0.0) * a + std::min(a, 1.0) * b * b;
}
// CHECK-LABEL: // clipped_pushforward, from clipped
// CHECK:        _S [[V:_v[0-9]+]] = std::max(_S(a * b), _S(0.0));
// CHECK-LABEL: // clipped_hvp, from clipped
// With scalars only, the first seeded run also gives the value.
// CHECK:        auto _first = _run(0, 0);
// CHECK-NEXT:   double _value = _first.value.value;
// CHECK-NEXT:   _hv_a += _first.tangent.tangent;
// CHECK-NEXT:   _hv_b += _run(1, 0).tangent.tangent;

int main() {
  bool Ok = true;
  {
    double H[4];
    clipped_hessian(0.8, 0.6, H);
    auto Grad = [](const std::vector<double> &P) {
      std::vector<double> G(2, 0.0);
      clipped_grad(P[0], P[1], G[0], G[1]);
      return G;
    };
    Ok &= lit::compare("clipped row 0", {H[0], H[1]},
                       lit::directional(Grad, {0.8, 0.6}, {1, 0}, 1e-5), 1e-6);
    Ok &= lit::compare("clipped row 1", {H[2], H[3]},
                       lit::directional(Grad, {0.8, 0.6}, {0, 1}, 1e-5), 1e-6);
  }
  for (std::vector<double> X : {std::vector<double>{0.3, 0.2, 0.7},
                                std::vector<double>{-0.5, 0.9, -0.4}}) {
    double H[9];
    for (double &h : H)
      h = 1e300; // overwritten, not added to
    energy_hessian(X[0], X[1], X[2], 4, H);
    // Row r of H is the derivative of the gradient along e_r.
    auto Grad = [](const std::vector<double> &P) {
      std::vector<double> G(3, 0.0);
      energy_grad(P[0], P[1], P[2], 4, G[0], G[1], G[2]);
      return G;
    };
    for (int r = 0; r < 3; ++r) {
      std::vector<double> E(3, 0.0);
      E[r] = 1;
      Ok &= lit::compare("hessian row", {H[3 * r], H[3 * r + 1], H[3 * r + 2]},
                         lit::directional(Grad, X, E, 1e-5), 1e-5);
    }
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c)
        Ok &= H[3 * r + c] == H[3 * c + r];
    // H*v, added to what the outputs hold.
    std::vector<double> V = {0.5, -1.2, 0.8};
    double Hv[3] = {1, 2, 3};
    double Value = energy_hvp(X[0], X[1], X[2], 4, V[0], V[1], V[2], Hv[0],
                              Hv[1], Hv[2]);
    std::vector<double> Want(3);
    for (int r = 0; r < 3; ++r)
      Want[r] = 1 + r + H[3 * r] * V[0] + H[3 * r + 1] * V[1] + H[3 * r + 2] * V[2];
    Ok &= lit::compare("hvp", {Value, Hv[0], Hv[1], Hv[2]},
                       {energy(X[0], X[1], X[2], 4), Want[0], Want[1], Want[2]},
                       1e-10);
  }
  std::printf("%s\n", Ok ? "all ok" : "FAILED");
}
// OUT-NOT: FAILED
// OUT: all ok
