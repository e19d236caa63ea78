//===- bce.cpp - Binary cross-entropy with logits -------------------------===//
//
// One pass over the logits computes e = exp(-|z|) once and derives both
// terms from it: log1p(e) for the loss and 1 / (1 + e) for the sigmoid of the
// gradient. exp, log1p and the reciprocal use range-restricted polynomial and
// Newton forms (simd-inl.h), so the fused forward-backward kernel keeps up
// with memory bandwidth instead of being bound by general exp/log code.
// Sums are accumulated per block in float lanes and across blocks in double.
//
// Compiled once per instruction set with Highway's foreach_target and picked
// at run time (HWY_DYNAMIC_DISPATCH).
//
//===----------------------------------------------------------------------===//

#include "runtime/kernels/kernels.h"
#include "runtime/kernels/thread_pool.h"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <limits>
#include <type_traits>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "runtime/kernels/bce.cpp"
#include "hwy/foreach_target.h" // IWYU pragma: keep

#include "hwy/highway.h"
#include "runtime/kernels/simd-inl.h"

// Target-independent helpers; foreach_target.h includes this file once per
// target, so they are guarded like a header.
#ifndef ADJOINT_RUNTIME_KERNELS_BCE_ONCE
#define ADJOINT_RUNTIME_KERNELS_BCE_ONCE
namespace adjoint {
namespace kernels {
namespace {

/// Which outputs a BCE pass produces.
enum class BceMode { Sum, Elementwise, ForwardBackward, Backward };

/// Stand-in for PosWeight == null: the kernel then skips the weight terms.
struct NoWeights {
  const float *at() const { return nullptr; }
  void advance(std::size_t) {}
};

/// The positive weights seen from a running element index, laid out so that
/// the weights of the next Slack elements are always contiguous at at().
/// Short periods are tiled to a longer one so the wrap-around check runs
/// rarely and loads never straddle it; when the period covers all N
/// elements, PosWeight is read in place.
class PeriodicWeights {
public:
  PeriodicWeights(const float *PosWeight, std::size_t Len, std::size_t N,
                  std::size_t Slack) {
    assert(Len > 0 && "a positive-weight vector needs at least one element");
    if (N <= Len) {
      Base = PosWeight;
      return;
    }
    Period = Len * ((std::max(kMinPeriod, Slack) + Len - 1) / Len);
    const std::size_t Size = Period + Slack;
    float *Tiled = Small;
    if (Size > kSmallSize) {
      Large.resize(Size);
      Tiled = Large.data();
    }
    for (std::size_t I = 0; I < Size; ++I)
      Tiled[I] = PosWeight[I % Len];
    Base = Tiled;
  }
  PeriodicWeights(const PeriodicWeights &) = delete;
  PeriodicWeights &operator=(const PeriodicWeights &) = delete;

  const float *at() const { return Base + Offset; }
  /// Moves Count <= Slack elements on.
  void advance(std::size_t Count) {
    Offset += Count;
    if (Offset >= Period)
      Offset -= Period;
  }

private:
  static constexpr std::size_t kMinPeriod = 256;
  static constexpr std::size_t kSmallSize = 1024;
  float Small[kSmallSize];
  std::vector<float> Large;
  const float *Base = nullptr;
  std::size_t Period = std::numeric_limits<std::size_t>::max();
  std::size_t Offset = 0;
};

/// Elements per block whose losses are summed in float lanes before the
/// block's total joins the double accumulator: each lane adds at most
/// 512 / 4 values even on 128-bit targets, so float rounding stays far below
/// the tests' tolerance while the double work is once per block.
constexpr std::size_t kSumBlock = 512;

} // namespace
} // namespace kernels
} // namespace adjoint
#endif // ADJOINT_RUNTIME_KERNELS_BCE_ONCE

