//===- tensor_ops.cpp - Arithmetic, reductions, matmul and shapes ---------===//

#include "tensor_internal.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace adjoint {

using kernels::BinaryOp;
using kernels::UnaryOp;

//===--- Broadcasting
//------------------------------------------------------===//

namespace detail {
BroadcastPlan planBroadcast(const Shape &Out, const Shape &A, const Shape &B) {
  std::int64_t ContA[Shape::MaxDims], ContB[Shape::MaxDims];
  contiguousStrides(A, ContA);
  contiguousStrides(B, ContB);
  auto Stride = [&](const Shape &S, const std::int64_t *Cont, std::size_t D) {
    std::size_t Lead = Out.size() - S.size();
    return D < Lead || S[D - Lead] == 1 ? std::int64_t(0) : Cont[D - Lead];
  };
  BroadcastPlan Plan;
  for (std::size_t D = 0; D < Out.size(); ++D) {
    // Size-1 dimensions contribute nothing to the iteration.
    if (Out[D] == 1)
      continue;
    std::int64_t SA = Stride(A, ContA, D), SB = Stride(B, ContB, D);
    int Last = Plan.Rank - 1;
    // Merge into the previous dimension when both operands step through the
    // two as through one, which makes the innermost runs longer.
    if (Last >= 0 && Plan.StrideA[Last] == SA * Out[D] &&
        Plan.StrideB[Last] == SB * Out[D]) {
      Plan.Sizes[Last] *= Out[D];
      Plan.StrideA[Last] = SA;
      Plan.StrideB[Last] = SB;
      continue;
    }
    Plan.Sizes[Plan.Rank] = Out[D];
    Plan.StrideA[Plan.Rank] = SA;
    Plan.StrideB[Plan.Rank] = SB;
    ++Plan.Rank;
  }
  return Plan;
}

void runBroadcast(BinaryOp Op, const BroadcastPlan &Plan, const float *A,
                  const float *B, float *Out) {
  std::int64_t SA = innerStrideA(Plan), SB = innerStrideB(Plan);
  forEachRun(Plan, [&](std::int64_t OA, std::int64_t OB, std::int64_t OO,
                       std::int64_t N) {
    auto Count = static_cast<std::size_t>(N);
    if (SA == SB) // Both contiguous, or a single element each.
      kernels::binary(Op, A + OA, B + OB, Out + OO, Count);
    else if (SA == 0)
      kernels::scalar_binary(Op, A[OA], B + OB, Out + OO, Count);
    else
      kernels::binary_scalar(Op, A + OA, B[OB], Out + OO, Count);
  });
}
} // namespace detail

//===--- Arithmetic
//--------------------------------------------------------===//

namespace {
/// Writes A Op B (broadcast) into Out.
void binaryInto(const char *Name, BinaryOp Op, const Tensor &A, const Tensor &B,
                Tensor &Out) {
  detail::checkDefined(Name, A);
  detail::checkDefined(Name, B);
  if (A.shape() == B.shape()) {
    detail::prepareOut(Out, A.shape());
    kernels::binary(Op, A.data(), B.data(), Out.data(),
                    static_cast<std::size_t>(Out.numel()));
    return;
  }
  Shape OutShape = detail::broadcastShapes(Name, A.shape(), B.shape());
  // A broadcast operand read while the output is written must not overlap it.
  if (detail::sharesStorage(Out, A) && A.shape() != OutShape)
    detail::throwOverlap(Name);
  if (detail::sharesStorage(Out, B) && B.shape() != OutShape)
    detail::throwOverlap(Name);
  detail::prepareOut(Out, OutShape);
  detail::runBroadcast(Op,
                       detail::planBroadcast(OutShape, A.shape(), B.shape()),
                       A.data(), B.data(), Out.data());
}

Tensor binaryOp(const char *Name, BinaryOp Op, const Tensor &A,
                const Tensor &B) {
  Tensor Out;
  binaryInto(Name, Op, A, B, Out);
  return Out;
}

Tensor tensorScalarOp(const char *Name, BinaryOp Op, const Tensor &A, float S) {
  detail::checkDefined(Name, A);
  Tensor Out = empty(A.shape());
  kernels::binary_scalar(Op, A.data(), S, Out.data(),
                         static_cast<std::size_t>(A.numel()));
  return Out;
}

Tensor scalarTensorOp(const char *Name, BinaryOp Op, float S, const Tensor &B) {
  detail::checkDefined(Name, B);
  Tensor Out = empty(B.shape());
  kernels::scalar_binary(Op, S, B.data(), Out.data(),
                         static_cast<std::size_t>(B.numel()));
  return Out;
}

/// Writes Op(X) into Out.
void unaryInto(const char *Name, UnaryOp Op, const Tensor &X, Tensor &Out) {
  detail::checkDefined(Name, X);
  detail::prepareOut(Out, X.shape());
  kernels::unary(Op, X.data(), Out.data(), static_cast<std::size_t>(X.numel()));
}

Tensor unaryOp(const char *Name, UnaryOp Op, const Tensor &X) {
  Tensor Out;
  unaryInto(Name, Op, X, Out);
  return Out;
}
} // namespace

