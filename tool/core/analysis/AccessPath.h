//===- AccessPath.h - From an access expression to its storage -*- C++ -*-===//
//
// Every analysis that asks "which variable's memory does this expression
// write, read or point into" walks the same chain of nodes from an access
// down to a variable: `x[i][j]`, `*(p + k)`, `s.a`, `v.data() + k`, `&w[i]`.
// This is the one place that knows the shapes of that chain; each client
// decides which steps it follows (a write's target does not go through `&`,
// the storage of an object goes through its member calls).
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_CORE_ANALYSIS_ACCESSPATH_H
#define ADJOINT_CORE_ANALYSIS_ACCESSPATH_H

#include "clang/AST/Expr.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>

namespace adjoint {

/// One step from an access expression to the expression whose storage it
/// goes through.
struct AccessStep {
  enum StepKind {
    /// An element of the operand's buffer: `a[i]`, `v[i]` (a subscript
    /// operator), and `*(p + k)`, `*(k + p)`, which name the same element.
    Element,
    /// What the operand points to: `*p` (and `*(p - k)`).
    Deref,
    /// The operand's buffer at another place: `p + k`, `k + p`, `p - k`.
    Offset,
    /// A data member of the operand: `s.a`.
    Field,
    /// A data member of what the operand points to: `p->a`.
    ArrowField,
    /// The operand's address: `&x`.
    AddressOf,
    /// A member function called on the operand: `v.data()`, `v.begin()`.
    MethodCall,
    /// An overloaded operator other than a subscript, on its first operand.
    Operator,
  };
  StepKind Kind;
  /// The expression one step down, with parentheses and implicit casts
  /// removed.
  const clang::Expr *Operand;
  /// The index of an Element step, the offset of an Offset step, else null.
  const clang::Expr *Index;
  /// The access itself (the MemberExpr of a Field step, ...).
  const clang::Expr *Access;
};

/// The step from \p E (parentheses and implicit casts ignored) to the
/// expression whose storage it goes through, or nothing when \p E is not an
/// access (a variable, a call, arithmetic on values).
std::optional<AccessStep> accessStep(const clang::Expr *E);

/// Follows accessStep from \p E while \p Follow accepts each step and
/// returns where it stopped (parentheses and implicit casts removed).
const clang::Expr *
accessRoot(const clang::Expr *E,
           llvm::function_ref<bool(const AccessStep &)> Follow);

/// The variable \p E names once accessRoot stopped, or null.
const clang::VarDecl *namedVariable(const clang::Expr *E);

/// Whether \p Step is one of an lvalue's steps toward the variable it
/// writes: an element (also `*p`, `*(p + k)`), an offset under one, or a
/// field (`s.a`, not `p->a`). A write through such a chain changes what the
/// variable holds or, for a pointer, the buffer it points into.
bool isWriteStep(const AccessStep &Step);

} // namespace adjoint

#endif // ADJOINT_CORE_ANALYSIS_ACCESSPATH_H
