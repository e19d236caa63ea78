//===- tensor_gradcheck_test.cpp - Gradient checks for tensors ------------===//

#include "tensor_test_util.h"

namespace {

using namespace adjoint;

Tensor squareSum(const std::vector<Tensor> &X) { return sum(X[0] * X[0]); }

TEST(TensorGradcheck, AcceptsTheExactGradient) {
  Tensor X = tensor({1.5, -0.5, 2});
  std::ostringstream Out;
  EXPECT_TRUE(gradcheck(squareSum, {X}, {2 * X}, Out));
  EXPECT_EQ(Out.str(), "gradcheck: ok\n");
}

TEST(TensorGradcheck, RejectsAWrongElementAndNamesIt) {
  Tensor X = tensor({1.5, -0.5, 2});
  Tensor Wrong = 2 * X;
  Wrong.at({1}) = 0.0f;
  std::ostringstream Out;
  TensorGradcheckOptions Options;
  Options.Name = "square";
  EXPECT_FALSE(gradcheck(squareSum, {X}, {Wrong}, Out, Options));
  EXPECT_NE(Out.str().find("square: input 0 element 1"), std::string::npos);
  EXPECT_NE(Out.str().find("square: FAILED"), std::string::npos);
}

TEST(TensorGradcheck, SeedsVectorOutputs) {
  // d/dx sum(exp(x) * seed) = exp(x) * seed.
  Tensor X = tensor({0.1, -1, 0.5}), Seed = tensor({1, -2, 0.5});
  auto F = [](const std::vector<Tensor> &In) { return exp(In[0]); };
  std::ostringstream Out;
  EXPECT_TRUE(gradcheck(F, {X}, {exp(X) * Seed}, Out, {}, Seed)) << Out.str();
  std::vector<Tensor> N = numericTensorGradient(F, {X}, Seed);
  adjoint::testing::expectClose(
      N[0], {3}, {std::exp(0.1), -2 * std::exp(-1.0), 0.5 * std::exp(0.5)},
      1e-3);
}

TEST(TensorGradcheck, LeavesInputsUntouchedAndTakesUndefinedAsZero) {
  Tensor X = tensor({1, 2}), Y = tensor({3, 4});
  const float *Data = X.data();
  auto F = [](const std::vector<Tensor> &In) { return sum(In[0]); };
  std::ostringstream Out;
  EXPECT_TRUE(gradcheck(F, {X, Y}, {ones({2}), Tensor()}, Out)) << Out.str();
  EXPECT_EQ(X.data(), Data);
  adjoint::testing::expectClose(X, {2}, {1, 2});
}

TEST(TensorGradcheck, RejectsMismatchedGradients) {
  std::ostringstream Out;
  EXPECT_FALSE(gradcheck(squareSum, {ones({2})}, {ones({3})}, Out));
  EXPECT_FALSE(gradcheck(squareSum, {ones({2})}, {}, Out));
}

} // namespace