HWY_BEFORE_NAMESPACE();
namespace adjoint {
namespace kernels {
namespace HWY_NAMESPACE {
namespace {
namespace hn = hwy::HWY_NAMESPACE;

/// Loss and unscaled gradient of one vector of logits Z with targets Y and
/// positive weights P (ignored unless kWeighted), per the formulas in
/// kernels.h. NaN logits give NaN losses and gradients.
template <bool kWeighted, class D, class V>
HWY_INLINE void bceVector(D d, V Z, V Y, V P, V &Loss, V &Grad) {
  const V One = hn::Set(d, 1.0f);
  const V Zero = hn::Zero(d);
  const V E = ExpNegative(d, hn::Abs(Z));
  const V R = ReciprocalUnit(d, hn::Add(One, E));
  // sigmoid(-z) is 1 / (1 + e) for z < 0 and e / (1 + e) otherwise.
  const V SigmoidNeg = hn::IfThenElse(hn::Lt(Z, Zero), R, hn::Mul(E, R));
  const V OneMinusY = hn::Sub(One, Y);
  const V Softplus = hn::Add(Log1pUnit(d, E), hn::Max(hn::Neg(Z), Zero));
  const V Linear = hn::Mul(OneMinusY, Z);
  if constexpr (kWeighted) {
    const V W = hn::MulAdd(hn::Sub(P, One), Y, One);
    Loss = hn::MulAdd(W, Softplus, Linear);
    Grad = hn::NegMulAdd(W, SigmoidNeg, OneMinusY);
  } else {
    Loss = hn::Add(Linear, Softplus);
    Grad = hn::Sub(OneMinusY, SigmoidNeg);
  }
}

/// Loads Count elements at P: a full vector, or a zero-padded tail.
template <bool kFull, class D>
HWY_INLINE hn::Vec<D> loadSome(D d, const float *P, std::size_t Count) {
  if constexpr (kFull)
    return hn::LoadU(d, P);
  else
    return LoadPartial(d, P, Count);
}

/// Stores Count elements to P: a full vector or the start of one.
template <bool kFull, class D>
HWY_INLINE void storeSome(D d, hn::Vec<D> V, float *P, std::size_t Count) {
  if constexpr (kFull)
    hn::StoreU(V, d, P);
  else
    StorePartial(d, V, P, Count);
}

/// Handles the Count elements from I on for a pass of mode M, adding their
/// losses to Acc. Count < Lanes(d) only for the tail (kFull false), whose
/// loads and stores must not touch memory past N. Out receives the losses
/// (Elementwise) or the gradients (ForwardBackward, Backward).
template <BceMode M, bool kWeighted, bool kUpstream, bool kFull, class D,
          class V>
HWY_INLINE void bceStep(D d, const float *Z, const float *Y, const float *Wp,
                        const float *Upstream, V ScaleV, float *Out,
                        std::size_t I, std::size_t Count, V &Acc) {
  V Loss, Grad;
  bceVector<kWeighted>(
      d, loadSome<kFull>(d, Z + I, Count), loadSome<kFull>(d, Y + I, Count),
      kWeighted ? loadSome<kFull>(d, Wp, Count) : hn::Zero(d), Loss, Grad);
  if constexpr (M == BceMode::Sum || M == BceMode::ForwardBackward)
    Acc = hn::Add(Acc, kFull ? Loss
                             : hn::IfThenElseZero(hn::FirstN(d, Count), Loss));
  if constexpr (M == BceMode::Elementwise)
    storeSome<kFull>(d, Loss, Out + I, Count);
  if constexpr (M == BceMode::ForwardBackward)
    storeSome<kFull>(d, hn::Mul(Grad, ScaleV), Out + I, Count);
  if constexpr (M == BceMode::Backward) {
    const V Factor =
        kUpstream ? loadSome<kFull>(d, Upstream + I, Count) : ScaleV;
    storeSome<kFull>(
        d, hn::MulAdd(Factor, Grad, loadSome<kFull>(d, Out + I, Count)),
        Out + I, Count);
  }
}

/// Runs one BCE pass of mode M over N elements and returns the loss sum (0
/// for the modes that produce none).
template <BceMode M, bool kUpstream, class Weights>
double bcePass(const float *Z, const float *Y, Weights &W, std::size_t N,
               float Scale, const float *Upstream, float *Out) {
  constexpr bool kWeighted = !std::is_same<Weights, NoWeights>::value;
  const hn::ScalableTag<float> d;
  using V = hn::Vec<decltype(d)>;
  const std::size_t NL = hn::Lanes(d);
  const V ScaleV = hn::Set(d, Scale);
  double Total = 0.0;
  for (std::size_t Begin = 0; Begin < N; Begin += kSumBlock) {
    const std::size_t End = std::min(N, Begin + kSumBlock);
    V Acc0 = hn::Zero(d), Acc1 = hn::Zero(d), Acc2 = hn::Zero(d),
      Acc3 = hn::Zero(d);
    std::size_t I = Begin;
    // Four independent vectors per iteration hide the latency of the long
    // polynomial chains.
    for (; I + 4 * NL <= End; I += 4 * NL) {
      const float *Wp = W.at();
      bceStep<M, kWeighted, kUpstream, true>(d, Z, Y, Wp, Upstream, ScaleV, Out,
                                             I, NL, Acc0);
      bceStep<M, kWeighted, kUpstream, true>(d, Z, Y, Wp + NL, Upstream, ScaleV,
                                             Out, I + NL, NL, Acc1);
      bceStep<M, kWeighted, kUpstream, true>(d, Z, Y, Wp + 2 * NL, Upstream,
                                             ScaleV, Out, I + 2 * NL, NL, Acc2);
      bceStep<M, kWeighted, kUpstream, true>(d, Z, Y, Wp + 3 * NL, Upstream,
                                             ScaleV, Out, I + 3 * NL, NL, Acc3);
      W.advance(4 * NL);
    }
    for (; I + NL <= End; I += NL) {
      bceStep<M, kWeighted, kUpstream, true>(d, Z, Y, W.at(), Upstream, ScaleV,
                                             Out, I, NL, Acc0);
      W.advance(NL);
    }
    if (I < End)
      bceStep<M, kWeighted, kUpstream, false>(d, Z, Y, W.at(), Upstream, ScaleV,
                                              Out, I, End - I, Acc1);
    if constexpr (M == BceMode::Sum || M == BceMode::ForwardBackward)
      Total += hn::GetLane(
          hn::SumOfLanes(d, hn::Add(hn::Add(Acc0, Acc1), hn::Add(Acc2, Acc3))));
  }
  return Total;
}

template <BceMode M, bool kUpstream>
double bceWeighted(const float *Z, const float *Y, const float *PosWeight,
                   std::size_t PosWeightLen, std::size_t N, float Scale,
                   const float *Upstream, float *Out) {
  if (!PosWeight) {
    NoWeights W;
    return bcePass<M, kUpstream>(Z, Y, W, N, Scale, Upstream, Out);
  }
  PeriodicWeights W(PosWeight, PosWeightLen, N,
                    4 * hn::Lanes(hn::ScalableTag<float>()));
  return bcePass<M, kUpstream>(Z, Y, W, N, Scale, Upstream, Out);
}

} // namespace

// Per-target entry points for HWY_EXPORT.

double BceSum(const float *Z, const float *Y, const float *PosWeight,
              std::size_t PosWeightLen, std::size_t N) {
  return bceWeighted<BceMode::Sum, false>(Z, Y, PosWeight, PosWeightLen, N,
                                          1.0f, nullptr, nullptr);
}

void BceElementwise(const float *Z, const float *Y, const float *PosWeight,
                    std::size_t PosWeightLen, std::size_t N, float *Out) {
  bceWeighted<BceMode::Elementwise, false>(Z, Y, PosWeight, PosWeightLen, N,
                                           1.0f, nullptr, Out);
}

double BceForwardBackward(const float *Z, const float *Y,
                          const float *PosWeight, std::size_t PosWeightLen,
                          std::size_t N, float Scale, float *DZ) {
  return bceWeighted<BceMode::ForwardBackward, false>(
      Z, Y, PosWeight, PosWeightLen, N, Scale, nullptr, DZ);
}

void BceBackward(const float *Z, const float *Y, const float *PosWeight,
                 std::size_t PosWeightLen, std::size_t N, const float *Upstream,
                 float Scale, float *DZ) {
  if (Upstream)
    bceWeighted<BceMode::Backward, true>(Z, Y, PosWeight, PosWeightLen, N,
                                         Scale, Upstream, DZ);
  else
    bceWeighted<BceMode::Backward, false>(Z, Y, PosWeight, PosWeightLen, N,
                                          Scale, nullptr, DZ);
}

} // namespace HWY_NAMESPACE
} // namespace kernels
} // namespace adjoint
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace adjoint {
namespace kernels {

HWY_EXPORT(BceSum);
HWY_EXPORT(BceElementwise);
HWY_EXPORT(BceForwardBackward);
HWY_EXPORT(BceBackward);

namespace {
/// Elements from which the loops are split across threads (each element
/// costs an exp and a log1p, so shorter runs than plain arithmetic pay).
constexpr std::size_t kParallelElements = std::size_t{1} << 15;

/// Chunk boundaries fall on multiples of the positive weight's period (and
/// of 64 floats, for aligned chunks) so PosWeight[i % Len] stays in phase.
std::size_t grainFor(std::size_t PosWeightLen) {
  std::size_t Grain = 64;
  if (PosWeightLen > 1)
    Grain = (Grain + PosWeightLen - 1) / PosWeightLen * PosWeightLen;
  return Grain;
}
} // namespace

double bce_with_logits_sum(const float *Z, const float *Y,
                           const float *PosWeight, std::size_t PosWeightLen,
                           std::size_t N) {
  return parallel_sum_chunks(N, grainFor(PosWeightLen), kParallelElements,
                             [&](std::size_t B, std::size_t E) {
                               return HWY_DYNAMIC_DISPATCH(BceSum)(
                                   Z + B, Y + B, PosWeight, PosWeightLen,
                                   E - B);
                             });
}

void bce_with_logits_elementwise(const float *Z, const float *Y,
                                 const float *PosWeight,
                                 std::size_t PosWeightLen, std::size_t N,
                                 float *Out) {
  parallel_chunks(N, grainFor(PosWeightLen), kParallelElements,
                  [&](std::size_t B, std::size_t E) {
                    HWY_DYNAMIC_DISPATCH(BceElementwise)
                    (Z + B, Y + B, PosWeight, PosWeightLen, E - B, Out + B);
                  });
}

double bce_with_logits_forward_backward(const float *Z, const float *Y,
                                        const float *PosWeight,
                                        std::size_t PosWeightLen, std::size_t N,
                                        float Scale, float *DZ) {
  return parallel_sum_chunks(N, grainFor(PosWeightLen), kParallelElements,
                             [&](std::size_t B, std::size_t E) {
                               return HWY_DYNAMIC_DISPATCH(BceForwardBackward)(
                                   Z + B, Y + B, PosWeight, PosWeightLen, E - B,
                                   Scale, DZ + B);
                             });
}

void bce_with_logits_backward(const float *Z, const float *Y,
                              const float *PosWeight, std::size_t PosWeightLen,
                              std::size_t N, const float *Upstream, float Scale,
                              float *DZ) {
  parallel_chunks(N, grainFor(PosWeightLen), kParallelElements,
                  [&](std::size_t B, std::size_t E) {
                    HWY_DYNAMIC_DISPATCH(BceBackward)
                    (Z + B, Y + B, PosWeight, PosWeightLen, E - B,
                     Upstream ? Upstream + B : nullptr, Scale, DZ + B);
                  });
}

} // namespace kernels
} // namespace adjoint
#endif // HWY_ONCE
