//===- GlobalWrites.h - Callees that write global variables -----*- C++ -*-===//
//
// adjoint follows values through parameters, results and locals, not
// through variables of static storage: a helper that stores a
// differentiated value in a global (`void cache(double v) { g = v * v; }`)
// and a caller that reads it after the call would lose the derivative
// silently, since the call has no result or output the analysis sees. A
// call of a function that may write such a variable, directly or in the
// functions it calls, is therefore an error in differentiated code.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_CORE_GLOBALWRITES_H
#define ADJOINT_CORE_GLOBALWRITES_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"

namespace adjoint {

/// A variable of static storage (a global, a static member or a static
/// local) that may hold a derivative and that the callee of \p Call may
/// write, directly or through the user functions it calls; null when there
/// is none. Library functions are what their rules say and are not looked
/// into; a callee without a visible body is not either.
const clang::VarDecl *staticWrittenByCall(const clang::CallExpr *Call);

} // namespace adjoint

#endif // ADJOINT_CORE_GLOBALWRITES_H
