//===- HiddenState.cpp - State a call shares without its arguments --------===//

#include "HiddenState.h"

#include "AccessPath.h"
#include "Algorithms.h"
#include "CountedLoop.h"
#include "DiffRequest.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;

namespace adjoint {

namespace {
/// \p V if it has static storage and a value the program can change: not
/// const, and declared outside system headers (`stderr` is the library's).
const VarDecl *userStatic(const VarDecl *V) {
  if (!V || !V->hasGlobalStorage() || V->getType().isConstQualified() ||
      V->isConstexpr())
    return nullptr;
  const SourceManager &SM = V->getASTContext().getSourceManager();
  return SM.isInSystemHeader(SM.getExpansionLoc(V->getLocation())) ? nullptr
                                                                   : V;
}

/// Whether \p Cast makes a pointer or reference to const data writable.
bool dropsConst(const ExplicitCastExpr *Cast) {
  QualType To = Cast->getTypeAsWritten();
  QualType From = Cast->getSubExpr()->getType();
  if (To->isReferenceType())
    return !To->getPointeeType().isConstQualified() && From.isConstQualified();
  return To->isPointerType() && From->isPointerType() &&
         !To->getPointeeType().isConstQualified() &&
         From->getPointeeType().isConstQualified();
}

/// The expression a statement writes: an assignment's left-hand side, a
/// step's operand.
const Expr *writeTarget(const Stmt *S) {
  if (const auto *BO = dyn_cast<BinaryOperator>(S))
    return BO->isAssignmentOp() ? BO->getLHS() : nullptr;
  if (const auto *U = dyn_cast<UnaryOperator>(S))
    return U->isIncrementDecrementOp() ? U->getSubExpr() : nullptr;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S))
    if (Op->getNumArgs() > 0 &&
        (Op->isAssignmentOp() || Op->getOperator() == OO_PlusPlus ||
         Op->getOperator() == OO_MinusMinus))
      return Op->getArg(0);
  return nullptr;
}

class HiddenAccessWalker {
public:
  HiddenAccessWalker(bool FollowCalls, HiddenAccess &Out)
      : FollowCalls(FollowCalls), Out(Out) {}

  void body(const Stmt *Body) {
    // The references that only name what a write changes (`g = e`, `++g`,
    // `g[i] = e`) do not read it.
    llvm::DenseSet<const DeclRefExpr *> WriteTargets;
    forEachStmt(Body, [&](const Stmt *S) {
      if (const Expr *Target = writeTarget(S))
        write(Target, WriteTargets);
      if (const auto *Cast = dyn_cast<ExplicitCastExpr>(S))
        if (!Out.ConstCast && dropsConst(Cast))
          Out.ConstCast = Cast;
      if (const auto *Call = dyn_cast<CallExpr>(S))
        call(Call);
    });
    forEachStmt(Body, [&](const Stmt *S) {
      const auto *Ref = dyn_cast<DeclRefExpr>(S);
      if (!Ref || WriteTargets.count(Ref))
        return;
      if (const VarDecl *V = userStatic(dyn_cast<VarDecl>(Ref->getDecl())))
        Out.StaticsRead.insert(V);
    });
  }

  /// The callee's body of \p Call, without what its arguments show.
  void callee(const CallExpr *Call) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    const FunctionDecl *Def = Callee ? Callee->getDefinition() : nullptr;
    if (!Def || !Def->hasBody() ||
        isLibraryFunction(Def->getASTContext().getSourceManager(), Def) ||
        !Visited.insert(Def).second)
      return;
    body(Def->getBody());
  }

private:
  void write(const Expr *Target,
             llvm::DenseSet<const DeclRefExpr *> &WriteTargets) {
    const Expr *Root = accessRoot(Target, [&](const AccessStep &Step) {
      if (Step.Kind == AccessStep::Field ||
          Step.Kind == AccessStep::ArrowField) {
        const auto *Field =
            dyn_cast<FieldDecl>(cast<MemberExpr>(Step.Access)->getMemberDecl());
        if (Field && Field->isMutable() && !Out.MutableWrite)
          Out.MutableWrite = Step.Access;
      }
      return isWriteStep(Step) || Step.Kind == AccessStep::ArrowField;
    });
    const auto *Ref = dyn_cast<DeclRefExpr>(Root);
    if (!Ref)
      return;
    if (const VarDecl *V = userStatic(dyn_cast<VarDecl>(Ref->getDecl()))) {
      Out.StaticsWritten.insert(V);
      WriteTargets.insert(Ref);
    }
  }

  /// A call inside a followed body: statics it may write through its
  /// arguments (which its body reads, too), and its own body.
  void call(const CallExpr *Call) {
    bool ObjectFirst = passesObjectFirst(Call);
    std::vector<const Expr *> Args = pullbackArgs(Call);
    for (unsigned I = 0; I < Args.size(); ++I) {
      bool Written =
          ObjectFirst && I == 0
              ? llvm::is_contained(writtenArgs(Call), Args[I])
              : mayWriteValuesThroughArg(Call, ObjectFirst, I, Args[I]);
      if (!Written)
        continue;
      if (const VarDecl *V = userStatic(
              namedVariable(accessRoot(Args[I], [](const AccessStep &Step) {
                return isWriteStep(Step) || Step.Kind == AccessStep::AddressOf;
              }))))
        Out.StaticsWritten.insert(V);
    }
    if (FollowCalls)
      callee(Call);
  }

  bool FollowCalls;
  HiddenAccess &Out;
  llvm::SmallPtrSet<const FunctionDecl *, 8> Visited;
};
} // namespace

void collectHiddenAccess(const Stmt *Body, bool FollowCalls,
                         HiddenAccess &Out) {
  HiddenAccessWalker(FollowCalls, Out).body(Body);
}

void collectHiddenAccess(const CallExpr *Call, HiddenAccess &Out) {
  HiddenAccessWalker(/*FollowCalls=*/true, Out).callee(Call);
}

} // namespace adjoint
