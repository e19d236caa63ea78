// A checkpointed loop's tape holds only its snapshots: nothing here (the
// reverse undoes ++i, and s is only accumulated), against the locals and
// branch flags ordinary taping keeps per iteration. The tape's storage outlives each call as the thread's spare
// (adjoint::detail::Spare), whose capacity is the largest tape so far.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx %s -o %t/a.out %adjoint_link
// RUN: %t/a.out | FileCheck %s
#include <adjoint/adjoint.h>
#include <cmath>
#include <cstdio>
#include <vector>

ADJOINT_GRAD(x) double recomputed(const double *x, int n) {
  double s = 0.0;
  ADJOINT_CHECKPOINT;
  for (int i = 0; i < n; ++i) {
    double w = std::sin(x[i]);
    w = w * w + x[i];
    if (w > 0.5)
      s += w * w;
  }
  return s;
}

ADJOINT_GRAD(x) double taped(const double *x, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i) {
    double w = std::sin(x[i]);
    w = w * w + x[i];
    if (w > 0.5)
      s += w * w;
  }
  return s;
}

int main() {
  const int N = 100000;
  std::vector<double> x(N), d1(N, 0.0), d2(N, 0.0);
  for (int i = 0; i < N; ++i)
    x[i] = std::cos(0.001 * i);
  double v1 = recomputed_grad(x.data(), N, d1.data());
  size_t Recomputed = adjoint::detail::Spare.Capacity;
  double v2 = taped_grad(x.data(), N, d2.data());
  size_t Taped = adjoint::detail::Spare.Capacity;
  std::printf("same value and gradient: %s\n",
              v1 == v2 && d1 == d2 ? "yes" : "no");
  // At most 4 bytes per iteration, rounded up to a power of two.
  std::printf("checkpointed tape within 4 bytes/iteration: %s\n",
              Recomputed <= 2 * 4 * size_t(N) ? "yes" : "no");
  std::printf("taped tape at least 4 times larger: %s\n",
              Taped >= 4 * Recomputed ? "yes" : "no");
}
// CHECK:      same value and gradient: yes
// CHECK-NEXT: checkpointed tape within 4 bytes/iteration: yes
// CHECK-NEXT: taped tape at least 4 times larger: yes
