//===- elementwise_test.cpp - Elementwise kernels and sums ---------------===//
//
// The SIMD elementwise kernels against their scalar references for every
// tail length, IEEE special values (PyTorch semantics), in-place use and
// writes past the end, on every instruction set Highway compiled that this
// machine supports.
//
//===----------------------------------------------------------------------===//

#include "runtime/kernels/kernels.h"

#include <gtest/gtest.h>
#include <hwy/targets.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace adjoint::kernels;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kMinNormal = std::numeric_limits<float>::min();
const std::size_t kSizes[] = {0, 1, 2, 3, 7, 15, 16, 17, 31, 33, 1000, 4097};
constexpr std::size_t kGuard = 17;

const char *name(UnaryOp Op) {
  static const char *const Names[] = {"Neg", "Exp",     "Log",  "Sqrt",
                                      "Abs", "Sigmoid", "Tanh", "Relu"};
  return Names[static_cast<int>(Op)];
}

/// Same value, NaN-ness or within RelTol * |Expected| (plus kMinNormal, as
/// subnormal results carry few significant bits).
::testing::AssertionResult close(float Actual, float Expected, double RelTol) {
  if ((std::isnan(Actual) && std::isnan(Expected)) || Actual == Expected ||
      (RelTol > 0 && std::isfinite(Expected) &&
       std::fabs(static_cast<double>(Actual) - Expected) <=
           RelTol * std::fabs(Expected) + kMinNormal))
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "got " << Actual << ", expected " << Expected;
}

/// Elementwise results agree over [0, N) and the guard after N is untouched.
void expectAllClose(const std::vector<float> &Actual,
                    const std::vector<float> &Expected,
                    const std::vector<float> &Input, double RelTol) {
  ASSERT_EQ(Actual.size(), Expected.size());
  for (std::size_t I = 0; I < Actual.size(); ++I)
    ASSERT_TRUE(close(Actual[I], Expected[I], RelTol))
        << "at " << I << " of " << Actual.size() - kGuard
        << (I < Input.size() ? " input " + std::to_string(Input[I]) : "");
}

/// Random values in [Lo, Hi] with the special values sprinkled in.
std::vector<float> randomInput(std::size_t N, float Lo, float Hi,
                               std::mt19937 &Rng) {
  static const float Specials[] = {0.0f, -0.0f, kInf, -kInf, kNaN, 1.0f, -1.0f};
  std::uniform_real_distribution<float> Dist(Lo, Hi);
  std::vector<float> X(N);
  for (std::size_t I = 0; I < N; ++I)
    X[I] = I % 11 == 5 ? Specials[(I / 11) % 7] : Dist(Rng);
  return X;
}

/// Each test runs once per instruction set, named after it.
class ElementwiseTest : public ::testing::TestWithParam<std::int64_t> {
protected:
  void SetUp() override { hwy::SetSupportedTargetsForTest(GetParam()); }
  void TearDown() override { hwy::SetSupportedTargetsForTest(0); }
};

INSTANTIATE_TEST_SUITE_P(
    Targets, ElementwiseTest,
    ::testing::ValuesIn(hwy::SupportedAndGeneratedTargets()),
    [](const ::testing::TestParamInfo<std::int64_t> &Info) {
      return std::string(hwy::TargetName(Info.param));
    });