Tensor &add_out(Tensor &Out, const Tensor &A, const Tensor &B) {
  binaryInto("add_out", BinaryOp::Add, A, B, Out);
  return Out;
}
Tensor &sub_out(Tensor &Out, const Tensor &A, const Tensor &B) {
  binaryInto("sub_out", BinaryOp::Sub, A, B, Out);
  return Out;
}
Tensor &mul_out(Tensor &Out, const Tensor &A, const Tensor &B) {
  binaryInto("mul_out", BinaryOp::Mul, A, B, Out);
  return Out;
}
Tensor &div_out(Tensor &Out, const Tensor &A, const Tensor &B) {
  binaryInto("div_out", BinaryOp::Div, A, B, Out);
  return Out;
}
Tensor &relu_out(Tensor &Out, const Tensor &X) {
  unaryInto("relu_out", UnaryOp::Relu, X, Out);
  return Out;
}
Tensor &sigmoid_out(Tensor &Out, const Tensor &X) {
  unaryInto("sigmoid_out", UnaryOp::Sigmoid, X, Out);
  return Out;
}
Tensor &tanh_out(Tensor &Out, const Tensor &X) {
  unaryInto("tanh_out", UnaryOp::Tanh, X, Out);
  return Out;
}
Tensor &exp_out(Tensor &Out, const Tensor &X) {
  unaryInto("exp_out", UnaryOp::Exp, X, Out);
  return Out;
}

Tensor add(const Tensor &A, const Tensor &B) {
  return binaryOp("add", BinaryOp::Add, A, B);
}
Tensor sub(const Tensor &A, const Tensor &B) {
  return binaryOp("sub", BinaryOp::Sub, A, B);
}
Tensor mul(const Tensor &A, const Tensor &B) {
  return binaryOp("mul", BinaryOp::Mul, A, B);
}
Tensor div(const Tensor &A, const Tensor &B) {
  return binaryOp("div", BinaryOp::Div, A, B);
}
Tensor add(const Tensor &A, float S) {
  return tensorScalarOp("add", BinaryOp::Add, A, S);
}
Tensor add(float S, const Tensor &B) {
  return scalarTensorOp("add", BinaryOp::Add, S, B);
}
Tensor sub(const Tensor &A, float S) {
  return tensorScalarOp("sub", BinaryOp::Sub, A, S);
}
Tensor sub(float S, const Tensor &B) {
  return scalarTensorOp("sub", BinaryOp::Sub, S, B);
}
Tensor mul(const Tensor &A, float S) {
  return tensorScalarOp("mul", BinaryOp::Mul, A, S);
}
Tensor mul(float S, const Tensor &B) {
  return scalarTensorOp("mul", BinaryOp::Mul, S, B);
}
Tensor div(const Tensor &A, float S) {
  return tensorScalarOp("div", BinaryOp::Div, A, S);
}
Tensor div(float S, const Tensor &B) {
  return scalarTensorOp("div", BinaryOp::Div, S, B);
}
Tensor neg(const Tensor &A) { return unaryOp("neg", UnaryOp::Neg, A); }

//===--- Elementwise functions
//---------------------------------------------===//

