//===- Lambdas.cpp - What a lambda's call reads and writes ----------------===//
#include "Lambdas.h"

#include "Activity.h"
#include "CountedLoop.h"
#include "DiffRequest.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/LambdaCapture.h"

using namespace clang;

namespace adjoint {

const CXXRecordDecl *closureClass(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && RD->isLambda() ? RD : nullptr;
}

bool appendCaptures(QualType T, llvm::SmallVectorImpl<const VarDecl *> &Out) {
  const CXXRecordDecl *Closure = closureClass(T);
  if (!Closure)
    return false;
  // A captured closure passes on what it captures in turn.
  for (const LambdaCapture &C : Closure->captures())
    if (C.capturesVariable())
      if (const auto *V = dyn_cast<VarDecl>(C.getCapturedVar()))
        if (!isDerivativeFree(V->getType()) &&
            !appendCaptures(V->getType(), Out))
          Out.push_back(V);
  return true;
}

namespace {
/// Whether \p Body may write \p V or its elements: an assignment, step,
/// address or non-const reference, or a call that may write through an
/// argument designating V (element reads of a non-const vector, `v[i]`, are
/// no writes).
bool writes(const Stmt *Body, const VarDecl *V, unsigned Depth) {
  bool Written = false;
  forEachStmt(Body, [&](const Stmt *S) {
    llvm::DenseSet<const VarDecl *> Direct;
    collectDirectWrites(S, Direct);
    Written |= Direct.count(V) > 0 || Direct.count(nullptr) > 0;
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call)
      return;
    for (const Expr *Arg : writtenArgs(Call)) {
      llvm::SmallVector<const VarDecl *, 4> Targets;
      Activity::storageVars(Arg, Targets);
      Written |= llvm::is_contained(Targets, V);
    }
    // A lambda called here may write what both capture.
    if (calledClosure(Call))
      if (const FunctionDecl *Def = Call->getDirectCallee(); // instantiated
          Def && Def->hasBody())
        Written |= Depth > 4 || writes(Def->getBody(), V, Depth + 1);
  });
  return Written;
}
} // namespace

bool writesVariable(const Stmt *S, const VarDecl *V) { return writes(S, V, 0); }

bool onlyWrittenBy(const CXXMethodDecl *Method, const VarDecl *V) {
  const FunctionDecl *Def = nullptr;
  if (!Method || !Method->hasBody(Def))
    return false;
  unsigned Refs = 0, Stores = 0;
  forEachStmt(Def->getBody(), [&](const Stmt *S) {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
      Refs += Ref->getDecl() == V;
    if (const auto *BO = dyn_cast<BinaryOperator>(S))
      if (BO->getOpcode() == BO_Assign &&
          Activity::writtenVar(BO->getLHS()) == V) {
        llvm::SmallVector<const VarDecl *, 4> InLHS;
        Activity::allReferenced(BO->getLHS(), InLHS);
        Stores += llvm::count(InLHS, V) == 1;
      }
  });
  return Refs > 0 && Refs == Stores;
}

std::vector<const VarDecl *> capturesWrittenBy(const CXXMethodDecl *Method) {
  std::vector<const VarDecl *> Out;
  if (!Method || !Method->getParent()->isLambda())
    return Out;
  const FunctionDecl *Def = nullptr;
  if (!Method->hasBody(Def))
    return Out;
  for (const LambdaCapture &C : Method->getParent()->captures())
    if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef)
      if (const auto *V = dyn_cast<VarDecl>(C.getCapturedVar()))
        if (writes(Def->getBody(), V, 0))
          Out.push_back(V);
  return Out;
}

const CXXRecordDecl *calledClosure(const CallExpr *Call) {
  const auto *Method =
      dyn_cast_or_null<CXXMethodDecl>(Call ? Call->getDirectCallee() : nullptr);
  return Method && Method->getParent()->isLambda() ? Method->getParent()
                                                   : nullptr;
}

const CXXMethodDecl *differentiatedCallOperator(const CXXRecordDecl *Closure) {
  if (!Closure || !Closure->isLambda())
    return nullptr;
  if (!Closure->isGenericLambda())
    return Closure->getLambdaCallOperator();
  const FunctionTemplateDecl *Template =
      Closure->getDependentLambdaCallOperator();
  if (!Template)
    return nullptr;
  // Sema may instantiate the same signature more than once (through the
  // closure's conversion to a function pointer, ...): one pullback serves.
  const CXXMethodDecl *Only = nullptr;
  for (const FunctionDecl *Spec : Template->specializations()) {
    if (Only && Only->getType().getCanonicalType() !=
                    Spec->getType().getCanonicalType())
      return nullptr; // two parameter types: two pullbacks of one name
    if (!Only)
      Only = dyn_cast<CXXMethodDecl>(Spec);
  }
  return Only;
}

} // namespace adjoint
