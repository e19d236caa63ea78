//===- Activity.cpp - Activity and read-in-reverse analysis ---------------===//

#include "Activity.h"
#include "analysis/AccessPath.h"

#include "clang/AST/StmtCXX.h"
#include "Algorithms.h"
#include "ClangCompat.h"
#include "CountedLoop.h"
#include "DiffRequest.h"
#include "Lambdas.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/Builtins.h"
#include "clang/Basic/SourceManager.h"

#include <functional>

using namespace clang;

namespace adjoint {

bool Activity::isNoGradGuard(const Stmt *S) {
  const auto *DS = dyn_cast_or_null<DeclStmt>(S);
  if (!DS)
    return false;
  for (const Decl *D : DS->decls())
    if (const auto *V = dyn_cast<VarDecl>(D))
      if (const auto *RD = V->getType()->getAsCXXRecordDecl())
        if (RD->getName() == "NoGradGuard")
          return true;
  return false;
}

bool Activity::isLoop(const Stmt *S) {
  return isa<ForStmt>(S) || isa<WhileStmt>(S) || isa<DoStmt>(S);
}

bool Activity::isDetach(const Expr *E) {
  const auto *Call = dyn_cast<CallExpr>(E);
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  return FD && FD->getIdentifier() && FD->getName() == "detach" &&
         isTensor(Call->getType());
}

const Expr *Activity::stripCopies(const Expr *E) {
  for (;;) {
    const Expr *Next = E->IgnoreParens()->IgnoreImplicit();
    if (const auto *CE = dyn_cast<CXXConstructExpr>(Next))
      if (CE->getNumArgs() == 1 &&
          CE->getConstructor()->isCopyOrMoveConstructor())
        Next = CE->getArg(0);
    if (Next == E)
      return E;
    E = Next;
  }
}

const InitListExpr *Activity::elementList(const Expr *Init) {
  if (!Init)
    return nullptr;
  const Expr *E = Init->IgnoreImplicit();
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    if (CE->getNumArgs() >= 1)
      if (const auto *IL = dyn_cast<CXXStdInitializerListExpr>(
              CE->getArg(0)->IgnoreImplicit()))
        E = IL->getSubExpr()->IgnoreImplicit();
  const auto *List = dyn_cast<InitListExpr>(E);
  // std::array's braces hold its one member, the C array.
  if (List && List->getType()->isRecordType() && List->getNumInits() == 1)
    if (const auto *Inner = dyn_cast<InitListExpr>(
            List->getInit(0)->IgnoreImplicit());
        Inner && Inner->getType()->isArrayType())
      return Inner;
  return List;
}

bool Activity::isTensorCopy(const Expr *E) {
  const auto *DRE = E ? dyn_cast<DeclRefExpr>(stripCopies(E)) : nullptr;
  return DRE && isa<VarDecl>(DRE->getDecl()) && isTensor(DRE->getType());
}

const VarDecl *&Activity::thisObject() {
  static thread_local const VarDecl *Object = nullptr;
  return Object;
}

void Activity::realSources(const Expr *E,
                           llvm::SmallVectorImpl<const VarDecl *> &Out) {
  if (!E)
    return;
  E = E->IgnoreParens();
  if (isDetach(E))
    return;
  if (isa<CXXThisExpr>(E)) {
    if (thisObject())
      Out.push_back(thisObject());
    return;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    // A closure passes on what it captures (see Lambdas.h).
    if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
      if (!isDerivativeFree(V->getType()) &&
          !appendCaptures(V->getType(), Out))
        Out.push_back(V);
    return;
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    realSources(MC->getImplicitObjectArgument(), Out);
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
    realSources(ASE->getBase(), Out);
    return;
  }
  // Values of any type that may hold a derivative pass it on, whether adjoint
  // models the type or not (a class temporary built from differentiated
  // values, a lambda capturing one): the differentiator reports what it
  // cannot follow instead of dropping it.
  for (const Stmt *Child : E->children())
    if (const auto *CE = dyn_cast_or_null<Expr>(Child))
      if (!isDerivativeFree(CE->getType()))
        realSources(CE, Out);
}

void Activity::allReferenced(const Expr *E,
                             llvm::SmallVectorImpl<const VarDecl *> &Out) {
  if (!E)
    return;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
      Out.push_back(V);
  // A lambda's call reads what the lambda captures (so does its pullback).
  if (const auto *Call = dyn_cast<CXXOperatorCallExpr>(E))
    if (const auto *MD =
            dyn_cast_or_null<CXXMethodDecl>(Call->getDirectCallee());
        MD && MD->getParent()->isLambda())
      for (const LambdaCapture &C : MD->getParent()->captures())
        if (C.capturesVariable())
          if (const auto *V = dyn_cast<VarDecl>(C.getCapturedVar()))
            Out.push_back(V);
  for (const Stmt *Child : E->children())
    if (const auto *CE = dyn_cast_or_null<Expr>(Child))
      allReferenced(CE, Out);
}

bool Activity::mayCarryDerivative(const Expr *E) {
  if (!carriesDerivative(E->getType()))
    return false;
  llvm::SmallVector<const VarDecl *, 4> Refs;
  allReferenced(E, Refs);
  return llvm::any_of(
      Refs, [](const VarDecl *V) { return carriesDerivative(V->getType()); });
}

void Activity::derivativeReads(
    const Expr *E, llvm::SmallVectorImpl<const VarDecl *> &Out) const {
  if (!E)
    return;
  E = E->IgnoreParens();
  if (const auto *Cast = dyn_cast<CastExpr>(E)) {
    switch (Cast->getCastKind()) {
    case CK_LValueToRValue:
    case CK_NoOp:
    case CK_FloatingCast:
      return derivativeReads(Cast->getSubExpr(), Out);
    default:
      return allReferenced(E, Out);
    }
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (!isReal(DRE->getType()) && !isTensor(DRE->getType()))
      allReferenced(E, Out);
    return;
  }
  // A real element in a linear position: its adjoint is found from the
  // indices (and a moving pointer's value), not from the element's value.
  if (isReal(E->getType()) &&
      (isa<ArraySubscriptExpr>(E) || isa<CXXOperatorCallExpr>(E))) {
    for (const Expr *L = E;;) {
      L = L->IgnoreParenImpCasts();
      const Expr *Base = nullptr, *Index = nullptr;
      if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(L)) {
        Base = ASE->getBase();
        Index = ASE->getIdx();
      } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(L);
                 Op && Op->getOperator() == OO_Subscript &&
                 isRealVector(Op->getArg(0)->getType())) {
        Base = Op->getArg(0);
        Index = Op->getArg(1);
      }
      if (!Base) {
        const auto *Root = dyn_cast<DeclRefExpr>(L);
        const auto *V = Root ? dyn_cast<VarDecl>(Root->getDecl()) : nullptr;
        if (!V)
          return allReferenced(E, Out); // not a variable's element
        if (MovingPointers.count(V))
          Out.push_back(V);
        return;
      }
      allReferenced(Index, Out);
      L = Base;
    }
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E)) {
    if (U->getOpcode() == UO_Minus || U->getOpcode() == UO_Plus)
      return derivativeReads(U->getSubExpr(), Out);
    return allReferenced(E, Out);
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    const Expr *L = BO->getLHS(), *R = BO->getRHS();
    switch (BO->getOpcode()) {
    case BO_Add:
    case BO_Sub:
      derivativeReads(L, Out);
      derivativeReads(R, Out);
      return;
    case BO_Mul:
      // d(l r) reads r for l's adjoint and l for r's; an operand that has no
      // adjoint (a constant, an integer) is only read as a coefficient.
      for (auto [X, Other] : {std::pair(L, R), std::pair(R, L)}) {
        if (mayCarryDerivative(Other))
          allReferenced(X, Out);
        else
          derivativeReads(X, Out);
      }
      return;
    case BO_Div:
      // d(l / r) reads r for l's adjoint, and l and r for r's, unless the
      // quotient is read from its holder (the flow reads that).
      allReferenced(R, Out);
      if (mayCarryDerivative(R) && !Quotients.count(BO))
        allReferenced(L, Out);
      else
        derivativeReads(L, Out);
      return;
    default:
      return allReferenced(E, Out);
    }
  }
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (const VarDecl *Holder = Partners.lookup(Call)) {
      Out.push_back(Holder); // the argument is a variable: read nothing else
      return;
    }
  if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
    allReferenced(CO->getCond(), Out);
    derivativeReads(CO->getTrueExpr(), Out);
    derivativeReads(CO->getFalseExpr(), Out);
    return;
  }
  allReferenced(E, Out);
}

