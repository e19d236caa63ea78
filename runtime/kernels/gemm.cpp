//===- gemm.cpp - SIMD matrix products ------------------------------------===//
//
// SGEMM in the style of BLIS: op(B) is packed in KC x NC blocks and op(A) in
// MC x KC blocks into contiguous micro-panels, so that a register-tiled
// micro-kernel streams both with unit stride and every transposition case
// becomes the same inner loop. The micro-kernel keeps an MR x NR tile of C
// in registers, broadcasting one element of A per row and multiplying it with
// NR/lanes vectors of B. Alpha is folded into the packing of A; Beta is
// applied when the first KC block of a tile is written.
//
// Compiled once per instruction set with Highway's foreach_target and picked
// at run time (HWY_DYNAMIC_DISPATCH), so one binary uses AVX-512 where it
// exists and AVX2, SSE4 or scalar code elsewhere.
//
//===----------------------------------------------------------------------===//

#include "runtime/kernels/kernels.h"
#include "runtime/kernels/thread_pool.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "runtime/kernels/gemm.cpp"
#include "hwy/foreach_target.h" // IWYU pragma: keep

#include "hwy/aligned_allocator.h"
#include "hwy/cache_control.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace adjoint {
namespace kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using D = hn::ScalableTag<float>;
using V = hn::Vec<D>;
constexpr std::size_t kLanes = hn::MaxLanes(D());

// Register tile: MR rows of C times NV vectors. AVX-512 has 32 vector
// registers, room for 24 accumulators plus the B vectors and a broadcast;
// the other targets have 16, so they get 12 accumulators.
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX3
constexpr std::size_t kMR = 12;
#else
constexpr std::size_t kMR = 6;
#endif
constexpr std::size_t kNV = 2;
constexpr std::size_t kNR = kNV * kLanes;

// Cache blocking. A KC x NR micro-panel of B stays in L1 while the MC x KC
// block of A streams past it from L2. The KC x NC block of B being used and
// the MC x NC block of C it updates share L2. Up to kKGroup KC blocks of B
// are packed at once, so that a block of C takes all of them (stays in L2)
// before the next one: otherwise every KC block re-reads all of C from
// memory, which cost about 10% at K = 2048.
constexpr std::size_t kKC = 256;
constexpr std::size_t kMC = kMR * 5;
constexpr std::size_t kNC = 512;
constexpr std::size_t kKGroup = 8;

/// A growable aligned scratch buffer. Each thread keeps its own so small
/// products do not allocate on every call.
class Scratch {
public:
  float *get(std::size_t Size) {
    if (Size > Capacity) {
      Data = hwy::AllocateAligned<float>(Size);
      Capacity = Size;
    }
    return Data.get();
  }

private:
  hwy::AlignedFreeUniquePtr<float[]> Data;
  std::size_t Capacity = 0;
};

std::size_t roundUp(std::size_t X, std::size_t Multiple) {
  return (X + Multiple - 1) / Multiple * Multiple;
}

