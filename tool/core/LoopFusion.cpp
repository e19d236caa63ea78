//===- LoopFusion.cpp - Loops that run each iteration's reverse at once ---===//
//
// `for (...) { ... s += e; } return s + ...;` needs no second pass: the
// adjoint of the accumulator s is the seed (times +1 or -1) before the loop
// even runs, and nothing in an iteration's reverse changes it or depends on
// later iterations. The generated code then runs each iteration's reverse
// right after the iteration, like a hand-written gradient: the iteration's
// values are still in registers, and its saves (inner loops) go on the tape
// and come off again at once instead of growing it by a whole sweep.
//
// The loop must be the function's last statement before its only return
// (apart from declarations of new scalars that do not read the
// accumulators), write no variable from outside it but the accumulators (by
// `s += e`, `s -= e` or `s = s + e`) and no memory through pointers, have no
// exits, and keep only integer counters from one iteration to the next,
// stepped by its increment alone. Its accumulators appear in the returned value
// only as added or subtracted terms, and nothing else in the reverse sweep
// reads them.
//
//===----------------------------------------------------------------------===//

#include "CountedLoop.h"
#include "FunctionDifferentiator.h"
#include "Lambdas.h"

#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/MapVector.h"

using namespace clang;

namespace adjoint {

namespace {
/// The number of references to \p V in \p S.
unsigned mentionsOf(const Stmt *S, const VarDecl *V) {
  unsigned N = 0;
  forEachStmt(S, [&](const Stmt *Child) {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(Child))
      N += Ref->getDecl() == V;
  });
  return N;
}

/// The variable \p E names after parentheses and implicit conversions.
const VarDecl *namedVar(const Expr *E) {
  const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

/// The variables that are added (sign false) or subtracted (sign true) as
/// whole terms of the sum \p E.
void sumTerms(const Expr *E, bool Negated,
              std::vector<std::pair<const VarDecl *, bool>> &Out) {
  E = E->IgnoreParenImpCasts();
  if (const auto *BO = dyn_cast<BinaryOperator>(E);
      BO && (BO->getOpcode() == BO_Add || BO->getOpcode() == BO_Sub)) {
    sumTerms(BO->getLHS(), Negated, Out);
    sumTerms(BO->getRHS(), Negated != (BO->getOpcode() == BO_Sub), Out);
    return;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && (U->getOpcode() == UO_Minus || U->getOpcode() == UO_Plus)) {
    sumTerms(U->getSubExpr(), Negated != (U->getOpcode() == UO_Minus), Out);
    return;
  }
  if (const VarDecl *V = namedVar(E))
    Out.push_back({V, Negated});
}

/// The accumulator \p S updates: `s += e`, `s -= e`, or `s = s + e` with s
/// an added term of the right-hand side; null for other statements.
const VarDecl *accumulatorOf(const Stmt *S) {
  const auto *BO = dyn_cast<BinaryOperator>(S);
  if (!BO || !isa<DeclRefExpr>(BO->getLHS()->IgnoreParens()))
    return nullptr;
  const VarDecl *V = namedVar(BO->getLHS());
  if (!V || !isReal(V->getType()))
    return nullptr;
  if (BO->getOpcode() == BO_AddAssign || BO->getOpcode() == BO_SubAssign)
    return V;
  if (BO->getOpcode() != BO_Assign)
    return nullptr;
  std::vector<std::pair<const VarDecl *, bool>> Terms;
  sumTerms(BO->getRHS(), false, Terms);
  return llvm::is_contained(Terms, std::make_pair(V, false)) ? V : nullptr;
}

/// Records in \p Out the variables \p S assigns, steps, takes the address
/// of or binds to a non-const reference; a null entry for a write whose
/// target is unknown (also any lambda). Calls are left to writesThroughCalls.
void collectWrites(const Stmt *S, llvm::DenseSet<const VarDecl *> &Out) {
  forEachStmt(S, [&](const Stmt *Child) {
    collectDirectWrites(Child, Out);
    if (isa<LambdaExpr>(Child))
      Out.insert(nullptr);
  });
}

/// Whether \p S calls a function that may write memory through a pointer or
/// reference argument, allocates or frees.
bool writesThroughCalls(const Stmt *S) {
  bool Writes = false;
  forEachStmt(S, [&](const Stmt *Child) {
    if (isa<CXXNewExpr>(Child) || isa<CXXDeleteExpr>(Child))
      Writes = true;
    const auto *Call = dyn_cast<CallExpr>(Child);
    if (!Call)
      return;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      if (!MC->getMethodDecl() || !leavesObjectUnchanged(MC->getMethodDecl()))
        Writes = true;
    const FunctionDecl *FD = Call->getDirectCallee();
    // A lambda capturing variables: its pullback is defined where the
    // reverse sweep starts (DiffLambda.cpp), after a fused loop.
    const CXXRecordDecl *Closure = calledClosure(Call);
    if (!FD || (Closure && Closure->capture_size() > 0)) {
      Writes = true;
      return;
    }
    // Likewise a lambda passed to a standard algorithm (DiffAlgorithm.cpp).
    for (const Expr *Arg : Call->arguments())
      if (closureClass(Arg->getType()))
        Writes = true;
    for (const ParmVarDecl *P : FD->parameters()) {
      QualType T = P->getType();
      if ((T->isPointerType() || T->isReferenceType()) &&
          !T->getPointeeType().isConstQualified())
        Writes = true;
    }
  });
  return Writes;
}
} // namespace

void FunctionDifferentiator::findFusedLoop() {
  FusedLoop = nullptr;
  FusedSeeds.clear();
  QualType Ret = Request.Function->getReturnType();
  if (!Request.AllowFusion || !isReal(Ret) ||
      (Request.Mode != DiffMode::Vjp && Request.Mode != DiffMode::Pullback))
    return;
  ArrayRef<Stmt *> Body(TopBlock->body_begin(), TopBlock->body_end());
  const auto *Return =
      Body.empty() ? nullptr : dyn_cast<ReturnStmt>(Body.back());
  if (!Return || !Return->getRetValue())
    return;
  unsigned Returns = 0;
  forEachStmt(TopBlock, [&](const Stmt *S) { Returns += isa<ReturnStmt>(S); });
  if (Returns != 1)
    return;
  size_t At = Body.size() - 1;
  while (At > 0 && isa<DeclStmt>(Body[At - 1]))
    --At;
  const auto *Loop = At > 0 ? dyn_cast<ForStmt>(Body[At - 1]) : nullptr;
  if (!Loop || Loop->getConditionVariable() || hasJump(Loop->getBody()) ||
      writesThroughCalls(Loop))
    return;

  // Variables of the loop: only scalars, new in each run of the loop.
  llvm::DenseSet<const VarDecl *> Inner;
  bool Scalars = true;
  forEachStmt(Loop, [&](const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D)) {
          Inner.insert(V);
          QualType T = V->getType();
          Scalars &= !T->isReferenceType() &&
                     (isReal(T) || T->isIntegerType() || T->isBooleanType());
        }
  });
  if (!Scalars)
    return;
  // Everything else the loop writes is an accumulator.
  // In source order, so that the generated code does not depend on pointers.
  llvm::MapVector<const VarDecl *, unsigned> Updates;
  forEachStmt(Loop, [&](const Stmt *S) {
    if (const VarDecl *V = accumulatorOf(S); V && !Inner.count(V))
      Updates[V] += cast<BinaryOperator>(S)->getOpcode() == BO_Assign ? 2 : 1;
  });
  llvm::DenseSet<const VarDecl *> InBody, Stepped, Written;
  collectWrites(Loop->getBody(), InBody);
  collectWrites(Loop->getCond(), InBody);
  collectWrites(Loop->getInc(), Stepped);
  collectWrites(Loop->getInit(), Written);
  collectWrites(Loop->getConditionVariableDeclStmt(), Written);
  Written.insert(InBody.begin(), InBody.end());
  Written.insert(Stepped.begin(), Stepped.end());
  for (const VarDecl *V : Written)
    if (!V || (!Inner.count(V) && !Updates.count(V)))
      return;
  // The init statement's variables live across iterations: integers that
  // only the increment steps (the reverse code must not undo them), and the
  // increment steps nothing else (its reverse is not run).
  llvm::DenseSet<const VarDecl *> Carried;
  if (const auto *Init = dyn_cast_or_null<DeclStmt>(Loop->getInit()))
    for (const Decl *D : Init->decls())
      Carried.insert(cast<VarDecl>(D));
  for (const VarDecl *V : Carried)
    if (isReal(V->getType()) || InBody.count(V))
      return;
  for (const VarDecl *V : Stepped)
    if (!Carried.count(V))
      return;
  std::vector<std::pair<const VarDecl *, bool>> Terms;
  sumTerms(Return->getRetValue(), false, Terms);
  for (const auto &[V, Mentions] : Updates) {
    auto Term =
        llvm::find_if(Terms, [&](const auto &T) { return T.first == V; });
    if (!V->hasLocalStorage() || isa<ParmVarDecl>(V) ||
        mentionsOf(Loop, V) != Mentions || Term == Terms.end() ||
        mentionsOf(Return, V) != 1)
      return;
    FusedSeeds.push_back(*Term);
  }
  if (FusedSeeds.empty())
    return;
  // What runs between the loop and the return declares new scalars only.
  for (size_t I = At; I + 1 < Body.size(); ++I) {
    const auto *DS = cast<DeclStmt>(Body[I]);
    if (writesThroughCalls(DS))
      return;
    llvm::DenseSet<const VarDecl *> TailWrites;
    collectWrites(DS, TailWrites);
    for (const Decl *D : DS->decls()) {
      const auto *V = dyn_cast<VarDecl>(D);
      if (!V || V->getType()->isReferenceType() ||
          !(isReal(V->getType()) || V->getType()->isIntegerType()))
        return;
    }
    if (!TailWrites.empty())
      return;
    for (const auto &Seed : FusedSeeds)
      if (mentionsOf(DS, Seed.first))
        return;
  }
  FusedLoop = Loop;
  FusedWasCheckpointed = Checkpointed.erase(Loop);
}

