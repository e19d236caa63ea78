//===- Activity.cpp - Activity and read-in-reverse analysis ---------------===//

#include "Activity.h"
#include "DiffRequest.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"

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

bool Activity::isDetach(const Expr *E) {
  const auto *Call = dyn_cast<CallExpr>(E);
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  return FD && FD->getIdentifier() && FD->getName() == "detach" &&
         isTensor(Call->getType());
}

void Activity::realSources(const Expr *E,
                           llvm::SmallVectorImpl<const VarDecl *> &Out) {
  if (!E)
    return;
  E = E->IgnoreParens();
  if (isDetach(E))
    return;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
      if (carriesDerivative(V->getType()))
        Out.push_back(V);
    return;
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    realSources(MC->getImplicitObjectArgument(), Out);
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
    realSources(ASE->getBase(), Out);
    return;
  }
  for (const Stmt *Child : E->children()) {
    const auto *CE = dyn_cast_or_null<Expr>(Child);
    if (CE && carriesDerivative(CE->getType()))
      realSources(CE, Out);
  }
}

void Activity::allReferenced(const Expr *E,
                             llvm::SmallVectorImpl<const VarDecl *> &Out) {
  if (!E)
    return;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
      Out.push_back(V);
  for (const Stmt *Child : E->children())
    if (const auto *CE = dyn_cast_or_null<Expr>(Child))
      allReferenced(CE, Out);
}

const VarDecl *Activity::writtenVar(const Expr *LHS) {
  LHS = LHS->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(LHS))
    return dyn_cast<VarDecl>(DRE->getDecl());
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(LHS))
    return writtenVar(ASE->getBase());
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(LHS))
    if (Op->getOperator() == OO_Subscript)
      return writtenVar(Op->getArg(0));
  if (const auto *U = dyn_cast<UnaryOperator>(LHS))
    if (U->getOpcode() == UO_Deref)
      return writtenVar(U->getSubExpr());
  if (const auto *ME = dyn_cast<MemberExpr>(LHS))
    if (!ME->isArrow())
      return writtenVar(ME->getBase());
  return nullptr;
}

void Activity::addFlow(const VarDecl *Target, const Expr *Value,
                       const Expr *LHS, bool ReadsTarget) {
  Flow F;
  F.Target = Target;
  if (!NoGrad)
    realSources(Value, F.Sources);
  allReferenced(Value, F.Read);
  // The indices of x[i] are read in reverse; x's elements are not.
  for (const Expr *L = LHS ? LHS->IgnoreParenImpCasts() : nullptr; L;) {
    if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(L)) {
      allReferenced(ASE->getIdx(), F.Read);
      allReferenced(ASE->getIdx(), F.IndexRead);
      L = ASE->getBase()->IgnoreParenImpCasts();
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(L);
               Op && Op->getOperator() == OO_Subscript) {
      allReferenced(Op->getArg(1), F.Read);
      allReferenced(Op->getArg(1), F.IndexRead);
      L = Op->getArg(0)->IgnoreParenImpCasts();
    } else if (const auto *U = dyn_cast<UnaryOperator>(L)) {
      if (U->getOpcode() != UO_Deref)
        break;
      L = U->getSubExpr()->IgnoreParenImpCasts();
      if (!isa<DeclRefExpr>(L))
        allReferenced(L, F.Read);
    } else {
      break;
    }
  }
  if (ReadsTarget && Target) {
    F.Sources.push_back(Target);
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
        Flow Back;
        Back.Target = Src;
        Back.Sources.push_back(Target);
        Flows.push_back(std::move(Back));
      }
  Flows.push_back(std::move(F));
}

void Activity::collect(const Stmt *S) {
  if (!S)
    return;
  if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
    bool Outer = NoGrad;
    for (const Stmt *Child : CS->body()) {
      collect(Child);
      NoGrad |= isNoGradGuard(Child);
    }
    NoGrad = Outer;
    return;
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S))
    if (Op->isAssignmentOp() && Op->getNumArgs() == 2)
      addFlow(writtenVar(Op->getArg(0)), Op->getArg(1), Op->getArg(0),
              Op->getOperator() != OO_Equal);
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D))
        if (const Expr *Init = V->getInit())
          addFlow(V, Init, nullptr, false);
  } else if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->isAssignmentOp()) {
      addFlow(writtenVar(BO->getLHS()), BO->getRHS(), BO->getLHS(),
              BO->isCompoundAssignmentOp());
    }
  } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    // v.push_back(e) writes e into v.
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (MD && MD->getIdentifier() && MD->getName() == "push_back" &&
        MC->getNumArgs() == 1)
      addFlow(writtenVar(MC->getImplicitObjectArgument()), MC->getArg(0),
              nullptr, true);
  } else if (const auto *RS = dyn_cast<ReturnStmt>(S)) {
    if (RS->getRetValue())
      addFlow(nullptr, RS->getRetValue(), nullptr, false);
  } else if (const auto *Call = dyn_cast<CallExpr>(S)) {
    // A call may write through non-const pointer or reference arguments:
    // each such argument becomes a target depending on all arguments.
    if (const FunctionDecl *FD = Call->getDirectCallee()) {
      for (unsigned I = 0; I < Call->getNumArgs() && I < FD->getNumParams();
           ++I) {
        QualType PT = FD->getParamDecl(I)->getType();
        bool Writable =
            (PT->isPointerType() && !PT->getPointeeType().isConstQualified()) ||
            (PT->isReferenceType() &&
             !PT.getNonReferenceType().isConstQualified());
        if (!Writable)
          continue;
        if (const VarDecl *Target = writtenVar(Call->getArg(I))) {
          Flow F;
          F.Target = Target;
          for (const Expr *Arg : Call->arguments()) {
            if (!NoGrad)
              realSources(Arg, F.Sources);
            allReferenced(Arg, F.Read);
          }
          Flows.push_back(std::move(F));
        }
      }
    }
  }
  for (const Stmt *Child : S->children())
    collect(Child);
}

void Activity::analyze(const FunctionDecl *FD, ArrayRef<const ParmVarDecl *> Wrt,
                       ArrayRef<const ParmVarDecl *> Outputs) {
  Flows.clear();
  Active.clear();
  ReadInReverse.clear();
  collect(FD->getBody());
  Written.clear();
  for (const Flow &F : Flows)
    if (F.Target)
      Written.insert(F.Target);

  llvm::DenseSet<const VarDecl *> Varied(Wrt.begin(), Wrt.end());
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

  // Values flowing into objects the differentiator cannot see into.
  Opaque.clear();
  for (const Flow &F : Flows) {
    if (!F.Target || carriesDerivative(F.Target->getType()))
      continue;
    QualType T = F.Target->getType().getNonReferenceType();
    if (!T->isRecordType() && !T->isArrayType())
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
    if (AnyActive)
      ReadInReverse.insert(F.Read.begin(), F.Read.end());
  }
  // Restoring an element x[i] the reverse sweep reads needs i as well.
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const Flow &F : Flows)
      if (F.Target && ReadInReverse.count(F.Target))
        for (const VarDecl *V : F.IndexRead)
          Changed |= ReadInReverse.insert(V).second;
  }
}

} // namespace adjoint