TEST_P(ElementwiseTest, UnaryMatchesReference) {
  const UnaryOp Ops[] = {UnaryOp::Neg,  UnaryOp::Exp, UnaryOp::Log,
                         UnaryOp::Sqrt, UnaryOp::Abs, UnaryOp::Sigmoid,
                         UnaryOp::Tanh, UnaryOp::Relu};
  std::mt19937 Rng(1);
  for (UnaryOp Op : Ops) {
    // exp covers its overflow and subnormal ranges; log its whole domain.
    const bool Exact = Op == UnaryOp::Neg || Op == UnaryOp::Abs ||
                       Op == UnaryOp::Sqrt || Op == UnaryOp::Relu;
    const float Range = Op == UnaryOp::Exp ? 110.0f : 30.0f;
    for (std::size_t N : kSizes) {
      SCOPED_TRACE(std::string(name(Op)) + " N=" + std::to_string(N));
      std::vector<float> X = randomInput(N, -Range, Range, Rng);
      if (Op == UnaryOp::Log || Op == UnaryOp::Sqrt)
        for (float &V : X)
          V = V > 0 ? V * V * 1e10f : V; // up to 1e13, zeros and negatives
      std::vector<float> Out(N + kGuard, 3.0f), Ref(N + kGuard, 3.0f);
      unary(Op, X.data(), Out.data(), N);
      unary_reference(Op, X.data(), Ref.data(), N);
      expectAllClose(Out, Ref, X, Exact ? 0.0 : 1e-6);

      // In place.
      std::vector<float> InPlace = X;
      unary(Op, InPlace.data(), InPlace.data(), N);
      for (std::size_t I = 0; I < N; ++I)
        ASSERT_TRUE(close(InPlace[I], Ref[I], Exact ? 0.0 : 1e-6)) << I;
    }
  }
}

/// Runs Op on one value through the SIMD kernel, in a run long enough to
/// take the vector path.
float unaryOne(UnaryOp Op, float X) {
  std::vector<float> In(33, X), Out(33);
  unary(Op, In.data(), Out.data(), In.size());
  return Out[20];
}

TEST_P(ElementwiseTest, UnarySpecialValues) {
  EXPECT_EQ(unaryOne(UnaryOp::Exp, -kInf), 0.0f);
  EXPECT_EQ(unaryOne(UnaryOp::Exp, kInf), kInf);
  EXPECT_EQ(unaryOne(UnaryOp::Exp, 89.0f), kInf);
  EXPECT_EQ(unaryOne(UnaryOp::Exp, 1e4f), kInf);
  EXPECT_EQ(unaryOne(UnaryOp::Exp, -1e4f), 0.0f);
  EXPECT_TRUE(std::isfinite(unaryOne(UnaryOp::Exp, 88.7f)));
  EXPECT_EQ(unaryOne(UnaryOp::Exp, 0.0f), 1.0f);
  EXPECT_TRUE(std::isnan(unaryOne(UnaryOp::Exp, kNaN)));
  EXPECT_EQ(unaryOne(UnaryOp::Log, 0.0f), -kInf);
  EXPECT_EQ(unaryOne(UnaryOp::Log, -0.0f), -kInf);
  EXPECT_EQ(unaryOne(UnaryOp::Log, kInf), kInf);
  EXPECT_EQ(unaryOne(UnaryOp::Log, 1.0f), 0.0f);
  EXPECT_TRUE(std::isnan(unaryOne(UnaryOp::Log, -1.0f)));
  EXPECT_TRUE(std::isnan(unaryOne(UnaryOp::Log, -kInf)));
  EXPECT_TRUE(std::isnan(unaryOne(UnaryOp::Log, kNaN)));
  EXPECT_NEAR(unaryOne(UnaryOp::Log, 1e-40f), std::log(1e-40), 1e-4);
  EXPECT_EQ(unaryOne(UnaryOp::Sigmoid, -kInf), 0.0f);
  EXPECT_EQ(unaryOne(UnaryOp::Sigmoid, kInf), 1.0f);
  EXPECT_EQ(unaryOne(UnaryOp::Sigmoid, 0.0f), 0.5f);
  EXPECT_EQ(unaryOne(UnaryOp::Sigmoid, 1e4f), 1.0f);
  EXPECT_EQ(unaryOne(UnaryOp::Sigmoid, -1e4f), 0.0f);
  EXPECT_TRUE(std::isnan(unaryOne(UnaryOp::Sigmoid, kNaN)));
  EXPECT_EQ(unaryOne(UnaryOp::Tanh, kInf), 1.0f);
  EXPECT_EQ(unaryOne(UnaryOp::Tanh, -kInf), -1.0f);
  EXPECT_EQ(unaryOne(UnaryOp::Tanh, 0.0f), 0.0f);
  EXPECT_TRUE(std::isnan(unaryOne(UnaryOp::Tanh, kNaN)));
  EXPECT_TRUE(std::isnan(unaryOne(UnaryOp::Relu, kNaN)));
  EXPECT_EQ(unaryOne(UnaryOp::Relu, -kInf), 0.0f);
  EXPECT_EQ(unaryOne(UnaryOp::Relu, kInf), kInf);
  EXPECT_EQ(unaryOne(UnaryOp::Relu, -2.0f), 0.0f);
  EXPECT_TRUE(std::isnan(unaryOne(UnaryOp::Sqrt, -1.0f)));
  EXPECT_EQ(unaryOne(UnaryOp::Sqrt, kInf), kInf);
  EXPECT_TRUE(std::signbit(unaryOne(UnaryOp::Neg, 0.0f)));
  EXPECT_EQ(unaryOne(UnaryOp::Abs, -kInf), kInf);
}

