//===- GlobalWrites.cpp - Callees that write global variables -------------===//
#include "GlobalWrites.h"

#include "Activity.h"
#include "CountedLoop.h"
#include "DiffRequest.h"
#include "LoggedWrites.h"
#include "analysis/AccessPath.h"

#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace adjoint {
namespace {

/// \p V if it has static storage, may hold a derivative and is not const.
const VarDecl *writableStatic(const VarDecl *V) {
  if (!V || !V->hasGlobalStorage() || V->getType().isConstQualified() ||
      isDerivativeFree(V->getType()))
    return nullptr;
  return V;
}

/// The variable whose memory the argument \p Arg points into or refers to:
/// `g`, `g[i]`, `&g`, `&g[i]`, `g + k`.
const VarDecl *argumentBase(const Expr *Arg) {
  return namedVariable(accessRoot(Arg, [](const AccessStep &Step) {
    return isWriteStep(Step) || Step.Kind == AccessStep::AddressOf;
  }));
}

const VarDecl *
staticWrittenBy(const FunctionDecl *FD,
                llvm::SmallPtrSetImpl<const FunctionDecl *> &Visited);

/// The variable of static storage \p Call writes: through an argument that
/// names one (`scale(g_buf, n)`, `bump(g_sum)`), or in the callee's body.
const VarDecl *
staticWrittenByCallIn(const CallExpr *Call,
                      llvm::SmallPtrSetImpl<const FunctionDecl *> &Visited) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    if (const CXXMethodDecl *M = MC->getMethodDecl(); M && !M->isConst())
      if (const VarDecl *V = writableStatic(
              Activity::writtenVar(MC->getImplicitObjectArgument())))
        return V;
  // A member operator's object is its first argument.
  unsigned Shift = isa<CXXOperatorCallExpr>(Call) &&
                           isa_and_nonnull<CXXMethodDecl>(Callee)
                       ? 1
                       : 0;
  for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
    const Expr *Arg = Call->getArg(I);
    const VarDecl *V = writableStatic(argumentBase(Arg));
    if (!V)
      continue;
    if (I < Shift) {
      if (!cast<CXXMethodDecl>(Callee)->isConst())
        return V;
      continue;
    }
    unsigned Param = I - Shift;
    QualType T = Callee && Param < Callee->getNumParams()
                     ? Callee->getParamDecl(Param)->getType()
                     : Arg->getType();
    if (mayWriteThrough(T) && !isReadOnlyParameter(Call, Param))
      return V;
  }
  if (!Callee)
    return nullptr;
  const FunctionDecl *Def = Callee->getDefinition();
  if (!Def || !Def->hasBody() ||
      isLibraryFunction(Def->getASTContext().getSourceManager(), Def))
    return nullptr;
  return staticWrittenBy(Def, Visited);
}

const VarDecl *
staticWrittenBy(const FunctionDecl *FD,
                llvm::SmallPtrSetImpl<const FunctionDecl *> &Visited) {
  if (!Visited.insert(FD).second)
    return nullptr; // being looked at further up the call chain
  const VarDecl *Found = nullptr;
  forEachStmt(FD->getBody(), [&](const Stmt *S) {
    if (Found)
      return;
    const Expr *Written = nullptr;
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->isAssignmentOp())
        Written = BO->getLHS();
    } else if (const auto *U = dyn_cast<UnaryOperator>(S)) {
      if (U->isIncrementDecrementOp())
        Written = U->getSubExpr();
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
               Op && Op->isAssignmentOp() && Op->getNumArgs() == 2) {
      Written = Op->getArg(0);
    }
    if (Written)
      Found = writableStatic(Activity::writtenVar(Written));
    if (!Found)
      if (const auto *Call = dyn_cast<CallExpr>(S))
        Found = staticWrittenByCallIn(Call, Visited);
  });
  return Found;
}

} // namespace

const VarDecl *staticWrittenByCall(const CallExpr *Call) {
  llvm::SmallPtrSet<const FunctionDecl *, 8> Visited;
  const FunctionDecl *Callee = Call->getDirectCallee();
  const FunctionDecl *Def = Callee ? Callee->getDefinition() : nullptr;
  // Arguments naming globals are the caller's own writes, which its
  // analysis sees; only what the body does is hidden.
  if (!Def || !Def->hasBody() ||
      isLibraryFunction(Def->getASTContext().getSourceManager(), Def))
    return nullptr;
  return staticWrittenBy(Def, Visited);
}

} // namespace adjoint
