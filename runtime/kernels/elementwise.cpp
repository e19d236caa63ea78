//===- elementwise.cpp - SIMD elementwise operations and sums -------------===//
//
// Unary and binary maps, integer and square-root powers, axpy and sums over
// contiguous runs. Transcendentals use Highway's contrib/math (a few ulp)
// with the IEEE special cases it leaves out patched in, so NaN and infinities
// behave like std:: and PyTorch. Loop tails go through a stack buffer and the
// same vector code, so every element gets the same arithmetic.
//
// Compiled once per instruction set with Highway's foreach_target and picked
// at run time (HWY_DYNAMIC_DISPATCH).
//
//===----------------------------------------------------------------------===//

#include "runtime/kernels/kernels.h"
#include "runtime/kernels/thread_pool.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "runtime/kernels/elementwise.cpp"
#include "hwy/foreach_target.h" // IWYU pragma: keep

#include "hwy/contrib/math/math-inl.h"
#include "hwy/highway.h"
#include "runtime/kernels/simd-inl.h"

HWY_BEFORE_NAMESPACE();
namespace adjoint {
namespace kernels {
namespace HWY_NAMESPACE {
namespace {
namespace hn = hwy::HWY_NAMESPACE;

using D = hn::ScalableTag<float>;
using V = hn::Vec<D>;

/// Loads the Count elements at P, all lanes for Count == Lanes(d).
HWY_INLINE V loadSome(D d, const float *P, std::size_t Count) {
  return Count == hn::Lanes(d) ? hn::LoadU(d, P) : LoadPartial(d, P, Count);
}

/// Out[i] = Compute(d, I, Count) lane by lane over [0, N): Compute returns
/// the vector of elements I..I+Count-1 (Count < Lanes(d) only for the tail).
template <class Fn> void mapElements(std::size_t N, float *Out, Fn Compute) {
  const D d;
  const std::size_t NL = hn::Lanes(d);
  std::size_t I = 0;
  for (; I + NL <= N; I += NL)
    hn::StoreU(Compute(d, I, NL), d, Out + I);
  if (I < N)
    StorePartial(d, Compute(d, I, N - I), Out + I, N - I);
}

/// Out[i] = F(X[i]).
template <class Fn>
void mapUnary(const float *X, float *Out, std::size_t N, Fn F) {
  mapElements(N, Out, [&](D d, std::size_t I, std::size_t Count) HWY_ATTR {
    return F(d, loadSome(d, X + I, Count));
  });
}

/// exp with Highway's Exp, which is only valid up to 104 and maps NaN to 0.
HWY_INLINE V expFull(D d, V X) {
  const V Inf = hn::Set(d, std::numeric_limits<float>::infinity());
  // The smallest float whose exp rounds to infinity.
  const V Overflow = hn::Set(d, 88.72283935546875f);
  const V Y = hn::IfThenElse(hn::Ge(X, Overflow), Inf, hn::Exp(d, X));
  return hn::IfThenElse(hn::IsNaN(X), X, Y);
}

/// log with Highway's Log, which covers (0, FLT_MAX] only.
HWY_INLINE V logFull(D d, V X) {
  const V Zero = hn::Zero(d);
  const V Inf = hn::Set(d, std::numeric_limits<float>::infinity());
  const auto Regular = hn::And(hn::Gt(X, Zero), hn::Lt(X, Inf));
  // log(+-0) = -inf, log(+inf) = +inf, NaN for negative and NaN inputs.
  const V Special = hn::IfThenElse(
      hn::Eq(X, Zero), hn::Neg(Inf),
      hn::IfThenElse(hn::Gt(X, Zero), X,
                     hn::Set(d, std::numeric_limits<float>::quiet_NaN())));
  return hn::IfThenElse(Regular, hn::Log(d, X), Special);
}

/// sigmoid from e = exp(-|x|) so that neither branch overflows: 1 / (1 + e)
/// for x >= 0, e / (1 + e) for x < 0.
HWY_INLINE V sigmoid(D d, V X) {
  const V E = ExpNegative(d, hn::Abs(X));
  const V R = ReciprocalUnit(d, hn::Add(hn::Set(d, 1.0f), E));
  return hn::IfThenElse(hn::Lt(X, hn::Zero(d)), hn::Mul(E, R), R);
}

/// Applies Op, given as a functor of two vectors, to operands that are each
/// an array or a broadcast scalar (a null array means the scalar).
template <class Fn>
void mapBinary(const float *A, float SA, const float *B, float SB, float *Out,
               std::size_t N, Fn Op) {
  mapElements(N, Out, [&](D d, std::size_t I, std::size_t Count) HWY_ATTR {
    const V VA = A ? loadSome(d, A + I, Count) : hn::Set(d, SA);
    const V VB = B ? loadSome(d, B + I, Count) : hn::Set(d, SB);
    return Op(VA, VB);
  });
}

void binaryOp(BinaryOp Op, const float *A, float SA, const float *B, float SB,
              float *Out, std::size_t N) {
  switch (Op) {
  case BinaryOp::Add:
    return mapBinary(A, SA, B, SB, Out, N,
                     [](V X, V Y) HWY_ATTR { return hn::Add(X, Y); });
  case BinaryOp::Sub:
    return mapBinary(A, SA, B, SB, Out, N,
                     [](V X, V Y) HWY_ATTR { return hn::Sub(X, Y); });
  case BinaryOp::Mul:
    return mapBinary(A, SA, B, SB, Out, N,
                     [](V X, V Y) HWY_ATTR { return hn::Mul(X, Y); });
  case BinaryOp::Div:
    return mapBinary(A, SA, B, SB, Out, N,
                     [](V X, V Y) HWY_ATTR { return hn::Div(X, Y); });
  }
}

} // namespace

// Per-target entry points for HWY_EXPORT.

void UnaryKernel(UnaryOp Op, const float *X, float *Out, std::size_t N) {
  switch (Op) {
  case UnaryOp::Neg:
    return mapUnary(X, Out, N, [](D, V A) HWY_ATTR { return hn::Neg(A); });
  case UnaryOp::Exp:
    return mapUnary(X, Out, N, [](D d, V A) HWY_ATTR { return expFull(d, A); });
  case UnaryOp::Log:
    return mapUnary(X, Out, N, [](D d, V A) HWY_ATTR { return logFull(d, A); });
  case UnaryOp::Sqrt:
    return mapUnary(X, Out, N, [](D, V A) HWY_ATTR { return hn::Sqrt(A); });
  case UnaryOp::Abs:
    return mapUnary(X, Out, N, [](D, V A) HWY_ATTR { return hn::Abs(A); });
  case UnaryOp::Sigmoid:
    return mapUnary(X, Out, N, [](D d, V A) HWY_ATTR { return sigmoid(d, A); });
  case UnaryOp::Tanh:
    // Highway's Tanh already saturates at +-1 and propagates NaN.
    return mapUnary(X, Out, N,
                    [](D d, V A) HWY_ATTR { return hn::Tanh(d, A); });
  case UnaryOp::Relu:
    // Comparing with < keeps NaN (PyTorch's relu(NaN) is NaN).
    return mapUnary(X, Out, N, [](D d, V A) HWY_ATTR {
      return hn::IfThenZeroElse(hn::Lt(A, hn::Zero(d)), A);
    });
  }
}

void BinaryKernel(BinaryOp Op, const float *A, const float *B, float *Out,
                  std::size_t N) {
  binaryOp(Op, A, 0.0f, B, 0.0f, Out, N);
}

void BinaryScalarKernel(BinaryOp Op, const float *A, float S, float *Out,
                        std::size_t N) {
  binaryOp(Op, A, 0.0f, nullptr, S, Out, N);
}

void ScalarBinaryKernel(BinaryOp Op, float S, const float *B, float *Out,
                        std::size_t N) {
  binaryOp(Op, nullptr, S, B, 0.0f, Out, N);
}

/// pow for the exponents 2, 3, 0.5 and -1 (pow_scalar handles the others).
void PowKernel(const float *X, float P, float *Out, std::size_t N) {
  if (P == 2.0f)
    return mapUnary(X, Out, N, [](D, V A) HWY_ATTR { return hn::Mul(A, A); });
  if (P == 3.0f)
    return mapUnary(X, Out, N,
                    [](D, V A) HWY_ATTR { return hn::Mul(hn::Mul(A, A), A); });
  if (P == -1.0f)
    return mapUnary(X, Out, N, [](D d, V A) HWY_ATTR {
      return hn::Div(hn::Set(d, 1.0f), A);
    });
  // pow(x, 0.5) differs from sqrt(x) at -0 (+0) and -inf (+inf).
  mapUnary(X, Out, N, [](D d, V A) HWY_ATTR {
    const V Inf = hn::Set(d, std::numeric_limits<float>::infinity());
    const V Root = hn::IfThenElse(hn::Eq(A, hn::Neg(Inf)), Inf, hn::Sqrt(A));
    return hn::IfThenZeroElse(hn::Eq(A, hn::Zero(d)), Root);
  });
}

void AxpyKernel(std::size_t N, float Alpha, const float *X, float *Y) {
  mapElements(N, Y, [&](D d, std::size_t I, std::size_t Count) HWY_ATTR {
    return hn::MulAdd(hn::Set(d, Alpha), loadSome(d, X + I, Count),
                      loadSome(d, Y + I, Count));
  });
}

/// Sums blocks of 512 elements in four vectors of float lanes and the block
/// totals in double: float rounding stays that of short sums, and the double
/// work is once per block.
double SumKernel(const float *X, std::size_t N) {
  constexpr std::size_t kBlock = 512;
  const D d;
  const std::size_t NL = hn::Lanes(d);
  double Total = 0.0;
  for (std::size_t Begin = 0; Begin < N; Begin += kBlock) {
    const std::size_t End = std::min(N, Begin + kBlock);
    V Acc0 = hn::Zero(d), Acc1 = hn::Zero(d), Acc2 = hn::Zero(d),
      Acc3 = hn::Zero(d);
    std::size_t I = Begin;
    for (; I + 4 * NL <= End; I += 4 * NL) {
      Acc0 = hn::Add(Acc0, hn::LoadU(d, X + I));
      Acc1 = hn::Add(Acc1, hn::LoadU(d, X + I + NL));
      Acc2 = hn::Add(Acc2, hn::LoadU(d, X + I + 2 * NL));
      Acc3 = hn::Add(Acc3, hn::LoadU(d, X + I + 3 * NL));
    }
    for (; I < End; I += NL)
      Acc0 = hn::Add(Acc0, loadSome(d, X + I, std::min(NL, End - I)));
    Total += hn::GetLane(
        hn::SumOfLanes(d, hn::Add(hn::Add(Acc0, Acc1), hn::Add(Acc2, Acc3))));
  }
  return Total;
}

} // namespace HWY_NAMESPACE
} // namespace kernels
} // namespace adjoint
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace adjoint {
namespace kernels {

HWY_EXPORT(UnaryKernel);
HWY_EXPORT(BinaryKernel);
HWY_EXPORT(BinaryScalarKernel);
HWY_EXPORT(ScalarBinaryKernel);
HWY_EXPORT(PowKernel);
HWY_EXPORT(AxpyKernel);
HWY_EXPORT(SumKernel);

namespace {
/// Elements from which a loop is split across threads. Waking a thread costs
/// some microseconds: memory-bound operations (a few cycles an element) need
/// longer runs to gain than transcendental ones.
constexpr std::size_t kParallelCheap = std::size_t{1} << 18;
constexpr std::size_t kParallelCostly = std::size_t{1} << 15;
/// Chunk boundaries at multiples of 64 floats keep chunks cache-line aligned.
constexpr std::size_t kGrain = 64;

std::size_t parallelThreshold(UnaryOp Op) {
  switch (Op) {
  case UnaryOp::Exp:
  case UnaryOp::Log:
  case UnaryOp::Sigmoid:
  case UnaryOp::Tanh:
    return kParallelCostly;
  default:
    return kParallelCheap;
  }
}
} // namespace

void unary(UnaryOp Op, const float *X, float *Out, std::size_t N) {
  parallel_chunks(
      N, kGrain, parallelThreshold(Op), [&](std::size_t B, std::size_t E) {
        HWY_DYNAMIC_DISPATCH(UnaryKernel)(Op, X + B, Out + B, E - B);
      });
}

void binary(BinaryOp Op, const float *A, const float *B, float *Out,
            std::size_t N) {
  parallel_chunks(N, kGrain, kParallelCheap,
                  [&](std::size_t Lo, std::size_t Hi) {
                    HWY_DYNAMIC_DISPATCH(BinaryKernel)
                    (Op, A + Lo, B + Lo, Out + Lo, Hi - Lo);
                  });
}

void binary_scalar(BinaryOp Op, const float *A, float S, float *Out,
                   std::size_t N) {
  parallel_chunks(N, kGrain, kParallelCheap,
                  [&](std::size_t Lo, std::size_t Hi) {
                    HWY_DYNAMIC_DISPATCH(BinaryScalarKernel)
                    (Op, A + Lo, S, Out + Lo, Hi - Lo);
                  });
}

void scalar_binary(BinaryOp Op, float S, const float *B, float *Out,
                   std::size_t N) {
  parallel_chunks(N, kGrain, kParallelCheap,
                  [&](std::size_t Lo, std::size_t Hi) {
                    HWY_DYNAMIC_DISPATCH(ScalarBinaryKernel)
                    (Op, S, B + Lo, Out + Lo, Hi - Lo);
                  });
}

void pow_scalar(const float *X, float P, float *Out, std::size_t N) {
  if (P == 1.0f) {
    if (Out != X && N > 0)
      std::memmove(Out, X, N * sizeof(float));
    return;
  }
  if (P == 2.0f || P == 3.0f || P == 0.5f || P == -1.0f)
    return parallel_chunks(N, kGrain, kParallelCostly,
                           [&](std::size_t B, std::size_t E) {
                             HWY_DYNAMIC_DISPATCH(PowKernel)
                             (X + B, P, Out + B, E - B);
                           });
  // Other exponents keep std::pow's exact rules (negative bases with integer
  // exponents, zeros, infinities), which a vector exp(P * log(x)) would not.
  for (std::size_t I = 0; I < N; ++I)
    Out[I] = std::pow(X[I], P);
}

void axpy(std::size_t N, float Alpha, const float *X, float *Y) {
  parallel_chunks(N, kGrain, kParallelCheap, [&](std::size_t B, std::size_t E) {
    HWY_DYNAMIC_DISPATCH(AxpyKernel)(E - B, Alpha, X + B, Y + B);
  });
}

float sum(const float *X, std::size_t N) {
  return static_cast<float>(HWY_DYNAMIC_DISPATCH(SumKernel)(X, N));
}

} // namespace kernels
} // namespace adjoint
#endif // HWY_ONCE
