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
#include "analysis/AccessPath.h"

#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/MapVector.h"

using namespace clang;

namespace adjoint {

namespace {
/// The data member of this object whose storage \p E designates (`w`,
/// `w[i]`, `w.data() + k`, `&w[i]`, `p.x` of a member p), or null.
const FieldDecl *thisMember(const Expr *E) {
  const FieldDecl *Member = nullptr;
  accessRoot(E, [&](const AccessStep &Step) {
    if ((Step.Kind == AccessStep::Field ||
         Step.Kind == AccessStep::ArrowField) &&
        isa<CXXThisExpr>(Step.Operand)) {
      Member =
          dyn_cast<FieldDecl>(cast<MemberExpr>(Step.Access)->getMemberDecl());
      return false;
    }
    return true;
  });
  return Member;
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
  // Each member the body writes, where it first does and how often.
  llvm::MapVector<const FieldDecl *, std::pair<const Stmt *, unsigned>> Writes;
  auto Note = [&](const Stmt *Where, const Expr *Target) {
    if (const FieldDecl *Field = thisMember(Target)) {
      auto &[First, Count] = Writes[Field];
      if (!First)
        First = Where;
      ++Count;
    }
  };
  llvm::DenseMap<const FieldDecl *, unsigned> Uses;
  forEachStmt(Body, [&](const Stmt *S) {
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->isAssignmentOp())
        Note(BO, BO->getLHS());
    } else if (const auto *U = dyn_cast<UnaryOperator>(S)) {
      if (U->isIncrementDecrementOp())
        Note(U, U->getSubExpr());
    } else if (const auto *Call = dyn_cast<CallExpr>(S)) {
      // The object of a call on this itself is checked in its pullback.
      for (const Expr *Arg : writtenArgs(Call))
        Note(Arg, Arg);
    } else if (const auto *ME = dyn_cast<MemberExpr>(S)) {
      if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
        if (const auto *Field = dyn_cast<FieldDecl>(ME->getMemberDecl()))
          ++Uses[Field];
    }
  });
  for (const auto &[Field, Write] : Writes) {
    // An integer member may change (a call counter) while nothing else
    // reads it; a value the function reads back would be its last one in
    // the reverse sweep.
    if (isDerivativeFree(Field->getType()) &&
        Uses.lookup(Field) == Write.second)
      continue;
    unsupported(Write.first,
                "writing the data member '" + Field->getNameAsString() +
                    "' of the object",
                isDerivativeFree(Field->getType())
                    ? "the function also reads it, and the reverse sweep "
                      "would read its last value; keep the count in a local "
                      "and store it at the end"
                    : "a differentiated member function reads its object's "
                      "data members as constants; write to a local or an "
                      "output parameter");
    return false;
  }
  return true;
}

} // namespace adjoint
