// The smallest adjoint program: annotate a function, call its generated
// gradient, and check it against finite differences.
#include <adjoint/adjoint.h>

#include <cmath>
#include <cstdio>

ADJOINT_GRAD(x, y) // differentiate with respect to x and y
double f(double x, double y, int n) {
  double t = x * y;
  return t * std::sin(x) + n;
}

int main() {
  double dx = 0, dy = 0;
  double v = f_grad(1.5, 2.0, 3, dx, dy); // generated right after f
  std::printf("f(1.5, 2, 3) = %.6f\n", v);
  std::printf("df/dx = %.6f  (y sin x + x y cos x = %.6f)\n", dx,
              2.0 * std::sin(1.5) + 3.0 * std::cos(1.5));
  std::printf("df/dy = %.6f  (x sin x = %.6f)\n", dy, 1.5 * std::sin(1.5));
  bool Ok = adjoint::gradcheck(
      [](const std::vector<double> &P) { return f(P[0], P[1], 3); },
      {1.5, 2.0}, {dx, dy});
  return Ok ? 0 : 1;
}
