//===- Lambdas.h - What a lambda's call reads and writes --------*- C++ -*-===//
//
// A closure carries no derivatives of its own: a call of a lambda reads the
// variables it captures and may write those it captures by reference. The
// activity analysis and the differentiator see through closures with these
// helpers.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_CORE_LAMBDAS_H
#define ADJOINT_CORE_LAMBDAS_H

#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/SmallVector.h"

#include <vector>

namespace adjoint {

/// The closure class of a lambda when \p T (after references and
/// qualifiers) is one, or null.
const clang::CXXRecordDecl *closureClass(clang::QualType T);

/// When \p T is a closure type: appends the captured variables that may carry
/// derivatives to \p Out and returns true.
bool appendCaptures(clang::QualType T,
                    llvm::SmallVectorImpl<const clang::VarDecl *> &Out);

/// The variables that \p Method, a lambda's call operator, captures by
/// reference and may write (assign, step, write elements of, or pass on to
/// a call that can write them); empty for other methods. Integers count: the
/// reverse sweep reads a counter back as much as a real.
std::vector<const clang::VarDecl *>
capturesWrittenBy(const clang::CXXMethodDecl *Method);

/// Whether \p S may write \p V or its elements: an assignment, step,
/// address or non-const reference, a call that may write through an
/// argument designating V, or a call of a lambda writing V (creating a
/// lambda that captures V by reference is no write).
bool writesVariable(const clang::Stmt *S, const clang::VarDecl *V);

/// Whether \p Method, a lambda's call operator, uses the captured \p V
/// only to store into it or its elements with `=` (`out[i] = e`): a call
/// needs none of its earlier contents.
bool onlyWrittenBy(const clang::CXXMethodDecl *Method, const clang::VarDecl *V);

/// The call operator of \p Closure that generated code differentiates: the
/// operator itself, or for a lambda with `auto` parameters its one
/// instantiation (`[](auto v) { return v * v; }` called with doubles only);
/// null when a generic lambda is instantiated with several types, or none.
const clang::CXXMethodDecl *
differentiatedCallOperator(const clang::CXXRecordDecl *Closure);

/// The closure class whose call operator \p Call calls, or null.
const clang::CXXRecordDecl *calledClosure(const clang::CallExpr *Call);

} // namespace adjoint

#endif // ADJOINT_CORE_LAMBDAS_H
