//===- tensor_test_util.h - Helpers for the tensor tests --------*- C++ -*-===//
//
// Naive reference computations (plain index loops in double) that the tensor
// tests compare the SIMD-backed operations against.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_TEST_TENSOR_TEST_UTIL_H
#define ADJOINT_TEST_TENSOR_TEST_UTIL_H

#include "adjoint/adjoint.h"

#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <vector>

namespace adjoint {
namespace testing {

/// The printed form of \p T.
inline std::string str(const Tensor &T) {
  std::ostringstream OS;
  OS << T;
  return OS.str();
}

/// A tensor of shape \p S with deterministic, varied values in
/// [Low, Low + Span), distinct per \p Salt.
inline Tensor ramp(const Shape &S, float Low = -2.0f, float Span = 4.0f,
                   int Salt = 0) {
  Tensor T = empty(S);
  for (std::int64_t I = 0; I < T.numel(); ++I)
    T.data()[I] =
        Low + Span * static_cast<float>((I * 37 + Salt * 11 + 5) % 101) / 101;
  return T;
}

/// Row-major multi-index of flat position \p Flat in shape \p S.
inline std::vector<std::int64_t> unravel(std::int64_t Flat, const Shape &S) {
  std::vector<std::int64_t> Index(S.size());
  for (std::size_t D = S.size(); D-- > 0;) {
    Index[D] = Flat % S[D];
    Flat /= S[D];
  }
  return Index;
}

/// Flat position in \p S of the output multi-index \p OutIndex under
/// broadcasting (size-1 and missing leading dimensions repeat).
inline std::int64_t broadcastFlat(const std::vector<std::int64_t> &OutIndex,
                                  const Shape &S) {
  std::int64_t Flat = 0;
  std::size_t Lead = OutIndex.size() - S.size();
  for (std::size_t D = 0; D < S.size(); ++D)
    Flat = Flat * S[D] + (S[D] == 1 ? 0 : OutIndex[Lead + D]);
  return Flat;
}

/// Expects \p T to have shape \p S and elements within \p Tol (relative to
/// max(1, |expected|)) of \p Expected; NaNs and infinities must match
/// exactly.
inline void expectClose(const Tensor &T, const Shape &S,
                        const std::vector<double> &Expected,
                        double Tol = 1e-6) {
  ASSERT_EQ(T.shape(), S);
  ASSERT_EQ(T.numel(), static_cast<std::int64_t>(Expected.size()));
  for (std::size_t I = 0; I < Expected.size(); ++I) {
    double Got = T.data()[I];
    if (!std::isfinite(Expected[I])) {
      EXPECT_TRUE(std::isnan(Expected[I]) ? std::isnan(Got)
                                          : Got == Expected[I])
          << "element " << I << ": " << Got << " vs " << Expected[I];
      continue;
    }
    EXPECT_NEAR(Got, Expected[I], Tol * std::max(1.0, std::fabs(Expected[I])))
        << "element " << I << " of " << S;
  }
}

} // namespace testing
} // namespace adjoint

#endif // ADJOINT_TEST_TENSOR_TEST_UTIL_H
