//===- Algorithms.h - Standard algorithms adjoint knows ---------*- C++ -*-===//
//
// std::accumulate, std::inner_product, std::transform, std::copy and
// std::fill are differentiated through rules in include/adjoint/derivatives.h
// (DiffAlgorithm.cpp); the element std::max_element and std::min_element
// select gets the adjoint of its dereference. What they write is known:
// nothing, or their output range.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_CORE_ALGORITHMS_H
#define ADJOINT_CORE_ALGORITHMS_H

#include "clang/AST/Expr.h"

#include <vector>

namespace clang {
class Sema;
} // namespace clang

namespace adjoint {

/// A standard algorithm with rules.
enum class Algorithm {
  None,
  Accumulate,
  InnerProduct,
  Transform,
  Copy,
  Fill,
  /// std::max_element and std::min_element, which only read their range:
  /// `*std::max_element(first, last)` is the element they select.
  MaxElement,
  MinElement,
};

/// The element type of the range iterator or pointer \p E walks, or null.
clang::QualType rangeElementType(const clang::Expr *E);

/// The types the operation of \p Call (std::accumulate or std::transform
/// with a lambda) is called with: the accumulated value's and the elements';
/// empty for other calls.
std::vector<clang::QualType> operationParamTypes(const clang::CallExpr *Call);

/// Instantiates, through \p S, the call operator of each lambda with `auto`
/// parameters passed as the operation of std::accumulate or std::transform in
/// the user's code for the types the algorithm calls it with (whose body the
/// analysis parse skips), so that it is differentiated like a typed lambda.
void instantiateAlgorithmOperations(clang::Sema &S);

/// Which standard algorithm \p Call calls (a function of namespace std
/// declared in a system header), or None.
Algorithm standardAlgorithm(const clang::CallExpr *Call);

/// Whether \p Call may write through its pullback argument \p I (\p Arg; the
/// object first when \p ObjectFirst): what the algorithm writes for a
/// standard algorithm (its output range; an operation that is a lambda
/// writing its captures too), else what the parameter's type allows
/// (mayWriteThrough) unless the callee's body only reads through it
/// (isReadOnlyParameter).
bool mayWriteThroughArg(const clang::CallExpr *Call, bool ObjectFirst,
                        unsigned I, const clang::Expr *Arg);

/// Like mayWriteThroughArg, but for any data, derivatives or not
/// (mayWriteValuesThrough): the integers a callee writes (an index, a
/// counter, a flag) are read back by the reverse sweep as much as the reals.
bool mayWriteValuesThroughArg(const clang::CallExpr *Call, bool ObjectFirst,
                              unsigned I, const clang::Expr *Arg);

/// Whether \p Call of a standard algorithm only writes through its argument
/// \p I, without reading it: the output of std::transform and std::copy,
/// the range of std::fill.
bool onlyWritesArg(const clang::CallExpr *Call, unsigned I);

} // namespace adjoint

#endif // ADJOINT_CORE_ALGORITHMS_H
