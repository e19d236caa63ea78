//===- HessianSweep.cpp - f_hvp and f_hessian, forward over reverse -------===//
//
// H·v from one run of f's reverse sweep over Dual<R> values: the inputs carry
// v in their tangents, so the gradient's tangents are H·v (forward over
// reverse). The sweep is f's ordinary Vjp generated with every real value
// spelled `::adjoint::Dual<R>` (DiffRequest::RealType); a listed pointer
// input is passed as a view pairing its values with the direction
// (adjoint::detail::DualPointer) and its gradient as a view adding the
// tangents into hv (adjoint::detail::TangentSink), so nothing is copied and
// no extent is needed. One run costs a constant multiple of f, whatever the
// number of inputs; f_hessian makes one run per listed scalar.
//
// A call of a user function is differentiated through the callee's pullback
// generated over Duals as well (NAME_hvp_pullback, a template over the views
// of its pointer parameters). Functions the sweep cannot take over Duals
// (members and templates, conversions that would drop a tangent, pointer
// locals...) keep the forward-over-forward wrappers of TangentWrappers.cpp.
//
//===----------------------------------------------------------------------===//

#include "Tangent.h"

#include "DiffRequest.h"
#include "FunctionDifferentiator.h"
#include "SourceText.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/AST/TypeLoc.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"

#include <functional>

using namespace clang;

namespace adjoint {
namespace {

std::string paramName(const ParmVarDecl *P) {
  return P->getName().empty()
             ? "_p" + std::to_string(P->getFunctionScopeIndex())
             : P->getNameAsString();
}

bool isRealPtr(QualType T) {
  return T->isPointerType() && isReal(T->getPointeeType());
}

bool isIntegral(QualType T) {
  T = T.getNonReferenceType().getCanonicalType();
  return T->isIntegralOrEnumerationType();
}

/// The <cmath> functions with Dual overloads (adjoint/dual.h), with their C
/// float and long double spellings.
bool hasDualOverload(StringRef Name) {
  static const llvm::StringSet<> Names = [] {
    llvm::StringSet<> S;
    for (const char *N :
         {"sin",   "cos",   "tan",  "asin",  "acos",  "atan", "sinh",
          "cosh",  "tanh",  "exp",  "exp2",  "expm1", "log",  "log2",
          "log10", "log1p", "sqrt", "cbrt",  "erf",   "erfc", "fabs",
          "abs",   "floor", "ceil", "round", "trunc", "pow",  "atan2",
          "hypot", "fmin",  "fmax", "fmod"}) {
      S.insert(N);
      S.insert(std::string(N) + "f");
      S.insert(std::string(N) + "l");
    }
    return S;
  }();
  return Names.contains(Name);
}

/// Whether a parameter of type \p T is one the sweep takes over Duals: a
/// real or an integer by value, or a pointer to const reals (a view).
bool sweepableParam(QualType T) {
  bool ConstRealPointer =
      isRealPtr(T) && T->getPointeeType().isConstQualified();
  bool Value = !T->isReferenceType() && (isReal(T) || isIntegral(T));
  return ConstRealPointer || Value;
}

/// Whether the body of f reads the same over Duals as over its reals: every
/// construct keeps the tangent of a Dual or has no real operand. Calls of
/// user functions are followed: their pullbacks are generated over Duals
/// too, so their bodies must read the same.
class DualSafety {
public:
  DualSafety(TangentServices &Services, const FunctionDecl *Caller)
      : Services(Services), Enclosing(Caller) {
    Open.insert(Caller);
  }