/// Packs rows [I0, I0 + Mc) and columns [P0, P0 + Kc) of Alpha * op(A) into
/// MR-row micro-panels, each stored column by column (MR floats per k), with
/// rows past Mc zeroed so the micro-kernel never needs a remainder loop.
void packA(bool TransA, const float *A, std::int64_t Lda, std::int64_t I0,
           std::size_t Mc, std::int64_t P0, std::size_t Kc, float Alpha,
           float *HWY_RESTRICT Ap) {
  for (std::size_t IR = 0; IR < Mc; IR += kMR) {
    const std::size_t Mr = std::min(kMR, Mc - IR);
    float *HWY_RESTRICT Dst = Ap + IR * Kc;
    if (TransA) {
      // A is stored K x M: a column of op(A) is a contiguous run.
      for (std::size_t P = 0; P < Kc; ++P) {
        const float *Src = A + (P0 + P) * Lda + I0 + IR;
        for (std::size_t R = 0; R < Mr; ++R)
          Dst[P * kMR + R] = Alpha * Src[R];
        for (std::size_t R = Mr; R < kMR; ++R)
          Dst[P * kMR + R] = 0.0f;
      }
      continue;
    }
    std::size_t R = 0;
#if HWY_TARGET != HWY_SCALAR
    // Groups of four rows go through 4x4 transposes of 128-bit vectors
    // instead of scalar strided stores.
    if constexpr (kMR % 4 == 0) {
      const hn::Full128<float> D4;
      const auto AlphaV = hn::Set(D4, Alpha);
      for (; R + 4 <= Mr; R += 4) {
        const float *Src = A + (I0 + IR + R) * Lda + P0;
        std::size_t P = 0;
        for (; P + 4 <= Kc; P += 4) {
          const auto R0 = hn::Mul(AlphaV, hn::LoadU(D4, Src + P));
          const auto R1 = hn::Mul(AlphaV, hn::LoadU(D4, Src + Lda + P));
          const auto R2 = hn::Mul(AlphaV, hn::LoadU(D4, Src + 2 * Lda + P));
          const auto R3 = hn::Mul(AlphaV, hn::LoadU(D4, Src + 3 * Lda + P));
          const auto T0 = hn::InterleaveLower(D4, R0, R1); // r00 r10 r01 r11
          const auto T1 = hn::InterleaveLower(D4, R2, R3); // r20 r30 r21 r31
          const auto T2 = hn::InterleaveUpper(D4, R0, R1); // r02 r12 r03 r13
          const auto T3 = hn::InterleaveUpper(D4, R2, R3); // r22 r32 r23 r33
          float *Out = Dst + P * kMR + R;
          hn::StoreU(hn::ConcatLowerLower(D4, T1, T0), D4, Out);
          hn::StoreU(hn::ConcatUpperUpper(D4, T1, T0), D4, Out + kMR);
          hn::StoreU(hn::ConcatLowerLower(D4, T3, T2), D4, Out + 2 * kMR);
          hn::StoreU(hn::ConcatUpperUpper(D4, T3, T2), D4, Out + 3 * kMR);
        }
        for (; P < Kc; ++P)
          for (std::size_t Q = 0; Q < 4; ++Q)
            Dst[P * kMR + R + Q] = Alpha * Src[Q * Lda + P];
      }
    }
#endif
    for (; R < Mr; ++R) {
      const float *Src = A + (I0 + IR + R) * Lda + P0;
      for (std::size_t P = 0; P < Kc; ++P)
        Dst[P * kMR + R] = Alpha * Src[P];
    }
    for (std::size_t R = Mr; R < kMR; ++R)
      for (std::size_t P = 0; P < Kc; ++P)
        Dst[P * kMR + R] = 0.0f;
  }
}

/// Packs rows [P0, P0 + Kc) and columns [J0, J0 + Nc) of op(B) into NR-column
/// micro-panels, each stored row by row (NR floats per k), zero-padded.
void packB(bool TransB, const float *B, std::int64_t Ldb, std::int64_t P0,
           std::size_t Kc, std::int64_t J0, std::size_t Nc,
           float *HWY_RESTRICT Bp) {
  const D Df;
  for (std::size_t JR = 0; JR < Nc; JR += kNR) {
    const std::size_t Nr = std::min(kNR, Nc - JR);
    float *HWY_RESTRICT Dst = Bp + JR * Kc;
    if (TransB) {
      // B is stored N x K: a column of op(B) is a contiguous run.
      for (std::size_t C = 0; C < Nr; ++C) {
        const float *Src = B + (J0 + JR + C) * Ldb + P0;
        for (std::size_t P = 0; P < Kc; ++P)
          Dst[P * kNR + C] = Src[P];
      }
      for (std::size_t C = Nr; C < kNR; ++C)
        for (std::size_t P = 0; P < Kc; ++P)
          Dst[P * kNR + C] = 0.0f;
      continue;
    }
    for (std::size_t P = 0; P < Kc; ++P) {
      const float *Src = B + (P0 + P) * Ldb + J0 + JR;
      float *Row = Dst + P * kNR;
      if (Nr == kNR) {
        for (std::size_t Vi = 0; Vi < kNV; ++Vi)
          hn::Store(hn::LoadU(Df, Src + Vi * kLanes), Df, Row + Vi * kLanes);
        continue;
      }
      for (std::size_t C = 0; C < Nr; ++C)
        Row[C] = Src[C];
      for (std::size_t C = Nr; C < kNR; ++C)
        Row[C] = 0.0f;
    }
  }
}

