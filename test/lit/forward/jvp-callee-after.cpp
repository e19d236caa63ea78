// Callees defined after their caller: their pushforwards (templates defined
// after the callees) are declared before the caller's, as reverse mode
// declares pullbacks early. f_jvp, f_hvp and f_hessian checked against
// finite differences, for scalar and tensor helpers, through two levels.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "fwd_check.h"

using adjoint::Tensor;

double scale(double x, double y);
double shift(double x);
Tensor dense(const Tensor &x, const Tensor &w);

ADJOINT_JVP(x, y) ADJOINT_HESSIAN(x, y)
double f(double x, double y) { return scale(x, y) * shift(y) + x; }

ADJOINT_JVP(w)
Tensor net(const Tensor &x, const Tensor &w) { return dense(dense(x, w), w); }

double scale(double x, double y) { return std::sin(x) * shift(x * y); }
double shift(double x) { return x * x + std::exp(0.5 * x); }
Tensor dense(const Tensor &x, const Tensor &w) { return tanh(matmul(x, w)); }
// The dump lists the code by insertion point, in the order they were first
// used; in the file each follows its function. shift, defined after scale,
// is declared before scale's pushforward too.
// CHECK-LABEL: // shift_pushforward, from scale
// CHECK-NEXT: template <class _S>
// CHECK-NEXT: inline ::adjoint::Dual<_S> shift_pushforward(_S x, _S _t_x);
// CHECK-LABEL: // scale_pushforward, from f
// CHECK-NEXT: template <class _S>
// CHECK-NEXT: inline ::adjoint::Dual<_S> scale_pushforward(_S x, _S y, _S _t_x, _S _t_y);
// CHECK-LABEL: // shift_pushforward, from f
// CHECK-NEXT: template <class _S>
// CHECK-NEXT: inline ::adjoint::Dual<_S> shift_pushforward(_S x, _S _t_x);
// CHECK-LABEL: // f_pushforward, from f
// CHECK:        ::adjoint::Dual<_S> _c0 = ::scale_pushforward<_S>(x, y, _t_x, _t_y);
// CHECK-LABEL: // dense_pushforward, from net
// CHECK-NEXT: template <class _S>
// CHECK-NEXT: inline ::adjoint::Dual<::adjoint::Tensor> dense_pushforward(const ::adjoint::Tensor &x, const ::adjoint::Tensor &w, const ::adjoint::Tensor &_t_x, const ::adjoint::Tensor &_t_w);
// CHECK-LABEL: // dense_pushforward, from dense
// CHECK-NEXT: template <class _S>
// CHECK-NEXT: inline ::adjoint::Dual<::adjoint::Tensor> dense_pushforward(const ::adjoint::Tensor &x, const ::adjoint::Tensor &w, const ::adjoint::Tensor &_t_x, const ::adjoint::Tensor &_t_w) {
// CHECK-LABEL: // net_pushforward, from net
// CHECK-LABEL: // scale_pushforward, from scale
// CHECK-NEXT: template <class _S>
// CHECK-NEXT: inline ::adjoint::Dual<_S> scale_pushforward(_S x, _S y, _S _t_x, _S _t_y) {
// CHECK-LABEL: // shift_pushforward, from shift
// CHECK-NEXT: template <class _S>
// CHECK-NEXT: inline ::adjoint::Dual<_S> shift_pushforward(_S x, _S _t_x) {

int main() {
  auto F = [](const std::vector<double> &p) {
    return std::vector<double>{f(p[0], p[1])};
  };
  std::vector<double> p = {0.7, -0.4}, v = {0.3, 1.1};
  adjoint::Dual<double> D = f_jvp(p[0], p[1], v[0], v[1]);
  bool Ok = lit::compare("scalar callees after", {D.value, D.tangent},
                         {F(p)[0], lit::directional(F, p, v)[0]});
  // H v from central differences of the JVPs along e_k.
  double hx = 0, hy = 0;
  f_hvp(p[0], p[1], v[0], v[1], hx, hy);
  double H[4];
  f_hessian(p[0], p[1], H);
  auto Grad = [&](const std::vector<double> &q) {
    return std::vector<double>{f_jvp(q[0], q[1], 1, 0).tangent,
                               f_jvp(q[0], q[1], 0, 1).tangent};
  };
  std::vector<double> Hv = lit::directional(Grad, p, v);
  Ok &= lit::compare("hvp through callees after", {hx, hy}, Hv, 1e-5);
  Ok &= lit::compare("hessian through callees after",
                     {H[0] * v[0] + H[1] * v[1], H[2] * v[0] + H[3] * v[1]},
                     Hv, 1e-5);
  Tensor x = adjoint::tensor({{0.5f, -0.2f}, {0.3f, 0.8f}});
  Tensor w = adjoint::tensor({{0.2f, -0.1f}, {0.4f, 0.3f}});
  Tensor tw = adjoint::tensor({{1.0f, 0.5f}, {-0.3f, 0.2f}});
  adjoint::Dual<Tensor> T = net_jvp(x, w, tw);
  float h = 1e-2f;
  Tensor Fd = (net(x, w + tw * h) - net(x, w - tw * h)) / (2 * h);
  std::vector<double> Got, Want;
  for (int i = 0; i < 4; ++i) {
    Got.push_back(T.tangent.data()[i]);
    Want.push_back(Fd.data()[i]);
  }
  Ok &= lit::compare("tensor callee after", Got, Want, 1e-3);
  std::printf("%s\n", Ok ? "all ok" : "FAILED");
}
// OUT-NOT: FAILED
// OUT: scalar callees after: ok
// OUT: hvp through callees after: ok
// OUT: hessian through callees after: ok
// OUT: tensor callee after: ok
// OUT: all ok
