// JVP of a void function with pointer outputs: f_jvp writes the outputs as f
// would and their tangents into the output tangents. Each column J*e_k of
// the Jacobian is checked against finite differences, and the dense
// Jacobian assembled from f_jvp columns equals the one from f_grad rows
// (the dot-product identity <J v, w> = <v, J^T w>).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "fwd_check.h"
#include <cmath>

// A small "physics step": y[i] depends on x[i-1], x[i], x[i+1] and a scale;
// a local array holds intermediate values.
ADJOINT_GRAD(x, k, y) ADJOINT_JVP(x, k, y)
void step(const double *x, double k, double *y, int n) {
  double w[3] = {0.25, 0.5, 0.25};
  for (int i = 0; i < n; ++i) {
    double acc = 0;
    for (int j = -1; j <= 1; ++j) {
      int at = i + j;
      if (at < 0 || at >= n)
        continue;
      acc += w[j + 1] * x[at];
    }
    y[i] = k * acc * acc + std::tanh(x[i]);
  }
  y[0] *= y[n - 1];
}
// CHECK-LABEL: // step_pushforward, from step
// CHECK-NEXT: template <class _S, class _P0, class _T0, class _P1, class _T1>
// CHECK-NEXT: inline void step_pushforward(_P0 x, _S k, _P1 y, int n, _T0 _t_x, _S _t_k, _T1 _t_y) {
// CHECK-NEXT:   _S _t_w[3] = {0, 0, 0};
// CHECK-NEXT:   _S w[3] = {0.25, 0.5, 0.25};
// CHECK:            _t_acc += (_t_w[j + 1] * (x[at]) + (w[j + 1]) * _t_x[at]);
// CHECK-NEXT:       acc += w[j + 1] * x[at];
// CHECK:        _t_y[0] = _t_y[0] * (y[n - 1]) + (y[0]) * _t_y[n - 1];
// CHECK-NEXT:   y[0] *= y[n - 1];
// CHECK-LABEL: // step_jvp, from step
// CHECK-NEXT: inline void step_jvp(const double *x, double k, double *y, int n, const double *_t_x, double _t_k, double *_t_y) {
// CHECK-NEXT:   step_pushforward<double>(x, k, y, n, _t_x, _t_k, _t_y);

int main() {
  const int N = 5;
  std::vector<double> X = {0.3, -0.2, 0.8, 0.5, -0.6};
  double K = 1.3;
  // Inputs: x[0..N) then k; outputs y[0..N).
  auto F = [&](const std::vector<double> &In) {
    std::vector<double> Y(N);
    step(In.data(), In[N], Y.data(), N);
    return Y;
  };
  std::vector<double> In = X;
  In.push_back(K);
  bool Ok = true;
  // Columns of J from f_jvp (one per input), rows of J from f_grad.
  std::vector<std::vector<double>> ByColumns(N, std::vector<double>(N + 1));
  for (int c = 0; c <= N; ++c) {
    std::vector<double> Tx(N, 0.0), Y(N), Ty(N);
    double Tk = c == N ? 1.0 : 0.0;
    if (c < N)
      Tx[c] = 1.0;
    step_jvp(X.data(), K, Y.data(), N, Tx.data(), Tk, Ty.data());
    std::vector<double> V(N + 1, 0.0);
    V[c] = 1.0;
    Ok &= lit::compare("column", Ty, lit::directional(F, In, V));
    Ok &= lit::compare("value", Y, F(In), 0);
    for (int r = 0; r < N; ++r)
      ByColumns[r][c] = Ty[r];
  }
  for (int r = 0; r < N; ++r) {
    std::vector<double> Y(N), Dx(N, 0.0), Dy(N, 0.0);
    double Dk = 0;
    Dy[r] = 1.0; // the seed of output r
    step_grad(X.data(), K, Y.data(), N, Dx.data(), Dk, Dy.data());
    std::vector<double> Row = Dx;
    Row.push_back(Dk);
    Ok &= lit::compare("row", Row, ByColumns[r], 1e-12);
  }
  // <J v, w> = <v, J^T w> for a random-looking v and w.
  std::vector<double> V = {0.4, -1.1, 0.7, 0.2, 0.9}, W = {1.5, -0.3, 0.8, -0.6, 0.1};
  double Vk = -0.5;
  std::vector<double> Y(N), Jv(N), JtW(N, 0.0), Seed = W;
  step_jvp(X.data(), K, Y.data(), N, V.data(), Vk, Jv.data());
  double JtWk = 0;
  step_grad(X.data(), K, Y.data(), N, JtW.data(), JtWk, Seed.data());
  double Left = 0, Right = Vk * JtWk;
  for (int i = 0; i < N; ++i) {
    Left += Jv[i] * W[i];
    Right += V[i] * JtW[i];
  }
  Ok &= lit::compare("dot-product identity", {Left}, {Right}, 1e-12);
  std::printf("%s\n", Ok ? "all ok" : "FAILED");
}
// OUT-NOT: FAILED
// OUT: dot-product identity: ok
// OUT: all ok
