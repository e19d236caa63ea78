//===- LocalAliases.cpp - Local pointers and references, and what they name
//===//

#include "LocalAliases.h"

#include "AccessPath.h"
#include "CountedLoop.h"
#include "DiffRequest.h"

#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace adjoint {

namespace {
/// Whether \p V is a local pointer, or a reference the generated code keeps
/// as one (also to const: a read through it is a read of what it
/// designates). A reference to a real or a struct of reals is a copy in the
/// generated code, written back where it is written (writeBackTarget,
/// writtenRange), or read as one (isCopyLikeReference).
bool isAlias(const VarDecl *V) {
  QualType T = V->getType();
  if (!V->isLocalVarDeclOrParm())
    return false;
  if (T->isReferenceType())
    return !isReal(T.getNonReferenceType()) &&
           !isRealStruct(T.getNonReferenceType());
  return T->isPointerType();
}
} // namespace

const VarDecl *designatedVariable(const Expr *E) {
  return namedVariable(accessRoot(E, [](const AccessStep &Step) {
    return Step.Kind != AccessStep::Operator &&
           Step.Kind != AccessStep::ArrowField;
  }));
}

LocalAliases::LocalAliases(const Stmt *Body) {
  auto Bind = [&](const VarDecl *Alias, const Expr *Value) {
    if (!Alias || !Value || !isAlias(Alias))
      return;
    if (const VarDecl *Target = designatedVariable(Value);
        Target && Target != Alias)
      join(Alias, Target);
  };
  forEachStmt(Body, [&](const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D))
          Bind(V, V->getInit());
    } else if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->getOpcode() == BO_Assign && BO->getType()->isPointerType())
        Bind(namedVariable(BO->getLHS()), BO->getRHS());
    }
  });
  for (const auto &Group : Groups)
    for (const VarDecl *V : Group)
      for (const VarDecl *Other : Group)
        if (Other != V)
          Others[V].push_back(Other);
}

void LocalAliases::join(const VarDecl *A, const VarDecl *B) {
  auto GroupA = GroupOf.find(A), GroupB = GroupOf.find(B);
  if (GroupA == GroupOf.end() && GroupB == GroupOf.end()) {
    GroupOf[A] = GroupOf[B] = Groups.size();
    Groups.push_back({A, B});
    return;
  }
  if (GroupA == GroupOf.end() || GroupB == GroupOf.end()) {
    const VarDecl *New = GroupA == GroupOf.end() ? A : B;
    unsigned Into = GroupA == GroupOf.end() ? GroupB->second : GroupA->second;
    GroupOf[New] = Into;
    Groups[Into].push_back(New);
    return;
  }
  unsigned Into = GroupA->second, From = GroupB->second;
  if (Into == From)
    return;
  for (const VarDecl *V : Groups[From]) {
    GroupOf[V] = Into;
    Groups[Into].push_back(V);
  }
  Groups[From].clear();
}

llvm::ArrayRef<const VarDecl *> LocalAliases::sharing(const VarDecl *V) const {
  auto It = Others.find(V);
  if (It == Others.end())
    return {};
  return It->second;
}

} // namespace adjoint
