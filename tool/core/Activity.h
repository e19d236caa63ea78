//===- Activity.h - Activity and read-in-reverse analysis ------*- C++ -*-===//
//
// A variable is active when it depends on a differentiated input (varied)
// and influences a differentiated output (useful); only active variables get
// adjoints. The analysis is flow-insensitive: it iterates over every
// assignment in the body until nothing changes, which over-approximates
// activity and never misses a dependency.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_CORE_ACTIVITY_H
#define ADJOINT_CORE_ACTIVITY_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseSet.h"

#include <vector>

namespace adjoint {

/// Activity facts of one function body.
class Activity {
public:
  /// Analyses \p FD's body with \p Wrt as the varied inputs and \p Outputs
  /// (pointer parameters written by the function) as useful outputs in
  /// addition to the returned value.
  void analyze(const clang::FunctionDecl *FD,
               llvm::ArrayRef<const clang::ParmVarDecl *> Wrt,
               llvm::ArrayRef<const clang::ParmVarDecl *> Outputs);

  /// Variables of class or array types adjoint cannot differentiate (e.g.
  /// std::array) that receive active values: using them would silently drop
  /// derivatives.
  llvm::ArrayRef<const clang::VarDecl *> opaqueTargets() const {
    return Opaque;
  }

  /// Whether \p V gets an adjoint.
  bool isActive(const clang::VarDecl *V) const { return Active.count(V); }

  /// Whether any variable of the body is active.
  bool anyActive() const { return !Active.empty(); }

  /// Variables whose values the reverse sweep may read: every variable that
  /// appears in an expression flowing into an active variable or output.
  bool isReadInReverse(const clang::VarDecl *V) const {
    return ReadInReverse.count(V);
  }

  /// Whether the body assigns to \p V (or through it, for a pointer).
  bool isWritten(const clang::VarDecl *V) const { return Written.count(V); }

  /// Variables an expression's value may depend on differentiably (not
  /// descending into integer or boolean subexpressions).
  static void realSources(const clang::Expr *E,
                          llvm::SmallVectorImpl<const clang::VarDecl *> &Out);

  /// Every variable referenced anywhere in \p E.
  static void allReferenced(const clang::Expr *E,
                            llvm::SmallVectorImpl<const clang::VarDecl *> &Out);

  /// Whether \p S declares an adjoint::NoGradGuard.
  static bool isNoGradGuard(const clang::Stmt *S);

  /// Whether \p E is `t.detach()` or `adjoint::detach(t)`.
  static bool isDetach(const clang::Expr *E);

  /// The variable an lvalue expression writes (x, x[i], *x, x[i][j], s.a), or
/// null.
  static const clang::VarDecl *writtenVar(const clang::Expr *LHS);

private:
  struct Flow {
    const clang::VarDecl *Target; ///< Null for the returned value.
    llvm::SmallVector<const clang::VarDecl *, 4> Sources;
    llvm::SmallVector<const clang::VarDecl *, 8> Read;
    /// Variables in the written element's indices.
    llvm::SmallVector<const clang::VarDecl *, 2> IndexRead;
  };
  void collect(const clang::Stmt *S);
  void addFlow(const clang::VarDecl *Target, const clang::Expr *Value,
               const clang::Expr *LHS, bool ReadsTarget);

  std::vector<Flow> Flows;
  /// Whether collect() is after a NoGradGuard in the current block.
  bool NoGrad = false;
  llvm::DenseSet<const clang::VarDecl *> Active;
  llvm::DenseSet<const clang::VarDecl *> ReadInReverse;
  llvm::DenseSet<const clang::VarDecl *> Written;
  std::vector<const clang::VarDecl *> Opaque;
};

} // namespace adjoint

#endif // ADJOINT_CORE_ACTIVITY_H