Tensor pow(const Tensor &X, double P) {
  detail::checkDefined("pow", X);
  Tensor Out = empty(X.shape());
  kernels::pow_scalar(X.data(), static_cast<float>(P), Out.data(),
                      static_cast<std::size_t>(X.numel()));
  return Out;
}
Tensor exp(const Tensor &X) { return unaryOp("exp", UnaryOp::Exp, X); }
Tensor log(const Tensor &X) { return unaryOp("log", UnaryOp::Log, X); }
Tensor sqrt(const Tensor &X) { return unaryOp("sqrt", UnaryOp::Sqrt, X); }
Tensor abs(const Tensor &X) { return unaryOp("abs", UnaryOp::Abs, X); }
Tensor sigmoid(const Tensor &X) {
  return unaryOp("sigmoid", UnaryOp::Sigmoid, X);
}
Tensor tanh(const Tensor &X) { return unaryOp("tanh", UnaryOp::Tanh, X); }
Tensor relu(const Tensor &X) { return unaryOp("relu", UnaryOp::Relu, X); }

//===--- Reductions
//--------------------------------------------------------===//

Tensor sum(const Tensor &X) {
  detail::checkDefined("sum", X);
  return tensor(kernels::sum(X.data(), static_cast<std::size_t>(X.numel())));
}

Tensor mean(const Tensor &X) {
  detail::checkDefined("mean", X);
  float Total = kernels::sum(X.data(), static_cast<std::size_t>(X.numel()));
  // 0 / 0 gives PyTorch's NaN for an empty tensor.
  return tensor(Total / static_cast<float>(X.numel()));
}

Tensor sum(const Tensor &X, std::int64_t Dim, bool KeepDim) {
  detail::checkDefined("sum", X);
  std::int64_t D = detail::wrapDim("sum", Dim, X.dim());
  if (X.dim() == 0)
    return X.clone();
  const Shape &S = X.shape();
  std::int64_t Outer = 1, Inner = 1, N = S[D];
  for (std::int64_t I = 0; I < D; ++I)
    Outer *= S[I];
  for (std::int64_t I = D + 1; I < X.dim(); ++I)
    Inner *= S[I];
  Shape OutShape;
  for (std::int64_t I = 0; I < X.dim(); ++I)
    if (I != D)
      OutShape.push_back(S[I]);
    else if (KeepDim)
      OutShape.push_back(1);
  Tensor Out = zeros(OutShape);
  const float *In = X.data();
  float *O = Out.data();
  for (std::int64_t I = 0; I < Outer; ++I) {
    if (Inner == 1) {
      O[I] = kernels::sum(In + I * N, static_cast<std::size_t>(N));
      continue;
    }
    // Reducing a middle dimension adds whole contiguous rows.
    for (std::int64_t K = 0; K < N; ++K)
      kernels::axpy(static_cast<std::size_t>(Inner), 1.0f,
                    In + (I * N + K) * Inner, O + I * Inner);
  }
  return Out;
}

Tensor mean(const Tensor &X, std::int64_t Dim, bool KeepDim) {
  detail::checkDefined("mean", X);
  Tensor Out = sum(X, Dim, KeepDim);
  std::int64_t N =
      X.dim() ? X.shape()[detail::wrapDim("mean", Dim, X.dim())] : 1;
  kernels::binary_scalar(BinaryOp::Div, Out.data(), static_cast<float>(N),
                         Out.data(), static_cast<std::size_t>(Out.numel()));
  return Out;
}

Tensor sum_to(const Tensor &X, const Shape &S) {
  detail::checkDefined("sum_to", X);
  detail::checkBroadcastsTo("sum_to", S, X.shape());
  if (S.numel() == X.numel())
    return X.reshape(S).clone();
  Tensor Out = zeros(S);
  detail::BroadcastPlan Plan = detail::planBroadcast(X.shape(), X.shape(), S);
  std::int64_t Inner = detail::innerStrideB(Plan);
  const float *In = X.data();
  float *O = Out.data();
  forEachRun(Plan, [&](std::int64_t OX, std::int64_t OS, std::int64_t,
                       std::int64_t N) {
    if (Inner == 0)
      O[OS] += kernels::sum(In + OX, static_cast<std::size_t>(N));
    else
      kernels::axpy(static_cast<std::size_t>(N), 1.0f, In + OX, O + OS);
  });
  return Out;
}

//===--- Matrix products
//---------------------------------------------------===//

