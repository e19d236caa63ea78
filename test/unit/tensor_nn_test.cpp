//===- tensor_nn_test.cpp - Softmax and losses ----------------------------===//

#include "tensor_test_util.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace {

using namespace adjoint;
using adjoint::testing::expectClose;
using adjoint::testing::ramp;
using adjoint::testing::unravel;

/// Naive softmax (or log-softmax) of X along D, in double.
std::vector<double> naiveSoftmax(const Tensor &X, std::int64_t D, bool Log) {
  const Shape &S = X.shape();
  std::vector<double> R(X.numel());
  for (std::int64_t I = 0; I < X.numel(); ++I) {
    std::vector<std::int64_t> Index = unravel(I, S);
    double Max = -INFINITY, Sum = 0;
    std::int64_t Stride = 1;
    for (std::size_t K = D + 1; K < S.size(); ++K)
      Stride *= S[K];
    std::int64_t Base = I - Index[D] * Stride;
    for (std::int64_t K = 0; K < S[D]; ++K)
      Max = std::max<double>(Max, X.data()[Base + K * Stride]);
    for (std::int64_t K = 0; K < S[D]; ++K)
      Sum += std::exp(X.data()[Base + K * Stride] - Max);
    double V = X.data()[I] - Max;
    R[I] = Log ? V - std::log(Sum) : std::exp(V) / Sum;
  }
  return R;
}

TEST(TensorNN, SoftmaxAlongEveryDimension) {
  for (Shape S : {Shape{5}, Shape{3, 17}, Shape{2, 3, 4}, Shape{4, 1}}) {
    Tensor X = ramp(S, -5.0f, 10.0f);
    for (std::int64_t D = 0; D < static_cast<std::int64_t>(S.size()); ++D) {
      expectClose(softmax(X, D), S, naiveSoftmax(X, D, false), 1e-5);
      expectClose(log_softmax(X, D - static_cast<std::int64_t>(S.size())), S,
                  naiveSoftmax(X, D, true), 1e-5);
    }
  }
  expectClose(softmax(tensor(3.0f), 0), {}, {1});
  EXPECT_THROW(softmax(ones({2}), 1), std::out_of_range);
}

TEST(TensorNN, SoftmaxIsStableForLargeLogits) {
  Tensor X = tensor({1000, 1001, 1002});
  expectClose(softmax(X, 0), {3}, naiveSoftmax(X, 0, false), 1e-6);
  expectClose(log_softmax(X, 0), {3}, naiveSoftmax(X, 0, true), 1e-6);
  expectClose(log_softmax(tensor({-1000, 0}), 0), {2}, {-1000, 0});
  float NaN = std::numeric_limits<float>::quiet_NaN();
  expectClose(softmax(tensor({{NaN, 1}, {0, 0}}), 1), {2, 2},
              {NAN, NAN, 0.5, 0.5});
}

double softplus(double X) {
  return std::log1p(std::exp(-std::fabs(X))) + std::max(X, 0.0);
}

/// PyTorch's BCE-with-logits loss of one element with positive weight P.
double naiveBce(double Z, double Y, double P) {
  return (1 - Y) * Z + (1 + (P - 1) * Y) * softplus(-Z);
}

TEST(TensorNN, BinaryCrossEntropyWithLogitsMatchesTheFormula) {
  for (std::int64_t N : {1, 3, 17, 100}) {
    Tensor Z = ramp({N, 3}, -6.0f, 12.0f, 1);
    Tensor Y = ramp({N, 3}, 0.0f, 1.0f, 2);
    Tensor W = tensor({0.5, 1.0, 3.0});
    std::vector<double> Plain, Weighted;
    double SumPlain = 0, SumWeighted = 0;
    for (std::int64_t I = 0; I < 3 * N; ++I) {
      Plain.push_back(naiveBce(Z.data()[I], Y.data()[I], 1.0));
      Weighted.push_back(naiveBce(Z.data()[I], Y.data()[I], W.data()[I % 3]));
      SumPlain += Plain.back();
      SumWeighted += Weighted.back();
    }
    expectClose(binary_cross_entropy_with_logits(Z, Y, Reduction::None), {N, 3},
                Plain, 1e-5);
    expectClose(binary_cross_entropy_with_logits(Z, Y, Reduction::Sum), {},
                {SumPlain}, 1e-5);
    expectClose(binary_cross_entropy_with_logits(Z, Y), {},
                {SumPlain / (3 * N)}, 1e-5);
    expectClose(binary_cross_entropy_with_logits(Z, Y, Reduction::None, W),
                {N, 3}, Weighted, 1e-5);
    expectClose(binary_cross_entropy_with_logits(Z, Y, Reduction::Mean,
                                                 W.reshape({1, 3})),
                {}, {SumWeighted / (3 * N)}, 1e-5);
  }
}

