// Annotated inline functions in a header: their gradients are inserted into
// the header, right after each function.
#ifndef ADJOINT_LIT_SCALAR_INLINE_FNS_H
#define ADJOINT_LIT_SCALAR_INLINE_FNS_H

#include <adjoint/adjoint.h>
#include <cmath>

ADJOINT_GRAD(x, y) inline double logistic_loss(double x, double y) {
  double z = x * y;
  return std::log1p(std::exp(-z));
}

namespace shapes {
ADJOINT_GRAD() inline double area(double w, double h) { return 0.5 * w * h; }
} // namespace shapes

#endif
