// ADBench GMM: adjoint's gradient of test/adbench/gmm.h against the
// hand-derived one to ADBench's nearness |x - y| / max(1, |x| + |y|) < 1e-8 on
// random instances up to d = 20, k = 25, n = 1000, and both against central
// finite differences on small instances.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../../adbench %s -o %t/a.out %adjoint_link
// RUN: %t/a.out | FileCheck %s --implicit-check-not=FAR --implicit-check-not=FAILED
#include "gmm.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

namespace {

struct Instance {
  int d, k, n;
  std::vector<double> alphas, means, icf, x;
  double gamma;
  int m;
};

/// Deterministic random instance; like ADBench's generator, means and points
/// are uniform and the icf entries small so that every component matters.
Instance makeInstance(int d, int k, int n, unsigned seed, double gamma,
                      int m) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::normal_distribution<double> g(0.0, 1.0);
  Instance I{d, k, n, {}, {}, {}, {}, gamma, m};
  int icf_sz = d * (d + 1) / 2;
  for (int i = 0; i < k; ++i)
    I.alphas.push_back(g(rng));
  for (int i = 0; i < k * d; ++i)
    I.means.push_back(u(rng));
  for (int i = 0; i < k * icf_sz; ++i)
    I.icf.push_back(0.5 * g(rng));
  for (int i = 0; i < n * d; ++i)
    I.x.push_back(u(rng));
  return I;
}

double nearness(double a, double b) {
  return std::fabs(a - b) / std::max(1.0, std::fabs(a) + std::fabs(b));
}

/// The objective as a function of all differentiated inputs, concatenated.
double objectiveOf(const Instance &I, const std::vector<double> &p) {
  int na = I.k, nm = I.k * I.d;
  return gmm_objective(I.d, I.k, I.n, p.data(), p.data() + na,
                       p.data() + na + nm, I.x.data(), I.gamma, I.m);
}

std::vector<double> adjointGradient(const Instance &I, double &value) {
  std::vector<double> g(I.alphas.size() + I.means.size() + I.icf.size(), 0.0);
  double *da = g.data(), *dm = da + I.k, *di = dm + I.k * I.d;
  value = gmm_objective_grad(I.d, I.k, I.n, I.alphas.data(), I.means.data(),
                             I.icf.data(), I.x.data(), I.gamma, I.m, da, dm,
                             di);
  return g;
}

std::vector<double> manualGradient(const Instance &I, double &value) {
  std::vector<double> g(I.alphas.size() + I.means.size() + I.icf.size(), 0.0);
  double *da = g.data(), *dm = da + I.k, *di = dm + I.k * I.d;
  value = gmm_gradient_manual(I.d, I.k, I.n, I.alphas.data(), I.means.data(),
                              I.icf.data(), I.x.data(), I.gamma, I.m, da, dm,
                              di);
  return g;
}

void compare(int d, int k, int n, unsigned seed, double gamma, int m) {
  Instance I = makeInstance(d, k, n, seed, gamma, m);
  double fa, fm;
  std::vector<double> ga = adjointGradient(I, fa);
  std::vector<double> gm = manualGradient(I, fm);
  double f = gmm_objective(d, k, n, I.alphas.data(), I.means.data(),
                           I.icf.data(), I.x.data(), gamma, m);
  double worst = std::max(nearness(fa, f), nearness(fm, f));
  size_t bad = 0;
  for (size_t i = 0; i < ga.size(); ++i) {
    double e = nearness(ga[i], gm[i]);
    worst = std::max(worst, e);
    if (!(e < 1e-8) && bad++ < 5)
      std::printf("  component %zu: adjoint %.17g manual %.17g\n", i, ga[i],
                  gm[i]);
  }
  std::printf("gmm d=%d k=%d n=%d: %s (%zu values)\n", d, k, n,
              worst < 1e-8 ? "near" : "FAR", ga.size());
}

void finiteDifferences(int d, int k, int n, unsigned seed) {
  Instance I = makeInstance(d, k, n, seed, 1.5, 2);
  std::vector<double> p = I.alphas;
  p.insert(p.end(), I.means.begin(), I.means.end());
  p.insert(p.end(), I.icf.begin(), I.icf.end());
  auto F = [&](const std::vector<double> &q) { return objectiveOf(I, q); };
  double v;
  adjoint::GradcheckOptions O;
  O.Name = "fd adjoint d=" + std::to_string(d);
  adjoint::gradcheck(F, p, adjointGradient(I, v), O);
  O.Name = "fd manual d=" + std::to_string(d);
  adjoint::gradcheck(F, p, manualGradient(I, v), O);
}

} // namespace

int main() {
  compare(2, 3, 10, 1, 1.0, 0);
  compare(3, 5, 100, 2, 1.0, 0);
  compare(5, 10, 200, 3, 2.0, 3);
  compare(2, 25, 1000, 4, 1.0, 0);
  compare(10, 25, 1000, 5, 1.0, 0);
  compare(20, 25, 1000, 6, 1.0, 0);
  compare(20, 5, 300, 7, 0.7, 1);
  compare(1, 1, 20, 8, 1.0, 0);
  finiteDifferences(2, 3, 10, 11);
  finiteDifferences(4, 3, 20, 12);
  return 0;
}
// CHECK: gmm d=2 k=3 n=10: near (18 values)
// CHECK: gmm d=3 k=5 n=100: near (50 values)
// CHECK: gmm d=5 k=10 n=200: near (210 values)
// CHECK: gmm d=2 k=25 n=1000: near (150 values)
// CHECK: gmm d=10 k=25 n=1000: near (1650 values)
// CHECK: gmm d=20 k=25 n=1000: near (5775 values)
// CHECK: gmm d=20 k=5 n=300: near (1155 values)
// CHECK: gmm d=1 k=1 n=20: near (3 values)
// CHECK: fd adjoint d=2: ok
// CHECK: fd manual d=2: ok
// CHECK: fd adjoint d=4: ok
// CHECK: fd manual d=4: ok
