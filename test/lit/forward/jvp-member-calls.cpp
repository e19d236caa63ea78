// Calls of member functions of user classes without derivatives (their
// members are integers, flags and the like): the method's pushforward is a
// member template generated right after it, in its class, called on the
// same object; methods calling methods, functors (operator()), static
// methods and a method defined after its caller in the class. f_jvp, f_hvp
// and f_hessian checked against finite differences.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "fwd_check.h"

struct Poly {
  int degree;
  bool shifted;
  double eval(double x) const {
    double r = 1, p = 1;
    for (int k = 1; k <= degree; ++k) {
      p *= x;
      r += p / k;
    }
    return shifted ? r + bump(x) : r;
  }
  // Defined after eval, which calls it: members see each other.
  double bump(double x) const { return std::sin(x) * degree; }
  static double square(double x) { return x * x; }
};

struct Scale {
  int n;
  double operator()(double x, double y) const { return n * x * y + x; }
};

ADJOINT_JVP(x, y) ADJOINT_HESSIAN(x, y)
double f(double x, double y, const Poly &p, Scale s) {
  double a = p.eval(x * y);
  double b = s(a, y) + Poly::square(x);
  const Poly *q = &p;
  return a * b + q->eval(y);
}
// The dump lists the code in the order it was generated; in the file each
// pushforward follows its function, a method's inside its class.
// CHECK-LABEL: // f_pushforward, from f
// CHECK: ::adjoint::Dual<_S> _c0 = (p).template eval_pushforward<_S>(x * y, (_t_x * (y) + (x) * _t_y));
// CHECK: ::adjoint::Dual<_S> _c1 = (s).template call_operator_pushforward<_S>(a, y, _t_a, _t_y);
// CHECK: ::adjoint::Dual<_S> _c2 = ::Poly::square_pushforward<_S>(x, _t_x);
// CHECK: (q)->template eval_pushforward<_S>(y, _t_y);
// CHECK-LABEL: // square_pushforward, from square
// CHECK-NEXT: template <class _S>
// CHECK-NEXT: static inline ::adjoint::Dual<_S> square_pushforward(_S x, _S _t_x) {
// CHECK-LABEL: // call_operator_pushforward, from operator()
// CHECK-NEXT: template <class _S>
// CHECK-NEXT: inline ::adjoint::Dual<_S> call_operator_pushforward(_S x, _S y, _S _t_x, _S _t_y) const {
// CHECK-LABEL: // eval_pushforward, from eval
// CHECK-NEXT: template <class _S>
// CHECK-NEXT: inline ::adjoint::Dual<_S> eval_pushforward(_S x, _S _t_x) const {
// CHECK:      ::adjoint::Dual<_S> _c0 = bump_pushforward<_S>(x, _t_x);
// CHECK-LABEL: // bump_pushforward, from bump
// CHECK-NEXT: template <class _S>
// CHECK-NEXT: inline ::adjoint::Dual<_S> bump_pushforward(_S x, _S _t_x) const {

int main() {
  Poly p{3, true};
  Scale s{2};
  auto F = [&](const std::vector<double> &v) {
    return std::vector<double>{f(v[0], v[1], p, s)};
  };
  std::vector<double> x = {0.7, -0.4}, v = {0.3, 1.1};
  adjoint::Dual<double> D = f_jvp(x[0], x[1], p, s, v[0], v[1]);
  bool Ok = lit::compare("member calls", {D.value, D.tangent},
                         {F(x)[0], lit::directional(F, x, v)[0]});
  auto Grad = [&](const std::vector<double> &q) {
    return std::vector<double>{f_jvp(q[0], q[1], p, s, 1, 0).tangent,
                               f_jvp(q[0], q[1], p, s, 0, 1).tangent};
  };
  std::vector<double> Hv = lit::directional(Grad, x, v);
  double hx = 0, hy = 0, H[4];
  f_hvp(x[0], x[1], p, s, v[0], v[1], hx, hy);
  f_hessian(x[0], x[1], p, s, H);
  Ok &= lit::compare("hvp through member calls", {hx, hy}, Hv, 1e-5);
  Ok &= lit::compare("hessian through member calls",
                     {H[0] * v[0] + H[1] * v[1], H[2] * v[0] + H[3] * v[1]},
                     Hv, 1e-5);
  Ok &= lit::compare("hessian symmetry", {H[1]}, {H[2]}, 1e-9);
  std::printf("%s\n", Ok ? "all ok" : "FAILED");
}
// OUT-NOT: FAILED
// OUT: member calls: ok
// OUT: hvp through member calls: ok
// OUT: hessian through member calls: ok
// OUT: hessian symmetry: ok
// OUT: all ok
