// ADBench objectives: gradient time / objective time of the gradients adjoint
// generates and of the hand-written ones, side by side in one run.
//
// This file must be compiled with the adjoint plugin (bench/CMakeLists.txt
// does so), which inserts gmm_objective_grad, ba_reproj_error_grad and
// ba_weight_error_grad after the annotated functions in test/adbench/.
//
// GMM: the objective and the full gradient with respect to alphas, means and
// icf; "GMM common" times the same objective written the common way
// (test/adbench/gmm_common.h), its objective against its own gradient. BA: like ADBench, the whole problem's residuals (2 per observation plus
// 1 weight residual) and its sparse Jacobian (a 2 x 15 block and a 1 x 1
// block per observation); adjoint builds each 2 x 15 block from one
// ba_reproj_error_forward and two ba_reproj_error_backward sweeps (split
// mode), the hand-written Jacobian from one forward pass and two reverse
// steps. Before timing, each case checks that both gradients agree (ADBench's
// nearness, 1e-8), so a wrong gradient is never timed.
//
// Usage: adbench_bench [--quick]
#include "../test/adbench/ba.h"
#include "../test/adbench/gmm.h"
#include "../test/adbench/gmm_common.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <utility>
#include <vector>

namespace {

bool Quick = false;

/// Keeps a value alive without letting the compiler see through it.
template <class T> void keep(T const &V) { asm volatile("" : : "g"(&V) : "memory"); }

/// Seconds per call of F: the best of 5 repetitions of a batch sized to take
/// about 0.1 s (0.02 s with --quick).
template <class Fn> double timeIt(Fn F) {
  using Clock = std::chrono::steady_clock;
  double Target = Quick ? 0.02 : 0.1;
  long Reps = 1;
  for (;;) {
    auto T0 = Clock::now();
    for (long I = 0; I < Reps; ++I)
      F();
    double S = std::chrono::duration<double>(Clock::now() - T0).count();
    if (S >= Target / 4)
      break;
    Reps *= 2;
  }
  // Calibrate once more with the measured rate.
  {
    auto T0 = Clock::now();
    for (long I = 0; I < Reps; ++I)
      F();
    double S = std::chrono::duration<double>(Clock::now() - T0).count();
    Reps = std::max(1L, static_cast<long>(Reps * Target / S));
  }
  double Best = 1e300;
  for (int R = 0; R < 5; ++R) {
    auto T0 = Clock::now();
    for (long I = 0; I < Reps; ++I)
      F();
    double S = std::chrono::duration<double>(Clock::now() - T0).count();
    Best = std::min(Best, S / Reps);
  }
  return Best;
}

double nearness(double A, double B) {
  return std::fabs(A - B) / std::max(1.0, std::fabs(A) + std::fabs(B));
}

void row(const char *Name, double Obj, double Adj, double Hand) {
  std::printf("| %-22s | %10.1f | %10.1f | %7.2f | %12.1f | %7.2f | %14.2f |\n",
              Name, Obj * 1e6, Adj * 1e6, Adj / Obj, Hand * 1e6, Hand / Obj,
              Adj / Hand);
  std::fflush(stdout);
}

/// \p Common: adjoint differentiates the objective written the common way
/// (test/adbench/gmm_common.h: helpers filling local vectors) instead of the
/// tuned one; the hand-written gradient is the same.
void gmmCase(int D, int K, int N, bool Common = false) {
  std::mt19937_64 Rng(1000 * D + 10 * K + N);
  std::uniform_real_distribution<double> U(0.0, 1.0);
  std::normal_distribution<double> G(0.0, 1.0);
  int IcfSz = D * (D + 1) / 2;
  std::vector<double> Alphas(K), Means(K * D), Icf(K * IcfSz), X(N * D);
  for (double &V : Alphas)
    V = G(Rng);
  for (double &V : Means)
    V = U(Rng);
  for (double &V : Icf)
    V = 0.5 * G(Rng);
  for (double &V : X)
    V = U(Rng);
  const double Gamma = 1.0;
  const int M = 0;
  std::vector<double> DA(K), DM(K * D), DI(K * IcfSz);
  std::vector<double> HA(K), HM(K * D), HI(K * IcfSz);

  auto Obj = [&] {
    double F = Common ? gmmc_objective(D, K, N, Alphas.data(), Means.data(),
                                       Icf.data(), X.data(), Gamma, M)
                      : gmm_objective(D, K, N, Alphas.data(), Means.data(),
                                      Icf.data(), X.data(), Gamma, M);
    keep(F);
  };
  auto Adj = [&] {
    std::fill(DA.begin(), DA.end(), 0.0);
    std::fill(DM.begin(), DM.end(), 0.0);
    std::fill(DI.begin(), DI.end(), 0.0);
    double F =
        Common ? gmmc_objective_grad(D, K, N, Alphas.data(), Means.data(),
                                     Icf.data(), X.data(), Gamma, M, DA.data(),
                                     DM.data(), DI.data())
               : gmm_objective_grad(D, K, N, Alphas.data(), Means.data(),
                                    Icf.data(), X.data(), Gamma, M, DA.data(),
                                    DM.data(), DI.data());
    keep(F);
    keep(DA[0]);
  };
  auto Hand = [&] {
    std::fill(HA.begin(), HA.end(), 0.0);
    std::fill(HM.begin(), HM.end(), 0.0);
    std::fill(HI.begin(), HI.end(), 0.0);
    double F = gmm_gradient_manual(D, K, N, Alphas.data(), Means.data(),
                                   Icf.data(), X.data(), Gamma, M, HA.data(),
                                   HM.data(), HI.data());
    keep(F);
    keep(HA[0]);
  };
  Adj();
  Hand();
  double Worst = 0.0;
  for (int I = 0; I < K; ++I)
    Worst = std::max(Worst, nearness(DA[I], HA[I]));
  for (int I = 0; I < K * D; ++I)
    Worst = std::max(Worst, nearness(DM[I], HM[I]));
  for (int I = 0; I < K * IcfSz; ++I)
    Worst = std::max(Worst, nearness(DI[I], HI[I]));
  if (!(Worst < 1e-8)) {
    std::fprintf(stderr, "GMM d=%d k=%d n=%d: gradients differ (%g)\n", D, K,
                 N, Worst);
    std::exit(1);
  }
  char Name[64];
  std::snprintf(Name, sizeof Name, "GMM%s d=%d k=%d n=%d",
                Common ? " common" : "", D, K, N);
  row(Name, timeIt(Obj), timeIt(Adj), timeIt(Hand));
}

/// A bundle-adjustment problem like ADBench's: NCams cameras, NPts points
/// and NObs observations of random (camera, point) pairs.
void baCase(int NCams, int NPts, int NObs) {
  std::mt19937_64 Rng(7 * NCams + NObs);
  std::uniform_real_distribution<double> U(-1.0, 1.0);
  std::vector<double> Cams(NCams * BA_NCAMPARAMS), Pts(NPts * 3), W(NObs),
      Feats(NObs * 2);
  std::vector<int> Obs(NObs * 2);
  for (int C = 0; C < NCams; ++C) {
    double *Cam = &Cams[C * BA_NCAMPARAMS];
    for (int I = 0; I < 3; ++I) {
      Cam[BA_ROT_IDX + I] = 0.5 * U(Rng);
      Cam[BA_C_IDX + I] = U(Rng);
    }
    Cam[BA_F_IDX] = 1.5 + 0.5 * U(Rng);
    Cam[BA_X0_IDX] = 0.1 * U(Rng);
    Cam[BA_X0_IDX + 1] = 0.1 * U(Rng);
    Cam[BA_RAD_IDX] = 0.1 * U(Rng);
    Cam[BA_RAD_IDX + 1] = 0.05 * U(Rng);
  }
  for (int P = 0; P < NPts; ++P) {
    Pts[3 * P] = U(Rng);
    Pts[3 * P + 1] = U(Rng);
    Pts[3 * P + 2] = 5.0 + U(Rng);
  }
  for (int O = 0; O < NObs; ++O) {
    Obs[2 * O] = O % NCams;
    Obs[2 * O + 1] = O % NPts;
    W[O] = 1.0 + 0.3 * U(Rng);
    Feats[2 * O] = 0.2 * U(Rng);
    Feats[2 * O + 1] = 0.2 * U(Rng);
  }
  std::vector<double> Err(2 * NObs), WErr(NObs), J(30 * NObs), JW(NObs);
  std::vector<double> HJ(30 * NObs), HJW(NObs);

  auto Obj = [&] {
    for (int O = 0; O < NObs; ++O) {
      ba_reproj_error(&Cams[Obs[2 * O] * BA_NCAMPARAMS],
                      &Pts[3 * Obs[2 * O + 1]], W[O], &Feats[2 * O],
                      &Err[2 * O]);
      WErr[O] = ba_weight_error(W[O]);
    }
    keep(Err[0]);
  };
  auto Adj = [&] {
    for (int O = 0; O < NObs; ++O) {
      const double *Cam = &Cams[Obs[2 * O] * BA_NCAMPARAMS];
      const double *X = &Pts[3 * Obs[2 * O + 1]];
      ba_reproj_error_tape Tape =
          ba_reproj_error_forward(Cam, X, W[O], &Feats[2 * O], &Err[2 * O]);
      double *J0 = &J[30 * O], *J1 = J0 + 15;
      std::fill(J0, J0 + 30, 0.0);
      double Seed0[2] = {1.0, 0.0}, Seed1[2] = {0.0, 1.0};
      ba_reproj_error_backward(Tape, J0, J0 + 11, J0[14], Seed0);
      ba_reproj_error_backward(std::move(Tape), J1, J1 + 11, J1[14], Seed1);
      JW[O] = 0.0;
      ba_weight_error_grad(W[O], JW[O]);
    }
    keep(J[0]);
  };
  auto Hand = [&] {
    for (int O = 0; O < NObs; ++O) {
      ba_jacobian_manual(&Cams[Obs[2 * O] * BA_NCAMPARAMS],
                         &Pts[3 * Obs[2 * O + 1]], W[O], &Feats[2 * O],
                         &Err[2 * O], &HJ[30 * O]);
      HJW[O] = -2.0 * W[O];
    }
    keep(HJ[0]);
  };
  Adj();
  Hand();
  double Worst = 0.0;
  for (int I = 0; I < 30 * NObs; ++I)
    Worst = std::max(Worst, nearness(J[I], HJ[I]));
  for (int I = 0; I < NObs; ++I)
    Worst = std::max(Worst, nearness(JW[I], HJW[I]));
  if (!(Worst < 1e-8)) {
    std::fprintf(stderr, "BA: Jacobians differ (%g)\n", Worst);
    std::exit(1);
  }
  char Name[64];
  std::snprintf(Name, sizeof Name, "BA %d cams, %d obs", NCams, NObs);
  row(Name, timeIt(Obj), timeIt(Adj), timeIt(Hand));
}

} // namespace

int main(int Argc, char **Argv) {
  for (int I = 1; I < Argc; ++I)
    if (!std::strcmp(Argv[I], "--quick"))
      Quick = true;
  std::printf("Times in microseconds per call (best of 5); ratios are gradient "
              "or Jacobian time / objective time.\n\n");
  std::printf("| case                   |  objective |    adjoint |   ratio | "
              "hand-written |   ratio | adjoint / hand |\n");
  std::printf("|------------------------|-----------:|-----------:|--------:|"
              "-------------:|--------:|---------------:|\n");
  gmmCase(2, 5, 1000);
  gmmCase(10, 5, 1000);
  gmmCase(10, 25, 1000);
  gmmCase(20, 25, 1000);
  gmmCase(64, 5, 1000);
  gmmCase(10, 5, 1000, /*Common=*/true);
  gmmCase(10, 25, 1000, /*Common=*/true);
  gmmCase(20, 25, 1000, /*Common=*/true);
  baCase(21, 11315, 36455);
  return 0;
}
