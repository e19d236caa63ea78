// Declarations of gradients generated in another file (declared-grad.cpp),
// as a user writes them to call the gradients from other files.
#include <adjoint/adjoint.h>

namespace model {
double sq(double x, double k);
double sq_grad(double x, double k, double &d_x);
double sq_vjp(double x, double k, double seed, double &d_x);
adjoint::Tensor loss(const adjoint::Tensor &x, const adjoint::Tensor &y,
                     const adjoint::Tensor &w);
adjoint::Tensor loss_grad(const adjoint::Tensor &x, const adjoint::Tensor &y,
                          const adjoint::Tensor &w, adjoint::Tensor &d_w);
void scale(const double *in, double *out, int n);
void scale_grad(const double *in, double *out, int n, double *d_in,
                double *d_out);
} // namespace model
