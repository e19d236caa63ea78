//===- test/adbench/ba.h - ADBench bundle-adjustment objective -*- C++ -*-===//
//
// The bundle-adjustment reprojection error of Microsoft's ADBench, written
// from the published math in plain loop-and-pointer style so that adjoint
// differentiates it, and a hand-derived vector-Jacobian product and Jacobian
// that the tests and bench/adbench_bench.cpp compare adjoint against.
//
// A camera has 11 parameters: Rodrigues rotation r (0..2), centre C (3..5),
// focal length f (6), principal point x0 (7..8) and radial distortion k
// (9..10). An observation of 3D point X with weight w and 2D feature u has
// the residuals
//   err = w * (f * distort(p2e(R(r) (X - C))) + x0 - u),
//   distort(p) = p * (1 + k0 |p|^2 + k1 |p|^4),
// and each observation also has the weight residual 1 - w^2.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_TEST_ADBENCH_BA_H
#define ADJOINT_TEST_ADBENCH_BA_H

#include <adjoint/adjoint.h>

#include <cmath>

enum : int {
  BA_ROT_IDX = 0,
  BA_C_IDX = 3,
  BA_F_IDX = 6,
  BA_X0_IDX = 7,
  BA_RAD_IDX = 9,
  BA_NCAMPARAMS = 11
};

inline double ba_sqnorm3(const double *x) {
  return x[0] * x[0] + x[1] * x[1] + x[2] * x[2];
}

inline double ba_dot3(const double *x, const double *y) {
  return x[0] * y[0] + x[1] * y[1] + x[2] * y[2];
}

inline void ba_cross(const double *a, const double *b, double *out) {
  out[0] = a[1] * b[2] - a[2] * b[1];
  out[1] = a[2] * b[0] - a[0] * b[2];
  out[2] = a[0] * b[1] - a[1] * b[0];
}

/// The two reprojection residuals of one observation of feature feat. Written
/// with scalar locals (it predates adjoint's local arrays), which also keeps
/// the generated code free of array snapshots.
/// At rot == 0 Rodrigues' formula divides by theta == 0, so, like ADBench,
/// that case uses the first-order expansion X + rot x X, which has the right
/// value and derivative there.
ADJOINT_GRAD(cam, X, w, err)
inline void ba_reproj_error(const double *cam, const double *X, double w,
                            const double *feat, double *err) {
  // Point in the camera frame: R(rot) (X - C).
  double xo0 = X[0] - cam[BA_C_IDX];
  double xo1 = X[1] - cam[BA_C_IDX + 1];
  double xo2 = X[2] - cam[BA_C_IDX + 2];
  double r0 = cam[BA_ROT_IDX];
  double r1 = cam[BA_ROT_IDX + 1];
  double r2 = cam[BA_ROT_IDX + 2];
  double sqtheta = r0 * r0 + r1 * r1 + r2 * r2;
  double xc0 = 0.0;
  double xc1 = 0.0;
  double xc2 = 0.0;
  if (sqtheta != 0.0) {
    double theta = std::sqrt(sqtheta);
    double costheta = std::cos(theta);
    double sintheta = std::sin(theta);
    double theta_inverse = 1.0 / theta;
    double a0 = r0 * theta_inverse;
    double a1 = r1 * theta_inverse;
    double a2 = r2 * theta_inverse;
    double tmp = (1.0 - costheta) * (a0 * xo0 + a1 * xo1 + a2 * xo2);
    xc0 = xo0 * costheta + (a1 * xo2 - a2 * xo1) * sintheta + a0 * tmp;
    xc1 = xo1 * costheta + (a2 * xo0 - a0 * xo2) * sintheta + a1 * tmp;
    xc2 = xo2 * costheta + (a0 * xo1 - a1 * xo0) * sintheta + a2 * tmp;
  } else {
    xc0 = xo0 + (r1 * xo2 - r2 * xo1);
    xc1 = xo1 + (r2 * xo0 - r0 * xo2);
    xc2 = xo2 + (r0 * xo1 - r1 * xo0);
  }
  // Perspective division, radial distortion, focal length and principal
  // point.
  double p0 = xc0 / xc2;
  double p1 = xc1 / xc2;
  double rsq = p0 * p0 + p1 * p1;
  double l = 1.0 + cam[BA_RAD_IDX] * rsq + cam[BA_RAD_IDX + 1] * rsq * rsq;
  double proj0 = p0 * l * cam[BA_F_IDX] + cam[BA_X0_IDX];
  double proj1 = p1 * l * cam[BA_F_IDX] + cam[BA_X0_IDX + 1];
  err[0] = w * (proj0 - feat[0]);
  err[1] = w * (proj1 - feat[1]);
}

