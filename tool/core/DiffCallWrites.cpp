//===- DiffCallWrites.cpp - Calls that write through their arguments ------===//
//
// A call matters through what it writes through pointers and references as
// much as through its value. The reverse sweep handles those writes where a
// call is a statement of its own (`f(x, r);`, or `bool ok = f(x, r);`):
// snapshots of what it overwrites, and its pullback. A call whose value is
// differentiated gets its pullback too, with the written data's adjoints.
// Anywhere else (a condition, an index, a value that is not differentiated)
// its writes would have no adjoint code: such calls are reported.
//
//===----------------------------------------------------------------------===//
#include "Activity.h"
#include "Algorithms.h"
#include "CountedLoop.h"
#include "FunctionDifferentiator.h"

#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace adjoint {

std::vector<const VarDecl *>
FunctionDifferentiator::writtenByCall(const CallExpr *Call) {
  std::vector<const VarDecl *> Written;
  for (const Expr *Arg : writtenArgs(Call)) {
    llvm::SmallVector<const VarDecl *, 4> Targets;
    Activity::storageVars(Arg, Targets);
    for (const VarDecl *V : Targets)
      if ((isActiveVar(V) || readInReverse(V)) && !llvm::is_contained(Written, V))
        Written.push_back(V);
  }
  for (const VarDecl *V : capturesWrittenAt(Call))
    if (!llvm::is_contained(Written, V))
      Written.push_back(V);
  return Written;
}

namespace {
/// Whether \p Call only writes through each argument it may write through
/// (Activity::onlyWrites): running it again needs none of their contents.
bool onlyWritesAll(const CallExpr *Call) {
  bool ObjectFirst = passesObjectFirst(Call);
  std::vector<const Expr *> Args = pullbackArgs(Call);
  for (unsigned I = ObjectFirst ? 1 : 0; I < Args.size(); ++I)
    if (mayWriteThroughArg(Call, ObjectFirst, I, Args[I]) &&
        !Activity::onlyWrites(Call->getDirectCallee(), ObjectFirst ? I - 1 : I))
      return false;
  return !ObjectFirst;
}

/// The references to \p V in \p S.
unsigned countRefs(const Stmt *S, const VarDecl *V) {
  unsigned N = 0;
  forEachStmt(S, [&](const Stmt *Child) {
    const auto *Ref = dyn_cast<DeclRefExpr>(Child);
    N += Ref && Ref->getDecl() == V;
  });
  return N;
}
} // namespace

const CallExpr *FunctionDifferentiator::declaredCall(const DeclStmt *DS) {
  const auto *V =
      DS->isSingleDecl() ? dyn_cast<VarDecl>(DS->getSingleDecl()) : nullptr;
  // The reverse sweep may read the variable (`return ok ? r[0] : 0.0;`)
  // where the declaration as written is in its scope: at the function's top
  // level, where nothing is hoisted.
  const auto *Body = dyn_cast_or_null<CompoundStmt>(Request.Function->getBody());
  bool TopLevel = Body && LoopDepth == 0 && BranchDepth == 0 &&
                  llvm::is_contained(Body->body(), DS);
  if (!V || !V->getInit() || V->getType()->isReferenceType() ||
      isActiveVar(V) || (readInReverse(V) && !TopLevel) ||
      info(V).Name != V->getNameAsString())
    return nullptr;
  const auto *Call =
      dyn_cast<CallExpr>(V->getInit()->IgnoreImplicit()->IgnoreParens());
  return Call && !writtenByCall(Call).empty() ? Call : nullptr;
}

