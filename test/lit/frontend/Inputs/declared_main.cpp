// Calls the gradients generated in declared-grad.cpp through the
// declarations of declared.h, and checks them against finite differences.
#include "declared.h"

#include <cstdio>

using adjoint::Tensor;

int main() {
  bool Ok = true;
  double dx = 0;
  double v = model::sq_grad(1.5, 3.0, dx);
  std::printf("sq = %.3f, d_x = %.3f\n", v, dx);
  Ok &= adjoint::gradcheck(
      [](const std::vector<double> &P) { return model::sq(P[0], 3.0); }, {1.5},
      {dx});
  double dv = 0;
  model::sq_vjp(1.5, 3.0, 2.0, dv);
  std::printf("vjp d_x = %.3f\n", dv);

  double in[2] = {1.0, 2.0}, out[2], d_in[2] = {0, 0}, d_out[2] = {1, 0};
  model::scale_grad(in, out, 2, d_in, d_out);
  std::printf("scale d_in = %.3f %.3f\n", d_in[0], d_in[1]);

  adjoint::manual_seed(3);
  Tensor x = adjoint::randn(4, 2), y = adjoint::randn(4, 1);
  Tensor w = adjoint::randn(2, 1), dw;
  model::loss_grad(x, y, w, dw);
  Ok &= adjoint::gradcheck(
      [&](const std::vector<Tensor> &In) { return model::loss(x, y, In[0]); },
      {w}, {dw});
  return Ok ? 0 : 1;
}
