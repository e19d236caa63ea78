// Local pointers into an input or an output that move each iteration
// (`float* row = out + t * C;` in a loop, `p += C`, `++p`): the reverse sweep
// restores the pointer of each iteration. Every row read the last row's seed
// before. Also nested loops whose inner branch tests the inner counter and
// bumps an index (the inner counter must be right per outer iteration).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"

ADJOINT_GRAD(x, out) void rows(const float *x, float *out, int T, int C) {
  for (int t = 0; t < T; ++t) {
    const float *xr = x + t * C;
    float *row = out + t * C;
    for (int c = 0; c < C; ++c)
      row[c] = xr[c] * xr[c] * (t + 1);
  }
}
// CHECK-LABEL: void rows_grad(
// CHECK:         _tape.push(row);
// CHECK:         row = _tape.pop<float *>();

ADJOINT_GRAD(x, out) void walking(const double *x, double *out, int T, int C) {
  double *row = out;
  const double *xr = x;
  for (int t = 0; t < T; ++t) {
    for (int c = 0; c < C; ++c)
      row[c] = xr[c] * xr[c] * (t + 1);
    row += C;
    xr = xr + C;
  }
}

ADJOINT_GRAD(x) double stepping(const double *x, int n) {
  const double *p = x;
  double s = 0;
  for (int i = 0; i < n; ++i) {
    s += *p * *p * (i + 1);
    ++p;
  }
  return s;
}

ADJOINT_GRAD(x) double counters(const double *x, int n) {
  double s = 0;
  int k = 0, j;
  for (int i = 0; i < n; ++i) {
    for (j = 0; j < n; ++j)
      if (j == i) {
        s += x[k] * x[j] * (k + 1);
        k++;
      }
    int m = 0;
    while (m < n) {
      if (m >= i)
        s += x[(k + m) % n] * x[m];
      m++;
    }
  }
  return s;
}

int main() {
  std::vector<double> x = {0.3, -0.7, 1.1, 0.5, 0.2, 0.8};
  std::vector<double> w = {0.2, 1.3, -0.4, 0.9, 0.1, -1.0};
  {
    std::vector<float> xf(x.begin(), x.end()), out(6), dx(6), dout(w.begin(), w.end());
    rows_grad(xf.data(), out.data(), 3, 2, dx.data(), dout.data());
    lit::checkf("rows",
                [&](const std::vector<double> &p) {
                  std::vector<float> pf(p.begin(), p.end()), o(6);
                  rows(pf.data(), o.data(), 3, 2);
                  double s = 0;
                  for (int i = 0; i < 6; ++i)
                    s += w[i] * o[i];
                  return s;
                },
                x, std::vector<double>(dx.begin(), dx.end()));
  }
  {
    std::vector<double> out(6), dx(6), dout = w;
    walking_grad(x.data(), out.data(), 3, 2, dx.data(), dout.data());
    lit::check("walking",
               [&](const std::vector<double> &p) {
                 std::vector<double> o(6);
                 walking(p.data(), o.data(), 3, 2);
                 double s = 0;
                 for (int i = 0; i < 6; ++i)
                   s += w[i] * o[i];
                 return s;
               },
               x, dx);
  }
  {
    std::vector<double> dx(6);
    stepping_grad(x.data(), 6, dx.data());
    lit::check("stepping",
               [](const std::vector<double> &p) { return stepping(p.data(), 6); }, x,
               dx);
  }
  {
    std::vector<double> dx(6);
    counters_grad(x.data(), 6, dx.data());
    lit::check("counters",
               [](const std::vector<double> &p) { return counters(p.data(), 6); }, x,
               dx);
  }
}
// OUT: gradcheck rows: ok
// OUT: gradcheck walking: ok
// OUT: gradcheck stepping: ok
// OUT: gradcheck counters: ok
