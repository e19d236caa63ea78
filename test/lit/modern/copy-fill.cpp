// std::copy(first, last, out) and std::fill(first, last, value) over
// pointers, arrays and std::vector iterators: the rules copy_range_pullback
// and fill_range_pullback (adjoint/derivatives.h) move the output range's
// adjoints into the input range's, or gather them into the value's. The
// written range is snapshotted when the reverse sweep needs its earlier
// contents, as for any call writing a buffer.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: %gxx -I%S/../scalar/Inputs %t/gen.cpp -o %t/gxx.out %adjoint_link
// RUN: %t/gxx.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <algorithm>
#include <vector>

// A state vector reset to a computed level, then perturbed.
ADJOINT_GRAD(x) double filled(const double *x, int n) {
  std::vector<double> v(n);
  std::fill(v.begin(), v.end(), x[0] * x[2]);
  v[1] += x[1];
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += v[i] * v[i];
  return s;
}
// CHECK-LABEL: double filled_vjp(
// CHECK:         double [[R:_r[0-9]+]] = 0;
// CHECK-NEXT:    ::adjoint::derivatives::fill_range_pullback(v.begin(), v.end(), x[0] * x[2], _d_v.data(), [[R]]);
// CHECK:         _d_x[0] += [[R]] * (x[2]);

// Copies into a work vector and from it into an array.
ADJOINT_GRAD(x) double copied(const double *x, int n) {
  std::vector<double> v(n);
  std::copy(x, x + n, v.begin());
  double w[3];
  std::copy(v.begin(), v.end(), w);
  return v[1] * v[0] + w[2] * v[2];
}
// CHECK-LABEL: double copied_vjp(
// CHECK:         ::adjoint::derivatives::copy_range_pullback(v.begin(), v.end(), w, _d_v.data(), _d_w);
// CHECK:         ::adjoint::derivatives::copy_range_pullback(x, x + n, v.begin(), _d_x, _d_v.data());

// A shift within one vector, then a copy to an output.
ADJOINT_GRAD(x, out) void shifted(const double *x, int n, double *out) {
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i)
    v[i] = x[i] * x[i];
  std::copy(v.begin() + 1, v.end(), v.begin());
  std::copy(v.begin(), v.end(), out);
  out[0] *= x[1];
}
// CHECK-LABEL: void shifted_grad(
// CHECK:         ::adjoint::derivatives::copy_range_pullback(v.begin() + 1, v.end(), v.begin(), _d_v.data() + 1, _d_v.data());

int main() {
  using V = std::vector<double>;
  V x = {0.5, -1.0, 2.0}, g(3, 0.0);
  filled_grad(x.data(), 3, g.data());
  lit::check("filled", [](const V &p) { return filled(p.data(), 3); }, x, g);
  V g2(3, 0.0);
  copied_grad(x.data(), 3, g2.data());
  lit::check("copied", [](const V &p) { return copied(p.data(), 3); }, x, g2);
  // Each output element's gradient, seeded one at a time.
  for (int k = 0; k < 3; ++k) {
    V out(3, 0.0), d_out(3, 0.0), g3(3, 0.0);
    d_out[k] = 1;
    shifted_grad(x.data(), 3, out.data(), g3.data(), d_out.data());
    std::string Name = "shifted" + std::to_string(k);
    lit::check(Name.c_str(),
               [k](const V &p) {
                 V o(3, 0.0);
                 shifted(p.data(), 3, o.data());
                 return o[k];
               },
               x, g3);
  }
}
// OUT: gradcheck filled: ok
// OUT: gradcheck copied: ok
// OUT: gradcheck shifted0: ok
// OUT: gradcheck shifted1: ok
// OUT: gradcheck shifted2: ok
