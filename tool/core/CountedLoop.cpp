//===- CountedLoop.cpp - for loops whose trip count follows from the header
//===//

#include "CountedLoop.h"

#include "Activity.h"
#include "DiffRequest.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace adjoint {

namespace {
/// The variable \p E names or writes (x, x[i], *x, x.a), or null.
const VarDecl *target(const Expr *E) {
  return E ? Activity::writtenVar(E) : nullptr;
}

} // namespace

void collectDirectWrites(const Stmt *S, llvm::DenseSet<const VarDecl *> &Out) {
  if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->isAssignmentOp())
      Out.insert(target(BO->getLHS()));
  } else if (const auto *U = dyn_cast<UnaryOperator>(S)) {
    if (U->isIncrementDecrementOp() || U->getOpcode() == UO_AddrOf)
      Out.insert(target(U->getSubExpr()));
  } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S)) {
    if (Op->getNumArgs() > 0 &&
        (Op->isAssignmentOp() || Op->getOperator() == OO_PlusPlus ||
         Op->getOperator() == OO_MinusMinus))
      Out.insert(target(Op->getArg(0)));
  } else if (const auto *VD = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : VD->decls())
      if (const auto *V = dyn_cast<VarDecl>(D))
        if (V->getType()->isReferenceType() &&
            !V->getType().getNonReferenceType().isConstQualified())
          Out.insert(target(V->getInit()));
  }
}

namespace {
/// Records in \p Out every variable \p S may write.
void collectWrites(const Stmt *S, llvm::DenseSet<const VarDecl *> &Out) {
  if (!S)
    return;
  collectDirectWrites(S, Out);
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (!MD || !leavesObjectUnchanged(MD))
      Out.insert(target(MC->getImplicitObjectArgument()));
  } else if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    for (const LambdaCapture &C : L->captures())
      if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef)
        if (const auto *V = dyn_cast<VarDecl>(C.getCapturedVar()))
          Out.insert(V);
  }
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    const FunctionDecl *FD = Call->getDirectCallee();
    // A member operator's first argument is its object.
    const auto *Method = dyn_cast_or_null<CXXMethodDecl>(FD);
    unsigned Shift = isa<CXXOperatorCallExpr>(Call) && Method ? 1 : 0;
    for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
      bool Writable;
      if (I < Shift) {
        Writable = !leavesObjectUnchanged(Method);
      } else {
        const ParmVarDecl *P = FD && I - Shift < FD->getNumParams()
                                   ? FD->getParamDecl(I - Shift)
                                   : nullptr;
        QualType PT = P ? P->getType() : QualType();
        Writable = !P || (PT->isReferenceType() &&
                          !PT.getNonReferenceType().isConstQualified());
      }
      if (Writable)
        Out.insert(target(Call->getArg(I)));
    }
  }
  for (const Stmt *Child : S->children())
    collectWrites(Child, Out);
}

void collectLoopLocals(const Stmt *S, bool InLoop,
                       llvm::DenseSet<const VarDecl *> &Out) {
  if (!S)
    return;
  if (const auto *DS = dyn_cast<DeclStmt>(S); DS && InLoop)
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D))
        Out.insert(V);
  for (const Stmt *Child : S->children())
    collectLoopLocals(
        Child, InLoop || Activity::isLoop(S) || isa<CXXForRangeStmt>(S), Out);
}
} // namespace

StableVariables::StableVariables(const Stmt *Body) {
  collectWrites(Body, Written);
  collectLoopLocals(Body, false, InLoops);
}

bool StableVariables::isStable(const VarDecl *V) const {
  // A const& parameter names the caller's object, which the function has
  // no other way to change.
  QualType T = V ? V->getType() : QualType();
  return V && (isa<ParmVarDecl>(V) || V->isLocalVarDecl()) &&
         (!T->isReferenceType() ||
          T.getNonReferenceType().isConstQualified()) &&
         !Written.count(V) && !InLoops.count(V);
}

bool StableVariables::mayWrite(const Stmt *S, const VarDecl *V) {
  llvm::DenseSet<const VarDecl *> Writes;
  collectWrites(S, Writes);
  return Writes.count(V);
}

