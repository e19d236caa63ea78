//===- forward_bench.cpp - Forward mode and HVPs against the function -----===//
//
// The cost of f_jvp and f_hvp relative to f itself, in one Google Benchmark
// run: BM_<name>/f, BM_<name>/jvp and BM_<name>/hvp for the scalar set of
// scalar_functions.h, and BM_layer/f, BM_layer/jvp for a tensor layer's loss
// (x[64,256] . w[256,128] + b, tanh, MSE), with BM_layer_matmul, its product
// alone; docs/benchmarks.md has the ratios.
//
// Must be compiled with the adjoint plugin (bench/CMakeLists.txt does so).
// main() first checks each f_jvp against f_grad (J v = grad . v) and each
// f_hvp against f_hessian or a finite difference of f_grad, and the layer's
// f_jvp against central differences of its loss, so a benchmark never times
// a wrong derivative.
//
//===----------------------------------------------------------------------===//
#include "scalar_functions.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

using adjoint::Tensor;
using namespace scalar_bench;

ADJOINT_JVP(w, b)
Tensor layer_loss(const Tensor &x, const Tensor &y, const Tensor &w,
                  const Tensor &b) {
  return mse_loss(tanh(matmul(x, w) + b), y);
}

namespace {

constexpr int N = 1000;
constexpr double X0 = 0.7, Y0 = 1.3, V0 = 0.6, V1 = -0.4;

std::vector<double> randomArray(unsigned Seed) {
  std::mt19937_64 Rng(Seed);
  std::uniform_real_distribution<double> U(-2.0, 2.0);
  std::vector<double> A(N);
  for (double &E : A)
    E = U(Rng);
  return A;
}

const std::vector<double> &lseIn() {
  static const std::vector<double> A = randomArray(42);
  return A;
}
const std::vector<double> &huberIn() {
  static const std::vector<double> A = randomArray(43);
  return A;
}
const std::vector<double> &direction() {
  static const std::vector<double> A = randomArray(44);
  return A;
}

// Two-argument functions: inputs laundered every iteration.
template <double (*F)(double, double)> void pairF(benchmark::State &State) {
  for (auto _ : State) {
    double X = X0, Y = Y0;
    benchmark::DoNotOptimize(X);
    benchmark::DoNotOptimize(Y);
    double R = F(X, Y);
    benchmark::DoNotOptimize(R);
  }
}
template <adjoint::Dual<double> (*Jvp)(double, double, double, double)>
void pairJvp(benchmark::State &State) {
  for (auto _ : State) {
    double X = X0, Y = Y0;
    benchmark::DoNotOptimize(X);
    benchmark::DoNotOptimize(Y);
    adjoint::Dual<double> R = Jvp(X, Y, V0, V1);
    benchmark::DoNotOptimize(R);
  }
}
template <double (*Hvp)(double, double, double, double, double &, double &)>
void pairHvp(benchmark::State &State) {
  for (auto _ : State) {
    double X = X0, Y = Y0, HX = 0, HY = 0;
    benchmark::DoNotOptimize(X);
    benchmark::DoNotOptimize(Y);
    double R = Hvp(X, Y, V0, V1, HX, HY);
    benchmark::DoNotOptimize(R);
    benchmark::DoNotOptimize(HX);
    benchmark::DoNotOptimize(HY);
  }
}

// Array functions f(const double *x, double p, int n).
template <double (*F)(const double *, double, int)>
void arrayF(benchmark::State &State, const std::vector<double> &In, double P) {
  for (auto _ : State) {
    const double *X = In.data();
    benchmark::DoNotOptimize(X);
    double R = F(X, P, N);
    benchmark::DoNotOptimize(R);
  }
}
template <adjoint::Dual<double> (*Jvp)(const double *, double, int,
                                       const double *, double)>
void arrayJvp(benchmark::State &State, const std::vector<double> &In,
              double P) {
  for (auto _ : State) {
    const double *X = In.data(), *V = direction().data();
    benchmark::DoNotOptimize(X);
    adjoint::Dual<double> R = Jvp(X, P, N, V, 0.5);
    benchmark::DoNotOptimize(R);
  }
}
template <double (*Hvp)(const double *, double, int, const double *, double,
                        double *, double &)>
void arrayHvp(benchmark::State &State, const std::vector<double> &In,
              double P) {
  std::vector<double> Out(N, 0.0);
  for (auto _ : State) {
    const double *X = In.data(), *V = direction().data();
    double *H = Out.data(), HP = 0;
    benchmark::DoNotOptimize(X);
    double R = Hvp(X, P, N, V, 0.5, H, HP);
    benchmark::DoNotOptimize(R);
    benchmark::ClobberMemory();
  }
}

#define PAIR(NAME)                                                             \
  void BM_##NAME##_f(benchmark::State &S) { pairF<NAME>(S); }                  \
  void BM_##NAME##_jvp(benchmark::State &S) { pairJvp<NAME##_jvp>(S); }        \
  void BM_##NAME##_hvp(benchmark::State &S) { pairHvp<NAME##_hvp>(S); }        \
  BENCHMARK(BM_##NAME##_f);                                                    \
  BENCHMARK(BM_##NAME##_jvp);                                                  \
  BENCHMARK(BM_##NAME##_hvp);
PAIR(trig_exp_log)
PAIR(rational)
PAIR(gated)
#undef PAIR

#define ARRAY(NAME, IN, P)                                                     \
  void BM_##NAME##_f(benchmark::State &S) { arrayF<NAME>(S, IN(), P); }        \
  void BM_##NAME##_jvp(benchmark::State &S) {                                  \
    arrayJvp<NAME##_jvp>(S, IN(), P);                                          \
  }                                                                            \
  void BM_##NAME##_hvp(benchmark::State &S) {                                  \
    arrayHvp<NAME##_hvp>(S, IN(), P);                                          \
  }                                                                            \
  BENCHMARK(BM_##NAME##_f);                                                    \
  BENCHMARK(BM_##NAME##_jvp);                                                  \
  BENCHMARK(BM_##NAME##_hvp);
ARRAY(scaled_lse, lseIn, 1.5)
ARRAY(huber, huberIn, 1.0)
#undef ARRAY

struct Layer {
  Tensor X, Y, W, B, TW, TB;
  Layer() {
    adjoint::manual_seed(1);
    X = adjoint::randn(64, 256);
    Y = adjoint::randn(64, 128);
    W = adjoint::randn(256, 128) * 0.05f;
    B = adjoint::randn(128) * 0.1f;
    TW = adjoint::randn(256, 128);
    TB = adjoint::randn(128);
  }
};
const Layer &layer() {
  static const Layer L;
  return L;
}
void BM_layer_f(benchmark::State &State) {
  const Layer &L = layer();
  for (auto _ : State) {
    Tensor R = layer_loss(L.X, L.Y, L.W, L.B);
    benchmark::DoNotOptimize(R.data());
  }
}
void BM_layer_jvp(benchmark::State &State) {
  const Layer &L = layer();
  for (auto _ : State) {
    adjoint::Dual<Tensor> R = layer_loss_jvp(L.X, L.Y, L.W, L.B, L.TW, L.TB);
    benchmark::DoNotOptimize(R.tangent.data());
  }
}
// The product x·w alone: any JVP with respect to w computes x·t_w, a product
// of the same size, so f + this is a floor for f_jvp (docs/benchmarks.md).
void BM_layer_matmul(benchmark::State &State) {
  const Layer &L = layer();
  for (auto _ : State) {
    Tensor R = matmul(L.X, L.TW);
    benchmark::DoNotOptimize(R.data());
  }
}
BENCHMARK(BM_layer_f);
BENCHMARK(BM_layer_jvp);
BENCHMARK(BM_layer_matmul);

bool close(const char *What, double Got, double Want, double Tol) {
  if (std::fabs(Got - Want) <= Tol * (1 + std::fabs(Want)))
    return true;
  std::fprintf(stderr, "forward_bench: %s is %.12g, expected %.12g\n", What,
               Got, Want);
  return false;
}

/// J v against grad . v, and H v against the Hessian, for the pairs.
template <double (*Grad)(double, double, double &, double &),
          adjoint::Dual<double> (*Jvp)(double, double, double, double),
          double (*Hvp)(double, double, double, double, double &, double &),
          void (*Hessian)(double, double, double *)>
bool checkPair(const char *Name) {
  double GX = 0, GY = 0;
  double F = Grad(X0, Y0, GX, GY);
  adjoint::Dual<double> D = Jvp(X0, Y0, V0, V1);
  double H[4], HX = 0, HY = 0;
  Hessian(X0, Y0, H);
  double Value = Hvp(X0, Y0, V0, V1, HX, HY);
  bool Ok = close(Name, D.value, F, 1e-14) && close(Name, Value, F, 1e-14);
  Ok &= close(Name, D.tangent, GX * V0 + GY * V1, 1e-12);
  Ok &= close(Name, HX, H[0] * V0 + H[1] * V1, 1e-12);
  Ok &= close(Name, HY, H[2] * V0 + H[3] * V1, 1e-12);
  return Ok;
}

/// J v against grad . v, and H v against central differences of the
/// gradient, for the array functions.
template <double (*Grad)(const double *, double, int, double *, double &),
          adjoint::Dual<double> (*Jvp)(const double *, double, int,
                                       const double *, double),
          double (*Hvp)(const double *, double, int, const double *, double,
                        double *, double &)>
bool checkArray(const char *Name, const std::vector<double> &In, double P) {
  const std::vector<double> &V = direction();
  std::vector<double> G(N, 0.0);
  double GP = 0;
  Grad(In.data(), P, N, G.data(), GP);
  double Dot = 0.5 * GP;
  for (int I = 0; I < N; ++I)
    Dot += G[I] * V[I];
  bool Ok = close(Name, Jvp(In.data(), P, N, V.data(), 0.5).tangent, Dot, 1e-10);
  std::vector<double> Hv(N, 0.0), Plus(N), Minus(N), GPlus(N, 0.0),
      GMinus(N, 0.0);
  double HP = 0, GPP = 0, GPM = 0, E = 1e-5;
  Hvp(In.data(), P, N, V.data(), 0.5, Hv.data(), HP);
  for (int I = 0; I < N; ++I) {
    Plus[I] = In[I] + E * V[I];
    Minus[I] = In[I] - E * V[I];
  }
  Grad(Plus.data(), P + E * 0.5, N, GPlus.data(), GPP);
  Grad(Minus.data(), P - E * 0.5, N, GMinus.data(), GPM);
  for (int I = 0; I < N; ++I)
    Ok &= close(Name, Hv[I], (GPlus[I] - GMinus[I]) / (2 * E), 1e-4);
  Ok &= close(Name, HP, (GPP - GPM) / (2 * E), 1e-4);
  return Ok;
}

/// The layer's J v against central differences of the loss (float).
bool checkLayer() {
  const Layer &L = layer();
  adjoint::Dual<Tensor> D = layer_loss_jvp(L.X, L.Y, L.W, L.B, L.TW, L.TB);
  const float E = 1e-2f;
  double Plus = layer_loss(L.X, L.Y, L.W + L.TW * E, L.B + L.TB * E).item();
  double Minus = layer_loss(L.X, L.Y, L.W - L.TW * E, L.B - L.TB * E).item();
  return close("layer_loss", D.value.item(),
               layer_loss(L.X, L.Y, L.W, L.B).item(), 1e-6) &&
         close("layer_loss", D.tangent.item(), (Plus - Minus) / (2 * E), 1e-2);
}

} // namespace

int main(int argc, char **argv) {
  bool Ok = checkPair<trig_exp_log_grad, trig_exp_log_jvp, trig_exp_log_hvp,
                      trig_exp_log_hessian>("trig_exp_log") &&
            checkPair<rational_grad, rational_jvp, rational_hvp,
                      rational_hessian>("rational") &&
            checkPair<gated_grad, gated_jvp, gated_hvp, gated_hessian>(
                "gated") &&
            checkArray<scaled_lse_grad, scaled_lse_jvp, scaled_lse_hvp>(
                "scaled_lse", lseIn(), 1.5) &&
            checkArray<huber_grad, huber_jvp, huber_hvp>("huber", huberIn(),
                                                         1.0) &&
            checkLayer();
  if (!Ok)
    return EXIT_FAILURE;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}
