//===- DiffCheckpoint.cpp - Loops recomputed in the reverse sweep ---------===//
//
// A checkpointed loop keeps no per-iteration tape in the forward sweep: it
// pushes a snapshot of the variables the next iterations read and the
// iteration overwrites, and each iteration of its reverse restores the
// snapshot, runs the iteration again with its ordinary saves (the recompute)
// and then its reverse code. The recompute leaves out stores that nothing in
// the reverse sweep reads, so results visible outside the loop (outputs,
// accumulators) are not written twice. ADJOINT_CHECKPOINT asks for it; cheap
// loops that would tape their locals get it automatically.
//
//===----------------------------------------------------------------------===//

#include "ClangCompat.h"
#include "CountedLoop.h"
#include "FunctionDifferentiator.h"

#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace adjoint {

namespace {
const Stmt *loopBody(const Stmt *Loop) {
  if (const auto *For = dyn_cast<ForStmt>(Loop))
    return For->getBody();
  if (const auto *While = dyn_cast<WhileStmt>(Loop))
    return While->getBody();
  return cast<DoStmt>(Loop)->getBody();
}

/// The parts of \p Loop each iteration runs: condition, body, increment.
std::vector<const Stmt *> iterationParts(const Stmt *Loop) {
  if (const auto *For = dyn_cast<ForStmt>(Loop))
    return {For->getCond(), For->getBody(), For->getInc()};
  if (const auto *While = dyn_cast<WhileStmt>(Loop))
    return {While->getCond(), While->getBody()};
  const auto *Do = cast<DoStmt>(Loop);
  return {Do->getBody(), Do->getCond()};
}

/// The left-hand side \p S writes (x = e, x += e, ++x), or null.
const Expr *writtenLHS(const Stmt *S) {
  if (const auto *BO = dyn_cast<BinaryOperator>(S))
    return BO->isAssignmentOp() ? BO->getLHS() : nullptr;
  if (const auto *U = dyn_cast<UnaryOperator>(S))
    return U->isIncrementDecrementOp() ? U->getSubExpr() : nullptr;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S))
    return Op->isAssignmentOp() && Op->getNumArgs() == 2 ? Op->getArg(0)
                                                         : nullptr;
  return nullptr;
}

/// Whether \p FD is math that costs about as much as a tape push: a system
/// header's fabs, fmin, fmax or sqrt (not exp or sin, whose values a tape
/// keeps more cheaply than a recompute).
bool isCheapMath(const FunctionDecl *FD, const SourceManager &SM) {
  if (!FD || !FD->getIdentifier() || !SM.isInSystemHeader(FD->getLocation()))
    return false;
  StringRef Name = FD->getName();
  return Name == "fabs" || Name == "abs" || Name == "fmin" || Name == "fmax" ||
         Name == "sqrt";
}

/// Whether recomputing \p Loop is clearly cheaper than taping it: no calls
/// but cheap math, no nested loops or exits, and the body overwrites a local
/// or branches (what ordinary taping saves per iteration).
bool isCheapLoop(const Stmt *Loop, const SourceManager &SM) {
  const Stmt *Body = loopBody(Loop);
  llvm::DenseSet<const VarDecl *> Locals;
  forEachStmt(Body, [&](const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D))
          Locals.insert(V);
  });
  bool Cheap = true, Tapes = false;
  for (const Stmt *Part : iterationParts(Loop))
    forEachStmt(Part, [&](const Stmt *S) {
      if (Activity::isLoop(S) || isa<CXXForRangeStmt>(S) ||
          isa<SwitchStmt>(S) || isa<BreakStmt>(S) || isa<ContinueStmt>(S) ||
          isa<ReturnStmt>(S) || isa<CXXNewExpr>(S) || isa<CXXDeleteExpr>(S) ||
          isa<CXXMemberCallExpr>(S) || isa<CXXOperatorCallExpr>(S) ||
          isa<LambdaExpr>(S) || isCheckpointMarker(S))
        Cheap = false;
      if (const auto *Call = dyn_cast<CallExpr>(S))
        Cheap &= isCheapMath(Call->getDirectCallee(), SM);
      if (const auto *E = dyn_cast<Expr>(S))
        Cheap &= !isTensor(E->getType());
      if (isa<IfStmt>(S))
        Tapes = true;
      if (const Expr *LHS = writtenLHS(S))
        Tapes |= Locals.count(Activity::writtenVar(LHS)) > 0;
    });
  return Cheap && Tapes;
}
} // namespace

bool isCheckpointMarker(const Stmt *S) {
  const auto *Call = dyn_cast_or_null<CallExpr>(S);
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || !FD->getIdentifier() || FD->getName() != "checkpoint_next_loop")
    return false;
  const auto *NS = dyn_cast<NamespaceDecl>(FD->getDeclContext());
  return NS && NS->getName() == "adjoint";
}

