//===- FunctionDifferentiator.cpp - Setup and assembly --------------------===//

#include "FunctionDifferentiator.h"
#include "ClangCompat.h"
#include "CountedLoop.h"
#include "GlobalWrites.h"
#include "analysis/AccessPath.h"
#include "analysis/HiddenState.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/ScopeExit.h"

#include <functional>
#include <map>

using namespace clang;

namespace adjoint {

DiffServices::~DiffServices() = default;

bool isReal(QualType T) {
  T = T.getNonReferenceType().getCanonicalType();
  return T->isRealFloatingType();
}

bool isLibraryFunction(const SourceManager &SM, const FunctionDecl *Callee) {
  return Callee->getBuiltinID() ||
         SM.isInSystemHeader(Callee->getLocation()) ||
         inAdjointNamespace(Callee);
}

bool inAdjointNamespace(const FunctionDecl *FD) {
  for (const DeclContext *DC = FD->getDeclContext(); DC; DC = DC->getParent())
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC))
      if (NS->getName() == "adjoint" &&
          NS->getParent()->getRedeclContext()->isTranslationUnit())
        return true;
  return false;
}

bool isRealPointer(QualType T) {
  T = T.getNonReferenceType().getCanonicalType();
  if (const auto *PT = T->getAs<PointerType>())
    return isReal(PT->getPointeeType());
  if (const auto *AT = dyn_cast<ArrayType>(T.getTypePtr()))
    return isReal(AT->getElementType());
  return false;
}

QualType stdSequenceElement(QualType T) {
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T.getNonReferenceType()->getAsCXXRecordDecl());
  if (!Spec || (Spec->getName() != "vector" && Spec->getName() != "array") ||
      !Spec->isInStdNamespace())
    return QualType();
  const TemplateArgumentList &Args = Spec->getTemplateArgs();
  if (Args.size() < 1 || Args[0].getKind() != TemplateArgument::Type)
    return QualType();
  return Args[0].getAsType();
}

bool isRealVector(QualType T) {
  QualType Element = stdSequenceElement(T);
  return !Element.isNull() && isReal(Element);
}

bool isIntegerBuffer(QualType T) {
  T = T.getNonReferenceType().getCanonicalType();
  QualType Element = stdSequenceElement(T);
  if (const auto *PT = T->getAs<PointerType>())
    Element = PT->getPointeeType();
  else if (const auto *AT = dyn_cast<ArrayType>(T.getTypePtr()))
    Element = AT->getElementType();
  return !Element.isNull() && Element->isIntegralOrEnumerationType();
}

bool isStdArray(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && RD->isInStdNamespace() && RD->getIdentifier() &&
         RD->getName() == "array";
}

bool isTensor(QualType T) {
  return isTensorRecord(T.getNonReferenceType()->getAsCXXRecordDecl());
}

bool isTensorRecord(const CXXRecordDecl *RD) {
  if (!RD || RD->getName() != "Tensor")
    return false;
  const auto *NS = dyn_cast<NamespaceDecl>(RD->getDeclContext());
  return NS && NS->getName() == "adjoint" &&
         NS->getDeclContext()->getRedeclContext()->isTranslationUnit();
}

FunctionDifferentiator::FunctionDifferentiator(ASTContext &Ctx,
                                               DiagnosticSink &Diags,
                                               DiffServices &Services,
                                               DiffRequest Request)
    : Ctx(Ctx), Diags(Diags), Services(Services), Request(std::move(Request)),
      Source(Ctx.getSourceManager(), Ctx.getLangOpts()),
      Policy(Ctx.getPrintingPolicy()) {
  Policy.SuppressTagKeyword = true;
  Policy.SuppressScope = false;
  Policy.FullyQualifiedName = true;
  ActivityWrt = this->Request.Wrt;
  if (this->Request.ActiveThis) {
    // `*this` is analysed and differentiated as a const reference parameter
    // of the class type that the function does not declare.
    const auto *Method = cast<CXXMethodDecl>(this->Request.Function);
    QualType Class = tagType(Ctx, Method->getParent());
    auto *This = ParmVarDecl::Create(
        Ctx, const_cast<CXXMethodDecl *>(Method), Method->getLocation(),
        Method->getLocation(), &Ctx.Idents.get("this"),
        Ctx.getLValueReferenceType(Class.withConst()), nullptr, SC_None,
        nullptr);
    ThisObject = This;
    ActivityWrt.push_back(This);
    VarInfo &I = Vars[This];
    I.Name = "(*this)";
    I.AdjName = "_d_this";
    I.Active = true;
    UsedNames.insert(I.AdjName);
  }
}

std::string FunctionDifferentiator::typeName(QualType T) const {
  // Library typedefs of builtins (value_type, size_type) name nothing in the
  // generated function's scope; spell the builtin.
  QualType C = T.getCanonicalType();
  if (!Request.RealType.empty() && isReal(T) && !T->isPointerType()) {
    QualType N = T.getNonReferenceType();
    return std::string(N.isConstQualified() ? "const " : "") +
           Request.RealType +
           (T->isLValueReferenceType()   ? " &"
            : T->isRValueReferenceType() ? " &&"
                                         : "");
  }
  // A tensor spelled as the library spells it ("Tensor") names nothing in a
  // user namespace without a using-declaration: spell it fully qualified.
  if (isTensor(T)) {
    QualType N = T.getNonReferenceType();
    return std::string(N.isConstQualified() ? "const " : "") +
           "::adjoint::Tensor" +
           (T->isLValueReferenceType()   ? " &"
            : T->isRValueReferenceType() ? " &&"
                                         : "");
  }
  if (C->isBuiltinType() ||
      (C->isPointerType() && C->getPointeeType()->isBuiltinType()))
    return C.getAsString(Policy);
  return T.getAsString(Policy);
}

