//===- tensor_bench.cpp - Generated tensor gradients vs hand-written ------===//
//
// Three networks, each timed three ways in one Google Benchmark run:
//   BM_<net>_forward    the annotated function itself (the no_grad forward),
//   BM_<net>_generated  the gradient the adjoint plugin generates (f_grad),
//   BM_<net>_hand       a gradient written by hand from the same runtime ops
//                       and pullbacks, without any intermediate adjoint copy.
// The networks: the autograd tutorial's (x[5] . w[5,3] + b, BCE with logits),
// one large layer (x[256,1024] . w[1024,1024] + b, BCE with logits) and an
// MLP (x[256,784] . w1[784,256] + b1, relu, . w2[256,10] + b2, cross entropy
// with class indices). bench/tensor_ratios.py turns the run into ratios.
//
// Must be compiled with the adjoint plugin (bench/CMakeLists.txt does so).
// main() first checks that the generated and the hand-written gradients
// agree, so a benchmark can never time a wrong gradient. Everything runs on
// one thread (adjoint::set_num_threads(1)), like torch.set_num_threads(1).
//
//===----------------------------------------------------------------------===//
#include <adjoint/adjoint.h>

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <vector>

using adjoint::Tensor;
namespace d = adjoint::derivatives;

//===--- The networks, differentiated by the plugin ----------------------===//

ADJOINT_GRAD(w, b)
Tensor layer_loss(const Tensor &x, const Tensor &y, const Tensor &w,
                  const Tensor &b) {
  Tensor z = matmul(x, w) + b;
  return binary_cross_entropy_with_logits(z, y);
}

ADJOINT_GRAD(w1, b1, w2, b2)
Tensor mlp_loss(const Tensor &x, const std::vector<std::int64_t> &labels,
                const Tensor &w1, const Tensor &b1, const Tensor &w2,
                const Tensor &b2) {
  Tensor h = relu(matmul(x, w1) + b1);
  Tensor logits = matmul(h, w2) + b2;
  return cross_entropy(logits, labels);
}

//===--- The same gradients by hand --------------------------------------===//

/// What one writes by hand with the runtime: forward keeping what the
/// pullbacks need, then the pullbacks straight into dw and db (the bias
/// gradient is the sum of dz over the batch).
Tensor layer_loss_hand(const Tensor &x, const Tensor &y, const Tensor &w,
                       const Tensor &b, Tensor &dw, Tensor &db) {
  Tensor z = matmul(x, w) + b;
  Tensor loss = binary_cross_entropy_with_logits(z, y);
  Tensor dz;
  d::binary_cross_entropy_with_logits_pullback(z, y, adjoint::tensor(1.0f), dz,
                                               d::unused());
  d::matmul_pullback(x, w, dz, d::unused(), dw);
  Tensor gb = sum_to(dz, b.shape());
  if (db.defined())
    db.add_(gb);
  else
    db = gb;
  return loss;
}

Tensor mlp_loss_hand(const Tensor &x, const std::vector<std::int64_t> &labels,
                     const Tensor &w1, const Tensor &b1, const Tensor &w2,
                     const Tensor &b2, Tensor &dw1, Tensor &db1, Tensor &dw2,
                     Tensor &db2) {
  Tensor a = matmul(x, w1) + b1;
  Tensor h = relu(a);
  Tensor logits = matmul(h, w2) + b2;
  Tensor loss = cross_entropy(logits, labels);
  Tensor dlogits, dh, da;
  d::cross_entropy_pullback(logits, labels, adjoint::tensor(1.0f), dlogits);
  d::matmul_pullback(h, w2, dlogits, dh, dw2);
  auto addBias = [](Tensor &D, const Tensor &G, const Tensor &B) {
    Tensor S = sum_to(G, B.shape());
    if (D.defined())
      D.add_(S);
    else
      D = S;
  };
  addBias(db2, dlogits, b2);
  d::relu_pullback(a, dh, da);
  d::matmul_pullback(x, w1, da, d::unused(), dw1);
  addBias(db1, da, b1);
  return loss;
}

//===--- Data -------------------------------------------------------------===//

