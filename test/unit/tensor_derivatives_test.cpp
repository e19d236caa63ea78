//===- tensor_derivatives_test.cpp - Pullbacks of tensor ops --------------===//
//
// Every pullback against finite differences (adjoint::gradcheck) with a
// non-trivial upstream gradient, over broadcasting edge cases and shapes with
// 1s, plus the accumulation and shape-checking contract.
//
//===----------------------------------------------------------------------===//

#include "tensor_test_util.h"

#include <functional>
#include <stdexcept>

namespace {

using namespace adjoint;
using namespace adjoint::derivatives;
using adjoint::testing::expectClose;
using adjoint::testing::ramp;
using adjoint::testing::str;

/// Calls the pullback under test: fills Grads (one per input, initially
/// undefined or holding earlier gradients) given the upstream gradient.
using PullbackFn = std::function<void(const std::vector<Tensor> &,
                                      const Tensor &, std::vector<Tensor> &)>;

/// Checks \p Pullback against finite differences of \p Forward at \p Inputs
/// with a varied upstream gradient, then checks that a second call
/// accumulates (doubles the gradients).
void checkPullback(const std::string &Name, const TensorFunction &Forward,
                   const std::vector<Tensor> &Inputs,
                   const PullbackFn &Pullback) {
  SCOPED_TRACE(Name);
  Tensor Seed = ramp(Forward(Inputs).shape(), 0.5f, 1.0f, 7);
  std::vector<Tensor> Grads(Inputs.size());
  Pullback(Inputs, Seed, Grads);
  for (std::size_t K = 0; K < Inputs.size(); ++K) {
    ASSERT_TRUE(Grads[K].defined()) << "gradient " << K;
    EXPECT_EQ(Grads[K].shape(), Inputs[K].shape()) << "gradient " << K;
  }
  std::ostringstream Report;
  TensorGradcheckOptions Options;
  Options.Name = Name;
  EXPECT_TRUE(gradcheck(Forward, Inputs, Grads, Report, Options, Seed))
      << Report.str();
  std::vector<Tensor> Twice;
  for (const Tensor &G : Grads)
    Twice.push_back(G.clone());
  Pullback(Inputs, Seed, Twice);
  for (std::size_t K = 0; K < Inputs.size(); ++K) {
    Tensor Expected = 2 * Grads[K];
    expectClose(Twice[K], Inputs[K].shape(),
                std::vector<double>(Expected.data(),
                                    Expected.data() + Expected.numel()),
                1e-5);
  }
}

//===--- Arithmetic
//--------------------------------------------------------===//

struct ShapePair {
  Shape A, B;
};

class BinaryPullbackTest : public ::testing::TestWithParam<ShapePair> {};

TEST_P(BinaryPullbackTest, MatchesFiniteDifferences) {
  Tensor A = ramp(GetParam().A, -2.0f, 4.0f, 1);
  Tensor B = ramp(GetParam().B, 0.5f, 2.0f, 2); // Away from 0 for division.
  checkPullback(
      "add", [](const std::vector<Tensor> &X) { return X[0] + X[1]; }, {A, B},
      [](const std::vector<Tensor> &X, const Tensor &G,
         std::vector<Tensor> &D) { add_pullback(X[0], X[1], G, D[0], D[1]); });
  checkPullback(
      "sub", [](const std::vector<Tensor> &X) { return X[0] - X[1]; }, {A, B},
      [](const std::vector<Tensor> &X, const Tensor &G,
         std::vector<Tensor> &D) { sub_pullback(X[0], X[1], G, D[0], D[1]); });
  checkPullback(
      "mul", [](const std::vector<Tensor> &X) { return X[0] * X[1]; }, {A, B},
      [](const std::vector<Tensor> &X, const Tensor &G,
         std::vector<Tensor> &D) { mul_pullback(X[0], X[1], G, D[0], D[1]); });
  checkPullback(
      "div", [](const std::vector<Tensor> &X) { return X[0] / X[1]; }, {A, B},
      [](const std::vector<Tensor> &X, const Tensor &G,
         std::vector<Tensor> &D) { div_pullback(X[0], X[1], G, D[0], D[1]); });
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, BinaryPullbackTest,
    ::testing::Values(ShapePair{{3}, {3}}, ShapePair{{3, 1}, {1, 4}},
                      ShapePair{{5}, {2, 5}}, ShapePair{{}, {3}},
                      ShapePair{{2, 3}, {}}, ShapePair{{2, 3, 4}, {3, 1}},
                      ShapePair{{1}, {1}}, ShapePair{{1, 1, 2}, {2, 1, 1}},
                      ShapePair{{17}, {17}}));

TEST(TensorDerivatives, ScalarOperandsGetScalarAdjoints) {
  Tensor A = ramp({2, 3}, 0.5f, 2.0f);
  Tensor S = tensor(1.5f);
  // The scalar is checked as a 0-D tensor input of the forward function.
  auto Check =
      [&](const std::string &Name, const TensorFunction &F,
          const std::function<void(const Tensor &, double, const Tensor &,
                                   Tensor &, double &)> &P) {
        checkPullback(Name, F, {A, S},
                      [&](const std::vector<Tensor> &X, const Tensor &G,
                          std::vector<Tensor> &D) {
                        double DS = 0;
                        P(X[0], X[1].item(), G, D[0], DS);
                        if (!D[1].defined())
                          D[1] = zeros({});
                        D[1].add_(static_cast<float>(DS));
                      });
      };
  using V = const std::vector<Tensor> &;
  Check(
      "t+s", [](V X) { return X[0] + X[1].item(); },
      [](const Tensor &T, double S, const Tensor &G, Tensor &DT, double &DS) {
        add_pullback(T, S, G, DT, DS);
      });
  Check(
      "s+t", [](V X) { return X[1].item() + X[0]; },
      [](const Tensor &T, double S, const Tensor &G, Tensor &DT, double &DS) {
        add_pullback(S, T, G, DS, DT);
      });
  Check(
      "t-s", [](V X) { return X[0] - X[1].item(); },
      [](const Tensor &T, double S, const Tensor &G, Tensor &DT, double &DS) {
        sub_pullback(T, S, G, DT, DS);
      });
  Check(
      "s-t", [](V X) { return X[1].item() - X[0]; },
      [](const Tensor &T, double S, const Tensor &G, Tensor &DT, double &DS) {
        sub_pullback(S, T, G, DS, DT);
      });
  Check(
      "t*s", [](V X) { return X[0] * X[1].item(); },
      [](const Tensor &T, double S, const Tensor &G, Tensor &DT, double &DS) {
        mul_pullback(T, S, G, DT, DS);
      });
  Check(
      "s*t", [](V X) { return X[1].item() * X[0]; },
      [](const Tensor &T, double S, const Tensor &G, Tensor &DT, double &DS) {
        mul_pullback(S, T, G, DS, DT);
      });
  Check(
      "t/s", [](V X) { return X[0] / X[1].item(); },
      [](const Tensor &T, double S, const Tensor &G, Tensor &DT, double &DS) {
        div_pullback(T, S, G, DT, DS);
      });
  Check(
      "s/t", [](V X) { return X[1].item() / X[0]; },
      [](const Tensor &T, double S, const Tensor &G, Tensor &DT, double &DS) {
        div_pullback(S, T, G, DS, DT);
      });
  Check(
      "pow", [](V X) { return pow(X[0], X[1].item()); },
      [](const Tensor &T, double S, const Tensor &G, Tensor &DT, double &DS) {
        pow_pullback(T, S, G, DT, DS);
      });
}

TEST(TensorDerivatives, IntegerAndFloatScalars) {
  Tensor A = tensor({1, 2}), G = tensor({1, 1});
  Tensor DA;
  mul_pullback(A, 3, G, DA); // No adjoint for an integer.
  expectClose(DA, {2}, {3, 3});
  float DS = 0;
  div_pullback(2.0f, A, G, DS, DA);
  expectClose(DA, {2}, {1, 2.5});
  EXPECT_FLOAT_EQ(DS, 1.5f);
  pow_pullback(A, 2, G, DA);
  expectClose(DA, {2}, {3, 6.5});
  Tensor D0;
  double DP = 0;
  pow_pullback(A, 0.0, G, D0, DP);
  expectClose(D0, {2}, {0, 0});
  EXPECT_NEAR(DP, std::log(2.0), 1e-6);
}

//===--- Elementwise functions
//---------------------------------------------===//

TEST(TensorDerivatives, ElementwiseFunctions) {
  using V = const std::vector<Tensor> &;
  using P = std::vector<Tensor> &;
  // Inputs avoid the kinks of abs and relu at 0.
  Tensor X = tensor({{-1.7, -0.4, 0.3}, {0.9, 1.6, -2.2}});
  Tensor Pos = ramp({2, 3}, 0.3f, 2.0f);
  checkPullback(
      "neg", [](V I) { return -I[0]; }, {X},
      [](V I, const Tensor &G, P D) { neg_pullback(I[0], G, D[0]); });
  checkPullback(
      "exp", [](V I) { return exp(I[0]); }, {X},
      [](V I, const Tensor &G, P D) { exp_pullback(I[0], G, D[0]); });
  checkPullback(
      "log", [](V I) { return log(I[0]); }, {Pos},
      [](V I, const Tensor &G, P D) { log_pullback(I[0], G, D[0]); });
  checkPullback(
      "sqrt", [](V I) { return sqrt(I[0]); }, {Pos},
      [](V I, const Tensor &G, P D) { sqrt_pullback(I[0], G, D[0]); });
  checkPullback(
      "abs", [](V I) { return abs(I[0]); }, {X},
      [](V I, const Tensor &G, P D) { abs_pullback(I[0], G, D[0]); });
  checkPullback(
      "sigmoid", [](V I) { return sigmoid(I[0]); }, {X},
      [](V I, const Tensor &G, P D) { sigmoid_pullback(I[0], G, D[0]); });
  checkPullback(
      "tanh", [](V I) { return tanh(I[0]); }, {X},
      [](V I, const Tensor &G, P D) { tanh_pullback(I[0], G, D[0]); });
  checkPullback(
      "relu", [](V I) { return relu(I[0]); }, {X},
      [](V I, const Tensor &G, P D) { relu_pullback(I[0], G, D[0]); });
  checkPullback(
      "pow3", [](V I) { return I[0].pow(3); }, {X},
      [](V I, const Tensor &G, P D) { pow_pullback(I[0], 3, G, D[0]); });
  checkPullback(
      "pow-0.5", [](V I) { return pow(I[0], -0.5); }, {Pos},
      [](V I, const Tensor &G, P D) {
        double DP = 0;
        pow_pullback(I[0], -0.5, G, D[0], DP);
      });
  // PyTorch's conventions at the kinks: abs'(0) = relu'(0) = 0.
  Tensor DZ;
  abs_pullback(zeros({1}), ones({1}), DZ);
  relu_pullback(zeros({1}), ones({1}), DZ);
  expectClose(DZ, {1}, {0});
}

//===--- Reductions
//--------------------------------------------------------===//

TEST(TensorDerivatives, Reductions) {
  using V = const std::vector<Tensor> &;
  using P = std::vector<Tensor> &;
  Tensor X = ramp({2, 3, 4});
  checkPullback(
      "sum", [](V I) { return I[0].sum(); }, {X},
      [](V I, const Tensor &G, P D) { sum_pullback(I[0], G, D[0]); });
  checkPullback(
      "mean", [](V I) { return mean(I[0]); }, {X},
      [](V I, const Tensor &G, P D) { mean_pullback(I[0], G, D[0]); });
  for (std::int64_t Dim : {0, 1, 2, -1}) {
    for (bool Keep : {false, true}) {
      std::string Tag = std::to_string(Dim) + (Keep ? "k" : "");
      checkPullback(
          "sum" + Tag, [=](V I) { return sum(I[0], Dim, Keep); }, {X},
          [=](V I, const Tensor &G, P D) {
            sum_pullback(I[0], Dim, Keep, G, D[0]);
          });
      checkPullback(
          "mean" + Tag, [=](V I) { return I[0].mean(Dim, Keep); }, {X},
          [=](V I, const Tensor &G, P D) {
            mean_pullback(I[0], Dim, Keep, G, D[0]);
          });
    }
  }
  checkPullback(
      "sum1", [](V I) { return sum(I[0], 1); }, {X},
      [](V I, const Tensor &G, P D) { sum_pullback(I[0], 1, G, D[0]); });
  checkPullback(
      "mean1", [](V I) { return mean(I[0], 1); }, {X},
      [](V I, const Tensor &G, P D) { mean_pullback(I[0], 1, G, D[0]); });
  checkPullback(
      "sum_to",
      [](V I) {
        return sum_to(I[0], {3, 1});
      },
      {X},
      [](V I, const Tensor &G, P D) {
        sum_to_pullback(I[0], {3, 1}, G, D[0]);
      });
  Tensor DX;
  item_pullback(tensor({{2.0}}), 1.5, DX);
  expectClose(DX, {1, 1}, {1.5});
  EXPECT_THROW(item_pullback(ones({2}), 1.0, DX), std::invalid_argument);
  Tensor DM;
  at_pullback(X, {1, 2, 3}, 2.0, DM);
  at_pullback(X, {1, 2, 3}, 0.5, DM);
  EXPECT_EQ(DM.at({1, 2, 3}), 2.5f);
  EXPECT_EQ(sum(DM).item(), 2.5f);
}

//===--- Matrix products and shapes ---------------------------------------===//

class MatmulPullbackTest : public ::testing::TestWithParam<ShapePair> {};

TEST_P(MatmulPullbackTest, MatchesFiniteDifferences) {
  Tensor A = ramp(GetParam().A, -1.0f, 2.0f, 3);
  Tensor B = ramp(GetParam().B, -1.0f, 2.0f, 4);
  checkPullback(
      "matmul", [](const std::vector<Tensor> &X) { return matmul(X[0], X[1]); },
      {A, B},
      [](const std::vector<Tensor> &X, const Tensor &G,
         std::vector<Tensor> &D) {
        matmul_pullback(X[0], X[1], G, D[0], D[1]);
      });
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, MatmulPullbackTest,
    ::testing::Values(
        ShapePair{{5}, {5}}, ShapePair{{5}, {5, 3}}, ShapePair{{4, 5}, {5}},
        ShapePair{{4, 5}, {5, 3}}, ShapePair{{1, 1}, {1, 1}},
        ShapePair{{7, 3}, {3, 11}}, ShapePair{{2, 4, 5}, {5, 3}},
        ShapePair{{2, 4, 5}, {2, 5, 3}}, ShapePair{{1, 4, 5}, {3, 5, 2}},
        ShapePair{{2, 1, 4, 5}, {3, 5, 2}}, ShapePair{{3, 5}, {2, 5, 2}},
        ShapePair{{5}, {2, 5, 3}}, ShapePair{{2, 4, 5}, {5}}));

TEST(TensorDerivatives, MatmulWithEmptyDimensions) {
  Tensor DA, DB;
  matmul_pullback(zeros({3, 0}), zeros({0, 2}), ones({3, 2}), DA, DB);
  EXPECT_EQ(DA.shape(), Shape({3, 0}));
  EXPECT_EQ(DB.shape(), Shape({0, 2}));
}

TEST(TensorDerivatives, ShapeOperations) {
  using V = const std::vector<Tensor> &;
  using P = std::vector<Tensor> &;
  Tensor X = ramp({2, 3, 4});
  Tensor M = ramp({3, 5});
  checkPullback(
      "t", [](V I) { return I[0].t(); }, {M},
      [](V I, const Tensor &G, P D) { t_pullback(I[0], G, D[0]); });
  checkPullback(
      "t1", [](V I) { return t(I[0]); }, {ramp({4})},
      [](V I, const Tensor &G, P D) { t_pullback(I[0], G, D[0]); });
  checkPullback(
      "transpose", [](V I) { return transpose(I[0], 0, -1); }, {X},
      [](V I, const Tensor &G, P D) {
        transpose_pullback(I[0], 0, -1, G, D[0]);
      });
  checkPullback(
      "reshape",
      [](V I) {
        return I[0].reshape({4, -1});
      },
      {X},
      [](V I, const Tensor &G, P D) {
        reshape_pullback(I[0], {4, -1}, G, D[0]);
      });
  checkPullback(
      "expand",
      [](V I) {
        return expand(I[0], {2, 3, 5});
      },
      {ramp({3, 1})},
      [](V I, const Tensor &G, P D) {
        expand_pullback(I[0], {2, 3, 5}, G, D[0]);
      });
  checkPullback(
      "clone", [](V I) { return I[0].clone(); }, {M},
      [](V I, const Tensor &G, P D) { clone_pullback(I[0], G, D[0]); });
  Tensor DD;
  detach_pullback(M, ones({3, 5}), DD);
  expectClose(DD, {3, 5}, std::vector<double>(15, 0.0));
}

//===--- Activations and losses -------------------------------------------===//

TEST(TensorDerivatives, Softmaxes) {
  using V = const std::vector<Tensor> &;
  using P = std::vector<Tensor> &;
  for (Shape S : {Shape{5}, Shape{3, 4}, Shape{2, 3, 2}}) {
    Tensor X = ramp(S, -2.0f, 4.0f);
    for (std::int64_t Dim = -1; Dim < static_cast<std::int64_t>(S.size());
         ++Dim) {
      checkPullback(
          "softmax", [=](V I) { return softmax(I[0], Dim); }, {X},
          [=](V I, const Tensor &G, P D) {
            softmax_pullback(I[0], Dim, G, D[0]);
          });
      checkPullback(
          "log_softmax", [=](V I) { return log_softmax(I[0], Dim); }, {X},
          [=](V I, const Tensor &G, P D) {
            log_softmax_pullback(I[0], Dim, G, D[0]);
          });
    }
  }
}

TEST(TensorDerivatives, BinaryCrossEntropyWithLogits) {
  using V = const std::vector<Tensor> &;
  using P = std::vector<Tensor> &;
  Tensor Z = ramp({4, 3}, -3.0f, 6.0f, 1), Y = ramp({4, 3}, 0.1f, 0.8f, 2);
  for (Reduction R : {Reduction::None, Reduction::Mean, Reduction::Sum}) {
    checkPullback(
        "bce",
        [=](V I) { return binary_cross_entropy_with_logits(I[0], I[1], R); },
        {Z, Y},
        [=](V I, const Tensor &G, P D) {
          binary_cross_entropy_with_logits_pullback(I[0], I[1], R, G, D[0],
                                                    D[1]);
        });
    for (Tensor W : {ramp({3}, 0.5f, 2.0f), ramp({4, 1}, 0.5f, 2.0f)})
      checkPullback(
          "bce_pos_weight",
          [=](V I) {
            return binary_cross_entropy_with_logits(I[0], I[1], R, I[2]);
          },
          {Z, Y, W},
          [=](V I, const Tensor &G, P D) {
            binary_cross_entropy_with_logits_pullback(I[0], I[1], R, I[2], G,
                                                      D[0], D[1], D[2]);
          });
  }
  checkPullback(
      "bce_default",
      [](V I) { return binary_cross_entropy_with_logits(I[0], I[1]); }, {Z, Y},
      [](V I, const Tensor &G, P D) {
        binary_cross_entropy_with_logits_pullback(I[0], I[1], G, D[0], D[1]);
      });
}

TEST(TensorDerivatives, MeanSquaredError) {
  using V = const std::vector<Tensor> &;
  using P = std::vector<Tensor> &;
  Tensor A = ramp({3, 4}, -1.0f, 2.0f, 1);
  for (Tensor B : {ramp({3, 4}, -1.0f, 2.0f, 2), ramp({4}, -1.0f, 2.0f, 3)}) {
    for (Reduction R : {Reduction::None, Reduction::Mean, Reduction::Sum})
      checkPullback(
          "mse", [=](V I) { return mse_loss(I[0], I[1], R); }, {A, B},
          [=](V I, const Tensor &G, P D) {
            mse_loss_pullback(I[0], I[1], R, G, D[0], D[1]);
          });
    checkPullback(
        "mse_default", [](V I) { return mse_loss(I[0], I[1]); }, {A, B},
        [](V I, const Tensor &G, P D) {
          mse_loss_pullback(I[0], I[1], G, D[0], D[1]);
        });
  }
}

TEST(TensorDerivatives, CrossEntropy) {
  using V = const std::vector<Tensor> &;
  using P = std::vector<Tensor> &;
  Tensor Logits = ramp({4, 5}, -2.0f, 4.0f);
  std::vector<std::int64_t> Classes = {0, 4, 2, 2};
  for (Reduction R : {Reduction::None, Reduction::Mean, Reduction::Sum}) {
    checkPullback(
        "ce", [=](V I) { return cross_entropy(I[0], Classes, R); }, {Logits},
        [=](V I, const Tensor &G, P D) {
          cross_entropy_pullback(I[0], Classes, R, G, D[0]);
        });
    Tensor Ignoring = tensor({0, -100, 2, 2});
    checkPullback(
        "ce_ignore", [=](V I) { return cross_entropy(I[0], Ignoring, R); },
        {Logits},
        [=](V I, const Tensor &G, P D) {
          Tensor DT;
          cross_entropy_pullback(I[0], Ignoring, R, G, D[0], DT);
          EXPECT_EQ(sum(abs(DT)).item(), 0.0f);
        });
    Tensor Probs = softmax(ramp({4, 5}, -1.0f, 2.0f, 9), 1);
    checkPullback(
        "ce_probs", [=](V I) { return cross_entropy(I[0], I[1], R); },
        {Logits, Probs},
        [=](V I, const Tensor &G, P D) {
          cross_entropy_pullback(I[0], I[1], R, G, D[0], D[1]);
        });
  }
  checkPullback(
      "ce_default", [=](V I) { return cross_entropy(I[0], Classes); }, {Logits},
      [=](V I, const Tensor &G, P D) {
        cross_entropy_pullback(I[0], Classes, G, D[0]);
      });
  Tensor Target = tensor(1.0f);
  checkPullback(
      "ce_unbatched", [=](V I) { return cross_entropy(I[0], Target); },
      {tensor({0.5, -1, 2})},
      [=](V I, const Tensor &G, P D) {
        Tensor DT;
        cross_entropy_pullback(I[0], Target, G, D[0], DT);
      });
}

//===--- The accumulation contract
//-----------------------------------------===//

TEST(TensorDerivatives, DefinedAdjointsMustHaveTheArgumentsShape) {
  Tensor A = ones({2, 3}), B = ones({3});
  Tensor DA = zeros({3, 2}), DB;
  try {
    add_pullback(A, B, ones({2, 3}), DA, DB);
    FAIL();
  } catch (const std::invalid_argument &E) {
    EXPECT_STREQ(E.what(), "add_pullback: adjoint of shape [3, 2] cannot "
                           "accumulate the gradient of an argument of shape "
                           "[2, 3]");
  }
  Tensor DX;
  try {
    exp_pullback(A, ones({3}), DX);
    FAIL();
  } catch (const std::invalid_argument &E) {
    EXPECT_STREQ(E.what(), "exp_pullback: upstream gradient of shape [3] does "
                           "not match the result's shape [2, 3]");
  }
  EXPECT_THROW(
      matmul_pullback(ones({2, 3}), ones({2, 3}), ones({2, 3}), DA, DB),
      std::invalid_argument);
}

TEST(TensorDerivatives, UpstreamGradientsAreNeverAliased) {
  // A pullback may not hand d_out's storage to an adjoint: accumulating into
  // that adjoint later would change d_out.
  Tensor A = ones({3}), B = ones({3}), G = ones({3});
  Tensor DA, DB;
  add_pullback(A, B, G, DA, DB);
  DA.add_(G);
  expectClose(G, {3}, {1, 1, 1});
  expectClose(DB, {3}, {1, 1, 1});
}

//===--- The tutorial
//------------------------------------------------------===//

TEST(TensorDerivatives, TutorialNetworkGradients) {
  // z = matmul(x, w) + b; loss = bce_with_logits(z, y), reversed by hand the
  // way generated code calls the pullbacks.
  Tensor X = ones({5}), Y = zeros({3});
  Tensor W = tensor({{1.0608, 0.7298, 0.4350},
                     {1.2540, 0.8134, -0.0866},
                     {2.0024, 0.6946, -0.5081},
                     {1.2296, -2.0610, 0.3715},
                     {-0.0478, -1.6524, 0.5759}});
  Tensor B = tensor({-0.7699, 0.4597, 2.2447});
  Tensor XW = matmul(X, W);
  Tensor Z = XW + B;
  Tensor DZ, DY, DXW, DB, DX, DW;
  binary_cross_entropy_with_logits_pullback(Z, Y, tensor(1.0f), DZ, DY);
  add_pullback(XW, B, DZ, DXW, DB);
  matmul_pullback(X, W, DXW, DX, DW);
  Tensor Expected = sigmoid(Z) / 3;
  expectClose(DB, {3},
              std::vector<double>(Expected.data(), Expected.data() + 3), 1e-6);
  for (std::int64_t I = 0; I < 5; ++I)
    for (std::int64_t J = 0; J < 3; ++J)
      EXPECT_FLOAT_EQ(DW.at({I, J}), DB.at({J}));
  EXPECT_EQ(str(DB), "tensor([0.3304, 0.0886, 0.3180])");
}

TEST(TensorDerivatives, TutorialGradientAccumulation) {
  // out = (inp + 1).pow(2).t(), backward with ones_like(out) three times.
  Tensor Inp = eye(4, 5);
  Tensor Plus = Inp + 1, Sq = Plus.pow(2), Out = Sq.t();
  Tensor Grad;
  auto Backward = [&] {
    Tensor DSq, DPlus;
    t_pullback(Sq, ones_like(Out), DSq);
    pow_pullback(Plus, 2, DSq, DPlus);
    add_pullback(Inp, 1, DPlus, Grad);
  };
  Backward();
  const char *First = "tensor([[4., 2., 2., 2., 2.],\n"
                      "        [2., 4., 2., 2., 2.],\n"
                      "        [2., 2., 4., 2., 2.],\n"
                      "        [2., 2., 2., 4., 2.]])";
  EXPECT_EQ(str(Grad), First);
  Backward();
  EXPECT_EQ(str(Grad), "tensor([[8., 4., 4., 4., 4.],\n"
                       "        [4., 8., 4., 4., 4.],\n"
                       "        [4., 4., 8., 4., 4.],\n"
                       "        [4., 4., 4., 8., 4.]])");
  Grad.zero_();
  Backward();
  EXPECT_EQ(str(Grad), First);
}

//===--- Unused adjoints
//---------------------------------------------------===//

/// Calls a pullback with the adjoints \p D (one pointer per tensor adjoint).
using AdjointCall =
    std::function<void(const Tensor &, std::vector<Tensor *> &)>;

/// Calls \p Call once with fresh adjoints for reference, then once for every
/// subset of adjoints replaced by unused(): the sink must stay undefined and
/// the wanted adjoints must equal the reference bit for bit.
void checkUnusedAdjoints(const std::string &Name, const Tensor &Seed,
                         std::size_t Count, const AdjointCall &Call) {
  SCOPED_TRACE(Name);
  std::vector<Tensor> Reference(Count);
  std::vector<Tensor *> Pointers;
  for (Tensor &R : Reference)
    Pointers.push_back(&R);
  Call(Seed, Pointers);
  for (unsigned Mask = 1; Mask < (1u << Count); ++Mask) {
    std::vector<Tensor> Fresh(Count);
    std::vector<Tensor *> D;
    for (std::size_t K = 0; K < Count; ++K)
      D.push_back(Mask >> K & 1 ? &unused() : &Fresh[K]);
    Call(Seed, D);
    EXPECT_FALSE(unused().defined()) << "mask " << Mask;
    for (std::size_t K = 0; K < Count; ++K) {
      if (Mask >> K & 1)
        continue;
      ASSERT_TRUE(Fresh[K].defined()) << "mask " << Mask << ", adjoint " << K;
      EXPECT_EQ(str(Fresh[K]), str(Reference[K]))
          << "mask " << Mask << ", adjoint " << K;
      ASSERT_EQ(Fresh[K].shape(), Reference[K].shape());
      for (std::int64_t I = 0; I < Fresh[K].numel(); ++I)
        EXPECT_EQ(Fresh[K].data()[I], Reference[K].data()[I])
            << "mask " << Mask << ", adjoint " << K << ", element " << I;
    }
  }
}

TEST(TensorDerivatives, UnusedAdjointsStayUndefinedAndChangeNothing) {
  using D = std::vector<Tensor *> &;
  using G = const Tensor &;
  Tensor A = ramp({3, 4}, -2.0f, 4.0f, 1), B = ramp({4}, 0.5f, 2.0f, 2);
  Tensor Pos = ramp({3, 4}, 0.5f, 2.0f, 3);
  Tensor S34 = ramp({3, 4}, 0.5f, 1.0f, 7);
  checkUnusedAdjoints("add", S34, 2,
                      [&](G S, D P) { add_pullback(A, B, S, *P[0], *P[1]); });
  checkUnusedAdjoints("sub", S34, 2,
                      [&](G S, D P) { sub_pullback(A, B, S, *P[0], *P[1]); });
  checkUnusedAdjoints("mul", S34, 2,
                      [&](G S, D P) { mul_pullback(A, B, S, *P[0], *P[1]); });
  checkUnusedAdjoints("div", S34, 2,
                      [&](G S, D P) { div_pullback(A, B, S, *P[0], *P[1]); });
  checkUnusedAdjoints("neg", S34, 1,
                      [&](G S, D P) { neg_pullback(A, S, *P[0]); });
  // The scalar rules of the same names overload these: name the type.
  using Unary = void (*)(const Tensor &, const Tensor &, Tensor &);
  for (Unary Rule :
       {Unary(&exp_pullback), Unary(&sigmoid_pullback), Unary(&tanh_pullback),
        Unary(&relu_pullback), Unary(&abs_pullback)})
    checkUnusedAdjoints("elementwise", S34, 1,
                        [&](G S, D P) { (*Rule)(A, S, *P[0]); });
  for (Unary Rule : {Unary(&log_pullback), Unary(&sqrt_pullback)})
    checkUnusedAdjoints("log/sqrt", S34, 1,
                        [&](G S, D P) { (*Rule)(Pos, S, *P[0]); });
  checkUnusedAdjoints("pow", S34, 1,
                      [&](G S, D P) { pow_pullback(A, 2, S, *P[0]); });
  checkUnusedAdjoints("pow0", S34, 1,
                      [&](G S, D P) { pow_pullback(A, 0, S, *P[0]); });
  Tensor Scalar = tensor(1.5f), Row = ramp({4}, 0.5f, 1.0f, 8);
  checkUnusedAdjoints("sum", Scalar, 1,
                      [&](G S, D P) { sum_pullback(A, S, *P[0]); });
  checkUnusedAdjoints("mean", Scalar, 1,
                      [&](G S, D P) { mean_pullback(A, S, *P[0]); });
  checkUnusedAdjoints("sum_dim", Row, 1,
                      [&](G S, D P) { sum_pullback(A, 0, S, *P[0]); });
  checkUnusedAdjoints("mean_dim", Row, 1,
                      [&](G S, D P) { mean_pullback(A, 0, S, *P[0]); });
  checkUnusedAdjoints("sum_to", Row, 1, [&](G S, D P) {
    sum_to_pullback(A, Shape{4}, S, *P[0]);
  });
  checkUnusedAdjoints("item", Scalar, 1,
                      [&](G, D P) { item_pullback(tensor(2.0f), 1.5, *P[0]); });
  checkUnusedAdjoints("at", Scalar, 1, [&](G, D P) {
    at_pullback(A, {1, 2}, 1.5, *P[0]);
  });
  for (ShapePair Shapes :
       {ShapePair{{3, 4}, {4, 5}}, ShapePair{{4}, {4, 5}},
        ShapePair{{2, 3, 4}, {4, 5}}, ShapePair{{2, 3, 4}, {2, 4, 5}}}) {
    Tensor MA = ramp(Shapes.A, -1.0f, 2.0f, 3),
           MB = ramp(Shapes.B, -1.0f, 2.0f, 4);
    Tensor Seed = ramp(matmul(MA, MB).shape(), 0.5f, 1.0f, 5);
    checkUnusedAdjoints(
        "matmul " + Shapes.A.str() + " " + Shapes.B.str(), Seed, 2,
        [&](G S, D P) { matmul_pullback(MA, MB, S, *P[0], *P[1]); });
  }
  Tensor S43 = ramp({4, 3}, 0.5f, 1.0f, 7);
  checkUnusedAdjoints("t", S43, 1, [&](G S, D P) { t_pullback(A, S, *P[0]); });
  checkUnusedAdjoints("transpose", S43, 1,
                      [&](G S, D P) { transpose_pullback(A, 0, 1, S, *P[0]); });
  checkUnusedAdjoints("reshape", ramp({12}, 0.5f, 1.0f), 1,
                      [&](G S, D P) { reshape_pullback(A, {12}, S, *P[0]); });
  checkUnusedAdjoints("expand", ramp({2, 4}, 0.5f, 1.0f), 1, [&](G S, D P) {
    expand_pullback(B, {2, 4}, S, *P[0]);
  });
  checkUnusedAdjoints("clone", S34, 1,
                      [&](G S, D P) { clone_pullback(A, S, *P[0]); });
  checkUnusedAdjoints("detach", S34, 1,
                      [&](G S, D P) { detach_pullback(A, S, *P[0]); });
  checkUnusedAdjoints("softmax", S34, 1,
                      [&](G S, D P) { softmax_pullback(A, 1, S, *P[0]); });
  checkUnusedAdjoints("log_softmax", S34, 1,
                      [&](G S, D P) { log_softmax_pullback(A, 1, S, *P[0]); });
  Tensor Y = ramp({3, 4}, 0.1f, 0.8f, 2), W = ramp({4}, 0.5f, 2.0f, 6);
  for (Reduction R : {Reduction::None, Reduction::Mean, Reduction::Sum}) {
    Tensor Seed = R == Reduction::None ? S34 : Scalar;
    checkUnusedAdjoints("bce", Seed, 2, [&](G S, D P) {
      binary_cross_entropy_with_logits_pullback(A, Y, R, S, *P[0], *P[1]);
    });
    checkUnusedAdjoints("bce_pos_weight", Seed, 3, [&](G S, D P) {
      binary_cross_entropy_with_logits_pullback(A, Y, R, W, S, *P[0], *P[1],
                                                *P[2]);
    });
    checkUnusedAdjoints("mse", Seed, 2, [&](G S, D P) {
      mse_loss_pullback(A, Y, R, S, *P[0], *P[1]);
    });
    Tensor CESeed = R == Reduction::None ? ramp({3}, 0.5f, 1.0f) : Scalar;
    Tensor Probs = softmax(Y, 1);
    checkUnusedAdjoints("ce_probs", CESeed, 2, [&](G S, D P) {
      cross_entropy_pullback(A, Probs, R, S, *P[0], *P[1]);
    });
    checkUnusedAdjoints("ce_classes_tensor", CESeed, 2, [&](G S, D P) {
      cross_entropy_pullback(A, tensor({0, 3, 1}), R, S, *P[0], *P[1]);
    });
    checkUnusedAdjoints("ce_classes", CESeed, 1, [&](G S, D P) {
      cross_entropy_pullback(A, std::vector<std::int64_t>{0, 3, 1}, R, S,
                             *P[0]);
    });
  }
}

TEST(TensorDerivatives, UnusedTensorAdjointStillGivesTheScalarsAdjoint) {
  // `t * s` with a data tensor t and an active double s: only d_s is wanted.
  Tensor T = ramp({3, 4}, -2.0f, 4.0f, 1), G = ramp({3, 4}, 0.5f, 1.0f, 7);
  for (bool ScalarFirst : {false, true}) {
    double Want = 0, Got = 0;
    Tensor DT;
    if (ScalarFirst) {
      mul_pullback(2.5, T, G, Want, DT);
      mul_pullback(2.5, T, G, Got, unused());
    } else {
      div_pullback(T, 2.5, G, DT, Want);
      div_pullback(T, 2.5, G, unused(), Got);
    }
    EXPECT_EQ(Got, Want);
    EXPECT_NE(Got, 0.0);
    EXPECT_FALSE(unused().defined());
  }
  using ScalarRule = std::function<void(double &, Tensor &)>;
  for (const ScalarRule &Rule : {ScalarRule([&](double &DS, Tensor &DT) {
                                   add_pullback(1.5, T, G, DS, DT);
                                 }),
                                 ScalarRule([&](double &DS, Tensor &DT) {
                                   sub_pullback(1.5, T, G, DS, DT);
                                 }),
                                 ScalarRule([&](double &DS, Tensor &DT) {
                                   sub_pullback(T, 1.5, G, DT, DS);
                                 }),
                                 ScalarRule([&](double &DS, Tensor &DT) {
                                   mul_pullback(T, 1.5, G, DT, DS);
                                 }),
                                 ScalarRule([&](double &DS, Tensor &DT) {
                                   div_pullback(1.5, T, G, DS, DT);
                                 })}) {
    double Want = 0, Got = 0;
    Tensor DT;
    Rule(Want, DT);
    Rule(Got, unused());
    EXPECT_EQ(Got, Want);
    EXPECT_NE(Got, 0.0);
    EXPECT_FALSE(unused().defined());
  }
  double Want = 0, Got = 0;
  Tensor DX;
  Tensor X = ramp({3, 4}, 0.5f, 2.0f, 3);
  pow_pullback(X, 1.5, G, DX, Want);
  pow_pullback(X, 1.5, G, unused(), Got);
  EXPECT_EQ(Got, Want);
  EXPECT_FALSE(unused().defined());
}

} // namespace
