//===- LocalAliases.h - Local pointers and references, and what they name -===//
//
// `int *p = idx;`, `double &r = buf[i];`, `int *q = &k;`, `p = v.data() + 1`:
// a local pointer or reference designates another variable's storage, and
// a write through one is a write of the other. The analyses that ask when a
// variable's value is read back (the to-be-recorded analysis) must see both
// names as one.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_CORE_ANALYSIS_LOCALALIASES_H
#define ADJOINT_CORE_ANALYSIS_LOCALALIASES_H

#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

namespace adjoint {

/// The variable whose storage the pointer or reference value \p E
/// designates: `buf`, `&k`, `idx + 1`, `&v[i]`, `v.data()`, `*p`; or null.
const clang::VarDecl *designatedVariable(const clang::Expr *E);

/// The local pointers and references of a function body (and its pointer
/// parameters that are assigned) that are bound or assigned to the storage
/// of another variable, grouped with it.
class LocalAliases {
public:
  /// Finds the aliases in \p Body.
  explicit LocalAliases(const clang::Stmt *Body);

  /// The variables that may share storage with \p V: the aliases bound to
  /// it and what they are bound to, transitively, without \p V; empty when
  /// \p V shares none.
  llvm::ArrayRef<const clang::VarDecl *> sharing(const clang::VarDecl *V) const;

private:
  void join(const clang::VarDecl *A, const clang::VarDecl *B);

  llvm::DenseMap<const clang::VarDecl *, unsigned> GroupOf;
  std::vector<llvm::SmallVector<const clang::VarDecl *, 4>> Groups;
  llvm::DenseMap<const clang::VarDecl *,
                 llvm::SmallVector<const clang::VarDecl *, 4>>
      Others;
};

} // namespace adjoint

#endif // ADJOINT_CORE_ANALYSIS_LOCALALIASES_H
