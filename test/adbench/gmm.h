//===- test/adbench/gmm.h - ADBench GMM objective and its gradient -*- C++ -*-===//
//
// The Gaussian-mixture objective of Microsoft's ADBench, written from the
// published math in plain loop-and-pointer style so that adjoint
// differentiates it (ADJOINT_GRAD on gmm_objective), and a hand-derived
// gradient (gmm_gradient_manual) that the tests and bench/adbench_bench.cpp
// compare adjoint against.
//
// Parameters: d dimensions, k components, n points x (n x d, row-major);
// alphas (k) are the unnormalised log mixture weights, means (k x d), and icf
// (k x d(d+1)/2) the inverse-covariance factors: per component, d log-diagonal
// entries q followed by the d(d-1)/2 strictly lower-triangular entries L of
// Q = diag(exp(q)) + L, stored column by column. The inverse covariance is
// Q^T Q. The objective is
//
//   sum_i logsumexp_k(alpha_k + sum(q_k) - |Q_k (x_i - mu_k)|^2 / 2)
//   - n logsumexp(alpha) - n d/2 log(2 pi)
//   + sum_k (gamma^2/2 (|exp(q_k)|^2 + |L_k|^2) - m sum(q_k)) - k C(d, gamma, m)
//
// (log-likelihood plus the log of a Wishart prior, up to sign conventions as
// in ADBench).
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_TEST_ADBENCH_GMM_H
#define ADJOINT_TEST_ADBENCH_GMM_H

#include <adjoint/adjoint.h>

#include <cmath>
#include <vector>

namespace gmm_detail {
constexpr double Pi = 3.14159265358979323846;
} // namespace gmm_detail

inline double gmm_max(int n, const double *x) {
  double m = x[0];
  for (int i = 1; i < n; ++i)
    if (x[i] > m)
      m = x[i];
  return m;
}

/// log(sum(exp(x))) with the maximum subtracted first so that exp cannot
/// overflow.
inline double gmm_logsumexp(int n, const double *x) {
  double mx = gmm_max(n, x);
  double s = 0.0;
  for (int i = 0; i < n; ++i)
    s += std::exp(x[i] - mx);
  return std::log(s) + mx;
}

inline double gmm_sqnorm(int n, const double *x) {
  double s = 0.0;
  for (int i = 0; i < n; ++i)
    s += x[i] * x[i];
  return s;
}

inline void gmm_subtract(int d, const double *x, const double *y,
                         double *out) {
  for (int i = 0; i < d; ++i)
    out[i] = x[i] - y[i];
}

/// out = Q x for Q = diag(qdiag) + the strictly lower triangle ltri, stored
/// column by column.
inline void gmm_qtimesx(int d, const double *qdiag, const double *ltri,
                        const double *x, double *out) {
  for (int i = 0; i < d; ++i)
    out[i] = qdiag[i] * x[i];
  int l = 0;
  for (int i = 0; i < d; ++i)
    for (int j = i + 1; j < d; ++j) {
      out[j] += ltri[l] * x[i];
      ++l;
    }
}

/// Per component: sum_qs[k] = sum of the log-diagonal, qdiags = exp of it.
inline void gmm_preprocess_qs(int d, int k, const double *icf, double *sum_qs,
                              double *qdiags) {
  int icf_sz = d * (d + 1) / 2;
  for (int ik = 0; ik < k; ++ik) {
    sum_qs[ik] = 0.0;
    for (int id = 0; id < d; ++id) {
      double q = icf[ik * icf_sz + id];
      sum_qs[ik] += q;
      qdiags[ik * d + id] = std::exp(q);
    }
  }
}

/// log of the multivariate gamma function Gamma_p(a).
inline double gmm_log_gamma_distrib(double a, int p) {
  double out = 0.25 * p * (p - 1) * std::log(gmm_detail::Pi);
  for (int j = 1; j <= p; ++j)
    out += std::lgamma(a + 0.5 * (1 - j));
  return out;
}

inline double gmm_log_wishart_prior(int p, int k, double gamma, int m,
                                    const double *sum_qs, const double *qdiags,
                                    const double *icf) {
  int n = p + m + 1;
  int icf_sz = p * (p + 1) / 2;
  double c = n * p * (std::log(gamma) - 0.5 * std::log(2.0)) -
             gmm_log_gamma_distrib(0.5 * n, p);
  double out = 0.0;
  for (int ik = 0; ik < k; ++ik) {
    double frobenius = gmm_sqnorm(p, &qdiags[ik * p]) +
                       gmm_sqnorm(icf_sz - p, &icf[ik * icf_sz + p]);
    out = out + 0.5 * gamma * gamma * frobenius - m * sum_qs[ik];
  }
  return out - k * c;
}