/// The weight residual of one observation.
ADJOINT_GRAD(w) inline double ba_weight_error(double w) { return 1.0 - w * w; }

/// Forward values of one observation that the hand-written reverse step
/// reuses.
struct BaForward {
  double Xo[3], w[3], wxX[3], Xcam[3], p[2], pd[2], proj[2];
  double theta, costheta, sintheta, theta_inverse, dotwX, tmp, rsq, l;
  bool rotated;
};

inline void ba_forward_manual(const double *cam, const double *X,
                              const double *feat, double w, BaForward &F,
                              double *err) {
  for (int i = 0; i < 3; ++i)
    F.Xo[i] = X[i] - cam[BA_C_IDX + i];
  const double *rot = cam + BA_ROT_IDX;
  double sqtheta = ba_sqnorm3(rot);
  F.rotated = sqtheta != 0.0;
  if (F.rotated) {
    F.theta = std::sqrt(sqtheta);
    F.costheta = std::cos(F.theta);
    F.sintheta = std::sin(F.theta);
    F.theta_inverse = 1.0 / F.theta;
    for (int i = 0; i < 3; ++i)
      F.w[i] = rot[i] * F.theta_inverse;
    ba_cross(F.w, F.Xo, F.wxX);
    F.dotwX = ba_dot3(F.w, F.Xo);
    F.tmp = (1.0 - F.costheta) * F.dotwX;
    for (int i = 0; i < 3; ++i)
      F.Xcam[i] =
          F.Xo[i] * F.costheta + F.wxX[i] * F.sintheta + F.w[i] * F.tmp;
  } else {
    ba_cross(rot, F.Xo, F.wxX);
    for (int i = 0; i < 3; ++i)
      F.Xcam[i] = F.Xo[i] + F.wxX[i];
  }
  const double *rad = cam + BA_RAD_IDX;
  F.p[0] = F.Xcam[0] / F.Xcam[2];
  F.p[1] = F.Xcam[1] / F.Xcam[2];
  F.rsq = F.p[0] * F.p[0] + F.p[1] * F.p[1];
  F.l = 1.0 + rad[0] * F.rsq + rad[1] * F.rsq * F.rsq;
  for (int i = 0; i < 2; ++i) {
    F.pd[i] = F.p[i] * F.l;
    F.proj[i] = F.pd[i] * cam[BA_F_IDX] + cam[BA_X0_IDX + i];
    err[i] = w * (F.proj[i] - feat[i]);
  }
}

