// Calls gradients generated in model.cpp (declared in consumer/model.h) and
// in the header itself, and checks each against finite differences. Exits
// with status 1 if one does not match.
#include "consumer/model.h"

#include <cstdio>
#include <vector>

using adjoint::Tensor;

int main() {
  bool Ok = true;

  // A gradient generated in the header, from an inline function.
  double ds = 0;
  double s = consumer::softplus_grad(0.5, ds);
  std::printf("softplus(0.5) = %.6f, d/dx = %.6f\n", s, ds);
  Ok &= adjoint::gradcheck(
      [](const std::vector<double> &P) { return consumer::softplus(P[0]); },
      {0.5}, {ds});

  // A scalar gradient generated in model.cpp.
  std::vector<double> p = {0.0, 1.3, 2.1, 3.7, 4.2};
  std::vector<double> dp(p.size(), 0.0);
  double e = consumer::energy_grad(p.data(), int(p.size()), dp.data());
  std::printf("energy = %.6f, d/dp0 = %.6f\n", e, dp[0]);
  Ok &= adjoint::gradcheck(
      [](const std::vector<double> &P) {
        return consumer::energy(P.data(), int(P.size()));
      },
      p, dp);

  // A tensor gradient generated in model.cpp.
  adjoint::manual_seed(7);
  Tensor x = adjoint::randn(8, 3), y = adjoint::randn(8, 1);
  Tensor w = adjoint::randn(3, 1);
  Tensor dw; // undefined until the first gradient is added
  Tensor l = consumer::loss_grad(x, y, w, dw);
  std::printf("loss = %.6f, |d/dw| = %.6f\n", l.item(),
              std::sqrt(sum(dw * dw).item()));
  Ok &= adjoint::gradcheck(
      [&](const std::vector<Tensor> &In) {
        return consumer::loss(x, y, In[0]);
      },
      {w}, {dw});

  std::printf("%s\n", Ok ? "all gradients match finite differences"
                         : "GRADIENT MISMATCH");
  return Ok ? 0 : 1;
}
