//===- bench/scalar_functions.h - Scalar functions for scalar_bench -*- C++ -*-===//
//
// Five annotated forward functions and, next to each, the gradient an expert
// would write by hand. The adjoint plugin inserts `NAME_grad` after each
// annotated function when this header is compiled with -fplugin; scalar_bench
// times both gradients in the same run. They are also annotated for forward
// mode and second order (f_jvp, f_hvp, f_hessian), which forward_bench times
// against the functions themselves.
//
// Hand-written gradients follow the generated convention: they return the
// function's value and ADD the gradient into the d_ arguments.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_BENCH_SCALAR_FUNCTIONS_H
#define ADJOINT_BENCH_SCALAR_FUNCTIONS_H

#include <adjoint/adjoint.h>
#include <cmath>

namespace scalar_bench {

//===----------------------------------------------------------------------===//
// 1. Straight line, several math calls.
//===----------------------------------------------------------------------===//

ADJOINT_GRAD(x, y) ADJOINT_JVP(x, y) ADJOINT_HESSIAN(x, y)
inline double trig_exp_log(double x, double y) {
  return std::sin(x) * std::exp(y) * std::log(x + y * y) + std::cos(x * y);
}

inline double trig_exp_log_hand(double x, double y, double &d_x, double &d_y) {
  double s = std::sin(x), c = std::cos(x);
  double e = std::exp(y);
  double q = x + y * y;
  double l = std::log(q);
  double xy = x * y;
  double sxy = std::sin(xy);
  double se = s * e;
  double f = se * l + std::cos(xy);
  // d f / d q = se / q; d f / d xy = -sin(xy).
  double dq = se / q;
  d_x += c * e * l + dq - sxy * y;
  d_y += se * l + dq * 2.0 * y - sxy * x;
  return f;
}

//===----------------------------------------------------------------------===//
// 2. Rational function with reassigned variables.
//===----------------------------------------------------------------------===//

ADJOINT_GRAD(x, y) ADJOINT_JVP(x, y) ADJOINT_HESSIAN(x, y)
inline double rational(double x, double y) {
  double t = x * x + 1.0;
  t = t * x - y;     // t = x^3 + x - y
  double u = y * y + 2.0;
  u = u + x * t;     // u = y^2 + 2 + x t
  t = t * t + u;     // t = t^2 + u
  return t / u;
}

inline double rational_hand(double x, double y, double &d_x, double &d_y) {
  double t0 = x * x + 1.0;
  double t1 = t0 * x - y;
  double u0 = y * y + 2.0;
  double u1 = u0 + x * t1;
  double t2 = t1 * t1 + u1;
  double inv = 1.0 / u1;
  double r = t2 * inv;
  // r = t2 / u1.
  double dt2 = inv;
  double du1 = -r * inv + dt2; // through r and through t2 = t1^2 + u1
  double dt1 = dt2 * 2.0 * t1 + du1 * x;
  double dx = du1 * t1 + dt1 * (3.0 * x * x + 1.0);
  double dy = du1 * 2.0 * y - dt1;
  d_x += dx;
  d_y += dy;
  return r;
}

//===----------------------------------------------------------------------===//
// 3. Loop over an array: a scaled log-sum-exp, (1/a) log sum_i exp(a x_i).
//===----------------------------------------------------------------------===//

ADJOINT_GRAD(x, a) ADJOINT_JVP(x, a) ADJOINT_HESSIAN(x, a)
inline double scaled_lse(const double *x, double a, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i)
    s += std::exp(a * x[i]);
  return std::log(s) / a;
}

inline double scaled_lse_hand(const double *x, double a, int n, double *d_x,
                              double &d_a) {
  double s = 0.0;
  for (int i = 0; i < n; ++i)
    s += std::exp(a * x[i]);
  double l = std::log(s);
  double inv_a = 1.0 / a;
  // f = l / a: df/ds = 1 / (a s), df/da = -l / a^2 + sum_i x_i e_i / (a s).
  double ds = inv_a / s;
  double da = -l * inv_a * inv_a;
  for (int i = 0; i < n; ++i) {
    double g = ds * std::exp(a * x[i]);
    d_x[i] += g * a;
    da += g * x[i];
  }
  d_a += da;
  return l * inv_a;
}

//===----------------------------------------------------------------------===//
// 4. A user function calling another user function (nested pullback).
//===----------------------------------------------------------------------===//

inline double logistic(double z) { return 1.0 / (1.0 + std::exp(-z)); }

ADJOINT_GRAD(x, y) ADJOINT_JVP(x, y) ADJOINT_HESSIAN(x, y)
inline double gated(double x, double y) {
  double g = logistic(x * y);
  double h = logistic(x - y);
  return g * h + g * x;
}

inline double logistic_hand(double z, double d_s, double &d_z) {
  double s = 1.0 / (1.0 + std::exp(-z));
  d_z += d_s * s * (1.0 - s);
  return s;
}

inline double gated_hand(double x, double y, double &d_x, double &d_y) {
  double g = 1.0 / (1.0 + std::exp(-(x * y)));
  double h = 1.0 / (1.0 + std::exp(-(x - y)));
  double f = g * h + g * x;
  double dg = h + x;
  double dh = g;
  double dgz = dg * g * (1.0 - g); // through z = x y
  double dhz = dh * h * (1.0 - h); // through z = x - y
  d_x += dgz * y + dhz + g;
  d_y += dgz * x - dhz;
  return f;
}

//===----------------------------------------------------------------------===//
// 5. Branchy: Huber loss over an array (if/else on active values in a loop).
//===----------------------------------------------------------------------===//

ADJOINT_GRAD(r, delta) ADJOINT_JVP(r, delta) ADJOINT_HESSIAN(r, delta)
inline double huber(const double *r, double delta, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i) {
    double a = r[i];
    if (a < 0.0)
      a = -a;
    if (a <= delta)
      s += 0.5 * a * a;
    else
      s += delta * (a - 0.5 * delta);
  }
  return s;
}

inline double huber_hand(const double *r, double delta, int n, double *d_r,
                         double &d_delta) {
  double s = 0.0, dd = 0.0;
  for (int i = 0; i < n; ++i) {
    double v = r[i];
    double a = v < 0.0 ? -v : v;
    double sign = v < 0.0 ? -1.0 : 1.0;
    if (a <= delta) {
      s += 0.5 * a * a;
      d_r[i] += sign * a;
    } else {
      s += delta * (a - 0.5 * delta);
      d_r[i] += sign * delta;
      dd += a - delta;
    }
  }
  d_delta += dd;
  return s;
}

} // namespace scalar_bench

#endif // ADJOINT_BENCH_SCALAR_FUNCTIONS_H
