//===- digits_mlp.cpp - An MLP on the handwritten digits data set ---------===//
//
// A 64-128-10 ReLU MLP trained with cross entropy on the 1797 8x8 digit
// images that scikit-learn ships (Debian's python3-sklearn installs them as
// sklearn/datasets/data/digits.csv.gz; the file is read here with zlib).
// Shuffled 80/20 train/test split, minibatches of 64 (incomplete batches
// dropped, as DataLoader(drop_last=True)), Adam. The gradient of `loss` comes
// from the adjoint plugin, the update from adjoint::optim. Prints one line
// per epoch and the final test accuracy.
//
// Data-parallel with adjoint::dist: under `mpirun -np P` every process takes
// 1/P of each batch and the gradients are averaged before the step, so every
// process ends with the parameters one process gets on the whole batches.
//
//   digits_mlp [--epochs N] [--batch B] [--lr LR] [--threads T]
//              [--data digits.csv.gz] [--save params.txt]
//
//===----------------------------------------------------------------------===//
#include <adjoint/adjoint.h>
#include <adjoint/dist.h>

#include <zlib.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using adjoint::Tensor;

static Tensor forward(const Tensor &x, const Tensor &w1, const Tensor &b1,
                      const Tensor &w2, const Tensor &b2);

namespace {

constexpr std::int64_t Features = 64, Hidden = 128, Classes = 10;

/// Images (rows of 64 pixels scaled to [0, 1]) and their digits.
struct Dataset {
  std::vector<float> Pixels;
  std::vector<std::int64_t> Labels;
  std::int64_t size() const { return static_cast<std::int64_t>(Labels.size()); }
};

/// Reads scikit-learn's digits.csv.gz: 65 comma-separated numbers a line,
/// the 64 pixels (0 to 16) then the digit.
Dataset readDigits(const std::string &Path) {
  gzFile File = gzopen(Path.c_str(), "rb");
  if (!File)
    throw std::runtime_error("cannot open " + Path +
                             " (install python3-sklearn or pass --data)");
  Dataset D;
  char Line[4096];
  std::int64_t LineNo = 0;
  while (gzgets(File, Line, sizeof(Line))) {
    ++LineNo;
    std::vector<float> Values;
    for (char *P = Line; *P && *P != '\n';) {
      char *End = nullptr;
      Values.push_back(std::strtof(P, &End));
      if (End == P)
        break;
      P = *End == ',' ? End + 1 : End;
    }
    if (Values.empty())
      continue;
    if (static_cast<std::int64_t>(Values.size()) != Features + 1)
      throw std::runtime_error(Path + ":" + std::to_string(LineNo) +
                               ": expected 65 values, got " +
                               std::to_string(Values.size()));
    for (std::int64_t I = 0; I < Features; ++I)
      D.Pixels.push_back(Values[I] / 16.0f);
    D.Labels.push_back(static_cast<std::int64_t>(Values[Features]));
  }
  gzclose(File);
  return D;
}

/// The rows \p Rows of \p D as a [rows, 64] tensor and their labels.
void gather(const Dataset &D, const std::vector<std::int64_t> &Rows,
            std::size_t Begin, std::size_t End, Tensor &X,
            std::vector<std::int64_t> &Labels) {
  const std::int64_t N = static_cast<std::int64_t>(End - Begin);
  if (!X.defined() || X.size(0) != N)
    X = adjoint::empty({N, Features});
  Labels.resize(N);
  for (std::int64_t I = 0; I < N; ++I) {
    const std::int64_t Row = Rows[Begin + I];
    std::memcpy(X.data() + I * Features, D.Pixels.data() + Row * Features,
                Features * sizeof(float));
    Labels[I] = D.Labels[Row];
  }
}

/// A permutation of [0, N) from \p Rng (Fisher-Yates with explicit
/// arithmetic, so every process and platform draws the same one).
std::vector<std::int64_t> permutation(std::int64_t N, std::mt19937_64 &Rng) {
  std::vector<std::int64_t> P(N);
  for (std::int64_t I = 0; I < N; ++I)
    P[I] = I;
  for (std::int64_t I = N - 1; I > 0; --I)
    std::swap(P[I], P[static_cast<std::int64_t>(Rng() % (I + 1))]);
  return P;
}

/// Uniform in [-1/sqrt(fan_in), 1/sqrt(fan_in)), PyTorch's nn.Linear
/// initialization.
Tensor linearInit(const adjoint::Shape &S, std::int64_t FanIn) {
  const float Bound = 1.0f / std::sqrt(static_cast<float>(FanIn));
  return (adjoint::rand(S) * 2.0f - 1.0f) * Bound;
}

/// Fraction of \p D's rows \p Rows that the network classifies right.
double accuracy(const Dataset &D, const std::vector<std::int64_t> &Rows,
                const Tensor &w1, const Tensor &b1, const Tensor &w2,
                const Tensor &b2) {
  Tensor X;
  std::vector<std::int64_t> Labels;
  gather(D, Rows, 0, Rows.size(), X, Labels);
  Tensor Logits = forward(X, w1, b1, w2, b2);
  std::int64_t Right = 0;
  for (std::int64_t I = 0; I < Logits.size(0); ++I) {
    const float *Row = Logits.data() + I * Classes;
    std::int64_t Best = 0;
    for (std::int64_t C = 1; C < Classes; ++C)
      if (Row[C] > Row[Best])
        Best = C;
    Right += Best == Labels[I];
  }
  return static_cast<double>(Right) / static_cast<double>(Rows.size());
}

struct Options {
  int Epochs = 30;
  std::int64_t Batch = 64;
  double Lr = 1e-2;
  int Threads = 0;
  std::string Data =
      "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz";
  std::string Save;
};

Options parseOptions(int Argc, char **Argv) {
  Options O;
  for (int I = 1; I < Argc; ++I) {
    std::string Arg = Argv[I];
    auto Value = [&]() -> std::string {
      if (I + 1 >= Argc)
        throw std::invalid_argument(Arg + " needs a value");
      return Argv[++I];
    };
    if (Arg == "--epochs")
      O.Epochs = std::stoi(Value());
    else if (Arg == "--batch")
      O.Batch = std::stoll(Value());
    else if (Arg == "--lr")
      O.Lr = std::stod(Value());
    else if (Arg == "--threads")
      O.Threads = std::stoi(Value());
    else if (Arg == "--data")
      O.Data = Value();
    else if (Arg == "--save")
      O.Save = Value();
    else
      throw std::invalid_argument("unknown option " + Arg);
  }
  return O;
}

} // namespace