TEST(TensorNN, BinaryCrossEntropyExpandsColumnWeights) {
  Tensor Z = ramp({2, 3}, -2.0f, 4.0f), Y = ramp({2, 3}, 0.0f, 1.0f, 5);
  Tensor W = tensor({{2}, {0.5}});
  std::vector<double> Ref;
  for (std::int64_t I = 0; I < 6; ++I)
    Ref.push_back(naiveBce(Z.data()[I], Y.data()[I], W.data()[I / 3]));
  expectClose(binary_cross_entropy_with_logits(Z, Y, Reduction::None, W),
              {2, 3}, Ref, 1e-5);
  EXPECT_THROW(
      binary_cross_entropy_with_logits(Z, Y, Reduction::None, ones({2})),
      std::invalid_argument);
}

TEST(TensorNN, BinaryCrossEntropyOfTheTutorial) {
  Tensor Z = tensor({4.7292, -1.0159, 3.0323});
  Tensor Loss = binary_cross_entropy_with_logits(Z, zeros({3}));
  double Ref = (softplus(4.7292) + softplus(-1.0159) + softplus(3.0323)) / 3;
  expectClose(Loss, {}, {Ref}, 1e-6);
  // Large logits stay finite.
  expectClose(binary_cross_entropy_with_logits(tensor({100, -100}),
                                               tensor({0, 1}), Reduction::None),
              {2}, {100, 100});
  try {
    binary_cross_entropy_with_logits(zeros({4}), zeros({3}));
    FAIL();
  } catch (const std::invalid_argument &E) {
    EXPECT_STREQ(E.what(), "binary_cross_entropy_with_logits: target shape "
                           "[3] must match input shape [4]");
  }
  expectClose(binary_cross_entropy_with_logits(zeros({0}), zeros({0})), {},
              {NAN});
}

TEST(TensorNN, MeanSquaredError) {
  Tensor A = tensor({{1, 2}, {3, 4}}), B = tensor({{0, 2}, {5, 4}});
  expectClose(mse_loss(A, B, Reduction::None), {2, 2}, {1, 0, 4, 0});
  expectClose(mse_loss(A, B, Reduction::Sum), {}, {5});
  expectClose(mse_loss(A, B), {}, {1.25});
  expectClose(mse_loss(A, tensor({1, 2})), {}, {(0 + 0 + 4 + 4) / 4.0});
  EXPECT_THROW(mse_loss(A, ones({3})), std::invalid_argument);
}

TEST(TensorNN, CrossEntropyWithClassIndices) {
  Tensor Logits = ramp({4, 5}, -2.0f, 4.0f);
  std::vector<std::int64_t> Classes = {0, 4, 2, 2};
  std::vector<double> LogP = naiveSoftmax(Logits, 1, true), Ref;
  double Sum = 0;
  for (std::int64_t I = 0; I < 4; ++I) {
    Ref.push_back(-LogP[I * 5 + Classes[I]]);
    Sum += Ref.back();
  }
  expectClose(cross_entropy(Logits, Classes, Reduction::None), {4}, Ref, 1e-5);
  expectClose(cross_entropy(Logits, Classes, Reduction::Sum), {}, {Sum}, 1e-5);
  expectClose(cross_entropy(Logits, tensor({0, 4, 2, 2})), {}, {Sum / 4}, 1e-5);
  // -100 is ignored and left out of the mean.
  expectClose(cross_entropy(Logits, tensor({0, -100, 2, 2})), {},
              {(Sum - Ref[1]) / 3}, 1e-5);
  // Unbatched logits take a 0-D target.
  Tensor Row = tensor({1, 2, 3});
  expectClose(cross_entropy(Row, tensor(2.0f)), {},
              {-naiveSoftmax(Row, 0, true)[2]}, 1e-6);
  expectClose(cross_entropy(Row, std::vector<std::int64_t>{2}), {},
              {-naiveSoftmax(Row, 0, true)[2]}, 1e-6);
  EXPECT_THROW(cross_entropy(Logits, tensor({0, 5, 1, 1})), std::out_of_range);
  EXPECT_THROW(cross_entropy(Logits, tensor({0, 0.5, 1, 1})),
               std::invalid_argument);
  EXPECT_THROW(cross_entropy(Logits, tensor({0, 1})), std::invalid_argument);
}

TEST(TensorNN, CrossEntropyWithClassProbabilities) {
  Tensor Logits = tensor({{1, 2, 3}, {1, 1, 1}});
  Tensor Probs = tensor({{0.5, 0.5, 0}, {0, 0, 1}});
  std::vector<double> LogP = naiveSoftmax(Logits, 1, true);
  double L0 = -(0.5 * LogP[0] + 0.5 * LogP[1]), L1 = -LogP[5];
  expectClose(cross_entropy(Logits, Probs, Reduction::None), {2}, {L0, L1},
              1e-6);
  expectClose(cross_entropy(Logits, Probs), {}, {(L0 + L1) / 2}, 1e-6);
}

} // namespace