const VarDecl *Activity::writtenVar(const Expr *LHS) {
  return namedVariable(accessRoot(LHS, isWriteStep));
}

namespace {
/// The sine or cosine builtin with the same argument type whose value is the
/// derivative of \p Builtin's (up to sign), or 0.
unsigned trigPartner(unsigned Builtin) {
  switch (Builtin) {
  case Builtin::BIsin:
    return Builtin::BIcos;
  case Builtin::BIcos:
    return Builtin::BIsin;
  case Builtin::BIsinf:
    return Builtin::BIcosf;
  case Builtin::BIcosf:
    return Builtin::BIsinf;
  default:
    return 0;
  }
}

/// The builtin \p E calls if it is sin(x) or cos(x) of a variable x (the
/// variable in \p Arg), or 0.
unsigned trigCall(const Expr *E, const VarDecl *&Arg) {
  const auto *Call = dyn_cast_or_null<CallExpr>(E);
  if (!Call || Call->getNumArgs() != 1 ||
      !trigPartner(Call->getBuiltinCallee()))
    return 0;
  const auto *Ref =
      dyn_cast<DeclRefExpr>(Call->getArg(0)->IgnoreParenImpCasts());
  Arg = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  return Arg ? Call->getBuiltinCallee() : 0;
}
} // namespace

llvm::SmallVector<Activity::TrigValue, 2>
Activity::trigValues(const Stmt *S) const {
  llvm::SmallVector<TrigValue, 2> Out;
  const auto *DS = dyn_cast_or_null<DeclStmt>(S);
  if (!DS)
    return Out;
  for (const Decl *D : DS->decls())
    if (const auto *V = dyn_cast<VarDecl>(D)) {
      const Expr *Init = V->getInit();
      const VarDecl *Arg = nullptr;
      unsigned Builtin = Init ? trigCall(Init->IgnoreParens(), Arg) : 0;
      if (Builtin && Stable->isStable(V) && Stable->isStable(Arg) &&
          !V->getType()->isReferenceType() &&
          V->getType().getCanonicalType().getUnqualifiedType() ==
              Init->getType().getCanonicalType().getUnqualifiedType())
        Out.push_back({Builtin, Arg, V});
    }
  return Out;
}

