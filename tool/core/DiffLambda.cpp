//===- DiffLambda.cpp - Lambdas capturing differentiated data -------------===//
//
// A lambda that captures variables gets its pullback as a local lambda
// capturing everything by reference, defined where the reverse sweep starts
// (it sees every variable the reverse sweep sees), when the lambda is declared
// (if it captures active variables) or at its first differentiated call:
//
//   auto term = [&](int i) { return w * x[i]; };
//   auto term_pullback = [&](int i, double _d_return) {
//     _d_w += _d_return * x[i];
//     _d_x[i] += w * _d_return;
//   };
//
// It reads the captured variables and accumulates into their adjoints by the
// caller's names. The caller's reverse sweep rolls its variables back
// statement by statement, so when a call's pullback runs, the captured
// variables hold what the call read. A by-reference capture the lambda writes
// is an in-out variable of the call, snapshotted like one written through an
// argument (diffCallStmt). A by-value capture is the value at the lambda's
// creation: it must not change afterwards.
//
//===----------------------------------------------------------------------===//
#include "Activity.h"
#include "CountedLoop.h"
#include "FunctionDifferentiator.h"
#include "Lambdas.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/LambdaCapture.h"

using namespace clang;

namespace adjoint {

void FunctionDifferentiator::rejectInitCaptures(const Stmt *Body) {
  forEachStmt(Body, [&](const Stmt *S) {
    const auto *Lambda = dyn_cast<LambdaExpr>(S);
    if (!Lambda)
      return;
    for (const LambdaCapture &C : Lambda->captures()) {
      const auto *V = C.capturesVariable()
                          ? dyn_cast<VarDecl>(C.getCapturedVar())
                          : nullptr;
      if (!V || !V->isInitCapture() || isDerivativeFree(V->getType()))
        continue;
      std::string Name = V->getNameAsString();
      bool ByRef = V->getType()->isReferenceType();
      const Expr *Init = V->getInit();
      std::string Hint;
      const auto *Referred =
          Init ? dyn_cast<DeclRefExpr>(Init->IgnoreParenImpCasts()) : nullptr;
      if (ByRef && Referred)
        Hint = "capture the variable itself by reference ('[&" +
               Referred->getDecl()->getNameAsString() + "]') and use its name";
      else if (ByRef)
        Hint = "capture by reference ('[&]') and write '" +
               (Init ? text(Init) : std::string("...")) +
               "' in the body instead of '" + Name + "'";
      else
        Hint = "declare a local before the lambda ('" +
               typeName(V->getType().getUnqualifiedType()) + " " + Name +
               " = " + (Init ? text(Init) : std::string("...")) +
               ";') and capture it";
      Diags.error(C.getLocation(),
                  "adjoint: cannot differentiate the init-capture '" + Name +
                      "' in '" + Request.Function->getNameAsString() +
                      "': " + Hint);
    }
  });
}

void FunctionDifferentiator::capturingPullback(const DeclStmt *DS,
                                               const VarDecl *Closure) {
  const CXXRecordDecl *RD = closureClass(Closure->getType());
  if (!RD || CapturingPullbacks.count(RD))
    return;
  bool CapturesActive = false;
  for (const LambdaCapture &C : RD->captures()) {
    if (!C.capturesVariable())
      return; // the call reports what is wrong
    CapturesActive |= isActiveVar(cast<VarDecl>(C.getCapturedVar()));
  }
  if (CapturesActive)
    definePullback(RD, DS, info(Closure).Name + "_pullback");
}

std::string FunctionDifferentiator::definePullback(const CXXRecordDecl *RD,
                                                   const Stmt *Where,
                                                   std::string Name) {
  auto Known = CapturingPullbacks.find(RD);
  if (Known != CapturingPullbacks.end())
    return Known->second;
  CapturingPullbacks[RD] = "";
  // Not the name of a pullback that takes the captures as parameters.
  if (DefinedLocally.count(Name) || UsedNames.count(Name))
    Name = fresh("_lambda") + "_pullback";
  const CXXMethodDecl *Method = differentiatedCallOperator(RD);
  auto Refuse = [&](const std::string &What, StringRef Hint) {
    unsupported(Where, "a lambda " + What, Hint);
    return std::string();
  };
  if (!Method)
    return Refuse("with 'auto' parameters called with several types",
                  "give them types, or write one lambda per type");
  if (!Method->hasBody())
    return Refuse("whose body is not visible", "define it where it is used");
  std::vector<const VarDecl *> Written = capturesWrittenBy(Method);
  DiffRequest Req{Method, DiffMode::Pullback, {}, Name};
  for (const ParmVarDecl *P : Method->parameters())
    if (isDifferentiableParam(P->getType()))
      Req.Wrt.push_back(P);
  Req.AllowFusion = Request.AllowFusion;
  Req.AsLambda = true;
  for (const LambdaCapture &C : RD->captures()) {
    if (!C.capturesVariable())
      return Refuse("capturing 'this'", "pass what it uses as parameters");
    const auto *V = cast<VarDecl>(C.getCapturedVar());
    std::string Captures = "capturing '" + V->getNameAsString() + "'";
    // The pullback is defined in the function, where only the lambda's
    // object holds the init-capture.
    if (V->isInitCapture())
      return Refuse("with the init-capture '" + V->getNameAsString() + "'",
                    "declare it as a local before the lambda and capture "
                    "that");
    VarInfo &I = info(V);
    if (I.Name != V->getNameAsString())
      return Refuse(Captures + ", which the generated code renames",
                    "give the variable a name unique in the function");
    // The pullback would call the captured closure, not its pullback.
    llvm::SmallVector<const VarDecl *, 4> Inner;
    if (appendCaptures(V->getType(), Inner) && !Inner.empty())
      return Refuse(Captures + ", another lambda capturing variables",
                    "call a function at namespace scope, or pass the "
                    "lambda's result as a parameter");
    bool Active = isActiveVar(V);
    if (Active && I.AdjName.empty())
      return Refuse(Captures + ", a pointer into another variable",
                    "capture the variable it points into and index it");
    // A copy holds the value at the lambda's creation, which the reverse
    // sweep reads from the variable itself. A copied pointer only needs to
    // point to the same place (what it points to is rolled back).
    bool Kept = V->getType()->isPointerType() ? !Act.isMovingPointer(V)
                                              : !writesVariable(TopBlock, V);
    if (C.getCaptureKind() == LCK_ByCopy && !isDerivativeFree(V->getType()) &&
        (!Kept || !Method->isConst()))
      return Refuse(Captures + " by value, which changes after the capture",
                    "capture it by reference ('[&]'), or copy it into a "
                    "const local first");
    // A mutable lambda's copy lives in the closure and changes with each
    // call; the pullbacks would replay every call with its last state.
    if (C.getCaptureKind() == LCK_ByCopy && !Method->isConst() &&
        writesVariable(Method->getBody(), V))
      return Refuse("declared 'mutable' that changes its copy of '" +
                        V->getNameAsString() + "'",
                    "capture it by reference ('[&]') and keep the state in "
                    "the function");
    Req.Captures.push_back(
        {V, I.Name, Active ? I.AdjName : "", llvm::is_contained(Written, V)});
  }
  std::optional<std::string> Code =
      FunctionDifferentiator(Ctx, Diags, Services, Req).run();
  if (!Code)
    return "";
  UsedNames.insert(Name);
  CapturingPullbacks[RD] = Name;
  SmallVector<StringRef, 16> Lines;
  StringRef(*Code).rtrim('\n').split(Lines, '\n');
  for (StringRef L : Lines)
    CapturingDefinitions.line(L.str());
  return Name;
}

std::optional<std::string>
FunctionDifferentiator::capturingPullbackOf(const CallExpr *Call) {
  const CXXRecordDecl *RD = calledClosure(Call);
  if (!RD)
    return std::nullopt;
  auto It = CapturingPullbacks.find(RD);
  if (It != CapturingPullbacks.end())
    return It->second;
  // A lambda capturing only constants, which may change in the function: a
  // differentiated call defines its pullback, which reads them rolled back
  // to their values at the call.
  if (RD->capture_size() == 0 ||
      llvm::any_of(RD->captures(), [](const LambdaCapture &C) {
        return !C.capturesVariable();
      }))
    return std::nullopt;
  std::string Name = fresh("_lambda") + "_pullback";
  if (const auto *Ref =
          dyn_cast<DeclRefExpr>(Activity::stripCopies(Call->getArg(0))))
    if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl()))
      Name = info(V).Name + "_pullback";
  return definePullback(RD, Call, Name);
}

