//===- matmul_bench.cpp - matmul as users call it, against OpenBLAS -------===//
//
// Square products C = A * B for N = 256, 512, 1024, as a user writes them:
//   matmul/public      c = adjoint::matmul(a, b)   (a new result per call)
//   matmul_out/public  adjoint::matmul_out(c, a, b) (into c's storage)
//   sgemm/kernel       adjoint's kernel into a reused buffer
//   sgemm/openblas     cblas_sgemm into a reused buffer (the baseline)
// interleaved per N and thread count so that they see the same machine
// noise. Single-threaded rows measure the CPU time of the whole process
// (page faults of fresh results included); rows with two threads measure
// wall time, which is what threads shorten. OpenBLAS is a benchmark-only
// dependency: the runtime never links it.
//
// Ratios against OpenBLAS: bench/matmul_ratios.py build-16/bin/matmul_bench
//
//===----------------------------------------------------------------------===//

#include "adjoint/tensor.h"
#include "adjoint/threads.h"
#include "runtime/kernels/kernels.h"

#include <benchmark/benchmark.h>
#include <cblas.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

using adjoint::Tensor;

/// Operands of one square product, uniform in [-1, 1).
struct Operands {
  explicit Operands(std::int64_t N)
      : N(N), A(adjoint::rand({N, N}) * 2.0f - 1.0f),
        B(adjoint::rand({N, N}) * 2.0f - 1.0f), C(adjoint::zeros({N, N})) {}
  std::int64_t N;
  Tensor A, B, C;
};

void setThreads(int Threads) {
  adjoint::set_num_threads(Threads);
  openblas_set_num_threads(Threads);
}

void report(benchmark::State &State, std::int64_t N) {
  State.counters["GFLOPS"] = benchmark::Counter(
      2.0 * N * N * N * static_cast<double>(State.iterations()) / 1e9,
      benchmark::Counter::kIsRate);
}

void BM_MatmulPublic(benchmark::State &State) {
  setThreads(static_cast<int>(State.range(1)));
  Operands Op(State.range(0));
  Tensor C;
  for (auto _ : State) {
    C = adjoint::matmul(Op.A, Op.B);
    benchmark::DoNotOptimize(C.data());
  }
  report(State, Op.N);
}

void BM_MatmulOutPublic(benchmark::State &State) {
  setThreads(static_cast<int>(State.range(1)));
  Operands Op(State.range(0));
  for (auto _ : State) {
    adjoint::matmul_out(Op.C, Op.A, Op.B);
    benchmark::DoNotOptimize(Op.C.data());
  }
  report(State, Op.N);
}

void BM_Kernel(benchmark::State &State) {
  setThreads(static_cast<int>(State.range(1)));
  Operands Op(State.range(0));
  const std::int64_t N = Op.N;
  for (auto _ : State) {
    adjoint::kernels::sgemm(false, false, N, N, N, 1.0f, Op.A.data(), N,
                            Op.B.data(), N, 0.0f, Op.C.data(), N);
    benchmark::ClobberMemory();
  }
  report(State, N);
}

void BM_OpenBLAS(benchmark::State &State) {
  setThreads(static_cast<int>(State.range(1)));
  Operands Op(State.range(0));
  const int N = static_cast<int>(Op.N);
  for (auto _ : State) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, N, N, 1.0f,
                Op.A.data(), N, Op.B.data(), N, 0.0f, Op.C.data(), N);
    benchmark::ClobberMemory();
  }
  report(State, N);
}

/// Guards against comparing speed with a library that computes something
/// else (old OpenBLAS builds can misdetect new CPUs).
bool resultsAgree(std::int64_t N) {
  Operands Op(N);
  Tensor Ours = adjoint::matmul(Op.A, Op.B);
  const int Ni = static_cast<int>(N);
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Ni, Ni, Ni, 1.0f,
              Op.A.data(), Ni, Op.B.data(), Ni, 0.0f, Op.C.data(), Ni);
  const float Tolerance = 1e-5f * static_cast<float>(N);
  for (std::int64_t I = 0; I < N * N; ++I)
    if (std::abs(Ours.data()[I] - Op.C.data()[I]) > Tolerance) {
      std::fprintf(stderr, "matmul_bench: results differ at N=%lld, %lld\n",
                   static_cast<long long>(N), static_cast<long long>(I));
      return false;
    }
  return true;
}

} // namespace

int main(int Argc, char **Argv) {
  benchmark::AddCustomContext("openblas_core", openblas_get_corename());
  for (int Threads : {1, 2})
    for (std::int64_t N : {256, 512, 1024}) {
      if (Threads == 1 && !resultsAgree(N))
        return 1;
      auto Add = [&](const char *Name, void (*Fn)(benchmark::State &)) {
        auto *B = benchmark::RegisterBenchmark(Name, Fn)
                      ->Args({N, Threads})
                      ->ArgNames({"n", "threads"})
                      ->Unit(benchmark::kMicrosecond);
        if (Threads == 1)
          B->MeasureProcessCPUTime();
        else
          B->UseRealTime();
      };
      // Interleaved per size, so a slow phase of the machine hits all four.
      Add("matmul/public", BM_MatmulPublic);
      Add("matmul_out/public", BM_MatmulOutPublic);
      Add("sgemm/kernel", BM_Kernel);
      Add("sgemm/openblas", BM_OpenBLAS);
    }
  benchmark::Initialize(&Argc, Argv);
  if (benchmark::ReportUnrecognizedArguments(Argc, Argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
