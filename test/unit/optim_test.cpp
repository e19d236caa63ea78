//===- optim_test.cpp - SGD, Adam and AdamW against PyTorch ---------------===//
//
// Five steps of each optimizer on the scenario of optim_reference.py,
// compared with PyTorch 1.13's results held below as constants, and with a
// fresh run of that script when PyTorch can be imported; then the checks of
// bad arguments and the bookkeeping (zero_grad, skipped and rebound
// gradients).
//
//===----------------------------------------------------------------------===//

#include "tensor_test_util.h"

#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace adjoint;
using namespace adjoint::optim;

constexpr int Steps = 5;

using Factory =
    std::function<std::unique_ptr<Optimizer>(TensorRefs, TensorRefs)>;

/// The cases of optim_reference.py, same names and hyper-parameters.
std::vector<std::pair<std::string, Factory>> cases() {
  return {
      {"sgd",
       [](TensorRefs P, TensorRefs G) {
         return std::make_unique<SGD>(P, G, SGDOptions(0.1));
       }},
      {"sgd_momentum",
       [](TensorRefs P, TensorRefs G) {
         return std::make_unique<SGD>(
             P, G,
             SGDOptions(0.05).momentum(0.9).dampening(0.1).weight_decay(0.01));
       }},
      {"sgd_nesterov",
       [](TensorRefs P, TensorRefs G) {
         return std::make_unique<SGD>(
             P, G,
             SGDOptions(0.05).momentum(0.8).nesterov(true).weight_decay(0.02));
       }},
      {"adam",
       [](TensorRefs P, TensorRefs G) {
         return std::make_unique<Adam>(P, G, AdamOptions(0.01));
       }},
      {"adam_l2_amsgrad",
       [](TensorRefs P, TensorRefs G) {
         return std::make_unique<Adam>(P, G,
                                       AdamOptions(0.02)
                                           .betas(0.8, 0.99)
                                           .eps(1e-6)
                                           .weight_decay(0.05)
                                           .amsgrad(true));
       }},
      {"adamw",
       [](TensorRefs P, TensorRefs G) {
         return std::make_unique<AdamW>(P, G, AdamOptions(0.01));
       }},
      {"adamw_amsgrad",
       [](TensorRefs P, TensorRefs G) {
         return std::make_unique<AdamW>(
             P, G, AdamOptions(0.03).weight_decay(0.1).amsgrad(true));
       }},
  };
}

/// Runs the scenario: p0 [2, 3] and p1 [4] pulled towards targets by the
/// gradient 2 (p - t), computed in float like PyTorch does.
std::vector<float> runScenario(const Factory &Make) {
  Tensor P0 = empty({2, 3}), P1 = empty({4}), T0 = empty({2, 3}),
         T1 = empty({4});
  for (int K = 0; K < 6; ++K) {
    P0.data()[K] = static_cast<float>(0.5 - 0.3 * K);
    T0.data()[K] = static_cast<float>(0.1 * K);
  }
  for (int K = 0; K < 4; ++K) {
    P1.data()[K] = static_cast<float>(-1.0 + 0.7 * K);
    T1.data()[K] = static_cast<float>(0.2 - 0.1 * K);
  }
  Tensor G0 = zeros_like(P0), G1 = zeros_like(P1);
  std::unique_ptr<Optimizer> Opt = Make({P0, P1}, {G0, G1});
  for (int S = 0; S < Steps; ++S) {
    Opt->zero_grad();
    for (int K = 0; K < 6; ++K)
      G0.data()[K] = 2.0f * (P0.data()[K] - T0.data()[K]);
    for (int K = 0; K < 4; ++K)
      G1.data()[K] = 2.0f * (P1.data()[K] - T1.data()[K]);
    Opt->step();
  }
  std::vector<float> Out(P0.data(), P0.data() + 6);
  Out.insert(Out.end(), P1.data(), P1.data() + 4);
  return Out;
}

/// Output of optim_reference.py with PyTorch 1.13.
const std::map<std::string, std::vector<float>> &torchResults() {
  static const std::map<std::string, std::vector<float>> Results = {
      {"sgd",
       {0.163839981f, 0.13276799f, 0.101696007f, 0.0706240162f, 0.0395520106f,
        0.00848002639f, -0.193215996f, -0.0310720019f, 0.131071985f,
        0.29321599f}},
      {"sgd_momentum",
       {0.00965926424f, 0.101443954f, 0.193228647f, 0.285013288f, 0.376798004f,
        0.46858272f, 0.175841957f, 0.0917846933f, 0.00772741716f,
        -0.0763298869f}},
      {"sgd_nesterov",
       {0.0186780915f, 0.10278251f, 0.186886936f, 0.270991355f, 0.355095804f,
        0.439200163f, 0.153266355f, 0.0841044262f, 0.0149424681f,
        -0.054219462f}},
      {"adam",
       {0.450098276f, 0.150796369f, -0.0501779467f, -0.350067765f,
        -0.650041759f, -0.950030148f, -0.950038075f, -0.250126779f,
        0.350126773f, 1.05003822f}},
      {"adam_l2_amsgrad",
       {0.400818706f, 0.107520893f, -0.00155170634f, -0.300565302f,
        -0.600344419f, -0.900247574f, -0.900312245f, -0.201073274f,
        0.301065415f, 1.00031161f}},
      {"adamw",
       {0.449858844f, 0.15070872f, -0.0501381308f, -0.349878073f, -0.649701953f,
        -0.949540436f, -0.949548483f, -0.249987215f, 0.34993732f, 1.04949856f}},
      {"adamw_amsgrad",
       {0.344642729f, 0.0686385632f, 0.0481844395f, -0.245692983f,
        -0.540912747f, -0.836313367f, -0.836409152f, -0.148026913f,
        0.246558785f, 0.934922516f}},
  };
  return Results;
}