  bool stmt(const Stmt *S) {
    if (!S || isCheckpointMarker(S))
      return true;
    if (isa<LambdaExpr>(S) || isa<CXXNewExpr>(S) || isa<CXXDeleteExpr>(S) ||
        isa<CXXThisExpr>(S) || isa<MemberExpr>(S) || isa<CXXThrowExpr>(S) ||
        isa<CXXTryStmt>(S) || isa<GCCAsmStmt>(S) || isa<StmtExpr>(S))
      return false;
    if (const auto *C = dyn_cast<CXXConstructExpr>(S))
      if (!C->getType()->isScalarType())
        return false;
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (!call(Call))
        return false;
    if (const auto *Cast = dyn_cast<ExplicitCastExpr>(S))
      if (isReal(Cast->getType()) &&
          !isIntegral(Cast->getSubExpr()->IgnoreParenImpCasts()->getType()))
        return false; // the Dual's explicit conversion would drop a tangent
    if (const auto *Cast = dyn_cast<ImplicitCastExpr>(S))
      if (Cast->getCastKind() == CK_FloatingToIntegral ||
          Cast->getCastKind() == CK_FloatingToBoolean)
        return false; // no implicit conversion from a Dual
    if (const auto *U = dyn_cast<UnaryOperator>(S))
      if ((U->isIncrementDecrementOp() || U->getOpcode() == UO_LNot) &&
          isReal(U->getSubExpr()->getType()))
        return false;
    if (const auto *U = dyn_cast<UnaryOperator>(S))
      if (U->getOpcode() == UO_AddrOf)
        return false;
    if (const auto *DR = dyn_cast<DeclRefExpr>(S))
      if (const auto *V = dyn_cast<VarDecl>(DR->getDecl()))
        if (!V->isLocalVarDeclOrParm() && !isIntegral(V->getType()) &&
            !V->getType().isConstQualified())
          return false; // a global the sweep would write or mix with Duals
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls()) {
        const auto *V = dyn_cast<VarDecl>(D);
        if (!V || V->isStaticLocal() || !local(V->getType()))
          return false;
      }
    for (const Stmt *Child : S->children())
      if (!stmt(Child))
        return false;
    return true;
  }

private:
  /// A local of a type the sweep spells over Duals (a real or an array of
  /// reals) or leaves alone (integers).
  static bool local(QualType T) {
    if (T->isReferenceType() || T->isPointerType())
      return false;
    if (const auto *A = dyn_cast<ConstantArrayType>(T.getCanonicalType()))
      T = A->getElementType();
    return isReal(T) || isIntegral(T);
  }

  /// A call of a <cmath> function with a Dual overload and a rule, on reals
  /// and integers only, or of a user function (userCall).
  bool call(const CallExpr *Call) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || isa<CXXMethodDecl>(Callee) || !Callee->getIdentifier())
      return false;
    if (!hasDualOverload(Callee->getName()))
      return userCall(Call, Callee);
    for (const Expr *Arg : Call->arguments()) {
      QualType T = Arg->IgnoreParenImpCasts()->getType();
      if (!isReal(T) && !isIntegral(T))
        return false;
    }
    return !Services.ruleFor(Call).empty() ||
           !Services.resultRuleFor(Call).empty();
  }

  /// A call of a function of the user's that the sweep differentiates
  /// through its pullback generated over Duals: a plain function (no
  /// template, no member) defined before its caller, with a real result and
  /// parameters the sweep takes (sweepableParam), without a custom rule
  /// (written for reals), whose body is safe in turn. Recursion is left to
  /// the forward-over-forward wrappers: mutually recursive pullbacks would
  /// call each other before their declarations.
  bool userCall(const CallExpr *Call, const FunctionDecl *Callee) {
    const FunctionDecl *Def = Callee->getDefinition();
    const SourceManager &SM = Callee->getASTContext().getSourceManager();
    if (!Def || !Def->hasBody() || SM.isInSystemHeader(Def->getLocation()) ||
        Def->getBuiltinID() || inAdjointNamespace(Def) ||
        Def->getTemplatedKind() != FunctionDecl::TK_NonTemplate ||
        Def->isVariadic() || !isReal(Def->getReturnType()) ||
        Def->getReturnType()->isReferenceType() ||
        !SM.isBeforeInTranslationUnit(Def->getEndLoc(),
                                      Enclosing->getBeginLoc()) ||
        !Services.ruleFor(Call).empty() ||
        !Services.resultRuleFor(Call).empty() || Open.count(Def))
      return false;
    for (const ParmVarDecl *P : Def->parameters())
      if (!sweepableParam(P->getType()))
        return false;
    for (const Expr *Arg : Call->arguments()) {
      QualType T = Arg->IgnoreParenImpCasts()->getType();
      if (!isReal(T) && !isIntegral(T) && !isRealPtr(T) &&
          !(T->isConstantArrayType() &&
            isReal(QualType(T->getArrayElementTypeNoTypeQual(), 0))))
        return false;
    }
    if (Safe.count(Def))
      return true;
    Open.insert(Def);
    const FunctionDecl *Outer = Enclosing;
    Enclosing = Def;
    bool Ok = stmt(Def->getBody());
    Enclosing = Outer;
    Open.erase(Def);
    if (Ok)
      Safe.insert(Def);
    return Ok;
  }

  TangentServices &Services;
  /// The function whose body is being checked: a callee must be defined
  /// before it, so that its pullback is declared before the caller's.
  const FunctionDecl *Enclosing;
  /// Functions whose bodies are being checked (the caller and the callees
  /// on the way to the current call), and those found safe.
  llvm::SmallPtrSet<const FunctionDecl *, 8> Open, Safe;
};

} // namespace

