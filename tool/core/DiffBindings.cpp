//===- DiffBindings.cpp - Structured bindings -----------------------------===//
//
// `auto [a, b] = e;` declares a hidden variable holding e and names its
// elements. The names are BindingDecls, not variables: the activity analysis
// follows no flow from the hidden variable to them, so differentiating code
// that reads them would drop the dependency and give a zero gradient. A
// structured binding of values that may carry derivatives is therefore a
// located error whose hint spells the copies to write instead; one of
// derivative-free values (indices, flags) is kept as the user wrote it.
//
//===----------------------------------------------------------------------===//
#include "FunctionDifferentiator.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace adjoint {

namespace {
/// `[a, b]`, the names \p Bindings declares.
std::string bindingList(const DecompositionDecl *Bindings) {
  std::string Out = "[";
  for (const BindingDecl *B : Bindings->bindings())
    Out += (Out.size() > 1 ? ", " : "") + B->getNameAsString();
  return Out + "]";
}
} // namespace

bool FunctionDifferentiator::checkStructuredBinding(
    const Stmt *At, const DecompositionDecl *Bindings, bool TopLevel) {
  bool Free = isDerivativeFree(Bindings->getType());
  for (const BindingDecl *B : Bindings->bindings())
    Free &= isDerivativeFree(B->getType());
  if (!Free) {
    rejectStructuredBinding(At, Bindings);
    return false;
  }
  // The reverse sweep may read the names (as indices). It sees them as the
  // forward sweep left them only when nothing can change them afterwards: a
  // const copy, declared where it stays in scope (the function's own body;
  // a split callee's reverse function is another function).
  QualType T = Bindings->getType();
  if (TopLevel && !T->isReferenceType() && T.isConstQualified() &&
      Request.Mode != DiffMode::Split) {
    if (!KeptBinding)
      KeptBinding = Bindings;
    return true;
  }
  unsupported(At,
              "a structured binding '" + bindingList(Bindings) +
                  "' that is not a const copy at the function's top level",
              "write 'const auto " + bindingList(Bindings) +
                  " = ...;' at the top level, or copy the values into locals");
  return false;
}

void FunctionDifferentiator::rejectStructuredBinding(
    const Stmt *At, const DecompositionDecl *Bindings) {
  QualType Whole =
      Bindings->getType().getNonReferenceType().getUnqualifiedType();
  const BindingDecl *First = Bindings->bindings().front();
  std::string Name = First->getNameAsString();
  std::string Type =
      typeName(First->getType().getNonReferenceType().getUnqualifiedType());
  // The element the first name stands for, read from a local `r`.
  std::string Element;
  if (First->getHoldingVar()) {
    // std::tuple, std::pair: adjoint models neither as a differentiated type.
    Element = "";
  } else if (const Expr *E = First->getBinding()) {
    E = E->IgnoreParenImpCasts();
    if (const auto *Member = dyn_cast<MemberExpr>(E))
      Element = "r." + Member->getMemberDecl()->getNameAsString();
    else if (isa<ArraySubscriptExpr>(E))
      Element = "r[0]";
  }
  std::string What = "a structured binding '" + bindingList(Bindings) +
                     "' of type '" + typeName(Whole) + "'";
  std::string Hint;
  if (isa<CXXForRangeStmt>(At))
    Hint = "write an index loop and copy the " +
           std::string(Whole->isArrayType() ? "elements" : "members") +
           " of element i into locals";
  else if (Element.empty())
    Hint = "return a struct of doubles instead of '" + typeName(Whole) +
           "' and copy its members into locals ('" + Type + " " + Name +
           " = r." + Name + ";')";
  else if (Whole->isArrayType())
    Hint = "copy the elements into locals instead ('" + Type + " " + Name +
           " = v[0];' for an array v)";
  else
    Hint = "copy the members into locals instead ('" + typeName(Whole) +
           " r = ...; " + Type + " " + Name + " = " + Element + ";')";
  unsupported(At, What, Hint);
}

} // namespace adjoint
