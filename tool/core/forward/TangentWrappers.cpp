//===- TangentWrappers.cpp - f_jvp, f_hvp and f_hessian -------------------===//
//
// The user-facing functions over a pushforward (TangentFunction.cpp):
// - f_jvp runs it once with _S the function's real type;
// - f_hvp and f_hessian, for bodies that HessianSweep.cpp's reverse sweep
//   over Duals cannot take, run it with _S = Dual<R> (forward over forward): an
//   input x seeded with direction u in its value and v in its tangent gives
//   u^T H v in the tangent of the tangent of the result. f_hessian takes
//   u, v over the unit vectors (n(n+1)/2 runs, mirrored); f_hvp takes v
//   and u over the unit vectors of the listed inputs, a pointer's elements
//   counted by a first run that records the largest index read.
//
//===----------------------------------------------------------------------===//

#include "Tangent.h"

#include "DiffRequest.h"

#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace adjoint {
namespace {

bool isRealPtr(QualType T) {
  return T->isPointerType() && isReal(T->getPointeeType());
}

std::string spell(ASTContext &Ctx, QualType T) {
  PrintingPolicy Policy = Ctx.getPrintingPolicy();
  Policy.SuppressTagKeyword = true;
  return T.getAsString(Policy);
}

std::string paramName(const ParmVarDecl *P) {
  return P->getName().empty()
             ? "_p" + std::to_string(P->getFunctionScopeIndex())
             : P->getNameAsString();
}

} // namespace

std::string primalParams(ASTContext &Ctx, const FunctionDecl *FD) {
  std::string Out;
  for (const ParmVarDecl *P : FD->parameters()) {
    QualType T = P->getType();
    // Tensors fully qualified, as in the reverse-mode signatures, whatever
    // the user's using-declarations and the Clang version's sugar.
    std::string Type = spell(Ctx, T);
    if (isTensor(T))
      Type = std::string(T.getNonReferenceType().isConstQualified() ? "const "
                                                                    : "") +
             "::adjoint::Tensor" + (T->isReferenceType() ? " &" : "");
    bool Attached = !Type.empty() && (Type.back() == '*' || Type.back() == '&');
    Out += (Out.empty() ? "" : ", ") + Type + (Attached ? "" : " ") +
           paramName(P);
  }
  return Out;
}

namespace {

/// The real type the wrappers compute in: the result's, else the first real
/// parameter's, else double.
std::string scalarType(ASTContext &Ctx, const FunctionDecl *FD) {
  auto Bare = [&](QualType T) {
    return spell(Ctx, T.getNonReferenceType().getUnqualifiedType()
                          .getCanonicalType());
  };
  if (isReal(FD->getReturnType()))
    return Bare(FD->getReturnType());
  for (const ParmVarDecl *P : FD->parameters()) {
    QualType T = P->getType();
    if (isReal(T))
      return Bare(T);
    if (isRealPtr(T))
      return Bare(T->getPointeeType());
  }
  return "double";
}

bool listed(const std::vector<const ParmVarDecl *> &Wrt,
            const ParmVarDecl *P) {
  return llvm::is_contained(Wrt, P);
}

/// Whether \p E names \p P, possibly offset (`p`, `p + k`, `&p[k]`).
bool namesParam(const Expr *E, const ParmVarDecl *P) {
  E = E->IgnoreParenImpCasts();
  if (const auto *DR = dyn_cast<DeclRefExpr>(E))
    return DR->getDecl() == P;
  if (const auto *B = dyn_cast<BinaryOperator>(E))
    return B->isAdditiveOp() &&
           (namesParam(B->getLHS(), P) || namesParam(B->getRHS(), P));
  if (const auto *U = dyn_cast<UnaryOperator>(E))
    return (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref) &&
           namesParam(U->getSubExpr(), P);
  if (const auto *A = dyn_cast<ArraySubscriptExpr>(E))
    return namesParam(A->getBase(), P);
  return false;
}

/// Whether \p S may write through the pointer parameter \p P: an
/// assignment or ++/-- of one of its elements, or a call passing it to a
/// pointer to non-const, or copying it anywhere (conservatively).
bool writesThrough(const Stmt *S, const ParmVarDecl *P) {
  if (!S)
    return false;
  if (const auto *B = dyn_cast<BinaryOperator>(S)) {
    if (B->isAssignmentOp() && namesParam(B->getLHS(), P))
      return true;
    if (B->isAssignmentOp() && namesParam(B->getRHS(), P) &&
        B->getRHS()->getType()->isPointerType())
      return true;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(S))
    if (U->isIncrementDecrementOp() && namesParam(U->getSubExpr(), P))
      return true;
  if (const auto *Call = dyn_cast<CallExpr>(S))
    for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
      QualType T = Call->getArg(I)->IgnoreParenImpCasts()->getType();
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (Callee && I < Callee->getNumParams())
        T = Callee->getParamDecl(I)->getType();
      if (namesParam(Call->getArg(I), P) &&
          (!T->isPointerType() || !T->getPointeeType().isConstQualified()))
        return true;
    }
  if (const auto *DS = dyn_cast<DeclStmt>(S))
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (VD->getInit() && VD->getType()->isPointerType() &&
            namesParam(VD->getInit(), P))
          return true;
  for (const Stmt *Child : S->children())
    if (writesThrough(Child, P))
      return true;
  return false;
}

