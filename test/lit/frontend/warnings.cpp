// Generated code compiles clean under the warning flags many projects use
// with -Werror (unused restored locals and parameters, set-but-unused primal
// values, sign conversions of loop counts, values split mode saves): with
// the plugin and with adjoint-gen + g++.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -Wall -Wextra -Wshadow -Wconversion -Werror -I%S/Inputs %s -o %t/a.out %adjoint_link
// RUN: %t/a.out | FileCheck %s
// RUN: %adjoint_gen %s -o %t/gen.cpp --mirror-dir=%t/m -- -std=c++17 -isystem %adjoint_include -I%S/Inputs
// RUN: %gxx -Wall -Wextra -Wshadow -Wconversion -Werror %t/gen.cpp -o %t/gcc.out %adjoint_link
// RUN: %t/gcc.out | FileCheck %s
// CHECK-COUNT-5: gradcheck: ok
#include "warn_helpers.h"

#include <vector>

struct Lens {
  double a, b;
};

static double sq(double v) { return v * v; }

ADJOINT_GRAD(x, p)
double f(const double *x, int n, Lens p, float g) {
  double s = 0;
  double t = 0;
  for (int i = 0; i < n; ++i) {
    t = x[i] * p.a;
    if (t > 0.5)
      s += sq(t) * g;
    else
      s -= t / (1 + p.b);
    s += t > 1 ? t : -t;
  }
  int k = n;
  while (k > 0) {
    s = s * 0.5 + act(s);
    --k;
  }
  return s + hsum(s, 2);
}

ADJOINT_GRAD(x, out)
void g(const double *x, double *out, int n) {
  double local[4] = {0, 0, 0, 0};
  for (int i = 0; i < n && i < 4; ++i)
    local[i] = x[i] * x[i];
  for (int i = 0; i < n; ++i)
    out[i] = local[i % 4] + std::sin(x[i]);
}

ADJOINT_GRAD(w)
adjoint::Tensor tl(const adjoint::Tensor &x, const adjoint::Tensor &w,
                   double lr) {
  adjoint::Tensor z = matmul(x, w) * lr;
  return mean(relu(z));
}

ADJOINT_GRAD(v)
float sumv(const std::vector<float> &v, float c) {
  float s = 0;
  for (size_t i = 0; i < v.size(); ++i)
    s += v[i] * c;
  return s;
}

int main() {
  std::vector<double> x = {0.1, 0.7, 1.5}, dx(3, 0.0);
  Lens p{1.2, 0.3}, dp{0, 0};
  f_grad(x.data(), 3, p, 2.0f, dx.data(), dp);
  adjoint::gradcheck(
      [&](const std::vector<double> &P) { return f(P.data(), 3, p, 2.0f); }, x,
      dx);
  // Split mode of the header function and of f.
  double dh = 0;
  hsum_tape tape = hsum_forward(0.3, 3);
  hsum_backward(tape, 1.0, dh);
  adjoint::gradcheck(
      [](const std::vector<double> &P) { return hsum(P[0], 3); }, {0.3}, {dh});
  std::vector<double> dxs(3, 0.0);
  Lens dps{0, 0};
  f_tape ft = f_forward(x.data(), 3, p, 2.0f);
  f_backward(ft, 1.0, dxs.data(), dps);
  adjoint::gradcheck(
      [&](const std::vector<double> &P) { return f(P.data(), 3, p, 2.0f); }, x,
      dxs);

  double out[3], dout[3] = {1, 0, 0}, dg[3] = {0, 0, 0};
  g_grad(x.data(), out, 3, dg, dout);
  adjoint::gradcheck(
      [](const std::vector<double> &P) {
        double o[3];
        g(P.data(), o, 3);
        return o[0];
      },
      x, {dg[0], dg[1], dg[2]});

  adjoint::Tensor X = adjoint::tensor({{1.0f, -2.0f}, {0.5f, 3.0f}});
  adjoint::Tensor W = adjoint::tensor({{0.3f}, {0.2f}}), dW;
  tl_grad(X, W, 0.1, dW);
  adjoint::gradcheck(
      [&](const std::vector<adjoint::Tensor> &In) { return tl(X, In[0], 0.1); },
      {W}, {dW});

  std::vector<float> v = {1, 2}, dv = {0, 0};
  return sumv_grad(v, 2.0f, dv) == 6.0f && dv[0] == 2.0f ? 0 : 1;
}
