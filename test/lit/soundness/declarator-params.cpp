// Parameters whose types need a declarator around the name (a constant
// `double r[3][3]`, a function pointer, a reference to an array) are spelled
// with the name inside in the generated signatures: `double (*r)[3]`.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"

double rotate(double r[3][3], int (*pick)(int), const double (&w)[2],
              const double *p) {
  double s = 0.0;
  for (int j = 0; j < 3; j++)
    for (int i = 0; i < 3; i++)
      s += p[j] * r[j][i] * p[i];
  return s * w[pick(0)] + w[1];
}

int first(int i) { return i; }

ADJOINT_GRAD(p)
double quad(double r[3][3], int (*pick)(int), const double (&w)[2],
            const double *p) {
  return rotate(r, pick, w, p) + p[0];
}
// CHECK-LABEL: double quad_vjp(double (*r)[3], int (*pick)(int), const double (&w)[2], const double * p, double _seed, double *_d_p) {
// CHECK-LABEL: double quad_grad(double (*r)[3], int (*pick)(int), const double (&w)[2], const double * p, double *_d_p) {

int main() {
  double r[3][3] = {{1, 2, 0}, {0, 3, 1}, {1, 0, 2}};
  const double w[2] = {0.5, 2.0};
  std::vector<double> p = {0.5, -1, 2}, g(3);
  quad_grad(r, first, w, p.data(), g.data());
  lit::check(
      "quad",
      [&](const std::vector<double> &x) { return quad(r, first, w, x.data()); },
      p, g);
}
// OUT: gradcheck quad: ok
