//===- DiffStruct.cpp - Structs of doubles --------------------------------===//
//
// A struct of reals (an aggregate without bases whose fields are float or
// double, integers, enums or such structs) is differentiated field by field:
// its adjoint has the same type, the real fields hold the adjoints of the
// real fields, and the other fields are unused. `s.a` has the adjoint
// `_d_s.a`; adding a whole struct adjoint adds each real field.
//
//===----------------------------------------------------------------------===//

#include "ClangCompat.h"
#include "FunctionDifferentiator.h"

#include "clang/AST/ExprCXX.h"

#include <functional>

using namespace clang;

namespace adjoint {

namespace {
const CXXRecordDecl *recordOf(QualType T) {
  return T.getNonReferenceType()->getAsCXXRecordDecl();
}

/// \p L as the object of a member access: `*p` needs parentheses.
std::string objectOf(const std::string &L) {
  return !L.empty() && L[0] == '*' ? "(" + L + ")" : L;
}

/// Whether field type \p T may appear in a struct of reals; \p HasReal is
/// set when it holds a real.
bool fieldAllowed(QualType T, bool &HasReal) {
  if (isReal(T)) {
    HasReal = true;
    return true;
  }
  if (T->isReferenceType())
    return false;
  if (T->isIntegralOrEnumerationType())
    return true;
  if (isRealStruct(T)) {
    HasReal = true;
    return true;
  }
  return false;
}
} // namespace

std::string structProblem(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD || isTensor(T) || isRealVector(T))
    return "";
  // `typedef struct { ... } Net;` is named by its typedef.
  const NamedDecl *Named = RD;
  if (RD->getName().empty())
    if (const TypedefNameDecl *Typedef = RD->getTypedefNameForAnonDecl())
      Named = Typedef;
  std::string Name = "'" + Named->getNameAsString() + "'";
  if (!RD->hasDefinition())
    return Name + " is incomplete";
  RD = RD->getDefinition();
  if (RD->isUnion())
    return Name + " is a union";
  if (RD->getNumBases() || RD->getNumVBases())
    return Name + " has base classes";
  if (RD->isLambda())
    return Name + " is a lambda";
  if (RD->isPolymorphic())
    return Name + " has virtual functions";
  // A class with constructors is a struct of reals when its values are its
  // fields' bytes: copies copy the fields, and constructors are followed
  // where they are called (DiffClass.cpp).
  if (!RD->isAggregate() && !RD->isTriviallyCopyable())
    return Name + " has a user-defined copy, move or destructor";
  bool HasReal = false;
  for (const FieldDecl *F : RD->fields()) {
    if (F->isAnonymousStructOrUnion())
      return Name + " has an anonymous struct or union member";
    if (F->getType().isConstQualified())
      return "member '" + F->getNameAsString() + "' of " + Name + " is const";
    if (!fieldAllowed(F->getType(), HasReal))
      return "member '" + F->getNameAsString() + "' of " + Name +
             " has type '" + F->getType().getAsString() +
             "', which is not float, double, an integer or a struct of those";
  }
  if (!HasReal)
    return Name + " has no float or double member";
  return "";
}

bool hasHiddenFields(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  return RD && RD->hasDefinition() &&
         llvm::any_of(RD->getDefinition()->fields(), [](const FieldDecl *F) {
           return F->getAccess() != AS_public;
         });
}

bool isRealStruct(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  return RD && !isTensor(T) && !isRealVector(T) && structProblem(T).empty();
}