void Activity::pairTrigValues(
    const CompoundStmt *CS,
    llvm::ArrayRef<llvm::SmallVector<TrigValue, 2>> Values) {
  std::vector<const Stmt *> Body(CS->body_begin(), CS->body_end());
  for (size_t I = 0; I < Body.size(); ++I)
    for (const TrigValue &First : Values[I])
      for (size_t J = I + 1; J < Body.size() && !hasJump(Body[J - 1]); ++J)
        for (const TrigValue &Next : Values[J])
          if (Next.Arg == First.Arg &&
              Next.Builtin == trigPartner(First.Builtin))
            Partners.try_emplace(
                cast<CallExpr>(First.Holder->getInit()->IgnoreParens()),
                Next.Holder);
}

void Activity::notePartners(const Expr *E,
                            llvm::SmallVectorImpl<const VarDecl *> &Out) {
  if (!E)
    return;
  const VarDecl *Arg = nullptr;
  if (unsigned Builtin = trigCall(E, Arg)) {
    const auto *Call = cast<CallExpr>(E);
    for (const TrigValue &T : Available)
      if (T.Arg == Arg && T.Builtin == trigPartner(Builtin))
        Partners.try_emplace(Call, T.Holder);
    if (const VarDecl *Holder = Partners.lookup(Call))
      Out.push_back(Holder);
    return;
  }
  for (const Stmt *Child : E->children())
    notePartners(dyn_cast_or_null<Expr>(Child), Out);
}

void Activity::noteQuotient(const VarDecl *Target, const Expr *Value) {
  const auto *Div = dyn_cast<BinaryOperator>(Value->IgnoreParens());
  // Taking a real variable's address is an error (checkScalarAddresses), so
  // no write through a pointer changes Target behind the flows' back.
  if (!Target || !Div || Div->getOpcode() != BO_Div || Loops != 0 ||
      IncEnd.isValid() || !Target->hasLocalStorage() ||
      Target->getType()->isReferenceType() || !isReal(Target->getType()) ||
      Target->getType().getCanonicalType().getUnqualifiedType() !=
          Div->getType().getCanonicalType().getUnqualifiedType() ||
      !mayCarryDerivative(Div->getRHS()))
    return;
  llvm::SmallVector<const VarDecl *, 8> Refs;
  allReferenced(Div, Refs);
  if (!llvm::is_contained(Refs, Target))
    Quotients[Div] = Target;
}

Activity::Flow Activity::newFlow(const VarDecl *Target) const {
  Flow F;
  F.Target = Target;
  F.Statement = Current;
  F.Begin = IncEnd.isValid() ? IncEnd : beginLoc(Current);
  F.Loops = Loops;
  return F;
}

void Activity::addFlow(const VarDecl *Target, const Expr *Value,
                       const Expr *LHS, bool ReadsTarget, bool LinearInTarget,
                       bool ScalesTarget) {
  Flow F = newFlow(Target);
  if (!NoGrad || isTensorCopy(Value))
    realSources(Value, F.Sources);
  // The adjoint of x *= e or x /= e multiplies or divides by all of e.
  if (ScalesTarget)
    allReferenced(Value, F.Read);
  // Where a call's derivative is read from a holder, the holder is read
  // (also where derivativeReads counts only the call's value).
  notePartners(Value, F.Read);
  derivativeReads(Value, F.Read);
  if (const auto *Div = dyn_cast<BinaryOperator>(Value->IgnoreParens()))
    F.ResultRead = Quotients.lookup(Div);
  // The indices of x[i] are read in reverse; x's elements are not. A pointer
  // variable that changes, written through, is read too: the adjoint it
  // designates is at its offset (`row[c] = e` after `double* row = out + t *
  // C;` in a loop).
  if (LHS) {
    const Expr *Root = accessRoot(LHS, [&](const AccessStep &Step) {
      if (!isWriteStep(Step))
        return false;
      if (Step.Index) {
        allReferenced(Step.Index, F.Read);
        allReferenced(Step.Index, F.IndexRead);
      }
      return true;
    });
    const VarDecl *V = namedVariable(Root);
    bool Indirect = Root != LHS->IgnoreParenImpCasts(); // not x = e
    if (Indirect && !V) {
      allReferenced(Root, F.Read); // `*f(p) = e`: f(p) is evaluated again
    } else if (Indirect && MovingPointers.count(V)) {
      F.Read.push_back(V);
      F.IndexRead.push_back(V);
    }
  }
  if (ReadsTarget && Target) {
    F.Sources.push_back(Target);
    if (!LinearInTarget)
      F.Read.push_back(Target);
  }
  // A pointer into another variable's elements aliases it: writes through
  // either reach both, so the dependency goes both ways.
  bool AssignsPointer =
      Target && Target->getType()->isPointerType() &&
      (!LHS || isa<DeclRefExpr>(LHS->IgnoreParenImpCasts()));
  if (AssignsPointer && !NoGrad)
    for (const VarDecl *Src : F.Sources)
      if (isRealBuffer(Src->getType())) {
        Flow Back = newFlow(Src);
        Back.Sources.push_back(Target);
        Flows.push_back(std::move(Back));
      }
  Flows.push_back(std::move(F));
}