/// Whether a declaration of type \p T must put its name inside the type's
/// spelling: a pointer or reference to an array or a function, as written
/// (a typedef's name needs no declarator).
static bool needsDeclarator(QualType T) {
  const Type *Ty = T.getTypePtr();
  for (;;) {
    if (const auto *P = dyn_cast<ParenType>(Ty))
      Ty = P->getInnerType().getTypePtr();
    else if (const auto *P = dyn_cast<PointerType>(Ty))
      Ty = P->getPointeeType().getTypePtr();
    else if (const auto *R = dyn_cast<ReferenceType>(Ty))
      Ty = R->getPointeeTypeAsWritten().getTypePtr();
    else if (const auto *M = dyn_cast<MemberPointerType>(Ty))
      Ty = M->getPointeeType().getTypePtr();
    else if (const auto *D = dyn_cast<DecayedType>(Ty))
      Ty = D->getDecayedType().getTypePtr();
    else
      break;
  }
  return isa<ArrayType>(Ty) || isa<FunctionType>(Ty);
}

std::string FunctionDifferentiator::fresh(const char *Prefix) {
  for (;;) {
    std::string Name = Prefix + std::to_string(Counters[Prefix]++);
    if (UsedNames.insert(Name).second)
      return Name;
  }
}

FunctionDifferentiator::VarInfo &
FunctionDifferentiator::info(const VarDecl *V) {
  auto It = Vars.find(V);
  if (It != Vars.end())
    return It->second;
  // Variables not registered up front (e.g. globals) keep their names.
  VarInfo &I = Vars[V];
  I.Name = V->getNameAsString();
  return I;
}

bool FunctionDifferentiator::isActiveVar(const VarDecl *V) const {
  return V && Act.isActive(V);
}

std::string FunctionDifferentiator::adjointOf(const VarDecl *V) {
  return info(V).AdjName;
}

bool FunctionDifferentiator::readInReverse(const VarDecl *V) const {
  return V && Act.isReadInReverse(V);
}

bool FunctionDifferentiator::lvalueReadInReverse(const Expr *E) const {
  return readInReverse(Activity::writtenVar(E));
}

bool FunctionDifferentiator::neededBefore(const Expr *E, const Stmt *S) const {
  const VarDecl *V = Activity::writtenVar(E);
  return V && Act.isNeededBefore(V, S);
}

void FunctionDifferentiator::unsupported(const Stmt *S, StringRef What,
                                         StringRef Hint) {
  std::string Message = "adjoint: cannot differentiate " + What.str() +
                        " in '" + Request.Function->getNameAsString() + "'";
  if (!Hint.empty())
    Message += ": " + Hint.str();
  Diags.error(S ? beginLoc(S) : Request.Function->getLocation(),
              Message);
}

std::string FunctionDifferentiator::adjointDecl(QualType T,
                                                const std::string &Name,
                                                const std::string &Init) const {
  T = T.getNonReferenceType().getUnqualifiedType();
  if (isTensor(T))
    return "::adjoint::Tensor " + Name + (Init.empty() ? "" : " = " + Init) +
           ";";
  if (isRealStruct(T))
    return typeName(T) + " " + Name + " = " +
           (Init.empty() ? structZero(T) : Init) + ";";
  return typeName(T) + " " + Name + " = " + (Init.empty() ? "0" : Init) + ";";
}

std::string FunctionDifferentiator::declaration(QualType T,
                                                const std::string &Name) const {
  // The outermost extent is spelled first: `double A[2][3]`.
  std::string Extents;
  while (const auto *AT = Ctx.getAsConstantArrayType(T)) {
    Extents += "[" + std::to_string(AT->getSize().getZExtValue()) + "]";
    T = AT->getElementType();
  }
  if (!needsDeclarator(T))
    return typeName(T) + " " + Name + Extents;
  // The name goes inside: `double (*r)[3]`, `double (*f)(double)`.
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  T.print(OS, Policy, Name + Extents);
  return OS.str();
}

namespace {
/// Whether \p Call is `v.data()`.
bool isDataCall(const CXXMemberCallExpr *Call) {
  const CXXMethodDecl *Method = Call->getMethodDecl();
  return Method && Method->getIdentifier() && Method->getName() == "data";
}
} // namespace

const VarDecl *FunctionDifferentiator::bufferBase(const Expr *E,
                                                  bool Integers) {
  // p + k, &p[k], v.data(), and any chain of them.
  bool AfterAddressOf = false;
  const VarDecl *V = namedVariable(accessRoot(E, [&](const AccessStep &Step) {
    bool Follow = Step.Kind == AccessStep::Offset ||
                  Step.Kind == AccessStep::AddressOf ||
                  (Step.Kind == AccessStep::Element && AfterAddressOf) ||
                  (Step.Kind == AccessStep::MethodCall &&
                   isDataCall(cast<CXXMemberCallExpr>(Step.Access)));
    AfterAddressOf = Step.Kind == AccessStep::AddressOf;
    return Follow;
  }));
  if (!V)
    return nullptr;
  auto It = Vars.find(V);
  if (It != Vars.end() && It->second.PointerBase)
    return It->second.PointerBase;
  QualType T = V->getType();
  return isRealBuffer(T) || (Integers && isIntegerBuffer(T)) ? V : nullptr;
}

void FunctionDifferentiator::declareState(const std::string &Type,
                                          const std::string &Name,
                                          const std::string &Init, bool Plain) {
  Prologue.line(Type + " " + Name + (Init.empty() ? "" : " = " + Init) + ";");
  State.push_back({Type, Name, true, Plain});
}

bool FunctionDifferentiator::isPlain(QualType T) const {
  return T.getNonReferenceType().getUnqualifiedType().isTriviallyCopyableType(
      Ctx);
}

std::string FunctionDifferentiator::zeroOf(QualType T) const {
  if (isRealStruct(T))
    return structZero(T);
  return isTensor(T) ? "::adjoint::Tensor()" : "0";
}

std::string FunctionDifferentiator::specifiers() const {
  const FunctionDecl *FD = Request.Function;
  std::string Out;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
    if (MD->isStatic())
      Out += "static ";
  } else if (FD->getStorageClass() == SC_Static) {
    Out += "static ";
  }
  if (FD->isInlined())
    Out += "inline ";
  return Out;
}