std::optional<std::string> generateDualPrimal(
    ASTContext &Ctx, const FunctionDecl *Def, const std::string &RealType,
    const std::string &Name,
    const std::function<std::string(const CallExpr *)> &CalleeName,
    std::string &Problem) {
  const SourceManager &SM = Ctx.getSourceManager();
  std::vector<TextReplacement> Replacements;
  // Every real type the body spells (locals, arrays of reals, typedefs of
  // reals) becomes the Dual; `auto` follows its initializer.
  auto RespellLeaf = [&](TypeLoc TL) {
    while (true) {
      if (auto Q = TL.getAs<QualifiedTypeLoc>())
        TL = Q.getUnqualifiedLoc();
      else if (auto A = TL.getAs<ArrayTypeLoc>())
        TL = A.getElementLoc();
      else
        break;
    }
    if (!TL.getType()->getContainedAutoType() && isReal(TL.getType()))
      Replacements.push_back({TL.getSourceRange(), RealType, nullptr});
  };
  bool Ok = true;
  std::function<void(const Stmt *)> Walk = [&](const Stmt *S) {
    if (!S || !Ok)
      return;
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D))
          if (const TypeSourceInfo *TSI = V->getTypeSourceInfo())
            RespellLeaf(TSI->getTypeLoc());
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      std::string Callee = CalleeName(Call);
      if (!Callee.empty()) {
        const Expr *Ref = Call->getCallee()->IgnoreParenImpCasts();
        Replacements.push_back({Ref->getSourceRange(), Callee, Ref});
      }
    }
    for (const Stmt *Child : S->children())
      Walk(Child);
  };
  Walk(Def->getBody());
  SourceText Source(SM, Ctx.getLangOpts());
  SourceRange Body = Def->getBody()->getSourceRange();
  std::optional<std::string> BodyText;
  if (!Body.getBegin().isMacroID() && !Body.getEnd().isMacroID())
    BodyText = Source.get(Body, Replacements);
  if (!BodyText) {
    Problem = "its body is spelled by macros";
    return std::nullopt;
  }
  // A pointer parameter takes a view of Duals, an array of Duals or the
  // caller's constant data alike.
  PrintingPolicy Policy = Ctx.getPrintingPolicy();
  Policy.FullyQualifiedName = true;
  Policy.SuppressScope = false;
  std::string Head, Params;
  for (const ParmVarDecl *P : Def->parameters()) {
    std::string N = paramName(P);
    std::string Index = std::to_string(P->getFunctionScopeIndex());
    std::string Type;
    if (P->getType()->isPointerType()) {
      Head += std::string(Head.empty() ? "" : ", ") + "class _P" + Index;
      Type = "_P" + Index;
    } else if (isReal(P->getType())) {
      Type = RealType;
    } else {
      Type = P->getType().getUnqualifiedType().getCanonicalType().getAsString(
          Policy);
    }
    Params += std::string(Params.empty() ? "" : ", ") + Type + " " + N;
  }
  return (Head.empty() ? "" : "template <" + Head + "> ") + "inline " +
         RealType + " " + Name + "(" + Params + ") " + *BodyText + "\n";
}

std::string hessianSweepName(const FunctionDecl *FD) {
  return FD->getNameAsString() + "_hvp_sweep";
}

std::optional<DiffRequest>
hessianSweepRequest(const FunctionDecl *FD,
                    const std::vector<const ParmVarDecl *> &Wrt,
                    TangentServices &Services) {
  QualType Ret = FD->getReturnType();
  if (!isReal(Ret) || Ret->isReferenceType() || isa<CXXMethodDecl>(FD) ||
      FD->isTemplateInstantiation() || FD->isVariadic() || !FD->hasBody())
    return std::nullopt;
  for (const ParmVarDecl *P : FD->parameters())
    if (!sweepableParam(P->getType()))
      return std::nullopt;
  if (!DualSafety(Services, FD).stmt(FD->getBody()))
    return std::nullopt;

  std::string R = Ret.getUnqualifiedType().getCanonicalType().getAsString();
  DiffRequest Req{FD, DiffMode::Vjp, Wrt, hessianSweepName(FD)};
  Req.RealType = "::adjoint::Dual<" + R + ">";
  // A pointer's element type may differ from the result's (float data, a
  // double result); its views take the element type.
  for (unsigned K = 0; K < Wrt.size(); ++K) {
    QualType T = Wrt[K]->getType();
    if (!isRealPtr(T))
      continue;
    std::string E = T->getPointeeType()
                        .getUnqualifiedType()
                        .getCanonicalType()
                        .getAsString();
    if (E != R)
      return std::nullopt;
    Req.ParamTypes[Wrt[K]->getFunctionScopeIndex()] =
        "::adjoint::detail::DualPointer<" + R + ">";
    Req.AdjointTypes[K] = "::adjoint::detail::TangentSink<" + R + ">";
  }
  return Req;
}