/// Whether \p V's declaration gives it a value (`Tensor z;` does not).
static bool isInitialized(const VarDecl *V) {
  const auto *Construct = dyn_cast_or_null<CXXConstructExpr>(V->getInit());
  return V->getInit() && !(Construct && Construct->getNumArgs() == 0);
}

void Activity::collect(const Stmt *S) {
  if (!S)
    return;
  Current = S;
  unsigned OuterLoops = Loops;
  if (isLoop(S) || isa<CXXForRangeStmt>(S)) {
    LoopNests.push_back(LoopNests[Loops]);
    LoopNests.back().push_back(S);
    Loops = LoopNests.size() - 1;
    NestOf[S] = Loops;
  }
  if (IncEnd.isValid())
    Sites[S] = {IncEnd, IncEnd, Loops};
  else
    Sites[S] = {beginLoc(S), S->getEndLoc(), Loops};
  // A declaration with an initializer in a loop body writes a new variable
  // in each iteration; one in a for statement's header runs once.
  const auto *For = dyn_cast<ForStmt>(S);
  if (const auto *DS = dyn_cast<DeclStmt>(S))
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D))
        if (isInitialized(V) && !Declarations.count(V))
          Declarations[V] = {S, Loops};
  if (const auto *Init =
          For ? dyn_cast_or_null<DeclStmt>(For->getInit()) : nullptr) {
    for (const Decl *D : Init->decls())
      if (const auto *V = dyn_cast<VarDecl>(D))
        Declarations[V] = {Init, OuterLoops};
    // The reverse sweep of a counted loop evaluates its header again (see
    // CountedLoop.h): its start and bound are read where the loop starts.
    if (const VarDecl *Counter = countedLoopCounter(For)) {
      llvm::SmallVector<const VarDecl *, 4> Header;
      allReferenced(Counter->getInit(), Header);
      allReferenced(
          cast<BinaryOperator>(For->getCond()->IgnoreParenImpCasts())->getRHS(),
          Header);
      for (const VarDecl *V : Header) {
        ReadInReverse.insert(V);
        ReadSites[V].push_back(
            {beginLoc(For), beginLoc(For), OuterLoops});
      }
    }
  }
  if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
    bool Outer = NoGrad;
    size_t OuterAvailable = Available.size();
    std::vector<llvm::SmallVector<TrigValue, 2>> Values;
    for (const Stmt *Child : CS->body())
      Values.push_back(trigValues(Child));
    pairTrigValues(CS, Values);
    // Local references written back to what they alias (writeBackTarget).
    std::vector<std::pair<const VarDecl *, const Expr *>> WriteBacks;
    for (auto [Child, ChildValues] : llvm::zip(CS->body(), Values)) {
      collect(Child);
      NoGrad |= isNoGradGuard(Child);
      llvm::append_range(Available, ChildValues);
      for (auto [Ref, Target] : WriteBacks)
        if (StableVariables::mayWrite(Child, Ref))
          addWriteBack(Child, Ref, Target);
      if (const auto *DS = dyn_cast<DeclStmt>(Child))
        if (const auto *V = DS->isSingleDecl()
                                ? dyn_cast<VarDecl>(DS->getSingleDecl())
                                : nullptr)
          if (const Expr *Target = writeBackTarget(V, CS, DS))
            WriteBacks.push_back({V, Target});
    }
    Available.resize(OuterAvailable);
    NoGrad = Outer;
  } else if (For && !IncEnd.isValid()) {
    // The increment runs after the body, though it is written before it.
    for (const Stmt *Child : For->children())
      if (Child != For->getInc())
        collect(Child);
    IncEnd = For->getEndLoc();
    collect(For->getInc());
    IncEnd = SourceLocation();
  } else {
    collectFlows(S);
    for (const Stmt *Child : S->children())
      collect(Child);
  }
  Loops = OuterLoops;
}

void Activity::addWriteBack(const Stmt *After, const VarDecl *Ref,
                            const Expr *Target) {
  const Stmt *Outer = Current;
  Current = After;
  Flow F = newFlow(writtenVar(Target));
  if (!NoGrad)
    F.Sources.push_back(Ref);
  // The element's adjoint is found through its indices.
  llvm::SmallVector<const VarDecl *, 4> Refs;
  allReferenced(Target, Refs);
  for (const VarDecl *V : Refs)
    if (V != F.Target) {
      F.Read.push_back(V);
      F.IndexRead.push_back(V);
    }
  Flows.push_back(std::move(F));
  Current = Outer;
}