std::string FunctionDifferentiator::paramName(const ParmVarDecl *P) const {
  // Unnamed parameters (of a declaration without a body, in a suggested
  // signature) are named after their position.
  if (!P->getName().empty())
    return P->getNameAsString();
  const FunctionDecl *FD = Request.Function;
  std::string Name = "arg" + std::to_string(P->getFunctionScopeIndex());
  while (llvm::any_of(FD->parameters(), [&](const ParmVarDecl *Other) {
    return Other->getName() == Name;
  }))
    Name = "_" + Name;
  return Name;
}

std::vector<std::string> FunctionDifferentiator::adjointParams() const {
  // Types are classified on the function and spelled as Spelling declares
  // them.
  const FunctionDecl *Spell =
      Request.Spelling ? Request.Spelling : Request.Function;
  std::vector<std::string> Params;
  if (ThisObject)
    Params.push_back(
        typeName(
            ThisObject->getType().getNonReferenceType().getUnqualifiedType()) +
        " &_d_this");
  for (const ParmVarDecl *P : Request.Wrt) {
    QualType C = P->getType().getNonReferenceType();
    QualType T = Spell->getParamDecl(P->getFunctionScopeIndex())
                     ->getType()
                     .getNonReferenceType();
    std::string Adj = "_d_" + paramName(P);
    auto Override = Request.AdjointTypes.find(Params.size());
    if (Override != Request.AdjointTypes.end())
      Params.push_back(Override->second + " " + Adj);
    else if (isTensor(C))
      Params.push_back("::adjoint::Tensor &" + Adj);
    else if (isReal(C) || isRealVector(C) || isRealStruct(C))
      Params.push_back(typeName(T.getUnqualifiedType()) + " &" + Adj);
    else
      Params.push_back(
          typeName(Ctx.getBaseElementType(T->isPointerType()
                                              ? T->getPointeeType()
                                              : T)
                       .getUnqualifiedType()) +
          " *" + Adj);
  }
  return Params;
}

bool FunctionDifferentiator::restrictsInputs() const {
  return llvm::none_of(Request.Function->parameters(),
                       [](const ParmVarDecl *P) {
                         QualType T = P->getType();
                         return (T->isPointerType() || T->isReferenceType()) &&
                                !T->getPointeeType().isConstQualified();
                       });
}

bool FunctionDifferentiator::isRestricted(const ParmVarDecl *P) const {
  return Request.ParamTypes.empty() && P->getType()->isPointerType() &&
         isRealPointer(P->getType()) && restrictsInputs();
}

std::string FunctionDifferentiator::signature(bool WithSeed,
                                              bool Definition) const {
  const FunctionDecl *FD = Request.Function;
  const FunctionDecl *Spell = Request.Spelling ? Request.Spelling : FD;
  std::string Sig = Request.TemplateHead.empty()
                        ? specifiers()
                        : Request.TemplateHead + " inline ";
  QualType Ret = FD->getReturnType();
  std::string RetName = typeName(Spell->getReturnType());
  // A pullback receives the adjoint of a struct result by const reference.
  bool StructResult = Request.Mode == DiffMode::Pullback && isRealStruct(Ret);
  bool DiffResult = isDifferentiableResult(Ret) || StructResult;
  Sig += Request.Mode == DiffMode::Vjp ? RetName : std::string("void");
  Sig += " " + Request.Name + Request.TemplateArgs + "(";
  std::vector<std::string> Params;
  for (const ParmVarDecl *P : FD->parameters()) {
    auto Override = Request.ParamTypes.find(P->getFunctionScopeIndex());
    QualType T = Spell->getParamDecl(P->getFunctionScopeIndex())->getType();
    if (Override == Request.ParamTypes.end() && needsDeclarator(T))
      Params.push_back(declaration(T, paramName(P)));
    else
      Params.push_back(
          (Override != Request.ParamTypes.end() ? Override->second
                                                : typeName(T)) +
          (Definition && isRestricted(P) ? " __restrict " : " ") +
          paramName(P));
  }
  if (DiffResult && WithSeed)
    Params.push_back((isTensor(Ret)  ? std::string("const ::adjoint::Tensor &")
                      : StructResult ? "const " + RetName + " &"
                                     : RetName + " ") +
                     (Request.Mode == DiffMode::Vjp ? "_seed" : "_d_return"));
  for (std::string &A : adjointParams())
    Params.push_back(std::move(A));
  for (size_t I = 0; I < Params.size(); ++I)
    Sig += (I ? ", " : "") + Params[I];
  Sig += ")";
  // The generated members of an object read its data members as f does.
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
    if (MD->isInstance() && MD->isConst())
      Sig += " const";
  return Sig;
}

namespace {
/// The calls of free functions in \p S (whose callee DiffServices::
/// dualPrimalFor may replace).
std::vector<const CallExpr *> userCalls(const Stmt *S) {
  std::vector<const CallExpr *> Calls;
  std::function<void(const Stmt *)> Walk = [&](const Stmt *Node) {
    if (!Node)
      return;
    if (const auto *Call = dyn_cast<CallExpr>(Node))
      if (const FunctionDecl *Callee = Call->getDirectCallee();
          Callee && !isa<CXXMethodDecl>(Callee) &&
          !isa<CXXOperatorCallExpr>(Call) &&
          isa<DeclRefExpr>(Call->getCallee()->IgnoreParenImpCasts()))
        Calls.push_back(Call);
    for (const Stmt *Child : Node->children())
      Walk(Child);
  };
  Walk(S);
  return Calls;
}

/// Collects the local variables of a body and the references to them.
struct LocalCollector : RecursiveASTVisitor<LocalCollector> {
  std::vector<const VarDecl *> Locals;
  std::vector<const DeclRefExpr *> Refs;
  bool VisitVarDecl(VarDecl *V) {
    if (!isa<ParmVarDecl>(V))
      Locals.push_back(V);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    Refs.push_back(E);
    return true;
  }
};
} // namespace

bool FunctionDifferentiator::checkScalarAddresses(const Stmt *Body) {
  bool Ok = true;
  forEachStmt(Body, [&](const Stmt *S) {
    const auto *U = dyn_cast<UnaryOperator>(S);
    const auto *Ref =
        U && U->getOpcode() == UO_AddrOf
            ? dyn_cast<DeclRefExpr>(U->getSubExpr()->IgnoreParenImpCasts())
            : nullptr;
    const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    if (!V || !isReal(V->getType()) || !Ok)
      return;
    unsupported(U,
                "taking the address of the " + typeName(V->getType()) + " '" +
                    V->getNameAsString() + "'",
                "adjoint does not follow values through a pointer to a "
                "scalar; pass it by reference, or make it a one-element "
                "array");
    Ok = false;
  });
  return Ok;
}

