//===- tensor_ops_test.cpp - Arithmetic, reductions, matmul, shapes -------===//
//
// The SIMD-backed operations against naive index loops, over shapes with 1s,
// primes, sizes that are not multiples of the vector width, and empty ones.
//
//===----------------------------------------------------------------------===//

#include "tensor_test_util.h"

#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>

namespace {

using namespace adjoint;
using adjoint::testing::broadcastFlat;
using adjoint::testing::expectClose;
using adjoint::testing::ramp;
using adjoint::testing::unravel;

/// Expects Fn to throw E with exactly \p Message.
template <class E, class F>
void expectMessage(F Fn, const std::string &Message) {
  try {
    Fn();
    ADD_FAILURE() << "no exception, expected: " << Message;
  } catch (const E &Error) {
    EXPECT_EQ(std::string(Error.what()), Message);
  }
}

//===--- Broadcasting arithmetic
//-------------------------------------------===//

struct ShapePair {
  Shape A, B, Out;
};

class BroadcastTest : public ::testing::TestWithParam<ShapePair> {};

TEST_P(BroadcastTest, MatchesNaiveLoops) {
  const ShapePair &P = GetParam();
  Tensor A = ramp(P.A, -3.0f, 6.0f, 1);
  Tensor B = ramp(P.B, 0.5f, 3.0f, 2); // Positive: safe divisor.
  using Fn = std::function<double(double, double)>;
  struct Case {
    Tensor Got;
    Fn Ref;
  };
  Case Cases[] = {
      {A + B, [](double X, double Y) { return X + Y; }},
      {A - B, [](double X, double Y) { return X - Y; }},
      {A * B, [](double X, double Y) { return X * Y; }},
      {A / B, [](double X, double Y) { return X / Y; }},
      {add(A, B), [](double X, double Y) { return X + Y; }},
  };
  for (const Case &C : Cases) {
    std::vector<double> Expected;
    for (std::int64_t I = 0; I < P.Out.numel(); ++I) {
      std::vector<std::int64_t> Index = unravel(I, P.Out);
      Expected.push_back(C.Ref(A.data()[broadcastFlat(Index, P.A)],
                               B.data()[broadcastFlat(Index, P.B)]));
    }
    expectClose(C.Got, P.Out, Expected, 1e-6);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, BroadcastTest,
    ::testing::Values(ShapePair{{3, 1}, {1, 4}, {3, 4}},
                      ShapePair{{5}, {2, 5}, {2, 5}}, ShapePair{{}, {3}, {3}},
                      ShapePair{{3}, {}, {3}}, ShapePair{{}, {}, {}},
                      ShapePair{{1}, {17}, {17}}, ShapePair{{31}, {31}, {31}},
                      ShapePair{{7, 13}, {13}, {7, 13}},
                      ShapePair{{7, 13}, {7, 1}, {7, 13}},
                      ShapePair{{2, 3, 4}, {3, 1}, {2, 3, 4}},
                      ShapePair{{2, 1, 3}, {4, 1}, {2, 4, 3}},
                      ShapePair{{4, 1, 1, 3}, {1, 5, 2, 1}, {4, 5, 2, 3}},
                      ShapePair{{1, 1}, {1}, {1, 1}}, ShapePair{{0}, {1}, {0}},
                      ShapePair{{2, 0}, {2, 1}, {2, 0}},
                      ShapePair{{37, 19}, {37, 19}, {37, 19}}));

TEST(TensorOps, IncompatibleShapesNameTheOpAndBothShapes) {
  expectMessage<std::invalid_argument>(
      [] {
        add(zeros({2, 3}), zeros({4}));
      },
      "add: shapes [2, 3] and [4] are not broadcastable");
  expectMessage<std::invalid_argument>(
      [] { zeros({2}) * zeros({3}); },
      "mul: shapes [2] and [3] are not broadcastable");
  EXPECT_THROW(zeros({2}) - zeros({3}), std::invalid_argument);
  EXPECT_THROW(zeros({2}) / zeros({3}), std::invalid_argument);
}

TEST(TensorOps, ScalarsOnEitherSide) {
  Tensor T = tensor({1, 2, 4});
  expectClose(T + 1, {3}, {2, 3, 5});
  expectClose(1.5 + T, {3}, {2.5, 3.5, 5.5});
  expectClose(T - 1.0f, {3}, {0, 1, 3});
  expectClose(10 - T, {3}, {9, 8, 6});
  expectClose(T * 2, {3}, {2, 4, 8});
  expectClose(0.5 * T, {3}, {0.5, 1, 2});
  expectClose(T / 2, {3}, {0.5, 1, 2});
  expectClose(8 / T, {3}, {8, 4, 2});
  expectClose(-T, {3}, {-1, -2, -4});
  expectClose(sub(1.0f, T), {3}, {0, -1, -3});
  expectClose(div(T, 4.0f), {3}, {0.25, 0.5, 1});
}

TEST(TensorOps, NaNAndInfinityPropagate) {
  float NaN = std::numeric_limits<float>::quiet_NaN();
  float Inf = std::numeric_limits<float>::infinity();
  Tensor T = tensor({NaN, Inf, 1});
  expectClose(T + 1, {3}, {NAN, INFINITY, 2});
  expectClose(T * 0, {3}, {NAN, NAN, 0});
  expectClose(exp(T), {3}, {NAN, INFINITY, std::exp(1.0)});
  expectClose(1 / tensor({0.0f}), {1}, {INFINITY});
}

//===--- Elementwise functions
//---------------------------------------------===//

class UnaryTest : public ::testing::TestWithParam<std::int64_t> {};

TEST_P(UnaryTest, MatchesTheStandardLibrary) {
  std::int64_t N = GetParam();
  Tensor X = ramp({N}, -4.0f, 8.0f);
  Tensor Pos = ramp({N}, 0.01f, 5.0f);
  struct Case {
    Tensor Got;
    const Tensor &In;
    std::function<double(double)> Ref;
  };
  Case Cases[] = {
      {exp(X), X, [](double V) { return std::exp(V); }},
      {log(Pos), Pos, [](double V) { return std::log(V); }},
      {sqrt(Pos), Pos, [](double V) { return std::sqrt(V); }},
      {abs(X), X, [](double V) { return std::fabs(V); }},
      {sigmoid(X), X, [](double V) { return 1 / (1 + std::exp(-V)); }},
      {tanh(X), X, [](double V) { return std::tanh(V); }},
      {relu(X), X, [](double V) { return V > 0 ? V : 0; }},
      {neg(X), X, [](double V) { return -V; }},
      {pow(X, 2), X, [](double V) { return V * V; }},
      {pow(X, 3.0), X, [](double V) { return V * V * V; }},
      {X.pow(-1), X, [](double V) { return 1 / V; }},
      {pow(Pos, 0.5), Pos, [](double V) { return std::sqrt(V); }},
      {pow(Pos, 1.7), Pos, [](double V) { return std::pow(V, 1.7); }},
  };
  for (const Case &C : Cases) {
    std::vector<double> Expected;
    for (std::int64_t I = 0; I < N; ++I)
      Expected.push_back(C.Ref(C.In.data()[I]));
    expectClose(C.Got, {N}, Expected, 4e-6);
  }
}

INSTANTIATE_TEST_SUITE_P(Sizes, UnaryTest,
                         ::testing::Values(0, 1, 2, 15, 16, 17, 31, 97, 1000));

//===--- Reductions
//--------------------------------------------------------===//

TEST(TensorOps, FullReductions) {
  for (std::int64_t N : {0, 1, 7, 16, 33, 1001}) {
    Tensor X = ramp({N});
    double Ref = 0;
    for (std::int64_t I = 0; I < N; ++I)
      Ref += X.data()[I];
    expectClose(sum(X), {}, {Ref}, 1e-5);
    expectClose(X.sum(), {}, {Ref}, 1e-5);
    expectClose(mean(X), {}, {N ? Ref / N : NAN}, 1e-5);
  }
  expectClose(tensor({{1, 2}, {3, 4}}).mean(), {}, {2.5});
}

TEST(TensorOps, ReductionsAlongADimension) {
  Shape S = {2, 3, 5};
  Tensor X = ramp(S);
  for (std::int64_t D = 0; D < 3; ++D) {
    for (bool Keep : {false, true}) {
      Shape Out;
      for (std::int64_t I = 0; I < 3; ++I)
        if (I != D || Keep)
          Out.push_back(I == D ? 1 : S[I]);
      // The kept-dimension shape has the result's layout.
      Shape Kept = S;
      Kept[D] = 1;
      std::vector<double> Ref(Out.numel(), 0.0);
      for (std::int64_t I = 0; I < X.numel(); ++I)
        Ref[broadcastFlat(unravel(I, S), Kept)] += X.data()[I];
      expectClose(sum(X, D, Keep), Out, Ref, 1e-5);
      expectClose(X.sum(D - 3, Keep), Out, Ref, 1e-5);
      for (double &V : Ref)
        V /= S[D];
      expectClose(mean(X, D, Keep), Out, Ref, 1e-5);
      expectClose(X.mean(D, Keep), Out, Ref, 1e-5);
    }
  }
  expectClose(sum(tensor(3.0f), 0), {}, {3});
  expectClose(mean(zeros({2, 0}), 1), {2}, {NAN, NAN});
  expectClose(sum(zeros({2, 0}), 1), {2}, {0, 0});
  expectMessage<std::out_of_range>(
      [] {
        sum(zeros({2, 3}), 2);
      },
      "sum: dimension out of range (expected to be in range of [-2, 1], but "
      "got 2)");
}

TEST(TensorOps, SumToReducesBroadcastDimensions) {
  Tensor X = ramp({2, 3, 4});
  expectClose(sum_to(X, {2, 3, 4}), {2, 3, 4},
              std::vector<double>(X.data(), X.data() + 24));
  for (Shape Target : {Shape{3, 1}, Shape{1, 4}, Shape{4}, Shape{}, Shape{1},
                       Shape{2, 1, 1}, Shape{2, 1, 4}}) {
    std::vector<double> Ref(Target.numel(), 0.0);
    for (std::int64_t I = 0; I < 24; ++I)
      Ref[broadcastFlat(unravel(I, X.shape()), Target)] += X.data()[I];
    expectClose(sum_to(X, Target), Target, Ref, 1e-5);
  }
  EXPECT_THROW(sum_to(X, {5}), std::invalid_argument);
}

//===--- Matrix products
//---------------------------------------------------===//

/// Naive matmul over 2-D slices with PyTorch's 1-D promotion and batching.
std::vector<double> naiveMatmul(const Tensor &A, const Tensor &B,
                                const Shape &Out) {
  const Shape &SA = A.shape(), &SB = B.shape();
  std::int64_t M = SA.size() == 1 ? 1 : SA[SA.size() - 2];
  std::int64_t K = SA[SA.size() - 1];
  std::int64_t N = SB.size() == 1 ? 1 : SB[SB.size() - 1];
  Shape BA, BB, BO;
  for (std::size_t I = 0; I + 2 < SA.size(); ++I)
    BA.push_back(SA[I]);
  for (std::size_t I = 0; I + 2 < SB.size(); ++I)
    BB.push_back(SB[I]);
  std::size_t BatchRank = std::max(BA.size(), BB.size());
  for (std::size_t I = 0; I < BatchRank; ++I)
    BO.push_back(Out[I]);
  std::vector<double> R;
  for (std::int64_t Bt = 0; Bt < BO.numel(); ++Bt) {
    std::vector<std::int64_t> Index = unravel(Bt, BO);
    std::int64_t OA = broadcastFlat(Index, BA), OB = broadcastFlat(Index, BB);
    for (std::int64_t I = 0; I < M; ++I)
      for (std::int64_t J = 0; J < N; ++J) {
        double Acc = 0;
        for (std::int64_t L = 0; L < K; ++L)
          Acc += double(A.data()[(OA * M + I) * K + L]) *
                 B.data()[(OB * K + L) * N + J];
        R.push_back(Acc);
      }
  }
  return R;
}

class MatmulTest : public ::testing::TestWithParam<ShapePair> {};

TEST_P(MatmulTest, MatchesNaiveLoops) {
  const ShapePair &P = GetParam();
  Tensor A = ramp(P.A, -1.0f, 2.0f, 3), B = ramp(P.B, -1.0f, 2.0f, 4);
  Tensor C = matmul(A, B);
  expectClose(C, P.Out, naiveMatmul(A, B, P.Out), 1e-5);
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, MatmulTest,
    ::testing::Values(
        ShapePair{{5}, {5}, {}}, ShapePair{{5}, {5, 3}, {3}},
        ShapePair{{4, 5}, {5}, {4}}, ShapePair{{4, 5}, {5, 3}, {4, 3}},
        ShapePair{{1, 1}, {1, 1}, {1, 1}},
        ShapePair{{17, 31}, {31, 13}, {17, 13}},
        ShapePair{{33, 65}, {65, 47}, {33, 47}},
        ShapePair{{2, 4, 5}, {5, 3}, {2, 4, 3}},
        ShapePair{{2, 4, 5}, {2, 5, 3}, {2, 4, 3}},
        ShapePair{{1, 4, 5}, {3, 5, 2}, {3, 4, 2}},
        ShapePair{{2, 1, 4, 5}, {3, 5, 2}, {2, 3, 4, 2}},
        ShapePair{{5}, {2, 5, 3}, {2, 3}}, ShapePair{{2, 4, 5}, {5}, {2, 4}},
        ShapePair{{3, 0}, {0, 2}, {3, 2}}, ShapePair{{0, 3}, {3, 2}, {0, 2}}));

TEST(TensorOps, TutorialForwardPass) {
  Tensor X = ones({5});
  Tensor W = tensor({{1.0608, 0.7298, 0.4350},
                     {1.2540, 0.8134, -0.0866},
                     {2.0024, 0.6946, -0.5081},
                     {1.2296, -2.0610, 0.3715},
                     {-0.0478, -1.6524, 0.5759}});
  Tensor B = tensor({-0.7699, 0.4597, 2.2447});
  Tensor Z = matmul(X, W) + B;
  expectClose(Z, {3}, {4.7291, -1.0159, 3.0324}, 1e-5);
}

TEST(TensorOps, MatmulErrors) {
  expectMessage<std::invalid_argument>(
      [] {
        matmul(zeros({5}), zeros({4, 3}));
      },
      "matmul: shapes [5] and [4, 3] cannot be multiplied");
  expectMessage<std::invalid_argument>(
      [] {
        matmul(zeros({2, 4, 5}), zeros({3, 5, 2}));
      },
      "matmul: shapes [2, 4, 5] and [3, 5, 2] cannot be multiplied");
  expectMessage<std::invalid_argument>(
      [] { matmul(tensor(1.0f), zeros({3})); },
      "matmul: both arguments need to be at least 1D, but they are 0D and 1D");
}

//===--- Shapes
//------------------------------------------------------------===//

TEST(TensorOps, TransposeMaterializesAnySwap) {
  Shape S = {2, 3, 4};
  Tensor X = arange(24).reshape(S);
  for (auto [D0, D1] : {std::pair<int, int>{0, 2}, {1, 2}, {0, 1}, {-1, -3}}) {
    Tensor Y = transpose(X, D0, D1);
    int A = (D0 + 3) % 3, B = (D1 + 3) % 3;
    Shape Out = S;
    std::swap(Out[A], Out[B]);
    std::vector<double> Ref;
    for (std::int64_t I = 0; I < 24; ++I) {
      std::vector<std::int64_t> Index = unravel(I, Out);
      std::swap(Index[A], Index[B]);
      Ref.push_back(X.at({Index[0], Index[1], Index[2]}));
    }
    expectClose(Y, Out, Ref);
    EXPECT_NE(Y.data(), X.data());
  }
  expectClose(tensor({{1, 2, 3}, {4, 5, 6}}).t(), {3, 2}, {1, 4, 2, 5, 3, 6});
  expectClose(t(ones({1, 3})), {3, 1}, {1, 1, 1});
  Tensor V = ones({3});
  EXPECT_EQ(V.t().data(), V.data());
  expectMessage<std::invalid_argument>(
      [] {
        zeros({2, 2, 2}).t();
      },
      "t: expects a tensor with <= 2 dimensions, but self is 3D");
  EXPECT_THROW(transpose(X, 0, 3), std::out_of_range);
  expectClose(X.transpose(1, 1), S,
              std::vector<double>(X.data(), X.data() + 24));
}

TEST(TensorOps, ReshapeInfersOneSize) {
  Tensor X = arange(6);
  EXPECT_EQ(reshape(X, {2, -1}).shape(), Shape({2, 3}));
  EXPECT_EQ(X.reshape({-1}).shape(), Shape({6}));
  EXPECT_EQ(X.reshape({1, 6, 1}).shape(), Shape({1, 6, 1}));
  EXPECT_EQ(tensor(1.0f).reshape({-1}).shape(), Shape({1}));
  EXPECT_EQ(ones({1}).reshape({}).shape(), Shape());
  expectMessage<std::invalid_argument>(
      [&] {
        X.reshape({4, -1});
      },
      "reshape: shape '[4, -1]' is invalid for input of size 6");
  expectMessage<std::invalid_argument>(
      [&] {
        X.reshape({4, 2});
      },
      "reshape: shape '[4, 2]' is invalid for input of size 6");
  EXPECT_THROW(X.reshape({-1, -1}), std::invalid_argument);
  EXPECT_EQ(zeros({0, 3}).reshape({-1, 3}).shape(), Shape({0, 3}));
}

TEST(TensorOps, ExpandMaterializesBroadcasts) {
  expectClose(expand(tensor({{1}, {2}}), {2, 3}), {2, 3}, {1, 1, 1, 2, 2, 2});
  expectClose(expand(tensor({1, 2}), {2, 2}), {2, 2}, {1, 2, 1, 2});
  expectClose(expand(tensor(5.0f), {3}), {3}, {5, 5, 5});
  EXPECT_THROW(expand(ones({3}), {2, 2}), std::invalid_argument);
}

} // namespace
