//===- gemm_test.cpp - SIMD matrix products against their references -----===//
//
// Every case runs on each instruction set Highway compiled and this machine
// supports (AVX-512, AVX2, SSE4, scalar), so a run on one machine checks the
// code paths all users' machines take.
//
//===----------------------------------------------------------------------===//

#include "runtime/kernels/kernels.h"

#include <gtest/gtest.h>
#include <hwy/targets.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace {

using adjoint::kernels::sgemm;
using adjoint::kernels::sgemm_reference;
using adjoint::kernels::sgemv;
using adjoint::kernels::sgemv_reference;

std::vector<float> randomMatrix(std::int64_t Rows, std::int64_t Ld,
                                std::mt19937 &Rng) {
  std::uniform_real_distribution<float> Dist(-1.0f, 1.0f);
  std::vector<float> M(
      static_cast<std::size_t>(std::max<std::int64_t>(Rows * Ld, 1)));
  for (float &X : M)
    X = Dist(Rng);
  return M;
}

/// Runs Body once per instruction set available here, naming it on failure.
template <typename Fn> void forEachTarget(Fn Body) {
  for (std::int64_t Target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(Target);
    SCOPED_TRACE(hwy::TargetName(Target));
    Body();
  }
  hwy::SetSupportedTargetsForTest(0);
}

struct Case {
  bool TransA, TransB;
  std::int64_t M, N, K;
  float Alpha, Beta;
  std::int64_t Pad = 0; // Extra columns of every leading dimension.
};

std::string describe(const Case &C) {
  return "TransA=" + std::to_string(C.TransA) +
         " TransB=" + std::to_string(C.TransB) + " M=" + std::to_string(C.M) +
         " N=" + std::to_string(C.N) + " K=" + std::to_string(C.K) +
         " Alpha=" + std::to_string(C.Alpha) +
         " Beta=" + std::to_string(C.Beta) + " Pad=" + std::to_string(C.Pad);
}

/// Compares sgemm with sgemm_reference on random data. Entries of A and B
/// are in [-1, 1], so a sum of K products is off by at most about K ulps of
/// its terms: the tolerance grows with K.
void checkGemm(const Case &C, bool NanInC = false) {
  SCOPED_TRACE(describe(C));
  std::mt19937 Rng(static_cast<unsigned>(C.M * 7919 + C.N * 104729 + C.K));
  const std::int64_t ARows = C.TransA ? C.K : C.M;
  const std::int64_t Lda = (C.TransA ? C.M : C.K) + C.Pad;
  const std::int64_t BRows = C.TransB ? C.N : C.K;
  const std::int64_t Ldb = (C.TransB ? C.K : C.N) + C.Pad;
  const std::int64_t Ldc = C.N + C.Pad;
  std::vector<float> A = randomMatrix(ARows, Lda, Rng);
  std::vector<float> B = randomMatrix(BRows, Ldb, Rng);
  std::vector<float> C0 = randomMatrix(C.M, Ldc, Rng);
  if (NanInC)
    for (float &X : C0)
      X = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> Expected = C0;
  sgemm_reference(C.TransA, C.TransB, C.M, C.N, C.K, C.Alpha, A.data(), Lda,
                  B.data(), Ldb, C.Beta, Expected.data(), Ldc);
  const float Tolerance =
      4e-6f * static_cast<float>(C.K + 1) * std::max(1.0f, std::abs(C.Alpha)) +
      1e-6f;
  forEachTarget([&] {
    std::vector<float> Got = C0;
    sgemm(C.TransA, C.TransB, C.M, C.N, C.K, C.Alpha, A.data(), Lda, B.data(),
          Ldb, C.Beta, Got.data(), Ldc);
    for (std::int64_t I = 0; I < C.M; ++I)
      for (std::int64_t J = 0; J < Ldc; ++J) {
        const std::size_t At = static_cast<std::size_t>(I * Ldc + J);
        if (J >= C.N) {
          // Padding between rows must be left alone.
          EXPECT_TRUE(std::isnan(C0[At]) ? std::isnan(Got[At])
                                         : Got[At] == C0[At])
              << "padding overwritten at " << I << "," << J;
          continue;
        }
        ASSERT_NEAR(Got[At], Expected[At], Tolerance) << "at " << I << "," << J;
      }
  });
}

/// All four transposition cases of one shape.
void checkAllTranspositions(std::int64_t M, std::int64_t N, std::int64_t K,
                            float Alpha = 1.0f, float Beta = 0.0f,
                            std::int64_t Pad = 0) {
  for (bool TransA : {false, true})
    for (bool TransB : {false, true})
      checkGemm({TransA, TransB, M, N, K, Alpha, Beta, Pad});
}

TEST(Sgemm, EmptyShapesLeaveOrScaleC) {
  checkAllTranspositions(0, 5, 3);
  checkAllTranspositions(4, 0, 3);
  // K == 0: C = Beta * C, or zeros when Beta == 0.
  checkAllTranspositions(4, 5, 0, 1.0f, 0.0f);
  checkAllTranspositions(4, 5, 0, 1.0f, 0.5f);
}

TEST(Sgemm, OnesAndVectors) {
  checkAllTranspositions(1, 1, 1);
  checkAllTranspositions(1, 3, 5, 1.0f, 0.0f);
  checkAllTranspositions(5, 1, 3, 2.0f, 1.0f);
  checkAllTranspositions(1, 37, 5, 1.0f, 0.5f);
  checkAllTranspositions(31, 1, 29, -1.5f, 2.0f);
  checkAllTranspositions(1, 1, 100, 1.0f, 1.0f);
}

