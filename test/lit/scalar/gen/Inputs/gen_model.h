// An annotated inline function in a header, for adjoint-gen --header-dir.
#ifndef ADJOINT_LIT_SCALAR_GEN_MODEL_H
#define ADJOINT_LIT_SCALAR_GEN_MODEL_H

#include <adjoint/adjoint.h>
#include <cmath>

namespace model {
inline double act(double v) { return std::tanh(v); }

ADJOINT_GRAD(w, b) inline double neuron(double w, double b, double x) {
  return act(w * x + b);
}
} // namespace model

#endif
