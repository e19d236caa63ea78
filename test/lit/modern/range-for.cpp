// Range-based for loops over C arrays, std::vectors and data members, by
// value and by reference (read only), nested in index loops, over integer
// vectors. They are index loops in the generated code: the loop variable is
// assigned element k at the start of each iteration; its adjoint goes to
// element k of the range's adjoint.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: %gxx -I%S/../scalar/Inputs %t/gen.cpp -o %t/gxx.out %adjoint_link
// RUN: %t/gxx.out | FileCheck %s --check-prefix=OUT
// RUN: not %adjoint_cxx -I%S/../scalar/Inputs -DERRORS -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR --implicit-check-not="error:"
#include "check.h"
#include <cmath>
#include <vector>

ADJOINT_GRAD(x, w) double ranges(const std::vector<double> &x, const double *w,
                                 int n) {
  double s = 0;
  double a[3];
  for (int i = 0; i < 3; ++i)
    a[i] = w[i] * x[i];
  for (auto &v : a) // only read: a copy
    s += std::sin(v) * s + v;
  for (int r = 0; r < n; ++r) {
    double t = 0;
    for (const double &v : x)
      t += v * v * w[r];
    s += std::tanh(t);
  }
  std::vector<int> order = {2, 0, 1};
  for (int k : order)
    s += x[k] * w[k];
  return s;
}
// CHECK-LABEL: double ranges_vjp(
// CHECK:         while (_k{{[0-9]+}} < 3) {
// CHECK:           v = a[_k{{[0-9]+}}];
// CHECK:         _d_a[_k{{[0-9]+}}] += _d_v;

struct Scaled {
  std::vector<double> weights{0.5, -1.0, 2.0};
  ADJOINT_GRAD(x) double dot(const double *x) const {
    double s = 0;
    int i = 0;
    for (double w : weights) {
      s += w * x[i] * x[i];
      ++i;
    }
    return s;
  }
};

// Forward mode and Hessians over a local array.
ADJOINT_GRAD(x) ADJOINT_JVP(x) ADJOINT_HESSIAN(x)
double forwardRanges(const double *x) {
  double a[3] = {x[0] * x[1], std::sin(x[1]), 2.0};
  int order[2] = {1, 0};
  double s = 0;
  for (double v : a)
    s += v * v;
  for (const auto &v : a)
    s += std::tanh(v);
  for (int k : order)
    s += a[k] * x[k];
  return s;
}
// CHECK-LABEL: forwardRanges_pushforward(
// CHECK:         for (unsigned long _k{{[0-9]+}} = 0; _k{{[0-9]+}} < 3; ++_k{{[0-9]+}}) {

#ifdef ERRORS
ADJOINT_GRAD(x) double early(const std::vector<double> &x) {
  double s = 0;
  for (double v : x) {
    // ERR: range-for.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate 'break', 'continue' or 'return' in a range-based 'for' loop in 'early'
    if (v > 1)
      break;
    s += v;
  }
  return s;
}
ADJOINT_GRAD(x) double writes(std::vector<double> &x) {
  double s = 0;
  for (double &v : x) {
    // ERR: range-for.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a range-based 'for' loop whose body writes its element and uses its range, or takes the element's address in 'writes'
    v *= 2;
    s += v * x[0];
  }
  return s;
}
#else
int main() {
  std::vector<double> x = {0.3, -0.4, 0.8}, dx(3, 0.0);
  std::vector<double> w = {0.5, 1.5, -0.7}, dw(3, 0.0);
  ranges_grad(x, w.data(), 3, dx, dw.data());
  std::vector<double> p = x, g = dx;
  p.insert(p.end(), w.begin(), w.end());
  g.insert(g.end(), dw.begin(), dw.end());
  lit::check("ranges",
             [](const std::vector<double> &q) {
               std::vector<double> xq(q.begin(), q.begin() + 3);
               return ranges(xq, q.data() + 3, 3);
             },
             p, g);
  Scaled model;
  std::vector<double> g2(3, 0.0);
  model.dot_grad(x.data(), g2.data());
  lit::check("member range",
             [&](const std::vector<double> &q) { return model.dot(q.data()); }, x,
             g2);
  // f_jvp against the gradient, f_hvp against differences of gradients.
  double p2[2] = {0.5, 0.7}, t[2] = {1.0, -0.5}, gr[2] = {0, 0}, hv[2] = {0, 0};
  forwardRanges_grad(p2, gr);
  adjoint::Dual<double> d = forwardRanges_jvp(p2, t);
  double dot = gr[0] * t[0] + gr[1] * t[1];
  std::printf("jvp ranges: %s\n", std::fabs(d.tangent - dot) <= 1e-12 ? "ok" : "WRONG");
  forwardRanges_hvp(p2, t, hv);
  double h = 1e-5, up[2] = {p2[0] + h * t[0], p2[1] + h * t[1]},
         down[2] = {p2[0] - h * t[0], p2[1] - h * t[1]}, gu[2] = {0, 0}, gd[2] = {0, 0};
  forwardRanges_grad(up, gu);
  forwardRanges_grad(down, gd);
  bool close = true;
  for (int i = 0; i < 2; ++i)
    close &= std::fabs(hv[i] - (gu[i] - gd[i]) / (2 * h)) <= 1e-6 * (1 + std::fabs(hv[i]));
  std::printf("hvp ranges: %s\n", close ? "ok" : "WRONG");
}
#endif
// OUT: gradcheck ranges: ok
// OUT: gradcheck member range: ok
// OUT: jvp ranges: ok
// OUT: hvp ranges: ok
