//===- reference.cpp - Scalar references of BCE and elementwise kernels ---===//
//
// Plain loops that spell out each kernel's contract for the tests. BCE
// follows the formula of kernels.h term by term in float (as PyTorch
// evaluates it); transcendental unary operations are evaluated in double and
// rounded once, so they are the correctly rounded values the SIMD kernels
// approximate.
//
//===----------------------------------------------------------------------===//

#include "runtime/kernels/kernels.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>

namespace adjoint {
namespace kernels {
namespace {

/// Loss and unscaled gradient of one element.
struct BceTerms {
  float Loss;
  float Grad;
};

BceTerms bceTerms(float Z, float Y, float P) {
  const float E = std::exp(-std::fabs(Z));
  const float Softplus = std::log1p(E) + std::max(-Z, 0.0f);
  // sigmoid(-z) without overflow: exp(z) = E for z < 0, 1 / E otherwise.
  const float SigmoidNeg = Z < 0 ? 1.0f / (1.0f + E) : E / (1.0f + E);
  const float W = 1.0f + (P - 1.0f) * Y;
  return {(1.0f - Y) * Z + W * Softplus, (1.0f - Y) - W * SigmoidNeg};
}

float posWeight(const float *PosWeight, std::size_t PosWeightLen,
                std::size_t I) {
  assert((!PosWeight || PosWeightLen > 0) && "empty positive-weight vector");
  return PosWeight ? PosWeight[I % PosWeightLen] : 1.0f;
}

float sigmoidReference(float X) {
  const double E = std::exp(-std::fabs(static_cast<double>(X)));
  return static_cast<float>(X < 0 ? E / (1.0 + E) : 1.0 / (1.0 + E));
}

float applyUnary(UnaryOp Op, float X) {
  switch (Op) {
  case UnaryOp::Neg:
    return -X;
  case UnaryOp::Exp:
    return static_cast<float>(std::exp(static_cast<double>(X)));
  case UnaryOp::Log:
    return static_cast<float>(std::log(static_cast<double>(X)));
  case UnaryOp::Sqrt:
    return std::sqrt(X);
  case UnaryOp::Abs:
    return std::fabs(X);
  case UnaryOp::Sigmoid:
    return sigmoidReference(X);
  case UnaryOp::Tanh:
    return static_cast<float>(std::tanh(static_cast<double>(X)));
  case UnaryOp::Relu:
    return X < 0 ? 0.0f : X;
  }
  return X;
}

float applyBinary(BinaryOp Op, float A, float B) {
  switch (Op) {
  case BinaryOp::Add:
    return A + B;
  case BinaryOp::Sub:
    return A - B;
  case BinaryOp::Mul:
    return A * B;
  case BinaryOp::Div:
    return A / B;
  }
  return A;
}

} // namespace

double bce_with_logits_sum_reference(const float *Z, const float *Y,
                                     const float *PosWeight,
                                     std::size_t PosWeightLen, std::size_t N) {
  double Sum = 0.0;
  for (std::size_t I = 0; I < N; ++I)
    Sum += bceTerms(Z[I], Y[I], posWeight(PosWeight, PosWeightLen, I)).Loss;
  return Sum;
}

void bce_with_logits_elementwise_reference(const float *Z, const float *Y,
                                           const float *PosWeight,
                                           std::size_t PosWeightLen,
                                           std::size_t N, float *Out) {
  for (std::size_t I = 0; I < N; ++I)
    Out[I] = bceTerms(Z[I], Y[I], posWeight(PosWeight, PosWeightLen, I)).Loss;
}

double bce_with_logits_forward_backward_reference(
    const float *Z, const float *Y, const float *PosWeight,
    std::size_t PosWeightLen, std::size_t N, float Scale, float *DZ) {
  double Sum = 0.0;
  for (std::size_t I = 0; I < N; ++I) {
    const BceTerms T =
        bceTerms(Z[I], Y[I], posWeight(PosWeight, PosWeightLen, I));
    Sum += T.Loss;
    DZ[I] = Scale * T.Grad;
  }
  return Sum;
}

void bce_with_logits_backward_reference(const float *Z, const float *Y,
                                        const float *PosWeight,
                                        std::size_t PosWeightLen, std::size_t N,
                                        const float *Upstream, float Scale,
                                        float *DZ) {
  for (std::size_t I = 0; I < N; ++I) {
    const float Grad =
        bceTerms(Z[I], Y[I], posWeight(PosWeight, PosWeightLen, I)).Grad;
    DZ[I] += (Upstream ? Upstream[I] : Scale) * Grad;
  }
}

void unary_reference(UnaryOp Op, const float *X, float *Out, std::size_t N) {
  for (std::size_t I = 0; I < N; ++I)
    Out[I] = applyUnary(Op, X[I]);
}

void binary_reference(BinaryOp Op, const float *A, const float *B, float *Out,
                      std::size_t N) {
  for (std::size_t I = 0; I < N; ++I)
    Out[I] = applyBinary(Op, A[I], B[I]);
}

void binary_scalar_reference(BinaryOp Op, const float *A, float S, float *Out,
                             std::size_t N) {
  for (std::size_t I = 0; I < N; ++I)
    Out[I] = applyBinary(Op, A[I], S);
}

void scalar_binary_reference(BinaryOp Op, float S, const float *B, float *Out,
                             std::size_t N) {
  for (std::size_t I = 0; I < N; ++I)
    Out[I] = applyBinary(Op, S, B[I]);
}

void pow_scalar_reference(const float *X, float P, float *Out, std::size_t N) {
  for (std::size_t I = 0; I < N; ++I)
    Out[I] = std::pow(X[I], P);
}

void axpy_reference(std::size_t N, float Alpha, const float *X, float *Y) {
  for (std::size_t I = 0; I < N; ++I)
    Y[I] += Alpha * X[I];
}

float sum_reference(const float *X, std::size_t N) {
  double Sum = 0.0;
  for (std::size_t I = 0; I < N; ++I)
    Sum += X[I];
  return static_cast<float>(Sum);
}

} // namespace kernels
} // namespace adjoint
