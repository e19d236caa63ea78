//===- DiffClass.cpp - Classes of reals: constructors, temporaries --------===//
//
// A class with constructors and methods whose data are public reals (and
// integers, and such classes) is a struct of reals (DiffStruct.cpp): its
// adjoint is an object of the same class, zeroed as bytes. This file follows
// values through what such classes add:
// - a construction `V3(a, b, c)` passes the adjoint of each field to the
//   constructor argument that initializes it. Only constructors whose every
//   member is initialized from a parameter or from constants (in the
//   initializer list, or by `field = parameter;` in the body) are followed;
//   any other constructor is an error at the construction;
// - `e.x` of a temporary or a call's result gives e the adjoint whose field
//   x is the adjoint of `e.x`;
// - data members that are not public are reached from outside the class
//   through static members adjoint adds to it (`V3::_adjoint_add(_d_a, _r0)`,
//   `V3::_adjoint_x(_r1)`);
// - a const method called on a differentiated object gets a pullback that is
//   a member of the class taking the object's adjoint (`a.dot_pullback_this(b,
//   _d_return, _d_a, _d_b)`); in it, `x` has the adjoint `_d_this.x`.
//
//===----------------------------------------------------------------------===//

#include "ClangCompat.h"
#include "FunctionDifferentiator.h"

#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace adjoint {

namespace {
/// \p E without parentheses, value conversions between reals and copies.
const Expr *stripConversions(const Expr *E) {
  for (;;) {
    E = E->IgnoreParens();
    if (const auto *Cast = dyn_cast<ImplicitCastExpr>(E)) {
      switch (Cast->getCastKind()) {
      case CK_LValueToRValue:
      case CK_NoOp:
      case CK_FloatingCast:
        E = Cast->getSubExpr();
        continue;
      default:
        return E;
      }
    }
    const Expr *Next = Activity::stripCopies(E);
    if (Next == E)
      return E;
    E = Next;
  }
}

/// The parameter of \p Ctor that \p E is (after conversions), or null.
const ParmVarDecl *parameterOf(const CXXConstructorDecl *Ctor, const Expr *E) {
  const auto *Ref = dyn_cast<DeclRefExpr>(stripConversions(E));
  const auto *P = Ref ? dyn_cast<ParmVarDecl>(Ref->getDecl()) : nullptr;
  return P && llvm::is_contained(Ctor->parameters(), P) ? P : nullptr;
}

/// Whether \p E mentions a parameter of \p Ctor that may carry derivatives.
bool mentionsRealParameter(const CXXConstructorDecl *Ctor, const Stmt *E) {
  if (!E)
    return false;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    if (const auto *P = dyn_cast<ParmVarDecl>(Ref->getDecl()))
      return llvm::is_contained(Ctor->parameters(), P) &&
             !isDerivativeFree(P->getType());
  for (const Stmt *Child : E->children())
    if (mentionsRealParameter(Ctor, Child))
      return true;
  return false;
}

/// The field `x` or `this->x` assigned by \p S, a statement `x = e;` of a
/// constructor's body, or null.
const FieldDecl *assignedField(const Stmt *S, const Expr *&Value) {
  const auto *BO = dyn_cast<BinaryOperator>(S);
  if (!BO || BO->getOpcode() != BO_Assign)
    return nullptr;
  const auto *ME = dyn_cast<MemberExpr>(BO->getLHS()->IgnoreParenImpCasts());
  if (!ME || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return nullptr;
  Value = BO->getRHS();
  return dyn_cast<FieldDecl>(ME->getMemberDecl());
}
} // namespace

void FunctionDifferentiator::diffConstruct(const CXXConstructExpr *Construct,
                                           const std::string &Adj,
                                           CodeBlock &Out) {
  const CXXConstructorDecl *Ctor = Construct->getConstructor();
  QualType T = Construct->getType();
  if (Ctor->isCopyOrMoveConstructor() && Construct->getNumArgs() == 1 &&
      isRealStruct(T))
    return diffExpr(Construct->getArg(0), Adj, Out);
  std::string Class = typeName(T.getUnqualifiedType());
  if (!isRealStruct(T)) {
    std::string Problem = structProblem(T);
    return unsupported(
        Construct, "constructing a '" + Class + "' from differentiated values",
        "use a struct of doubles" +
            (Problem.empty() ? std::string() : " (" + Problem + ")") +
            ", a C array or scalar locals");
  }
  const FunctionDecl *Body = nullptr;
  if (!Ctor->isDefaulted() && !Ctor->hasBody(Body))
    return unsupported(Construct,
                       "the constructor of '" + Class +
                           "' called here (its body is not visible)",
                       "define it in the class or before this function");
  const auto *Def = Body ? cast<CXXConstructorDecl>(Body) : Ctor;
  // What initializes each field: a parameter, or nothing with derivatives.
  llvm::DenseMap<const FieldDecl *, const ParmVarDecl *> Source;
  auto Refuse = [&](const std::string &Why) {
    unsupported(Construct,
                "the constructor of '" + Class + "' called here, which " + Why,
                "initialize each member from a constructor parameter or a "
                "constant ('V3(double a, double b) : x(a), y(b) {}'), or "
                "build the object with a free function");
  };
  for (const CXXCtorInitializer *Init : Def->inits()) {
    if (!Init->isMemberInitializer())
      return Refuse("delegates or initializes a base");
    const FieldDecl *F = Init->getMember();
    if (const ParmVarDecl *P = parameterOf(Def, Init->getInit()))
      Source[F] = P;
    else if (mentionsRealParameter(Def, Init->getInit()))
      return Refuse("computes member '" + F->getNameAsString() +
                    "' from its parameters");
  }
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(Def->getBody()))
    for (const Stmt *S : CS->body()) {
      const Expr *Value = nullptr;
      const FieldDecl *F = assignedField(S, Value);
      if (!F)
        return Refuse("has statements other than 'member = parameter;'");
      Source.erase(F);
      if (const ParmVarDecl *P = parameterOf(Def, Value))
        Source[F] = P;
      else if (mentionsRealParameter(Def, Value))
        return Refuse("computes member '" + F->getNameAsString() +
                      "' from its parameters");
    }
  for (const ParmVarDecl *P : Def->parameters()) {
    QualType PT = P->getType();
    if (isDerivativeFree(PT))
      continue;
    bool ByValue = !PT->isReferenceType() && !PT->isPointerType();
    bool ByConstRef = PT->isLValueReferenceType() &&
                      PT.getNonReferenceType().isConstQualified();
    if (!(isReal(PT) || isRealStruct(PT)) || !(ByValue || ByConstRef))
      return Refuse("takes '" + P->getNameAsString() + "' of type '" +
                    typeName(PT) + "'");
  }
  // Data members that are not public are read through the class's helper.
  bool Hidden = hasHiddenFields(T);
  if (Hidden && !Services.classHelpers(Def->getParent(), Construct))
    return;
  std::string A = bind(Adj, T, Out);
  for (const FieldDecl *F : Def->getParent()->fields()) {
    const ParmVarDecl *P = Source.lookup(F);
    if (!P || !(isReal(F->getType()) || isRealStruct(F->getType())))
      continue;
    unsigned Index = P->getFunctionScopeIndex();
    std::string Field = Hidden ? typeName(tagType(Ctx, Def->getParent())) +
                                     "::_adjoint_" + F->getNameAsString() +
                                     "(" + A + ")"
                               : A + "." + F->getNameAsString();
    if (Index < Construct->getNumArgs())
      diffExpr(Construct->getArg(Index), Field, Out);
  }
}