/// Hand-derived reverse step: adds d_err^T d err / d (cam, X, w) into d_cam
/// (11), d_X (3) and d_w. For c = a x b, d_a = b x d_c and d_b = d_c x a.
inline void ba_reverse_manual(const double *cam, const double *feat, double w,
                              const BaForward &F, const double *d_err,
                              double *d_cam, double *d_X, double &d_w) {
  const double *rot = cam + BA_ROT_IDX;
  const double *rad = cam + BA_RAD_IDX;
  double f = cam[BA_F_IDX];
  double d_pd[2], d_p[2], d_l = 0.0;
  for (int i = 0; i < 2; ++i) {
    d_w += d_err[i] * (F.proj[i] - feat[i]);
    double d_proj = w * d_err[i];
    d_cam[BA_X0_IDX + i] += d_proj;
    d_cam[BA_F_IDX] += d_proj * F.pd[i];
    d_pd[i] = d_proj * f;
    d_l += d_pd[i] * F.p[i];
    d_p[i] = d_pd[i] * F.l;
  }
  d_cam[BA_RAD_IDX] += d_l * F.rsq;
  d_cam[BA_RAD_IDX + 1] += d_l * F.rsq * F.rsq;
  double d_rsq = d_l * (rad[0] + 2.0 * rad[1] * F.rsq);
  d_p[0] += 2.0 * F.p[0] * d_rsq;
  d_p[1] += 2.0 * F.p[1] * d_rsq;
  double inv_z = 1.0 / F.Xcam[2];
  double d_Xcam[3] = {d_p[0] * inv_z, d_p[1] * inv_z,
                      -(d_p[0] * F.p[0] + d_p[1] * F.p[1]) * inv_z};
  double d_Xo[3], t[3];
  if (F.rotated) {
    double d_ct = ba_dot3(d_Xcam, F.Xo);
    double d_st = ba_dot3(d_Xcam, F.wxX);
    double d_tmp = ba_dot3(d_Xcam, F.w);
    d_ct -= d_tmp * F.dotwX;
    double d_dotwX = d_tmp * (1.0 - F.costheta);
    double d_w3[3], d_wxX[3];
    for (int i = 0; i < 3; ++i) {
      d_Xo[i] = d_Xcam[i] * F.costheta + d_dotwX * F.w[i];
      d_w3[i] = d_Xcam[i] * F.tmp + d_dotwX * F.Xo[i];
      d_wxX[i] = d_Xcam[i] * F.sintheta;
    }
    ba_cross(F.Xo, d_wxX, t);
    for (int i = 0; i < 3; ++i)
      d_w3[i] += t[i];
    ba_cross(d_wxX, F.w, t);
    for (int i = 0; i < 3; ++i)
      d_Xo[i] += t[i];
    double d_ti = ba_dot3(d_w3, rot);
    double d_theta = -d_ti * F.theta_inverse * F.theta_inverse -
                     d_ct * F.sintheta + d_st * F.costheta;
    for (int i = 0; i < 3; ++i)
      d_cam[BA_ROT_IDX + i] +=
          d_w3[i] * F.theta_inverse + d_theta * rot[i] * F.theta_inverse;
  } else {
    ba_cross(d_Xcam, rot, t);
    for (int i = 0; i < 3; ++i)
      d_Xo[i] = d_Xcam[i] + t[i];
    ba_cross(F.Xo, d_Xcam, t);
    for (int i = 0; i < 3; ++i)
      d_cam[BA_ROT_IDX + i] += t[i];
  }
  for (int i = 0; i < 3; ++i) {
    d_X[i] += d_Xo[i];
    d_cam[BA_C_IDX + i] -= d_Xo[i];
  }
}

/// Hand-written 2 x 15 Jacobian of the reprojection residuals with respect to
/// (cam[0..10], X[0..2], w), row-major, from one forward pass and two
/// reverse steps; also writes the residuals to err.
inline void ba_jacobian_manual(const double *cam, const double *X, double w,
                               const double *feat, double *err, double *J) {
  BaForward F;
  ba_forward_manual(cam, X, feat, w, F, err);
  for (int row = 0; row < 2; ++row) {
    double *Jr = J + row * 15;
    for (int i = 0; i < 15; ++i)
      Jr[i] = 0.0;
    double seed[2] = {row == 0 ? 1.0 : 0.0, row == 1 ? 1.0 : 0.0};
    ba_reverse_manual(cam, feat, w, F, seed, Jr, Jr + 11, Jr[14]);
  }
}

#endif // ADJOINT_TEST_ADBENCH_BA_H
