// ADBench BA: adjoint's Jacobian of the reprojection residuals of
// test/adbench/ba.h (two reverse sweeps, seeds (1, 0) and (0, 1)) against the
// hand-derived one to ADBench's nearness |x - y| / max(1, |x| + |y|) < 1e-8,
// for random cameras and points including zero and near-zero rotations, and
// both against central finite differences.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../../adbench %s -o %t/a.out %adjoint_link
// RUN: %t/a.out > %t/out.txt
// RUN: FileCheck %s --implicit-check-not=FAR --implicit-check-not=FAILED < %t/out.txt
// RUN: FileCheck %s --check-prefix=FD < %t/out.txt
#include "ba.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace {

struct Observation {
  double cam[BA_NCAMPARAMS];
  double X[3];
  double w;
  double feat[2];
};

double nearness(double a, double b) {
  return std::fabs(a - b) / std::max(1.0, std::fabs(a) + std::fabs(b));
}

/// A camera looking at a point at depth 2..6 in front of it, with the given
/// rotation scale (0 gives exactly zero rotation).
Observation makeObservation(std::mt19937_64 &rng, double rotScale) {
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  Observation O;
  for (int i = 0; i < 3; ++i)
    O.cam[BA_ROT_IDX + i] = rotScale * u(rng);
  for (int i = 0; i < 3; ++i)
    O.cam[BA_C_IDX + i] = u(rng);
  O.cam[BA_F_IDX] = 1.5 + 0.5 * u(rng);
  O.cam[BA_X0_IDX] = 0.1 * u(rng);
  O.cam[BA_X0_IDX + 1] = 0.1 * u(rng);
  O.cam[BA_RAD_IDX] = 0.1 * u(rng);
  O.cam[BA_RAD_IDX + 1] = 0.05 * u(rng);
  O.X[0] = O.cam[BA_C_IDX] + 0.5 * u(rng);
  O.X[1] = O.cam[BA_C_IDX + 1] + 0.5 * u(rng);
  O.X[2] = O.cam[BA_C_IDX + 2] + 4.0 + 2.0 * u(rng);
  O.w = 1.0 + 0.5 * u(rng);
  O.feat[0] = 0.2 * u(rng);
  O.feat[1] = 0.2 * u(rng);
  return O;
}

/// Row-major 2 x 15 Jacobian with respect to (cam, X, w) from adjoint.
void adjointJacobian(const Observation &O, double *err, double *J) {
  for (int row = 0; row < 2; ++row) {
    double *Jr = J + row * 15;
    std::fill(Jr, Jr + 15, 0.0);
    double seed[2] = {row == 0 ? 1.0 : 0.0, row == 1 ? 1.0 : 0.0};
    ba_reproj_error_grad(O.cam, O.X, O.w, O.feat, err, Jr, Jr + 11, Jr[14],
                         seed);
  }
}

/// The residual `row` as a function of the 15 parameters.
double residualOf(const Observation &O, int row, const std::vector<double> &p) {
  double err[2];
  ba_reproj_error(p.data(), p.data() + 11, p[14], O.feat, err);
  return err[row];
}

void compare(const char *what, const Observation &O, bool fd) {
  double ea[2], em[2], e[2], Ja[30], Jm[30];
  adjointJacobian(O, ea, Ja);
  ba_jacobian_manual(O.cam, O.X, O.w, O.feat, em, Jm);
  ba_reproj_error(O.cam, O.X, O.w, O.feat, e);
  double worst = 0.0;
  for (int i = 0; i < 2; ++i)
    worst = std::max({worst, nearness(ea[i], e[i]), nearness(em[i], e[i])});
  for (int i = 0; i < 30; ++i) {
    double n = nearness(Ja[i], Jm[i]);
    worst = std::max(worst, n);
    if (!(n < 1e-8))
      std::printf("  J[%d][%d]: adjoint %.17g manual %.17g\n", i / 15, i % 15,
                  Ja[i], Jm[i]);
  }
  // The weight residual 1 - w^2.
  double dw = 0.0;
  ba_weight_error_grad(O.w, dw);
  worst = std::max(worst, nearness(dw, -2.0 * O.w));
  std::printf("ba %s: %s\n", what, worst < 1e-8 ? "near" : "FAR");
  if (!fd)
    return;
  std::vector<double> p(O.cam, O.cam + 11);
  p.insert(p.end(), O.X, O.X + 3);
  p.push_back(O.w);
  for (int row = 0; row < 2; ++row) {
    auto F = [&](const std::vector<double> &q) {
      return residualOf(O, row, q);
    };
    adjoint::GradcheckOptions Opt;
    Opt.Name = std::string("fd adjoint ") + what + " row " +
               std::to_string(row);
    adjoint::gradcheck(F, p, std::vector<double>(Ja + row * 15,
                                                 Ja + row * 15 + 15),
                       Opt);
    Opt.Name = std::string("fd manual ") + what + " row " +
               std::to_string(row);
    adjoint::gradcheck(F, p, std::vector<double>(Jm + row * 15,
                                                 Jm + row * 15 + 15),
                       Opt);
  }
}

} // namespace

int main() {
  std::mt19937_64 rng(42);
  // Several cameras and points with ordinary rotations.
  for (int i = 0; i < 50; ++i) {
    Observation O = makeObservation(rng, 1.0);
    char name[32];
    std::snprintf(name, sizeof name, "random %d", i);
    compare(name, O, i < 2);
  }
  // Rotation exactly zero: the first-order branch.
  compare("zero rotation", makeObservation(rng, 0.0), true);
  // Rotations near zero take the Rodrigues branch with tiny theta.
  compare("rotation 1e-4", makeObservation(rng, 1e-4), true);
  compare("rotation 1e-8", makeObservation(rng, 1e-8), false);
  return 0;
}
// CHECK-COUNT-50: ba random {{[0-9]+}}: near
// CHECK: ba zero rotation: near
// CHECK: ba rotation 1e-4: near
// CHECK: ba rotation 1e-8: near
// FD-COUNT-16: fd {{adjoint|manual}} {{.*}} row {{[01]}}: ok