std::string
generateHessianOverSweep(ASTContext &Ctx, const FunctionDecl *FD,
                         const std::vector<const ParmVarDecl *> &Wrt) {
  std::string PrimalParams = primalParams(Ctx, FD);
  PrintingPolicy Policy = Ctx.getPrintingPolicy();
  std::string S =
      FD->getReturnType().getUnqualifiedType().getCanonicalType().getAsString(
          Policy);
  std::string Name = FD->getNameAsString();
  std::string Sweep = hessianSweepName(FD);
  bool AllScalars = llvm::all_of(
      Wrt, [](const ParmVarDecl *P) { return isReal(P->getType()); });

  // f_hvp: the inputs carry v in their tangents; the tangents of the
  // gradient are H·v.
  std::string Directions, Outputs, Args, Gradients, Locals, Adds;
  for (const ParmVarDecl *P : FD->parameters()) {
    std::string N = paramName(P);
    std::string Sep = Args.empty() ? "" : ", ";
    if (!llvm::is_contained(Wrt, P)) {
      Args += Sep + N;
      continue;
    }
    if (isReal(P->getType())) {
      Directions += ", " + S + " _v_" + N;
      Outputs += ", " + S + " &_hv_" + N;
      Args += Sep + "_D(" + N + ", _v_" + N + ")";
      Locals += "  _D _g_" + N + "(0, 0);\n";
      Gradients += ", _g_" + N;
      Adds += "  _hv_" + N + " += _g_" + N + ".tangent;\n";
    } else {
      Directions += ", const " + S + " *_v_" + N;
      Outputs += ", " + S + " *_hv_" + N;
      Args += Sep + "::adjoint::detail::DualPointer<" + S + ">{" + N + ", _v_" +
              N + "}";
      Gradients += ", ::adjoint::detail::TangentSink<" + S + ">{_hv_" + N + "}";
    }
  }
  std::string Hvp = "inline " + S + " " + Name + "_hvp(" + PrimalParams +
                    Directions + Outputs +
                    ") {\n  using _D = ::adjoint::Dual<" + S + ">;\n" + Locals +
                    "  " + S + " _value = " + Sweep + "(" + Args +
                    (Args.empty() ? "" : ", ") + "_D(1, 0)" + Gradients +
                    ").value;\n" + Adds + "  return _value;\n}\n";
  if (!AllScalars)
    return Hvp;

  // f_hessian: column j is H·e_j, one sweep each.
  std::string Count = std::to_string(Wrt.size());
  std::string HArgs, HGradients, HLocals, Columns;
  unsigned K = 0;
  for (const ParmVarDecl *P : FD->parameters()) {
    std::string N = paramName(P);
    std::string Sep = HArgs.empty() ? "" : ", ";
    if (!llvm::is_contained(Wrt, P)) {
      HArgs += Sep + N;
      continue;
    }
    std::string Row = std::to_string(K++);
    HArgs +=
        Sep + "_D(" + N + ", _j == " + Row + " ? " + S + "(1) : " + S + "(0))";
    HLocals += "    _D _g_" + N + "(0, 0);\n";
    HGradients += ", _g_" + N;
    Columns +=
        "    _H[" + Row + " * " + Count + " + _j] = _g_" + N + ".tangent;\n";
  }
  std::string Hessian =
      "inline void " + Name + "_hessian(" + PrimalParams +
      (PrimalParams.empty() ? "" : ", ") + S +
      " *_H) {\n  using _D = ::adjoint::Dual<" + S +
      ">;\n  for (int _j = 0; _j < " + Count + "; ++_j) {\n" + HLocals +
      "    " + Sweep + "(" + HArgs + (HArgs.empty() ? "" : ", ") + "_D(1, 0)" +
      HGradients + ");\n" + Columns + "  }\n" +
      // Columns computed apart agree up to rounding; the
      // Hessian returned is exactly symmetric.
      "  for (int _i = 0; _i < " + Count +
      "; ++_i)\n    for (int _k = _i + 1; _k < " + Count +
      "; ++_k)\n      _H[_i * " + Count + " + _k] = _H[_k * " + Count +
      " + _i] =\n          (_H[_i * " + Count + " + _k] + _H[_k * " + Count +
      " + _i]) / 2;\n}\n";
  return Hvp + "\n" + Hessian;
}

} // namespace adjoint
