//===- DiffClass.cpp - Classes of reals: constructors, temporaries --------===//
//
// A class with constructors and methods whose data are public reals (and
// integers, and such classes) is a struct of reals (DiffStruct.cpp): its
// adjoint is an object of the same class, zeroed as bytes. This file follows
// values through what such classes add:
// - a construction `V3(a, b, c)` passes the adjoint of each field to the
//   constructor argument that initializes it, when every member is
//   initialized from a parameter or from constants (in the initializer list,
//   or by `field = parameter;` in the body); a constructor that computes
//   members is replayed at the construction (DiffConstructor.cpp);
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
    // `o(std::move(o_))` initializes from the parameter itself.
    if (const auto *Call = dyn_cast<CallExpr>(E))
      if (const FunctionDecl *F = Call->getDirectCallee())
        if (Call->getNumArgs() == 1 && F->isInStdNamespace() &&
            F->getDeclName().isIdentifier() &&
            (F->getName() == "move" || F->getName() == "forward")) {
          E = Call->getArg(0);
          continue;
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

/// Whether the value \p E in \p Ctor may depend on what the construction
/// passes: it mentions a parameter that may carry derivatives, or a member
/// (which an earlier initializer may have computed from one).
bool readsArgumentsOrMembers(const CXXConstructorDecl *Ctor, const Stmt *E) {
  if (!E)
    return false;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    if (const auto *P = dyn_cast<ParmVarDecl>(Ref->getDecl()))
      return llvm::is_contained(Ctor->parameters(), P) &&
             !isDerivativeFree(P->getType());
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
      return true;
  for (const Stmt *Child : E->children())
    if (readsArgumentsOrMembers(Ctor, Child))
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
  // A constructor that computes a field is replayed (DiffConstructor.cpp).
  llvm::DenseMap<const FieldDecl *, const ParmVarDecl *> Source;
  auto Refuse = [&](const std::string &Why) {
    unsupported(Construct,
                "the constructor of '" + Class + "' called here, which " + Why,
                "initialize each member from an expression of the "
                "constructor's parameters ('V3(double a, double b) : x(a), "
                "y(a * b) {}'), or build the object with a free function");
  };
  bool Computes = false;
  for (const CXXCtorInitializer *Init : Def->inits()) {
    if (!Init->isMemberInitializer())
      return Refuse("delegates or initializes a base");
    const FieldDecl *F = Init->getMember();
    if (const ParmVarDecl *P = parameterOf(Def, Init->getInit()))
      Source[F] = P;
    else if (readsArgumentsOrMembers(Def, Init->getInit()))
      Computes = true;
  }
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(Def->getBody()))
    for (const Stmt *S : CS->body()) {
      const Expr *Value = nullptr;
      const FieldDecl *F = assignedField(S, Value);
      if (!F) {
        Computes = true;
        break;
      }
      Source.erase(F);
      if (const ParmVarDecl *P = parameterOf(Def, Value))
        Source[F] = P;
      else if (readsArgumentsOrMembers(Def, Value))
        Computes = true;
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
  if (Computes) {
    if (std::optional<std::string> Why =
            replayConstructor(Construct, Def, A, Hidden, Out))
      Refuse(*Why);
    return;
  }
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
