//===- bce_test.cpp - Binary cross-entropy with logits kernels -----------===//
//
// Hand-computed values, limits at large and infinite logits, positive-weight
// broadcasting, and the SIMD kernels against their scalar references on every
// instruction set Highway compiled that this machine supports.
//
//===----------------------------------------------------------------------===//

#include "runtime/kernels/kernels.h"

#include <gtest/gtest.h>
#include <hwy/targets.h>

#include <algorithm>
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
const std::size_t kSizes[] = {0, 1, 2, 3, 7, 15, 16, 17, 31, 33, 1000, 4097};

/// Loss and gradient of one element by the formula of kernels.h, in double.
struct Exact {
  double Loss, Grad;
};
Exact exactBce(double Z, double Y, double P) {
  const double W = 1 + (P - 1) * Y;
  const double Sigmoid = 1 / (1 + std::exp(-Z));
  return {(1 - Y) * Z +
              W * (std::log1p(std::exp(-std::fabs(Z))) + std::max(-Z, 0.0)),
          (1 - Y) - W * (1 - Sigmoid)};
}

/// Values agree when both are NaN, equal (infinities included), or within
/// Tol.
::testing::AssertionResult agree(double Actual, double Expected, double Tol) {
  if ((std::isnan(Actual) && std::isnan(Expected)) || Actual == Expected ||
      std::fabs(Actual - Expected) <= Tol)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "got " << Actual << ", expected " << Expected << " (tolerance "
         << Tol << ")";
}

/// Each test runs once per instruction set, named after it.
class BceTest : public ::testing::TestWithParam<std::int64_t> {
protected:
  void SetUp() override { hwy::SetSupportedTargetsForTest(GetParam()); }
  void TearDown() override { hwy::SetSupportedTargetsForTest(0); }
};

INSTANTIATE_TEST_SUITE_P(
    Targets, BceTest, ::testing::ValuesIn(hwy::SupportedAndGeneratedTargets()),
    [](const ::testing::TestParamInfo<std::int64_t> &Info) {
      return std::string(hwy::TargetName(Info.param));
    });

TEST_P(BceTest, MatchesPyTorchOnHandComputedValues) {
  // With zero targets the loss is softplus(z): the mean of
  // log(1 + exp(z)) over these logits is 2.7087946.
  const float Z[] = {4.7292f, -1.0159f, 3.0323f};
  const float Y[] = {0.0f, 0.0f, 0.0f};
  float DZ[3];
  const double Sum =
      bce_with_logits_forward_backward(Z, Y, nullptr, 1, 3, 1.0f / 3, DZ);
  EXPECT_NEAR(Sum / 3, 2.7087946, 1e-6);
  for (int I = 0; I < 3; ++I) {
    const Exact E = exactBce(Z[I], 0.0, 1.0);
    EXPECT_NEAR(DZ[I], E.Grad / 3, 1e-7) << I;
  }
  double ExactSum = 0;
  for (float X : Z)
    ExactSum += exactBce(X, 0.0, 1.0).Loss;
  EXPECT_NEAR(Sum, ExactSum, 1e-6 * ExactSum);
}

TEST_P(BceTest, WeightsPositiveTermsByPeriodicPosWeight) {
  const float Z[] = {0.5f, -2.0f, 3.0f, -0.25f, 1.5f, 8.0f, -7.0f};
  const float Y[] = {1.0f, 0.3f, 0.0f, 1.0f, 0.7f, 1.0f, 1.0f};
  const float PosWeight[] = {2.0f, 0.5f, 3.0f};
  constexpr std::size_t N = 7;
  float Loss[N], DZ[N];
  bce_with_logits_elementwise(Z, Y, PosWeight, 3, N, Loss);
  const double Sum =
      bce_with_logits_forward_backward(Z, Y, PosWeight, 3, N, 0.5f, DZ);
  double ExactSum = 0;
  for (std::size_t I = 0; I < N; ++I) {
    const Exact E = exactBce(Z[I], Y[I], PosWeight[I % 3]);
    EXPECT_NEAR(Loss[I], E.Loss, 1e-6 * std::fabs(E.Loss) + 1e-7) << I;
    EXPECT_NEAR(DZ[I], 0.5 * E.Grad, 1e-6) << I;
    ExactSum += E.Loss;
  }
  EXPECT_NEAR(Sum, ExactSum, 1e-6 * ExactSum);
}

