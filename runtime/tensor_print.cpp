//===- tensor_print.cpp - Printing tensors like PyTorch -------------------===//
//
// A port of torch/_tensor_str.py with the default print options: one
// formatter chooses, from all (or, beyond the threshold, the summarized)
// nonzero finite values, between integer mode ("4."), fixed point with four
// decimals and scientific notation, and a common width so that columns and
// signs line up.
//
//===----------------------------------------------------------------------===//

#include "tensor_internal.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

namespace adjoint {

namespace {
constexpr int Precision = 4;
constexpr std::int64_t Threshold = 1000;
constexpr std::int64_t EdgeItems = 3;
constexpr int LineWidth = 80;

/// Python's spelling of NaN and infinities (C's printf may write "-nan").
std::string nonFinite(double V) {
  return std::isnan(V) ? "nan" : V > 0 ? "inf" : "-inf";
}

/// Python's "{:.<Digits>f}".
std::string fixed(double V, int Digits) {
  if (!std::isfinite(V))
    return nonFinite(V);
  char Buf[400];
  std::snprintf(Buf, sizeof(Buf), "%.*f", Digits, V);
  return Buf;
}

/// Python's "{:.4e}" (both use at least two exponent digits).
std::string scientific(double V) {
  if (!std::isfinite(V))
    return nonFinite(V);
  char Buf[64];
  std::snprintf(Buf, sizeof(Buf), "%.*e", Precision, V);
  return Buf;
}

/// torch._tensor_str._Formatter for floating-point tensors.
class Formatter {
public:
  explicit Formatter(const std::vector<float> &Values) {
    std::vector<double> Finite;
    for (float V : Values)
      if (std::isfinite(V) && V != 0.0f)
        Finite.push_back(V);
    if (Finite.empty())
      return;
    double Min = std::fabs(Finite[0]), Max = Min;
    for (double V : Finite) {
      Min = std::min(Min, std::fabs(V));
      Max = std::max(Max, std::fabs(V));
      IntMode = IntMode && V == std::ceil(V);
    }
    if (IntMode) {
      SciMode = Max / Min > 1000.0 || Max > 1.0e8;
      for (double V : Finite)
        Width = std::max(Width, SciMode ? scientific(V).size()
                                        : fixed(V, 0).size() + 1);
      return;
    }
    SciMode = Max / Min > 1000.0 || Max > 1.0e8 || Min < 1.0e-4;
    for (double V : Finite)
      Width = std::max(Width, SciMode ? scientific(V).size()
                                      : fixed(V, Precision).size());
  }

  std::size_t width() const { return Width; }

  std::string format(float Value) const {
    double V = Value;
    std::string S;
    if (SciMode)
      S = scientific(V);
    else if (IntMode)
      S = fixed(V, 0) + (std::isfinite(V) ? "." : "");
    else
      S = fixed(V, Precision);
    return std::string(Width > S.size() ? Width - S.size() : 0, ' ') + S;
  }

private:
  bool IntMode = true;
  bool SciMode = false;
  std::size_t Width = 1;
};

/// The indices printed along a dimension of size \p Size: all of them, or
/// the first and last EdgeItems with -1 marking the elision.
std::vector<std::int64_t> shownIndices(std::int64_t Size, bool Summarize) {
  std::vector<std::int64_t> Indices;
  if (Summarize && Size > 2 * EdgeItems) {
    for (std::int64_t I = 0; I < EdgeItems; ++I)
      Indices.push_back(I);
    Indices.push_back(-1);
    for (std::int64_t I = Size - EdgeItems; I < Size; ++I)
      Indices.push_back(I);
  } else {
    for (std::int64_t I = 0; I < Size; ++I)
      Indices.push_back(I);
  }
  return Indices;
}

struct Printer {
  const float *Data;
  const Shape &Sizes;
  bool Summarize;
  const Formatter *Format = nullptr;

  std::int64_t strideOf(std::size_t Dim) const {
    std::int64_t Stride = 1;
    for (std::size_t I = Dim + 1; I < Sizes.size(); ++I)
      Stride *= Sizes[I];
    return Stride;
  }

  /// The values the formatter sees (get_summarized_data).
  void collect(std::size_t Dim, std::int64_t Offset,
               std::vector<float> &Out) const {
    if (Dim == Sizes.size()) {
      Out.push_back(Data[Offset]);
      return;
    }
    for (std::int64_t I : shownIndices(Sizes[Dim], Summarize))
      if (I >= 0)
        collect(Dim + 1, Offset + I * strideOf(Dim), Out);
  }

  std::string vector(std::int64_t Offset, int Indent) const {
    double ElementLength = static_cast<double>(Format->width() + 2);
    auto PerLine =
        std::max<std::int64_t>(1, static_cast<std::int64_t>(std::floor(
                                      (LineWidth - Indent) / ElementLength)));
    std::vector<std::string> Items;
    for (std::int64_t I : shownIndices(Sizes[Sizes.size() - 1], Summarize))
      Items.push_back(I < 0 ? " ..." : Format->format(Data[Offset + I]));
    std::string S = "[";
    for (std::size_t I = 0; I < Items.size(); ++I) {
      if (I > 0)
        S += static_cast<std::int64_t>(I) % PerLine == 0
                 ? ",\n" + std::string(Indent + 1, ' ')
                 : ", ";
      S += Items[I];
    }
    return S + "]";
  }

  std::string tensor(std::size_t Dim, std::int64_t Offset, int Indent) const {
    std::size_t Rank = Sizes.size() - Dim;
    if (Rank == 0)
      return Format->format(Data[Offset]);
    if (Rank == 1)
      return vector(Offset, Indent);
    std::string Separator =
        "," + std::string(Rank - 1, '\n') + std::string(Indent + 1, ' ');
    std::string S = "[";
    bool First = true;
    for (std::int64_t I : shownIndices(Sizes[Dim], Summarize)) {
      if (!First)
        S += Separator;
      First = false;
      S += I < 0 ? "..."
                 : tensor(Dim + 1, Offset + I * strideOf(Dim), Indent + 1);
    }
    return S + "]";
  }
};
} // namespace

std::ostream &operator<<(std::ostream &OS, const Tensor &T) {
  if (!T.defined())
    return OS << "[ Tensor (undefined) ]";
  const std::string Prefix = "tensor(";
  if (T.numel() == 0) {
    OS << Prefix << "[]";
    // Like NumPy, PyTorch spells out the shape unless it is [0].
    if (T.dim() != 1) {
      OS << ", size=(";
      for (std::int64_t I = 0; I < T.dim(); ++I)
        OS << (I ? ", " : "") << T.shape()[I];
      OS << ")";
    }
    return OS << ")";
  }
  Printer P{T.data(), T.shape(), T.numel() > Threshold};
  std::vector<float> Shown;
  P.collect(0, 0, Shown);
  Formatter F(Shown);
  P.Format = &F;
  return OS << Prefix << P.tensor(0, 0, static_cast<int>(Prefix.size())) << ")";
}

} // namespace adjoint
