// The model's interface. Gradients of functions defined in model.cpp are
// generated there and declared here, so that main.cpp can call them.
#ifndef CONSUMER_MODEL_H
#define CONSUMER_MODEL_H

#include <adjoint/adjoint.h>

#include <cmath>

namespace consumer {

/// A smooth activation, annotated in this header: its gradient
/// softplus_grad is generated here, in every file that includes it.
ADJOINT_GRAD(x)
inline double softplus(double x) { return std::log1p(std::exp(x)); }

/// Mean squared error of the linear model y ~ x w (defined in model.cpp).
adjoint::Tensor loss(const adjoint::Tensor &x, const adjoint::Tensor &y,
                     const adjoint::Tensor &w);
/// Generated from loss in model.cpp: adds d loss / d w into d_w.
adjoint::Tensor loss_grad(const adjoint::Tensor &x, const adjoint::Tensor &y,
                          const adjoint::Tensor &w, adjoint::Tensor &d_w);

/// Energy of a chain of springs through softplus (defined in model.cpp).
double energy(const double *p, int n);
/// Generated from energy in model.cpp: adds d energy / d p into d_p[0..n).
double energy_grad(const double *p, int n, double *d_p);

} // namespace consumer

#endif // CONSUMER_MODEL_H