TEST_P(BceTest, LargeLogitsReachTheirLimits) {
  const float Z[] = {1e4f, 1e4f, 1e4f, -1e4f, -1e4f, -1e4f};
  const float Y[] = {0.0f, 0.3f, 1.0f, 0.0f, 0.3f, 1.0f};
  const float Loss[] = {1e4f, 7e3f, 0.0f, 0.0f, 3e3f, 1e4f};
  const float Grad[] = {1.0f, 0.7f, 0.0f, 0.0f, -0.3f, -1.0f};
  float Out[6], DZ[6];
  bce_with_logits_elementwise(Z, Y, nullptr, 1, 6, Out);
  bce_with_logits_forward_backward(Z, Y, nullptr, 1, 6, 1.0f, DZ);
  for (int I = 0; I < 6; ++I) {
    EXPECT_NEAR(Out[I], Loss[I], 1e-3f) << I;
    EXPECT_NEAR(DZ[I], Grad[I], 1e-6f) << I;
  }
}

TEST_P(BceTest, NonFiniteInputsFollowTheFormula) {
  // Every pair of special logit and target, through both the SIMD kernels and
  // the references; NaN logits must give NaN losses and gradients.
  const float Specials[] = {kInf, -kInf, kNaN, 1e4f, -1e4f, 0.0f, -0.0f, 90.0f};
  const float Targets[] = {0.0f, 0.3f, 1.0f};
  std::vector<float> Z, Y;
  for (float S : Specials)
    for (float T : Targets) {
      Z.push_back(S);
      Y.push_back(T);
    }
  const std::size_t N = Z.size();
  std::vector<float> Loss(N), LossRef(N), DZ(N), DZRef(N);
  bce_with_logits_elementwise(Z.data(), Y.data(), nullptr, 1, N, Loss.data());
  bce_with_logits_elementwise_reference(Z.data(), Y.data(), nullptr, 1, N,
                                        LossRef.data());
  bce_with_logits_forward_backward(Z.data(), Y.data(), nullptr, 1, N, 1.0f,
                                   DZ.data());
  bce_with_logits_forward_backward_reference(Z.data(), Y.data(), nullptr, 1, N,
                                             1.0f, DZRef.data());
  for (std::size_t I = 0; I < N; ++I) {
    SCOPED_TRACE("z=" + std::to_string(Z[I]) + " y=" + std::to_string(Y[I]));
    EXPECT_TRUE(
        agree(Loss[I], LossRef[I], 1e-6 * std::fabs(LossRef[I]) + 1e-37));
    EXPECT_TRUE(agree(DZ[I], DZRef[I], 1e-6));
    if (std::isnan(Z[I])) {
      EXPECT_TRUE(std::isnan(Loss[I]));
      EXPECT_TRUE(std::isnan(DZ[I]));
    }
    if (std::isfinite(Z[I])) {
      EXPECT_TRUE(std::isfinite(Loss[I]) && std::isfinite(DZ[I]));
    }
  }
  // sigmoid saturates: an infinite logit gives an exact gradient.
  EXPECT_EQ(DZ[0], 1.0f);      // z = +inf, y = 0
  EXPECT_EQ(DZ[3 + 2], -1.0f); // z = -inf, y = 1
  EXPECT_EQ(Loss[0], kInf);
}

/// Random logits and targets, with targets of exactly 0 and 1 mixed in.
void randomInputs(std::size_t N, std::mt19937 &Rng, std::vector<float> &Z,
                  std::vector<float> &Y) {
  std::uniform_real_distribution<float> Logit(-30.0f, 30.0f);
  std::uniform_real_distribution<float> Unit(0.0f, 1.0f);
  Z.resize(N);
  Y.resize(N);
  for (std::size_t I = 0; I < N; ++I) {
    Z[I] = I % 5 == 4 ? Logit(Rng) / 30 : Logit(Rng);
    const float U = Unit(Rng);
    Y[I] = I % 3 == 0 ? U : (U < 0.5f ? 0.0f : 1.0f);
  }
}

/// Compares per-element results with tolerances relative to Magnitude(I),
/// the size of the terms the kernel adds for element I (float cancellation
/// between them is part of the formula), and checks that nothing past N was
/// written.
template <class Fn>
void expectElementsMatch(const std::vector<float> &Actual,
                         const std::vector<float> &Expected, std::size_t N,
                         Fn Magnitude) {
  for (std::size_t I = 0; I < N; ++I)
    ASSERT_TRUE(agree(Actual[I], Expected[I], 2e-6 * Magnitude(I) + 1e-37))
        << "element " << I << " of " << N;
  for (std::size_t I = N; I < Actual.size(); ++I)
    ASSERT_EQ(Actual[I], Expected[I]) << "wrote past the end at " << I;
}