std::string FunctionDifferentiator::structZero(QualType T) const {
  // A class with constructors is zeroed as bytes: its constructors may do
  // anything with the values they are given.
  if (!recordOf(T)->getDefinition()->isAggregate())
    return "::adjoint::detail::zero_object<" +
           typeName(T.getNonReferenceType().getUnqualifiedType()) + ">()";
  // Every field is spelled out: default member initializers must not leak
  // into an adjoint.
  std::function<std::string(QualType)> Braces = [&](QualType S) {
    std::string Fields;
    for (const FieldDecl *F : recordOf(S)->getDefinition()->fields()) {
      if ((F->isBitField() && !F->getDeclName()))
        continue;
      QualType FT = F->getType();
      Fields +=
          (Fields.empty() ? "" : ", ") +
          (isReal(FT)                                     ? "0"
           : !isRealStruct(FT)                            ? "{}"
           : recordOf(FT)->getDefinition()->isAggregate() ? Braces(FT)
                                                          : structZero(FT));
    }
    return "{" + Fields + "}";
  };
  return typeName(T.getNonReferenceType().getUnqualifiedType()) + Braces(T);
}

void FunctionDifferentiator::accumulateStruct(const std::string &L,
                                              const std::string &Adj,
                                              QualType T, CodeBlock &Out) {
  std::string A = bind(Adj, T, Out);
  if (hasHiddenFields(T)) {
    // Outside the class only its own static member reaches the fields.
    if (Services.classHelpers(recordOf(T)->getDefinition(), nullptr))
      Out.line(typeName(tagType(Ctx, recordOf(T)->getDefinition())) +
               "::_adjoint_add(" + L + ", " + A + ");");
    return;
  }
  for (const FieldDecl *F : recordOf(T)->getDefinition()->fields()) {
    std::string Field = "." + F->getNameAsString();
    if (isReal(F->getType()))
      Out.line(objectOf(L) + Field + " += " + A + Field + ";");
    else if (isRealStruct(F->getType()))
      accumulateStruct(objectOf(L) + Field, A + Field, F->getType(), Out);
  }
}

