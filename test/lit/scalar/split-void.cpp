// Split mode for a void function with pointer outputs: f_forward runs the
// forward sweep once and f_backward takes the seeds in the outputs'
// adjoints, so each Jacobian row costs one reverse sweep. Every row must equal
// the one f_grad gives, and the Jacobian must match central differences.
// RUN: %adjoint_cxx %s -fplugin-arg-adjoint-dump -o %t 2> %t.gen
// RUN: FileCheck --check-prefix=GEN %s < %t.gen
// RUN: %t | FileCheck %s
#include <adjoint/adjoint.h>

#include <cmath>
#include <cstdio>

ADJOINT_GRAD(x, out)
void polar(const double *x, double *out) {
  double r = std::sqrt(x[0] * x[0] + x[1] * x[1]);
  double t = std::atan2(x[1], x[0]);
  out[0] = r * std::cos(2 * t);
  out[1] = r * r * std::sin(t);
}
// GEN-LABEL: struct polar_tape {
// GEN-NOT: value;
// GEN: bool released = false;
// GEN: polar_tape polar_forward(const double * x, double * out) {
// A plain tape is read where it is: the lvalue overload runs the reverse
// sweep, the rvalue one calls it and releases the tape.
// GEN: void polar_backward(const polar_tape &_saved, double *_d_x, double *_d_out) {
// GEN-NEXT:   if (_saved.released)
// GEN:          double r = _saved.r;
// GEN:        void polar_backward(polar_tape &&_saved, double *_d_x, double *_d_out) {
// GEN-NEXT:   if (_saved.released)
// GEN:          polar_backward(static_cast<const polar_tape &>(_saved), _d_x, _d_out);
// GEN-NEXT:     _saved.released = true;

int main() {
  const double x[2] = {0.7, -1.3};
  double out[2], fwd[2];
  double rows[2][2] = {}, ref[2][2] = {};
  polar_tape tape = polar_forward(x, fwd);
  for (int r = 0; r < 2; ++r) {
    double seed[2] = {r == 0 ? 1.0 : 0.0, r == 1 ? 1.0 : 0.0};
    polar_backward(tape, rows[r], seed);
    double seed2[2] = {r == 0 ? 1.0 : 0.0, r == 1 ? 1.0 : 0.0};
    polar_grad(x, out, ref[r], seed2);
  }
  double worst = 0, worstFd = 0;
  for (int r = 0; r < 2; ++r)
    for (int c = 0; c < 2; ++c) {
      worst = std::fmax(worst, std::fabs(rows[r][c] - ref[r][c]));
      double h = 1e-6, xp[2] = {x[0], x[1]}, xm[2] = {x[0], x[1]};
      double op[2], om[2];
      xp[c] += h;
      xm[c] -= h;
      polar(xp, op);
      polar(xm, om);
      double fd = (op[r] - om[r]) / (2 * h);
      worstFd = std::fmax(worstFd, std::fabs(fd - rows[r][c]) /
                                       std::fmax(1.0, std::fabs(fd)));
    }
  // CHECK: forward outputs match: 1
  std::printf("forward outputs match: %d\n",
              fwd[0] == out[0] && fwd[1] == out[1]);
  // CHECK-NEXT: rows match grad: 1
  std::printf("rows match grad: %d\n", worst == 0);
  // CHECK-NEXT: rows match differences: 1
  std::printf("rows match differences: %d\n", worstFd < 1e-7);
  double last[2] = {}, seed[2] = {1.0, 0.0};
  polar_backward(std::move(tape), last, seed);
  // CHECK-NEXT: released row: 1
  std::printf("released row: %d\n", last[0] == ref[0][0] && last[1] == ref[0][1]);
  // CHECK-NEXT: second backward: polar_backward: Trying to backward through the graph a second time
  try {
    polar_backward(std::move(tape), last, seed);
  } catch (const adjoint::BackwardError &E) {
    std::printf("second backward: %s\n", E.what());
  }
}