TEST_P(BceTest, MatchesReferenceForAllSizesAndWeightPeriods) {
  std::mt19937 Rng(42);
  for (std::size_t N : kSizes) {
    std::vector<float> Z, Y;
    randomInputs(N, Rng, Z, Y);
    // Periods: none, broadcast scalar, short (tiled), long and not a
    // multiple of any vector length, and the whole row (read in place).
    for (std::size_t Period : {std::size_t{0}, std::size_t{1}, std::size_t{3},
                               std::size_t{37}, std::max<std::size_t>(N, 1)}) {
      SCOPED_TRACE("N=" + std::to_string(N) +
                   " period=" + std::to_string(Period));
      std::vector<float> PosWeight(std::max<std::size_t>(Period, 1));
      for (std::size_t I = 0; I < PosWeight.size(); ++I)
        PosWeight[I] = 0.25f + 0.5f * static_cast<float>(I % 7);
      const float *PW = Period ? PosWeight.data() : nullptr;
      const std::size_t Guard = 19;

      std::vector<float> Out(N + Guard, -7.0f), OutRef(N + Guard, -7.0f);
      bce_with_logits_elementwise(Z.data(), Y.data(), PW, Period, N,
                                  Out.data());
      bce_with_logits_elementwise_reference(Z.data(), Y.data(), PW, Period, N,
                                            OutRef.data());
      expectElementsMatch(Out, OutRef, N, [&](std::size_t I) {
        return std::fabs(OutRef[I]) + std::fabs((1 - Y[I]) * Z[I]);
      });

      // The sums may differ by the elements' tolerances added up.
      double SumTol = 1e-12;
      for (std::size_t I = 0; I < N; ++I)
        SumTol += 2e-6 * (std::fabs(OutRef[I]) + std::fabs((1 - Y[I]) * Z[I]));
      EXPECT_NEAR(
          bce_with_logits_sum(Z.data(), Y.data(), PW, Period, N),
          bce_with_logits_sum_reference(Z.data(), Y.data(), PW, Period, N),
          SumTol);

      std::vector<float> DZ(N + Guard, -7.0f), DZRef(N + Guard, -7.0f);
      const double Sum = bce_with_logits_forward_backward(
          Z.data(), Y.data(), PW, Period, N, 0.125f, DZ.data());
      const double SumRef = bce_with_logits_forward_backward_reference(
          Z.data(), Y.data(), PW, Period, N, 0.125f, DZRef.data());
      EXPECT_NEAR(Sum, SumRef, SumTol);
      expectElementsMatch(DZ, DZRef, N, [&](std::size_t I) {
        return std::fabs(DZRef[I]) + 0.125 * (1 - Y[I]);
      });

      // Backward accumulates into DZ, with a scale or an upstream gradient.
      std::vector<float> Upstream(N);
      for (std::size_t I = 0; I < N; ++I)
        Upstream[I] = 1.0f - 0.01f * static_cast<float>(I % 200);
      for (const float *Up : {static_cast<const float *>(nullptr),
                              static_cast<const float *>(Upstream.data())}) {
        std::vector<float> Acc(N + Guard, 0.5f), AccRef(N + Guard, 0.5f);
        bce_with_logits_backward(Z.data(), Y.data(), PW, Period, N, Up, 3.0f,
                                 Acc.data());
        bce_with_logits_backward_reference(Z.data(), Y.data(), PW, Period, N,
                                           Up, 3.0f, AccRef.data());
        // The gradient term is at most 1 + weight, times its factor.
        expectElementsMatch(Acc, AccRef, N, [&](std::size_t I) {
          const double W = PW ? PW[I % Period] : 1.0;
          return 0.5 + (Up ? std::fabs(Up[I]) : 3.0) * (1 + W);
        });
      }
    }
  }
}

TEST(BceSum, SixteenMillionElementsAccurate) {
  // Float accumulation would lose about 3 digits here.
  constexpr std::size_t N = std::size_t{1} << 24;
  std::vector<float> Z(N), Y(N);
  std::mt19937 Rng(7);
  std::uniform_real_distribution<float> Logit(-4.0f, 4.0f);
  for (std::size_t I = 0; I < N; ++I) {
    Z[I] = Logit(Rng);
    Y[I] = static_cast<float>(I & 1);
  }
  const double Sum = bce_with_logits_sum(Z.data(), Y.data(), nullptr, 1, N);
  const double Ref =
      bce_with_logits_sum_reference(Z.data(), Y.data(), nullptr, 1, N);
  EXPECT_NEAR(Sum, Ref, 1e-6 * Ref);
}

} // namespace
