//===- DiffMember.cpp - Data members of a differentiated method's object --===//
//
// A differentiated instance method (an annotated member function, or a
// method called with differentiated arguments, whose pullback is a member of
// the same class) reads its object's data members as constants: they carry
// no adjoints, and the reverse sweep reads them as the function leaves them.
// Both hold only if the function never writes a data member that could hold
// a real value, which this check enforces.
//
//===----------------------------------------------------------------------===//
#include "CountedLoop.h"
#include "FunctionDifferentiator.h"

#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace adjoint {

namespace {
/// The data member of this object whose storage \p E designates (`w`,
/// `w[i]`, `w.data() + k`, `&w[i]`, `p.x` of a member p), or null.
const FieldDecl *thisMember(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
        return dyn_cast<FieldDecl>(ME->getMemberDecl());
      E = ME->getBase();
    } else if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
      E = ASE->getBase();
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
      if (Op->getNumArgs() == 0)
        return nullptr;
      E = Op->getArg(0);
    } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      E = MC->getImplicitObjectArgument();
    } else if (const auto *U = dyn_cast<UnaryOperator>(E)) {
      E = U->getSubExpr();
    } else if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      if (!BO->isAdditiveOp())
        return nullptr;
      E = BO->getLHS()->getType()->isPointerType() ? BO->getLHS()
                                                    : BO->getRHS();
    } else {
      return nullptr;
    }
  }
  return nullptr;
}

} // namespace

bool isAccessor(const CXXMethodDecl *Method) {
  if (Method->getOverloadedOperator() == OO_Subscript)
    return true;
  if (!Method->getIdentifier())
    return false;
  // A user's method is judged by its body (leavesObjectUnchanged), whatever
  // its name: `double at(double v) { ++calls; ... }` writes its object.
  if (Method->hasBody() &&
      !Method->getASTContext().getSourceManager().isInSystemHeader(
          Method->getLocation()))
    return false;
  return llvm::is_contained(
      std::initializer_list<StringRef>{"at", "data", "begin", "end", "front",
                                       "back", "rbegin", "rend", "size",
                                       "empty"},
      Method->getName());
}

bool FunctionDifferentiator::checkMemberWrites(const Stmt *Body) {
  const auto *Method = dyn_cast<CXXMethodDecl>(Request.Function);
  if (!Method || !Method->isInstance())
    return true;
  bool Ok = true;
  auto Check = [&](const Stmt *Where, const Expr *Target) {
    const FieldDecl *Field = thisMember(Target);
    if (!Ok || !Field || isDerivativeFree(Field->getType()))
      return;
    unsupported(Where,
                "writing the data member '" + Field->getNameAsString() +
                    "' of the object",
                "a differentiated member function reads its object's data "
                "members as constants; write to a local or an output "
                "parameter");
    Ok = false;
  };
  forEachStmt(Body, [&](const Stmt *S) {
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->isAssignmentOp())
        Check(BO, BO->getLHS());
    } else if (const auto *U = dyn_cast<UnaryOperator>(S)) {
      if (U->isIncrementDecrementOp())
        Check(U, U->getSubExpr());
    } else if (const auto *Call = dyn_cast<CallExpr>(S)) {
      // The object of a call on this itself is checked in its pullback.
      for (const Expr *Arg : writtenArgs(Call))
        Check(Arg, Arg);
    }
  });
  return Ok;
}

} // namespace adjoint
