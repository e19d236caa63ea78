//===- Algorithms.cpp - Standard algorithms adjoint knows -----------------===//
#include "Algorithms.h"

#include "DiffRequest.h"
#include "Lambdas.h"
#include "LoggedWrites.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace adjoint {

Algorithm standardAlgorithm(const CallExpr *Call) {
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || !FD->isInStdNamespace() || !FD->getIdentifier() ||
      isa<CXXMethodDecl>(FD) ||
      !FD->getASTContext().getSourceManager().isInSystemHeader(
          FD->getLocation()))
    return Algorithm::None;
  StringRef Name = FD->getName();
  unsigned N = Call->getNumArgs();
  if (Name == "accumulate" && (N == 3 || N == 4))
    return Algorithm::Accumulate;
  if (Name == "inner_product" && (N == 4 || N == 6))
    return Algorithm::InnerProduct;
  if (Name == "transform" && (N == 4 || N == 5))
    return Algorithm::Transform;
  if (Name == "copy" && N == 3)
    return Algorithm::Copy;
  if (Name == "fill" && N == 3)
    return Algorithm::Fill;
  if (Name == "max_element" && (N == 2 || N == 3))
    return Algorithm::MaxElement;
  if (Name == "min_element" && (N == 2 || N == 3))
    return Algorithm::MinElement;
  return Algorithm::None;
}

bool mayWriteThroughArg(const CallExpr *Call, bool ObjectFirst, unsigned I,
                        const Expr *Arg) {
  QualType T = callParamType(Call, ObjectFirst, I, Arg);
  Algorithm A = standardAlgorithm(Call);
  if (A == Algorithm::None || ObjectFirst) {
    // `void sq(double *x, double *f)` that only reads x does not write it.
    if (ObjectFirst && I == 0)
      return mayWriteThrough(T);
    return mayWriteThrough(T) &&
           !isReadOnlyParameter(Call, ObjectFirst ? I - 1 : I);
  }
  if (A == Algorithm::Copy)
    return I == 2; // the output
  if (A == Algorithm::Fill)
    return I == 0; // the range, named by its first iterator
  if (A == Algorithm::MaxElement || A == Algorithm::MinElement) {
    // They read their range; a comparator writes what it may.
    const CXXRecordDecl *Closure = closureClass(Arg->getType());
    if (I < 2)
      return false;
    if (!Closure)
      return mayWriteThrough(T);
    return !capturesWrittenBy(Closure->getLambdaCallOperator()).empty();
  }
  unsigned N = Call->getNumArgs();
  // The operation is the last argument (accumulate and transform); a lambda
  // writes what it captures by reference, anything else what it may.
  bool IsOperation = A != Algorithm::InnerProduct ? I + 1 == N : I >= 4;
  if (IsOperation && (A != Algorithm::Accumulate || N == 4)) {
    const CXXRecordDecl *Closure = closureClass(Arg->getType());
    if (!Closure)
      return mayWriteThrough(T);
    // A lambda with `auto` parameters that the analysis never instantiated
    // (the algorithm's body is skipped) is read as written; DiffAlgorithm.cpp
    // refuses it.
    const CXXMethodDecl *Method = differentiatedCallOperator(Closure);
    return !capturesWrittenBy(Method ? Method
                                     : Closure->getLambdaCallOperator())
                .empty();
  }
  // transform writes its output range, the argument before the operation.
  return A == Algorithm::Transform && I + 2 == N;
}

bool onlyWritesArg(const CallExpr *Call, unsigned I) {
  switch (standardAlgorithm(Call)) {
  case Algorithm::Transform:
    return I + 2 == Call->getNumArgs();
  case Algorithm::Copy:
    return I == 2;
  case Algorithm::Fill:
    return I < 2; // the range it fills
  default:
    return false;
  }
}

} // namespace adjoint