void FunctionDifferentiator::findCheckpoints() {
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::DenseSet<const Stmt *> Placed;
  forEachStmt(TopBlock, [&](const Stmt *S) {
    if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
      for (auto It = CS->body_begin(); It != CS->body_end(); ++It) {
        if (!isCheckpointMarker(*It))
          continue;
        auto Next = std::next(It);
        if (Next == CS->body_end() || !Activity::isLoop(*Next))
          continue;
        Placed.insert(*It);
        Explicit.insert(*Next);
      }
      return;
    }
    if (isCheckpointMarker(S) && !Placed.count(S))
      Diags.error(beginLoc(S),
                  "adjoint: ADJOINT_CHECKPOINT in '" +
                      Request.Function->getNameAsString() +
                      "' is not followed by a loop: put it as a statement of "
                      "its own right before the 'for', 'while' or 'do' loop "
                      "to checkpoint");
  });
  forEachStmt(TopBlock, [&](const Stmt *S) {
    if (Activity::isLoop(S) && (Explicit.count(S) || isCheapLoop(S, SM)))
      Checkpointed.insert(S);
  });
}

LineKind FunctionDifferentiator::storeKind(const VarDecl *Target) const {
  return Target && !readInReverse(Target) ? LineKind::DeadStore
                                          : LineKind::Plain;
}

