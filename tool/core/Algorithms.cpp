//===- Algorithms.cpp - Standard algorithms adjoint knows -----------------===//
#include "Algorithms.h"

#include "DiffRequest.h"
#include "Lambdas.h"
#include "LoggedWrites.h"

#include "Activity.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Sema/Sema.h"
#include "clang/Sema/Template.h"

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

namespace {
bool mayWriteThroughArgAs(const CallExpr *Call, bool ObjectFirst, unsigned I,
                          const Expr *Arg,
                          llvm::function_ref<bool(QualType)> TypeMayWrite) {
  QualType T = callParamType(Call, ObjectFirst, I, Arg);
  Algorithm A = standardAlgorithm(Call);
  if (A == Algorithm::None || ObjectFirst) {
    // `void sq(double *x, double *f)` that only reads x does not write it.
    if (ObjectFirst && I == 0)
      return TypeMayWrite(T);
    return TypeMayWrite(T) &&
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
      return TypeMayWrite(T);
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
} // namespace

bool mayWriteThroughArg(const CallExpr *Call, bool ObjectFirst, unsigned I,
                        const Expr *Arg) {
  return mayWriteThroughArgAs(Call, ObjectFirst, I, Arg, mayWriteThrough);
}

bool mayWriteValuesThroughArg(const CallExpr *Call, bool ObjectFirst,
                              unsigned I, const Expr *Arg) {
  return mayWriteThroughArgAs(Call, ObjectFirst, I, Arg, mayWriteValuesThrough);
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

QualType rangeElementType(const Expr *E) {
  QualType T = Activity::stripCopies(E)->getType();
  if (T->isPointerType() || T->isArrayType())
    return T->getPointeeOrArrayElementType()->getCanonicalTypeUnqualified();
  if (const auto *RD = T->getAsCXXRecordDecl())
    for (const Decl *D : RD->decls())
      if (const auto *TD = dyn_cast<TypedefNameDecl>(D))
        if (TD->getName() == "value_type")
          return TD->getUnderlyingType()
              .getCanonicalType()
              .getUnqualifiedType();
  return QualType();
}

std::vector<QualType> operationParamTypes(const CallExpr *Call) {
  Algorithm A = standardAlgorithm(Call);
  unsigned N = Call->getNumArgs();
  if (A == Algorithm::Accumulate && N == 4)
    return {Call->getArg(2)->getType(), rangeElementType(Call->getArg(0))};
  if (A == Algorithm::Transform && N == 4)
    return {rangeElementType(Call->getArg(0))};
  if (A == Algorithm::Transform && N == 5)
    return {rangeElementType(Call->getArg(0)),
            rangeElementType(Call->getArg(2))};
  return {};
}

namespace {
/// Instantiates the generic lambdas passed to algorithms (see
/// instantiateAlgorithmOperations).
class OperationInstantiator
    : public RecursiveASTVisitor<OperationInstantiator> {
public:
  explicit OperationInstantiator(Sema &S) : S(S) {}

  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D) &&
        S.getSourceManager().isInSystemHeader(D->getLocation()))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  bool VisitCallExpr(CallExpr *Call) {
    const SourceManager &SM = S.getSourceManager();
    if (SM.isInSystemHeader(Call->getBeginLoc()))
      return true;
    std::vector<QualType> Types = operationParamTypes(Call);
    if (Types.empty())
      return true;
    const auto *Lambda = dyn_cast<LambdaExpr>(
        Activity::stripCopies(Call->getArg(Call->getNumArgs() - 1)));
    if (!Lambda || !Lambda->getLambdaClass()->isGenericLambda())
      return true;
    FunctionTemplateDecl *Template =
        Lambda->getLambdaClass()->getDependentLambdaCallOperator();
    const FunctionDecl *Pattern = Template->getTemplatedDecl();
    const TemplateParameterList *Params = Template->getTemplateParameters();
    if (Pattern->getNumParams() != Types.size())
      return true;
    // Each `auto` parameter is one invented template parameter.
    SmallVector<TemplateArgument, 2> Args(Params->size());
    for (unsigned I = 0; I < Types.size(); ++I) {
      if (Types[I].isNull())
        return true;
      QualType T = Pattern->getParamDecl(I)
                       ->getType()
                       .getNonReferenceType()
                       .getUnqualifiedType();
      const auto *Parm = T->getAs<TemplateTypeParmType>();
      if (!Parm)
        continue;
      if (Parm->getDepth() != Params->getDepth() ||
          Parm->getIndex() >= Args.size())
        return true;
      Args[Parm->getIndex()] = TemplateArgument(Types[I]
                                                    .getNonReferenceType()
                                                    .getCanonicalType()
                                                    .getUnqualifiedType());
    }
    for (const TemplateArgument &Arg : Args)
      if (Arg.isNull())
        return true;
    void *InsertPos = nullptr;
    FunctionDecl *Spec = Template->findSpecialization(Args, InsertPos);
    if (Spec && Spec->isDefined())
      return true; // the translation unit instantiates it already
    SourceLocation Loc = Call->getBeginLoc();
    if (!Spec) {
      Sema::SFINAETrap Trap(S);
      Spec = S.InstantiateFunctionDeclaration(
          Template, TemplateArgumentList::CreateCopy(S.getASTContext(), Args),
          Loc);
      if (!Spec || Trap.hasErrorOccurred())
        return true;
    }
    S.InstantiateFunctionDefinition(Loc, Spec, /*Recursive=*/true);
    S.PerformPendingInstantiations();
    return true;
  }

private:
  Sema &S;
};
} // namespace

void instantiateAlgorithmOperations(Sema &S) {
  OperationInstantiator(S).TraverseDecl(
      S.getASTContext().getTranslationUnitDecl());
}

} // namespace adjoint
