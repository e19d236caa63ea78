//===- tensor_internal.h - Helpers shared by the tensor sources -*- C++ -*-===//
//
// Argument checking with PyTorch-like messages and the broadcasting iteration
// used by the arithmetic operations, the in-place updates and the pullbacks.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_RUNTIME_TENSOR_INTERNAL_H
#define ADJOINT_RUNTIME_TENSOR_INTERNAL_H

#include "adjoint/tensor.h"
#include "kernels/kernels.h"

#include <cstdint>
#include <string>
#include <vector>

namespace adjoint {
namespace detail {

/// Throws std::invalid_argument with "<Op>: <Message>".
[[noreturn]] void throwInvalid(const char *Op, const std::string &Message);
/// Throws std::out_of_range with "<Op>: <Message>".
[[noreturn]] void throwOutOfRange(const char *Op, const std::string &Message);
/// Throws std::invalid_argument unless \p T is defined.
void checkDefined(const char *Op, const Tensor &T);
/// Maps \p Dim (negative counts from the end) into [0, Rank); a 0-D tensor
/// accepts 0 and -1 as PyTorch does. Throws std::out_of_range.
std::int64_t wrapDim(const char *Op, std::int64_t Dim, std::int64_t Rank);
/// Sets \p Out to the broadcast shape of \p A and \p B, or returns false
/// when they do not broadcast.
bool tryBroadcastShapes(const Shape &A, const Shape &B, Shape &Out);
/// The broadcast shape of \p A and \p B; throws std::invalid_argument
/// "<Op>: shapes [..] and [..] are not broadcastable".
Shape broadcastShapes(const char *Op, const Shape &A, const Shape &B);
/// Throws std::invalid_argument unless \p From broadcasts to exactly \p To.
void checkBroadcastsTo(const char *Op, const Shape &From, const Shape &To);

/// Whether \p A and \p B are defined and use the same storage.
inline bool sharesStorage(const Tensor &A, const Tensor &B) {
  return A.defined() && A.data() == B.data();
}
/// Throws std::invalid_argument "<Op>: the output shares storage with an
/// input it cannot overwrite while reading".
[[noreturn]] void throwOverlap(const char *Op);
/// Makes \p Out an output of shape \p S for an out-variant: its storage is
/// kept when it already has exactly that shape, else it is rebound to a new
/// tensor (as PyTorch resizes `out=` tensors).
void prepareOut(Tensor &Out, const Shape &S);

/// An elementwise binary operation over a broadcast output, with size-1 and
/// contiguous dimensions merged so that the innermost loop is as long as
/// possible. Strides are in elements; a broadcast dimension has stride 0.
struct BroadcastPlan {
  int Rank = 0;
  std::int64_t Sizes[Shape::MaxDims] = {};
  std::int64_t StrideA[Shape::MaxDims] = {};
  std::int64_t StrideB[Shape::MaxDims] = {};
};

/// The plan to compute an output of shape \p Out from operands of shapes
/// \p A and \p B that broadcast to it.
BroadcastPlan planBroadcast(const Shape &Out, const Shape &A, const Shape &B);
/// Calls Fn(OffsetA, OffsetB, OffsetOut, N) for every innermost run of
/// \p Plan, in output order; the run's strides are innerStrideA/B(Plan).
template <class F> void forEachRun(const BroadcastPlan &Plan, F Fn) {
  // Pad to MaxDims with leading size-1 dimensions so one loop nest serves
  // every rank.
  std::int64_t Sizes[Shape::MaxDims], SA[Shape::MaxDims], SB[Shape::MaxDims];
  int Pad = Shape::MaxDims - Plan.Rank;
  for (int I = 0; I < Shape::MaxDims; ++I) {
    Sizes[I] = I < Pad ? 1 : Plan.Sizes[I - Pad];
    SA[I] = I < Pad ? 0 : Plan.StrideA[I - Pad];
    SB[I] = I < Pad ? 0 : Plan.StrideB[I - Pad];
  }
  for (int I = 0; I < Shape::MaxDims; ++I)
    if (Sizes[I] == 0)
      return;
  std::int64_t N = Sizes[3], OffOut = 0;
  for (std::int64_t I0 = 0; I0 < Sizes[0]; ++I0)
    for (std::int64_t I1 = 0; I1 < Sizes[1]; ++I1)
      for (std::int64_t I2 = 0; I2 < Sizes[2]; ++I2) {
        Fn(I0 * SA[0] + I1 * SA[1] + I2 * SA[2],
           I0 * SB[0] + I1 * SB[1] + I2 * SB[2], OffOut, N);
        OffOut += N;
      }
}
/// Innermost stride of operand A in \p Plan (0 or 1).
inline std::int64_t innerStrideA(const BroadcastPlan &Plan) {
  return Plan.Rank ? Plan.StrideA[Plan.Rank - 1] : 0;
}
/// Innermost stride of operand B in \p Plan (0 or 1).
inline std::int64_t innerStrideB(const BroadcastPlan &Plan) {
  return Plan.Rank ? Plan.StrideB[Plan.Rank - 1] : 0;
}
/// Out = A Op B over \p Plan, calling the SIMD kernels on each innermost run
/// (Out may alias A or B when that operand has the output's shape).
void runBroadcast(kernels::BinaryOp Op, const BroadcastPlan &Plan,
                  const float *A, const float *B, float *Out);

/// A positive-weight operand in the form the BCE kernels take: Data[i % Len]
/// weighs element i (Data is null without weights).
struct PosWeightView {
  /// Keeps an expanded copy alive when the weight had to be materialized.
  Tensor Holder;
  const float *Data = nullptr;
  std::size_t Len = 0;
};
/// Checks that \p PosWeight (possibly undefined) broadcasts to \p Input and
/// views it as the kernels need, expanding it only when its shape is not a
/// suffix of the input's.
PosWeightView posWeightView(const char *Op, const Shape &Input,
                            const Tensor &PosWeight);

/// A dimension of a shape with the sizes before (Outer) and after (Inner) it
/// multiplied out: reductions along a dimension see a [Outer, N, Inner]
/// array.
struct DimSplit {
  std::int64_t Outer = 1, N = 1, Inner = 1;
};
/// Splits \p S around dimension \p D (already wrapped; 0 for rank 0).
DimSplit splitAt(const Shape &S, std::int64_t D);

/// The sizes of torch.matmul(A, B) seen as batches of [M, K] . [K, N]: a
/// 1-D A is one row and a 1-D B one column (dropped from Out).
struct MatmulDims {
  std::int64_t M = 0, K = 0, N = 0;
  Shape BatchA, BatchB, Batch, Out;
};
/// Validates the operands of matmul and returns its sizes; throws
/// std::invalid_argument "matmul: shapes [..] and [..] cannot be multiplied".
MatmulDims matmulDims(const Tensor &A, const Tensor &B);

/// Class indices given as integers, as the float tensor cross_entropy takes:
/// [N], or 0-D for a single class with unbatched [C] logits.
Tensor classIndexTensor(const Tensor &Logits,
                        const std::vector<std::int64_t> &Classes);

/// Row-major strides of \p S.
void contiguousStrides(const Shape &S, std::int64_t *Strides);

} // namespace detail
} // namespace adjoint

#endif // ADJOINT_RUNTIME_TENSOR_INTERNAL_H
