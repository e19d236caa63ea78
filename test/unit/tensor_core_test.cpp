//===- tensor_core_test.cpp - Tensor handles, factories, randomness -------===//

#include "tensor_test_util.h"

#include <cstdint>
#include <stdexcept>
#include <thread>

namespace {

using namespace adjoint;
using adjoint::testing::expectClose;

TEST(TensorCore, DefaultConstructedIsUndefinedNotEmpty) {
  Tensor U;
  EXPECT_FALSE(U.defined());
  EXPECT_EQ(U.numel(), 0);
  Tensor E = zeros({0});
  EXPECT_TRUE(E.defined());
  EXPECT_EQ(E.numel(), 0);
  EXPECT_EQ(E.shape(), (std::vector<std::int64_t>{0}));
  EXPECT_THROW(exp(U), std::invalid_argument);
}

TEST(TensorCore, ShapeBehavesLikeAVector) {
  Tensor T = ones({5, 3});
  EXPECT_EQ(T.shape(), (std::vector<std::int64_t>{5, 3}));
  std::vector<std::int64_t> AsVector = T.shape();
  EXPECT_EQ(AsVector, (std::vector<std::int64_t>{5, 3}));
  EXPECT_EQ(T.dim(), 2);
  EXPECT_EQ(T.numel(), 15);
  EXPECT_EQ(T.size(0), 5);
  EXPECT_EQ(T.size(-1), 3);
  EXPECT_THROW(T.size(2), std::out_of_range);
  EXPECT_THROW(tensor(1.0f).size(0), std::out_of_range);
  EXPECT_EQ(T.shape().str(), "[5, 3]");
  EXPECT_EQ(Shape().str(), "[]");
  EXPECT_EQ(ones(5).shape(), Shape({5}));
  EXPECT_EQ(zeros(2, 3, 4).shape(), Shape({2, 3, 4}));
  EXPECT_THROW(Shape({1, 2, 3, 4, 5}), std::invalid_argument);
  EXPECT_THROW(zeros({-1, 2}), std::invalid_argument);
}

TEST(TensorCore, CopiesAndViewsShareStorage) {
  Tensor A = zeros({2, 3});
  Tensor B = A;
  B.at({0, 1}) = 5.0f;
  EXPECT_EQ(A.at({0, 1}), 5.0f);
  Tensor R = A.reshape({3, 2});
  R.at({2, 1}) = 7.0f;
  EXPECT_EQ(A.at({1, 2}), 7.0f);
  Tensor D = A.detach();
  EXPECT_EQ(D.data(), A.data());
  Tensor C = A.clone();
  EXPECT_NE(C.data(), A.data());
  C.at({0, 0}) = 9.0f;
  EXPECT_EQ(A.at({0, 0}), 0.0f);
  Tensor Sum = A + 0;
  EXPECT_NE(Sum.data(), A.data());
}

TEST(TensorCore, MoveLeavesTheSourceUndefined) {
  Tensor A = ones({4});
  const float *Data = A.data();
  Tensor B = std::move(A);
  EXPECT_FALSE(A.defined());
  EXPECT_EQ(B.data(), Data);
  A = B;
  EXPECT_EQ(A.data(), Data);
  A = A;
  EXPECT_EQ(A.data(), Data);
}

TEST(TensorCore, ItemNeedsExactlyOneElement) {
  EXPECT_EQ(tensor(3.0f).item(), 3.0f);
  EXPECT_EQ(tensor(3.0f).dim(), 0);
  EXPECT_EQ(ones({1, 1}).item(), 1.0f);
  EXPECT_THROW(ones({2}).item(), std::invalid_argument);
  EXPECT_THROW(zeros({0}).item(), std::invalid_argument);
}

TEST(TensorCore, AtIsBoundsChecked) {
  Tensor T = arange(6).reshape({2, 3});
  EXPECT_EQ(T.at({1, 2}), 5.0f);
  EXPECT_EQ(T.at({-1, -3}), 3.0f);
  const Tensor &C = T;
  EXPECT_EQ(C.at({0, 1}), 1.0f);
  EXPECT_THROW(T.at({2, 0}), std::out_of_range);
  EXPECT_THROW(T.at({0, -4}), std::out_of_range);
  EXPECT_THROW(T.at({0}), std::out_of_range);
  EXPECT_EQ(tensor(4.0f).at({}), 4.0f);
  try {
    T.at({0, 3});
    FAIL();
  } catch (const std::out_of_range &E) {
    EXPECT_STREQ(E.what(), "at: index 3 is out of bounds for dimension 1 "
                           "with size 3");
  }
}

TEST(TensorCore, ConstantFactories) {
  expectClose(full({2, 2}, 2.5f), {2, 2}, {2.5, 2.5, 2.5, 2.5});
  expectClose(ones_like(zeros({3})), {3}, {1, 1, 1});
  expectClose(zeros_like(ones({1, 2})), {1, 2}, {0, 0});
  expectClose(full_like(ones({2}), -1), {2}, {-1, -1});
  expectClose(eye(3), {3, 3}, {1, 0, 0, 0, 1, 0, 0, 0, 1});
  expectClose(eye(2, 3), {2, 3}, {1, 0, 0, 0, 1, 0});
  expectClose(eye(3, 2), {3, 2}, {1, 0, 0, 1, 0, 0});
  expectClose(arange(4), {4}, {0, 1, 2, 3});
  expectClose(arange(1, 2, 0.25), {4}, {1, 1.25, 1.5, 1.75});
  expectClose(arange(3, 0, -1), {3}, {3, 2, 1});
  expectClose(arange(0), {0}, {});
  EXPECT_THROW(arange(0, 1, 0), std::invalid_argument);
}

TEST(TensorCore, TensorsFromNestedLists) {
  expectClose(tensor({1, 2, 3}), {3}, {1, 2, 3});
  expectClose(tensor({{1, 2}, {3, 4}, {5, 6}}), {3, 2}, {1, 2, 3, 4, 5, 6});
  expectClose(tensor({{{1}, {2}}, {{3}, {4}}}), {2, 2, 1}, {1, 2, 3, 4});
  expectClose(tensor({{{{1, 2}}}}), {1, 1, 1, 2}, {1, 2});
  expectClose(tensor(2.5f), {}, {2.5});
  try {
    tensor({{1, 2}, {3}});
    FAIL();
  } catch (const std::invalid_argument &E) {
    EXPECT_STREQ(E.what(),
                 "tensor: expected sequence of length 2 at dim 1 (got 1)");
  }
  expectClose(tensor({1, 2, 3, 4, 5, 6}, {2, 3}), {2, 3}, {1, 2, 3, 4, 5, 6});
  expectClose(from_vector({1, 2}, {2, 1}), {2, 1}, {1, 2});
  EXPECT_THROW(from_vector({1, 2, 3}, {2, 2}), std::invalid_argument);
}

TEST(TensorCore, InPlaceUpdatesReturnThemselves) {
  Tensor T = ones({2, 3});
  EXPECT_EQ(&T.mul_(3.0f), &T);
  expectClose(T, {2, 3}, {3, 3, 3, 3, 3, 3});
  EXPECT_EQ(&T.add_(tensor({1, 2, 3})), &T);
  expectClose(T, {2, 3}, {4, 5, 6, 4, 5, 6});
  T.add_(tensor({{1}, {2}}), -1.0f);
  expectClose(T, {2, 3}, {3, 4, 5, 2, 3, 4});
  T.add_(ones({2, 3}), 0.5f);
  expectClose(T, {2, 3}, {3.5, 4.5, 5.5, 2.5, 3.5, 4.5});
  T.add_(-0.5f).mul_(tensor({2, 0, 1}));
  expectClose(T, {2, 3}, {6, 0, 5, 4, 0, 4});
  EXPECT_EQ(&T.fill_(7.0f), &T);
  expectClose(T, {2, 3}, {7, 7, 7, 7, 7, 7});
  EXPECT_EQ(&T.zero_(), &T);
  expectClose(T, {2, 3}, {0, 0, 0, 0, 0, 0});
  try {
    T.add_(ones({4}));
    FAIL();
  } catch (const std::invalid_argument &E) {
    EXPECT_STREQ(E.what(), "add_: shape [4] cannot be broadcast to [2, 3]");
  }
  // In-place results keep the destination's shape: [3] cannot grow to [2, 3].
  Tensor Row = ones({3});
  EXPECT_THROW(Row.add_(ones({2, 3})), std::invalid_argument);
}

TEST(TensorCore, StorageIsAlignedAndRecycled) {
  for (std::int64_t N : {0, 1, 15, 16, 17, 100, 5000, 100000}) {
    Tensor T = zeros({N});
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(T.data()) % 64, 0u) << N;
    for (std::int64_t I = 0; I < N; ++I)
      ASSERT_EQ(T.data()[I], 0.0f);
  }
  // A freed small buffer is reused by the next allocation of its class.
  const float *First;
  {
    Tensor A = ones({5, 3});
    First = A.data();
  }
  Tensor B = ones({3, 5});
  EXPECT_EQ(B.data(), First);
}

