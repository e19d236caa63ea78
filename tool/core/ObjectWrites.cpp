//===- ObjectWrites.cpp - Methods that leave their object unchanged -------===//
//
// A call of a member function may write its object only if the function
// can: a const member function cannot (its mutable members aside), and
// neither can a non-const one whose body never writes a data member. Real
// code often omits the const (`struct normalDist { double mu, sigma;
// double cdf(double x) { ... } };`); such a call is differentiated as a call
// of a const member function, reading its object as it is.
//
// The body is read conservatively: any use of `this` other than reading a
// data member, calling a member function that leaves the object unchanged,
// or passing `*this` where the callee cannot write it counts as a write.
//
//===----------------------------------------------------------------------===//

#include "Algorithms.h"
#include "DiffRequest.h"
#include "analysis/AccessPath.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace adjoint {

namespace {
/// Whether \p E is `this` or `*this`.
bool isThisObject(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (isa<CXXThisExpr>(E))
    return true;
  const auto *U = dyn_cast<UnaryOperator>(E);
  return U && U->getOpcode() == UO_Deref &&
         isa<CXXThisExpr>(U->getSubExpr()->IgnoreParenImpCasts());
}

/// Whether \p E designates storage of this object: `this`, `*this`, a data
/// member (`w`, `p.x`, `w[i]`, `w.data() + k`, `&w[i]`).
bool designatesObject(const Expr *E) {
  return isa<CXXThisExpr>(accessRoot(E, [](const AccessStep &Step) {
    if (Step.Kind != AccessStep::Field && Step.Kind != AccessStep::ArrowField)
      return true;
    return isa<FieldDecl>(cast<MemberExpr>(Step.Access)->getMemberDecl());
  }));
}

/// Whether a local of type \p T can be bound to an object's storage and
/// then write it: a non-const reference or a pointer to non-const.
bool writableAlias(QualType T) {
  if (T->isReferenceType() || T->isPointerType())
    return !T->getPointeeType().isConstQualified();
  return false;
}

class BodyWrites {
public:
  explicit BodyWrites(llvm::SmallPtrSetImpl<const CXXMethodDecl *> &Visiting)
      : Visiting(Visiting) {}

  /// Whether \p Body may write the object of the method it belongs to.
  bool writes(const Stmt *Body) {
    walk(Body);
    if (Writes)
      return true;
    for (const CXXThisExpr *This : Uses)
      if (!Accounted.count(This))
        return true; // `this` escapes: assume it is written through
    return false;
  }

private:
  void account(const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && U->getOpcode() == UO_Deref)
      E = U->getSubExpr()->IgnoreParenImpCasts();
    if (const auto *This = dyn_cast<CXXThisExpr>(E))
      Accounted.insert(This);
  }

  void walk(const Stmt *S) {
    if (!S || Writes)
      return;
    if (const auto *This = dyn_cast<CXXThisExpr>(S))
      Uses.push_back(This);
    if (const auto *ME = dyn_cast<MemberExpr>(S)) {
      // Reading a data member; a write is found at the assignment or call.
      if (isa<FieldDecl>(ME->getMemberDecl()))
        account(ME->getBase());
    } else if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->isAssignmentOp() && designatesObject(BO->getLHS()))
        Writes = true;
    } else if (const auto *U = dyn_cast<UnaryOperator>(S)) {
      if (U->isIncrementDecrementOp() && designatesObject(U->getSubExpr()))
        Writes = true;
    } else if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D))
          if (V->getInit() && writableAlias(V->getType()) &&
              designatesObject(V->getInit()))
            Writes = true;
    } else if (const auto *L = dyn_cast<LambdaExpr>(S)) {
      // A lambda capturing the object may write it wherever it is called.
      for (const LambdaCapture &C : L->captures())
        if (C.capturesThis() && C.getCaptureKind() != LCK_StarThis)
          Writes = true;
    } else if (const auto *Call = dyn_cast<CallExpr>(S)) {
      call(Call);
    }
    for (const Stmt *Child : S->children())
      walk(Child);
  }

  void call(const CallExpr *Call) {
    const auto *Method =
        dyn_cast_or_null<CXXMethodDecl>(Call->getDirectCallee());
    bool ObjectFirst = passesObjectFirst(Call);
    std::vector<const Expr *> Args = pullbackArgs(Call);
    for (unsigned I = 0; I < Args.size(); ++I) {
      const Expr *Arg = Args[I];
      // The object of a member call is written unless the member's own body
      // leaves it unchanged (read here with the methods being analysed).
      bool Written = ObjectFirst && I == 0
                         ? Method && !Method->isStatic() &&
                               !isAccessor(Method) &&
                               !leavesObjectUnchanged(Method, Visiting)
                         : mayWriteThroughArg(Call, ObjectFirst, I, Arg);
      if (Written && designatesObject(Arg))
        Writes = true;
      else if (!Written && isThisObject(Arg))
        account(Arg); // a member called on this, `*this` read by a callee
    }
  }

  llvm::SmallPtrSetImpl<const CXXMethodDecl *> &Visiting;
  std::vector<const CXXThisExpr *> Uses;
  llvm::DenseSet<const CXXThisExpr *> Accounted;
  bool Writes = false;
};
} // namespace

bool leavesObjectUnchanged(
    const CXXMethodDecl *Method,
    llvm::SmallPtrSetImpl<const CXXMethodDecl *> &Visiting) {
  if (!Method || Method->isStatic() || Method->isConst())
    return true;
  // Only a user's own, non-virtual method with a visible body is read: a
  // library's non-const methods (push_back, ...) write their objects, and
  // an override may write what this body does not.
  const FunctionDecl *Def = nullptr;
  if (Method->isVirtual() || Method->getParent()->isLambda() ||
      isa<CXXConstructorDecl>(Method) || isa<CXXDestructorDecl>(Method) ||
      !Method->hasBody(Def) || !Def->getBody() ||
      Method->getASTContext().getSourceManager().isInSystemHeader(
          Def->getLocation()))
    return false;
  const auto *MD = cast<CXXMethodDecl>(Def);
  if (MD->isImplicit() || MD->isDefaulted())
    return false; // assignments
  // A recursive method: assume the worst of the call being analysed.
  if (!Visiting.insert(MD).second)
    return false;
  bool Unchanged = !BodyWrites(Visiting).writes(MD->getBody());
  Visiting.erase(MD);
  return Unchanged;
}

bool leavesObjectUnchanged(const CXXMethodDecl *Method) {
  llvm::SmallPtrSet<const CXXMethodDecl *, 4> Visiting;
  return leavesObjectUnchanged(Method, Visiting);
}

} // namespace adjoint
