//===- tensor_out_test.cpp - Out-variants and addmm_ ----------------------===//

#include "tensor_test_util.h"

#include <stdexcept>

namespace {

using namespace adjoint;
using adjoint::testing::ramp;

/// Expects \p Got to have \p Want's shape and values (same kernels, so up
/// to rounding only).
void expectClose(const Tensor &Got, const Tensor &Want) {
  ASSERT_EQ(Got.shape(), Want.shape());
  for (std::int64_t I = 0; I < Want.numel(); ++I)
    ASSERT_NEAR(Got.data()[I], Want.data()[I],
                1e-5 * std::max(1.0f, std::abs(Want.data()[I])))
        << I;
}

TEST(TensorOut, MatmulOutWritesIntoAFittingOutput) {
  Tensor A = ramp({33, 17}), B = ramp({17, 29}, -1.0f, 2.0f, 3);
  Tensor C = zeros({33, 29});
  const float *Storage = C.data();
  Tensor Alias = C;
  matmul_out(C, A, B);
  EXPECT_EQ(C.data(), Storage);
  expectClose(C, matmul(A, B));
  expectClose(Alias, matmul(A, B)); // Other handles see the result.
}

TEST(TensorOut, MatmulOutRebindsAnOutputOfAnotherShape) {
  Tensor A = ramp({4, 3}), B = ramp({3, 5}, 0.0f, 1.0f, 1);
  Tensor Undefined, Wrong = zeros({5, 4});
  matmul_out(Undefined, A, B);
  matmul_out(Wrong, A, B);
  EXPECT_EQ(Undefined.shape(), Shape({4, 5}));
  EXPECT_EQ(Wrong.shape(), Shape({4, 5}));
  expectClose(Wrong, matmul(A, B));
  // Batched and vector operands go through the same path as matmul.
  Tensor X = ramp({2, 4, 3}), V = ramp({3}), Out;
  expectClose(matmul_out(Out, X, V), matmul(X, V));
}

TEST(TensorOut, MatmulOutRejectsOverlapAndBadShapes) {
  Tensor A = ramp({4, 4}), B = ramp({3, 5});
  EXPECT_THROW(matmul_out(A, A, ramp({4, 4})), std::invalid_argument);
  Tensor C;
  try {
    matmul_out(C, A, B);
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument &E) {
    EXPECT_EQ(std::string(E.what()),
              "matmul: shapes [4, 4] and [3, 5] cannot be multiplied");
  }
}

TEST(TensorOut, AddmmScalesAndAccumulates) {
  Tensor A = ramp({20, 30}), B = ramp({30, 10}, -1.0f, 2.0f, 2);
  Tensor C = ramp({20, 10}, 0.0f, 1.0f, 5);
  Tensor Expected = 0.5f * C + 2.0f * matmul(A, B);
  addmm_(C, A, B, 0.5f, 2.0f);
  expectClose(C, Expected);
  Tensor Nan = full({20, 10}, std::nanf(""));
  addmm_(Nan, A, B, 0.0f); // Beta 0 ignores the old contents.
  expectClose(Nan, matmul(A, B));
  try {
    Tensor Bad = zeros({3, 3});
    addmm_(Bad, A, B);
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument &E) {
    EXPECT_EQ(std::string(E.what()), "addmm_: self has shape [3, 3] but "
                                     "[20, 30] @ [30, 10] has shape [20, 10]");
  }
}

TEST(TensorOut, ElementwiseOutVariants) {
  Tensor A = ramp({6, 7}), B = ramp({7}, -1.0f, 3.0f, 4), Out;
  expectClose(add_out(Out, A, B), A + B);
  const float *Storage = Out.data();
  expectClose(sub_out(Out, A, B), A - B);
  expectClose(mul_out(Out, A, B), A * B);
  expectClose(div_out(Out, A, B), A / B);
  EXPECT_EQ(Out.data(), Storage);
  expectClose(relu_out(Out, A), relu(A));
  expectClose(sigmoid_out(Out, A), sigmoid(A));
  expectClose(tanh_out(Out, A), tanh(A));
  expectClose(exp_out(Out, A), exp(A));
  EXPECT_EQ(Out.data(), Storage);
  // In place when the output is the operand of the result's shape.
  Tensor Expected = A + B;
  add_out(A, A, B);
  expectClose(A, Expected);
  // A broadcast operand cannot be overwritten while it is read.
  Tensor Row = ramp({7});
  EXPECT_THROW(add_out(Row, ramp({6, 7}), Row), std::invalid_argument);
}

} // namespace