void FunctionDifferentiator::diffMemberOfValue(const MemberExpr *ME,
                                               const std::string &Adj,
                                               CodeBlock &Out) {
  // The adjoint of the whole value: zero but in the field read.
  const Expr *Base = ME->getBase();
  std::string R = fresh("_r");
  Out.line(adjointDecl(Base->getType(), R));
  accumulate(R + "." + ME->getMemberDecl()->getNameAsString(), Adj,
             ME->getType(), Out);
  diffExpr(Base, R, Out);
}

std::string FunctionDifferentiator::objectAdjoint(const Expr *Object) {
  if (isa<CXXThisExpr>(Object->IgnoreParenImpCasts())) // this->f(), f()
    return ThisObject ? adjointOf(ThisObject) : "";
  if (Object->getType()->isPointerType()) { // p->f()
    std::string P = adjointPointer(Object);
    return P.empty() ? "" : "*" + paren(P);
  }
  return adjointLValue(Object);
}

std::string FunctionDifferentiator::stateInit(QualType T) const {
  T = T.getNonReferenceType().getUnqualifiedType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition() || !isRealStruct(T) ||
      RD->getDefinition()->hasDefaultConstructor())
    return "";
  return structZero(T);
}

CodeBlock
FunctionDifferentiator::structArrayZero(QualType T,
                                        const std::string &Name) const {
  CodeBlock Out;
  QualType Element = Ctx.getBaseElementType(T).getUnqualifiedType();
  const auto *RD = Element->getAsCXXRecordDecl()->getDefinition();
  const auto *Array = Ctx.getAsConstantArrayType(T);
  if (RD->hasDefaultConstructor() || !Array ||
      Array->getElementType()->isArrayType()) {
    Out.line(declaration(T, Name) + ";");
  } else {
    // Without a default constructor each element needs an initializer (as
    // the primal's braced list has).
    std::string Zeros;
    for (uint64_t K = 0; K < Array->getSize().getZExtValue(); ++K)
      Zeros += (K ? ", " : "") + structZero(Element);
    Out.line(declaration(T, Name) + " = {" + Zeros + "};");
    return Out;
  }
  // Zero bytes: an element's default member initializers must not leak in.
  Out.line("::adjoint::detail::zero_fill(" + Name + ");");
  return Out;
}

} // namespace adjoint