void Activity::collectFlows(const Stmt *S) {
  // A range-based for loop's variable holds the range's elements, whatever
  // the hidden iterators do; one that is a reference the body writes is
  // written back to its element (DiffRangeFor.cpp).
  if (const auto *RangeFor = dyn_cast<CXXForRangeStmt>(S)) {
    addFlow(RangeFor->getLoopVariable(), RangeFor->getRangeInit(), nullptr,
            false);
    if (const VarDecl *Range = writtenRange(RangeFor)) {
      Flow F = newFlow(Range);
      if (!NoGrad)
        F.Sources.push_back(RangeFor->getLoopVariable());
      Flows.push_back(std::move(F));
    }
    return;
  }
  // An assignment operator is a flow, not a call writing its operands.
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S))
    if (Op->isAssignmentOp() && Op->getNumArgs() == 2)
      return addFlow(writtenVar(Op->getArg(0)), Op->getArg(1), Op->getArg(0),
                     Op->getOperator() != OO_Equal,
                     Op->getOperator() == OO_PlusEqual ||
                         Op->getOperator() == OO_MinusEqual,
                     Op->getOperator() == OO_StarEqual ||
                         Op->getOperator() == OO_SlashEqual);
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D))
        if (const Expr *Init = V->getInit();
            Init && !closureClass(V->getType())) {
          noteQuotient(V, Init);
          addFlow(V, Init, nullptr, false);
        }
  } else if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->isAssignmentOp()) {
      if (const auto *LHS =
              dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts());
          LHS && BO->getOpcode() == BO_Assign)
        noteQuotient(dyn_cast<VarDecl>(LHS->getDecl()), BO->getRHS());
      addFlow(writtenVar(BO->getLHS()), BO->getRHS(), BO->getLHS(),
              BO->isCompoundAssignmentOp(),
              BO->getOpcode() == BO_AddAssign ||
                  BO->getOpcode() == BO_SubAssign,
              BO->getOpcode() == BO_MulAssign ||
                  BO->getOpcode() == BO_DivAssign);
    }
  } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    // v.push_back(e) writes e into v.
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (MD && MD->getIdentifier() && MD->getName() == "push_back" &&
        MC->getNumArgs() == 1)
      addFlow(writtenVar(MC->getImplicitObjectArgument()), MC->getArg(0),
              nullptr, true);
    else
      addCallFlows(MC);
  } else if (const auto *RS = dyn_cast<ReturnStmt>(S)) {
    if (RS->getRetValue())
      addFlow(nullptr, RS->getRetValue(), nullptr, false);
  } else if (const auto *Call = dyn_cast<CallExpr>(S)) {
    addCallFlows(Call);
  }
}

void Activity::storageVars(const Expr *E,
                           llvm::SmallVectorImpl<const VarDecl *> &Out) {
  llvm::SmallVector<const VarDecl *, 4> Refs;
  allReferenced(E, Refs);
  for (const VarDecl *V : Refs)
    if (!isDerivativeFree(V->getType()))
      Out.push_back(V);
}

namespace {
/// Activity::onlyWrites, with the parameters being looked at further up a
/// chain of calls in \p Visiting.
bool onlyWritesParam(
    const FunctionDecl *Callee, unsigned Index,
    llvm::SmallVectorImpl<std::pair<const FunctionDecl *, unsigned>>
        &Visiting) {
  const FunctionDecl *Def = nullptr;
  if (!Callee || Visiting.size() > 4 || !Callee->hasBody(Def) ||
      Index >= Def->getNumParams() ||
      Def->getASTContext().getSourceManager().isInSystemHeader(
          Def->getLocation()))
    return false;
  // A recursive call passing the parameter on reads it only if another use
  // in the cycle does, which is counted where it is.
  if (llvm::is_contained(Visiting, std::make_pair(Def, Index)))
    return true;
  const ParmVarDecl *P = Def->getParamDecl(Index);
  // The reference to P an lvalue or pointer expression is rooted at, when it
  // designates P's storage (p, p[i], *p, p + k, &p[k], p[i].x) with P in no
  // index.
  auto Root = [&](const Expr *E) -> const DeclRefExpr * {
    bool InIndex = false;
    const auto *Ref =
        dyn_cast<DeclRefExpr>(accessRoot(E, [&](const AccessStep &Step) {
          if (Step.Kind == AccessStep::ArrowField ||
              Step.Kind == AccessStep::MethodCall ||
              Step.Kind == AccessStep::Operator ||
              isa<CXXOperatorCallExpr>(Step.Access))
            return false;
          if (Step.Index) {
            llvm::SmallVector<const VarDecl *, 4> Refs;
            Activity::allReferenced(Step.Index, Refs);
            InIndex |= llvm::is_contained(Refs, P);
          }
          return true;
        }));
    return Ref && Ref->getDecl() == P && !InIndex ? Ref : nullptr;
  };
  Visiting.push_back({Def, Index});
  llvm::DenseSet<const DeclRefExpr *> Writes;
  unsigned Uses = 0;
  forEachStmt(Def->getBody(), [&](const Stmt *S) {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
      Uses += Ref->getDecl() == P;
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->getOpcode() == BO_Assign)
        if (const DeclRefExpr *Ref = Root(BO->getLHS()))
          Writes.insert(Ref);
    } else if (const auto *Call = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *FD = Call->getDirectCallee();
      if (!FD || isa<CXXMethodDecl>(FD))
        return;
      for (unsigned I = 0; I < Call->getNumArgs(); ++I)
        if (const DeclRefExpr *Ref = Root(Call->getArg(I)))
          if (onlyWritesParam(FD, I, Visiting))
            Writes.insert(Ref);
    }
  });
  Visiting.pop_back();
  return Uses == Writes.size();
}
} // namespace