std::string FunctionDifferentiator::memberAdjoint(const MemberExpr *ME) {
  if (!isa<FieldDecl>(ME->getMemberDecl()))
    return "";
  // `x` and `this->x` in a method of a differentiated object.
  if (ME->isArrow() && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return ThisObject ? adjointOf(ThisObject) + "." +
                            ME->getMemberDecl()->getNameAsString()
                      : "";
  if (ME->isArrow())
    return "";
  std::string Base = adjointLValue(ME->getBase());
  return Base.empty()
             ? ""
             : objectOf(Base) + "." + ME->getMemberDecl()->getNameAsString();
}

void FunctionDifferentiator::diffStructInit(const InitListExpr *List,
                                            const std::string &Adj,
                                            CodeBlock &Out) {
  std::string A = bind(Adj, List->getType(), Out);
  unsigned K = 0;
  for (const FieldDecl *F :
       recordOf(List->getType())->getDefinition()->fields()) {
    if ((F->isBitField() && !F->getDeclName()))
      continue;
    if (K >= List->getNumInits())
      break;
    const Expr *Init = List->getInit(K++);
    if (isReal(F->getType()) || isRealStruct(F->getType()))
      diffExpr(Init, A + "." + F->getNameAsString(), Out);
  }
}

const VarDecl *FunctionDifferentiator::structVar(const Expr *E) const {
  E = E->IgnoreParenImpCasts();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return ME->isArrow() ? nullptr : structVar(ME->getBase());
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
      return isRealStruct(V->getType()) ? V : nullptr;
  return nullptr;
}

bool FunctionDifferentiator::checkStructParams() {
  bool Ok = true;
  for (const ParmVarDecl *P : Request.Wrt) {
    QualType T = P->getType();
    if (!isRealStruct(T))
      continue;
    std::string Where = "'" + P->getNameAsString() + "' of type '" +
                        typeName(T) + "' in '" +
                        Request.Function->getNameAsString() + "'";
    if (T->isReferenceType() && (!T->isLValueReferenceType() ||
                                 !T.getNonReferenceType().isConstQualified())) {
      Diags.error(P->getLocation(),
                  "adjoint: cannot differentiate with respect to " + Where +
                      ": pass the struct by const reference (results go "
                      "through the return value or 'double*' parameters)");
      Ok = false;
    } else if (!T->isReferenceType() && Act.isWritten(P)) {
      Diags.error(P->getLocation(),
                  "adjoint: cannot differentiate with respect to " + Where +
                      ", which the function assigns: copy it into a local "
                      "struct and modify the copy");
      Ok = false;
    }
  }
  return Ok;
}

bool FunctionDifferentiator::checkStructUses(const Stmt *S) {
  if (!S)
    return true;
  bool Ok = true;
  auto Active = [&](const Expr *E) {
    const VarDecl *V = structVar(E);
    return V && isActiveVar(V) ? V : nullptr;
  };
  // Methods that leave the object unchanged (const, or writing no member:
  // ObjectWrites.cpp) are differentiated with the object's adjoint
  // (DiffClass.cpp); others could change the object behind the analysis.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    const Expr *Object = MC->getImplicitObjectArgument();
    const VarDecl *V = Active(Object);
    bool Temporary =
        !V && Object && isRealStruct(Object->getType()) && isActiveExpr(Object);
    if ((V || Temporary) && !(MD && leavesObjectUnchanged(MD))) {
      unsupported(
          MC,
          "a call of the member function '" +
              (MD ? MD->getNameAsString() : std::string("?")) +
              "', which may write the data members of the differentiated " +
              (V ? "struct '" + info(V).Name + "'" : std::string("temporary")),
          "make it a member function that only reads the object and "
          "returns its result, or a free function that takes the struct "
          "by const reference");
      Ok = false;
    }
  } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S)) {
    const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Op->getDirectCallee());
    bool ImplicitAssign = MD && MD->isImplicit() &&
                          (MD->isCopyAssignmentOperator() ||
                           MD->isMoveAssignmentOperator());
    if (MD && !ImplicitAssign && !leavesObjectUnchanged(MD) &&
        Op->getNumArgs() > 0)
      if (const VarDecl *V = Active(Op->getArg(0))) {
        unsupported(Op,
                    "the non-const member operator '" + MD->getNameAsString() +
                        "' of the differentiated struct '" + info(V).Name + "'",
                    "make it a const operator that returns its result (write "
                    "'p = p + q' for 'p += q'), or use the fields");
        Ok = false;
      }
  } else if (const auto *U = dyn_cast<UnaryOperator>(S)) {
    // A pointer to a struct carries no adjoint, so any struct the gradient
    // may flow through (a local or a differentiated parameter) is refused.
    const VarDecl *V = U->getOpcode() == UO_AddrOf
                           ? structVar(U->getSubExpr())
                           : nullptr;
    if (V && isRealStruct(U->getSubExpr()->getType()) &&
        (!isa<ParmVarDecl>(V) || llvm::is_contained(Request.Wrt, V))) {
      unsupported(U,
                  "taking the address of the struct '" + info(V).Name + "'",
                  "pass the struct by const reference");
      Ok = false;
    }
  }
  if (const auto *Call = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *FD = Call->getDirectCallee()) {
      unsigned Shift = isa<CXXOperatorCallExpr>(Call) &&
                               isa<CXXMethodDecl>(FD)
                           ? 1
                           : 0;
      for (unsigned I = Shift; I < Call->getNumArgs(); ++I) {
        if (I - Shift >= FD->getNumParams())
          break;
        QualType PT = FD->getParamDecl(I - Shift)->getType();
        bool Writable = PT->isReferenceType() &&
                        !PT.getNonReferenceType().isConstQualified();
        const Expr *Arg = Call->getArg(I);
        if (!Writable || !isRealStruct(Arg->getType()))
          continue;
        if (const VarDecl *V = Active(Arg)) {
          unsupported(Arg,
                      "passing the differentiated struct '" + info(V).Name +
                          "' by non-const reference",
                      "pass it by const reference and return the result, "
                      "or write outputs through 'double*' parameters");
          Ok = false;
        }
      }
    }
  for (const Stmt *Child : S->children())
    Ok &= checkStructUses(Child);
  return Ok;
}

} // namespace adjoint