bool FunctionDifferentiator::checkWritingCalls(const Expr *E,
                                               bool Differentiated,
                                               const CallExpr *Handled) {
  if (!E || isa<LambdaExpr>(E))
    return true;
  const auto *Call = dyn_cast<CallExpr>(E);
  if (Call && Call != Handled) {
    std::vector<const VarDecl *> Written = writtenByCall(Call);
    // A differentiated call's pullback gets the written data's adjoints; it
    // cannot put back what the call overwrites.
    bool Handles = Differentiated && isReal(Call->getType()) &&
                   isActiveExpr(Call) && onlyWritesAll(Call) &&
                   llvm::none_of(Written, [&](const VarDecl *V) {
                     // Other uses in the statement are unsequenced with the
                     // call, and their adjoints would come after its pullback.
                     return Act.isNeededBefore(V, CurrentStatement, true) ||
                            countRefs(CurrentStatement, V) != countRefs(Call, V);
                   });
    if (!Written.empty() && !Handles) {
      unsupported(Call,
                  "a call writing '" + info(Written.front()).Name +
                      "' inside an expression",
                  "make the call a statement of its own ('f(x, r);', or "
                  "'bool ok = f(x, r);' and then test 'ok')");
      return false;
    }
  }
  // Which operands the statement's adjoint reaches.
  E = E->IgnoreParens();
  bool Passes = false;
  if (const auto *Cast = dyn_cast<CastExpr>(E))
    Passes = Cast->getCastKind() == CK_LValueToRValue ||
             Cast->getCastKind() == CK_NoOp ||
             Cast->getCastKind() == CK_FloatingCast;
  else if (const auto *U = dyn_cast<UnaryOperator>(E))
    Passes = U->getOpcode() == UO_Minus || U->getOpcode() == UO_Plus;
  else if (const auto *BO = dyn_cast<BinaryOperator>(E))
    Passes = BO->isAdditiveOp() || BO->isMultiplicativeOp();
  else if (const auto *C = dyn_cast<ConditionalOperator>(E))
    return checkWritingCalls(C->getCond(), false, Handled) &&
           checkWritingCalls(C->getTrueExpr(), Differentiated, Handled) &&
           checkWritingCalls(C->getFalseExpr(), Differentiated, Handled);
  else if (Call) {
    for (const Expr *Arg : Call->arguments())
      if (!checkWritingCalls(Arg, Differentiated, Handled))
        return false;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      return checkWritingCalls(MC->getImplicitObjectArgument(), false, Handled);
    return true;
  } else {
    Passes = isa<ExprWithCleanups>(E) || isa<MaterializeTemporaryExpr>(E) ||
             isa<CXXBindTemporaryExpr>(E);
  }
  for (const Stmt *Child : E->children())
    if (!checkWritingCalls(dyn_cast_or_null<Expr>(Child),
                           Passes && Differentiated, Handled))
      return false;
  return true;
}

bool FunctionDifferentiator::checkWritingCallsIn(const Stmt *S) {
  if (!S)
    return true;
  if (const auto *CS = dyn_cast<CompoundStmt>(S))
    return llvm::all_of(CS->body(),
                        [&](const Stmt *C) { return checkWritingCallsIn(C); });
  if (!checkWritingCalls(S))
    return false;
  for (const Stmt *Child : S->children())
    if (Child && !isa<Expr>(Child) && !checkWritingCallsIn(Child))
      return false;
  return true;
}

bool FunctionDifferentiator::checkWritingCalls(const Stmt *S) {
  CurrentStatement = S;
  auto Evaluated = [&](const Expr *E) {
    return checkWritingCalls(E, false, nullptr);
  };
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    const CallExpr *Handled = declaredCall(DS);
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D))
        if (!checkWritingCalls(V->getInit(), isActiveVar(V), Handled))
          return false;
    return true;
  }
  if (const auto *RS = dyn_cast<ReturnStmt>(S))
    return checkWritingCalls(RS->getRetValue(), !ReturnVar.empty(), nullptr);
  if (const auto *If = dyn_cast<IfStmt>(S))
    return (!isa_and_nonnull<Expr>(If->getInit()) ||
            checkWritingCalls(If->getInit())) &&
           Evaluated(If->getCond());
  if (const auto *For = dyn_cast<ForStmt>(S))
    return Evaluated(For->getCond()) && Evaluated(For->getInc());
  if (const auto *While = dyn_cast<WhileStmt>(S))
    return Evaluated(While->getCond());
  if (const auto *Do = dyn_cast<DoStmt>(S))
    return Evaluated(Do->getCond());
  if (const auto *Switch = dyn_cast<SwitchStmt>(S))
    return (!isa_and_nonnull<Expr>(Switch->getInit()) ||
            checkWritingCalls(Switch->getInit())) &&
           Evaluated(Switch->getCond());
  const auto *E = dyn_cast<Expr>(S);
  if (!E)
    return true;
  const Expr *Bare = E->IgnoreImplicit()->IgnoreParens();
  const Expr *Target = nullptr, *Value = nullptr;
  if (const auto *BO = dyn_cast<BinaryOperator>(Bare);
      BO && BO->isAssignmentOp()) {
    Target = BO->getLHS();
    Value = BO->getRHS();
  } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Bare);
             Op && Op->isAssignmentOp() && Op->getNumArgs() == 2) {
    Target = Op->getArg(0);
    Value = Op->getArg(1);
  }
  if (Target)
    return Evaluated(Target) &&
           checkWritingCalls(Value, isActiveVar(Activity::writtenVar(Target)),
                             nullptr);
  const auto *Op = dyn_cast<CXXOperatorCallExpr>(Bare);
  if (isa<CallExpr>(Bare) && (!Op || Op->getOperator() == OO_Call))
    return checkWritingCalls(Bare, true, cast<CallExpr>(Bare));
  return Evaluated(Bare);
}

} // namespace adjoint
