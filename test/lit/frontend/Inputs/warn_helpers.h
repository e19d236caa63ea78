// An annotated inline function in a header calling another: its split-mode
// functions and pullbacks are generated into this header.
#include <adjoint/adjoint.h>

#include <cmath>

inline double act(double x) {
  double y = std::tanh(x);
  double z = y * y;
  return z + x;
}

ADJOINT_GRAD(x)
inline double hsum(double x, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += act(x * i);
  return s;
}