bool FunctionDifferentiator::verifyReverseReads(const CodeBlock &Reverse) {
  std::string Text = Reverse.str();
  const Stmt *Body = Request.Function->getBody();
  StableVariables Unchanged(Body);
  // A variable passed to a callee by reference or pointer is mentioned by the
  // pullback call for its address: whether its contents are read is the
  // call's flows' business (Activity::onlyWrites).
  llvm::DenseSet<const VarDecl *> PassedByAddress;
  forEachStmt(Body, [&](const Stmt *S) {
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call)
      return;
    for (const Expr *Arg : Call->arguments()) {
      llvm::SmallVector<const VarDecl *, 4> Refs;
      Activity::storageVars(Arg, Refs);
      if (Arg->isLValue() || Arg->getType()->isPointerType())
        PassedByAddress.insert(Refs.begin(), Refs.end());
    }
  });
  bool Ok = true;
  for (const auto &[V, I] : Vars) {
    // Reals hold their values; a pointer's own value matters when it moves
    // (what it points to is read as the variable it points into).
    QualType T = V->getType();
    bool Checked = (isReal(T) && !T->isReferenceType()) ||
                   (T->isPointerType() && Act.isMovingPointer(V));
    if (!Checked || Act.isReadInReverse(V) || Unchanged.isStable(V) ||
        PassedByAddress.count(V) || !mentions(Text, I.Name))
      continue;
    Diags.error(V->getLocation(),
                "adjoint: internal check failed in '" +
                    Request.Function->getNameAsString() +
                    "': the reverse sweep reads '" + I.Name +
                    "', which the analysis does not record as read, so it "
                    "may see a later value; please report this");
    Ok = false;
  }
  return Ok;
}