namespace {

struct Layer {
  Tensor x, y, w, b;
  Layer(std::int64_t Batch, std::int64_t In, std::int64_t Out) {
    adjoint::manual_seed(1);
    // The tutorial's shapes are 1-D input and target; the large layer is a
    // batch of rows.
    x = Batch ? adjoint::randn(Batch, In) : adjoint::ones({In});
    y = adjoint::zeros(Batch ? adjoint::Shape{Batch, Out}
                             : adjoint::Shape{Out});
    for (std::int64_t I = 0; I < y.numel(); ++I)
      y.data()[I] = float(I * 7 % 3 == 0);
    w = adjoint::randn(In, Out) * float(1 / std::sqrt(double(In)));
    b = adjoint::randn({Out});
  }
};

struct Mlp {
  Tensor x, w1, b1, w2, b2;
  std::vector<std::int64_t> labels;
  Mlp() {
    adjoint::manual_seed(2);
    x = adjoint::randn(256, 784);
    w1 = adjoint::randn(784, 256) * float(1 / std::sqrt(784.0));
    b1 = adjoint::zeros({256});
    w2 = adjoint::randn(256, 10) * float(1 / std::sqrt(256.0));
    b2 = adjoint::zeros({10});
    for (int I = 0; I < 256; ++I)
      labels.push_back(I % 10);
  }
};

Layer &tutorial() {
  static Layer L(0, 5, 3);
  return L;
}
Layer &large() {
  static Layer L(256, 1024, 1024);
  return L;
}
Mlp &mlp() {
  static Mlp M;
  return M;
}

//===--- Benchmarks -------------------------------------------------------===//

// Gradients accumulate across iterations like .grad across backward() calls
// without zero_grad; both sides do the same accumulation.
template <Layer &(*Net)()> void layerForward(benchmark::State &State) {
  Layer &L = Net();
  for (auto _ : State)
    benchmark::DoNotOptimize(layer_loss(L.x, L.y, L.w, L.b));
}
template <Layer &(*Net)()> void layerGenerated(benchmark::State &State) {
  Layer &L = Net();
  Tensor dw, db;
  for (auto _ : State)
    benchmark::DoNotOptimize(layer_loss_grad(L.x, L.y, L.w, L.b, dw, db));
}
template <Layer &(*Net)()> void layerHand(benchmark::State &State) {
  Layer &L = Net();
  Tensor dw, db;
  for (auto _ : State)
    benchmark::DoNotOptimize(layer_loss_hand(L.x, L.y, L.w, L.b, dw, db));
}

void mlpForward(benchmark::State &State) {
  Mlp &M = mlp();
  for (auto _ : State)
    benchmark::DoNotOptimize(mlp_loss(M.x, M.labels, M.w1, M.b1, M.w2, M.b2));
}
void mlpGenerated(benchmark::State &State) {
  Mlp &M = mlp();
  Tensor dw1, db1, dw2, db2;
  for (auto _ : State)
    benchmark::DoNotOptimize(mlp_loss_grad(M.x, M.labels, M.w1, M.b1, M.w2,
                                           M.b2, dw1, db1, dw2, db2));
}
void mlpHand(benchmark::State &State) {
  Mlp &M = mlp();
  Tensor dw1, db1, dw2, db2;
  for (auto _ : State)
    benchmark::DoNotOptimize(mlp_loss_hand(M.x, M.labels, M.w1, M.b1, M.w2,
                                           M.b2, dw1, db1, dw2, db2));
}

BENCHMARK(layerForward<tutorial>)->Name("BM_tutorial_forward");
BENCHMARK(layerGenerated<tutorial>)->Name("BM_tutorial_generated");
BENCHMARK(layerHand<tutorial>)->Name("BM_tutorial_hand");
BENCHMARK(layerForward<large>)
    ->Name("BM_large_forward")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(layerGenerated<large>)
    ->Name("BM_large_generated")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(layerHand<large>)
    ->Name("BM_large_hand")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(mlpForward)->Name("BM_mlp_forward")->Unit(benchmark::kMicrosecond);
BENCHMARK(mlpGenerated)
    ->Name("BM_mlp_generated")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(mlpHand)->Name("BM_mlp_hand")->Unit(benchmark::kMicrosecond);

/// Largest |A - B| relative to max(1, |B|).
double maxError(const Tensor &A, const Tensor &B) {
  double E = 0;
  for (std::int64_t I = 0; I < A.numel(); ++I)
    E = std::fmax(E, std::fabs(A.data()[I] - B.data()[I]) /
                         std::fmax(1.0, std::fabs(B.data()[I])));
  return E;
}

/// The generated and the hand-written gradients must agree before timing.
bool gradientsAgree() {
  double E = 0;
  for (Layer *L : {&tutorial(), &large()}) {
    Tensor gw, gb, hw, hb;
    layer_loss_grad(L->x, L->y, L->w, L->b, gw, gb);
    layer_loss_hand(L->x, L->y, L->w, L->b, hw, hb);
    E = std::fmax(E, std::fmax(maxError(gw, hw), maxError(gb, hb)));
  }
  Mlp &M = mlp();
  Tensor g[4], h[4];
  mlp_loss_grad(M.x, M.labels, M.w1, M.b1, M.w2, M.b2, g[0], g[1], g[2], g[3]);
  mlp_loss_hand(M.x, M.labels, M.w1, M.b1, M.w2, M.b2, h[0], h[1], h[2], h[3]);
  for (int K = 0; K < 4; ++K)
    E = std::fmax(E, maxError(g[K], h[K]));
  std::fprintf(stderr, "generated vs hand-written gradients: max error %.2g\n",
               E);
  return E <= 1e-5;
}

} // namespace

int main(int argc, char **argv) {
  adjoint::set_num_threads(1);
  if (!gradientsAgree())
    return 1;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
