// A header with an annotated inline function: its gradient is inserted into
// the header itself.
#include <adjoint/adjoint.h>

ADJOINT_GRAD(x) inline double cube(double x) { return x * x * x; }
