//===- LoggedWrites.h - Callees that log what they overwrite ----*- C++ -*-===//
//
// A caller's reverse sweep may need a buffer's contents from before a call
// that overwrites them. When the buffer's extent is known, the caller
// snapshots it; when it is not (a pointer parameter passed on, `radial_distort
// (rad, proj)`), the caller runs a variant of the callee that saves each
// element in an adjoint::WriteLog right before writing it. The variant is the
// callee's own body, with `_log.save(p[i]), ` before every statement-level
// write through a pointer or reference parameter and logged variants of the
// callees it passes them on to. Anything else that could write through them
// (a local pointer or reference to their elements, a write inside a larger
// expression, a callee without a visible body) leaves the callee unlogged.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_CORE_LOGGEDWRITES_H
#define ADJOINT_CORE_LOGGEDWRITES_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <optional>
#include <string>

namespace adjoint {

/// The spelling (qualified name and template arguments) of the logged
/// variant of the callee of \p Call, or nullopt when it has none.
using LoggedCalleeLookup =
    llvm::function_ref<std::optional<std::string>(const clang::CallExpr *Call)>;

/// The body of \p FD's logged variant (the text of its compound statement),
/// whose log is named `_log`; nullopt, with the reason in \p Problem, when a
/// write through one of its pointer or reference parameters cannot be
/// logged. Calls that pass those parameters on to be written are spelled
/// with \p Logged.
std::optional<std::string> loggedBody(clang::ASTContext &Ctx,
                                      const clang::FunctionDecl *FD,
                                      LoggedCalleeLookup Logged,
                                      std::string &Problem);

/// Whether \p FD has a parameter that it may write the caller's memory
/// through (a pointer or reference to non-const), which its logged variant
/// logs.
bool writesThroughParameters(const clang::FunctionDecl *FD);

/// Whether the callee of \p Call, a user function with a visible body, only
/// reads through its pointer or reference to non-const parameter \p Index:
/// every use of it indexes, dereferences or offsets it for reading, or passes
/// it on to a parameter that is read-only (by type, or by this analysis of
/// the callee's body). Anything else (a write, a local pointer or reference
/// to its memory, a lambda, a call without a visible body, a library
/// function) counts as a write.
bool isReadOnlyParameter(const clang::CallExpr *Call, unsigned Index);

} // namespace adjoint

#endif // ADJOINT_CORE_LOGGEDWRITES_H
