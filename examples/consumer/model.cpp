// Annotated functions of a .cpp: their gradients are generated here and
// declared in consumer/model.h for the other files.
#include "consumer/model.h"

namespace consumer {

ADJOINT_GRAD(w)
adjoint::Tensor loss(const adjoint::Tensor &x, const adjoint::Tensor &y,
                     const adjoint::Tensor &w) {
  adjoint::Tensor r = matmul(x, w) - y;
  return mean(r * r);
}

ADJOINT_GRAD(p)
double energy(const double *p, int n) {
  double e = 0;
  for (int i = 0; i + 1 < n; ++i) {
    double d = p[i + 1] - p[i] - 1.0;
    e += softplus(d) * d;
  }
  return e;
}

} // namespace consumer
