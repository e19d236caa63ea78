// The Gaussian-mixture objective of ADBench written the common way: helpers
// fill local std::vectors through .data() and &v[i] (exp of the log-diagonal,
// its sums, the centred point, Q times it), a log-sum-exp over components and
// a Wishart prior. The helpers' writes into the locals used to be invisible
// (all-zero gradients for the means); now every gradient matches finite
// differences.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -I%S/../../adbench %s -o %t/a.out %adjoint_link
// RUN: %t/a.out | FileCheck %s
#include "check.h"
#include "gmm_common.h"

int main() {
  const int d = 3, k = 2, n = 4, icf_sz = d * (d + 1) / 2;
  std::vector<double> p;
  for (int i = 0; i < k + d * k + icf_sz * k; ++i)
    p.push_back(0.1 * std::sin(1.3 * i + 0.4));
  std::vector<double> x;
  for (int i = 0; i < n * d; ++i)
    x.push_back(std::cos(0.7 * i));
  auto f = [&](const std::vector<double> &q) {
    return gmmc_objective(d, k, n, q.data(), q.data() + k, q.data() + k + d * k, x.data(),
               1.0, 0);
  };
  std::vector<double> g(p.size(), 0.0);
  gmmc_objective_grad(d, k, n, p.data(), p.data() + k, p.data() + k + d * k, x.data(), 1.0,
           0, g.data(), g.data() + k, g.data() + k + d * k);
  lit::check("gmm", f, p, g);
}
// CHECK: gradcheck gmm: ok