bool isRecomputable(const Expr *E,
                    llvm::function_ref<bool(const VarDecl *)> Known,
                    bool Condition) {
  E = E->IgnoreParens();
  if (isa<IntegerLiteral>(E) || isa<CharacterLiteral>(E) ||
      isa<UnaryExprOrTypeTraitExpr>(E))
    return true;
  if (isa<CXXBoolLiteralExpr>(E) || isa<FloatingLiteral>(E))
    return Condition;
  if (const auto *Cast = dyn_cast<CastExpr>(E))
    return (Condition ? Cast->getType()->isArithmeticType()
                      : Cast->getType()->isIntegralOrEnumerationType()) &&
           isRecomputable(Cast->getSubExpr(), Known, Condition);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (isa<EnumConstantDecl>(DRE->getDecl()))
      return true;
    const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
    return V && Known(V);
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E))
    return (U->getOpcode() == UO_Minus || U->getOpcode() == UO_Plus ||
            (Condition && U->getOpcode() == UO_LNot)) &&
           isRecomputable(U->getSubExpr(), Known, Condition);
  if (const auto *BO = dyn_cast<BinaryOperator>(E))
    return (BO->isAdditiveOp() || BO->isMultiplicativeOp() || BO->isShiftOp() ||
            (Condition && (BO->isComparisonOp() || BO->isLogicalOp()))) &&
           isRecomputable(BO->getLHS(), Known, Condition) &&
           isRecomputable(BO->getRHS(), Known, Condition);
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    const auto *Object = dyn_cast<DeclRefExpr>(
        MC->getImplicitObjectArgument()->IgnoreParenImpCasts());
    const auto *V = Object ? dyn_cast<VarDecl>(Object->getDecl()) : nullptr;
    return MD && MD->getIdentifier() && MD->getName() == "size" &&
           MC->getNumArgs() == 0 && V && Known(V);
  }
  return false;
}

void forEachStmt(const Stmt *S, llvm::function_ref<void(const Stmt *)> F) {
  if (!S)
    return;
  F(S);
  for (const Stmt *Child : S->children())
    forEachStmt(Child, F);
}

bool hasJump(const Stmt *S) {
  if (!S)
    return false;
  if (isa<BreakStmt>(S) || isa<ContinueStmt>(S) || isa<ReturnStmt>(S) ||
      isa<GotoStmt>(S) || isa<IndirectGotoStmt>(S))
    return true;
  for (const Stmt *Child : S->children())
    if (hasJump(Child))
      return true;
  return false;
}

const VarDecl *countedLoopCounter(const ForStmt *For) {
  const auto *Init = dyn_cast_or_null<DeclStmt>(For->getInit());
  const auto *Counter = Init && Init->isSingleDecl()
                            ? dyn_cast<VarDecl>(Init->getSingleDecl())
                            : nullptr;
  if (!Counter || !Counter->getType()->isIntegerType() || !Counter->getInit() ||
      For->getConditionVariable())
    return nullptr;
  const Expr *CondExpr = For->getCond();
  const auto *Cond = dyn_cast_or_null<BinaryOperator>(
      CondExpr ? CondExpr->IgnoreParenImpCasts() : nullptr);
  const Expr *IncExpr = For->getInc();
  const auto *Inc = dyn_cast_or_null<UnaryOperator>(
      IncExpr ? IncExpr->IgnoreParens() : nullptr);
  if (!Cond || !Inc || !Inc->isIncrementDecrementOp())
    return nullptr;
  const auto *Stepped =
      dyn_cast<DeclRefExpr>(Inc->getSubExpr()->IgnoreParens());
  const auto *Compared =
      dyn_cast<DeclRefExpr>(Cond->getLHS()->IgnoreParenImpCasts());
  if (!Stepped || Stepped->getDecl() != Counter || !Compared ||
      Compared->getDecl() != Counter || hasJump(For->getBody()))
    return nullptr;
  return Counter;
}

std::optional<CountedLoop> countedLoop(const ForStmt *For,
                                       const StableVariables &Stable,
                                       ArrayRef<const VarDecl *> Enclosing) {
  const VarDecl *Counter = countedLoopCounter(For);
  auto Known = [&](const VarDecl *V) {
    return Stable.isStable(V) || llvm::is_contained(Enclosing, V);
  };
  if (!Counter || !isRecomputable(Counter->getInit(), Known))
    return std::nullopt;
  const auto *Cond =
      cast<BinaryOperator>(For->getCond()->IgnoreParenImpCasts());
  const auto *Inc = cast<UnaryOperator>(For->getInc()->IgnoreParens());
  CountedLoop Loop;
  Loop.Counter = Counter;
  Loop.Bound = Cond->getRHS();
  Loop.Up = Inc->isIncrementOp();
  BinaryOperatorKind Op = Cond->getOpcode();
  if (Loop.Up ? Op != BO_LT && Op != BO_LE : Op != BO_GT && Op != BO_GE)
    return std::nullopt;
  Loop.Inclusive = Op == BO_LE || Op == BO_GE;
  // The bound may use the enclosing counters, not this one.
  if (!isRecomputable(Loop.Bound, Known) ||
      StableVariables::mayWrite(For->getBody(), Counter))
    return std::nullopt;
  return Loop;
}