std::optional<std::string> FunctionDifferentiator::run() {
  const FunctionDecl *FD = Request.Function;
  const auto *Body = dyn_cast_or_null<CompoundStmt>(FD->getBody());
  if (!Body) {
    unsupported(FD->getBody(), "a function without a body",
                "provide a custom pullback");
    return std::nullopt;
  }
  TopBlock = Body;
  unsigned ErrorsBefore = Diags.errorCount();
  // `this->x` depends on ThisObject while this function is analysed.
  const VarDecl *OuterThis = Activity::thisObject();
  Activity::thisObject() = ThisObject;
  auto RestoreThis =
      llvm::make_scope_exit([&] { Activity::thisObject() = OuterThis; });

  QualType Ret = FD->getReturnType();
  // A pullback may return a struct of reals (V3 operator+(...)), whose
  // adjoint it receives.
  bool RealResult = isDifferentiableResult(Ret) ||
                    (Request.Mode == DiffMode::Pullback && isRealStruct(Ret));
  std::vector<const ParmVarDecl *> Outputs;
  for (const ParmVarDecl *P : Request.Wrt)
    if (isOutputParam(P->getType()))
      Outputs.push_back(P);
  // A pullback ignores a result without derivatives (a functor's `return
  // true;`): the caller's forward sweep has the value.
  bool IgnoredResult =
      Request.Mode == DiffMode::Pullback && isDerivativeFree(Ret);
  if (!RealResult && !Ret->isVoidType() && !IgnoredResult) {
    Diags.error(FD->getLocation(),
                "adjoint: cannot differentiate '" + FD->getNameAsString() +
                    "': its result type '" + typeName(Ret) +
                    "' is not float, double or adjoint::Tensor; return such a "
                    "value or write outputs through a 'double*' parameter");
    return std::nullopt;
  }
  if (!RealResult && Outputs.empty() && Request.Mode == DiffMode::Vjp) {
    Diags.error(FD->getLocation(),
                "adjoint: '" + FD->getNameAsString() +
                    "' returns void and no output pointer is differentiated; "
                    "add the output parameter (a non-const 'double*') to "
                    "ADJOINT_GRAD");
    return std::nullopt;
  }
  findCheckpoints();
  checkStaticWrites();
  rejectInitCaptures(Body);
  if (Diags.errorCount() != ErrorsBefore)
    return std::nullopt;
  findFusedLoop();
  registerCaptures(/*BeforeAnalysis=*/true);
  Act.analyze(FD, ActivityWrt, Outputs, Checkpointed, FusedLoop);
  std::vector<const VarDecl *> Opaque(Act.opaqueTargets().begin(),
                                      Act.opaqueTargets().end());
  // A range-based for loop's hidden iterators are reported as the loop.
  llvm::erase_if(Opaque, [](const VarDecl *V) { return V->isImplicit(); });
  for (const VarDecl *V : Opaque) {
    // Library classes are not meant as structs of doubles.
    const auto *RD =
        V->getType().getNonReferenceType()->getAsCXXRecordDecl();
    bool Library = RD && (RD->isInStdNamespace() ||
                          Ctx.getSourceManager().isInSystemHeader(
                              RD->getLocation()));
    std::string Problem = RD && !Library && !RD->isLambda()
                              ? structProblem(V->getType())
                              : "";
    std::string Hint =
        "use a C array, std::vector<double> or scalar locals" +
        (Problem.empty() ? "" : " (or a struct of doubles: " + Problem + ")");
    if (Library && RD->getIdentifier() &&
        RD->getName().contains_insensitive("iterator"))
      Hint = "iterators over differentiated data are not differentiated; "
             "write an index loop ('for (size_t i = 0; i < v.size(); ++i)' "
             "reading 'v[i]') or a range-based for loop ('for (double e : "
             "v)')";
    // An array of arrays of reals: the flat array it can be written as.
    const auto *Outer = Ctx.getAsConstantArrayType(V->getType());
    const auto *Inner =
        Outer ? Ctx.getAsConstantArrayType(Outer->getElementType()) : nullptr;
    if (Inner && isReal(Inner->getElementType()))
      Hint = "arrays of arrays are not differentiated; use a flat array '" +
             typeName(Inner->getElementType()) + " " + V->getNameAsString() +
             "[" +
             std::to_string(Outer->getSize().getZExtValue() *
                            Inner->getSize().getZExtValue()) +
             "]' indexed as '" + V->getNameAsString() + "[i * " +
             std::to_string(Inner->getSize().getZExtValue()) + " + j]'";
    Diags.error(V->getLocation(), "adjoint: cannot differentiate through '" +
                                      V->getNameAsString() + "' of type '" +
                                      typeName(V->getType()) + "': " + Hint);
  }
  if (!Opaque.empty())
    return std::nullopt;

  // Names: parameters first, then top-level locals keep theirs; locals of
  // nested blocks are hoisted to the top and renamed on a clash.
  for (const ParmVarDecl *P : FD->parameters()) {
    VarInfo &I = Vars[P];
    I.Name = P->getNameAsString();
    UsedNames.insert(I.Name);
  }
  registerCaptures(/*BeforeAnalysis=*/false);
  for (const ParmVarDecl *P : Request.Wrt) {
    VarInfo &I = Vars[P];
    I.Active = true;
    I.AdjName = "_d_" + I.Name;
    UsedNames.insert(I.AdjName);
    bool InOut = P->getType()->isLValueReferenceType() &&
                 !P->getType().getNonReferenceType().isConstQualified();
    if ((isReal(P->getType()) || isTensor(P->getType())) && !InOut &&
        Act.isWritten(P)) {
      // Assignments reset the adjoint of the assigned value; a local keeps
      // that from clobbering what the caller accumulated.
      std::string Local = I.AdjName + "_local";
      UsedNames.insert(Local);
      AdjointPrologue.line(adjointDecl(P->getType(), Local));
      Epilogue.line(I.AdjName + " += " + Local + ";");
      I.AdjName = Local;
    }
  }
  for (const ParmVarDecl *P : FD->parameters()) {
    VarInfo &I = Vars[P];
    if (I.Active || !Act.isActive(P))
      continue;
    if (!(isReal(P->getType()) || isTensor(P->getType())) ||
        P->getType()->isReferenceType()) {
      Diags.error(P->getLocation(),
                  "adjoint: parameter '" + I.Name + "' of '" +
                      FD->getNameAsString() +
                      "' carries derivatives but is not differentiated; add "
                      "it to ADJOINT_GRAD");
      return std::nullopt;
    }
    // A value parameter overwritten with an active value.
    I.Active = true;
    I.AdjName = "_d_" + I.Name;
    UsedNames.insert(I.AdjName);
    AdjointPrologue.line(adjointDecl(P->getType(), I.AdjName));
  }
  if (!checkStructParams())
    return std::nullopt;
  LocalCollector Collector;
  Collector.TraverseStmt(const_cast<CompoundStmt *>(Body));
  llvm::DenseSet<const VarDecl *> TopLevel;
  for (const Stmt *S : Body->body())
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D)) {
          TopLevel.insert(V);
          UsedNames.insert(V->getNameAsString());
        }
  for (const VarDecl *V : Collector.Locals) {
    // A range-based for loop's hidden range and iterators are not emitted.
    if (V->isImplicit())
      continue;
    VarInfo &I = Vars[V];
    I.Name = V->getNameAsString();
    if (!TopLevel.count(V) && !UsedNames.insert(I.Name).second) {
      for (unsigned N = 1;; ++N)
        if (UsedNames.insert(I.Name + "_" + std::to_string(N)).second) {
          I.Name += "_" + std::to_string(N);
          break;
        }
    }
    if (!Act.isActive(V))
      continue;
    I.Active = true;
    if (V->getType()->isPointerType()) {
      const Expr *Init = V->getInit();
      const auto *New = Init ? dyn_cast<CXXNewExpr>(Init->IgnoreParenImpCasts())
                             : nullptr;
      if (!New) {
        I.PointerBase = Init ? bufferBase(Init) : nullptr;
        if (!I.PointerBase) {
          unsupported(V->getInit() ? static_cast<const Stmt *>(V->getInit())
                                   : Body,
                      "a local pointer '" + I.Name +
                          "' that does not point into a parameter or local "
                          "array",
                      "initialize it as '&x[k]' or 'x + k'");
          return std::nullopt;
        }
        continue;
      }
    }
    I.AdjName = "_d_" + I.Name;
    UsedNames.insert(I.AdjName);
    QualType T = V->getType();
    if (isRealVector(T) && isStdArray(T)) {
      AdjointPrologue.line(typeName(T.getUnqualifiedType()) + " " + I.AdjName +
                           "{};");
    } else if (isRealVector(T)) {
      // Sized once the forward sweep has built the vector. A fresh vector
      // (not resize, whose out-of-line growth takes the vector's address)
      // lets the compiler see that its storage overlaps nothing else.
      std::string Type = typeName(T.getUnqualifiedType());
      AdjointPrologue.line(Type + " " + I.AdjName + ";");
      ReverseStart.line(I.AdjName + " = " + Type + "(" + I.Name + ".size());");
    } else if (T->isPointerType()) {
      AdjointPrologue.line(typeName(T.getUnqualifiedType()) + " " +
                           I.AdjName + " = nullptr;");
    } else if (T->isConstantArrayType() &&
               isRealStruct(Ctx.getBaseElementType(T))) {
      AdjointPrologue.append(structArrayZero(T, I.AdjName));
    } else if (T->isConstantArrayType()) {
      AdjointPrologue.line(declaration(T, I.AdjName) + " = {};");
    } else {
      AdjointPrologue.line(adjointDecl(T, I.AdjName));
    }
  }
  for (const DeclRefExpr *Ref : Collector.Refs)
    if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl())) {
      auto It = Vars.find(V);
      if (It != Vars.end() && It->second.Name != V->getNameAsString())
        Replacements.push_back({Ref->getSourceRange(), It->second.Name, Ref});
    }

  // Over Duals, the forward sweep calls the user's functions computed over
  // Duals.
  if (!Request.RealType.empty())
    for (const CallExpr *Call : userCalls(Body)) {
      std::string Primal = Services.dualPrimalFor(Call->getDirectCallee(), Call,
                                                  Request.RealType);
      if (Primal.empty())
        continue;
      const Expr *Callee = Call->getCallee()->IgnoreParenImpCasts();
      Replacements.push_back({Callee->getSourceRange(), Primal, Callee});
    }

  if (RealResult) {
    ReturnVar = fresh("_ret");
  }
  // Activity does not depend on checkpointing, but reading in reverse does.
  if (!analyzeWithCheckpoints(Outputs))
    return std::nullopt;
  if (!checkStructUses(Body) || !checkScalarAddresses(Body) ||
      !checkMemberWrites(Body) || !checkWritingCallsIn(Body))
    return std::nullopt;
  StmtPair Pair = diffStmt(Body);
  if (Services.verifying() && !verifyReverseReads(Pair.Reverse))
    return std::nullopt;
  if (Diags.errorCount() != ErrorsBefore)
    return std::nullopt;
  if (RealResult && !SeenReturn) {
    unsupported(Body, "a function that may end without 'return'",
                "return a value on every path");
    return std::nullopt;
  }

  if (Request.Mode == DiffMode::Vjp) {
    // The reverse sweep rolled outputs it reads back to their old contents;
    // running the function once more leaves its results in them.
    bool OutputsRolledBack = false;
    for (const ParmVarDecl *P : Outputs)
      OutputsRolledBack |= Act.isReadInReverse(P);
    if (OutputsRolledBack) {
      if (const ParmVarDecl *P = replayedWrite(FD)) {
        unsupported(nullptr,
                    "a function that writes '" + P->getNameAsString() +
                        "' (an integer of the caller's) and whose outputs "
                        "the reverse sweep reads",
                    "the generated function runs it once more to leave its "
                    "results in the outputs, which would write the integer "
                    "twice; return the integer's update, or write the outputs "
                    "from local values");
        return std::nullopt;
      }
      // A parameter or local named like the function hides it.
      std::string Callee = FD->getNameAsString();
      if (UsedNames.count(Callee)) {
        std::string Qualified = FD->getQualifiedNameAsString();
        if (Qualified.find('(') != std::string::npos) {
          unsupported(nullptr,
                      "a function whose parameter or local variable '" +
                          Callee + "' has the function's name",
                      "rename the variable");
          return std::nullopt;
        }
        Callee = "::" + Qualified;
      }
      std::string Call = Callee + Request.TemplateArgs + "(";
      for (const ParmVarDecl *P : FD->parameters())
        Call += (P == FD->getParamDecl(0) ? "" : ", ") + P->getNameAsString();
      Epilogue.line(Call + ");");
    }
  }
  if (UsesTape)
    declareState("::adjoint::Tape", "_tape", "", /*Plain=*/false);
  if (UsesLog)
    declareState("::adjoint::WriteLog", "_log", "", /*Plain=*/false);
  ForwardSweep = Pair.Forward;
  ReverseSweep = Pair.Reverse;
  if (Request.Mode == DiffMode::Split)
    return callSplit();
  CodeBlock Fn;
  for (const std::string &Alias : Request.Aliases)
    Fn.line(Alias);
  Fn.append(aliasChecks());
  Fn.append(Constants);
  Fn.append(AdjointPrologue);
  Fn.append(Prologue);
  Fn.append(Pair.Forward);
  Fn.append(CapturingDefinitions);
  Fn.append(ReverseStart);
  Fn.append(Pair.Reverse);
  Fn.append(Epilogue);
  if (RealResult && Request.Mode == DiffMode::Vjp)
    Fn.line("return " + ReturnVar + ";");
  CodeBlock Out;
  std::string Signature = signature(/*WithSeed=*/true, /*Definition=*/true);
  if (Request.AsLambda) {
    // `auto NAME = [](params...) {` from `void NAME(params...) const`.
    std::string Params =
        Signature.substr(Signature.find(Request.Name + "(") + Request.Name.size());
    if (endsWith(Params, " const"))
      Params.resize(Params.size() - 6);
    // What the lambda captures comes in as leading parameters, or by
    // reference from the caller's generated function.
    std::string Captured;
    if (Request.Captures.empty())
      for (const LambdaCapture &C :
           cast<CXXMethodDecl>(Request.Function)->getParent()->captures())
        Captured +=
            "const auto &" + C.getCapturedVar()->getNameAsString() + ", ";
    Params.insert(1, Captured);
    Out.block("auto " + Request.Name +
                  (Request.Captures.empty() ? " = []" : " = [&]") + Params,
              Fn, ";");
    return Out.str();
  }
  Out.block(Signature, Fn);
  return Out.str();
}

} // namespace adjoint

