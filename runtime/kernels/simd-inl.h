//===- simd-inl.h - Shared Highway helpers of the kernels ------*- C++ -*-===//
//
// Per-target helpers for the elementwise and BCE kernels: partial loads and
// stores for loop tails, and exp/log1p/reciprocal variants restricted to the
// ranges those kernels need, which makes them cheaper than Highway's general
// contrib/math versions. Included once per target by foreach_target.h.
//
//===----------------------------------------------------------------------===//

// Highway's per-target include guard: toggled by foreach_target.h so that
// this file is compiled once for every target.
#if defined(ADJOINT_RUNTIME_KERNELS_SIMD_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef ADJOINT_RUNTIME_KERNELS_SIMD_INL_H_
#undef ADJOINT_RUNTIME_KERNELS_SIMD_INL_H_
#else
#define ADJOINT_RUNTIME_KERNELS_SIMD_INL_H_
#endif

#include <cstddef>
#include <cstring>

#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace adjoint {
namespace kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

/// Loads Count < Lanes(d) floats from P, zero-filling the other lanes.
/// Goes through a stack buffer because a full-width load could cross into an
/// unmapped page and not every target has a faulting-safe masked load.
template <class D>
HWY_INLINE hn::Vec<D> LoadPartial(D d, const float *P, std::size_t Count) {
  HWY_ALIGN float Buf[HWY_MAX_BYTES / sizeof(float)] = {};
  std::memcpy(Buf, P, Count * sizeof(float));
  return hn::Load(d, Buf);
}

/// Stores the first Count < Lanes(d) lanes of V to P.
template <class D>
HWY_INLINE void StorePartial(D d, hn::Vec<D> V, float *P, std::size_t Count) {
  HWY_ALIGN float Buf[HWY_MAX_BYTES / sizeof(float)];
  hn::Store(V, d, Buf);
  std::memcpy(P, Buf, Count * sizeof(float));
}

/// exp(-A) for A >= 0 (or NaN, which propagates). Results below 2^-126 are
/// flushed to zero: that skips Highway's two-step scaling for subnormals,
/// and the callers add these values to terms of order one or use them as
/// factors of results that are themselves below float precision.
template <class D, class V> HWY_INLINE V ExpNegative(D d, V A) {
  const hn::RebindToSigned<D> di;
  // Adding 1.5 * 2^23 rounds -A * log2(e) to the integer q held in the low
  // mantissa bits, so q needs no float-to-int conversion.
  const V Magic = hn::Set(d, 12582912.0f);
  const V T = hn::MulAdd(A, hn::Set(d, -1.44269504088896341f), Magic);
  const V Q = hn::Sub(T, Magic);
  // -R = A + q * ln(2) in two parts (Cody-Waite), |R| <= ln(2) / 2; the
  // polynomial below is exp's with alternating signs, so it takes -R as is.
  V NegR = hn::MulAdd(Q, hn::Set(d, 0.693145751953125f), A);
  NegR = hn::MulAdd(Q, hn::Set(d, 1.428606765330187045e-6f), NegR);
  // Highway's minimax coefficients for exp on [-ln2/2, ln2/2] (1 ulp).
  V P = hn::Set(d, -0.000198527617612853646278381f);
  P = hn::MulAdd(P, NegR, hn::Set(d, 0.00139304355252534151077271f));
  P = hn::MulAdd(P, NegR, hn::Set(d, -0.00833336077630519866943359f));
  P = hn::MulAdd(P, NegR, hn::Set(d, 0.0416664853692054748535156f));
  P = hn::MulAdd(P, NegR, hn::Set(d, -0.166666671633720397949219f));
  P = hn::MulAdd(P, NegR, hn::Set(d, 0.5f));
  P = hn::MulAdd(P, NegR, hn::Set(d, -1.0f));
  P = hn::MulAdd(P, NegR, hn::Set(d, 1.0f));
  // 2^q built from the integer bits of T; the magic's own bits shift out.
  const V Scale = hn::BitCast(
      d, hn::ShiftLeft<23>(hn::Add(hn::BitCast(di, T), hn::Set(di, 127))));
  // A NaN compares false and keeps the NaN product.
  return hn::IfThenZeroElse(hn::Gt(A, hn::Set(d, 87.3f)), hn::Mul(P, Scale));
}

/// log1p(E) for E in [0, 1] (or NaN, which propagates), as E * P(E) with a
/// degree-9 polynomial fitted to log1p(E) / E: no range reduction or
/// division needed, 2.3 ulp over the interval.
template <class D, class V> HWY_INLINE V Log1pUnit(D d, V E) {
  V P = hn::Set(d, -3.176057013e-03f);
  P = hn::MulAdd(P, E, hn::Set(d, 1.954252645e-02f));
  P = hn::MulAdd(P, E, hn::Set(d, -5.637361109e-02f));
  P = hn::MulAdd(P, E, hn::Set(d, 1.054362357e-01f));
  P = hn::MulAdd(P, E, hn::Set(d, -1.526966691e-01f));
  P = hn::MulAdd(P, E, hn::Set(d, 1.966327429e-01f));
  P = hn::MulAdd(P, E, hn::Set(d, -2.495161593e-01f));
  P = hn::MulAdd(P, E, hn::Set(d, 3.332971036e-01f));
  P = hn::MulAdd(P, E, hn::Set(d, -4.999989271e-01f));
  P = hn::MulAdd(P, E, hn::Set(d, 1.0f));
  return hn::Mul(E, P);
}

/// 1 / U for U in [1, 2]: the hardware estimate refined by Newton steps in
/// residual form, cheaper than a division (slow on 512-bit vectors) and
/// exact at U = 1 and 2, so sigmoids saturate to exactly 0 and 1.
template <class D, class V> HWY_INLINE V ReciprocalUnit(D d, V U) {
  const V One = hn::Set(d, 1.0f);
  V R = hn::ApproximateReciprocal(U);
#if HWY_TARGET > HWY_AVX3
  // Below AVX-512 the estimate has 12 bits instead of 14: one more step.
  R = hn::MulAdd(R, hn::NegMulAdd(U, R, One), R);
#endif
  return hn::MulAdd(R, hn::NegMulAdd(U, R, One), R);
}

} // namespace HWY_NAMESPACE
} // namespace kernels
} // namespace adjoint
HWY_AFTER_NAMESPACE();

#endif // ADJOINT_RUNTIME_KERNELS_SIMD_INL_H_
