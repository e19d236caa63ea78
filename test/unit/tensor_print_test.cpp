//===- tensor_print_test.cpp - Printing tensors like PyTorch --------------===//
//
// Expected strings are PyTorch's output (the autograd tutorial's cells and
// torch/_tensor_str.py's rules), character for character.
//
//===----------------------------------------------------------------------===//

#include "tensor_test_util.h"

#include <limits>

namespace {

using namespace adjoint;
using adjoint::testing::str;

TEST(TensorPrint, TutorialInputs) {
  EXPECT_EQ(str(ones({5})), "tensor([1., 1., 1., 1., 1.])");
  EXPECT_EQ(str(zeros({3})), "tensor([0., 0., 0.])");
}

TEST(TensorPrint, TutorialParameters) {
  Tensor W = tensor({{1.0608, 0.7298, 0.4350},
                     {1.2540, 0.8134, -0.0866},
                     {2.0024, 0.6946, -0.5081},
                     {1.2296, -2.0610, 0.3715},
                     {-0.0478, -1.6524, 0.5759}});
  EXPECT_EQ(str(W), "tensor([[ 1.0608,  0.7298,  0.4350],\n"
                    "        [ 1.2540,  0.8134, -0.0866],\n"
                    "        [ 2.0024,  0.6946, -0.5081],\n"
                    "        [ 1.2296, -2.0610,  0.3715],\n"
                    "        [-0.0478, -1.6524,  0.5759]])");
  EXPECT_EQ(str(tensor({-0.7699, 0.4597, 2.2447})),
            "tensor([-0.7699,  0.4597,  2.2447])");
  EXPECT_EQ(str(tensor({4.7292, -1.0159, 3.0323})),
            "tensor([ 4.7292, -1.0159,  3.0323])");
}

TEST(TensorPrint, TutorialGradients) {
  Tensor Row = tensor({0.2045, 0.1843, 0.0335});
  EXPECT_EQ(str(Row), "tensor([0.2045, 0.1843, 0.0335])");
  Tensor WGrad = matmul(ones({5, 1}), Row.reshape({1, 3}));
  EXPECT_EQ(str(WGrad), "tensor([[0.2045, 0.1843, 0.0335],\n"
                        "        [0.2045, 0.1843, 0.0335],\n"
                        "        [0.2045, 0.1843, 0.0335],\n"
                        "        [0.2045, 0.1843, 0.0335],\n"
                        "        [0.2045, 0.1843, 0.0335]])");
}

TEST(TensorPrint, TutorialAccumulatedGradients) {
  // d/d inp of sum((inp + 1)^2) is 2 (inp + 1); twice that after two calls.
  Tensor Grad = 2 * (eye(4, 5) + 1);
  const char *First = "tensor([[4., 2., 2., 2., 2.],\n"
                      "        [2., 4., 2., 2., 2.],\n"
                      "        [2., 2., 4., 2., 2.],\n"
                      "        [2., 2., 2., 4., 2.]])";
  EXPECT_EQ(str(Grad), First);
  Tensor Accumulated = Grad.clone();
  Accumulated.add_(Grad);
  EXPECT_EQ(str(Accumulated), "tensor([[8., 4., 4., 4., 4.],\n"
                              "        [4., 8., 4., 4., 4.],\n"
                              "        [4., 4., 8., 4., 4.],\n"
                              "        [4., 4., 4., 8., 4.]])");
  Accumulated.zero_();
  Accumulated.add_(Grad);
  EXPECT_EQ(str(Accumulated), First);
}

TEST(TensorPrint, Scalars) {
  EXPECT_EQ(str(tensor(2.9104f)), "tensor(2.9104)");
  EXPECT_EQ(str(tensor(3.0f)), "tensor(3.)");
  EXPECT_EQ(str(tensor(-0.5f)), "tensor(-0.5000)");
  EXPECT_EQ(str(tensor(0.0f)), "tensor(0.)");
  EXPECT_EQ(str(tensor(1e-5f)), "tensor(1.0000e-05)");
}

TEST(TensorPrint, EmptyAndUndefined) {
  EXPECT_EQ(str(zeros({0})), "tensor([])");
  EXPECT_EQ(str(zeros({0, 3})), "tensor([], size=(0, 3))");
  EXPECT_EQ(str(zeros({2, 0, 4})), "tensor([], size=(2, 0, 4))");
  EXPECT_EQ(str(Tensor()), "[ Tensor (undefined) ]");
}

TEST(TensorPrint, ScientificNotation) {
  EXPECT_EQ(str(tensor({1e-5, 1.0})), "tensor([1.0000e-05, 1.0000e+00])");
  EXPECT_EQ(str(tensor({0.5, 1e9})), "tensor([5.0000e-01, 1.0000e+09])");
  // Integer-valued but spanning more than three orders of magnitude.
  EXPECT_EQ(str(tensor({1.0, 1e6})), "tensor([1.0000e+00, 1.0000e+06])");
  EXPECT_EQ(str(tensor({-1.0, 2e3})), "tensor([-1.0000e+00,  2.0000e+03])");
}

TEST(TensorPrint, IntegerMode) {
  EXPECT_EQ(str(tensor({1.0, -20.0, 300.0})), "tensor([  1., -20., 300.])");
  EXPECT_EQ(str(tensor({{0.0, 0.0}, {0.0, 0.0}})),
            "tensor([[0., 0.],\n        [0., 0.]])");
}

TEST(TensorPrint, NonFiniteValues) {
  float Inf = std::numeric_limits<float>::infinity();
  float NaN = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(str(tensor({NaN, 1.0f, -Inf})), "tensor([nan, 1., -inf])");
  EXPECT_EQ(str(tensor({NaN, 1.5f, Inf})), "tensor([   nan, 1.5000,    inf])");
  EXPECT_EQ(str(tensor({-NaN, -NaN})), "tensor([nan, nan])");
}

TEST(TensorPrint, WrapsAtEightyColumns) {
  EXPECT_EQ(str(arange(30)),
            "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., "
            "11., 12., 13.,\n"
            "        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., "
            "25., 26., 27.,\n"
            "        28., 29.])");
}

TEST(TensorPrint, SummarizesBeyondAThousandElements) {
  EXPECT_EQ(str(full({1001}, 0.5f)),
            "tensor([0.5000, 0.5000, 0.5000,  ..., 0.5000, 0.5000, 0.5000])");
  // The formatter only sees the shown values: 1999 / 1 > 1000 is scientific.
  EXPECT_EQ(str(arange(2000)),
            "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, "
            "1.9980e+03,\n"
            "        1.9990e+03])");
  std::string Row = "[1., 1., 1.,  ..., 1., 1., 1.]";
  EXPECT_EQ(str(ones({40, 40})),
            "tensor([" + Row + ",\n        " + Row + ",\n        " + Row +
                ",\n        ...,\n        " + Row + ",\n        " + Row +
                ",\n        " + Row + "])");
}

TEST(TensorPrint, ThreeDimensionsSeparateBlocksWithBlankLines) {
  EXPECT_EQ(str(tensor({{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}})),
            "tensor([[[1., 2.],\n"
            "         [3., 4.]],\n"
            "\n"
            "        [[5., 6.],\n"
            "         [7., 8.]]])");
}

} // namespace