/// A pointer parameter f may write through (non-const, and written).
bool writablePointer(const FunctionDecl *FD, const ParmVarDecl *P) {
  QualType T = P->getType();
  return isRealPtr(T) && !T->getPointeeType().isConstQualified() &&
         writesThrough(FD->getBody(), P);
}

bool writableReference(QualType T) {
  return T->isLValueReferenceType() && isReal(T) &&
         !T.getNonReferenceType().isConstQualified();
}

} // namespace

std::optional<std::string>
generateJvp(ASTContext &Ctx, DiagnosticSink &Diags, const FunctionDecl *FD,
            const std::vector<const ParmVarDecl *> &Wrt) {
  std::string S = scalarType(Ctx, FD);
  std::string Name = FD->getNameAsString();
  bool RealResult = isReal(FD->getReturnType());
  bool TensorResult = isTensor(FD->getReturnType());
  std::string TangentParams, Locals, Args, TangentArgs;
  for (const ParmVarDecl *P : FD->parameters()) {
    QualType T = P->getType();
    std::string N = paramName(P);
    Args += (Args.empty() ? "" : ", ") + N;
    bool Listed = listed(Wrt, P);
    if (isReal(T)) {
      if (Listed)
        TangentParams += ", " + S + " _t_" + N;
      if (writableReference(T)) {
        // The pushforward updates a reference's tangent in place.
        Locals += "  " + S + " _tl_" + N + " = " + (Listed ? "_t_" + N : "0") +
                  ";\n";
        TangentArgs += ", _tl_" + N;
      } else {
        TangentArgs += ", " + (Listed ? "_t_" + N : S + "(0)");
      }
    } else if (isRealPtr(T)) {
      bool Writable = writablePointer(FD, P);
      if (Listed) {
        // An output's tangent is written; an input's (even through a
        // pointer to non-const that f only reads) is read.
        TangentParams +=
            ", " + std::string(Writable ? "" : "const ") + S + " *_t_" + N;
        TangentArgs += ", _t_" + N;
      } else if (Writable) {
        Diags.error(P->getLocation(),
                    "adjoint: ADJOINT_JVP of '" + Name + "' must list '" + N +
                        "': '" + Name +
                        "' may write through it, so its elements need "
                        "tangents (or make it a pointer to const)");
        return std::nullopt;
      } else {
        TangentArgs += ", ::adjoint::detail::ZeroTangent<" + S + ">()";
      }
    } else if (isTensor(T)) {
      if (Listed) {
        TangentParams += ", const ::adjoint::Tensor &_t_" + N;
        Locals += "  ::adjoint::detail::checkTangentShape(_t_" + N + ", " + N +
                  ", \"" + Name + "_jvp\", \"" + N + "\");\n";
      }
      // Data (an unlisted tensor) has no tangent: undefined, taken as zero.
      TangentArgs += ", " + (Listed ? "_t_" + N : "::adjoint::Tensor()");
    }
  }
  std::string Result =
      RealResult ? "::adjoint::Dual<" + S + ">" : std::string("void");
  std::string Call =
      pushforwardName(FD) + "<" + S + ">(" + Args + TangentArgs + ")";
  if (TensorResult)
    // A result no tangent reached has a zero one, of its shape.
    return "inline ::adjoint::Dual<::adjoint::Tensor> " + Name + "_jvp(" +
           primalParams(Ctx, FD) + TangentParams + ") {\n" + Locals +
           "  ::adjoint::Dual<::adjoint::Tensor> _r = " + Call +
           ";\n  return {_r.value, ::adjoint::detail::tangentOrZeros("
           "_r.tangent, _r.value)};\n}\n";
  return "inline " + Result + " " + Name + "_jvp(" + primalParams(Ctx, FD) +
         TangentParams + ") {\n" + Locals + "  " +
         (RealResult ? "return " : "") + Call + ";\n}\n";
}

