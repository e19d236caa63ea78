//===- gemm_reference.cpp - Scalar references of the matrix products ------===//
//
// Naive loops accumulating in double: the ground truth the SIMD kernels are
// tested against. Speed does not matter here, clarity does.
//
//===----------------------------------------------------------------------===//

#include "runtime/kernels/kernels.h"

namespace adjoint {
namespace kernels {

void sgemm_reference(bool TransA, bool TransB, std::int64_t M, std::int64_t N,
                     std::int64_t K, float Alpha, const float *A,
                     std::int64_t Lda, const float *B, std::int64_t Ldb,
                     float Beta, float *C, std::int64_t Ldc) {
  for (std::int64_t I = 0; I < M; ++I) {
    for (std::int64_t J = 0; J < N; ++J) {
      double Sum = 0.0;
      // BLAS convention: Alpha == 0 means op(A) * op(B) is not evaluated.
      if (Alpha != 0.0f)
        for (std::int64_t P = 0; P < K; ++P) {
          double AV = TransA ? A[P * Lda + I] : A[I * Lda + P];
          double BV = TransB ? B[J * Ldb + P] : B[P * Ldb + J];
          Sum += AV * BV;
        }
      double Out = static_cast<double>(Alpha) * Sum;
      // Beta == 0 must not read C, which may hold NaNs or garbage.
      if (Beta != 0.0f)
        Out += static_cast<double>(Beta) * C[I * Ldc + J];
      C[I * Ldc + J] = static_cast<float>(Out);
    }
  }
}

void sgemv_reference(bool TransA, std::int64_t M, std::int64_t N, float Alpha,
                     const float *A, std::int64_t Lda, const float *X,
                     float Beta, float *Y) {
  const std::int64_t Rows = TransA ? N : M; // Length of Y.
  const std::int64_t Cols = TransA ? M : N; // Length of X.
  for (std::int64_t I = 0; I < Rows; ++I) {
    double Sum = 0.0;
    if (Alpha != 0.0f)
      for (std::int64_t J = 0; J < Cols; ++J)
        Sum += static_cast<double>(TransA ? A[J * Lda + I] : A[I * Lda + J]) *
               X[J];
    double Out = static_cast<double>(Alpha) * Sum;
    if (Beta != 0.0f)
      Out += static_cast<double>(Beta) * Y[I];
    Y[I] = static_cast<float>(Out);
  }
}

} // namespace kernels
} // namespace adjoint
