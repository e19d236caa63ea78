// A namespace function declared in its namespace and defined outside it with
// a qualified name (`double col::dist(...)`): its generated functions are
// emitted in the reopened namespace, so they see its type names unqualified
// and are called as `col::dist_grad`. A callee defined the same way gets its
// pullback in its namespace too.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

namespace col {
struct Lab {
  double l, a, b;
};
double dist(const Lab &p, const Lab &q);
constexpr double scale(double v) { return v * 0.5; }
namespace inner {
double weight(const Lab &p);
}
} // namespace col

double col::inner::weight(const Lab &p) { return scale(p.l) * p.b; }

ADJOINT_GRAD(p)
double col::dist(const Lab &p, const Lab &q) {
  return std::sqrt((p.l - q.l) * (p.l - q.l) + scale(p.a - q.a) * (p.a - q.a) +
                   p.b * q.b) +
         inner::weight(p);
}
// The names are those of the namespace, where the code is inserted (Clang
// 14 prints the types qualified, which is as valid there).
// CHECK-LABEL: double dist_vjp(const {{(col::)?}}Lab & p, const {{(col::)?}}Lab & q, double _seed, {{(col::)?}}Lab &_d_p) {
// CHECK:         ::col::inner::weight_pullback_reverse(

int main() {
  col::Lab p{1.0, 2.0, 3.0}, q{0.5, 1.0, 1.5};
  std::vector<double> x = {p.l, p.a, p.b};
  col::Lab dp{0, 0, 0};
  col::dist_grad(p, q, dp);
  lit::check(
      "dist",
      [&](const std::vector<double> &v) {
        return col::dist(col::Lab{v[0], v[1], v[2]}, q);
      },
      x, {dp.l, dp.a, dp.b});
}
// OUT: gradcheck dist: ok