bool Activity::onlyWrites(const FunctionDecl *Callee, unsigned Index) {
  llvm::SmallVector<std::pair<const FunctionDecl *, unsigned>, 4> Visiting;
  return onlyWritesParam(Callee, Index, Visiting);
}

std::optional<unsigned> Activity::constantExtent(const FunctionDecl *Callee,
                                                 unsigned Index) {
  const FunctionDecl *Def = nullptr;
  if (!Callee || !Callee->hasBody(Def) || Index >= Def->getNumParams())
    return std::nullopt;
  const ParmVarDecl *P = Def->getParamDecl(Index);
  const ASTContext &Ctx = Def->getASTContext();
  unsigned Uses = 0, Constant = 0;
  uint64_t Extent = 0;
  forEachStmt(Def->getBody(), [&](const Stmt *S) {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
      Uses += Ref->getDecl() == P;
    const Expr *Base = nullptr;
    bool Known = false;
    llvm::APSInt At(64);
    if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(S)) {
      Base = ASE->getBase();
      Expr::EvalResult Index;
      Known = ASE->getIdx()->EvaluateAsInt(Index, Ctx);
      if (Known)
        At = Index.Val.getInt();
    } else if (const auto *U = dyn_cast<UnaryOperator>(S);
               U && U->getOpcode() == UO_Deref) {
      Base = U->getSubExpr();
      Known = true;
    }
    const auto *Ref =
        Base ? dyn_cast<DeclRefExpr>(Base->IgnoreParenImpCasts()) : nullptr;
    if (!Ref || Ref->getDecl() != P || !Known || At.isNegative())
      return;
    ++Constant;
    Extent = std::max<uint64_t>(Extent, At.getZExtValue() + 1);
  });
  if (Uses == 0 || Uses != Constant)
    return std::nullopt;
  return static_cast<unsigned>(Extent);
}

void Activity::addCallFlows(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  // Everything a call can write through depends on all its arguments: the
  // variables whose storage such an argument designates (`v`, `v.data()`,
  // `&v[i]`, `v + k`, an iterator of v) become targets.
  llvm::SmallVector<const Expr *, 4> Written;
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD);
  llvm::ArrayRef<const Expr *> Args(Call->getArgs(), Call->getNumArgs());
  const Expr *Object = nullptr;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    Object = MC->getImplicitObjectArgument();
  else if (MD && isa<CXXOperatorCallExpr>(Call) && !Args.empty()) {
    Object = Args.front(); // a member operator's first argument is *this
    Args = Args.drop_front();
  }
  // A non-const member function may store its arguments in its object.
  if (Object && MD && !leavesObjectUnchanged(MD) &&
      !isDerivativeFree(Object->getType()))
    Written.push_back(Object);
  for (unsigned I = 0; I < Args.size(); ++I)
    // Without a parameter (an unknown callee, a variadic argument) the
    // argument's own type says what the callee may write through.
    if (mayWriteThroughArg(Call, /*ObjectFirst=*/false, I, Args[I]))
      Written.push_back(Args[I]);
  // What the call reads: its arguments, except the storage of those it only
  // writes through (an output it fills).
  llvm::SmallVector<const VarDecl *, 8> Read;
  for (const Stmt *Child : Call->children())
    if (const auto *Arg = dyn_cast_or_null<Expr>(Child)) {
      const auto *It = llvm::find(Args, Arg);
      if (It != Args.end() && (onlyWrites(FD, It - Args.begin()) ||
                               onlyWritesArg(Call, It - Args.begin()))) {
        llvm::SmallVector<const VarDecl *, 4> Refs;
        allReferenced(Arg, Refs);
        for (const VarDecl *V : Refs)
          if (isDerivativeFree(V->getType()))
            Read.push_back(V); // indices and offsets
        continue;
      }
      allReferenced(Arg, Read);
    }
  // A lambda reads what it captures, and writes what it captures by
  // reference through its body.
  if (const CXXRecordDecl *Closure = calledClosure(Call))
    for (const LambdaCapture &C : Closure->captures())
      if (C.capturesVariable())
        if (const auto *V = dyn_cast<VarDecl>(C.getCapturedVar());
            V && !onlyWrittenBy(MD, V))
          Read.push_back(V);
  std::vector<const VarDecl *> CaptureTargets =
      MD ? capturesWrittenBy(MD) : std::vector<const VarDecl *>();
  for (size_t I = 0; I < Written.size() + CaptureTargets.size(); ++I) {
    llvm::SmallVector<const VarDecl *, 4> Targets;
    if (I < Written.size())
      storageVars(Written[I], Targets);
    else
      Targets.push_back(CaptureTargets[I - Written.size()]);
    for (const VarDecl *Target : Targets) {
      Flow F = newFlow(Target);
      for (const Stmt *Child : Call->children())
        if (const auto *Arg = dyn_cast_or_null<Expr>(Child))
          if (!NoGrad)
            realSources(Arg, F.Sources);
      F.Read.append(Read.begin(), Read.end());
      Flows.push_back(std::move(F));
    }
  }
}