/// Writes Acc into one row of C: C = Acc (Beta == 0, C not read),
/// C += Acc (Beta == 1) or C = Beta * C + Acc.
HWY_INLINE void storeRow(D Df, V Acc, float Beta, float *C) {
  if (Beta == 0.0f)
    hn::StoreU(Acc, Df, C);
  else if (Beta == 1.0f)
    hn::StoreU(hn::Add(hn::LoadU(Df, C), Acc), Df, C);
  else
    hn::StoreU(hn::MulAdd(hn::Set(Df, Beta), hn::LoadU(Df, C), Acc), Df, C);
}

/// C[0, Rows) x [0, Nr) = Beta * C + Ap * Bp over Kc steps, where Ap is an
/// MR x Kc micro-panel of A and Bp a Kc x NR micro-panel of B. Rows < MR
/// serves the last tile of a block, so padded rows cost no FMAs.
template <std::size_t Rows>
HWY_INLINE void microKernel(std::size_t Kc, const float *HWY_RESTRICT Ap,
                            const float *HWY_RESTRICT Bp, float *C,
                            std::size_t Ldc, float Beta, std::size_t Nr) {
  const D Df;
  V Acc[Rows][kNV];
  // GCC's unroll pragma takes no template parameter; 16 covers any Rows.
  HWY_UNROLL(16)
  for (std::size_t R = 0; R < Rows; ++R)
    HWY_UNROLL(kNV)
  for (std::size_t Vi = 0; Vi < kNV; ++Vi)
    Acc[R][Vi] = hn::Zero(Df);

  // For large K the C tile was evicted since the previous K block wrote it;
  // fetching it now hides the miss behind Kc steps of FMAs.
  for (std::size_t R = 0; R < Rows; ++R) {
    hwy::Prefetch(C + R * Ldc);
    hwy::Prefetch(C + R * Ldc + kNR - 1);
  }
  for (std::size_t P = 0; P < Kc; ++P) {
    V Bv[kNV];
    HWY_UNROLL(kNV)
    for (std::size_t Vi = 0; Vi < kNV; ++Vi)
      Bv[Vi] = hn::Load(Df, Bp + Vi * kLanes);
    HWY_UNROLL(16)
    for (std::size_t R = 0; R < Rows; ++R) {
      const auto Av = hn::Set(Df, Ap[R]);
      HWY_UNROLL(kNV)
      for (std::size_t Vi = 0; Vi < kNV; ++Vi)
        Acc[R][Vi] = hn::MulAdd(Av, Bv[Vi], Acc[R][Vi]);
    }
    Ap += kMR;
    Bp += kNR;
  }

  if (Nr == kNR) {
    HWY_UNROLL(16)
    for (std::size_t R = 0; R < Rows; ++R)
      HWY_UNROLL(kNV)
    for (std::size_t Vi = 0; Vi < kNV; ++Vi)
      storeRow(Df, Acc[R][Vi], Beta, C + R * Ldc + Vi * kLanes);
    return;
  }
  // Right edge: spill the registers and copy only the columns inside C.
  HWY_ALIGN float Tile[Rows * kNR];
  for (std::size_t R = 0; R < Rows; ++R)
    for (std::size_t Vi = 0; Vi < kNV; ++Vi)
      hn::Store(Acc[R][Vi], Df, Tile + R * kNR + Vi * kLanes);
  for (std::size_t R = 0; R < Rows; ++R)
    for (std::size_t J = 0; J < Nr; ++J) {
      float &Out = C[R * Ldc + J];
      Out = Beta == 0.0f ? Tile[R * kNR + J] : Beta * Out + Tile[R * kNR + J];
    }
}

