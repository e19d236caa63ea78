// A local reference that writes what it refers to (`double &r = v;`, see
// modern/writing-references.cpp) inside a checkpointed loop: its writes are
// writes of the variable it refers to, which the loop carries from one
// iteration to the next, so the snapshot holds it (fuzz seed 710954: without
// it each recomputed iteration started from the last iteration's value and
// the gradient was wrong). Writing back to elements the loop reads, through
// a reference or a range-based for loop, cannot be checkpointed: an error.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: not %adjoint_cxx -I%S/../scalar/Inputs -DERRORS -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR --implicit-check-not="error:"
#include "check.h"
#include <cmath>
#include <vector>

ADJOINT_GRAD(x, a) double refToLocal(const double *x, double a, int n) {
  double v = a;
  ADJOINT_CHECKPOINT;
  for (int i = 0; i < n; ++i) {
    double &r = v;
    r += -0.59 * x[i];
    r = std::tanh(r);
  }
  return v;
}
// The forward loop pushes v, which the reference writes, and the reverse
// restores it before recomputing the iteration.
// CHECK-LABEL: double refToLocal_vjp(
// CHECK:         while (i < n) {
// CHECK-NEXT:      ++_n0;
// CHECK-NEXT:      _tape.push(v);
// CHECK-NEXT:      r = v;
// CHECK-NEXT:      r += -0.59 * x[i];
// CHECK-NEXT:      v = r;
// CHECK:         for (; _n0; --_n0) {
// CHECK-NEXT:      v = _tape.pop<double>();
// CHECK-NEXT:      --i;
// CHECK-NEXT:      r = v;

inline void damp(double &u, double k) { u = std::cos(u) * k; }

ADJOINT_GRAD(x) double refInCall(const double *x, int n) {
  double v = x[0];
  ADJOINT_CHECKPOINT;
  for (int i = 0; i < n; ++i) {
    double &r = v;
    damp(r, x[i]);
    r += 0.5;
  }
  return v;
}
// CHECK-LABEL: double refInCall_vjp(
// CHECK:         while (i < n) {
// CHECK-NEXT:      ++_n0;
// CHECK-NEXT:      _tape.push(v);

#ifdef ERRORS
ADJOINT_GRAD(x, out) void refToOutput(const double *x, double *out, int n) {
  ADJOINT_CHECKPOINT;
  for (int i = 0; i < n; ++i) {
    double &o = out[i];
    // ERR: writing-references.cpp:[[@LINE-1]]:17: error: adjoint: cannot checkpoint this loop in 'refToOutput': it overwrites elements of 'out', which the reverse sweep or the loop itself reads: write the results to a buffer the loop does not read, or remove ADJOINT_CHECKPOINT
    o = x[i] * x[i];
    o += std::sin(x[i]);
  }
}

ADJOINT_GRAD(x) double rangeInLoop(const double *x, int n) {
  double buf[2] = {x[0], x[1]};
  ADJOINT_CHECKPOINT;
  for (int i = 0; i < n; ++i)
    for (double &b : buf)
      // ERR: writing-references.cpp:[[@LINE-1]]:22: error: adjoint: cannot checkpoint this loop in 'rangeInLoop': it overwrites elements of 'buf', which the reverse sweep or the loop itself reads: write the results to a buffer the loop does not read, or remove ADJOINT_CHECKPOINT
      b = std::sin(b) * x[i];
  return buf[0] + buf[1];
}
#else
int main() {
  std::vector<double> x = {0.3, -0.7, 1.1, 0.5};
  std::vector<double> g(4, 0.0);
  double da = 0;
  refToLocal_grad(x.data(), 0.4, 4, g.data(), da);
  g.push_back(da);
  std::vector<double> p = x; p.push_back(0.4);
  lit::check("refToLocal", [](const std::vector<double> &q) { return refToLocal(q.data(), q[4], 4); }, p, g);
  std::vector<double> g3(4, 0.0);
  refInCall_grad(x.data(), 4, g3.data());
  lit::check("refInCall", [](const std::vector<double> &q) { return refInCall(q.data(), 4); }, x, g3);
}
#endif
// OUT: gradcheck refToLocal: ok
// OUT: gradcheck refInCall: ok