/// Same float operations in the same order: a few ulps at most.
void expectMatches(const std::string &Case, const std::vector<float> &Ours,
                   const std::vector<float> &Torch) {
  ASSERT_EQ(Ours.size(), Torch.size()) << Case;
  for (std::size_t I = 0; I < Ours.size(); ++I)
    EXPECT_NEAR(Ours[I], Torch[I], 1e-6f * std::max(1.0f, std::abs(Torch[I])))
        << Case << " element " << I;
}

TEST(Optim, MatchesPyTorchReferenceValues) {
  for (const auto &[Name, Make] : cases())
    expectMatches(Name, runScenario(Make), torchResults().at(Name));
}

/// A Python that can import torch: ADJOINT_TORCH_PYTHON, python3 or
/// Debian's /usr/bin/python3 (python3 may be another installation).
std::string pythonWithTorch() {
  std::vector<std::string> Candidates = {"python3", "/usr/bin/python3"};
  if (const char *Env = std::getenv("ADJOINT_TORCH_PYTHON"))
    Candidates.insert(Candidates.begin(), Env);
  for (const std::string &Python : Candidates)
    if (std::system((Python + " -c 'import torch' >/dev/null 2>&1").c_str()) ==
        0)
      return Python;
  return "";
}

TEST(Optim, MatchesPyTorchRunNow) {
  const std::string Python = pythonWithTorch();
  if (Python.empty())
    GTEST_SKIP() << "PyTorch not importable; the reference values above "
                    "still cover the formulas";
  const std::string Command =
      Python + " " ADJOINT_SOURCE_DIR "/test/unit/optim_reference.py";
  FILE *Pipe = popen(Command.c_str(), "r");
  ASSERT_NE(Pipe, nullptr);
  std::string Output;
  char Buffer[4096];
  while (std::size_t Got = std::fread(Buffer, 1, sizeof(Buffer), Pipe))
    Output.append(Buffer, Got);
  ASSERT_EQ(pclose(Pipe), 0) << Output;
  std::map<std::string, std::vector<float>> Torch;
  std::istringstream Lines(Output);
  std::string Line;
  while (std::getline(Lines, Line)) {
    std::istringstream Fields(Line);
    std::string Name;
    Fields >> Name;
    float V;
    while (Fields >> V)
      Torch[Name].push_back(V);
  }
  const auto Cases = cases();
  ASSERT_EQ(Torch.size(), Cases.size()) << Output;
  for (const auto &[Name, Make] : Cases)
    expectMatches(Name, runScenario(Make), Torch.at(Name));
}

TEST(Optim, ZeroGradZeroesDefinedGradients) {
  Tensor W = ones({3}), DW = full({3}, 2.0f), B = ones({1}), DB;
  SGD Opt({W, B}, {DW, DB}, SGDOptions(0.1));
  Opt.zero_grad();
  EXPECT_EQ(DW.sum().item(), 0.0f);
  EXPECT_FALSE(DB.defined());
}

TEST(Optim, SkipsUndefinedGradientsAndSeesRebound) {
  Tensor W = ones({2}), DW;
  SGD Opt({W}, {DW}, SGDOptions(0.5));
  Opt.step();
  EXPECT_EQ(W.at({0}), 1.0f);
  // Generated code may rebind an undefined gradient to a new tensor.
  DW = full({2}, 1.0f);
  Opt.step();
  EXPECT_EQ(W.at({0}), 0.5f);
}

TEST(Optim, RejectsBadArguments) {
  Tensor W = ones({2, 3}), DW = ones({3, 2});
  EXPECT_THROW(SGD({W}, {}, SGDOptions(0.1)), std::invalid_argument);
  EXPECT_THROW(SGD({W}, {DW}, SGDOptions(-1.0)), std::invalid_argument);
  EXPECT_THROW(SGD({W}, {DW}, SGDOptions(0.1).nesterov(true)),
               std::invalid_argument);
  EXPECT_THROW(Adam({W}, {DW}, AdamOptions().betas(1.0, 0.999)),
               std::invalid_argument);
  SGD Opt({W}, {DW}, SGDOptions(0.1));
  try {
    Opt.step();
    ADD_FAILURE() << "no exception for mismatched shapes";
  } catch (const std::invalid_argument &E) {
    EXPECT_EQ(std::string(E.what()),
              "SGD: gradient 0 has shape [3, 2] but its parameter [2, 3]");
  }
}

TEST(Optim, AdamWDefaultsToPyTorchWeightDecay) {
  Tensor W = ones({1}), DW = zeros({1});
  AdamW Opt({W}, {DW});
  EXPECT_EQ(Opt.options().WeightDecay.value_or(-1.0), 1e-2);
  Opt.step();
  // A zero gradient leaves only the decoupled decay: w * (1 - lr * wd).
  EXPECT_FLOAT_EQ(W.item(), 1.0f - 1e-3f * 1e-2f);
}

} // namespace