using MicroKernelFn = void (*)(std::size_t, const float *, const float *,
                               float *, std::size_t, float, std::size_t);

template <std::size_t... Rows>
constexpr std::array<MicroKernelFn, sizeof...(Rows)>
makeKernels(std::index_sequence<Rows...>) {
  return {&microKernel<Rows + 1>...};
}

/// kEdgeKernels[R - 1] computes a tile of R rows.
constexpr std::array<MicroKernelFn, kMR> kEdgeKernels =
    makeKernels(std::make_index_sequence<kMR>());

/// Splits Total into the fewest blocks of at most Max and returns their
/// (equal, rounded up to Multiple) size, so that K = 300 becomes 2 x 152
/// rather than 256 + 44.
std::size_t balancedBlock(std::size_t Total, std::size_t Max,
                          std::size_t Multiple) {
  const std::size_t Blocks = (Total + Max - 1) / Max;
  return std::min(Max, roundUp((Total + Blocks - 1) / Blocks, Multiple));
}

/// The blocked GEMM for M, N, K >= 1 and Alpha != 0.
void Gemm(bool TransA, bool TransB, std::int64_t M, std::int64_t N,
          std::int64_t K, float Alpha, const float *A, std::int64_t Lda,
          const float *B, std::int64_t Ldb, float Beta, float *C,
          std::int64_t Ldc, int Threads) {
  static thread_local Scratch PackedB;
  const std::size_t Kb = balancedBlock(K, kKC, 1);
  const std::size_t Nb = balancedBlock(N, kNC, kNR);
  std::size_t Mb = balancedBlock(M, kMC, kMR);
  // Give every thread at least one block of rows.
  if (Threads > 1)
    Mb = std::min(Mb, roundUp((M + Threads - 1) / Threads, kMR));
  const std::int64_t MBlocks = (M + Mb - 1) / Mb;

  for (std::int64_t JC = 0; JC < N; JC += Nb) {
    const std::size_t Nc = std::min<std::int64_t>(Nb, N - JC);
    const std::size_t NcPadded = roundUp(Nc, kNR);
    for (std::int64_t PG = 0; PG < K; PG += Kb * kKGroup) {
      const std::size_t Kg = std::min<std::int64_t>(Kb * kKGroup, K - PG);
      // KC blocks of op(B) one after another, each Kc x NcPadded.
      float *Bp = PackedB.get(Kg * NcPadded);
      for (std::size_t P = 0; P < Kg; P += Kb)
        packB(TransB, B, Ldb, PG + P, std::min(Kb, Kg - P), JC, Nc,
              Bp + P * NcPadded);
      auto RowBlock = [&](std::int64_t Block) {
        static thread_local Scratch PackedA;
        const std::int64_t IC = Block * Mb;
        const std::size_t Mc = std::min<std::int64_t>(Mb, M - IC);
        float *Ap = PackedA.get(roundUp(Mc, kMR) * Kb);
        for (std::size_t P = 0; P < Kg; P += Kb) {
          const std::size_t Kc = std::min(Kb, Kg - P);
          packA(TransA, A, Lda, IC, Mc, PG + P, Kc, Alpha, Ap);
          const float *BpK = Bp + P * NcPadded;
          // Later K blocks accumulate onto what the first one wrote.
          const float BetaHere = PG + P == 0 ? Beta : 1.0f;
          for (std::size_t JR = 0; JR < Nc; JR += kNR) {
            const std::size_t Nr = std::min(kNR, Nc - JR);
            float *CJ = C + IC * Ldc + JC + JR;
            std::size_t IR = 0;
            for (; IR + kMR <= Mc; IR += kMR)
              microKernel<kMR>(Kc, Ap + IR * Kc, BpK + JR * Kc, CJ + IR * Ldc,
                               Ldc, BetaHere, Nr);
            if (IR < Mc)
              kEdgeKernels[Mc - IR - 1](Kc, Ap + IR * Kc, BpK + JR * Kc,
                                        CJ + IR * Ldc, Ldc, BetaHere, Nr);
          }
        }
      };
      if (Threads > 1 && MBlocks > 1)
        parallel_for(Threads, MBlocks, RowBlock);
      else
        for (std::int64_t Block = 0; Block < MBlocks; ++Block)
          RowBlock(Block);
    }
  }
}