TEST_P(ElementwiseTest, BinaryMatchesReference) {
  const BinaryOp Ops[] = {BinaryOp::Add, BinaryOp::Sub, BinaryOp::Mul,
                          BinaryOp::Div};
  std::mt19937 Rng(2);
  for (BinaryOp Op : Ops)
    for (std::size_t N : kSizes) {
      SCOPED_TRACE("op " + std::to_string(static_cast<int>(Op)) +
                   " N=" + std::to_string(N));
      const std::vector<float> A = randomInput(N, -5.0f, 5.0f, Rng);
      const std::vector<float> B = randomInput(N, -5.0f, 5.0f, Rng);
      std::vector<float> Out(N + kGuard, 3.0f), Ref(N + kGuard, 3.0f);
      binary(Op, A.data(), B.data(), Out.data(), N);
      binary_reference(Op, A.data(), B.data(), Ref.data(), N);
      expectAllClose(Out, Ref, A, 0.0);
      for (float S : {2.5f, -0.0f, kInf, kNaN}) {
        binary_scalar(Op, A.data(), S, Out.data(), N);
        binary_scalar_reference(Op, A.data(), S, Ref.data(), N);
        expectAllClose(Out, Ref, A, 0.0);
        scalar_binary(Op, S, B.data(), Out.data(), N);
        scalar_binary_reference(Op, S, B.data(), Ref.data(), N);
        expectAllClose(Out, Ref, B, 0.0);
      }
      // In place on either operand.
      std::vector<float> InPlace = A;
      binary(Op, InPlace.data(), B.data(), InPlace.data(), N);
      binary_reference(Op, A.data(), B.data(), Ref.data(), N);
      for (std::size_t I = 0; I < N; ++I)
        ASSERT_TRUE(close(InPlace[I], Ref[I], 0.0)) << I;
      InPlace = B;
      binary(Op, A.data(), InPlace.data(), InPlace.data(), N);
      for (std::size_t I = 0; I < N; ++I)
        ASSERT_TRUE(close(InPlace[I], Ref[I], 0.0)) << I;
    }
}

