//===- DiffAlias.cpp - Aliasing between differentiated inputs and outputs -===//
//
// A generated gradient assumes that a differentiated output buffer does not
// share memory with another differentiated buffer: the reverse sweep zeroes
// and rolls back the output while reading the input. Nor may a gradient
// buffer share memory with an input, which the generated code declares
// __restrict when it writes no caller memory but adjoints. Calls inside
// differentiated code that visibly pass one buffer for both are rejected at
// compile time; at run time, f_grad/f_vjp compare the pointers on entry.
//
//===----------------------------------------------------------------------===//

#include "ClangCompat.h"
#include "Extent.h"
#include "FunctionDifferentiator.h"

#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace adjoint {

namespace {
/// Whether pointer parameter \p P is an output (a pointer to non-const).
bool isOutputPointer(const ParmVarDecl *P) {
  QualType T = P->getType();
  return T->isPointerType() && !T->getPointeeType().isConstQualified();
}

/// The constant element offset of pointer argument \p E into its buffer:
/// `a`, `v.data()` (0), `&a[k]`, `a + k`, `v.data() + k` with constant k.
std::optional<int64_t> constantOffset(const Expr *E, const ASTContext &Ctx) {
  E = E->IgnoreParenImpCasts();
  auto IsBase = [](const Expr *B) {
    B = B->IgnoreParenImpCasts();
    return isa<DeclRefExpr>(B) || isa<CXXMemberCallExpr>(B);
  };
  const Expr *Index = nullptr;
  if (IsBase(E))
    return 0;
  if (const auto *U = dyn_cast<UnaryOperator>(E)) {
    const auto *Sub =
        dyn_cast<ArraySubscriptExpr>(U->getSubExpr()->IgnoreParens());
    if (U->getOpcode() == UO_AddrOf && Sub && IsBase(Sub->getBase()))
      Index = Sub->getIdx();
  } else if (const auto *B = dyn_cast<BinaryOperator>(E)) {
    if (B->getOpcode() == BO_Add && IsBase(B->getLHS()))
      Index = B->getRHS();
  }
  Expr::EvalResult R;
  if (Index && Index->EvaluateAsInt(R, Ctx))
    return R.Val.getInt().getExtValue();
  return std::nullopt;
}
} // namespace

CodeBlock FunctionDifferentiator::aliasChecks() const {
  CodeBlock Out;
  // How many elements the function reaches through P, as C++ text over its
  // parameters on entry.
  auto entryExtent = [&](const ParmVarDecl *P) -> std::optional<std::string> {
    std::optional<Extent> E = reachedExtent(Request.Function, P);
    if (!E)
      return std::nullopt;
    return E->text([&](unsigned I) {
      return paramName(Request.Function->getParamDecl(I));
    });
  };
  if (Request.Mode != DiffMode::Vjp)
    return Out;
  std::string Fn = Request.Name;
  for (const ParmVarDecl *O : Request.Wrt) {
    if (!isOutputPointer(O) || !isRealPointer(O->getType()) ||
        !Act.isWritten(O))
      continue;
    for (const ParmVarDecl *P : Request.Wrt) {
      if (P == O || !isRealPointer(P->getType()) ||
          (isOutputPointer(P) && Act.isWritten(P) &&
           P->getFunctionScopeIndex() < O->getFunctionScopeIndex()))
        continue; // not a buffer, or a pair of outputs already checked
      std::optional<std::string> PCount = entryExtent(P), OCount = entryExtent(O);
      for (const char *Prefix : {"", "_d_"}) {
        std::string A = Prefix + P->getNameAsString(),
                    B = Prefix + O->getNameAsString();
        std::string What = *Prefix ? "the adjoints of '" : "'";
        if (PCount && OCount) {
          Out.line("::adjoint::require_disjoint(" + A + ", " + *PCount + ", " +
                   B + ", " + *OCount + ", \"" + Fn + ": " + What +
                   P->getNameAsString() + "' and '" + O->getNameAsString() +
                   "' overlap, but '" + O->getNameAsString() +
                   "' is a differentiated output: the gradient would be "
                   "wrong; pass distinct buffers\");");
          continue;
        }
        Out.line("if (" + A + " && static_cast<const void *>(" + A +
                 ") == static_cast<const void *>(" + B + "))");
        Out.line("  throw std::invalid_argument(\"" + Fn + ": " + What +
                 P->getNameAsString() + "' and '" + O->getNameAsString() +
                 "' are the same buffer, but '" + O->getNameAsString() +
                 "' is a differentiated output: the gradient would be "
                 "wrong; pass distinct buffers\");");
      }
    }
  }
  // The inputs are __restrict: a gradient accumulated into one of them would
  // change it under the reverse sweep's reads.
  for (const ParmVarDecl *O : Request.Wrt) {
    if (!isRestricted(O))
      continue;
    std::string Adj = "_d_" + O->getNameAsString();
    std::optional<std::string> OCount = entryExtent(O);
    for (const ParmVarDecl *P : Request.Function->parameters()) {
      if (!isRestricted(P))
        continue;
      std::optional<std::string> PCount = entryExtent(P);
      if (OCount && PCount) {
        Out.line("::adjoint::require_disjoint(" + Adj + ", " + *OCount + ", " +
                 P->getNameAsString() + ", " + *PCount + ", \"" + Fn +
                 ": the gradient buffer of '" + O->getNameAsString() +
                 "' overlaps the input '" + P->getNameAsString() +
                 "': the gradient would be wrong; pass a separate buffer\");");
        continue;
      }
      Out.line("if (" + Adj + " && static_cast<const void *>(" + Adj +
               ") == static_cast<const void *>(" + P->getNameAsString() + "))");
      Out.line("  throw std::invalid_argument(\"" + Fn +
               ": the gradient buffer of '" + O->getNameAsString() +
               "' is the input '" + P->getNameAsString() +
               "': the gradient would be wrong; pass a separate buffer\");");
    }
  }
  return Out;
}