void Activity::recomputeReads(const Stmt *Loop,
                              llvm::SmallVectorImpl<const VarDecl *> &Out) {
  // References that are only the target of x = e, x += e, x -= e.
  llvm::DenseSet<const DeclRefExpr *> Targets;
  std::function<void(const Stmt *)> Walk = [&](const Stmt *S) {
    if (!S)
      return;
    const Expr *LHS = nullptr;
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->getOpcode() == BO_Assign || BO->getOpcode() == BO_AddAssign ||
          BO->getOpcode() == BO_SubAssign)
        LHS = BO->getLHS();
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S)) {
      OverloadedOperatorKind K = Op->getOperator();
      if ((K == OO_Equal || K == OO_PlusEqual || K == OO_MinusEqual) &&
          Op->getNumArgs() == 2)
        LHS = Op->getArg(0);
    }
    // x, x[i], x[i][j], *x, *(x + k): the indices are still read.
    if (LHS)
      if (const auto *DRE =
              dyn_cast<DeclRefExpr>(accessRoot(LHS, [](const AccessStep &Step) {
                return Step.Kind == AccessStep::Element ||
                       Step.Kind == AccessStep::Deref;
              })))
        Targets.insert(DRE);
    for (const Stmt *Child : S->children())
      Walk(Child);
  };
  std::function<void(const Stmt *)> Collect = [&](const Stmt *S) {
    if (!S)
      return;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
        if (!Targets.count(DRE))
          Out.push_back(V);
    for (const Stmt *Child : S->children())
      Collect(Child);
  };
  // The for statement's initializer runs once, before the first snapshot.
  std::vector<const Stmt *> Parts;
  if (const auto *For = dyn_cast<ForStmt>(Loop))
    Parts = {For->getCond(), For->getInc(), For->getBody()};
  else if (const auto *While = dyn_cast<WhileStmt>(Loop))
    Parts = {While->getCond(), While->getBody()};
  else if (const auto *Do = dyn_cast<DoStmt>(Loop))
    Parts = {Do->getCond(), Do->getBody()};
  for (const Stmt *P : Parts)
    Walk(P);
  for (const Stmt *P : Parts)
    Collect(P);
}

void Activity::analyze(const FunctionDecl *FD,
                       ArrayRef<const ParmVarDecl *> Wrt,
                       ArrayRef<const ParmVarDecl *> Outputs,
                       const llvm::DenseSet<const Stmt *> &Recomputed,
                       const Stmt *Fused) {
  Checkpointed = Recomputed;
  if (Fused)
    Checkpointed.insert(Fused);
  NestOf.clear();
  Flows.clear();
  Quotients.clear();
  Partners.clear();
  Available.clear();
  Stable.emplace(FD->getBody());
  Aliases.emplace(FD->getBody());
  Active.clear();
  ReadInReverse.clear();
  ReadSites.clear();
  Sites.clear();
  Declarations.clear();
  LoopNests.assign(1, {});
  Loops = 0;
  SM = &FD->getASTContext().getSourceManager();
  findMovingPointers(FD->getBody());
  collect(FD->getBody());
  Written.clear();
  for (const Flow &F : Flows)
    if (F.Target)
      Written.insert(F.Target);

  llvm::DenseSet<const VarDecl *> Varied(Wrt.begin(), Wrt.end());
  Varied.insert(CapturedVaried.begin(), CapturedVaried.end());
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const Flow &F : Flows) {
      if (!F.Target || Varied.count(F.Target) ||
          !carriesDerivative(F.Target->getType()))
        continue;
      for (const VarDecl *Src : F.Sources)
        if (Varied.count(Src)) {
          Varied.insert(F.Target);
          Changed = true;
          break;
        }
    }
  }

  llvm::DenseSet<const VarDecl *> Useful(Outputs.begin(), Outputs.end());
  Useful.insert(CapturedWritten.begin(), CapturedWritten.end());
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const Flow &F : Flows) {
      if (F.Target && !Useful.count(F.Target))
        continue;
      for (const VarDecl *Src : F.Sources)
        Changed |= Useful.insert(Src).second;
    }
  }

  for (const VarDecl *V : Varied)
    if (Useful.count(V))
      Active.insert(V);

  // Differentiated values flowing through objects the differentiator cannot
  // see into, towards the result.
  Opaque.clear();
  for (const Flow &F : Flows) {
    if (!F.Target || carriesDerivative(F.Target->getType()) ||
        isDerivativeFree(F.Target->getType()) || !Useful.count(F.Target))
      continue;
    for (const VarDecl *Src : F.Sources)
      if (Varied.count(Src) && llvm::find(Opaque, F.Target) == Opaque.end())
        Opaque.push_back(F.Target);
  }

  // The reverse sweep evaluates partial derivatives of every flow that
  // reaches an active variable or the result.
  for (const Flow &F : Flows) {
    bool Differentiated = F.Target ? Active.count(F.Target) : true;
    if (!Differentiated)
      continue;
    bool AnyActive = false;
    for (const VarDecl *Src : F.Sources)
      AnyActive |= Active.count(Src) > 0;
    if (!AnyActive)
      continue;
    for (const VarDecl *V : F.Read)
      addReadSite(V, F);
    if (F.ResultRead) {
      ReadInReverse.insert(F.ResultRead);
      ReadSites[F.ResultRead].push_back(
          {F.Begin, F.Begin, F.Loops, nullptr, F.Statement});
    }
  }
  // A checkpointed loop's recompute reads its iterations' inputs at the loop,
  // within the reverse sweep of whatever surrounds it.
  for (const Stmt *Loop : Recomputed) {
    llvm::SmallVector<const VarDecl *, 16> Reads;
    recomputeReads(Loop, Reads);
    for (const VarDecl *V : Reads) {
      ReadInReverse.insert(V);
      ReadSites[V].push_back({beginLoc(Loop), beginLoc(Loop),
                              NestOf.lookup(Loop), Loop});
    }
  }
  // Restoring an element x[i] the reverse sweep reads needs i as well, where
  // the element is restored.
  std::vector<bool> Restores(Flows.size(), false);
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (size_t I = 0; I < Flows.size(); ++I) {
      const Flow &F = Flows[I];
      if (Restores[I] || !F.Target || !isReadInReverse(F.Target))
        continue;
      Restores[I] = Changed = true;
      for (const VarDecl *V : F.IndexRead)
        addReadSite(V, F);
    }
  }
}

