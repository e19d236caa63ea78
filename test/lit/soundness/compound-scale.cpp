// `x *= s` and `x /= s` read all of s in the reverse sweep: s is saved where
// it changes (a per-row sum), and split mode's tape keeps it. Before, the
// reverse sweep divided every row by the last row's sum (a wrong gradient),
// and f_backward read a local its tape did not save (a build error, even in
// files that never used split mode: it is now generated only when used).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"

ADJOINT_GRAD(x, out)
void normalize(const double *x, double *out, int R, int C) {
  for (int r = 0; r < R; r++) {
    double s = 0;
    for (int k = 0; k < C; k++)
      s += x[r * C + k];
    for (int k = 0; k < C; k++) {
      out[r * C + k] = x[r * C + k];
      out[r * C + k] /= s;
    }
  }
}

ADJOINT_GRAD(x) double scaled(double x, int n) {
  double scale = 1.0 / n;
  double v = x;
  v *= scale;
  return v * v;
}
// CHECK-LABEL: struct scaled_tape {
// CHECK:         double scale;

int main() {
  {
    std::vector<double> x = {1, 2, 3, 5}, out(4), dx(4), w = {1, 2, 3, 4};
    std::vector<double> dout = w;
    normalize_grad(x.data(), out.data(), 2, 2, dx.data(), dout.data());
    lit::check("normalize",
               [&](const std::vector<double> &p) {
                 std::vector<double> o(4);
                 normalize(p.data(), o.data(), 2, 2);
                 double s = 0;
                 for (int i = 0; i < 4; ++i)
                   s += w[i] * o[i];
                 return s;
               },
               x, dx);
  }
  {
    double dx = 0;
    scaled_grad(3.0, 2, dx);
    lit::check("scaled", [](const std::vector<double> &p) { return scaled(p[0], 2); },
               {3.0}, {dx});
    double dsplit = 0;
    scaled_tape Tape = scaled_forward(3.0, 2);
    scaled_backward(Tape, 1.0, dsplit);
    std::printf("split: %g %g\n", Tape.value, dsplit);
  }
}
// OUT: gradcheck normalize: ok
// OUT: gradcheck scaled: ok
// OUT: split: 2.25 1.5