bool FunctionDifferentiator::checkCallAliasing(const CallExpr *Call,
                                               CodeBlock &Checks) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD)
    return true;
  unsigned Shift =
      isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(FD) ? 1 : 0;
  // The buffers a call reaches: pointer arguments, and elements and scalar
  // variables passed by reference (`g(out, 3, out[1])`, `upd(s, s)`: one
  // element each), which the pullback replays the call on as distinct
  // variables.
  struct Buffer {
    const VarDecl *Base;
    const ParmVarDecl *Param;
    const Expr *Arg;
    /// The element's address, for a reference; else empty.
    std::string Address;
    /// A reference to non-const: the callee may write it.
    bool WritableReference = false;
  };
  std::vector<Buffer> Buffers;
  for (unsigned I = Shift; I < Call->getNumArgs(); ++I) {
    if (I - Shift >= FD->getNumParams())
      break;
    const ParmVarDecl *P = FD->getParamDecl(I - Shift);
    const Expr *Arg = Call->getArg(I);
    QualType T = P->getType();
    if (isRealPointer(T)) {
      const VarDecl *Base = bufferBase(Arg);
      if (Base && isActiveVar(Base))
        Buffers.push_back({Base, P, Arg, ""});
    } else if (T->isLValueReferenceType() && isReal(T.getNonReferenceType())) {
      const Expr *Element = Arg->IgnoreParenImpCasts();
      const Expr *Pointer = nullptr;
      const VarDecl *Base = nullptr;
      if (const auto *Sub = dyn_cast<ArraySubscriptExpr>(Element))
        Pointer = Sub->getBase();
      else if (const auto *U = dyn_cast<UnaryOperator>(Element);
               U && U->getOpcode() == UO_Deref)
        Pointer = U->getSubExpr();
      else if (const auto *Ref = dyn_cast<DeclRefExpr>(Element))
        Base = dyn_cast<VarDecl>(Ref->getDecl());
      if (Pointer)
        Base = bufferBase(Pointer);
      if (Base && isActiveVar(Base))
        Buffers.push_back({Base, P, Arg, "&" + paren(text(Arg)),
                           !T.getNonReferenceType().isConstQualified()});
    }
  }
  auto IsOutput = [](const Buffer &B) {
    return B.WritableReference || isOutputPointer(B.Param);
  };
  // Two parts of one buffer (`g(w, w + n, n)`) are fine when the elements
  // each reaches are known: the generated code checks them at run time.
  auto RunTimeCheck = [&](const Buffer &In,
                          const Buffer &Out) -> std::optional<std::string> {
    if (Shift || llvm::any_of(Call->arguments(), [&](const Expr *A) {
          // Possible effects (`v.data()`) are fine: evaluated again.
          return A->HasSideEffects(Ctx, /*IncludePossibleEffects=*/false);
        }))
      return std::nullopt;
    auto Reached = [&](const Buffer &B) -> std::optional<Extent> {
      if (!B.Address.empty())
        return Extent{}; // filled in below: one element
      return reachedExtent(FD, B.Param);
    };
    std::optional<Extent> InExtent = Reached(In), OutExtent = Reached(Out);
    if (InExtent && !In.Address.empty())
      InExtent->Value = 1;
    if (OutExtent && !Out.Address.empty())
      OutExtent->Value = 1;
    if (!InExtent || !OutExtent)
      return std::nullopt;
    // Constant parts of a buffer are compared now: overlapping ones are the
    // error below, distinct ones need no check.
    auto Offset = [&](const Buffer &B) -> std::optional<int64_t> {
      if (B.Address.empty())
        return constantOffset(B.Arg, Ctx);
      if (isa<DeclRefExpr>(B.Arg->IgnoreParenImpCasts()))
        return 0; // a scalar variable: one element
      const auto *Sub = dyn_cast<ArraySubscriptExpr>(B.Arg->IgnoreParenImpCasts());
      Expr::EvalResult R;
      if (Sub && Sub->getIdx()->EvaluateAsInt(R, Ctx))
        if (std::optional<int64_t> Base = constantOffset(Sub->getBase(), Ctx))
          return *Base + R.Val.getInt().getExtValue();
      return std::nullopt;
    };
    std::optional<int64_t> InAt = Offset(In), OutAt = Offset(Out);
    auto ArgValue = [&](unsigned I) -> std::optional<int64_t> {
      Expr::EvalResult R;
      if (I < Call->getNumArgs() && Call->getArg(I)->EvaluateAsInt(R, Ctx))
        return R.Val.getInt().getExtValue();
      return std::nullopt;
    };
    InExtent = foldParameters(*InExtent, ArgValue);
    OutExtent = foldParameters(*OutExtent, ArgValue);
    std::optional<int64_t> InCount = InExtent->value(ArgValue),
                           OutCount = OutExtent->value(ArgValue);
    if (InAt && OutAt && InCount && OutCount) {
      if (*InAt < *OutAt + *OutCount && *OutAt < *InAt + *InCount)
        return std::nullopt;
      return std::string();
    }
    auto ArgText = [&](unsigned I) {
      return "(" + text(Call->getArg(I)) + ")";
    };
    unsigned Line =
        Ctx.getSourceManager().getPresumedLineNumber(beginLoc(Call));
    auto Start = [&](const Buffer &B) {
      return B.Address.empty() ? text(B.Arg) : B.Address;
    };
    return "::adjoint::require_disjoint(" + Start(In) + ", " +
           InExtent->text(ArgText) + ", " + Start(Out) + ", " +
           OutExtent->text(ArgText) + ", \"" + Request.Name + ": the call of '" +
           FD->getNameAsString() + "' on line " + std::to_string(Line) +
           " passes overlapping parts of '" + info(Out.Base).Name +
           "' as '" + In.Param->getNameAsString() + "' and as the output '" +
           Out.Param->getNameAsString() +
           "'; its pullback needs distinct buffers\");";
  };
  for (const Buffer &Out : Buffers) {
    if (!IsOutput(Out))
      continue;
    for (const Buffer &In : Buffers)
      if (&In != &Out && In.Base == Out.Base) {
        if (IsOutput(In) && &In < &Out)
          continue; // two outputs: checked once
        if (std::optional<std::string> Check = RunTimeCheck(In, Out)) {
          if (!Check->empty())
            Checks.line(*Check);
          continue;
        }
        unsupported(Out.Arg,
                    "passing '" + info(Out.Base).Name + "' both as '" +
                        In.Param->getNameAsString() + "' and as the output '" +
                        Out.Param->getNameAsString() + "' of '" +
                        FD->getNameAsString() + "'",
                    "the pullback assumes distinct buffers: pass a copy of "
                    "the input, or a separate output buffer");
        return false;
      }
  }
  return true;
}

} // namespace adjoint
