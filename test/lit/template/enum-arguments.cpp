// Function templates instantiated with enumeration constants (policy
// switches selected with `if constexpr`): the generated specializations
// spell the argument as its enumerator, for scoped and unscoped
// enumerations; the integer the AST holds is no valid argument for a scoped
// enumeration parameter.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

namespace pricing {
enum class Payoff { Linear, Squared, Smooth };
enum Side { Low = 3, High = 7 };

template <Payoff kind, Side side = Low>
double payoff(double s, double k) {
  double d = side == High ? s - k : k - s;
  if constexpr (kind == Payoff::Linear)
    return d;
  else if constexpr (kind == Payoff::Squared)
    return d * d;
  else
    return std::log1p(std::exp(d));
}
} // namespace pricing
// CHECK-DAG: void payoff_pullback<pricing::Payoff::Squared, pricing::Side::High>(
// CHECK-DAG: constexpr pricing::Payoff kind = pricing::Payoff::Squared;
// CHECK-DAG: constexpr pricing::Side side = pricing::Side::High;
// CHECK-DAG: payoff_pullback<pricing::Payoff::Smooth, pricing::Side::Low>(

ADJOINT_GRAD(s, k)
double value(double s, double k) {
  using namespace pricing;
  return payoff<Payoff::Squared, High>(s, k) + 0.5 * payoff<Payoff::Smooth>(s, k) +
         payoff<Payoff::Linear>(k, s);
}

int main() {
  using V = std::vector<double>;
  double ds = 0, dk = 0;
  value_grad(1.3, 0.9, ds, dk);
  lit::check("value", [](const V &v) { return value(v[0], v[1]); }, {1.3, 0.9}, {ds, dk});
  return 0;
}
// OUT: gradcheck value: ok