bool isCopyLikeReference(ASTContext &Ctx, const VarDecl *V,
                         const DeclStmt *DS) {
  QualType T = V->getType();
  if (!T->isLValueReferenceType() || !T.getNonReferenceType().isConstQualified() ||
      !isReal(T) || !V->getInit())
    return false;
  // A temporary (`const double &t = a * b;`) is a copy already.
  if (isa<MaterializeTemporaryExpr>(V->getInit()))
    return true;
  // What it refers to (`x[i]`, `v[k]`, `*p`) must not change while the
  // reference lives: nothing in its block writes the variables it mentions.
  const Stmt *Scope = DS;
  auto Parents = Ctx.getParents(*DS);
  if (!Parents.empty())
    if (const auto *Parent = Parents[0].get<Stmt>())
      Scope = Parent;
  llvm::SmallVector<const VarDecl *, 4> Refs;
  Activity::allReferenced(V->getInit(), Refs);
  return llvm::none_of(Refs, [&](const VarDecl *R) {
    return StableVariables::mayWrite(Scope, R);
  });
}

bool escapes(const Stmt *S, const VarDecl *V) {
  bool Escapes = false;
  forEachStmt(S, [&](const Stmt *Child) {
    if (const auto *U = dyn_cast<UnaryOperator>(Child))
      if (U->getOpcode() == UO_AddrOf)
        if (const auto *Ref =
                dyn_cast<DeclRefExpr>(U->getSubExpr()->IgnoreParenImpCasts()))
          Escapes |= Ref->getDecl() == V;
    if (const auto *L = dyn_cast<LambdaExpr>(Child))
      for (const LambdaCapture &C : L->captures())
        Escapes |= C.capturesVariable() && C.getCapturedVar() == V &&
                   C.getCaptureKind() == LCK_ByRef;
  });
  return Escapes;
}

const VarDecl *writtenRange(const CXXForRangeStmt *Loop) {
  const VarDecl *Var = Loop->getLoopVariable();
  QualType T = Var->getType();
  const auto *Ref =
      dyn_cast<DeclRefExpr>(Loop->getRangeInit()->IgnoreParenImpCasts());
  const auto *Range = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  const Stmt *Body = Loop->getBody();
  if (!Range || !T->isLValueReferenceType() ||
      T.getNonReferenceType().isConstQualified() || !isReal(T) ||
      !StableVariables::mayWrite(Body, Var) || escapes(Body, Var) ||
      hasJump(Body))
    return nullptr;
  bool MentionsRange = false;
  forEachStmt(Body, [&](const Stmt *S) {
    if (const auto *R = dyn_cast<DeclRefExpr>(S))
      MentionsRange |= R->getDecl() == Range;
  });
  return MentionsRange ? nullptr : Range;
}

const CompoundStmt *parentBlock(ASTContext &Ctx, const Stmt *S) {
  auto Parents = Ctx.getParents(*S);
  return Parents.empty() ? nullptr : Parents[0].get<CompoundStmt>();
}

const Expr *writeBackTarget(const VarDecl *V, const CompoundStmt *Block,
                            const DeclStmt *DS) {
  QualType T = V->getType();
  if (!Block || !T->isLValueReferenceType() ||
      T.getNonReferenceType().isConstQualified() || !isReal(T) ||
      !V->getInit() || !DS->isSingleDecl())
    return nullptr;
  const Expr *Target = V->getInit()->IgnoreParens();
  const VarDecl *Base = Activity::writtenVar(Target);
  if (!Base || Base->getType()->isReferenceType() || isa<MemberExpr>(Target) ||
      isa<UnaryOperator>(Target))
    return nullptr;
  llvm::SmallVector<const VarDecl *, 4> Refs;
  Activity::allReferenced(Target, Refs);
  auto It = llvm::find(Block->body(), DS);
  if (It == Block->body_end())
    return nullptr;
  bool WritesV = false;
  for (++It; It != Block->body_end(); ++It) {
    const Stmt *S = *It;
    bool Writes = StableVariables::mayWrite(S, V);
    WritesV |= Writes;
    // Only the block's last statement may leave it (`return s;`), and only
    // if it does not write r.
    if (escapes(S, V) ||
        (hasJump(S) && (Writes || S != Block->body_back())))
      return nullptr;
    for (const VarDecl *R : Refs)
      if (StableVariables::mayWrite(S, R))
        return nullptr;
    bool MentionsBase = false;
    forEachStmt(S, [&](const Stmt *C) {
      if (const auto *Ref = dyn_cast<DeclRefExpr>(C))
        MentionsBase |= Ref->getDecl() == Base;
    });
    if (MentionsBase && Writes)
      return nullptr;
  }
  return WritesV ? Target : nullptr;
}

} // namespace adjoint
