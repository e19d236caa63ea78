//===- gmm_common.h - ADBench's GMM objective, written the common way -----===//
//
// The Gaussian-mixture objective of ADBench (log-likelihood with a Wishart
// prior, without its constant terms) as numerical C++ is commonly written:
// helpers fill local std::vectors through .data() and &v[i] (the exponentials
// of the log-diagonals and their sums, the centred point, Q times it), then a
// log-sum-exp over the components. Annotated as is; used by
// test/lit/adbench/gmm-common-style.cpp and bench/adbench_bench.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_TEST_ADBENCH_GMM_COMMON_H
#define ADJOINT_TEST_ADBENCH_GMM_COMMON_H

#include <adjoint/adjoint.h>

#include <cmath>
#include <vector>

inline void gmmc_log_diagonals(int d, int k, const double *icf, double *sum_qs,
                   double *qdiags) {
  int icf_sz = d * (d + 1) / 2;
  for (int ik = 0; ik < k; ++ik) {
    sum_qs[ik] = 0.;
    for (int id = 0; id < d; ++id) {
      double q = icf[ik * icf_sz + id];
      sum_qs[ik] = sum_qs[ik] + q;
      qdiags[ik * d + id] = std::exp(q);
    }
  }
}

inline void gmmc_subtract(int d, const double *x, const double *y, double *out) {
  for (int id = 0; id < d; ++id)
    out[id] = x[id] - y[id];
}

// out = Q x with Q lower triangular: diagonal qdiag, below it ltri by columns.
inline void gmmc_qtimesx(int d, const double *qdiag, const double *ltri, const double *x,
             double *out) {
  for (int id = 0; id < d; ++id)
    out[id] = qdiag[id] * x[id];
  int lparam = 0;
  for (int i = 0; i < d; ++i)
    for (int j = i + 1; j < d; ++j) {
      out[j] = out[j] + ltri[lparam] * x[i];
      lparam++;
    }
}

inline double gmmc_sqnorm(int n, const double *x) {
  double s = 0;
  for (int i = 0; i < n; ++i)
    s = s + x[i] * x[i];
  return s;
}

inline double gmmc_log_sum_exp(int n, const double *x) {
  double mx = x[0];
  for (int i = 1; i < n; ++i)
    if (x[i] > mx)
      mx = x[i];
  double s = 0;
  for (int i = 0; i < n; ++i)
    s = s + std::exp(x[i] - mx);
  return std::log(s) + mx;
}

ADJOINT_GRAD(alphas, means, icf)
inline double gmmc_objective(int d, int k, int n, const double *alphas, const double *means,
           const double *icf, const double *x, double gamma, int m) {
  int icf_sz = d * (d + 1) / 2;
  std::vector<double> qdiags(d * k), sum_qs(k), xcentered(d), qxc(d),
      main_term(k);
  gmmc_log_diagonals(d, k, icf, sum_qs.data(), qdiags.data());
  double slse = 0.;
  for (int ix = 0; ix < n; ++ix) {
    for (int ik = 0; ik < k; ++ik) {
      gmmc_subtract(d, &x[ix * d], &means[ik * d], xcentered.data());
      gmmc_qtimesx(d, &qdiags[ik * d], &icf[ik * icf_sz + d], xcentered.data(),
              qxc.data());
      main_term[ik] = alphas[ik] + sum_qs[ik] - 0.5 * gmmc_sqnorm(d, qxc.data());
    }
    slse = slse + gmmc_log_sum_exp(k, main_term.data());
  }
  double lse_alphas = gmmc_log_sum_exp(k, alphas);
  // The Wishart prior on the precision matrices.
  double prior = 0.;
  for (int ik = 0; ik < k; ++ik) {
    double frob = gmmc_sqnorm(d, &qdiags[ik * d]) +
                  gmmc_sqnorm(icf_sz - d, &icf[ik * icf_sz + d]);
    prior = prior + 0.5 * gamma * gamma * frob - m * sum_qs[ik];
  }
  return slse - n * lse_alphas + prior;
}

#endif // ADJOINT_TEST_ADBENCH_GMM_COMMON_H