/// Y = Beta * Y (Beta == 0 writes zeros without reading Y).
void scaleVector(std::size_t N, float Beta, float *Y) {
  if (Beta == 1.0f)
    return;
  const D Df;
  std::size_t I = 0;
  for (; I + kLanes <= N; I += kLanes)
    hn::StoreU(Beta == 0.0f ? hn::Zero(Df)
                            : hn::Mul(hn::Set(Df, Beta), hn::LoadU(Df, Y + I)),
               Df, Y + I);
  for (; I < N; ++I)
    Y[I] = Beta == 0.0f ? 0.0f : Beta * Y[I];
}

/// Y = Alpha * A * X + Beta * Y for A stored M x N: four rows at a time, so
/// each X vector loaded feeds four independent dot products.
void gemvRows(std::size_t M, std::size_t N, float Alpha, const float *A,
              std::size_t Lda, const float *X, float Beta, float *Y) {
  const D Df;
  constexpr std::size_t kRows = 4;
  std::size_t I = 0;
  auto Finish = [&](std::size_t Row, float Dot) {
    Y[Row] = Beta == 0.0f ? Alpha * Dot : Alpha * Dot + Beta * Y[Row];
  };
  for (; I + kRows <= M; I += kRows) {
    const float *Row[kRows];
    V Acc[kRows];
    for (std::size_t R = 0; R < kRows; ++R) {
      Row[R] = A + (I + R) * Lda;
      Acc[R] = hn::Zero(Df);
    }
    std::size_t J = 0;
    for (; J + kLanes <= N; J += kLanes) {
      const V Xv = hn::LoadU(Df, X + J);
      for (std::size_t R = 0; R < kRows; ++R)
        Acc[R] = hn::MulAdd(hn::LoadU(Df, Row[R] + J), Xv, Acc[R]);
    }
    for (std::size_t R = 0; R < kRows; ++R) {
      float Dot = hn::GetLane(hn::SumOfLanes(Df, Acc[R]));
      for (std::size_t T = J; T < N; ++T)
        Dot += Row[R][T] * X[T];
      Finish(I + R, Dot);
    }
  }
  for (; I < M; ++I) {
    const float *Row = A + I * Lda;
    V Acc = hn::Zero(Df);
    std::size_t J = 0;
    for (; J + kLanes <= N; J += kLanes)
      Acc = hn::MulAdd(hn::LoadU(Df, Row + J), hn::LoadU(Df, X + J), Acc);
    float Dot = hn::GetLane(hn::SumOfLanes(Df, Acc));
    for (; J < N; ++J)
      Dot += Row[J] * X[J];
    Finish(I, Dot);
  }
}

