// A template callee with the SFINAE idiom `enable_if<...>::type * = nullptr`:
// its pullback is specialized with `nullptr` for that argument.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>
#include <type_traits>

template <typename T1, typename T2,
          typename std::enable_if<!std::is_integral<T2>::value>::type * = nullptr>
constexpr T1 pw(const T1 base, const T2 e) noexcept {
  return std::exp(e * std::log(base));
}

template <class T,
          std::enable_if_t<std::is_floating_point<T>::value, int> * Tag = nullptr>
T twice(T v) {
  return Tag ? v : 2 * v;
}

ADJOINT_GRAD(x)
double f(double x) { return pw(x, 2.5) + twice(x) * x; }
// CHECK: pw_pullback<double, double, nullptr>(
// CHECK: twice_pullback<double, nullptr>(

int main() {
  std::vector<double> p = {1.7};
  double d = 0;
  f_grad(p[0], d);
  lit::check("f", [](const std::vector<double> &v) { return f(v[0]); }, p, {d});
}
// OUT: gradcheck f: ok
