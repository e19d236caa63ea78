//===- AccessPath.cpp - From an access expression to its storage ----------===//

#include "AccessPath.h"

#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace adjoint {

namespace {
/// The pointer operand and the offset of `p + k`, `k + p` or `p - k`.
std::optional<AccessStep> offsetStep(const BinaryOperator *BO) {
  if (!BO->isAdditiveOp() || !BO->getType()->isPointerType())
    return std::nullopt;
  const Expr *LHS = BO->getLHS()->IgnoreParenImpCasts();
  const Expr *RHS = BO->getRHS()->IgnoreParenImpCasts();
  bool LeftPointer =
      BO->getLHS()->getType()->isPointerType() || LHS->getType()->isArrayType();
  if (BO->getOpcode() == BO_Sub && !LeftPointer)
    return std::nullopt;
  return AccessStep{AccessStep::Offset, LeftPointer ? LHS : RHS,
                    LeftPointer ? RHS : LHS, BO};
}
} // namespace

std::optional<AccessStep> accessStep(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E))
    return AccessStep{AccessStep::Element,
                      ASE->getBase()->IgnoreParenImpCasts(), ASE->getIdx(), E};
  if (const auto *U = dyn_cast<UnaryOperator>(E)) {
    const Expr *Sub = U->getSubExpr()->IgnoreParenImpCasts();
    if (U->getOpcode() == UO_AddrOf)
      return AccessStep{AccessStep::AddressOf, Sub, nullptr, E};
    if (U->getOpcode() != UO_Deref)
      return std::nullopt;
    if (const auto *BO = dyn_cast<BinaryOperator>(Sub))
      if (std::optional<AccessStep> Offset = offsetStep(BO);
          Offset && BO->getOpcode() == BO_Add)
        return AccessStep{AccessStep::Element, Offset->Operand, Offset->Index,
                          E};
    return AccessStep{AccessStep::Deref, Sub, nullptr, E};
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E))
    return offsetStep(BO);
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return AccessStep{ME->isArrow() ? AccessStep::ArrowField
                                    : AccessStep::Field,
                      ME->getBase()->IgnoreParenImpCasts(), nullptr, E};
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
    if (Op->getNumArgs() == 0)
      return std::nullopt;
    if (Op->getOperator() == OO_Subscript && Op->getNumArgs() == 2)
      return AccessStep{AccessStep::Element,
                        Op->getArg(0)->IgnoreParenImpCasts(), Op->getArg(1), E};
    return AccessStep{AccessStep::Operator,
                      Op->getArg(0)->IgnoreParenImpCasts(), nullptr, E};
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    if (const Expr *Object = MC->getImplicitObjectArgument())
      return AccessStep{AccessStep::MethodCall, Object->IgnoreParenImpCasts(),
                        nullptr, E};
  return std::nullopt;
}

const Expr *accessRoot(const Expr *E,
                       llvm::function_ref<bool(const AccessStep &)> Follow) {
  E = E->IgnoreParenImpCasts();
  while (std::optional<AccessStep> Step = accessStep(E)) {
    if (!Follow(*Step))
      break;
    E = Step->Operand;
  }
  return E;
}

const VarDecl *namedVariable(const Expr *E) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  return DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
}

bool isWriteStep(const AccessStep &Step) {
  switch (Step.Kind) {
  case AccessStep::Element:
  case AccessStep::Deref:
  case AccessStep::Offset:
  case AccessStep::Field:
    return true;
  default:
    return false;
  }
}

} // namespace adjoint
