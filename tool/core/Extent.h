//===- Extent.h - How many elements a function reaches through a pointer -*- C++ -*-===//
//
// A pointer parameter's extent is an upper bound of the elements a function
// reads or writes through it, as an expression over the function's
// parameters at entry: `n` for `for (int i = 0; i < n; ++i) p[i]`, `(n - 1) *
// m + m` for `p[i * m + j]`, `3` for `p[2]`. With it, generated code checks at
// run time that buffers it assumes distinct do not overlap (a call passing
// two parts of one buffer, `g(w, w + n, n)`; the inputs and outputs of a
// gradient), instead of assuming it.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_CORE_EXTENT_H
#define ADJOINT_CORE_EXTENT_H

#include "clang/AST/Decl.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace adjoint {

/// A non-negative integer expression over a function's parameters.
struct Extent {
  enum Kind { Constant, Parameter, Sum, Product, Max } K = Constant;
  /// Constant (negative only as the right operand of a Sum).
  int64_t Value = 0;
  /// Parameter: its position.
  unsigned Index = 0;
  /// Sum, Product, Max.
  std::shared_ptr<Extent> L, R;

  /// The C++ text, with each parameter spelled by \p ParamText (already
  /// parenthesised where needed).
  std::string
  text(llvm::function_ref<std::string(unsigned)> ParamText) const;

  /// The value, when \p ParamValue gives a value for each parameter used.
  std::optional<int64_t> value(
      llvm::function_ref<std::optional<int64_t>(unsigned)> ParamValue) const;
};

/// \p E with the parameters whose value \p ParamValue gives replaced by it,
/// and folded.
Extent foldParameters(
    const Extent &E,
    llvm::function_ref<std::optional<int64_t>(unsigned)> ParamValue);

/// The extent of \p FD's pointer parameter \p P, or nullopt when some use
/// of P is not bounded that way (or P moves).
std::optional<Extent> reachedExtent(const clang::FunctionDecl *FD,
                                    const clang::ParmVarDecl *P);

} // namespace adjoint

#endif // ADJOINT_CORE_EXTENT_H