namespace detail {
MatmulDims matmulDims(const Tensor &A, const Tensor &B) {
  checkDefined("matmul", A);
  checkDefined("matmul", B);
  const Shape &SA = A.shape(), &SB = B.shape();
  std::int64_t RA = A.dim(), RB = B.dim();
  if (RA == 0 || RB == 0)
    throwInvalid("matmul", "both arguments need to be at least 1D, but they "
                           "are " +
                               std::to_string(RA) + "D and " +
                               std::to_string(RB) + "D");
  auto Mismatch = [&] {
    throwInvalid("matmul", "shapes " + SA.str() + " and " + SB.str() +
                               " cannot be multiplied");
  };
  MatmulDims D;
  D.M = RA == 1 ? 1 : SA[RA - 2];
  D.K = SA[RA - 1];
  D.N = RB == 1 ? 1 : SB[RB - 1];
  if (D.K != (RB == 1 ? SB[0] : SB[RB - 2]))
    Mismatch();
  for (std::int64_t I = 0; I + 2 < RA; ++I)
    D.BatchA.push_back(SA[I]);
  for (std::int64_t I = 0; I + 2 < RB; ++I)
    D.BatchB.push_back(SB[I]);
  if (!tryBroadcastShapes(D.BatchA, D.BatchB, D.Batch))
    Mismatch();
  D.Out = D.Batch;
  if (RA > 1)
    D.Out.push_back(D.M);
  if (RB > 1)
    D.Out.push_back(D.N);
  return D;
}
} // namespace detail

namespace {
/// Writes Beta * Out + A @ B into Out, whose storage holds Dims.Out (Beta
/// == 0 ignores its contents).
void matmulInto(const detail::MatmulDims &Dims, const Tensor &A,
                const Tensor &B, float Beta, Tensor &Out) {
  std::int64_t M = Dims.M, K = Dims.K, N = Dims.N;
  std::int64_t RB = B.dim();
  if (Out.numel() == 0)
    return;
  if (K == 0) {
    Beta == 0.0f ? Out.zero_() : Out.mul_(Beta);
    return;
  }
  const float *PA = A.data(), *PB = B.data();
  float *PC = Out.data();
  if (Dims.BatchB.numel() == 1) {
    // Without a batch on B, A's stacked matrices form one tall matrix; a
    // single row or column is a matrix-vector product.
    std::int64_t Rows = M * Dims.BatchA.numel();
    if (RB == 1)
      kernels::sgemv(false, Rows, K, 1.0f, PA, K, PB, Beta, PC);
    else if (Rows == 1)
      kernels::sgemv(true, K, N, 1.0f, PB, N, PA, Beta, PC);
    else
      kernels::sgemm(false, false, Rows, N, K, 1.0f, PA, K, PB, N, Beta, PC, N);
    return;
  }
  detail::BroadcastPlan Plan =
      detail::planBroadcast(Dims.Batch, Dims.BatchA, Dims.BatchB);
  // Each "element" of the batch plan is one matrix of A, B and the result.
  std::int64_t SizeA = M * K, SizeB = K * N, SizeC = M * N;
  std::int64_t InnerA = detail::innerStrideA(Plan),
               InnerB = detail::innerStrideB(Plan);
  detail::forEachRun(Plan, [&](std::int64_t OA, std::int64_t OB,
                               std::int64_t OC, std::int64_t Count) {
    for (std::int64_t I = 0; I < Count; ++I)
      kernels::sgemm(
          false, false, M, N, K, 1.0f, PA + (OA + I * InnerA) * SizeA, K,
          PB + (OB + I * InnerB) * SizeB, N, Beta, PC + (OC + I) * SizeC, N);
  });
}
} // namespace

Tensor matmul(const Tensor &A, const Tensor &B) {
  detail::MatmulDims Dims = detail::matmulDims(A, B);
  Tensor Out = empty(Dims.Out);
  matmulInto(Dims, A, B, 0.0f, Out);
  return Out;
}

Tensor &matmul_out(Tensor &Out, const Tensor &A, const Tensor &B) {
  detail::MatmulDims Dims = detail::matmulDims(A, B);
  if (detail::sharesStorage(Out, A) || detail::sharesStorage(Out, B))
    detail::throwOverlap("matmul_out");
  detail::prepareOut(Out, Dims.Out);
  matmulInto(Dims, A, B, 0.0f, Out);
  return Out;
}