void Activity::findMovingPointers(const Stmt *Body) {
  MovingPointers.clear();
  auto Note = [&](const Expr *E) {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
      if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl()))
        if (V->getType()->isPointerType())
          MovingPointers.insert(V);
  };
  std::function<void(const Stmt *, bool)> Walk = [&](const Stmt *S,
                                                      bool InLoop) {
    if (!S)
      return;
    if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isAssignmentOp())
      Note(BO->getLHS());
    if (const auto *U = dyn_cast<UnaryOperator>(S);
        U && U->isIncrementDecrementOp())
      Note(U->getSubExpr());
    if (const auto *DS = dyn_cast<DeclStmt>(S); DS && InLoop)
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D))
          if (V->getType()->isPointerType())
            MovingPointers.insert(V);
    bool Inner = InLoop || isLoop(S);
    for (const Stmt *Child : S->children())
      Walk(Child, Inner);
  };
  Walk(Body, false);
}

void Activity::addReadSite(const VarDecl *V, const Flow &F) {
  ReadInReverse.insert(V);
  ReadSites[V].push_back({F.Begin, F.Begin, F.Loops});
}

bool Activity::isReadInReverse(const VarDecl *V) const {
  if (ReadInReverse.count(V))
    return true;
  return Aliases && llvm::any_of(Aliases->sharing(V), [&](const VarDecl *O) {
           return ReadInReverse.count(O) > 0;
         });
}

bool Activity::isNeededBefore(const VarDecl *V, const Stmt *S,
                              bool IgnoreOwnRead) const {
  if (!isReadInReverse(V))
    return false;
  auto Where = Sites.find(S);
  if (Where == Sites.end())
    return true;
  const Site &Write = Where->second;
  // A variable declared in a loop body is a new variable in each iteration:
  // its declaration restores the previous iteration's value, so other writes
  // only matter to reads in the same iteration (loops inside the body).
  unsigned Lifetime = 0;
  auto Declared = Declarations.find(V);
  if (Declared != Declarations.end() && Declared->second.first != S)
    Lifetime = LoopNests[Declared->second.second].size();
  if (readsAfter(ReadSites.lookup(V), S, Where->second, Lifetime,
                 IgnoreOwnRead))
    return true;
  // What a local pointer or reference designates lives longer than it.
  return Aliases && llvm::any_of(Aliases->sharing(V), [&](const VarDecl *O) {
           return readsAfter(ReadSites.lookup(O), S, Write, 0, IgnoreOwnRead);
         });
}

bool Activity::readsAfter(llvm::ArrayRef<Site> Reads, const Stmt *S,
                          const Site &Write, unsigned Lifetime,
                          bool IgnoreOwnRead) const {
  const auto &WriteNest = LoopNests[Write.Loops];
  SourceLocation WriteEnd = SM->getExpansionLoc(Write.End);
  for (const Site &Read : Reads) {
    // The statement's own quotient is read after its write (outside loops).
    if (Read.After == S || (IgnoreOwnRead && Read.Begin == Write.Begin))
      continue;
    if (Read.Recompute && Read.Recompute != S &&
        llvm::is_contained(WriteNest, Read.Recompute))
      continue;
    const auto &ReadNest = LoopNests[Read.Loops];
    // A shared loop makes a read in a later iteration run its adjoint before
    // S's restore, unless the loop is checkpointed: then that iteration is
    // recomputed from its own snapshot, and only loops inside it count.
    bool SharesLoop = false;
    for (unsigned D = Lifetime; D < ReadNest.size() && D < WriteNest.size() &&
                                ReadNest[D] == WriteNest[D];
         ++D)
      if (!Checkpointed.count(ReadNest[D])) {
        SharesLoop = true;
        break;
      }
    if (SharesLoop)
      return true;
    if (!SM->isBeforeInTranslationUnit(WriteEnd,
                                       SM->getExpansionLoc(Read.Begin)))
      return true;
  }
  return false;
}

} // namespace adjoint