/// Y = Alpha * A^T * X + Beta * Y for A stored M x N: Y is updated with four
/// scaled rows of A per pass, vectorised along the rows.
void gemvColumns(std::size_t M, std::size_t N, float Alpha, const float *A,
                 std::size_t Lda, const float *X, float Beta, float *Y) {
  const D Df;
  scaleVector(N, Beta, Y);
  constexpr std::size_t kRows = 4;
  std::size_t I = 0;
  for (; I + kRows <= M; I += kRows) {
    const float *R0 = A + I * Lda, *R1 = R0 + Lda, *R2 = R1 + Lda,
                *R3 = R2 + Lda;
    const float S0 = Alpha * X[I], S1 = Alpha * X[I + 1], S2 = Alpha * X[I + 2],
                S3 = Alpha * X[I + 3];
    const V V0 = hn::Set(Df, S0), V1 = hn::Set(Df, S1), V2 = hn::Set(Df, S2),
            V3 = hn::Set(Df, S3);
    std::size_t J = 0;
    for (; J + kLanes <= N; J += kLanes) {
      V Yv = hn::LoadU(Df, Y + J);
      Yv = hn::MulAdd(V0, hn::LoadU(Df, R0 + J), Yv);
      Yv = hn::MulAdd(V1, hn::LoadU(Df, R1 + J), Yv);
      Yv = hn::MulAdd(V2, hn::LoadU(Df, R2 + J), Yv);
      Yv = hn::MulAdd(V3, hn::LoadU(Df, R3 + J), Yv);
      hn::StoreU(Yv, Df, Y + J);
    }
    for (; J < N; ++J)
      Y[J] += S0 * R0[J] + S1 * R1[J] + S2 * R2[J] + S3 * R3[J];
  }
  for (; I < M; ++I) {
    const float *Row = A + I * Lda;
    const float S = Alpha * X[I];
    const V Sv = hn::Set(Df, S);
    std::size_t J = 0;
    for (; J + kLanes <= N; J += kLanes)
      hn::StoreU(hn::MulAdd(Sv, hn::LoadU(Df, Row + J), hn::LoadU(Df, Y + J)),
                 Df, Y + J);
    for (; J < N; ++J)
      Y[J] += S * Row[J];
  }
}

/// sgemv for Alpha != 0.
void Gemv(bool TransA, std::int64_t M, std::int64_t N, float Alpha,
          const float *A, std::int64_t Lda, const float *X, float Beta,
          float *Y) {
  if (TransA)
    gemvColumns(M, N, Alpha, A, Lda, X, Beta, Y);
  else
    gemvRows(M, N, Alpha, A, Lda, X, Beta, Y);
}

/// Y = Beta * Y, exported for the Alpha == 0 and K == 0 cases.
void Scale(std::int64_t N, float Beta, float *Y) { scaleVector(N, Beta, Y); }

