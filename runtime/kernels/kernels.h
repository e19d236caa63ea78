//===- kernels.h - SIMD kernels of the tensor runtime -----------*- C++ -*-===//
//
// The hot loops of adjoint's runtime: written once with Highway and dispatched
// at run time to the best instruction set of the machine (AVX-512, AVX2, SSE4,
// scalar). Every kernel has a plain scalar reference (`*_reference`) that the
// tests compare against. All matrices are row-major with explicit leading
// dimensions; sizes are element counts.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_RUNTIME_KERNELS_H
#define ADJOINT_RUNTIME_KERNELS_H

#include <cstddef>
#include <cstdint>

namespace adjoint {
namespace kernels {

//===--- Matrix products ---------------------------------------------------===//

/// C = Alpha * op(A) * op(B) + Beta * C, where op(A) is M x K and op(B) is
/// K x N. TransA means A is stored K x M (row-major, leading dimension Lda);
/// likewise TransB. Beta == 0 ignores C's previous contents (NaNs included).
/// Packed, cache-blocked, register-tiled; computes products of at most 512
/// multiply-adds with plain loops and routes M == 1 or N == 1 to GEMV;
/// may use the runtime's thread pool for large products.
void sgemm(bool TransA, bool TransB, std::int64_t M, std::int64_t N,
           std::int64_t K, float Alpha, const float *A, std::int64_t Lda,
           const float *B, std::int64_t Ldb, float Beta, float *C,
           std::int64_t Ldc);

/// Scalar reference of sgemm (same contract, naive triple loop in double).
void sgemm_reference(bool TransA, bool TransB, std::int64_t M, std::int64_t N,
                     std::int64_t K, float Alpha, const float *A,
                     std::int64_t Lda, const float *B, std::int64_t Ldb,
                     float Beta, float *C, std::int64_t Ldc);

/// Y = Alpha * op(A) * X + Beta * Y, with A stored M x N (leading dimension
/// Lda); op(A) = A (Y has M elements, X has N) or A^T (Y has N, X has M).
void sgemv(bool TransA, std::int64_t M, std::int64_t N, float Alpha,
           const float *A, std::int64_t Lda, const float *X, float Beta,
           float *Y);

/// Scalar reference of sgemv.
void sgemv_reference(bool TransA, std::int64_t M, std::int64_t N, float Alpha,
                     const float *A, std::int64_t Lda, const float *X,
                     float Beta, float *Y);

/// Sets the number of threads large GEMMs, elementwise and BCE loops may use
/// (1 = single-threaded; 0 or less = default_num_threads() of
/// thread_pool.h, which is also the default).
void set_num_threads(int Threads);

/// Number of threads large kernels may use.
int get_num_threads();

//===--- Binary cross-entropy with logits ----------------------------------===//
// Per element, with z the logit, y the target and p the positive weight
// (p = 1 when PosWeight is null, else PosWeight[i % PosWeightLen]):
//   loss_i = (1 - y) * z + (1 + (p - 1) * y) * (log1p(exp(-|z|)) + max(-z, 0))
//   dloss_i/dz = (1 - y) - (1 + (p - 1) * y) * sigmoid(-z)
// which for p = 1 is max(z, 0) - z * y + log1p(exp(-|z|)) and sigmoid(z) - y,
// finite for any finite z.

/// Sum over i of loss_i, accumulated in double.
double bce_with_logits_sum(const float *Z, const float *Y,
                           const float *PosWeight, std::size_t PosWeightLen,
                           std::size_t N);

/// Out[i] = loss_i (reduction 'none').
void bce_with_logits_elementwise(const float *Z, const float *Y,
                                 const float *PosWeight,
                                 std::size_t PosWeightLen, std::size_t N,
                                 float *Out);

/// Fused forward and backward: returns the sum of loss_i (in double) and
/// writes DZ[i] = Scale * dloss_i/dz (Scale = 1/N for reduction 'mean',
/// times the upstream gradient).
double bce_with_logits_forward_backward(const float *Z, const float *Y,
                                        const float *PosWeight,
                                        std::size_t PosWeightLen,
                                        std::size_t N, float Scale, float *DZ);

/// Backward only: DZ[i] += Upstream[i] * dloss_i/dz when Upstream is not
/// null (reduction 'none'), else DZ[i] += Scale * dloss_i/dz.
void bce_with_logits_backward(const float *Z, const float *Y,
                              const float *PosWeight, std::size_t PosWeightLen,
                              std::size_t N, const float *Upstream, float Scale,
                              float *DZ);

/// Scalar references of the four BCE kernels (same contracts).
double bce_with_logits_sum_reference(const float *Z, const float *Y,
                                     const float *PosWeight,
                                     std::size_t PosWeightLen, std::size_t N);
void bce_with_logits_elementwise_reference(const float *Z, const float *Y,
                                           const float *PosWeight,
                                           std::size_t PosWeightLen,
                                           std::size_t N, float *Out);
double bce_with_logits_forward_backward_reference(
    const float *Z, const float *Y, const float *PosWeight,
    std::size_t PosWeightLen, std::size_t N, float Scale, float *DZ);
void bce_with_logits_backward_reference(const float *Z, const float *Y,
                                        const float *PosWeight,
                                        std::size_t PosWeightLen, std::size_t N,
                                        const float *Upstream, float Scale,
                                        float *DZ);

//===--- Elementwise and reductions on contiguous runs ---------------------===//

/// Unary elementwise operations.
enum class UnaryOp { Neg, Exp, Log, Sqrt, Abs, Sigmoid, Tanh, Relu };
/// Binary elementwise operations.
enum class BinaryOp { Add, Sub, Mul, Div };

/// Out[i] = Op(X[i]) for i < N (Out may equal X).
void unary(UnaryOp Op, const float *X, float *Out, std::size_t N);
/// Out[i] = A[i] Op B[i] (Out may equal A or B).
void binary(BinaryOp Op, const float *A, const float *B, float *Out,
            std::size_t N);
/// Out[i] = A[i] Op S.
void binary_scalar(BinaryOp Op, const float *A, float S, float *Out,
                   std::size_t N);
/// Out[i] = S Op B[i].
void scalar_binary(BinaryOp Op, float S, const float *B, float *Out,
                   std::size_t N);
/// Out[i] = pow(X[i], P).
void pow_scalar(const float *X, float P, float *Out, std::size_t N);
/// Y[i] += Alpha * X[i].
void axpy(std::size_t N, float Alpha, const float *X, float *Y);
/// Sum of X[0..N) (float result, accumulated in several lanes).
float sum(const float *X, std::size_t N);

/// Scalar references of the elementwise kernels (same contracts).
void unary_reference(UnaryOp Op, const float *X, float *Out, std::size_t N);
void binary_reference(BinaryOp Op, const float *A, const float *B, float *Out,
                      std::size_t N);
void binary_scalar_reference(BinaryOp Op, const float *A, float S, float *Out,
                             std::size_t N);
void scalar_binary_reference(BinaryOp Op, float S, const float *B, float *Out,
                             std::size_t N);
void pow_scalar_reference(const float *X, float P, float *Out, std::size_t N);
void axpy_reference(std::size_t N, float Alpha, const float *X, float *Y);
float sum_reference(const float *X, std::size_t N);

} // namespace kernels
} // namespace adjoint

#endif // ADJOINT_RUNTIME_KERNELS_H
