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
} // namespace

CodeBlock FunctionDifferentiator::aliasChecks() const {
  CodeBlock Out;
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
      for (const char *Prefix : {"", "_d_"}) {
        std::string A = Prefix + P->getNameAsString(),
                    B = Prefix + O->getNameAsString();
        std::string What = *Prefix ? "the adjoints of '" : "'";
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
    for (const ParmVarDecl *P : Request.Function->parameters()) {
      if (!isRestricted(P))
        continue;
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

bool FunctionDifferentiator::checkCallAliasing(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD)
    return true;
  unsigned Shift =
      isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(FD) ? 1 : 0;
  struct Buffer {
    const VarDecl *Base;
    const ParmVarDecl *Param;
    const Expr *Arg;
  };
  std::vector<Buffer> Buffers;
  for (unsigned I = Shift; I < Call->getNumArgs(); ++I) {
    if (I - Shift >= FD->getNumParams())
      break;
    const ParmVarDecl *P = FD->getParamDecl(I - Shift);
    if (!isRealPointer(P->getType()))
      continue;
    const VarDecl *Base = bufferBase(Call->getArg(I));
    if (Base && isActiveVar(Base))
      Buffers.push_back({Base, P, Call->getArg(I)});
  }
  for (const Buffer &Out : Buffers) {
    if (!isOutputPointer(Out.Param))
      continue;
    for (const Buffer &In : Buffers)
      if (&In != &Out && In.Base == Out.Base) {
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