/// The network's logits for the images x. Static rather than in the anonymous
/// namespace: the plugin names the pullback it generates by its qualified
/// name, which an anonymous namespace does not have.
static Tensor forward(const Tensor &x, const Tensor &w1, const Tensor &b1,
                      const Tensor &w2, const Tensor &b2) {
  Tensor h = relu(matmul(x, w1) + b1);
  return matmul(h, w2) + b2;
}

/// Mean cross entropy of the network on a batch. forward's body is visible,
/// so the plugin generates its pullback too.
ADJOINT_GRAD(w1, b1, w2, b2)
Tensor loss(const Tensor &x, const std::vector<std::int64_t> &labels,
            const Tensor &w1, const Tensor &b1, const Tensor &w2,
            const Tensor &b2) {
  return cross_entropy(forward(x, w1, b1, w2, b2), labels);
}

int main(int Argc, char **Argv) {
  adjoint::dist::init(&Argc, &Argv);
  const int Rank = adjoint::dist::rank(), World = adjoint::dist::world_size();
  try {
    const Options O = parseOptions(Argc, Argv);
    if (O.Batch % World != 0)
      throw std::invalid_argument("--batch " + std::to_string(O.Batch) +
                                  " does not split over " +
                                  std::to_string(World) + " processes");
    adjoint::set_num_threads(O.Threads);
    const Dataset D = readDigits(O.Data);

    // The same seed everywhere: every process draws the same split, batches
    // and initial parameters.
    std::mt19937_64 Rng(2026);
    std::vector<std::int64_t> All = permutation(D.size(), Rng);
    const std::size_t TrainSize = static_cast<std::size_t>(D.size() * 4 / 5);
    std::vector<std::int64_t> Train(All.begin(), All.begin() + TrainSize);
    std::vector<std::int64_t> Test(All.begin() + TrainSize, All.end());

    adjoint::manual_seed(7);
    Tensor w1 = linearInit({Features, Hidden}, Features);
    Tensor b1 = linearInit({Hidden}, Features);
    Tensor w2 = linearInit({Hidden, Classes}, Hidden);
    Tensor b2 = linearInit({Classes}, Hidden);
    Tensor dw1 = adjoint::zeros_like(w1), db1 = adjoint::zeros_like(b1);
    Tensor dw2 = adjoint::zeros_like(w2), db2 = adjoint::zeros_like(b2);
    adjoint::optim::Adam Opt({w1, b1, w2, b2}, {dw1, db1, dw2, db2},
                             adjoint::optim::AdamOptions(O.Lr));

    const std::int64_t Local = O.Batch / World;
    const std::size_t Batches = Train.size() / O.Batch;
    if (Rank == 0)
      std::printf("digits: %zu train, %zu test images; %d process(es), "
                  "%d thread(s) each\n",
                  Train.size(), Test.size(), World, adjoint::get_num_threads());
    Tensor X;
    std::vector<std::int64_t> Labels;
    double TotalSeconds = 0;
    for (int Epoch = 1; Epoch <= O.Epochs; ++Epoch) {
      const auto Start = std::chrono::steady_clock::now();
      std::vector<std::int64_t> Order = permutation(Train.size(), Rng);
      for (std::int64_t &I : Order)
        I = Train[I];
      double LossSum = 0;
      for (std::size_t B = 0; B < Batches; ++B) {
        // This process's slice of the batch.
        const std::size_t Begin = B * O.Batch + Rank * Local;
        gather(D, Order, Begin, Begin + Local, X, Labels);
        Opt.zero_grad();
        Tensor L = loss_grad(X, Labels, w1, b1, w2, b2, dw1, db1, dw2, db2);
        if (World > 1)
          adjoint::dist::all_reduce_mean({dw1, db1, dw2, db2});
        Opt.step();
        LossSum += L.item();
      }
      const double Seconds = std::chrono::duration<double>(
                                 std::chrono::steady_clock::now() - Start)
                                 .count();
      TotalSeconds += Seconds;
      if (Rank == 0)
        std::printf("epoch %3d/%d  loss %.4f  test accuracy %.4f  %.2f ms\n",
                    Epoch, O.Epochs, LossSum / Batches,
                    accuracy(D, Test, w1, b1, w2, b2), Seconds * 1e3);
    }
    if (Rank == 0) {
      std::printf("test accuracy %.4f, %.2f ms per epoch\n",
                  accuracy(D, Test, w1, b1, w2, b2),
                  TotalSeconds * 1e3 / O.Epochs);
      if (!O.Save.empty()) {
        FILE *Out = std::fopen(O.Save.c_str(), "w");
        if (!Out)
          throw std::runtime_error("cannot write " + O.Save);
        for (const Tensor *P : {&w1, &b1, &w2, &b2})
          for (std::int64_t I = 0; I < P->numel(); ++I)
            std::fprintf(Out, "%.9g\n", P->data()[I]);
        std::fclose(Out);
      }
    }
  } catch (const std::exception &E) {
    std::fprintf(stderr, "digits_mlp: %s\n", E.what());
    adjoint::dist::finalize();
    return 1;
  }
  adjoint::dist::finalize();
  return 0;
}
