//===- dual_test.cpp - adjoint::Dual and its math functions ---------------===//
//
// Dual arithmetic and every <cmath> overload against central differences of
// the double function, first order (Dual<double>) and second order
// (Dual<Dual<double>>, against differences of the first derivative), and the
// views f_hvp passes for pointer inputs.
//
//===----------------------------------------------------------------------===//

#include <adjoint/adjoint.h>

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

namespace {

using adjoint::Dual;
using D = Dual<double>;
using DD = Dual<D>;

double derivative(const std::function<double(double)> &F, double X,
                  double H = 1e-6) {
  return (F(X + H) - F(X - H)) / (2 * H);
}

/// Checks f' and f'' of a function written once over any scalar type.
template <class F> void checkSecondOrder(const char *Name, F Fn, double X) {
  SCOPED_TRACE(Name);
  D First = Fn(D(X, 1.0));
  EXPECT_NEAR(First.value, Fn(X), 1e-12);
  EXPECT_NEAR(First.tangent, derivative([&](double Y) { return Fn(Y); }, X),
              1e-6 * (1 + std::fabs(First.tangent)));
  DD Second = Fn(DD(D(X, 1.0), D(1.0, 0.0)));
  EXPECT_NEAR(Second.value.value, Fn(X), 1e-12);
  EXPECT_NEAR(Second.tangent.value, First.tangent, 1e-12);
  double Want = derivative(
      [&](double Y) { return Fn(D(Y, 1.0)).tangent; }, X, 1e-5);
  EXPECT_NEAR(Second.tangent.tangent, Want, 1e-5 * (1 + std::fabs(Want)));
}

TEST(Dual, Arithmetic) {
  D A(1.5, 2.0), B(-0.5, 3.0);
  D P = A * B, Q = A / B, S = A - B + 2.0 * A - 1;
  EXPECT_DOUBLE_EQ(P.tangent, 2.0 * -0.5 + 1.5 * 3.0);
  EXPECT_DOUBLE_EQ(Q.tangent, (2.0 * -0.5 - 1.5 * 3.0) / 0.25);
  EXPECT_DOUBLE_EQ(S.value, 1.5 + 0.5 + 3.0 - 1);
  EXPECT_DOUBLE_EQ(S.tangent, 2.0 - 3.0 + 4.0);
  D C = A;
  C *= B;
  C /= A;
  EXPECT_NEAR(C.value, B.value, 1e-15);
  EXPECT_NEAR(C.tangent, B.tangent, 1e-15);
  EXPECT_TRUE(A > B && B < 0 && 2 > A && A == 1.5);
  EXPECT_EQ(static_cast<int>(A), 1);
  auto [Value, Tangent] = D{4.0, 5.0};
  EXPECT_EQ(Value + Tangent, 9.0);
}

TEST(Dual, MathFunctionsFromTheReverseRules) {
  auto Sum = [](auto X) {
    using std::sin;
    return std::sin(X) + std::cos(2.0 * X) + std::exp(X / 3.0) +
           std::log(1.0 + X * X) + std::sqrt(2.0 + X) + std::tanh(X) +
           std::atan(X) + std::pow(X, 3) + std::pow(X, 1.5) +
           std::pow(2.0, X) + std::hypot(X, 0.5) + std::atan2(X, 2.0) +
           std::log1p(X * X) + std::expm1(X) + std::cbrt(3.0 + X) +
           std::erf(X) + std::fabs(X) + std::fmax(X, 0.1) + sin(X);
  };
  checkSecondOrder("sum", Sum, 0.7);
  checkSecondOrder("sum", Sum, 1.9);
  checkSecondOrder("quotient", [](auto X) { return (X * X + 1.0) / (X - 3.0); },
                   0.4);
  // The C library's float spellings take Duals too (found by ADL).
  D F = expf(D(0.6, 1.0)) + powf(D(0.6, 1.0), 2);
  EXPECT_NEAR(F.tangent, std::exp(0.6) + 1.2, 1e-12);
}

TEST(Dual, SeedPointerRecordsTheExtentRead) {
  double X[4] = {1, 2, 3, 4};
  std::ptrdiff_t Extent = 0;
  adjoint::detail::SeedPointer<double> P{X, 0, 2, &Extent};
  EXPECT_EQ(P[2].tangent, 1.0);
  EXPECT_EQ(P[1].tangent, 0.0);
  EXPECT_EQ((P + 1)[2].value, 4.0);
  EXPECT_EQ((P + 1)[1].tangent, 1.0); // element 2, seeded
  EXPECT_EQ(Extent, 4);
  adjoint::detail::ConstantPointer<double> V{X};
  EXPECT_EQ(V[3].value, 4.0);
  EXPECT_EQ(V[3].tangent, 0.0);
}

TEST(Dual, PointerViewsOfTheSecondOrderSweep) {
  double X[3] = {1, 2, 3}, V[3] = {0.5, -1, 2}, Hv[3] = {10, 20, 30};
  adjoint::detail::DualPointer<double> P{X, V};
  EXPECT_EQ(P[1].value, 2.0);
  EXPECT_EQ(P[1].tangent, -1.0);
  EXPECT_EQ((P + 1)[1].tangent, 2.0);
  EXPECT_EQ((*(P + 2)).value, 3.0);
  adjoint::detail::TangentSink<double> G{Hv};
  EXPECT_TRUE(static_cast<bool>(G));
  G[0] += D(100, 1.5); // the value, a gradient component, is not kept
  (G + 1)[1] -= D(7, 0.25);
  *G += D(0, 1);
  EXPECT_EQ(Hv[0], 12.5);
  EXPECT_EQ(Hv[1], 20.0);
  EXPECT_EQ(Hv[2], 29.75);
  EXPECT_FALSE(
      static_cast<bool>(adjoint::detail::TangentSink<double>{nullptr}));
}

TEST(Dual, ValueAndPartialFromOneEvaluation) {
  namespace r = adjoint::derivatives;
  for (double X : {-1.3, 0.2, 0.9}) {
    SCOPED_TRACE(X);
    D S = r::sin_value_and_partial(X), C = r::cos_value_and_partial(X);
    EXPECT_EQ(S.value, std::sin(X));
    EXPECT_NEAR(S.tangent, std::cos(X), 1e-15);
    EXPECT_EQ(C.value, std::cos(X));
    EXPECT_NEAR(C.tangent, -std::sin(X), 1e-15);
    Dual<float> F = r::sinf_value_and_partial(float(X));
    EXPECT_EQ(F.value, std::sin(float(X)));
    EXPECT_NEAR(F.tangent, std::cos(float(X)), 1e-6);
    D E = r::exp_value_and_partial(X), T = r::tanh_value_and_partial(X);
    EXPECT_EQ(E.value, std::exp(X));
    EXPECT_EQ(E.tangent, std::exp(X));
    EXPECT_EQ(T.tangent, 1 - std::tanh(X) * std::tanh(X));
    D L = r::log_value_and_partial(X + 2);
    EXPECT_EQ(L.value, std::log(X + 2));
    EXPECT_EQ(L.tangent, 1 / (X + 2));
  }
  // Integer arguments compute in double.
  D Q = r::sqrt_value_and_partial(4);
  EXPECT_EQ(Q.value, 2.0);
  EXPECT_EQ(Q.tangent, 0.25);
}

} // namespace