TEST_P(ElementwiseTest, PowMatchesStdPow) {
  // The fast paths (1, 2, 3, 0.5, -1) and the general path; integer powers
  // of negative bases are real, fractional ones NaN.
  const float Exponents[] = {1.0f, 2.0f, 3.0f,  0.5f, -1.0f,
                             0.0f, 4.0f, -2.0f, 1.5f, 2.5f};
  std::mt19937 Rng(3);
  for (float P : Exponents)
    for (std::size_t N : kSizes) {
      SCOPED_TRACE("P=" + std::to_string(P) + " N=" + std::to_string(N));
      const std::vector<float> X = randomInput(N, -10.0f, 10.0f, Rng);
      std::vector<float> Out(N + kGuard, 3.0f), Ref(N + kGuard, 3.0f);
      pow_scalar(X.data(), P, Out.data(), N);
      pow_scalar_reference(X.data(), P, Ref.data(), N);
      // powf itself is not always correctly rounded (glibc: < 1 ulp), and
      // x * x * x rounds twice: only the copy for P = 1 is exact.
      const double Tol = P == 1.0f ? 0.0 : 1e-6;
      expectAllClose(Out, Ref, X, Tol);
      std::vector<float> InPlace = X;
      pow_scalar(InPlace.data(), P, InPlace.data(), N);
      for (std::size_t I = 0; I < N; ++I)
        ASSERT_TRUE(close(InPlace[I], Ref[I], Tol)) << I;
    }
  std::vector<float> X = {-2.0f, -0.0f, -kInf, 0.0f, kNaN}, Out(5);
  pow_scalar(X.data(), 3.0f, Out.data(), 5);
  EXPECT_EQ(Out[0], -8.0f);
  EXPECT_EQ(Out[2], -kInf);
  pow_scalar(X.data(), 0.5f, Out.data(), 5);
  EXPECT_TRUE(std::isnan(Out[0]));
  EXPECT_FALSE(std::signbit(Out[1])); // pow(-0, 0.5) = +0, unlike sqrt
  EXPECT_EQ(Out[2], kInf);            // pow(-inf, 0.5) = +inf
  pow_scalar(X.data(), -1.0f, Out.data(), 5);
  EXPECT_EQ(Out[1], -kInf);
  EXPECT_EQ(Out[3], kInf);
  pow_scalar(X.data(), 0.0f, Out.data(), 5);
  EXPECT_EQ(Out[4], 1.0f); // pow(NaN, 0) = 1
  pow_scalar(X.data(), 1.5f, Out.data(), 5);
  EXPECT_TRUE(std::isnan(Out[0]));
}

TEST_P(ElementwiseTest, AxpyMatchesReference) {
  std::mt19937 Rng(4);
  for (std::size_t N : kSizes) {
    SCOPED_TRACE("N=" + std::to_string(N));
    std::vector<float> X = randomInput(N, -3.0f, 3.0f, Rng);
    std::vector<float> Y = randomInput(N + kGuard, -3.0f, 3.0f, Rng);
    std::vector<float> Ref = Y;
    axpy(N, -1.75f, X.data(), Y.data());
    axpy_reference(N, -1.75f, X.data(), Ref.data());
    for (std::size_t I = 0; I < N + kGuard; ++I) {
      // A fused multiply-add may round differently from the reference's
      // product and sum: compare relative to the addends.
      const double Tol =
          I < N ? 1e-6 * (std::fabs(Ref[I]) + 1.75 * std::fabs(X[I])) : 0.0;
      ASSERT_TRUE(close(Y[I], Ref[I], 0.0) ||
                  std::fabs(static_cast<double>(Y[I]) - Ref[I]) <= Tol)
          << I << ": " << Y[I] << " vs " << Ref[I];
    }
  }
}

TEST_P(ElementwiseTest, SumMatchesReference) {
  std::mt19937 Rng(5);
  std::uniform_real_distribution<float> Dist(-1.0f, 1.0f);
  for (std::size_t N : {std::size_t{0}, std::size_t{1}, std::size_t{3},
                        std::size_t{17}, std::size_t{33}, std::size_t{1000},
                        std::size_t{4097}, std::size_t{1} << 20}) {
    std::vector<float> X(N);
    double Magnitude = 0;
    for (float &V : X) {
      V = Dist(Rng);
      Magnitude += std::fabs(V);
    }
    EXPECT_NEAR(sum(X.data(), N), sum_reference(X.data(), N),
                1e-6 * Magnitude + 1e-6)
        << N;
  }
  const float Mixed[] = {1.0f, kInf, 2.0f};
  EXPECT_EQ(sum(Mixed, 3), kInf);
  const float WithNaN[] = {1.0f, kNaN, 2.0f, 3.0f, 4.0f};
  EXPECT_TRUE(std::isnan(sum(WithNaN, 5)));
  EXPECT_EQ(sum(nullptr, 0), 0.0f);
}

} // namespace
