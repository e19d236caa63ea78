// A header whose annotated function adjoint cannot differentiate.
#include <adjoint/adjoint.h>

ADJOINT_GRAD(x) inline double pick(double x) {
  asm("nop");
  return x;
}
