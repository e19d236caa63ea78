//===- gemm_bench.cpp - SGEMM throughput: adjoint vs OpenBLAS vs Eigen ----===//
//
// Square single-precision products C = A * B for N = 64 .. 2048 on one
// thread, the three libraries interleaved per N so that they see the same
// machine noise. Each benchmark reports a "GFLOPS" counter (GFLOP/s) (2 N^3
// flops per product). This file is compiled with -march=native so that Eigen
// uses the widest vectors available; adjoint picks its kernel at run time
// anyway.
//
// Run, e.g.:
//   OPENBLAS_CORETYPE=SkylakeX build/bin/gemm_bench --benchmark_repetitions=3
//
//===----------------------------------------------------------------------===//

#include "runtime/kernels/kernels.h"

#include <Eigen/Core>
#include <benchmark/benchmark.h>
#include <cblas.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace {

using RowMatrix =
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Operands of one square product, filled with values in [-1, 1].
struct Operands {
  explicit Operands(std::int64_t N) : N(N), A(N * N), B(N * N), C(N * N, 0.0f) {
    std::mt19937 Rng(static_cast<unsigned>(N));
    std::uniform_real_distribution<float> Dist(-1.0f, 1.0f);
    for (float &X : A)
      X = Dist(Rng);
    for (float &X : B)
      X = Dist(Rng);
  }
  std::int64_t N;
  std::vector<float> A, B, C;
};

void reportFlops(benchmark::State &State, std::int64_t N) {
  State.counters["GFLOPS"] = benchmark::Counter(
      2.0 * N * N * N * static_cast<double>(State.iterations()) / 1e9,
      benchmark::Counter::kIsRate);
  State.counters["N"] = static_cast<double>(N);
}

void BM_Adjoint(benchmark::State &State) {
  Operands Op(State.range(0));
  const std::int64_t N = Op.N;
  for (auto _ : State) {
    adjoint::kernels::sgemm(false, false, N, N, N, 1.0f, Op.A.data(), N,
                            Op.B.data(), N, 0.0f, Op.C.data(), N);
    benchmark::ClobberMemory();
  }
  reportFlops(State, N);
}

void BM_OpenBLAS(benchmark::State &State) {
  Operands Op(State.range(0));
  const int N = static_cast<int>(Op.N);
  for (auto _ : State) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, N, N, 1.0f,
                Op.A.data(), N, Op.B.data(), N, 0.0f, Op.C.data(), N);
    benchmark::ClobberMemory();
  }
  reportFlops(State, N);
}

void BM_Eigen(benchmark::State &State) {
  Operands Op(State.range(0));
  const std::int64_t N = Op.N;
  Eigen::Map<const RowMatrix> A(Op.A.data(), N, N), B(Op.B.data(), N, N);
  Eigen::Map<RowMatrix> C(Op.C.data(), N, N);
  for (auto _ : State) {
    C.noalias() = A * B;
    benchmark::ClobberMemory();
  }
  reportFlops(State, N);
}

/// Guards against comparing speed with a library that computes something
/// else (old OpenBLAS builds can misdetect new CPUs): all three must agree.
bool resultsAgree(std::int64_t N) {
  Operands Op(N);
  std::vector<float> Ours(N * N), Theirs(N * N);
  adjoint::kernels::sgemm(false, false, N, N, N, 1.0f, Op.A.data(), N,
                          Op.B.data(), N, 0.0f, Ours.data(), N);
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, N, N, 1.0f,
              Op.A.data(), N, Op.B.data(), N, 0.0f, Theirs.data(), N);
  RowMatrix E = Eigen::Map<const RowMatrix>(Op.A.data(), N, N) *
                Eigen::Map<const RowMatrix>(Op.B.data(), N, N);
  const float Tolerance = 1e-5f * static_cast<float>(N);
  for (std::int64_t I = 0; I < N * N; ++I)
    if (std::abs(Ours[I] - Theirs[I]) > Tolerance ||
        std::abs(Ours[I] - E.data()[I]) > Tolerance) {
      std::fprintf(stderr, "gemm_bench: results differ at N=%lld, %lld\n",
                   static_cast<long long>(N), static_cast<long long>(I));
      return false;
    }
  return true;
}

} // namespace

int main(int Argc, char **Argv) {
  // Single-threaded comparison: OpenBLAS reads this before its first call.
  setenv("OPENBLAS_NUM_THREADS", "1", /*overwrite=*/1);
  openblas_set_num_threads(1);
  Eigen::setNbThreads(1);
  adjoint::kernels::set_num_threads(1);
  benchmark::AddCustomContext("openblas_core", openblas_get_corename());
  benchmark::AddCustomContext("eigen_simd", Eigen::SimdInstructionSetsInUse());

  for (std::int64_t N : {64, 128, 256, 512, 1024, 2048}) {
    if (N <= 512 && !resultsAgree(N))
      return 1;
    // Interleaved per N, so a slow phase of the machine hits all three.
    benchmark::RegisterBenchmark("sgemm/adjoint", BM_Adjoint)
        ->Arg(N)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("sgemm/openblas", BM_OpenBLAS)
        ->Arg(N)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("sgemm/eigen", BM_Eigen)
        ->Arg(N)
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::Initialize(&Argc, Argv);
  if (benchmark::ReportUnrecognizedArguments(Argc, Argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