/// The Wishart prior term of all components, computed from icf directly.
inline double gmm_wishart_icf(int p, int k, double gamma, int m,
                              const double *icf) {
  int n = p + m + 1;
  int icf_sz = p * (p + 1) / 2;
  double c = n * p * (std::log(gamma) - 0.5 * std::log(2.0)) -
             gmm_log_gamma_distrib(0.5 * n, p);
  double out = 0.0;
  for (int ik = 0; ik < k; ++ik) {
    double frobenius = 0.0;
    double sum_q = 0.0;
    for (int j = 0; j < p; ++j) {
      double q = icf[ik * icf_sz + j];
      frobenius += std::exp(2.0 * q);
      sum_q += q;
    }
    for (int l = p; l < icf_sz; ++l)
      frobenius += icf[ik * icf_sz + l] * icf[ik * icf_sz + l];
    out = out + 0.5 * gamma * gamma * frobenius - m * sum_q;
  }
  return out - k * c;
}

/// The objective. Like ADBench's reference implementation, exp(q) and
/// sum(q) of each component are computed once, before the loop over points,
/// and so is a copy of L row by row (lrows: row j's L[j][0..j-1] at
/// j(j-1)/2; in icf, L[j][i] sits at d + i(2d - i - 1)/2 + j - i - 1). The
/// main terms of one point go through a streaming logsumexp that keeps the
/// running maximum mx and the sum s of exp(t - mx), and |Q (x - mu)|^2 is
/// summed row by row of Q = diag(exp(q)) + L, so no buffer is overwritten per
/// point.
ADJOINT_GRAD(alphas, means, icf)
inline double gmm_objective(int d, int k, int n, const double *alphas,
                            const double *means, const double *icf,
                            const double *x, double wishart_gamma,
                            int wishart_m) {
  const double constant = -n * d * 0.5 * std::log(2 * gmm_detail::Pi);
  int icf_sz = d * (d + 1) / 2;
  int tri = d * (d - 1) / 2;
  std::vector<double> qdiags(d * k);
  std::vector<double> sum_qs(k);
  std::vector<double> lrows(k * tri);
  for (int ik = 0; ik < k; ++ik) {
    double sum_q = 0.0;
    for (int j = 0; j < d; ++j) {
      sum_q += icf[ik * icf_sz + j];
      qdiags[ik * d + j] = std::exp(icf[ik * icf_sz + j]);
      for (int i = 0; i < j; ++i)
        lrows[ik * tri + j * (j - 1) / 2 + i] =
            icf[ik * icf_sz + d + i * (2 * d - i - 1) / 2 + j - i - 1];
    }
    sum_qs[ik] = sum_q;
  }
  double slse = 0.0;
  for (int ix = 0; ix < n; ++ix) {
    double mx = 0.0;
    double s = 0.0;
    for (int ik = 0; ik < k; ++ik) {
      double sqnorm = 0.0;
      for (int j = 0; j < d; ++j) {
        double y = qdiags[ik * d + j] * (x[ix * d + j] - means[ik * d + j]);
        for (int i = 0; i < j; ++i)
          y += lrows[ik * tri + j * (j - 1) / 2 + i] *
               (x[ix * d + i] - means[ik * d + i]);
        sqnorm += y * y;
      }
      double t = alphas[ik] + sum_qs[ik] - 0.5 * sqnorm;
      if (ik == 0) {
        mx = t;
        s = 1.0;
      } else if (t > mx) {
        s = s * std::exp(mx - t) + 1.0;
        mx = t;
      } else {
        s += std::exp(t - mx);
      }
    }
    slse = slse + std::log(s) + mx;
  }
  double lse_alphas = gmm_logsumexp(k, alphas);
  return constant + slse - n * lse_alphas +
         gmm_wishart_icf(d, k, wishart_gamma, wishart_m, icf);
}

