// A structured binding of derivative-free values (indices, flags) that
// nothing can change after its declaration, a const copy at the function's
// top level, stays as the user wrote it: the reverse sweep reads the indices
// by their names. Bindings of differentiated values are errors:
// errors-structured-bindings.cpp. Split mode (f_forward/f_backward) would
// read the names in another function: an error.
// RUN: rm -rf %t && mkdir -p %t
// RUN: not %adjoint_cxx -DSPLIT -I%S/../scalar/Inputs -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=SPLIT
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"

#include <utility>

struct Edge {
  int from, to;
};
std::pair<int, int> ends(int k) { return {k, k + 1}; }

ADJOINT_GRAD(x) double edgeProduct(const double *x, Edge e, int k) {
  const auto [i, j] = e;
  const auto [a, b] = ends(k);
  int idx[2] = {2, 0};
  const auto [p, q] = idx;
  double s = x[i] * x[j] + x[a] * x[b];
  return s * x[p] - x[q];
}
// CHECK-LABEL: double edgeProduct_vjp(
// CHECK:         const auto [i, j] = e;
// CHECK-NEXT:    const auto [a, b] = ends(k);
// CHECK:         const auto [p, q] = idx;
// CHECK:         _d_x[i] +=
// CHECK:         _d_x[b] +=

// A callee whose pullback is generated, called in a loop.
double pairTerm(const double *x, std::pair<int, int> e) {
  const auto [i, j] = e;
  return x[i] * std::sin(x[j]);
}
ADJOINT_GRAD(x) double chain(const double *x, int n) {
  double s = 0;
  for (int k = 0; k + 1 < n; ++k)
    s += pairTerm(x, {k, k + 1}) * x[k];
  return s;
}
// CHECK-LABEL: pairTerm_pullback(
// CHECK:         const auto [i, j] = e;

#ifdef SPLIT
void useSplit(const double *x) {
  auto t = edgeProduct_forward(x, Edge{0, 1}, 0);
  // SPLIT: structured-bindings-kept.cpp:[[@LINE-31]]:3: error: adjoint: cannot split the sweeps of 'edgeProduct' into 'edgeProduct_forward' and 'edgeProduct_backward': its backward sweep would read the names of this structured binding; copy the values into locals
  (void)t;
}
#endif

int main() {
  std::vector<double> x = {1.5, -2.0, 0.5};
  std::vector<double> g(3);
  edgeProduct_grad(x.data(), Edge{0, 2}, 1, g.data());
  lit::check("edgeProduct",
             [](const std::vector<double> &p) {
               return edgeProduct(p.data(), Edge{0, 2}, 1);
             },
             x, g);
  std::vector<double> h(3);
  chain_grad(x.data(), 3, h.data());
  lit::check("chain", [](const std::vector<double> &p) { return chain(p.data(), 3); }, x, h);
}
// OUT: gradcheck edgeProduct: ok
// OUT: gradcheck chain: ok
