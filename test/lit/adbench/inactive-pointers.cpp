// Regressions found while writing the ADBench objectives: a read-only data
// pointer that is not differentiated (GMM's points x, BA's feature) is passed
// on to called functions and sits next to a differentiated output pointer.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx %s -o %t/a.out %adjoint_link
// RUN: %t/a.out | FileCheck %s
#include <adjoint/adjoint.h>

#include <cstdio>

inline double sqdist(int d, const double *x, const double *mu) {
  double s = 0.0;
  for (int i = 0; i < d; ++i)
    s += (x[i] - mu[i]) * (x[i] - mu[i]);
  return s;
}

// Once rejected: "cannot differentiate an inactive pointer argument".
ADJOINT_GRAD(mu) double offset(int d, const double *x, const double *mu) {
  return sqdist(d, &x[d], mu) + sqdist(d, x, mu);
}

// Once rejected: "parameter 'feat' ... carries derivatives but is not
// differentiated".
ADJOINT_GRAD(x, err) void residual(const double *x, const double *feat,
                                   double *err) {
  err[0] = x[0] * (x[1] - feat[0]);
}

int main() {
  double x[4] = {1, 2, 3, 4}, mu[2] = {0.5, 0.25}, dmu[2] = {0, 0};
  offset_grad(2, x, mu, dmu);
  // -2 (3 - 0.5) - 2 (1 - 0.5), -2 (4 - 0.25) - 2 (2 - 0.25)
  std::printf("offset: %g %g\n", dmu[0], dmu[1]);
  double y[2] = {2, 3}, feat[1] = {0.5}, err[1], dy[2] = {0, 0}, derr[1] = {1};
  residual_grad(y, feat, err, dy, derr);
  std::printf("residual: %g %g %g\n", err[0], dy[0], dy[1]);
  return 0;
}
// CHECK: offset: -6 -11
// CHECK: residual: 5 2.5 2
