// Overloads of one helper both called in split mode: their pullbacks
// overload one name, but each record type needs its own, so overloads after
// the first of their scope carry their position in it.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

namespace blend {
double mix(double a, int mode) {
  double out = 0;
  if (mode > 0)
    out = std::cos(a);
  else
    out = a * a * a;
  return out;
}
double mix(double a, double b, int mode) {
  double out = 0;
  if (mode > 0)
    out = a / b;
  else
    out = a - b * b;
  return out;
}
double mix(double a, double b, double c) { return std::exp(a * b) + c; }
} // namespace blend
// CHECK-LABEL: struct mix_pullback_record {
// CHECK:       double mix_pullback_forward(double a, int mode, mix_pullback_record &_rec) {
// CHECK-LABEL: struct mix_pullback_2_record {
// CHECK:       double mix_pullback_forward(double a, double b, int mode, mix_pullback_2_record &_rec) {
// CHECK-LABEL: struct mix_pullback_3_record {
// CHECK:       double mix_pullback_forward(double a, double b, double c, mix_pullback_3_record &_rec) {
// CHECK-LABEL: double combine_vjp(
// CHECK-DAG:     ::blend::mix_pullback_record _rec{{[0-9]+}};
// CHECK-DAG:     ::blend::mix_pullback_2_record _rec{{[0-9]+}};
// CHECK-DAG:     ::blend::mix_pullback_3_record _rec{{[0-9]+}};

ADJOINT_GRAD(x, y)
double combine(double x, double y, int mode) {
  return blend::mix(x, mode) + blend::mix(x, y, mode) * blend::mix(y, x, 0.5);
}

int main() {
  using V = std::vector<double>;
  for (int mode = 0; mode < 2; ++mode) {
    double dx = 0, dy = 0;
    combine_grad(0.5, 2.0, mode, dx, dy);
    std::string Name = "combine" + std::to_string(mode);
    lit::check(Name.c_str(), [&](const V &v) { return combine(v[0], v[1], mode); },
               {0.5, 2.0}, {dx, dy});
  }
  return 0;
}
// OUT: gradcheck combine0: ok
// OUT: gradcheck combine1: ok
