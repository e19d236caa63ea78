// A constructor that initializes its members with std::move (or
// std::forward) of its parameters initializes them from the parameters:
// `Ray(V2 o_, V2 d_) : o(std::move(o_)), d(std::move(d_))`.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <utility>

struct V2 {
  double x, y;
  V2(double a, double b) : x(a), y(b) {}
  double dot(const V2 &o) const { return x * o.x + y * o.y; }
};
struct Ray {
  V2 o, d;
  explicit Ray(V2 o_, V2 d_) : o(std::move(o_)), d(std::forward<V2>(d_)) {}
};

ADJOINT_GRAD(a, b)
double cast(double a, double b) {
  Ray r(V2(a, b), V2(b, 2.0));
  return r.o.dot(r.d);
}
// CHECK-LABEL: double cast_vjp(double a, double b,

int main() {
  std::vector<double> x = {0.5, 1.5};
  double da = 0, db = 0;
  cast_grad(x[0], x[1], da, db);
  lit::check(
      "cast", [](const std::vector<double> &v) { return cast(v[0], v[1]); },
      x, {da, db});
}
// OUT: gradcheck cast: ok