void FunctionDifferentiator::registerCaptures(bool BeforeAnalysis) {
  if (Request.Captures.empty())
    return;
  if (BeforeAnalysis) {
    std::vector<const VarDecl *> Varied, Written;
    for (const DiffRequest::Capture &C : Request.Captures)
      if (!C.AdjName.empty()) {
        Varied.push_back(C.Var);
        if (C.Written)
          Written.push_back(C.Var);
      }
    Act.setCaptured(Varied, Written);
    return;
  }
  for (const DiffRequest::Capture &C : Request.Captures) {
    VarInfo &I = Vars[C.Var];
    I.Name = C.Name;
    UsedNames.insert(C.Name);
    if (C.AdjName.empty()) {
      if (Act.isActive(C.Var))
        unsupported(Request.Function->getBody(),
                    "a lambda whose body makes the captured '" + C.Name +
                        "' depend on differentiated values",
                    "return the value instead of writing it");
      continue;
    }
    I.AdjName = C.AdjName;
    I.Active = Act.isActive(C.Var);
    UsedNames.insert(C.AdjName);
  }
}

std::vector<const VarDecl *>
FunctionDifferentiator::capturesWrittenAt(const CallExpr *Call) {
  std::vector<const VarDecl *> Out;
  for (const VarDecl *V : capturesWrittenBy(
           dyn_cast_or_null<CXXMethodDecl>(Call->getDirectCallee())))
    if (isActiveVar(V) || readInReverse(V))
      Out.push_back(V);
  return Out;
}

} // namespace adjoint