TEST(TensorCore, TensorsMayMoveBetweenThreads) {
  Tensor Made;
  std::thread([&] {
    Tensor Local = full({8}, 2.0f);
    Made = Local + Local;
  }).join();
  expectClose(Made, {8}, std::vector<double>(8, 4.0));
  std::thread([Copy = Made]() mutable { Copy = Tensor(); }).join();
  expectClose(Made, {8}, std::vector<double>(8, 4.0));
}

TEST(TensorCore, RandomStreamsRepeatAfterSeeding) {
  manual_seed(42);
  Tensor A = randn({5, 3});
  Tensor U = rand({7});
  manual_seed(42);
  Tensor B = randn(5, 3);
  Tensor V = rand(7);
  for (std::int64_t I = 0; I < 15; ++I)
    EXPECT_EQ(A.data()[I], B.data()[I]);
  for (std::int64_t I = 0; I < 7; ++I)
    EXPECT_EQ(U.data()[I], V.data()[I]);
  Tensor C = randn({5, 3});
  EXPECT_NE(A.data()[0], C.data()[0]);
}

TEST(TensorCore, RandomStreamsAreTheSameOnEveryMachine) {
  // Golden values: the generator must not depend on the standard library.
  manual_seed(0);
  Tensor N = randn({4});
  Tensor U = rand({2});
  const float ExpectedN[] = {0.589378774f, -0.0291113127f, -0.232490078f,
                             -0.163385108f};
  const float ExpectedU[] = {0.542284966f, 0.0571597815f};
  for (int I = 0; I < 4; ++I)
    EXPECT_FLOAT_EQ(N.data()[I], ExpectedN[I]);
  for (int I = 0; I < 2; ++I)
    EXPECT_EQ(U.data()[I], ExpectedU[I]);
}

TEST(TensorCore, RandomDistributionsHaveTheRightMoments) {
  manual_seed(7);
  Tensor N = randn({20001});
  double Mean = mean(N).item();
  double Var = mean(pow(N - Mean, 2)).item();
  EXPECT_NEAR(Mean, 0.0, 0.03);
  EXPECT_NEAR(Var, 1.0, 0.05);
  Tensor U = rand({20000});
  for (std::int64_t I = 0; I < U.numel(); ++I) {
    ASSERT_GE(U.data()[I], 0.0f);
    ASSERT_LT(U.data()[I], 1.0f);
  }
  EXPECT_NEAR(mean(U).item(), 0.5, 0.01);
  EXPECT_EQ(randn_like(ones({2, 2})).shape(), Shape({2, 2}));
  EXPECT_EQ(rand_like(ones({3})).shape(), Shape({3}));
}

} // namespace