bool isTensorFunction(const FunctionDecl *FD) {
  if (isTensor(FD->getReturnType()))
    return true;
  for (const ParmVarDecl *P : FD->parameters())
    if (isTensor(P->getType()))
      return true;
  return false;
}

std::optional<std::string>
generateTensorJvp(ASTContext &Ctx, DiagnosticSink &Diags,
                  const FunctionDecl *FD,
                  const std::vector<const ParmVarDecl *> &Wrt,
                  const std::string &Sweep) {
  std::string Name = FD->getNameAsString();
  QualType Ret = FD->getReturnType();
  if (!isTensor(Ret) && !isReal(Ret)) {
    Diags.error(FD->getLocation(),
                "adjoint: ADJOINT_JVP of the tensor function '" + Name +
                    "' needs a one-element tensor (loss) or real result");
    return std::nullopt;
  }
  std::string Params, Accumulators, Gradients, Sum;
  for (const ParmVarDecl *P : Wrt) {
    QualType T = P->getType();
    std::string N = paramName(P);
    if (isTensor(T)) {
      Params += ", const ::adjoint::Tensor &_t_" + N;
      Accumulators += "  ::adjoint::Tensor _g_" + N + ";\n";
      Sum += "  _tangent += ::adjoint::detail::contractTangent(_g_" + N +
             ", _t_" + N + ", \"" + Name + "_jvp\", \"" + N + "\");\n";
    } else if (isReal(T) && !T->isReferenceType()) {
      std::string S = spell(Ctx, T.getUnqualifiedType());
      Params += ", " + S + " _t_" + N;
      Accumulators += "  " + S + " _g_" + N + " = 0;\n";
      Sum += "  _tangent += double(_g_" + N + ") * double(_t_" + N + ");\n";
    } else {
      Diags.error(P->getLocation(),
                  "adjoint: ADJOINT_JVP of the tensor function '" + Name +
                      "' supports tensors and real values only; '" + N +
                      "' has type '" + spell(Ctx, T) + "'");
      return std::nullopt;
    }
    Gradients += ", _g_" + N;
  }
  std::string Args;
  for (const ParmVarDecl *P : FD->parameters())
    Args += (Args.empty() ? "" : ", ") + paramName(P);
  bool TensorResult = isTensor(Ret);
  std::string R = TensorResult ? "::adjoint::Tensor" : spell(Ctx, Ret);
  std::string Seed = TensorResult ? "::adjoint::Tensor()" : "1";
  std::string Tangent =
      TensorResult ? "::adjoint::detail::lossTangent(_value, _tangent, \"" +
                         Name + "_jvp\")"
                   : R + "(_tangent)";
  return "inline ::adjoint::Dual<" + R + "> " + Name + "_jvp(" +
         primalParams(Ctx, FD) + Params + ") {\n" + Accumulators + "  " + R +
         " _value = " + Sweep + "(" + Args + (Args.empty() ? "" : ", ") +
         Seed + Gradients + ");\n  double _tangent = 0;\n" + Sum +
         "  return {_value, " + Tangent + "};\n}\n";
}

