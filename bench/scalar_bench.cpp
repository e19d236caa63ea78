// Scalar gradients: the code adjoint generates against hand-written gradients.
//
// This file must be compiled with the adjoint plugin (bench/CMakeLists.txt
// does so): it inserts NAME_grad after each annotated function in
// scalar_functions.h. Each function has a pair of benchmarks,
// BM_<name>/generated and BM_<name>/hand, built with the same flags and timed
// in the same run; bench/scalar_ratios.py turns them into ratios.
//
// Before timing, main() checks that both gradients agree, so a benchmark can
// never compare a wrong gradient.
#include "scalar_functions.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

using namespace scalar_bench;

namespace {

constexpr int N = 1000;

struct Arrays {
  std::vector<double> Lse, Huber;
  Arrays() : Lse(N), Huber(N) {
    std::mt19937_64 Rng(42);
    std::uniform_real_distribution<double> U(-2.0, 2.0);
    for (int I = 0; I < N; ++I) {
      Lse[I] = U(Rng);
      Huber[I] = U(Rng);
    }
  }
};

const Arrays &arrays() {
  static const Arrays A;
  return A;
}

constexpr double X0 = 0.7, Y0 = 1.3;
constexpr double LseA = 1.5, HuberDelta = 1.0;

// Two-argument scalar functions: inputs are laundered through DoNotOptimize
// every iteration so nothing is hoisted out of the loop, and all outputs are
// kept.
template <double (*Grad)(double, double, double &, double &)>
void scalarPair(benchmark::State &State) {
  for (auto _ : State) {
    double X = X0, Y = Y0;
    benchmark::DoNotOptimize(X);
    benchmark::DoNotOptimize(Y);
    double DX = 0, DY = 0;
    double F = Grad(X, Y, DX, DY);
    benchmark::DoNotOptimize(F);
    benchmark::DoNotOptimize(DX);
    benchmark::DoNotOptimize(DY);
  }
}

// Array functions: the gradient array is reused (gradients accumulate, as
// both conventions add into d_x); ClobberMemory makes every store observable.
template <double (*Grad)(const double *, double, int, double *, double &)>
void arrayFn(benchmark::State &State, const std::vector<double> &In,
             double P0) {
  std::vector<double> D(N, 0.0);
  const double *X = In.data();
  double *DX = D.data();
  for (auto _ : State) {
    double P = P0, DP = 0;
    int Len = N;
    benchmark::DoNotOptimize(X);
    benchmark::DoNotOptimize(DX);
    benchmark::DoNotOptimize(P);
    benchmark::DoNotOptimize(Len);
    double F = Grad(X, P, Len, DX, DP);
    benchmark::DoNotOptimize(F);
    benchmark::DoNotOptimize(DP);
    benchmark::ClobberMemory();
  }
  State.SetItemsProcessed(State.iterations() * N);
}

double genTrig(double X, double Y, double &DX, double &DY) {
  return trig_exp_log_grad(X, Y, DX, DY);
}
double genRational(double X, double Y, double &DX, double &DY) {
  return rational_grad(X, Y, DX, DY);
}
double genGated(double X, double Y, double &DX, double &DY) {
  return gated_grad(X, Y, DX, DY);
}
double genLse(const double *X, double A, int Len, double *DX, double &DA) {
  return scaled_lse_grad(X, A, Len, DX, DA);
}
double genHuber(const double *R, double D, int Len, double *DR, double &DD) {
  return huber_grad(R, D, Len, DR, DD);
}

void BM_trig_exp_log_generated(benchmark::State &S) { scalarPair<genTrig>(S); }
void BM_trig_exp_log_hand(benchmark::State &S) { scalarPair<trig_exp_log_hand>(S); }
void BM_rational_generated(benchmark::State &S) { scalarPair<genRational>(S); }
void BM_rational_hand(benchmark::State &S) { scalarPair<rational_hand>(S); }
void BM_scaled_lse_generated(benchmark::State &S) {
  arrayFn<genLse>(S, arrays().Lse, LseA);
}
void BM_scaled_lse_hand(benchmark::State &S) {
  arrayFn<scaled_lse_hand>(S, arrays().Lse, LseA);
}
void BM_gated_generated(benchmark::State &S) { scalarPair<genGated>(S); }
void BM_gated_hand(benchmark::State &S) { scalarPair<gated_hand>(S); }
void BM_huber_generated(benchmark::State &S) {
  arrayFn<genHuber>(S, arrays().Huber, HuberDelta);
}
void BM_huber_hand(benchmark::State &S) {
  arrayFn<huber_hand>(S, arrays().Huber, HuberDelta);
}

// Interleaved so that drift over the run affects both sides alike.
BENCHMARK(BM_trig_exp_log_generated);
BENCHMARK(BM_trig_exp_log_hand);
BENCHMARK(BM_rational_generated);
BENCHMARK(BM_rational_hand);
BENCHMARK(BM_scaled_lse_generated);
BENCHMARK(BM_scaled_lse_hand);
BENCHMARK(BM_gated_generated);
BENCHMARK(BM_gated_hand);
BENCHMARK(BM_huber_generated);
BENCHMARK(BM_huber_hand);

bool close(double A, double B) {
  return std::fabs(A - B) <= 1e-10 * (1.0 + std::fabs(A) + std::fabs(B));
}

int Failures = 0;
void expect(const char *What, double Gen, double Hand) {
  if (!close(Gen, Hand)) {
    std::fprintf(stderr, "scalar_bench: %s: generated %.17g, hand-written %.17g\n",
                 What, Gen, Hand);
    ++Failures;
  }
}

template <double (*Gen)(double, double, double &, double &),
          double (*Hand)(double, double, double &, double &)>
void checkPair(const char *Name) {
  double GX = 0, GY = 0, HX = 0, HY = 0;
  double GF = Gen(X0, Y0, GX, GY), HF = Hand(X0, Y0, HX, HY);
  std::string N(Name);
  expect((N + " value").c_str(), GF, HF);
  expect((N + " d/dx").c_str(), GX, HX);
  expect((N + " d/dy").c_str(), GY, HY);
}

template <double (*Gen)(const double *, double, int, double *, double &),
          double (*Hand)(const double *, double, int, double *, double &)>
void checkArray(const char *Name, const std::vector<double> &In, double P) {
  std::vector<double> GD(N, 0.0), HD(N, 0.0);
  double GP = 0, HP = 0;
  double GF = Gen(In.data(), P, N, GD.data(), GP);
  double HF = Hand(In.data(), P, N, HD.data(), HP);
  std::string S(Name);
  expect((S + " value").c_str(), GF, HF);
  expect((S + " d/dparam").c_str(), GP, HP);
  for (int I = 0; I < N; ++I)
    if (!close(GD[I], HD[I])) {
      expect((S + " d/dx[" + std::to_string(I) + "]").c_str(), GD[I], HD[I]);
      break;
    }
}

// `scalar_bench --count NAME_SIDE ITERS` runs the same loop body as the
// benchmark ITERS times in countLoop* without Google Benchmark's timing loop,
// so that `valgrind --tool=callgrind --toggle-collect='*countLoop*'` counts
// the instructions of exactly ITERS gradient calls (scalar_ratios.py
// --callgrind).
template <double (*Grad)(double, double, double &, double &)>
__attribute__((noinline)) void countLoopPair(long Iters) {
  for (long I = 0; I < Iters; ++I) {
    double X = X0, Y = Y0;
    benchmark::DoNotOptimize(X);
    benchmark::DoNotOptimize(Y);
    double DX = 0, DY = 0;
    double F = Grad(X, Y, DX, DY);
    benchmark::DoNotOptimize(F);
    benchmark::DoNotOptimize(DX);
    benchmark::DoNotOptimize(DY);
  }
}

template <double (*Grad)(const double *, double, int, double *, double &)>
__attribute__((noinline)) void countLoopArray(long Iters,
                                              const std::vector<double> &In,
                                              double P0) {
  std::vector<double> D(N, 0.0);
  const double *X = In.data();
  double *DX = D.data();
  for (long I = 0; I < Iters; ++I) {
    double P = P0, DP = 0;
    int Len = N;
    benchmark::DoNotOptimize(X);
    benchmark::DoNotOptimize(DX);
    benchmark::DoNotOptimize(P);
    benchmark::DoNotOptimize(Len);
    double F = Grad(X, P, Len, DX, DP);
    benchmark::DoNotOptimize(F);
    benchmark::DoNotOptimize(DP);
    benchmark::ClobberMemory();
  }
}

int count(const std::string &What, long Iters) {
  const Arrays &A = arrays();
  if (What == "trig_exp_log_generated") countLoopPair<genTrig>(Iters);
  else if (What == "trig_exp_log_hand") countLoopPair<trig_exp_log_hand>(Iters);
  else if (What == "rational_generated") countLoopPair<genRational>(Iters);
  else if (What == "rational_hand") countLoopPair<rational_hand>(Iters);
  else if (What == "gated_generated") countLoopPair<genGated>(Iters);
  else if (What == "gated_hand") countLoopPair<gated_hand>(Iters);
  else if (What == "scaled_lse_generated") countLoopArray<genLse>(Iters, A.Lse, LseA);
  else if (What == "scaled_lse_hand") countLoopArray<scaled_lse_hand>(Iters, A.Lse, LseA);
  else if (What == "huber_generated") countLoopArray<genHuber>(Iters, A.Huber, HuberDelta);
  else if (What == "huber_hand") countLoopArray<huber_hand>(Iters, A.Huber, HuberDelta);
  else {
    std::fprintf(stderr, "scalar_bench: unknown --count target '%s'\n", What.c_str());
    return 1;
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  checkPair<genTrig, trig_exp_log_hand>("trig_exp_log");
  checkPair<genRational, rational_hand>("rational");
  checkPair<genGated, gated_hand>("gated");
  checkArray<genLse, scaled_lse_hand>("scaled_lse", arrays().Lse, LseA);
  checkArray<genHuber, huber_hand>("huber", arrays().Huber, HuberDelta);
  if (Failures) {
    std::fprintf(stderr, "scalar_bench: %d gradient mismatches, not timing\n",
                 Failures);
    return 1;
  }
  if (argc == 4 && std::string(argv[1]) == "--count")
    return count(argv[2], std::atol(argv[3]));
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
