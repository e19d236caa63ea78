// Writes through pointer arithmetic, the way C code spells an element:
// `*(out + i) = e`, `*(c + row) = e`, `(a + 1)[0] = e`, compound assignments,
// in loops, through a moving local pointer, in a callee and in forward mode.
// They were rejected ("an assignment to this kind of expression") although
// `out[i] = e` was differentiated: one access-path step (analysis/AccessPath)
// now reads `*(p + k)` as the element `p[k]` for every analysis.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"

#include <cmath>

ADJOINT_GRAD(x, out) void scale(const double *x, double *out, int n) {
  for (int i = 0; i < n; ++i) {
    *(out + i) = 2 * *(x + i) * *(x + i);
    *(out + i) += std::sin(*(x + i));
    *(out + i) *= x[0];
  }
}
// CHECK-LABEL: void scale_grad(
// CHECK:         _tape.push(*(out + i));
// CHECK-NEXT:    *(out + i) = 2 * *(x + i) * *(x + i);
// CHECK:         *(out + i) = _tape.pop<double>();
// CHECK-NEXT:    double [[R:_r[0-9]+]] = *(_d_out + i);
// CHECK-NEXT:    *(_d_out + i) = [[R]] * (x[0]);

ADJOINT_GRAD(x) double rows(const double *x, int n) {
  double buf[6] = {0};
  double s = 0;
  for (int r = 0; r < 2; ++r) {
    double *row = buf + r * 3;
    for (int c = 0; c < n; ++c) {
      *(row + c) = x[c] * (r + 1);
      s += *(row + c) * *(row + c);
      *(c + row) = std::exp(*(row + c) * 0.1);
      s += *(row + c);
    }
  }
  (buf + 1)[2] = s * x[1];
  return s + *(buf + 3) * *(buf + 4);
}
// CHECK-LABEL: double rows_vjp(
// CHECK:         *((_d_buf + (row - buf)) + c) += {{_r[0-9]+}};

ADJOINT_GRAD(x) double moving(const double *x, int n) {
  double buf[4] = {1, 2, 3, 4};
  double *p = buf;
  double s = 0;
  for (int i = 0; i < n; ++i) {
    *(p + 1) = x[i] * *(p + 1);
    s += *(p + 1) * x[i];
    p = p + 1;
    if (p == buf + 3)
      p = buf;
  }
  return s;
}

static void fill(const double *x, double *out, int n) {
  for (int i = 0; i < n; ++i)
    *(out + i) = std::tanh(*(x + i)) * x[0];
}

ADJOINT_GRAD(x) ADJOINT_JVP(x) double viaCallee(const double *x, int n) {
  double tmp[3];
  fill(x, tmp, n);
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += *(tmp + i) * *(tmp + i);
  return s;
}

ADJOINT_JVP(x, out) void squares(const double *x, double *out, int n) {
  for (int i = 0; i < n; ++i)
    *(out + i) = x[i] * *(x + i);
}

int main() {
  std::vector<double> x = {0.3, 0.7, -0.4};
  std::vector<double> w = {0.5, -1.0, 2.0};
  {
    std::vector<double> out(3), dx(3), dout = w;
    scale_grad(x.data(), out.data(), 3, dx.data(), dout.data());
    lit::check("scale",
               [&](const std::vector<double> &p) {
                 std::vector<double> o(3);
                 scale(p.data(), o.data(), 3);
                 return o[0] * w[0] + o[1] * w[1] + o[2] * w[2];
               },
               x, dx);
  }
  {
    std::vector<double> dx(3);
    rows_grad(x.data(), 3, dx.data());
    lit::check("rows",
               [](const std::vector<double> &p) { return rows(p.data(), 3); },
               x, dx);
  }
  {
    std::vector<double> dx(3);
    moving_grad(x.data(), 3, dx.data());
    lit::check("moving",
               [](const std::vector<double> &p) { return moving(p.data(), 3); },
               x, dx);
  }
  {
    std::vector<double> dx(3);
    viaCallee_grad(x.data(), 3, dx.data());
    lit::check("viaCallee",
               [](const std::vector<double> &p) { return viaCallee(p.data(), 3); },
               x, dx);
    adjoint::Dual<double> J = viaCallee_jvp(x.data(), 3, w.data());
    double Dot = dx[0] * w[0] + dx[1] * w[1] + dx[2] * w[2];
    std::printf("viaCallee jvp: %s\n",
                std::fabs(J.tangent - Dot) < 1e-9 * (1 + std::fabs(Dot)) ? "ok" : "FAILED");
  }
  {
    std::vector<double> out(3), tout(3);
    squares_jvp(x.data(), out.data(), 3, w.data(), tout.data());
    bool Ok = true;
    for (int i = 0; i < 3; ++i)
      Ok &= std::fabs(tout[i] - 2 * x[i] * w[i]) < 1e-12;
    std::printf("squares jvp: %s\n", Ok ? "ok" : "FAILED");
  }
}
// OUT: gradcheck scale: ok
// OUT: gradcheck rows: ok
// OUT: gradcheck moving: ok
// OUT: gradcheck viaCallee: ok
// OUT: viaCallee jvp: ok
// OUT: squares jvp: ok
