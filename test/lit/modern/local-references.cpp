// Local const references to reals (`const double &xi = x[i];`, `const auto
// &w = weights[k];`, a reference to a temporary) whose referents keep their
// values while the reference lives are read as copies. A reference whose
// referent may change in its block, and a non-const reference to what its
// block also writes directly, are errors (writing references: writing-references.cpp).
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

ADJOINT_GRAD(x, w) double weighted(const double *x, const std::vector<double> &w,
                                   int n) {
  double s = 0;
  for (int i = 0; i < n; ++i) {
    const double &xi = x[i];
    const auto &wi = w[i % 2];
    const double &t = xi * wi; // a temporary
    s += t * xi + std::sin(wi);
  }
  return s;
}
// CHECK-LABEL: double weighted_vjp(
// CHECK:         xi = x[i];
// CHECK:         _d_x[i] += _r{{[0-9]+}};

// Forward mode reads them as copies too.
ADJOINT_GRAD(x) ADJOINT_JVP(x) double refs(const double *x, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i) {
    const double &xi = x[i];
    const double &t = xi * 2.0;
    s += xi * t + std::sin(xi);
  }
  return s;
}
// CHECK-LABEL: refs_pushforward(

#ifdef ERRORS
ADJOINT_GRAD(x) double changing(double *x, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i) {
    const double &xi = x[i];
    // ERR: local-references.cpp:[[@LINE-1]]:5: error: adjoint: cannot differentiate a local reference 'xi' in 'changing'
    x[i] = 2 * xi;
    s += xi;
  }
  return s;
}
ADJOINT_GRAD(x) double writable(double *x) {
  double &r = x[0];
  // ERR: local-references.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a local reference 'r' in 'writable'
  r *= 2;
  x[0] += r; // written directly while r lives
  return r;
}
#else
int main() {
  std::vector<double> x = {0.3, -0.7, 1.1}, w = {0.5, 2.0};
  std::vector<double> dx(3, 0.0), dw(2, 0.0);
  weighted_grad(x.data(), w, 3, dx.data(), dw);
  std::vector<double> p = x, g = dx;
  p.insert(p.end(), w.begin(), w.end());
  g.insert(g.end(), dw.begin(), dw.end());
  lit::check("weighted",
             [](const std::vector<double> &q) {
               std::vector<double> wq(q.begin() + 3, q.end());
               return weighted(q.data(), wq, 3);
             },
             p, g);
  // <J v> from f_jvp equals <grad f, v>.
  std::vector<double> gr(3, 0.0), v = {0.5, -1.0, 2.0};
  refs_grad(x.data(), 3, gr.data());
  adjoint::Dual<double> d = refs_jvp(x.data(), 3, v.data());
  double dot = gr[0] * v[0] + gr[1] * v[1] + gr[2] * v[2];
  std::printf("jvp refs: %s\n", std::fabs(d.tangent - dot) <= 1e-12 * (1 + std::fabs(dot)) ? "ok" : "WRONG");
}
#endif
// OUT: gradcheck weighted: ok
// OUT: jvp refs: ok
