//===- HiddenState.h - State a call shares without its arguments -*- C++
//-*-===//
//
// A pullback replays its callee's computation in the reverse sweep, long
// after the call. It sees the arguments the caller restores, but not state
// the call shares in other ways: variables of static storage that one call
// writes and another (or the caller) reads (`g_scale = 1 + j; t = h(x[j]);`,
// a helper counting its calls in a global int and using the count),
// `mutable` members written through a const object, and memory written
// through a `const_cast`. Integers count as much as reals: a replay with a
// counter's last value computes every other call's derivative wrongly.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_CORE_ANALYSIS_HIDDENSTATE_H
#define ADJOINT_CORE_ANALYSIS_HIDDENSTATE_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace adjoint {

/// What a function body, with the user functions it calls, does to state
/// its callers cannot see in the arguments.
struct HiddenAccess {
  /// Variables of static storage (not const, declared outside system
  /// headers) whose values are read, other than by the write that changes
  /// them (`++n`).
  llvm::SmallPtrSet<const clang::VarDecl *, 4> StaticsRead;
  /// Variables of static storage that are assigned, stepped, or passed where
  /// they may be written.
  llvm::SmallPtrSet<const clang::VarDecl *, 4> StaticsWritten;
  /// The first write of a `mutable` data member, or null.
  const clang::Expr *MutableWrite = nullptr;
  /// The first cast that drops a const from a pointer or reference, or null.
  const clang::Expr *ConstCast = nullptr;
};

/// Adds what \p Body does to \p Out; with \p FollowCalls, also what the user
/// functions it calls do (their visible bodies, transitively; library
/// functions are what their rules say).
void collectHiddenAccess(const clang::Stmt *Body, bool FollowCalls,
                         HiddenAccess &Out);

/// Adds what the callee of \p Call does (see collectHiddenAccess), and the
/// statics its arguments let it write.
void collectHiddenAccess(const clang::CallExpr *Call, HiddenAccess &Out);

} // namespace adjoint

#endif // ADJOINT_CORE_ANALYSIS_HIDDENSTATE_H