/// Hand-derived gradient of gmm_objective, added into d_alphas, d_means and
/// d_icf (same extents as the inputs); returns the objective. For one point
/// x_i and component k, with xc = x_i - mu_k, y = Q_k xc and the
/// responsibility r_k = softmax_k(main_term):
///   d/d alpha_k = r_k,  d/d mu_k = r_k Q_k^T y,
///   d/d q_kj = r_k (1 - y_j xc_j exp(q_kj)),  d/d L_k[j][i] = -r_k y_j xc_i,
/// plus -n softmax(alpha) for the normaliser and, for the prior,
/// gamma^2 exp(2 q) - m on q and gamma^2 L on L. The per-point terms of the
/// diagonal are summed in d_qdiags/d_sum_qs and chained through exp once.
inline double gmm_gradient_manual(int d, int k, int n, const double *alphas,
                                  const double *means, const double *icf,
                                  const double *x, double wishart_gamma,
                                  int wishart_m, double *d_alphas,
                                  double *d_means, double *d_icf) {
  const double constant = -n * d * 0.5 * std::log(2 * gmm_detail::Pi);
  const int icf_sz = d * (d + 1) / 2;
  std::vector<double> qdiags(d * k), sum_qs(k);
  gmm_preprocess_qs(d, k, icf, sum_qs.data(), qdiags.data());
  // Accumulated adjoints of exp(q) and of sum(q), chained through exp at the
  // end rather than once per point.
  std::vector<double> d_qdiags(d * k, 0.0), d_sum_qs(k, 0.0);
  // Per point, the centred point and Q xc of every component are kept for the
  // reverse step instead of being recomputed.
  std::vector<double> xc(d * k), qxc(d * k), main_term(k), d_xc(d);

  double slse = 0.0;
  for (int ix = 0; ix < n; ++ix) {
    const double *xi = x + ix * d;
    for (int ik = 0; ik < k; ++ik) {
      double *c = &xc[ik * d];
      double *y = &qxc[ik * d];
      gmm_subtract(d, xi, means + ik * d, c);
      gmm_qtimesx(d, &qdiags[ik * d], icf + ik * icf_sz + d, c, y);
      main_term[ik] = alphas[ik] + sum_qs[ik] - 0.5 * gmm_sqnorm(d, y);
    }
    double mx = gmm_max(k, main_term.data());
    double s = 0.0;
    for (int ik = 0; ik < k; ++ik) {
      main_term[ik] = std::exp(main_term[ik] - mx);
      s += main_term[ik];
    }
    slse += std::log(s) + mx;
    double inv_s = 1.0 / s;
    for (int ik = 0; ik < k; ++ik) {
      double r = main_term[ik] * inv_s;
      d_alphas[ik] += r;
      d_sum_qs[ik] += r;
      const double *c = &xc[ik * d];
      const double *y = &qxc[ik * d];
      const double *qd = &qdiags[ik * d];
      const double *ltri = icf + ik * icf_sz + d;
      double *d_qd = &d_qdiags[ik * d];
      double *d_ltri = d_icf + ik * icf_sz + d;
      // d main / d y = -r y; through y = diag(qd) c + L c.
      for (int j = 0; j < d; ++j) {
        double dy = -r * y[j];
        d_qd[j] += dy * c[j];
        d_xc[j] = dy * qd[j];
      }
      int l = 0;
      for (int i = 0; i < d; ++i) {
        double ci = c[i];
        double dci = 0.0;
        for (int j = i + 1; j < d; ++j) {
          double dy = -r * y[j];
          d_ltri[l] += dy * ci;
          dci += ltri[l] * dy;
          ++l;
        }
        d_xc[i] += dci;
      }
      double *d_mu = d_means + ik * d;
      for (int j = 0; j < d; ++j)
        d_mu[j] -= d_xc[j];
    }
  }

  // -n logsumexp(alphas).
  double amx = gmm_max(k, alphas);
  double as = 0.0;
  for (int ik = 0; ik < k; ++ik)
    as += std::exp(alphas[ik] - amx);
  double lse_alphas = std::log(as) + amx;
  for (int ik = 0; ik < k; ++ik)
    d_alphas[ik] -= n * std::exp(alphas[ik] - lse_alphas);

  // The Wishart prior: gamma^2/2 (|exp(q)|^2 + |L|^2) - m sum(q) per
  // component.
  double g2 = wishart_gamma * wishart_gamma;
  for (int ik = 0; ik < k; ++ik) {
    d_sum_qs[ik] -= wishart_m;
    for (int j = 0; j < d; ++j)
      d_qdiags[ik * d + j] += g2 * qdiags[ik * d + j];
    for (int l = d; l < icf_sz; ++l)
      d_icf[ik * icf_sz + l] += g2 * icf[ik * icf_sz + l];
  }
  // Chain the diagonal through qdiag = exp(q) and sum_qs = sum(q).
  for (int ik = 0; ik < k; ++ik)
    for (int j = 0; j < d; ++j)
      d_icf[ik * icf_sz + j] +=
          d_qdiags[ik * d + j] * qdiags[ik * d + j] + d_sum_qs[ik];

  return constant + slse - n * lse_alphas +
         gmm_log_wishart_prior(d, k, wishart_gamma, wishart_m, sum_qs.data(),
                               qdiags.data(), icf);
}

#endif // ADJOINT_TEST_ADBENCH_GMM_H