namespace adjoint {

CodeBlock FunctionDifferentiator::forwardCode() const {
  CodeBlock Out;
  Out.append(Constants);
  Out.append(Prologue);
  Out.append(ForwardSweep);
  return Out;
}

CodeBlock FunctionDifferentiator::reverseCode() const {
  CodeBlock Out;
  Out.append(Constants);
  Out.append(AdjointPrologue);
  Out.append(ReverseStart);
  Out.append(ReverseSweep);
  Out.append(Epilogue);
  return Out;
}

std::vector<FunctionDifferentiator::StateVar>
FunctionDifferentiator::savedVars(bool OnlyReverseReads) const {
  std::string Reads = OnlyReverseReads ? reverseCode().str() : "";
  auto Wanted = [&](const std::string &Name) {
    return !Name.empty() && (!OnlyReverseReads || mentions(Reads, Name));
  };
  std::vector<StateVar> Out;
  for (const ParmVarDecl *P : Request.Function->parameters()) {
    QualType T = P->getType().getNonReferenceType().getUnqualifiedType();
    if (Wanted(P->getNameAsString()))
      Out.push_back({typeName(T), P->getNameAsString(), true, isPlain(T)});
  }
  for (const StateVar &V : State)
    if (Wanted(V.Name))
      Out.push_back(V);
  return Out;
}

std::optional<std::string>
FunctionDifferentiator::splitMode(const std::string &BaseName) const {
  if (!CapturingDefinitions.empty())
    return std::nullopt;
  if (KeptBinding) {
    Diags.error(KeptBinding->getBeginLoc(),
                "adjoint: cannot split the sweeps of '" +
                    Request.Function->getNameAsString() + "' into '" +
                    BaseName + "_forward' and '" + BaseName +
                    "_backward': its backward sweep would read the names of "
                    "this structured binding; copy the values into locals");
    return std::nullopt;
  }
  const FunctionDecl *FD = Request.Function;
  QualType Ret = FD->getReturnType();
  // A void function's results are its outputs; their adjoints are the seeds.
  bool HasValue = isDifferentiableResult(Ret);
  if (HasValue ? ReturnVar.empty() : !Ret->isVoidType())
    return std::nullopt;
  for (const StateVar &V : State)
    if (!V.Movable)
      return std::nullopt;
  std::string Tape = BaseName + "_tape";
  std::string Specifiers = specifiers();
  std::string RetType = typeName(Ret);

  CodeBlock Members;
  if (HasValue) {
    Members.line("/// The function's value.");
    Members.line(RetType + " value;");
  }
  std::vector<StateVar> Saved = savedVars(/*OnlyReverseReads=*/false);
  for (const StateVar &V : Saved)
    Members.line(V.Type + " " + V.Name + ";");
  Members.line("/// Set once a backward pass has consumed the saved values.");
  Members.line("bool released = false;");
  CodeBlock Out;
  Out.block("struct " + Tape, Members, ";");

  // Forward: run the forward sweep and move its state into the tape.
  std::string Params;
  for (const ParmVarDecl *P : FD->parameters())
    Params += (Params.empty() ? "" : ", ") +
              declaration(P->getType(), P->getNameAsString());
  CodeBlock Forward = forwardCode();
  Forward.line(Tape + " _saved;");
  if (HasValue)
    Forward.line("_saved.value = " + ReturnVar + ";");
  for (const StateVar &V : Saved)
    Forward.line("_saved." + V.Name + " = std::move(" + V.Name + ");");
  Forward.line("return _saved;");
  Out.block(Specifiers + Tape + " " + BaseName + "_forward(" + Params + ")",
            Forward);

  // Backward from an rvalue tape: takes the saved values and releases them.
  std::string Seed = !HasValue         ? ""
                     : isTensor(Ret) ? ", const ::adjoint::Tensor &_seed"
                                     : ", " + RetType + " _seed";
  std::string Adjoints, AdjointNames;
  for (const std::string &A : adjointParams())
    Adjoints += ", " + A;
  for (const ParmVarDecl *P : Request.Wrt)
    AdjointNames += ", _d_" + paramName(P);
  CodeBlock Release;
  Release.line("if (_saved.released)");
  Release.line("  throw ::adjoint::BackwardError(\"" + BaseName +
               "_backward: Trying to backward through the graph a second "
               "time: the saved values were released by a backward pass on "
               "an rvalue tape; pass the tape as an lvalue (retain_graph=True) "
               "to backward several times\");");
  // The arguments after the tape, for one overload to call the other.
  std::string Rest =
      (HasValue ? std::string(", _seed") : "") + AdjointNames + ");";
  // Plain values are read from the tape where it is (moving them is
  // copying): the lvalue overload runs the reverse sweep, and the rvalue
  // one releases the tape after calling it.
  bool Plain = llvm::all_of(Saved, [](const StateVar &V) { return V.Plain; });
  CodeBlock Backward, Retain;
  Backward.append(Release);
  Retain.append(Release);
  if (Plain) {
    Backward.line(BaseName + "_backward(static_cast<const " + Tape +
                  " &>(_saved)" + Rest);
    Backward.line("_saved.released = true;");
    for (const StateVar &V : Saved)
      Retain.line(V.Type + " " + V.Name + " = _saved." + V.Name + ";");
    Retain.append(aliasChecks());
    Retain.append(reverseCode());
  } else {
    for (const StateVar &V : Saved)
      Backward.line(V.Type + " " + V.Name + " = std::move(_saved." + V.Name +
                    ");");
    Backward.line("_saved.released = true;");
    Backward.append(aliasChecks());
    Backward.append(reverseCode());
    // A copy keeps the lvalue tape usable (retain_graph=True).
    Retain.line(Tape + " _copy = _saved;");
    Retain.line(BaseName + "_backward(std::move(_copy)" + Rest);
  }
  // Each overload is declared before the other calls it.
  std::string RvalueHead = Specifiers + "void " + BaseName + "_backward(" +
                           Tape + " &&_saved" + Seed + Adjoints + ")";
  std::string LvalueHead = Specifiers + "void " + BaseName +
                           "_backward(const " + Tape + " &_saved" + Seed +
                           Adjoints + ")";
  if (Plain)
    Out.block(LvalueHead, Retain);
  Out.block(RvalueHead, Backward);
  if (!Plain)
    Out.block(LvalueHead, Retain);
  return Out.str();
}

std::string splitRecordName(const FunctionDecl *FD,
                            const std::string &PullbackName) {
  const SourceManager &SM = FD->getASTContext().getSourceManager();
  SourceLocation Loc = FD->getCanonicalDecl()->getLocation();
  unsigned Before = 0;
  for (const NamedDecl *D :
       FD->getDeclContext()->getRedeclContext()->lookup(FD->getDeclName())) {
    const auto *Other = dyn_cast<FunctionDecl>(D);
    if (Other && Other->getCanonicalDecl() != FD->getCanonicalDecl() &&
        SM.isBeforeInTranslationUnit(Other->getCanonicalDecl()->getLocation(),
                                     Loc))
      ++Before;
  }
  return PullbackName + (Before ? "_" + std::to_string(Before + 1) : "") +
         "_record";
}

std::string FunctionDifferentiator::armPath(
    const std::vector<std::pair<unsigned, unsigned>> &Arm) {
  std::string Out;
  for (auto [Branch, Index] : Arm)
    Out += "_u" + std::to_string(Branch) + "._a" + std::to_string(Index) + ".";
  return Out;
}

std::optional<std::string> FunctionDifferentiator::callSplit() const {
  if (!CapturingDefinitions.empty())
    return std::nullopt;
  std::vector<StateVar> Fields = savedVars(/*OnlyReverseReads=*/true);
  for (const StateVar &V : Fields)
    if (!V.Movable || !V.Plain)
      return std::nullopt; // tapes, arrays, new[] buffers, tensors
  if (!llvm::any_of(State, [&](const StateVar &V) {
        return llvm::any_of(
            Fields, [&](const StateVar &F) { return F.Name == V.Name; });
      }))
    return std::nullopt;
  const FunctionDecl *FD = Request.Function;
  std::string Record = splitRecordName(FD, Request.Name);
  std::string RetType = typeName(FD->getReturnType());

  // The callees' records are filled in place (splitCall), so all are
  // members, each in a union member per branch arm around its call: calls
  // in different arms of a branch never both run.
  struct Layout {
    std::vector<std::string> Members;
    std::map<unsigned, std::map<unsigned, Layout>> Unions;
  };
  Layout Top;
  for (const StateVar &V : Fields)
    if (!V.IsRecord)
      Top.Members.push_back(V.Type + " " + V.Name + ";");
  for (const StateVar &V : State)
    if (V.IsRecord) {
      Layout *L = &Top;
      for (auto [Branch, Arm] : V.Arm)
        L = &L->Unions[Branch][Arm];
      L->Members.push_back(V.Type + " " + V.Name + ";");
    }
  std::function<CodeBlock(const Layout &)> Emit = [&](const Layout &L) {
    CodeBlock B;
    for (const std::string &M : L.Members)
      B.line(M);
    for (const auto &[Branch, Arms] : L.Unions) {
      CodeBlock U;
      for (const auto &[Arm, Inner] : Arms)
        U.block("struct", Emit(Inner), " _a" + std::to_string(Arm) + ";");
      B.block("union", U, " _u" + std::to_string(Branch) + ";");
    }
    return B;
  };
  CodeBlock Out;
  Out.block("struct " + Record, Emit(Top), ";");

  std::string Params;
  for (const ParmVarDecl *P : FD->parameters())
    Params += declaration(P->getType(), paramName(P)) + ", ";
  CodeBlock Forward = forwardCode();
  for (const StateVar &V : Fields)
    if (!V.IsRecord)
      Forward.line("_rec." + V.Name + " = " + V.Name + ";");
  Forward.line("return " + ReturnVar + ";");
  Out.block(specifiers() + RetType + " " + Request.Name + "_forward(" + Params +
                Record + " &_rec)",
            Forward);

  std::string Adjoints;
  for (const std::string &A : adjointParams())
    Adjoints += ", " + A;
  CodeBlock Reverse;
  for (const StateVar &V : Fields)
    Reverse.line(V.IsRecord ? "const " + V.Type + " &" + V.Name + " = _rec." +
                                  armPath(V.Arm) + V.Name + ";"
                            : V.Type + " " + V.Name + " = _rec." + V.Name +
                                  ";");
  Reverse.append(reverseCode());
  Out.block(specifiers() + "void " + Request.Name + "_reverse(const " + Record +
                " &_rec, " + RetType + " _d_return" + Adjoints + ")",
            Reverse);
  return Out.str();
}

namespace {
std::string staticKind(const VarDecl *V) {
  return (V->isStaticLocal() ? "static variable '" : "global '") +
         V->getNameAsString() + "'";
}
} // namespace

void FunctionDifferentiator::checkStaticWrites() {
  HiddenAccess Own;
  collectHiddenAccess(TopBlock, /*FollowCalls=*/false, Own);
  std::vector<std::pair<const CallExpr *, HiddenAccess>> Calls;
  llvm::SmallPtrSet<const VarDecl *, 4> Written = Own.StaticsWritten;
  forEachStmt(TopBlock, [&](const Stmt *S) {
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call || !Call->getDirectCallee())
      return;
    collectHiddenAccess(Call, Calls.emplace_back(Call, HiddenAccess()).second);
    Written.insert(Calls.back().second.StaticsWritten.begin(),
                   Calls.back().second.StaticsWritten.end());
  });
  for (const auto &[Call, Hidden] : Calls) {
    std::string Callee =
        "a call of '" + Call->getDirectCallee()->getNameAsString() + "'";
    auto Refuse = [&](const std::string &What, StringRef Hint) {
      unsupported(Call, Callee + ", which " + What, Hint);
    };
    if (const VarDecl *V = staticWrittenByCall(Call)) {
      Refuse("writes the " + staticKind(V),
             "adjoint does not follow values through variables of static "
             "storage; return the value, or pass the variable by reference");
      continue;
    }
    if (Hidden.ConstCast) {
      Refuse("casts away 'const' (" +
                 Hidden.ConstCast->getBeginLoc().printToString(
                     Ctx.getSourceManager()) +
                 ")",
             "adjoint takes data behind a const pointer or reference as "
             "unchanged; pass a non-const pointer instead");
      continue;
    }
    if (Hidden.MutableWrite) {
      const auto *Member = cast<MemberExpr>(Hidden.MutableWrite);
      Refuse("writes the mutable member '" +
                 Member->getMemberDecl()->getNameAsString() + "' (" +
                 Member->getBeginLoc().printToString(Ctx.getSourceManager()) +
                 ")",
             "adjoint takes objects behind const as unchanged; pass the "
             "object by non-const reference, or return the value");
      continue;
    }
    // Its pullback replays it in the reverse sweep, with the static's last
    // value instead of the one it read (a counter, a global parameter).
    for (const VarDecl *V : Hidden.StaticsRead)
      if (Written.count(V)) {
        Refuse("reads the " + staticKind(V) +
                   ", which the function or a "
                   "call writes",
               "its pullback would read the last value in the reverse "
               "sweep; pass the value as a parameter");
        break;
      }
    for (const VarDecl *V : Hidden.StaticsWritten)
      if (Own.StaticsRead.count(V)) {
        Refuse("writes the " + staticKind(V) + ", which the function reads",
               "adjoint does not follow values through variables of static "
               "storage; return the value, or pass the variable by "
               "reference");
        break;
      }
  }
}

} // namespace adjoint
