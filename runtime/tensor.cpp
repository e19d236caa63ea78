//===- tensor.cpp - Shapes, storage and the Tensor handle -----------------===//

#include "tensor_internal.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <ostream>
#include <sstream>
#include <stdexcept>

namespace adjoint {

//===--- Shape
//-------------------------------------------------------------===//

namespace {
[[noreturn]] void throwTooManyDims(std::size_t Rank) {
  throw std::invalid_argument(
      "Shape: at most " + std::to_string(Shape::MaxDims) +
      " dimensions are supported, got " + std::to_string(Rank));
}
} // namespace

Shape::Shape(std::initializer_list<std::int64_t> Sizes) {
  if (Sizes.size() > MaxDims)
    throwTooManyDims(Sizes.size());
  for (std::int64_t S : Sizes)
    Dims[Rank++] = S;
}

Shape::Shape(const std::vector<std::int64_t> &Sizes) {
  if (Sizes.size() > MaxDims)
    throwTooManyDims(Sizes.size());
  for (std::int64_t S : Sizes)
    Dims[Rank++] = S;
}

void Shape::push_back(std::int64_t Size) {
  if (Rank == MaxDims)
    throwTooManyDims(MaxDims + 1);
  Dims[Rank++] = Size;
}

std::string Shape::str() const {
  std::string S = "[";
  for (int I = 0; I < Rank; ++I) {
    if (I)
      S += ", ";
    S += std::to_string(Dims[I]);
  }
  return S + "]";
}

std::ostream &operator<<(std::ostream &OS, const Shape &S) {
  return OS << S.str();
}

namespace detail {
//===--- Argument checks
//---------------------------------------------------===//

void throwInvalid(const char *Op, const std::string &Message) {
  throw std::invalid_argument(std::string(Op) + ": " + Message);
}

void throwOutOfRange(const char *Op, const std::string &Message) {
  throw std::out_of_range(std::string(Op) + ": " + Message);
}

void checkDefined(const char *Op, const Tensor &T) {
  if (!T.defined())
    throwInvalid(Op, "expected a defined tensor, got an undefined one");
}

std::int64_t wrapDim(const char *Op, std::int64_t Dim, std::int64_t Rank) {
  std::int64_t Span = std::max<std::int64_t>(Rank, 1);
  if (Dim < -Span || Dim >= Span)
    throwOutOfRange(Op, "dimension out of range (expected to be in range of [" +
                            std::to_string(-Span) + ", " +
                            std::to_string(Span - 1) + "], but got " +
                            std::to_string(Dim) + ")");
  return Dim < 0 ? Dim + Span : Dim;
}

bool tryBroadcastShapes(const Shape &A, const Shape &B, Shape &Out) {
  std::size_t Rank = std::max(A.size(), B.size());
  Out = Shape();
  for (std::size_t I = 0; I < Rank; ++I) {
    // Align trailing dimensions; missing leading ones count as size 1.
    std::int64_t SA = I + A.size() >= Rank ? A[I + A.size() - Rank] : 1;
    std::int64_t SB = I + B.size() >= Rank ? B[I + B.size() - Rank] : 1;
    if (SA != SB && SA != 1 && SB != 1)
      return false;
    Out.push_back(SA == 1 ? SB : SA);
  }
  return true;
}

Shape broadcastShapes(const char *Op, const Shape &A, const Shape &B) {
  Shape Out;
  if (!tryBroadcastShapes(A, B, Out))
    throwInvalid(Op, "shapes " + A.str() + " and " + B.str() +
                         " are not broadcastable");
  return Out;
}

void checkBroadcastsTo(const char *Op, const Shape &From, const Shape &To) {
  bool Ok = From.size() <= To.size();
  for (std::size_t I = 0; Ok && I < From.size(); ++I) {
    std::int64_t F = From[From.size() - 1 - I];
    Ok = F == 1 || F == To[To.size() - 1 - I];
  }
  if (!Ok)
    throwInvalid(Op,
                 "shape " + From.str() + " cannot be broadcast to " + To.str());
}

void throwOverlap(const char *Op) {
  throwInvalid(Op, "the output shares storage with an input it cannot "
                   "overwrite while reading");
}

void prepareOut(Tensor &Out, const Shape &S) {
  if (!Out.defined() || Out.shape() != S)
    Out = empty(S);
}

void contiguousStrides(const Shape &S, std::int64_t *Strides) {
  std::int64_t Stride = 1;
  for (std::size_t I = S.size(); I-- > 0;) {
    Strides[I] = Stride;
    Stride *= S[I];
  }
}
} // namespace detail

//===--- Tensor
//------------------------------------------------------------===//

Tensor empty(const Shape &S) {
  for (std::int64_t Size : S)
    if (Size < 0)
      detail::throwInvalid("empty", "negative dimension in shape " + S.str());
  return Tensor(detail::allocateStorage(S.numel()), S);
}

std::int64_t Tensor::size(std::int64_t D) const {
  if (Sizes.size() == 0)
    detail::throwOutOfRange("size", "dimension specified as " +
                                        std::to_string(D) +
                                        " but tensor has no dimensions");
  return Sizes[static_cast<std::size_t>(detail::wrapDim("size", D, dim()))];
}

float Tensor::item() const {
  detail::checkDefined("item", *this);
  if (numel() != 1)
    detail::throwInvalid("item", "a Tensor with " + std::to_string(numel()) +
                                     " elements cannot be converted to a "
                                     "scalar");
  return *data();
}

namespace {
std::int64_t flatIndex(const Tensor &T,
                       std::initializer_list<std::int64_t> Index) {
  if (!T.defined())
    detail::throwOutOfRange("at", "the tensor is undefined");
  const Shape &S = T.shape();
  if (Index.size() != S.size())
    detail::throwOutOfRange("at", "expected " + std::to_string(S.size()) +
                                      " indices for shape " + S.str() +
                                      ", got " + std::to_string(Index.size()));
  std::int64_t Flat = 0;
  std::size_t D = 0;
  for (std::int64_t I : Index) {
    std::int64_t Size = S[D];
    if (I < -Size || I >= Size)
      detail::throwOutOfRange("at", "index " + std::to_string(I) +
                                        " is out of bounds for dimension " +
                                        std::to_string(D) + " with size " +
                                        std::to_string(Size));
    Flat = Flat * Size + (I < 0 ? I + Size : I);
    ++D;
  }
  return Flat;
}
} // namespace

float &Tensor::at(std::initializer_list<std::int64_t> Index) {
  return data()[flatIndex(*this, Index)];
}

float Tensor::at(std::initializer_list<std::int64_t> Index) const {
  return data()[flatIndex(*this, Index)];
}

Tensor Tensor::t() const {
  detail::checkDefined("t", *this);
  if (dim() > 2)
    detail::throwInvalid("t", "expects a tensor with <= 2 dimensions, but "
                              "self is " +
                                  std::to_string(dim()) + "D");
  return dim() < 2 ? *this : adjoint::transpose(*this, 0, 1);
}

Tensor Tensor::transpose(std::int64_t D0, std::int64_t D1) const {
  return adjoint::transpose(*this, D0, D1);
}

Tensor Tensor::reshape(const Shape &S) const {
  detail::checkDefined("reshape", *this);
  Shape Out = S;
  std::int64_t Known = 1;
  int Inferred = -1;
  for (std::size_t I = 0; I < Out.size(); ++I) {
    if (Out[I] == -1) {
      if (Inferred >= 0)
        detail::throwInvalid("reshape", "only one dimension can be inferred");
      Inferred = static_cast<int>(I);
    } else if (Out[I] < 0) {
      detail::throwInvalid("reshape",
                           "invalid shape dimension " + std::to_string(Out[I]));
    } else {
      Known *= Out[I];
    }
  }
  auto Invalid = [&] {
    detail::throwInvalid("reshape", "shape '" + S.str() +
                                        "' is invalid for input of size " +
                                        std::to_string(numel()));
  };
  if (Inferred >= 0) {
    if (Known == 0 || numel() % Known != 0)
      Invalid();
    Out[Inferred] = numel() / Known;
  }
  if (Out.numel() != numel())
    Invalid();
  Tensor Result = *this;
  Result.Sizes = Out;
  return Result;
}

Tensor Tensor::pow(double P) const { return adjoint::pow(*this, P); }
Tensor Tensor::sum() const { return adjoint::sum(*this); }
Tensor Tensor::sum(std::int64_t D, bool KeepDim) const {
  return adjoint::sum(*this, D, KeepDim);
}
Tensor Tensor::mean() const { return adjoint::mean(*this); }
Tensor Tensor::mean(std::int64_t D, bool KeepDim) const {
  return adjoint::mean(*this, D, KeepDim);
}

Tensor &Tensor::zero_() { return fill_(0.0f); }

Tensor &Tensor::fill_(float V) {
  detail::checkDefined("fill_", *this);
  std::fill(data(), data() + numel(), V);
  return *this;
}

Tensor &Tensor::add_(const Tensor &U, float Alpha) {
  detail::checkDefined("add_", *this);
  detail::checkDefined("add_", U);
  if (U.shape() != Sizes)
    detail::checkBroadcastsTo("add_", U.shape(), Sizes);
  if (U.numel() == numel()) {
    kernels::axpy(static_cast<std::size_t>(numel()), Alpha, U.data(), data());
    return *this;
  }
  Tensor Scaled = Alpha == 1.0f ? U : adjoint::mul(U, Alpha);
  detail::runBroadcast(kernels::BinaryOp::Add,
                       detail::planBroadcast(Sizes, Sizes, U.shape()), data(),
                       Scaled.data(), data());
  return *this;
}

Tensor &Tensor::add_(float S) {
  detail::checkDefined("add_", *this);
  kernels::binary_scalar(kernels::BinaryOp::Add, data(), S, data(),
                         static_cast<std::size_t>(numel()));
  return *this;
}

Tensor &Tensor::mul_(float S) {
  detail::checkDefined("mul_", *this);
  kernels::binary_scalar(kernels::BinaryOp::Mul, data(), S, data(),
                         static_cast<std::size_t>(numel()));
  return *this;
}

Tensor &Tensor::mul_(const Tensor &U) {
  detail::checkDefined("mul_", *this);
  detail::checkDefined("mul_", U);
  detail::checkBroadcastsTo("mul_", U.shape(), Sizes);
  detail::runBroadcast(kernels::BinaryOp::Mul,
                       detail::planBroadcast(Sizes, Sizes, U.shape()), data(),
                       U.data(), data());
  return *this;
}

Tensor Tensor::clone() const {
  if (!defined())
    return Tensor();
  Tensor Copy = empty(Sizes);
  std::memcpy(Copy.data(), data(),
              static_cast<std::size_t>(numel()) * sizeof(float));
  return Copy;
}

} // namespace adjoint