TEST(Sgemm, PrimeShapes) {
  checkAllTranspositions(7, 13, 17);
  checkAllTranspositions(13, 7, 17, 0.5f, -1.0f);
  checkAllTranspositions(17, 31, 2, 1.0f, 1.0f);
  checkAllTranspositions(2, 3, 5);
  checkAllTranspositions(23, 29, 31, -2.0f, 0.25f);
}

TEST(Sgemm, ShapesAroundTheTileAndVectorWidths) {
  for (std::int64_t M : {5, 6, 11, 12, 13, 25})
    for (std::int64_t N : {15, 16, 17, 32, 33, 65})
      checkGemm({false, false, M, N, 9, 1.0f, 0.0f});
  checkAllTranspositions(24, 64, 8);
  checkAllTranspositions(12, 32, 1);
}

TEST(Sgemm, AlphaBetaCombinations) {
  for (float Alpha : {1.0f, -1.0f, 0.5f, 0.0f})
    for (float Beta : {0.0f, 1.0f, -0.75f})
      checkAllTranspositions(9, 19, 11, Alpha, Beta);
}

// Products of at most 512 multiply-adds take plain loops instead of packing:
// the outer products and tiny layers of small networks, at the boundary too.
TEST(Sgemm, TinyProductsTakeThePlainLoops) {
  checkAllTranspositions(5, 3, 1);               // the tutorial's d_w
  checkAllTranspositions(5, 3, 1, 1.0f, 1.0f);   // accumulated into d_w
  checkAllTranspositions(8, 8, 8, -0.5f, 0.25f); // exactly 512
  checkAllTranspositions(8, 8, 9, 1.0f, 0.5f);   // just above
  checkAllTranspositions(4, 6, 3, 1.0f, 0.5f, 3);
  for (bool TransA : {false, true})
    for (bool TransB : {false, true})
      checkGemm({TransA, TransB, 4, 6, 3, 1.0f, 0.0f}, /*NanInC=*/true);
}

TEST(Sgemm, LeadingDimensionsWiderThanRows) {
  checkAllTranspositions(7, 13, 17, 1.0f, 0.5f, 3);
  checkAllTranspositions(33, 41, 20, 1.0f, 0.0f, 16);
  checkAllTranspositions(1, 9, 6, 1.0f, 1.0f, 5);
  checkAllTranspositions(9, 1, 6, 1.0f, 1.0f, 5);
}

TEST(Sgemm, BetaZeroIgnoresNaNsInC) {
  for (bool TransA : {false, true})
    for (bool TransB : {false, true}) {
      checkGemm({TransA, TransB, 13, 21, 7, 1.0f, 0.0f}, /*NanInC=*/true);
      checkGemm({TransA, TransB, 1, 21, 7, 1.0f, 0.0f}, /*NanInC=*/true);
      checkGemm({TransA, TransB, 13, 1, 7, 1.0f, 0.0f, 2}, /*NanInC=*/true);
      checkGemm({TransA, TransB, 13, 21, 0, 1.0f, 0.0f}, /*NanInC=*/true);
      checkGemm({TransA, TransB, 13, 21, 7, 0.0f, 0.0f}, /*NanInC=*/true);
    }
}

TEST(Sgemm, LargerThanTheCacheBlocks) {
  checkAllTranspositions(300, 257, 263, 1.0f, 0.5f);
  // K beyond one KC block, and beyond one group of packed KC blocks, with
  // Beta applied once.
  checkGemm({false, false, 40, 50, 700, 1.0f, 2.0f});
  checkGemm({false, true, 9, 40, 2100, 1.0f, 0.5f});
  // N beyond one NC block.
  checkGemm({true, true, 13, 1100, 50, 1.0f, -1.0f});
}

TEST(Sgemm, ThreadedMatchesReference) {
  adjoint::kernels::set_num_threads(2);
  EXPECT_EQ(adjoint::kernels::get_num_threads(), 2);
  checkAllTranspositions(300, 257, 263, 1.0f, 0.5f);
  checkGemm({false, false, 20, 1000, 300, 1.0f, 0.0f});
  adjoint::kernels::set_num_threads(1);
  EXPECT_EQ(adjoint::kernels::get_num_threads(), 1);
}

TEST(Sgemv, MatchesReference) {
  std::mt19937 Rng(42);
  for (bool TransA : {false, true})
    for (std::int64_t M : {0, 1, 3, 4, 5, 17, 64})
      for (std::int64_t N : {0, 1, 7, 16, 33})
        for (float Beta : {0.0f, 1.0f, 0.5f}) {
          SCOPED_TRACE("TransA=" + std::to_string(TransA) +
                       " M=" + std::to_string(M) + " N=" + std::to_string(N) +
                       " Beta=" + std::to_string(Beta));
          const std::int64_t Lda = N + 2;
          std::vector<float> A = randomMatrix(M, Lda, Rng);
          std::vector<float> X = randomMatrix(TransA ? M : N, 1, Rng);
          std::vector<float> Y0 = randomMatrix(TransA ? N : M, 1, Rng);
          if (Beta == 0.0f)
            for (float &V : Y0)
              V = std::numeric_limits<float>::quiet_NaN();
          std::vector<float> Expected = Y0;
          sgemv_reference(TransA, M, N, 1.5f, A.data(), Lda, X.data(), Beta,
                          Expected.data());
          forEachTarget([&] {
            std::vector<float> Got = Y0;
            sgemv(TransA, M, N, 1.5f, A.data(), Lda, X.data(), Beta,
                  Got.data());
            for (std::size_t I = 0; I < (TransA ? N : M); ++I)
              ASSERT_NEAR(Got[I], Expected[I], 1e-5f * (M + N + 1)) << I;
          });
        }
}

} // namespace