bool FunctionDifferentiator::checkCheckpoint(const Stmt *Loop, bool Report) {
  auto Fail = [&](const Stmt *At, const std::string &Why,
                  const std::string &Hint) {
    if (Report)
      Diags.error(beginLoc(At),
                  "adjoint: cannot checkpoint this loop in '" +
                      Request.Function->getNameAsString() + "': " + Why + ": " +
                      Hint);
    return false;
  };
  llvm::DenseSet<const VarDecl *> Inner; // a new variable in each iteration
  // Local references whose writes the emitter stores back into what they
  // alias (writeBackTarget): a write to one is a write to its target.
  llvm::DenseMap<const VarDecl *, const Expr *> WrittenBack;
  forEachStmt(loopBody(Loop), [&](const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D)) {
          Inner.insert(V);
          if (const Expr *Target =
                  writeBackTarget(V, parentBlock(Ctx, DS), DS))
            WrittenBack[V] = Target;
        }
  });
  auto SeeThroughWriteBack = [&](const Expr *&LHS, const VarDecl *&V) {
    if (const Expr *Target = WrittenBack.lookup(V)) {
      LHS = Target;
      V = Activity::writtenVar(Target);
    }
  };
  auto IsNonLocal = [](const VarDecl *V) {
    return V->hasGlobalStorage() ||
           (isa<ParmVarDecl>(V) && V->getType()->isReferenceType());
  };
  std::vector<const VarDecl *> Carried;
  bool Rejected = false;
  auto Check = [&](const Stmt *S) {
    if (Rejected)
      return;
    if (isa<CXXNewExpr>(S) || isa<CXXDeleteExpr>(S)) {
      Rejected = !Fail(S, "it allocates or frees memory",
                       "move new[] and delete[] out of the loop");
      return;
    }
    if (const auto *Call = dyn_cast<CallExpr>(S);
        Call && !isa<CXXOperatorCallExpr>(S)) {
      // A call runs again in the recompute: it may only write locals that
      // the snapshot restores.
      const FunctionDecl *FD = Call->getDirectCallee();
      std::vector<const Expr *> Written;
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
        if (MC->getMethodDecl() && !leavesObjectUnchanged(MC->getMethodDecl()))
          Written.push_back(MC->getImplicitObjectArgument());
      for (unsigned I = 0;
           FD && I < Call->getNumArgs() && I < FD->getNumParams(); ++I) {
        QualType PT = FD->getParamDecl(I)->getType();
        if ((PT->isPointerType() && !PT->getPointeeType().isConstQualified()) ||
            (PT->isLValueReferenceType() &&
             !PT.getNonReferenceType().isConstQualified()))
          Written.push_back(Call->getArg(I));
      }
      for (const Expr *Arg : Written) {
        const VarDecl *V = Activity::writtenVar(Arg);
        if (!V)
          V = bufferBase(Arg);
        SeeThroughWriteBack(Arg, V);
        if (V && Inner.count(V))
          continue;
        bool Scalar = V && !V->getType()->isPointerType() &&
                      !V->getType()->isArrayType() &&
                      V->getType()->getAsCXXRecordDecl() == nullptr;
        if (!V || !Scalar || IsNonLocal(V)) {
          Rejected =
              !Fail(Arg,
                    "a call writing '" + (V ? info(V).Name : text(Arg)) +
                        "', which the recompute would write again",
                    "pass a local scalar, or move the call out of the loop");
          return;
        }
        Carried.push_back(V);
      }
      return;
    }
    const Expr *LHS = writtenLHS(S);
    const VarDecl *V = LHS ? Activity::writtenVar(LHS) : nullptr;
    // `for (double &v : buf) v *= s;` writes buf's elements back.
    if (const auto *RangeFor = dyn_cast<CXXForRangeStmt>(S))
      if (const VarDecl *Range = writtenRange(RangeFor)) {
        LHS = RangeFor->getRangeInit();
        V = Range;
      }
    if (!LHS)
      return;
    SeeThroughWriteBack(LHS, V);
    if (!V) {
      Rejected = !Fail(LHS, "an assignment to this kind of expression",
                       "assign to a variable, 'p[i]' or '*p'");
      return;
    }
    if (Inner.count(V))
      return;
    const Expr *Bare = LHS->IgnoreParenImpCasts();
    bool Element = (!isa<DeclRefExpr>(Bare) && !isa<MemberExpr>(Bare)) ||
                   isa<CXXForRangeStmt>(S);
    if (Element) {
      if (V->getType()->isPointerType() && !isa<ParmVarDecl>(V)) {
        Rejected = !Fail(
            LHS, "a write through the local pointer '" + info(V).Name + "'",
            "write through the parameter or array it points into");
        return;
      }
      if (readInReverse(V)) {
        Rejected =
            !Fail(LHS,
                  "it overwrites elements of '" + info(V).Name +
                      "', which the reverse sweep or the loop itself reads",
                  "write the results to a buffer the loop does not read, or "
                  "remove ADJOINT_CHECKPOINT");
        return;
      }
      return; // a store the recompute leaves out
    }
    if (IsNonLocal(V)) {
      if (readInReverse(V))
        Rejected =
            !Fail(LHS,
                  "it overwrites '" + info(V).Name +
                      "', which is visible outside the function and read by "
                      "the reverse sweep",
                  "accumulate into a local and assign it after the loop");
      return;
    }
    Carried.push_back(V);
  };
  for (const Stmt *Part : iterationParts(Loop))
    forEachStmt(Part, Check);
  if (Rejected)
    return false;
  // The induction variable of a loop that always runs its increment is
  // recovered by undoing the increment.
  const VarDecl *Induction = nullptr;
  InvertedIncrements.erase(Loop);
  const auto *For = dyn_cast<ForStmt>(Loop);
  const auto *Inc = For && For->getInc()
                        ? dyn_cast<UnaryOperator>(For->getInc()->IgnoreParens())
                        : nullptr;
  if (Inc && Inc->isIncrementDecrementOp() && !hasJump(loopBody(Loop)) &&
      isa<DeclRefExpr>(Inc->getSubExpr()->IgnoreParenImpCasts()) &&
      Inc->getSubExpr()->getType()->isIntegerType()) {
    const VarDecl *I = Activity::writtenVar(Inc->getSubExpr());
    if (llvm::count(Carried, I) == 1) {
      Induction = I;
      InvertedIncrements.insert(Loop);
    }
  }
  std::vector<const VarDecl *> &Snapshot = Snapshots[Loop];
  Snapshot.clear();
  for (const VarDecl *V : Carried) {
    if (V == Induction || llvm::is_contained(Snapshot, V) ||
        !Act.isNeededBefore(V, Loop))
      continue;
    if (!V->getType().getNonReferenceType().isTriviallyCopyableType(Ctx))
      return Fail(Loop,
                  "it carries '" + info(V).Name + "' of type '" +
                      typeName(V->getType()) +
                      "' from one iteration to the next",
                  "only trivially copyable values can be snapshotted; remove "
                  "ADJOINT_CHECKPOINT");
    Snapshot.push_back(V);
  }
  return true;
}

bool FunctionDifferentiator::analyzeWithCheckpoints(
    ArrayRef<const ParmVarDecl *> Outputs) {
  for (;;) {
    Act.analyze(Request.Function, ActivityWrt, Outputs, Checkpointed,
                FusedLoop);
    if (!keepFusedLoop())
      continue;
    // Source order, so that errors come out in a stable order.
    std::vector<const Stmt *> Loops(Checkpointed.begin(), Checkpointed.end());
    const SourceManager &SM = Ctx.getSourceManager();
    llvm::sort(Loops, [&](const Stmt *A, const Stmt *B) {
      return SM.isBeforeInTranslationUnit(beginLoc(A), beginLoc(B));
    });
    bool Dropped = false, Failed = false;
    for (const Stmt *Loop : Loops) {
      bool Asked = Explicit.count(Loop);
      if (checkCheckpoint(Loop, Asked) &&
          (Asked || llvm::all_of(Snapshots[Loop], [](const VarDecl *V) {
             return V->getType()->isIntegerType();
           })))
        continue;
      Failed |= Asked;
      Dropped = true;
      Checkpointed.erase(Loop);
    }
    if (Failed)
      return false;
    if (!Dropped)
      return true;
  }
}

} // namespace adjoint
