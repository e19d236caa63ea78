// Two parts of one buffer passed to a callee that reads one and writes the
// other (`halves(x, w, w + n, n)`, a workspace split in two). The callee's
// pullback needs them distinct: where the elements each part reaches are
// known (here `n`, from `for (int j = 0; j < m; ++j)`), the reverse sweep
// checks at run time that they do not overlap and throws otherwise; constant
// parts that overlap are a compile-time error (errors-alias.cpp).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>
#include <stdexcept>
#include <vector>

void halves(const double *in, double *lo, double *hi, int m) {
  for (int j = 0; j < m; ++j) {
    lo[j] = std::sin(in[j]) + 0.5;
    hi[j] = in[j] * lo[j];
  }
}
void rotated(const double *src, double *dst, int m) {
  for (int j = 0; j < m; ++j)
    dst[j] = src[j] * src[(j + 1) % m];
}
// A matrix's rows i * cols + j, i < rows, j < cols.
void rowSums(const double *a, int rows, int cols, double *sums) {
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j)
      sums[i] += a[i * cols + j];
}

ADJOINT_GRAD(x) double parts(const double *x, int n, int gap) {
  std::vector<double> w(3 * n + 2, 0.0);
  halves(x, w.data(), w.data() + n, n);
  rotated(w.data(), w.data() + gap, n);
  rowSums(w.data(), 2, n, &w[3 * n]);
  double s = 0;
  for (int i = 0; i < 3 * n + 2; ++i)
    s += w[i] * w[i];
  return s;
}
// CHECK-LABEL: double parts_vjp(
// CHECK:         ::adjoint::require_disjoint(w.data(), (n) + (n), &w[3 * n], 2, "parts_vjp: the call of 'rowSums' on line {{[0-9]+}} passes overlapping parts of 'w' as 'a' and as the output 'sums'; its pullback needs distinct buffers");
// CHECK:         ::adjoint::require_disjoint(w.data(), (n), w.data() + gap, (n), "parts_vjp: the call of 'rotated' on line {{[0-9]+}} passes overlapping parts of 'w' as 'src' and as the output 'dst'; its pullback needs distinct buffers");
// CHECK:         ::adjoint::require_disjoint(w.data() + n, (n), w.data(), (n), "parts_vjp: the call of 'halves' on line {{[0-9]+}} passes overlapping parts of 'w' as 'hi' and as the output 'lo'; its pullback needs distinct buffers");

int main() {
  std::vector<double> x = {0.3, -0.5, 0.8};
  auto f = [](const std::vector<double> &p) { return parts(p.data(), 3, 3); };
  std::vector<double> dx(3, 0.0);
  parts_grad(x.data(), 3, 3, dx.data());
  bool ok = lit::check("parts", f, x, dx);
  // OUT: gradcheck parts: ok
  try {
    parts_grad(x.data(), 3, 2, dx.data());
    std::printf("no error\n");
  } catch (const std::invalid_argument &E) {
    std::printf("%s\n", E.what());
  }
  // OUT: parts_vjp: the call of 'rotated' on line {{[0-9]+}} passes overlapping parts of 'w' as 'src' and as the output 'dst'; its pullback needs distinct buffers
  return ok ? 0 : 1;
}