std::optional<std::string>
generateHessian(ASTContext &Ctx, DiagnosticSink &Diags, const FunctionDecl *FD,
                const std::vector<const ParmVarDecl *> &Wrt) {
  std::string Name = FD->getNameAsString();
  if (!isReal(FD->getReturnType())) {
    Diags.error(FD->getLocation(), "adjoint: ADJOINT_HESSIAN needs a float or "
                                   "double result; '" +
                                       Name + "' returns '" +
                                       spell(Ctx, FD->getReturnType()) + "'");
    return std::nullopt;
  }
  std::string S = scalarType(Ctx, FD);
  bool AllScalars = true;
  for (const ParmVarDecl *P : FD->parameters()) {
    QualType T = P->getType();
    if (writablePointer(FD, P) || writableReference(T)) {
      Diags.error(P->getLocation(),
                  "adjoint: ADJOINT_HESSIAN of '" + Name +
                      "' does not support parameters it may write ('" +
                      paramName(P) + "') yet: make it a value or a pointer "
                      "to const");
      return std::nullopt;
    }
    if (listed(Wrt, P))
      AllScalars &= isReal(T);
  }
  // One run of the second-order code: listed input k seeded (its value's
  // tangent is e_At when k == _which), v in the tangents.
  std::string Args, TangentArgs, Directions, Outputs;
  unsigned K = 0;
  std::string Extents;
  for (const ParmVarDecl *P : FD->parameters()) {
    QualType T = P->getType();
    std::string N = paramName(P);
    std::string Sep = Args.empty() ? "" : ", ";
    bool Listed = listed(Wrt, P);
    std::string Which = std::to_string(K);
    if (isReal(T)) {
      if (Listed) {
        Args += Sep + "_D(" + N + ", _which == " + Which + " ? " + S +
                "(1) : " + S + "(0))";
        TangentArgs += ", _D(_v_" + N + ")";
        Directions += ", " + S + " _v_" + N;
        Outputs += ", " + S + " &_hv_" + N;
      } else {
        Args += Sep + "_D(" + N + ")";
        TangentArgs += ", _D(0)";
      }
    } else if (isRealPtr(T)) {
      if (Listed) {
        Extents += "  std::ptrdiff_t _extent_" + N + " = 0;\n";
        Args += Sep + "::adjoint::detail::SeedPointer<" + S + ">{" + N +
                ", 0, _which == " + Which + " ? _at : -1, &_extent_" + N + "}";
        TangentArgs += ", ::adjoint::detail::ConstantPointer<" + S + ">{_v_" +
                       N + "}";
        Directions += ", const " + S + " *_v_" + N;
        Outputs += ", " + S + " *_hv_" + N;
      } else {
        Args += Sep + N;
        TangentArgs += ", ::adjoint::detail::ZeroTangent<_D>()";
      }
    } else {
      Args += Sep + N;
    }
    K += Listed;
  }
  // A pointer's extent is known after a run without seeds; with scalars
  // only, the first seeded run gives f's value.
  std::string FirstRun = AllScalars ? "0, 0" : "-1, 0";
  std::string Run = "  auto _run = [&](int _which, std::ptrdiff_t _at) {\n"
                    "    (void)_at;\n"
                    "    return " +
                    pushforwardName(FD) + "<_D>(" + Args + TangentArgs +
                    ");\n  };\n";
  std::string Hvp = "inline " + S + " " + Name + "_hvp(" +
                    primalParams(Ctx, FD) + Directions + Outputs + ") {\n" +
                    "  using _D = ::adjoint::Dual<" + S + ">;\n" + Extents +
                    Run + "  auto _first = _run(" + FirstRun + ");\n  " + S +
                    " _value = _first.value.value;\n";
  K = 0;
  for (const ParmVarDecl *P : Wrt) {
    std::string N = paramName(P), Which = std::to_string(K++);
    if (isReal(P->getType()) && AllScalars && Which == "0")
      Hvp += "  _hv_" + N + " += _first.tangent.tangent;\n";
    else if (isReal(P->getType()))
      Hvp += "  _hv_" + N + " += _run(" + Which + ", 0).tangent.tangent;\n";
    else
      Hvp += "  for (std::ptrdiff_t _i = 0; _i < _extent_" + N +
             "; ++_i)\n    _hv_" + N + "[_i] += _run(" + Which +
             ", _i).tangent.tangent;\n";
  }
  Hvp += "  return _value;\n}\n";
  if (!AllScalars)
    return Hvp;

  // f_hessian: value seeded with e_i, tangent with e_j.
  std::string HArgs, HTangents;
  K = 0;
  for (const ParmVarDecl *P : FD->parameters()) {
    std::string N = paramName(P);
    std::string Sep = HArgs.empty() ? "" : ", ";
    if (isReal(P->getType()) && listed(Wrt, P)) {
      std::string Which = std::to_string(K++);
      HArgs += Sep + "_D(" + N + ", _i == " + Which + " ? " + S + "(1) : " +
               S + "(0))";
      HTangents += ", _D(_j == " + Which + " ? " + S + "(1) : " + S + "(0))";
    } else if (isReal(P->getType())) {
      HArgs += Sep + "_D(" + N + ")";
      HTangents += ", _D(0)";
    } else if (isRealPtr(P->getType())) {
      HArgs += Sep + N;
      HTangents += ", ::adjoint::detail::ZeroTangent<_D>()";
    } else {
      HArgs += Sep + N;
    }
  }
  std::string Count = std::to_string(Wrt.size());
  std::string Hessian =
      "inline void " + Name + "_hessian(" + primalParams(Ctx, FD) + ", " + S +
      " *_H) {\n  using _D = ::adjoint::Dual<" + S + ">;\n" +
      "  for (int _i = 0; _i < " + Count + "; ++_i)\n" +
      "    for (int _j = _i; _j < " + Count + "; ++_j)\n" + "      _H[_i * " +
      Count + " + _j] = _H[_j * " + Count + " + _i] =\n          " +
      pushforwardName(FD) + "<_D>(" + HArgs + HTangents +
      ").tangent.tangent;\n}\n";
  return Hvp + "\n" + Hessian;
}

} // namespace adjoint