bool FunctionDifferentiator::keepFusedLoop() {
  if (!FusedLoop)
    return true;
  bool Active = false, Read = false;
  for (const auto &Seed : FusedSeeds) {
    Active |= Act.isActive(Seed.first);
    Read |= Act.isReadInReverse(Seed.first);
  }
  if (Active && !Read)
    return true;
  if (FusedWasCheckpointed)
    Checkpointed.insert(FusedLoop);
  FusedLoop = nullptr;
  FusedSeeds.clear();
  return false;
}

StmtPair FunctionDifferentiator::fuseLoop(const StmtPair &Init,
                                          const std::string &Cond,
                                          const StmtPair &Body,
                                          const StmtPair &Inc) {
  std::string Seed = Request.Mode == DiffMode::Vjp ? "_seed" : "_d_return";
  StmtPair Out;
  // Adjoint vectors get their size before the reverse code that uses them,
  // and only there: sizing them again would drop what the loop added.
  Out.Forward.append(ReverseStart);
  ReverseStart = CodeBlock();
  Out.Forward.append(Init.Forward);
  for (const auto &[V, Negated] : FusedSeeds)
    if (isActiveVar(V))
      Out.Forward.line(info(V).AdjName + " = " + (Negated ? "-" : "") + Seed +
                       ";");
  CodeBlock Iteration;
  Iteration.append(Body.Forward);
  Iteration.append(Body.Reverse);
  Iteration.append(Inc.Forward);
  Out.Forward.block("while (" + Cond + ")", Iteration);
  // The return's reverse adds the seed again for the code before the loop.
  for (const auto &Seed : FusedSeeds)
    if (isActiveVar(Seed.first))
      Out.Forward.line(info(Seed.first).AdjName + " = 0;");
  Out.Reverse.append(Init.Reverse);
  return Out;
}

} // namespace adjoint
