// A callee filling a local buffer through a pointer into it (v.data(),
// &a[0], &v[1], a + 2): the buffer depends on the callee's inputs. These gave
// all-zero gradients before (the write through the pointer was not seen).
// One call writing two local heap buffers restores their snapshots in the
// reverse order of the saves (it overflowed the heap before).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>
#include <vector>

void squares(const double *in, double *out, int n) {
  for (int i = 0; i < n; ++i)
    out[i] = in[i] * in[i];
}

ADJOINT_GRAD(x) double through_data(const double *x, int n) {
  std::vector<double> v(n);
  squares(x, v.data(), n);
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += v[i] * 2.0;
  return s;
}
// CHECK-LABEL: double through_data_vjp(
// CHECK:         squares_pullback(x, v.data(), n, _d_x, _d_v.data());

ADJOINT_GRAD(x) double through_address(const double *x, int n) {
  double a[4];
  squares(x, &a[0], 2);
  squares(x + 2, a + 2, 2);
  double s = 0;
  for (int i = 0; i < 4; ++i)
    s += std::sin(a[i]);
  return s;
}
// CHECK-LABEL: double through_address_vjp(
// CHECK:         squares_pullback(x + 2, a + 2, 2, _d_x + 2, _d_a + 2);
// CHECK:         squares_pullback(x, &a[0], 2, _d_x, &_d_a[0]);

ADJOINT_GRAD(x) double through_element(const double *x, int n) {
  std::vector<double> v(n);
  squares(x, &v[1], n - 1);
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += v[i] * v[i];
  return s;
}

void two(const double *x, double *a, double *b, int n, int m) {
  for (int i = 0; i < n; ++i)
    a[i] = x[i] * 2;
  for (int i = 0; i < m; ++i)
    b[i] = a[i] * x[i];
}

// The second call overwrites both buffers, whose first contents the reverse
// sweep reads: the snapshots of a (size n) and b (size 2) come back each into
// its own buffer.
ADJOINT_GRAD(x) double two_buffers(const double *x, int n) {
  double *a = new double[n];
  double *b = new double[2];
  two(x, a, b, n, 2);
  b[0] = b[0] * b[1];
  two(x, a, b, n, 2);
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += a[i] * a[i];
  s += b[0] * b[1];
  delete[] a;
  delete[] b;
  return s;
}

int main() {
  std::vector<double> x = {0.3, -0.7, 1.1, 0.5};
  auto run = [&](const char *Name, double (*F)(const double *, int),
                 void (*G)(const double *, int, double *)) {
    std::vector<double> g(4, 0.0);
    G(x.data(), 4, g.data());
    lit::check(Name, [&](const std::vector<double> &p) { return F(p.data(), 4); },
               x, g);
  };
  run("through_data", through_data,
      [](const double *p, int n, double *d) { through_data_grad(p, n, d); });
  run("through_address", through_address,
      [](const double *p, int n, double *d) { through_address_grad(p, n, d); });
  run("through_element", through_element,
      [](const double *p, int n, double *d) { through_element_grad(p, n, d); });
  run("two_buffers", two_buffers,
      [](const double *p, int n, double *d) { two_buffers_grad(p, n, d); });
}
// OUT: through_data: 1.200000 -2.800000 4.400000 2.000000
// OUT: gradcheck through_data: ok
// OUT: gradcheck through_address: ok
// OUT: gradcheck through_element: ok
// OUT: gradcheck two_buffers: ok