Tensor &addmm_(Tensor &Self, const Tensor &A, const Tensor &B, float Beta,
               float Alpha) {
  detail::checkDefined("addmm_", Self);
  detail::checkDefined("addmm_", A);
  detail::checkDefined("addmm_", B);
  if (A.dim() != 2 || B.dim() != 2)
    detail::throwInvalid("addmm_", "expected 2-D matrices, got shapes " +
                                       A.shape().str() + " and " +
                                       B.shape().str());
  detail::MatmulDims Dims = detail::matmulDims(A, B);
  if (Self.shape() != Dims.Out)
    detail::throwInvalid("addmm_", "self has shape " + Self.shape().str() +
                                       " but " + A.shape().str() + " @ " +
                                       B.shape().str() + " has shape " +
                                       Dims.Out.str());
  if (detail::sharesStorage(Self, A) || detail::sharesStorage(Self, B))
    detail::throwOverlap("addmm_");
  if (Self.numel() == 0)
    return Self;
  if (Dims.K == 0 || Alpha == 0.0f)
    return Beta == 0.0f ? Self.zero_() : Self.mul_(Beta);
  kernels::sgemm(false, false, Dims.M, Dims.N, Dims.K, Alpha, A.data(), Dims.K,
                 B.data(), Dims.N, Beta, Self.data(), Dims.N);
  return Self;
}

//===--- Shapes
//------------------------------------------------------------===//

Tensor transpose(const Tensor &X, std::int64_t D0, std::int64_t D1) {
  detail::checkDefined("transpose", X);
  std::int64_t A = detail::wrapDim("transpose", D0, X.dim());
  std::int64_t B = detail::wrapDim("transpose", D1, X.dim());
  if (A == B || X.dim() < 2)
    return X.clone();
  std::int64_t InStrides[Shape::MaxDims];
  detail::contiguousStrides(X.shape(), InStrides);
  Shape OutShape = X.shape();
  std::swap(OutShape[A], OutShape[B]);
  std::swap(InStrides[A], InStrides[B]);
  // Walk the output in order, reading the input through swapped strides.
  std::int64_t Sizes[Shape::MaxDims], Strides[Shape::MaxDims];
  int Pad = Shape::MaxDims - static_cast<int>(X.dim());
  for (int I = 0; I < Shape::MaxDims; ++I) {
    Sizes[I] = I < Pad ? 1 : OutShape[I - Pad];
    Strides[I] = I < Pad ? 0 : InStrides[I - Pad];
  }
  Tensor Out = empty(OutShape);
  const float *In = X.data();
  float *O = Out.data();
  for (std::int64_t I0 = 0; I0 < Sizes[0]; ++I0)
    for (std::int64_t I1 = 0; I1 < Sizes[1]; ++I1)
      for (std::int64_t I2 = 0; I2 < Sizes[2]; ++I2) {
        const float *Row =
            In + I0 * Strides[0] + I1 * Strides[1] + I2 * Strides[2];
        for (std::int64_t I3 = 0; I3 < Sizes[3]; ++I3)
          *O++ = Row[I3 * Strides[3]];
      }
  return Out;
}

Tensor t(const Tensor &X) { return X.t(); }

Tensor reshape(const Tensor &X, const Shape &S) { return X.reshape(S); }

Tensor expand(const Tensor &X, const Shape &S) {
  detail::checkDefined("expand", X);
  detail::checkBroadcastsTo("expand", X.shape(), S);
  Tensor Out = empty(S);
  detail::BroadcastPlan Plan = detail::planBroadcast(S, X.shape(), S);
  std::int64_t Inner = detail::innerStrideA(Plan);
  const float *In = X.data();
  float *O = Out.data();
  detail::forEachRun(Plan, [&](std::int64_t OX, std::int64_t, std::int64_t OO,
                               std::int64_t N) {
    if (Inner == 0)
      std::fill(O + OO, O + OO + N, In[OX]);
    else
      std::memcpy(O + OO, In + OX, static_cast<std::size_t>(N) * sizeof(float));
  });
  return Out;
}

} // namespace adjoint