// NOLINTNEXTLINE(google-readability-namespace-comments)
} // namespace HWY_NAMESPACE
} // namespace kernels
} // namespace adjoint
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace adjoint {
namespace kernels {

HWY_EXPORT(Gemm);
HWY_EXPORT(Gemv);
HWY_EXPORT(Scale);

namespace {

/// Below about 128^3 multiply-adds, waking other threads costs more than it
/// saves.
constexpr std::int64_t kParallelWork = std::int64_t{128} * 128 * 128;

/// Up to this many multiply-adds, plain loops beat packing: the products of
/// tiny networks (the tutorial's 5 x 3 weight gradient is an outer product).
constexpr std::int64_t kSmallWork = 512;

/// C = Alpha * op(A) * op(B) + Beta * C by plain loops, for tiny products.
void smallGemm(bool TransA, bool TransB, std::int64_t M, std::int64_t N,
               std::int64_t K, float Alpha, const float *A, std::int64_t Lda,
               const float *B, std::int64_t Ldb, float Beta, float *C,
               std::int64_t Ldc) {
  // Element strides of op(A) along I and P, and of op(B) along P and J.
  const std::int64_t AI = TransA ? 1 : Lda, AP = TransA ? Lda : 1;
  const std::int64_t BP = TransB ? 1 : Ldb, BJ = TransB ? Ldb : 1;
  for (std::int64_t I = 0; I < M; ++I)
    for (std::int64_t J = 0; J < N; ++J) {
      float Acc = 0.0f;
      for (std::int64_t P = 0; P < K; ++P)
        Acc += A[I * AI + P * AP] * B[P * BP + J * BJ];
      float &Out = C[I * Ldc + J];
      Out = Beta == 0.0f ? Alpha * Acc : Alpha * Acc + Beta * Out;
    }
}

/// Per-thread staging for vectors that sgemv needs contiguous.
float *staging(std::vector<float> &Buffer, std::int64_t Size) {
  if (static_cast<std::int64_t>(Buffer.size()) < Size)
    Buffer.resize(Size);
  return Buffer.data();
}

/// C (M x N) = Beta * C.
void scaleMatrix(std::int64_t M, std::int64_t N, float Beta, float *C,
                 std::int64_t Ldc) {
  for (std::int64_t I = 0; I < M; ++I)
    HWY_DYNAMIC_DISPATCH(Scale)(N, Beta, C + I * Ldc);
}

/// A product with M == 1 or N == 1 as a matrix-vector product, which reads
/// the matrix once instead of packing it.
void gemmAsGemv(bool TransA, bool TransB, std::int64_t M, std::int64_t N,
                std::int64_t K, float Alpha, const float *A, std::int64_t Lda,
                const float *B, std::int64_t Ldb, float Beta, float *C,
                std::int64_t Ldc) {
  static thread_local std::vector<float> XBuffer, YBuffer;
  if (M == 1) {
    // C's row = (row of op(A)) * op(B), i.e. op(B)^T times that row.
    const float *X = A;
    if (TransA && Lda != 1 && K > 1) {
      float *Copy = staging(XBuffer, K);
      for (std::int64_t P = 0; P < K; ++P)
        Copy[P] = A[P * Lda];
      X = Copy;
    }
    if (TransB)
      HWY_DYNAMIC_DISPATCH(Gemv)(false, N, K, Alpha, B, Ldb, X, Beta, C);
    else
      HWY_DYNAMIC_DISPATCH(Gemv)(true, K, N, Alpha, B, Ldb, X, Beta, C);
    return;
  }
  // N == 1: C's column = op(A) * (column of op(B)).
  const float *X = B;
  if (!TransB && Ldb != 1 && K > 1) {
    float *Copy = staging(XBuffer, K);
    for (std::int64_t P = 0; P < K; ++P)
      Copy[P] = B[P * Ldb];
    X = Copy;
  }
  float *Y = C;
  if (Ldc != 1) {
    Y = staging(YBuffer, M);
    if (Beta != 0.0f)
      for (std::int64_t I = 0; I < M; ++I)
        Y[I] = C[I * Ldc];
  }
  if (TransA)
    HWY_DYNAMIC_DISPATCH(Gemv)(true, K, M, Alpha, A, Lda, X, Beta, Y);
  else
    HWY_DYNAMIC_DISPATCH(Gemv)(false, M, K, Alpha, A, Lda, X, Beta, Y);
  if (Y != C)
    for (std::int64_t I = 0; I < M; ++I)
      C[I * Ldc] = Y[I];
}

} // namespace

void sgemm(bool TransA, bool TransB, std::int64_t M, std::int64_t N,
           std::int64_t K, float Alpha, const float *A, std::int64_t Lda,
           const float *B, std::int64_t Ldb, float Beta, float *C,
           std::int64_t Ldc) {
  if (M <= 0 || N <= 0)
    return;
  if (K <= 0 || Alpha == 0.0f) {
    scaleMatrix(M, N, Beta, C, Ldc);
    return;
  }
  if (M * N * K <= kSmallWork) {
    smallGemm(TransA, TransB, M, N, K, Alpha, A, Lda, B, Ldb, Beta, C, Ldc);
    return;
  }
  if (M == 1 || N == 1) {
    gemmAsGemv(TransA, TransB, M, N, K, Alpha, A, Lda, B, Ldb, Beta, C, Ldc);
    return;
  }
  const int Threads = M * N * K >= kParallelWork ? get_num_threads() : 1;
  HWY_DYNAMIC_DISPATCH(Gemm)
  (TransA, TransB, M, N, K, Alpha, A, Lda, B, Ldb, Beta, C, Ldc, Threads);
}

void sgemv(bool TransA, std::int64_t M, std::int64_t N, float Alpha,
           const float *A, std::int64_t Lda, const float *X, float Beta,
           float *Y) {
  const std::int64_t YLength = TransA ? N : M;
  if (YLength <= 0)
    return;
  if (Alpha == 0.0f || M <= 0 || N <= 0) {
    HWY_DYNAMIC_DISPATCH(Scale)(YLength, Beta, Y);
    return;
  }
  HWY_DYNAMIC_DISPATCH(Gemv)(TransA, M, N, Alpha, A, Lda, X, Beta, Y);
}

} // namespace kernels
} // namespace adjoint
#endif // HWY_ONCE
