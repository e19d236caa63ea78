//===- bce_bench.cpp - BCE with logits against memory bandwidth -----------===//
//
// Fused BCE forward+backward over 16M logits, reported as GB/s of input
// (the bytes of z and y read), next to a memcpy of the same number of bytes
// and the scalar reference in the same run: the machines are shared and
// noisy, so only ratios within one run mean much. A 64K-element size, which
// stays in cache, shows the kernel's compute throughput.
//
//===----------------------------------------------------------------------===//

#include "runtime/kernels/kernels.h"

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

namespace {

using namespace adjoint::kernels;

constexpr std::int64_t kCached = std::int64_t{1} << 16;
constexpr std::int64_t kLarge = std::int64_t{1} << 24;

/// Logits in [-8, 8] and targets in {0, 1}, like a classifier mid-training.
struct Problem {
  explicit Problem(std::size_t N) : Z(N), Y(N), DZ(N) {
    std::mt19937 Rng(1);
    std::uniform_real_distribution<float> Logit(-8.0f, 8.0f);
    for (std::size_t I = 0; I < N; ++I) {
      Z[I] = Logit(Rng);
      Y[I] = static_cast<float>(Rng() & 1);
    }
  }
  std::vector<float> Z, Y, DZ;
};

/// Bytes of input a BCE pass over N elements reads.
std::int64_t inputBytes(std::int64_t N) {
  return 2 * N * static_cast<std::int64_t>(sizeof(float));
}

void BM_Memcpy(benchmark::State &State) {
  const std::size_t Bytes =
      static_cast<std::size_t>(inputBytes(State.range(0)));
  std::vector<char> Src(Bytes, 1), Dst(Bytes, 0);
  for (auto _ : State) {
    std::memcpy(Dst.data(), Src.data(), Bytes);
    benchmark::ClobberMemory();
  }
  State.SetBytesProcessed(State.iterations() * inputBytes(State.range(0)));
}

void BM_BceForwardBackward(benchmark::State &State) {
  const std::size_t N = static_cast<std::size_t>(State.range(0));
  Problem P(N);
  for (auto _ : State) {
    const double Loss = bce_with_logits_forward_backward(
        P.Z.data(), P.Y.data(), nullptr, 1, N, 1.0f / N, P.DZ.data());
    benchmark::DoNotOptimize(Loss);
    benchmark::ClobberMemory();
  }
  State.SetBytesProcessed(State.iterations() * inputBytes(State.range(0)));
}

void BM_BceForwardBackwardPosWeight(benchmark::State &State) {
  const std::size_t N = static_cast<std::size_t>(State.range(0));
  Problem P(N);
  const float PosWeight[] = {0.5f, 2.0f, 3.0f};
  for (auto _ : State) {
    const double Loss = bce_with_logits_forward_backward(
        P.Z.data(), P.Y.data(), PosWeight, 3, N, 1.0f / N, P.DZ.data());
    benchmark::DoNotOptimize(Loss);
    benchmark::ClobberMemory();
  }
  State.SetBytesProcessed(State.iterations() * inputBytes(State.range(0)));
}

void BM_BceForwardBackwardReference(benchmark::State &State) {
  const std::size_t N = static_cast<std::size_t>(State.range(0));
  Problem P(N);
  for (auto _ : State) {
    const double Loss = bce_with_logits_forward_backward_reference(
        P.Z.data(), P.Y.data(), nullptr, 1, N, 1.0f / N, P.DZ.data());
    benchmark::DoNotOptimize(Loss);
    benchmark::ClobberMemory();
  }
  State.SetBytesProcessed(State.iterations() * inputBytes(State.range(0)));
}

BENCHMARK(BM_Memcpy)->Arg(kCached)->Arg(kLarge)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_BceForwardBackward)
    ->Arg(kCached)
    ->Arg(kLarge)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_BceForwardBackwardPosWeight)
    ->Arg(kLarge)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_BceForwardBackwardReference)
    ->Arg(kLarge)
    ->Unit(benchmark::kMicrosecond);

} // namespace

int main(int Argc, char **Argv) {
  // One thread, like the memcpy it is compared with.
  adjoint::kernels::set_num_threads(1);
  benchmark::Initialize(&Argc, Argv);
  if (benchmark::ReportUnrecognizedArguments(Argc, Argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
