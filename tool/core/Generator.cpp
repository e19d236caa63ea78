//===- Generator.cpp - Differentiates a translation unit ------------------===//

#include "Generator.h"
#include "Annotation.h"
#include "ClangCompat.h"
#include "CountedLoop.h"
#include "DiagnosticSink.h"
#include "FunctionDifferentiator.h"
#include "Lambdas.h"
#include "LoggedWrites.h"
#include "Templates.h"
#include "forward/Tangent.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/QualTypeNames.h"
#include "clang/Lex/Lexer.h"
#include "clang/Rewrite/Core/Rewriter.h"

#include <functional>
#include <map>
#include <set>

using namespace clang;

namespace adjoint {

bool GenerationResult::hasErrors() const {
  for (const GeneratorDiagnostic &D : Diagnostics)
    if (D.Severity == GeneratorDiagnostic::Error)
      return true;
  return false;
}

namespace {

/// Looks \p Name up in the namespace path \p Path from the TU.
const DeclContext *findNamespace(ASTContext &Ctx,
                                 ArrayRef<StringRef> Path) {
  const DeclContext *DC = Ctx.getTranslationUnitDecl();
  for (StringRef Part : Path) {
    const NamespaceDecl *Next = nullptr;
    for (const NamedDecl *D : DC->lookup(&Ctx.Idents.get(Part)))
      if ((Next = dyn_cast<NamespaceDecl>(D)))
        break;
    if (!Next)
      return nullptr;
    DC = Next->getPrimaryContext();
  }
  return DC;
}

/// Whether a pullback \p Rule could take the arguments of \p Call: as many
/// parameters as the generated call passes (ruleArity), and tensors exactly
/// where the call passes tensors. (Overload resolution proper happens when
/// the generated code is compiled; this keeps a rule of another arity, such
/// as the two-argument hypot's for a three-argument call, or a rule for
/// tensors, from capturing the call.)
bool couldTake(const FunctionDecl *Rule, const CallExpr *Call,
               bool TakesResult) {
  unsigned Arity = ruleArity(Call, TakesResult);
  if (Arity < Rule->getMinRequiredArguments() ||
      (Arity > Rule->getNumParams() && !Rule->isVariadic()))
    return false;
  std::vector<QualType> ArgTypes;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    ArgTypes.push_back(MC->getImplicitObjectArgument()->getType());
  for (const Expr *Arg : Call->arguments())
    if (!isa<CXXDefaultArgExpr>(Arg))
      ArgTypes.push_back(Arg->getType());
  for (size_t I = 0; I < ArgTypes.size(); ++I) {
    QualType P = Rule->getParamDecl(I)->getType();
    if (P.getNonReferenceType()->isDependentType())
      continue;
    if (isTensor(P) != isTensor(ArgTypes[I]))
      return false;
  }
  return true;
}

/// Whether \p Rule is one of adjoint's built-in rules (in its own headers),
/// which are meant for the library functions of their names only.
bool isBuiltinRule(const SourceManager &SM, const FunctionDecl *Rule) {
  StringRef File = SM.getFilename(SM.getExpansionLoc(Rule->getLocation()));
  return endsWith(File, "adjoint/derivatives.h") ||
         endsWith(File, "adjoint/tensor_derivatives.h");
}


/// Whether \p DC has a rule \p Name for \p Call. A built-in rule is taken
/// only for the library function of its name: a user's own `sin` or `min`
/// is differentiated from its body.
bool hasRuleFor(ASTContext &Ctx, const DeclContext *DC, const std::string &Name,
                const CallExpr *Call, bool TakesResult) {
  if (!DC)
    return false;
  const SourceManager &SM = Ctx.getSourceManager();
  const FunctionDecl *Callee = Call->getDirectCallee();
  bool Library = Callee && isLibraryFunction(SM, Callee);
  for (const NamedDecl *D :
       DC->getPrimaryContext()->lookup(&Ctx.Idents.get(Name))) {
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
      D = FT->getTemplatedDecl();
    if (const auto *FD = dyn_cast<FunctionDecl>(D))
      if ((Library || !isBuiltinRule(SM, FD)) &&
          couldTake(FD, Call, TakesResult))
        return true;
  }
  return false;
}

/// The C++ spelling of \p FD's qualified name with its last component
/// replaced by \p Name.
std::string qualifiedSibling(const FunctionDecl *FD, const std::string &Name) {
  // Qualified lookup finds the members of an unnamed namespace through its
  // enclosing one, which is how they must be named.
  std::string Prefix;
  for (const DeclContext *DC = FD->getDeclContext(); DC && !DC->isTranslationUnit();
       DC = DC->getParent()) {
    const auto *ND = dyn_cast<NamedDecl>(DC);
    if (!ND || (isa<NamespaceDecl>(ND) && cast<NamespaceDecl>(ND)->isAnonymousNamespace()))
      continue;
    Prefix = ND->getNameAsString() + "::" + Prefix;
  }
  return "::" + Prefix + Name;
}

/// The namespaces \p FD belongs to but is not written in (`double ns::f(...)`
/// defined outside `ns`), opened around the code generated after it so that
/// its type names resolve and its gradient is `ns::f_grad`; and what closes
/// them.
std::pair<std::string, std::string> reopenedNamespaces(const FunctionDecl *FD) {
  const DeclContext *Written = FD->getLexicalDeclContext()->getRedeclContext();
  std::string Open, Close;
  if (!Written->isFileContext())
    return {Open, Close};
  for (const DeclContext *DC = FD->getDeclContext()->getRedeclContext();
       DC && !DC->Equals(Written) && !DC->isTranslationUnit();
       DC = DC->getParent()) {
    const auto *NS = dyn_cast<NamespaceDecl>(DC);
    if (!NS)
      return {"", ""};
    Open = std::string(NS->isInline() ? "inline " : "") + "namespace " +
           (NS->isAnonymousNamespace() ? "" : NS->getNameAsString() + " ") +
           "{\n" + Open;
    Close += "}\n";
  }
  return {Open, Close};
}

/// Drives the differentiation of one translation unit.
class Driver : public DiffServices, public TangentServices {
public:
  Driver(ASTContext &Ctx, const GeneratorOptions &Options)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Options(Options), Diags(SM) {}

  GenerationResult run();

  std::optional<PullbackTarget>
  pullbackFor(const FunctionDecl *Callee, const std::string &Rule,
              const CallExpr *Call, const FunctionDecl *Caller,
              const std::vector<unsigned> &ConstBuffers, bool MaySplit,
              bool ActiveObject) override;
  bool verifying() const override { return Options.Verify; }
  std::optional<std::string> loggedCallee(const CallExpr *Call,
                                          const FunctionDecl *Caller,
                                          std::string &Problem) override;
  bool classHelpers(const CXXRecordDecl *Class, const Stmt *Where) override;

  std::string ruleFor(const CallExpr *Call) override;
  std::string resultRuleFor(const CallExpr *Call) override;
  std::string tensorRuleFor(const CallExpr *Call) override;
  /// The rule NAME + \p Suffix for \p Call, or empty.
  std::string tangentRule(const CallExpr *Call, const std::string &Suffix);
  std::optional<std::string> pushforwardFor(const FunctionDecl *Callee,
                                            const CallExpr *Call,
                                            const FunctionDecl *Caller) override;

private:
  /// The signature a custom pullback \p Name of \p FD has, for error
  /// messages that ask the user to write one.
  std::string customPullbackSignature(const FunctionDecl *FD,
                                      const std::string &Name);

  /// f_jvp, f_hvp and f_hessian of \p FD as its annotations ask.
  void generateForward(const FunctionDecl *FD);
  /// Emits f_hvp (and f_hessian) of \p FD over its reverse sweep run on
  /// Duals when the body allows; whether it did.
  bool emitHessianOverSweep(const FunctionDecl *FD, const GradAnnotation &Note);
  /// Emits the pushforward of \p FD once; whether it exists.
  bool emitPushforward(const FunctionDecl *FD);
  /// Emits the pushforward of the tensor function \p FD and of the callees
  /// it calls when all of them can be generated; otherwise emits nothing,
  /// reports nothing and returns false (f_jvp then runs a reverse sweep).
  bool emitTensorPushforward(const FunctionDecl *FD);
  /// While a reverse sweep over Duals is generated (f_hvp's): the real type
  /// it spells (DiffRequest::RealType), else empty.
  std::string DualRealType;
  /// The pullbacks over Duals of the callees of that sweep, generated at
  /// once (their errors mean the sweep falls back to forward over forward)
  /// and emitted, callees first, only when the whole sweep succeeds.
  struct DualPullback {
    const FunctionDecl *After;
    std::string Name, Code;
  };
  std::vector<DualPullback> PendingDualPullbacks;
  /// Pullbacks over Duals emitted or pending, by callee, name and real type.
  std::set<std::tuple<const FunctionDecl *, std::string, std::string>>
      DualPullbacks;
  /// Split-mode targets over Duals (nullopt: not split), keyed likewise.
  std::map<std::tuple<const FunctionDecl *, std::string, std::string>,
           std::optional<PullbackTarget>>
      DualSplits;
  std::string dualPrimalFor(const FunctionDecl *Callee, const CallExpr *Call,
                            const std::string &RealType) override;
  /// The pullback over Duals of the call \p Call of \p Def in a sweep over
  /// Duals (split when \p MaySplit allows), generated on first use, or
  /// nullopt after reporting why not.
  std::optional<PullbackTarget>
  dualPullback(const FunctionDecl *Def, const CallExpr *Call,
               const std::vector<unsigned> &ConstBuffers, bool MaySplit);
  /// Pushforwards of callees still to generate, and all requested.
  std::vector<const FunctionDecl *> PushforwardQueue;
  std::set<const FunctionDecl *> PushforwardsScheduled;
  std::map<const FunctionDecl *, bool> PushforwardsEmitted;
  /// Pushforwards of callees defined after a caller, declared before the
  /// caller's generated code: callee, caller.
  std::set<std::pair<const FunctionDecl *, const FunctionDecl *>>
      PushforwardsDeclared;

  void generateGradient(const FunctionDecl *FD, const GradAnnotation &Note);
  /// The pullback of a call of a captureless lambda's \p Method, a local
  /// lambda of the caller's generated function.
  std::optional<PullbackTarget> lambdaPullback(const clang::CXXMethodDecl *Method,
                                               const clang::CallExpr *Call,
                                               const FunctionDecl *Caller);
  /// Whether the parse found an error in the user's code inside \p FD.
  bool holdsSourceError(const FunctionDecl *FD) const;
  /// Whether the user's declarations \p Declared of FD's gradients (f_grad,
  /// f_vjp) declare the generated signatures; reports each that does not.
  bool declarationsMatch(const FunctionDecl *FD,
                         const std::vector<const ParmVarDecl *> &Wrt,
                         const std::vector<const FunctionDecl *> &Declared);
  /// The parameters of \p FD that \p Note names (all differentiable ones
  /// when it names none), or nullopt after reporting errors.
  std::optional<std::vector<const ParmVarDecl *>>
  selectWrt(const FunctionDecl *FD, const GradAnnotation &Note);
  /// Emits f_vjp and f_grad of \p FD after \p After; for an instantiation
  /// \p TS, as explicit specializations.
  void emitGradient(const FunctionDecl *FD,
                    const std::vector<const ParmVarDecl *> &Wrt,
                    const FunctionDecl *After, const TemplateSpelling *TS);
  /// Gradients of each instantiation of the annotated template \p FD.
  void generateTemplateGradient(const FunctionDecl *FD,
                                const GradAnnotation &Note);
  /// Emits, once per name, the deleted primary template \p Name of the
  /// specializations generated for instantiations of \p Pattern.
  void emitPrimary(const FunctionDecl *Pattern, DiffRequest Req,
                   const TemplateSpelling &TS, bool WithSeed);
  struct PullbackJob {
    const FunctionDecl *Function;
    std::vector<const ParmVarDecl *> Wrt;
    std::string Name;
    /// Set for an instantiation of a function template.
    std::optional<TemplateSpelling> Template;
    /// An instance method's pullback, a member of its class (PullbackTarget).
    bool Member = false;
    /// Its object carries derivatives (DiffRequest::ActiveThis).
    bool ActiveThis = false;
  };
  void generatePullback(const PullbackJob &Job);
  /// The split-mode functions of \p Job's callee, generated and emitted on
  /// first use, or nullopt when the callee keeps its pullback.
  std::optional<PullbackTarget> splitTarget(const PullbackJob &Job);
  void emit(const FunctionDecl *After, const std::string &Name,
            const std::string &Code);
  std::string lineDirective(SourceLocation Loc, bool NextLine) const;

  ASTContext &Ctx;
  const SourceManager &SM;
  GeneratorOptions Options;
  DiagnosticSink Diags;
  /// Where pullbackFor reports: Diags, or the sink of a split-mode attempt,
  /// whose errors only mean that the callee keeps its pullback.
  DiagnosticSink *Current = &Diags;
  GenerationResult Result;
  /// Generated code per insertion point (the function it follows).
  std::map<const FunctionDecl *, std::string> Insertions;
  std::vector<const FunctionDecl *> InsertionOrder;
  std::vector<PullbackJob> PullbackQueue;
  std::set<std::pair<const FunctionDecl *, std::string>> PullbacksScheduled;
  /// Pullbacks of callees defined after a caller, declared before the
  /// caller's generated code: callee, pullback name, caller.
  std::set<std::tuple<const FunctionDecl *, std::string, const FunctionDecl *>>
      DeclaredEarly;
  /// Primary templates emitted, by pattern and name.
  std::set<std::pair<const FunctionDecl *, std::string>> PrimariesEmitted;
  /// Split-mode targets (nullopt: not split) by callee and pullback name.
  std::map<std::pair<const FunctionDecl *, std::string>,
           std::optional<PullbackTarget>>
      Splits;
  /// Classes (template patterns for instantiations) given static helpers for
  /// their hidden data members, or found unable to take them.
  std::map<const CXXRecordDecl *, bool> Helpers;
  /// Callees whose split-mode functions are being generated, and those of
  /// them found to call themselves.
  std::set<const FunctionDecl *> Splitting, Recursive;  /// Logged variants by callee definition: the spelling, or why there is
  /// none.
  std::map<const FunctionDecl *, std::pair<std::optional<std::string>, std::string>>
      LoggedVariants;
};

std::vector<const ParmVarDecl *> differentiableParams(const FunctionDecl *FD) {
  std::vector<const ParmVarDecl *> Params;
  for (const ParmVarDecl *P : FD->parameters())
    if (isDifferentiableParam(P->getType()))
      Params.push_back(P);
  return Params;
}

std::optional<PullbackTarget>
Driver::pullbackFor(const FunctionDecl *Callee, const std::string &Rule,
                    const CallExpr *Call, const FunctionDecl *Caller,
                    const std::vector<unsigned> &ConstBuffers, bool MaySplit,
                    bool ActiveObject) {
  std::string Name = Rule + "_pullback";
  // Scalar rules only: tensor results are not kept for their pullbacks.
  std::string ResultName =
      isReal(Call->getType()) ? Rule + "_result_pullback" : "";
  // 1. Rules in adjoint::derivatives: the built-in ones and users' own; those
  // taking the call's value first.
  StringRef DerivativesPath[] = {"adjoint", "derivatives"};
  const DeclContext *Derivatives = findNamespace(Ctx, DerivativesPath);
  if (!ResultName.empty() && hasRuleFor(Ctx, Derivatives, ResultName, Call, true))
    return PullbackTarget{"::adjoint::derivatives::" + ResultName, false, true};
  if (hasRuleFor(Ctx, Derivatives, Name, Call, false))
    return PullbackTarget{"::adjoint::derivatives::" + Name, false};
  // 2. A custom pullback next to the callee.
  const DeclContext *Home = Callee->getDeclContext()->getRedeclContext();
  if (!ResultName.empty() && hasRuleFor(Ctx, Home, ResultName, Call, true))
    return PullbackTarget{qualifiedSibling(Callee, ResultName), false, true};
  if (hasRuleFor(Ctx, Home, Name, Call, false))
    return PullbackTarget{qualifiedSibling(Callee, Name), false};
  // 3. Generated from the callee's body.
  const FunctionDecl *Def = Callee->getDefinition();
  if (!DualRealType.empty())
    return dualPullback(Def, Call, ConstBuffers, MaySplit);
  // An instance method's pullback is a member of its class, called on the
  // same object; for an instantiated member template it is an ordinary
  // member whose body starts with the template's aliases.
  const auto *Method = dyn_cast_or_null<CXXMethodDecl>(Def);
  bool Member = Method && Method->isInstance();
  if (Member && Method->getParent()->isLambda())
    return lambdaPullback(Method, Call, Caller);
  if (Member && ActiveObject) {
    // The pullback of a method of a differentiated object takes the
    // object's adjoint: a const method of a class of reals.
    QualType Class = tagType(Ctx, Method->getParent());
    std::string Problem = structProblem(Class);
    if (!isRealStruct(Class) || !leavesObjectUnchanged(Method)) {
      Current->error(
          beginLoc(Call),
          "adjoint: cannot differentiate the call of '" +
              Callee->getQualifiedNameAsString() +
              "' on a differentiated object: " +
              (!isRealStruct(Class)
                   ? (Problem.empty()
                          ? "'" + Method->getParent()->getNameAsString() +
                                "' is not a class of doubles"
                          : Problem) +
                         "; keep the object's data constant and pass the "
                         "differentiated values as arguments"
                   : std::string("it writes the object's data members; "
                                 "make it a member function that only reads "
                                 "them and returns its result")));
      return std::nullopt;
    }
    Name += "_this";
  }
  if (Member) {
    // A member of a class template instantiation gets its pullback in the
    // template, where the pattern's text means the same (its T is the
    // instantiation's); one per instantiation, as overloads. Member templates
    // of class templates would need two levels of aliases.
    const CXXRecordDecl *Class = Method->getParent();
    if (Class->getDescribedClassTemplate() || Class->isDependentContext() ||
        (isa<ClassTemplateSpecializationDecl>(Class) &&
         Def->getTemplatedKind() != FunctionDecl::TK_MemberSpecialization)) {
      Current->error(beginLoc(Call),
                     "adjoint: cannot differentiate the call of '" +
                         Callee->getQualifiedNameAsString() +
                         "', a member template of a class template: call a "
                         "function at namespace scope, or a member of a class "
                         "that is not a template");
      return std::nullopt;
    }
  }
  if (Member) {
    // The generated member goes right after the method, in its class.
    const FunctionDecl *Written = Def->getTemplateInstantiationPattern();
    if (!Written)
      Written = Def;
    if (Written->isOutOfLine()) {
      Current->error(beginLoc(Call),
                     "adjoint: cannot differentiate the call of '" +
                         Callee->getQualifiedNameAsString() +
                         "': it is defined outside its class, where adjoint "
                         "cannot add its generated member function; define "
                         "it inside the class");
      return std::nullopt;
    }
    if (Written->getEndLoc().isMacroID()) {
      Current->error(beginLoc(Call),
                     "adjoint: cannot differentiate the call of '" +
                         Callee->getQualifiedNameAsString() +
                         "': its definition ends inside a macro expansion, "
                         "after which adjoint would insert its generated "
                         "member function outside the class; end the "
                         "function outside the macro");
      return std::nullopt;
    }
  }
  std::optional<TemplateSpelling> Template;
  if (Def && Def->getTemplatedKind() ==
                 FunctionDecl::TK_FunctionTemplateSpecialization &&
      (isTemplateInstantiation(Def->getTemplateSpecializationKind()) ||
       Def->getTemplateSpecializationKind() == TSK_ExplicitSpecialization) &&
      (Member || !isa<CXXRecordDecl>(Def->getDeclContext()))) {
    Template = spellInstantiation(Ctx, Def);
    // The pullback follows the template, which must see its arguments.
    const FunctionDecl *Written = Def->getTemplateInstantiationPattern();
    if (Template->Problem.empty() && Written)
      for (const TemplateArgument &A :
           Def->getTemplateSpecializationArgs()->asArray()) {
        const TagDecl *Tag =
            A.getKind() == TemplateArgument::Type
                ? A.getAsType().getNonReferenceType()->getAsTagDecl()
                : nullptr;
        if (Tag && !SM.isBeforeInTranslationUnit(Tag->getLocation(),
                                                 Written->getBeginLoc()))
          Template->Problem = "its template argument '" +
                              Tag->getQualifiedNameAsString() +
                              "' is declared after the template, after which "
                              "adjoint defines the pullback: declare it "
                              "before '" + Callee->getNameAsString() + "'";
      }
    if (!Template->Problem.empty()) {
      if (Def->hasBody() && !SM.isInSystemHeader(Def->getLocation())) {
        Current->error(
            beginLoc(Call),
            "adjoint: cannot generate the pullback of '" +
                Callee->getQualifiedNameAsString() + "' for this call: " +
                Template->Problem +
                "; or provide a custom pullback (see "
                "docs/custom-derivatives.md)");
        return std::nullopt;
      }
      Template.reset();
    }
  }
  // A body written by a macro expansion has no text of its own to rewrite,
  // and the generated code would land inside the macro's invocation.
  if (!Member && Def && Def->hasBody() &&
      !SM.isInSystemHeader(Def->getLocation()) &&
      (Def->getBody()->getBeginLoc().isMacroID() ||
       Def->getBody()->getEndLoc().isMacroID())) {
    std::string Signature = customPullbackSignature(Def, Name);
    Current->error(
        beginLoc(Call),
        "adjoint: cannot differentiate the call to '" +
            Callee->getQualifiedNameAsString() + "': its body is written by "
            "the macro '" +
            Lexer::getImmediateMacroName(Def->getBody()->getBeginLoc(), SM,
                                         Ctx.getLangOpts())
                .str() +
            "', whose expansion adjoint cannot rewrite; define it without "
            "the macro, or provide a custom pullback '" + Signature +
            "' next to it (see docs/custom-derivatives.md)");
    return std::nullopt;
  }
  if (Def && Def->hasBody() && !SM.isInSystemHeader(Def->getLocation()) &&
      (Def->getTemplatedKind() == FunctionDecl::TK_NonTemplate || Template ||
       (Member &&
        Def->getTemplatedKind() == FunctionDecl::TK_MemberSpecialization))) {
    // A callee defined after its caller gets its pullback declared before
    // the caller's generated code (in a class, members see each other).
    bool DefinedAfter =
        Def != Caller && !Member &&
        !SM.isBeforeInTranslationUnit(Def->getEndLoc(), Caller->getBeginLoc());
    if (DefinedAfter &&
        (Template || Caller->isTemplateInstantiation() ||
         Def->getDeclContext()->getRedeclContext() !=
             Caller->getDeclContext()->getRedeclContext())) {
      Current->error(
          beginLoc(Call),
          "adjoint: '" + Callee->getNameAsString() +
              "' must be defined before '" + Caller->getNameAsString() +
              "' so that its generated pullback is declared before use (a "
              "template, or a function in another scope)");
      return std::nullopt;
    }
    PullbackJob Job{Def, {}, Name, Template, Member, Member && ActiveObject};
    for (const ParmVarDecl *P : differentiableParams(Def)) {
      if (llvm::is_contained(ConstBuffers, P->getFunctionScopeIndex()))
        Job.Name += "_const_" + P->getNameAsString();
      else
        Job.Wrt.push_back(P);
    }
    // An annotated function calling itself: its gradient, emitted first,
    // calls the pullback emitted after it.
    bool SelfCall = Def == Caller && !Member && findGradAnnotation(Def);
    if (DefinedAfter || SelfCall) {
      MaySplit = false;
      if (DeclaredEarly.insert({Def, Job.Name, Caller}).second) {
        DiffRequest Req{Def, DiffMode::Pullback, Job.Wrt, Job.Name};
        emit(Caller, Job.Name,
             FunctionDifferentiator(Ctx, Diags, *this, Req).signature() + ";");
      }
    }
    // A recursive callee keeps its pullback: its split-mode functions would
    // call that pullback before its definition.
    if (Splitting.count(Def))
      Recursive.insert(Def);
    else if (MaySplit && !Template && !isa<CXXOperatorCallExpr>(Call) &&
             !isa<CXXMemberCallExpr>(Call))
      if (std::optional<PullbackTarget> Split = splitTarget(Job))
        return Split;
    if (PullbacksScheduled.insert({Def, Job.Name}).second)
      PullbackQueue.push_back(Job);
    if (Member)
      return PullbackTarget{Job.Name, true, false, "", "", true};
    return PullbackTarget{qualifiedSibling(Callee, Job.Name) +
                              (Template ? Template->Args : ""),
                          true};
  }
  std::string Signature = customPullbackSignature(Callee, Name);
  Current->error(
      beginLoc(Call),
      "adjoint: no derivative for the call to '" +
          Callee->getQualifiedNameAsString() +
          "' (its body is not visible): provide a custom pullback '" +
          Signature + "' in namespace adjoint::derivatives or next to '" +
          Callee->getNameAsString() + "' (see docs/custom-derivatives.md)");
  return std::nullopt;
}

std::string Driver::customPullbackSignature(const FunctionDecl *FD,
                                            const std::string &Name) {
  DiffRequest Expected{FD, DiffMode::Pullback, differentiableParams(FD), Name};
  std::string Signature =
      FunctionDifferentiator(Ctx, Diags, *this, Expected).signature();
  for (StringRef Prefix : {"static ", "inline "})
    if (startsWith(Signature, Prefix))
      Signature = Signature.substr(Prefix.size());
  return Signature;
}

std::string Driver::dualPrimalFor(const FunctionDecl *Callee,
                                  const CallExpr *Call,
                                  const std::string &RealType) {
  const FunctionDecl *Def = Callee ? Callee->getDefinition() : nullptr;
  if (!Def || !Def->hasBody() || isa<CXXMethodDecl>(Def) ||
      isLibraryFunction(SM, Def))
    return "";
  std::string Name = Def->getNameAsString() + "_hvp_primal";
  std::string Qualified = qualifiedSibling(Def, Name);
  if (!DualPullbacks.insert({Def, Name, RealType}).second)
    return Qualified;
  std::string Problem;
  std::optional<std::string> Code = generateDualPrimal(
      Ctx, Def, RealType, Name,
      [&](const CallExpr *Inner) {
        const FunctionDecl *F = Inner->getDirectCallee();
        if (!F || isa<CXXMethodDecl>(F) || isa<CXXOperatorCallExpr>(Inner) ||
            !isa<DeclRefExpr>(Inner->getCallee()->IgnoreParenImpCasts()))
          return std::string();
        return dualPrimalFor(F, Inner, RealType);
      },
      Problem);
  if (!Code) {
    Current->error(beginLoc(Call), "adjoint: cannot compute '" +
                                            Def->getNameAsString() +
                                            "' over Duals: " + Problem);
    return "";
  }
  PendingDualPullbacks.push_back({Def, Name, *Code});
  return Qualified;
}

std::optional<PullbackTarget>
Driver::dualPullback(const FunctionDecl *Def, const CallExpr *Call,
                     const std::vector<unsigned> &ConstBuffers, bool MaySplit) {
  // The sweep's safety check (HessianSweep.cpp) admitted only plain
  // functions defined before their callers, with a real result and real,
  // integer or const real pointer parameters.
  if (!Def || !Def->hasBody() || isa<CXXMethodDecl>(Def) ||
      Def->getTemplatedKind() != FunctionDecl::TK_NonTemplate) {
    Current->error(beginLoc(Call),
                   "adjoint: f_hvp's sweep cannot differentiate the call to '" +
                       Call->getDirectCallee()->getQualifiedNameAsString() +
                       "' over Duals");
    return std::nullopt;
  }
  DiffRequest Req{
      Def, DiffMode::Pullback, {}, Def->getNameAsString() + "_hvp_pullback"};
  Req.RealType = DualRealType;
  Req.AllowFusion = Options.FuseLoops;
  // A pointer parameter receives a view pairing values with tangents
  // (DualPointer), or the caller's array of Duals, and its gradient
  // likewise (TangentSink, or Duals): template parameters take either.
  std::string Head;
  for (const ParmVarDecl *P : differentiableParams(Def)) {
    unsigned I = P->getFunctionScopeIndex();
    if (llvm::is_contained(ConstBuffers, I)) {
      Req.Name += "_const_" + P->getNameAsString();
      continue;
    }
    if (P->getType()->isPointerType()) {
      std::string Index = std::to_string(I);
      Head += std::string(Head.empty() ? "" : ", ") + "class _P" + Index +
              ", class _A" + Index;
      Req.ParamTypes[I] = "_P" + Index;
      Req.AdjointTypes[Req.Wrt.size()] = "_A" + Index;
    }
    Req.Wrt.push_back(P);
  }
  if (!Head.empty())
    Req.TemplateHead = "template <" + Head + ">";
  // As in reverse mode (splitTarget), an unconditional call keeps what the
  // callee's forward computed in a record, and its reverse reads it instead
  // of running the callee again; a record holds no views, so only callees
  // without pointer parameters are split.
  if (MaySplit && Head.empty() && !isa<CXXOperatorCallExpr>(Call)) {
    auto Key = std::make_tuple(Def, Req.Name, DualRealType);
    auto Known = DualSplits.find(Key);
    if (Known == DualSplits.end()) {
      DiagnosticSink Attempt(SM);
      DiagnosticSink *Outer = Current;
      Current = &Attempt;
      size_t Pending = PendingDualPullbacks.size();
      auto KnownPullbacks = DualPullbacks;
      DiffRequest SplitReq = Req;
      SplitReq.Mode = DiffMode::Split;
      std::optional<std::string> Code =
          FunctionDifferentiator(Ctx, Attempt, *this, SplitReq).run();
      Current = Outer;
      std::optional<PullbackTarget> Split;
      if (Code && !Attempt.errorCount()) {
        PendingDualPullbacks.push_back({Def, Req.Name + "_forward", *Code});
        Split =
            PullbackTarget{qualifiedSibling(Def, Req.Name + "_reverse"), true,
                           false, qualifiedSibling(Def, Req.Name + "_record"),
                           qualifiedSibling(Def, Req.Name + "_forward")};
      } else {
        PendingDualPullbacks.erase(PendingDualPullbacks.begin() + Pending,
                                   PendingDualPullbacks.end());
        DualPullbacks = std::move(KnownPullbacks);
      }
      Known = DualSplits.emplace(Key, Split).first;
    }
    if (Known->second)
      return Known->second;
  }
  PullbackTarget Target{qualifiedSibling(Def, Req.Name), true};
  if (!DualPullbacks.insert({Def, Req.Name, DualRealType}).second)
    return Target;
  std::optional<std::string> Code =
      FunctionDifferentiator(Ctx, *Current, *this, Req).run();
  if (!Code)
    return std::nullopt;
  PendingDualPullbacks.push_back({Def, Req.Name, *Code});
  return Target;
}

bool Driver::classHelpers(const CXXRecordDecl *Class, const Stmt *Where) {
  Class = Class->getDefinition();
  // A class template's helpers go in the template: their text only names
  // members, so it serves every instantiation.
  const CXXRecordDecl *Written = Class;
  if (const CXXRecordDecl *Pattern = Class->getTemplateInstantiationPattern())
    Written = Pattern;
  auto Known = Helpers.find(Written);
  if (Known != Helpers.end())
    return Known->second;
  Helpers[Written] = false;
  // They follow a member function defined in the class.
  const FunctionDecl *After = nullptr;
  for (const Decl *D : Written->decls())
    if (const auto *M = dyn_cast<CXXMethodDecl>(D);
        M && !After && !M->isImplicit() && !M->isDefaulted() &&
        !M->isDeleted() && M->doesThisDeclarationHaveABody() &&
        !M->getEndLoc().isMacroID())
      After = M;
  std::string Name = Written->getNameAsString();
  if (!After) {
    Current->error(Where ? beginLoc(Where) : Class->getLocation(),
                   "adjoint: cannot differentiate through the data members "
                   "of '" +
                       Name +
                       "' that are not public: define a member function of '" +
                       Name +
                       "' in the class (adjoint adds its helpers after it), "
                       "or make the data members public");
    return false;
  }
  std::string Add =
      "static void _adjoint_add(" + Name + " &_l, const " + Name + " &_r) {\n";
  std::string Access;
  std::function<bool(const CXXRecordDecl *, const std::string &)> AddFields =
      [&](const CXXRecordDecl *RD, const std::string &Path) {
        for (const FieldDecl *F : RD->fields()) {
          QualType FT = F->getType();
          std::string Field = Path + F->getNameAsString();
          if (isReal(FT)) {
            Add += "  _l" + Field + " += _r" + Field + ";\n";
          } else if (isRealStruct(FT) && hasHiddenFields(FT)) {
            if (!classHelpers(FT->getAsCXXRecordDecl(), Where))
              return false;
            Add += "  decltype(_l" + Field + ")::_adjoint_add(_l" + Field +
                   ", _r" + Field + ");\n";
          } else if (isRealStruct(FT) &&
                     !AddFields(FT->getAsCXXRecordDecl()->getDefinition(),
                                Field + ".")) {
            return false;
          }
        }
        return true;
      };
  if (!AddFields(Class, "."))
    return false;
  for (const FieldDecl *F : Class->fields())
    if (F->getAccess() != AS_public &&
        (isReal(F->getType()) || isRealStruct(F->getType())))
      Access += "static const auto &_adjoint_" + F->getNameAsString() +
                "(const " + Name + " &_o) { return _o." + F->getNameAsString() +
                "; }\n";
  // Public, and the declarations after them keep the access they had.
  std::string Resume;
  if (After->getAccess() == AS_private)
    Resume = "private:\n";
  else if (After->getAccess() == AS_protected)
    Resume = "protected:\n";
  emit(After, "_adjoint_add", "public:\n" + Add + "}\n" + Access + Resume);
  return Helpers[Written] = true;
}

std::optional<PullbackTarget>
Driver::lambdaPullback(const CXXMethodDecl *Method, const CallExpr *Call,
                       const FunctionDecl *Caller) {
  const CXXRecordDecl *Closure = Method->getParent();
  auto Refuse = [&](const std::string &Why) {
    Current->error(beginLoc(Call),
                   "adjoint: cannot differentiate the call of a lambda " + Why);
    return std::nullopt;
  };
  // What it captures becomes parameters of its pullback: read only.
  for (const LambdaCapture &C : Closure->captures()) {
    if (!C.capturesVariable())
      return Refuse("capturing 'this': pass what it uses as parameters");
    if (Method->hasBody() &&
        StableVariables::mayWrite(Method->getBody(),
                                  cast<VarDecl>(C.getCapturedVar())))
      return Refuse("that writes what it captures ('" +
                    C.getCapturedVar()->getNameAsString() +
                    "'): return the value instead");
  }
  if (differentiatedCallOperator(Closure) != Method)
    return Refuse("with 'auto' parameters called with several types: give "
                  "them types, or write one lambda per type");
  if (!Method->hasBody())
    return Refuse("whose body is not visible");
  // Named after the variable holding the closure, if there is one.
  std::string Name = "_lambda";
  forEachStmt(Caller->getBody(), [&](const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D))
          if (const Expr *Init = V->getInit())
            if (const auto *L = dyn_cast<LambdaExpr>(Init->IgnoreImplicit()))
              if (L->getLambdaClass() == Closure)
                Name = V->getNameAsString();
  });
  Name += "_pullback";
  DiffRequest Req{Method, DiffMode::Pullback, differentiableParams(Method), Name};
  Req.AllowFusion = Options.FuseLoops;
  Req.AsLambda = true;
  std::optional<std::string> Code =
      FunctionDifferentiator(Ctx, *Current, *this, Req).run();
  if (!Code)
    return std::nullopt;
  PullbackTarget Target{Name, true};
  Target.Member = true; // the closure object is not an argument
  Target.LocalDefinition = *Code;
  return Target;
}

std::string Driver::lineDirective(SourceLocation Loc, bool NextLine) const {
  PresumedLoc P = SM.getPresumedLoc(SM.getExpansionLoc(Loc));
  if (P.isInvalid())
    return "";
  std::string File;
  for (char C : std::string(P.getFilename())) {
    if (C == '\\' || C == '"')
      File += '\\';
    File += C;
  }
  return "#line " + std::to_string(P.getLine() + (NextLine ? 1 : 0)) + " \"" +
         File + "\"\n";
}

void Driver::emit(const FunctionDecl *After, const std::string &Name,
                  const std::string &Code) {
  if (!Insertions.count(After))
    InsertionOrder.push_back(After);
  Insertions[After] += "\n" + Code;
  Result.Functions.push_back({Name, After->getNameAsString(), Code});
}

void Driver::generateGradient(const FunctionDecl *FD,
                              const GradAnnotation &Note) {
  std::string Name = FD->getNameAsString();
  // The user may declare a gradient (in a header, to call it from another
  // file): checked against the generated signature once Wrt is known. A
  // definition, or a declaration where none can be merged (templates, class
  // members), is an error: a second run of adjoint-gen --in-place would
  // define them twice.
  bool Declarable = FD->getTemplatedKind() == FunctionDecl::TK_NonTemplate &&
                    !isa<CXXMethodDecl>(FD);
  std::vector<const FunctionDecl *> Declared;
  const DeclContext *Home = FD->getDeclContext()->getRedeclContext();
  for (const char *Suffix : {"_grad", "_vjp"}) {
    auto Found =
        Home->getPrimaryContext()->lookup(&Ctx.Idents.get(Name + Suffix));
    for (const NamedDecl *D : Found) {
      const auto *Decl = dyn_cast<FunctionDecl>(D);
      if (Declarable && Decl && !Decl->isDefined()) {
        Declared.push_back(Decl);
        continue;
      }
      Diags.error(FD->getLocation(),
                  "adjoint: '" + Name + Suffix + "' is already " +
                      (Declarable ? "defined" : "declared") + " at " +
                      D->getLocation().printToString(SM) +
                      ": adjoint generates it from '" + Name +
                      "'; remove that " +
                      (Declarable ? "definition" : "declaration") +
                      " (is this file the output of an earlier adjoint-gen "
                      "run?) and run on the original source");
      return;
    }
  }
  if (FD->getTemplatedKind() == FunctionDecl::TK_FunctionTemplate &&
      !isa<CXXRecordDecl>(FD->getDeclContext()))
    return generateTemplateGradient(FD, Note);
  if (FD->getTemplatedKind() != FunctionDecl::TK_NonTemplate) {
    Diags.error(FD->getLocation(),
                "adjoint: cannot differentiate the member template or "
                "member of a class template '" +
                    Name +
                    "': annotate a function template or function at "
                    "namespace scope that calls it");
    return;
  }
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
    if (FD->getEndLoc().isMacroID()) {
      Diags.error(FD->getLocation(),
                  "adjoint: member function '" + Name +
                      "' ends inside a macro expansion, after which adjoint "
                      "would insert its gradient outside the class; end the "
                      "function outside the macro");
      return;
    }
    if (MD->isOutOfLine()) {
      Diags.error(FD->getLocation(),
                  "adjoint: define member function '" + Name +
                      "' inside its class so its gradient can be declared "
                      "there");
      return;
    }
  }
  if (std::optional<std::vector<const ParmVarDecl *>> Wrt = selectWrt(FD, Note))
    if (declarationsMatch(FD, *Wrt, Declared))
      emitGradient(FD, *Wrt, FD, nullptr);
}

bool Driver::holdsSourceError(const FunctionDecl *FD) const {
  if (!Options.SourceErrors)
    return false;
  SourceLocation Begin = SM.getExpansionLoc(FD->getBeginLoc());
  SourceLocation End = SM.getExpansionLoc(FD->getEndLoc());
  return llvm::any_of(*Options.SourceErrors, [&](SourceLocation Loc) {
    return SM.isPointWithin(SM.getExpansionLoc(Loc), Begin, End);
  });
}

bool Driver::declarationsMatch(const FunctionDecl *FD,
                               const std::vector<const ParmVarDecl *> &Wrt,
                               const std::vector<const FunctionDecl *> &Declared) {
  QualType Ret = FD->getReturnType();
  bool RealResult = isDifferentiableResult(Ret);
  std::string Name = FD->getNameAsString();
  bool Match = true;
  for (const FunctionDecl *Decl : Declared) {
    bool IsVjp = endsWith(Decl->getName(), "_vjp");
    if (IsVjp && !RealResult)
      continue; // not generated: the user's own function
    // The generated parameter types, as adjointParams and signature spell
    // them.
    const auto *Proto = FD->getType()->castAs<FunctionProtoType>();
    std::vector<QualType> Params(Proto->param_type_begin(),
                                 Proto->param_type_end());
    if (IsVjp)
      Params.push_back(isTensor(Ret) ? Ctx.getLValueReferenceType(
                                           Ret.getUnqualifiedType().withConst())
                                     : Ret.getUnqualifiedType());
    for (const ParmVarDecl *P : Wrt) {
      QualType C = P->getType().getNonReferenceType();
      if (isTensor(C) || isReal(C) || isRealVector(C) || isRealStruct(C))
        Params.push_back(Ctx.getLValueReferenceType(C.getUnqualifiedType()));
      else
        Params.push_back(Ctx.getPointerType(
            Ctx.getBaseElementType(C->isPointerType() ? C->getPointeeType() : C)
                .getUnqualifiedType()));
    }
    const auto *DeclProto = Decl->getType()->getAs<FunctionProtoType>();
    bool Same = DeclProto && !DeclProto->isVariadic() &&
                DeclProto->getNumParams() == Params.size() &&
                Ctx.hasSameType(Decl->getReturnType(), Ret) &&
                (Decl->getStorageClass() == SC_Static) ==
                    (FD->getStorageClass() == SC_Static);
    for (size_t I = 0; Same && I < Params.size(); ++I)
      Same = Ctx.hasSameType(DeclProto->getParamType(I), Params[I]);
    if (Same)
      continue;
    DiffRequest Req{FD, DiffMode::Vjp, Wrt, Decl->getNameAsString()};
    std::string Generated =
        FunctionDifferentiator(Ctx, Diags, *this, Req).signature(IsVjp);
    PrintingPolicy Policy(Ctx.getLangOpts());
    std::string Written = Decl->getStorageClass() == SC_Static ? "static " : "";
    Written += Decl->getReturnType().getAsString(Policy) + " " +
               Decl->getNameAsString() + "(";
    for (const ParmVarDecl *P : Decl->parameters()) {
      llvm::raw_string_ostream OS(Written);
      OS << (P->getFunctionScopeIndex() ? ", " : "");
      P->getType().print(OS, Policy, P->getName());
    }
    Written += ")";
    Diags.error(Decl->getLocation(),
                "adjoint: the declaration '" + Written +
                    "' does not match the gradient adjoint generates from '" +
                    Name + "': '" + Generated +
                    "'; declare it with the generated signature (or rename "
                    "it)");
    Diags.note(FD->getLocation(),
               "'" + Decl->getNameAsString() + "' is generated from here");
    Match = false;
  }
  return Match;
}

std::optional<std::vector<const ParmVarDecl *>>
Driver::selectWrt(const FunctionDecl *FD, const GradAnnotation &Note) {
  std::string Name = FD->getNameAsString();
  std::vector<const ParmVarDecl *> Wrt;
  if (Note.Names.empty()) {
    // Structs are differentiated only when listed: an unlisted one is
    // constant data, which may be used in ways a struct of reals may not.
    for (const ParmVarDecl *P : differentiableParams(FD))
      if (!isRealStruct(P->getType()))
        Wrt.push_back(P);
    if (Wrt.empty()) {
      Diags.error(Note.Loc, "adjoint: '" + Name +
                                "' has no float or double parameter to "
                                "differentiate with respect to");
      return std::nullopt;
    }
    return Wrt;
  }
  for (const std::string &Listed : Note.Names) {
    const ParmVarDecl *Found = nullptr;
    for (const ParmVarDecl *P : FD->parameters())
      if (P->getName() == Listed)
        Found = P;
    if (!Found) {
      Diags.error(Note.Loc, "adjoint: '" + Listed +
                                "' in " + Note.Macro + " is not a parameter of '" +
                                Name + "'");
      continue;
    }
    if (!isDifferentiableParam(Found->getType())) {
      std::string Problem = structProblem(Found->getType());
      Diags.error(Note.Loc,
                  "adjoint: cannot differentiate with respect to '" + Listed +
                      "' of type '" + Found->getType().getAsString() + "': " +
                      (Problem.empty()
                           ? std::string("only float and double values, "
                                         "references and pointers are "
                                         "differentiable")
                           : Problem + "; only structs and classes whose "
                                       "members are float, double, integers "
                                       "or such structs (no bases, "
                                       "unions, pointers, arrays, virtual "
                                       "functions or user-defined copies) "
                                       "are differentiable"));
      continue;
    }
    if (llvm::find(Wrt, Found) == Wrt.end())
      Wrt.push_back(Found);
  }
  if (Wrt.size() != Note.Names.size())
    return std::nullopt;
  std::sort(Wrt.begin(), Wrt.end(),
            [](const ParmVarDecl *A, const ParmVarDecl *B) {
              return A->getFunctionScopeIndex() < B->getFunctionScopeIndex();
            });
  return Wrt;
}

void Driver::emitGradient(const FunctionDecl *FD,
                          const std::vector<const ParmVarDecl *> &Wrt,
                          const FunctionDecl *After,
                          const TemplateSpelling *TS) {
  std::string Name = After->getNameAsString();
  QualType Ret = FD->getReturnType();
  bool RealResult = isDifferentiableResult(Ret);
  DiffRequest Vjp{FD, DiffMode::Vjp, Wrt, Name + (RealResult ? "_vjp" : "_grad")};
  Vjp.AllowFusion = Options.FuseLoops;
  if (TS) {
    Vjp.TemplateHead = "template <>";
    Vjp.TemplateArgs = TS->Args;
    Vjp.Aliases = TS->Aliases;
  }
  FunctionDifferentiator Diff(Ctx, Diags, *this, Vjp);
  std::optional<std::string> Code = Diff.run();
  if (!Code)
    return;
  emit(After, Vjp.Name, *Code);
  // Split mode has a tape type per function: not for templates. Its forward
  // sweep runs before the seed is known, so a fused loop is differentiated
  // again without fusion. It is generated only for a translation unit that
  // names one of its functions or its tape type: a user who never asked for
  // it pays nothing for it.
  auto EmitSplit = [&](const FunctionDifferentiator &Sweeps) {
    if (std::optional<std::string> Split = Sweeps.splitMode(Name))
      emit(After, Name + "_forward", *Split);
  };
  bool SplitWanted = false;
  for (const char *Suffix : {"_forward", "_backward", "_tape"})
    SplitWanted |= Ctx.Idents.find(Name + Suffix) != Ctx.Idents.end();
  if (SplitWanted && !TS) {
    if (!Diff.fusedALoop()) {
      EmitSplit(Diff);
    } else {
      DiffRequest Apart = Vjp;
      Apart.AllowFusion = false;
      FunctionDifferentiator Unfused(Ctx, Diags, *this, Apart);
      if (Unfused.run())
        EmitSplit(Unfused);
    }
  }
  if (!RealResult)
    return;
  // f_grad is the vjp with the implicit seed of a scalar result.
  DiffRequest Grad = Vjp;
  Grad.Name = Name + "_grad";
  Grad.Aliases.clear();
  std::string Signature =
      FunctionDifferentiator(Ctx, Diags, *this, Grad).signature(false);
  std::string Call = Vjp.Name + Vjp.TemplateArgs + "(";
  bool First = true;
  for (const ParmVarDecl *P : FD->parameters()) {
    Call += (First ? "" : ", ") + P->getNameAsString();
    First = false;
  }
  Call += std::string(First ? "" : ", ") +
          (isTensor(Ret) ? "::adjoint::Tensor()" : "1");
  for (const ParmVarDecl *P : Wrt)
    Call += ", _d_" + P->getNameAsString();
  Call += ")";
  emit(After, Grad.Name, Signature + " {\n  return " + Call + ";\n}\n");
}

void Driver::emitPrimary(const FunctionDecl *Pattern, DiffRequest Req,
                         const TemplateSpelling &TS, bool WithSeed) {
  if (!PrimariesEmitted.insert({Pattern, Req.Name}).second)
    return;
  Req.TemplateHead = TS.Head;
  Req.TemplateArgs.clear();
  Req.Spelling = Pattern;
  std::string Signature =
      FunctionDifferentiator(Ctx, Diags, *this, Req).signature(WithSeed);
  // `inline` is meaningless on a deleted declaration.
  size_t Inline = Signature.find(" inline ");
  if (Inline != std::string::npos)
    Signature.erase(Inline, 7);
  emit(Pattern, Req.Name,
       "// Defined only for the instantiations differentiated below.\n" +
           Signature + " = delete;\n");
}

void Driver::generateTemplateGradient(const FunctionDecl *FD,
                                      const GradAnnotation &Note) {
  FunctionTemplateDecl *FTD = FD->getDescribedFunctionTemplate();
  std::string Name = FD->getNameAsString();
  std::vector<const FunctionDecl *> Specs =
      instantiationsOf(Options.Sema, FTD);
  if (Specs.empty()) {
    Diags.error(FD->getLocation(),
                "adjoint: function template '" + Name +
                    "' has no instantiation to differentiate: instantiate it "
                    "in this file (call it, or 'template " +
                    FD->getReturnType().getAsString() + " " + Name +
                    "<...>(...);')");
    return;
  }
  bool First = true;
  for (const FunctionDecl *Spec : Specs) {
    TemplateSpelling TS = spellInstantiation(Ctx, Spec);
    if (!TS.Problem.empty()) {
      Diags.error(FD->getLocation(),
                  "adjoint: cannot differentiate function template '" + Name +
                      "': " + TS.Problem +
                      "; annotate a function that calls it");
      return;
    }
    std::optional<std::vector<const ParmVarDecl *>> Wrt = selectWrt(Spec, Note);
    if (!Wrt) {
      if (First)
        return; // reported once, for the first instantiation
      continue;
    }
    bool RealResult = isDifferentiableResult(Spec->getReturnType());
    if (First) {
      DiffRequest Primary{Spec, DiffMode::Vjp, *Wrt,
                          Name + (RealResult ? "_vjp" : "_grad")};
      emitPrimary(FD, Primary, TS, true);
      if (RealResult) {
        Primary.Name = Name + "_grad";
        emitPrimary(FD, Primary, TS, false);
      }
    }
    unsigned Errors = Diags.errorCount();
    emitGradient(Spec, *Wrt, FD, &TS);
    if (Diags.errorCount() != Errors)
      return; // the other instantiations share the same errors
    First = false;
  }
}


void Driver::generatePullback(const PullbackJob &Job) {
  DiffRequest Req{Job.Function, DiffMode::Pullback, Job.Wrt, Job.Name};
  Req.AllowFusion = Options.FuseLoops;
  Req.ActiveThis = Job.ActiveThis;
  const FunctionDecl *After = Job.Function;
  if (Job.Template) {
    // An explicit specialization's pullback follows it; an instantiation's
    // follows the template.
    const FunctionDecl *Pattern = Job.Function->getTemplateInstantiationPattern();
    if (!Pattern)
      Pattern = Job.Function->getPrimaryTemplate()->getTemplatedDecl();
    else
      After = Pattern;
    Req.Aliases = Job.Template->Aliases;
    // Explicit specializations may not be declared in a class (GCC): a
    // member template's pullbacks are overloads, one per instantiation.
    if (!Job.Member) {
      emitPrimary(Pattern, Req, *Job.Template, true);
      Req.TemplateHead = "template <>";
      Req.TemplateArgs = Job.Template->Args;
    }
  }
  FunctionDifferentiator Diff(Ctx, Diags, *this, Req);
  if (std::optional<std::string> Code = Diff.run())
    emit(After, Req.Name, *Code);
}

std::optional<std::string> Driver::loggedCallee(const CallExpr *Call,
                                                const FunctionDecl *Caller,
                                                std::string &Problem) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  const FunctionDecl *Def = Callee ? Callee->getDefinition() : nullptr;
  if (!Def || isa<CXXMethodDecl>(Def) || isLibraryFunction(SM, Def) ||
      !writesThroughParameters(Def)) {
    Problem = "it is a library or member function, or its body is not visible";
    return std::nullopt;
  }
  auto Known = LoggedVariants.find(Def);
  if (Known != LoggedVariants.end()) {
    Problem = Known->second.second;
    return Known->second.first;
  }
  auto Refuse = [&](const std::string &Why) -> std::optional<std::string> {
    LoggedVariants[Def] = {std::nullopt, Why};
    Problem = Why;
    return std::nullopt;
  };
  std::optional<TemplateSpelling> Template;
  const FunctionDecl *After = Def, *Pattern = nullptr;
  if (Def->getTemplatedKind() ==
      FunctionDecl::TK_FunctionTemplateSpecialization) {
    Template = spellInstantiation(Ctx, Def);
    Pattern = Def->getTemplateInstantiationPattern();
    if (Pattern)
      After = Pattern;
    else
      Pattern = Def->getPrimaryTemplate()->getTemplatedDecl();
  } else if (Def->getTemplatedKind() != FunctionDecl::TK_NonTemplate) {
    return std::nullopt;
  }
  // Emitted after the callee, it must come before the caller's code.
  if (Template && !Template->Problem.empty())
    return Refuse(Template->Problem);
  if (Def != Caller &&
      !SM.isBeforeInTranslationUnit(After->getEndLoc(), Caller->getBeginLoc()))
    return Refuse("it is defined after '" + Caller->getNameAsString() + "'");
  std::string Name = Def->getNameAsString() + "_logged";
  std::string Spelling =
      qualifiedSibling(Def, Name) + (Template ? Template->Args : "");
  // Recursive calls in the body name the variant being generated.
  LoggedVariants[Def] = {Spelling, ""};
  std::string Why;
  std::optional<std::string> Body = loggedBody(
      Ctx, Def,
      [&](const CallExpr *Inner) {
        std::string Ignored;
        return loggedCallee(Inner, Def, Ignored);
      },
      Why);
  if (!Body)
    return Refuse(Why);

  PrintingPolicy Policy(Ctx.getLangOpts());
  auto Spell = [&](QualType T) {
    return TypeName::getFullyQualifiedName(T, Ctx, Policy,
                                           /*WithGlobalNsPrefix=*/true);
  };
  auto Params = [&](const FunctionDecl *F) {
    std::string Out;
    for (const ParmVarDecl *P : F->parameters())
      Out += Spell(P->getType()) + " " + P->getNameAsString() + ", ";
    return Out + "::adjoint::WriteLog &_log";
  };
  std::string Code = "// '" + Def->getNameAsString() +
                     "', saving in _log what it overwrites through its "
                     "parameters first.\n";
  std::string Head = Def->getStorageClass() == SC_Static ? "static " : "";
  if (Template) {
    if (PrimariesEmitted.insert({Pattern, Name}).second)
      Code += Template->Head + "\n" + Spell(Pattern->getReturnType()) + " " +
              Name + "(" + Params(Pattern) + ") = delete;\n";
    Head = "template <> ";
  }
  Code += Head + "inline " + Spell(Def->getReturnType()) + " " + Name +
          (Template ? Template->Args : "") + "(" + Params(Def) + ") ";
  if (Template) {
    Code += "{\n";
    for (const std::string &Alias : Template->Aliases)
      Code += "  " + Alias + "\n";
    Code += *Body + "\n}\n";
  } else {
    Code += *Body + "\n";
  }
  emit(After, Name, Code);
  return Spelling;
}

std::optional<PullbackTarget> Driver::splitTarget(const PullbackJob &Job) {
  const FunctionDecl *FD = Job.Function;
  auto Key = std::make_pair(FD, Job.Name);
  auto Known = Splits.find(Key);
  if (Known != Splits.end())
    return Known->second;
  // Only free functions returning a real, writing through no parameter: the
  // record then holds all that the reverse sweep reads.
  bool Eligible = !isa<CXXMethodDecl>(FD) && isReal(FD->getReturnType());
  for (const ParmVarDecl *P : FD->parameters()) {
    QualType T = P->getType();
    Eligible &=
        !T->isRValueReferenceType() &&
        !(T->isPointerType() && !T->getPointeeType().isConstQualified()) &&
        !(T->isLValueReferenceType() &&
          !T.getNonReferenceType().isConstQualified());
  }
  std::optional<PullbackTarget> Target;
  if (Eligible) {
    DiagnosticSink Attempt(SM);
    DiagnosticSink *Outer = Current;
    Current = &Attempt;
    Splitting.insert(FD);
    DiffRequest Req{FD, DiffMode::Split, Job.Wrt, Job.Name};
    std::optional<std::string> Code =
        FunctionDifferentiator(Ctx, Attempt, *this, Req).run();
    Splitting.erase(FD);
    Current = Outer;
    if (Code && !Attempt.errorCount() && !Recursive.count(FD)) {
      emit(FD, Job.Name + "_forward", *Code);
      std::string Record = splitRecordName(FD, Job.Name);
      Target = PullbackTarget{qualifiedSibling(FD, Job.Name + "_reverse"), true,
                              false, qualifiedSibling(FD, Record),
                              qualifiedSibling(FD, Job.Name + "_forward")};
    }
  }
  Splits[Key] = Target;
  return Target;
}

std::string Driver::ruleFor(const CallExpr *Call) {
  return tangentRule(Call, "_pullback");
}

std::string Driver::resultRuleFor(const CallExpr *Call) {
  return isReal(Call->getType()) ? tangentRule(Call, "_result_pullback") : "";
}

std::string Driver::tangentRule(const CallExpr *Call,
                                const std::string &Suffix) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return "";
  std::string Name = Callee->getNameAsString() + Suffix;
  bool TakesResult = Suffix == "_result_pullback";
  StringRef DerivativesPath[] = {"adjoint", "derivatives"};
  if (hasRuleFor(Ctx, findNamespace(Ctx, DerivativesPath), Name, Call,
                 TakesResult))
    return "::adjoint::derivatives::" + Name;
  if (hasRuleFor(Ctx, Callee->getDeclContext()->getRedeclContext(), Name, Call,
                 TakesResult))
    return qualifiedSibling(Callee, Name);
  return "";
}

std::string Driver::tensorRuleFor(const CallExpr *Call) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return "";
  const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call);
  std::string Name =
      (Op ? operatorRuleName(Op) : Callee->getNameAsString()) + "_pushforward";
  if (Op && Name == "_pushforward")
    return "";
  // A forward rule takes as many arguments as the pullback beside it (the
  // value for the upstream gradient, tangents for adjoints).
  StringRef DerivativesPath[] = {"adjoint", "derivatives"};
  if (hasRuleFor(Ctx, findNamespace(Ctx, DerivativesPath), Name, Call, false))
    return "::adjoint::derivatives::" + Name;
  if (hasRuleFor(Ctx, Callee->getDeclContext()->getRedeclContext(), Name, Call,
                 false))
    return qualifiedSibling(Callee, Name);
  return "";
}

std::optional<std::string> Driver::pushforwardFor(const FunctionDecl *Callee,
                                                  const CallExpr *Call,
                                                  const FunctionDecl *Caller) {
  const FunctionDecl *Def = Callee->getDefinition();
  if (!Def || !Def->hasBody() || SM.isInSystemHeader(Def->getLocation())) {
    Current->error(beginLoc(Call),
                   "adjoint: forward mode: no derivative for the call to '" +
                       Callee->getQualifiedNameAsString() +
                       "' (its body is not visible): provide a custom pullback "
                       "for scalar arguments (see docs/custom-derivatives.md)");
    return std::nullopt;
  }
  // Methods are defined in their class (TangentFunction checks), whose
  // members see each other.
  if (Def != Caller && !isa<CXXMethodDecl>(Def) &&
      !SM.isBeforeInTranslationUnit(Def->getEndLoc(), Caller->getBeginLoc())) {
    // Defined after its caller: its pushforward, a template defined after
    // the callee, is declared before the caller's (in the same scope).
    if (Def->getDeclContext()->getRedeclContext() !=
        Caller->getDeclContext()->getRedeclContext()) {
      Current->error(beginLoc(Call),
                     "adjoint: '" + Callee->getNameAsString() +
                         "' must be defined before '" +
                         Caller->getNameAsString() +
                         "' so that its generated pushforward is declared "
                         "before use (a function in another scope)");
      return std::nullopt;
    }
    if (PushforwardsDeclared.insert({Def, Caller}).second) {
      DiagnosticSink Quiet(SM);
      DiagnosticSink *Outer = Current;
      Current = &Quiet;
      std::optional<std::string> Code =
          generatePushforward(Ctx, Quiet, *this, Def);
      Current = Outer;
      // Without code, its generation (scheduled below) reports why.
      if (Code && !Quiet.errorCount())
        emit(Caller, pushforwardName(Def),
             Code->substr(0, Code->find(" {\n")) + ";\n");
    }
  }
  if (Def != Caller && PushforwardsScheduled.insert(Def).second)
    PushforwardQueue.push_back(Def);
  // An instance method's pushforward is called on the object.
  if (const auto *Method = dyn_cast<CXXMethodDecl>(Def);
      Method && !Method->isStatic())
    return pushforwardName(Def);
  return qualifiedSibling(Def, pushforwardName(Def));
}

bool Driver::emitHessianOverSweep(const FunctionDecl *FD,
                                  const GradAnnotation &Note) {
  DiagnosticSink Quiet(SM);
  std::optional<std::vector<const ParmVarDecl *>> Wrt = selectWrt(FD, Note);
  if (!Wrt)
    return false;
  std::optional<DiffRequest> Sweep = hessianSweepRequest(FD, *Wrt, *this);
  if (!Sweep)
    return false;
  Sweep->AllowFusion = Options.FuseLoops;
  // Reverse mode may still refuse the body, or a callee's: forward over
  // forward then.
  DiagnosticSink *Outer = Current;
  Current = &Quiet;
  DualRealType = Sweep->RealType;
  auto KnownPullbacks = DualPullbacks;
  auto KnownSplits = DualSplits;
  std::optional<std::string> Code =
      FunctionDifferentiator(Ctx, Quiet, *this, *Sweep).run();
  Current = Outer;
  DualRealType.clear();
  std::vector<DualPullback> Pullbacks = std::move(PendingDualPullbacks);
  PendingDualPullbacks.clear();
  if (!Code || Quiet.errorCount()) {
    DualPullbacks = std::move(KnownPullbacks);
    DualSplits = std::move(KnownSplits);
    return false;
  }
  for (const DualPullback &P : Pullbacks)
    emit(P.After, P.Name, P.Code);
  emit(FD, Sweep->Name, *Code);
  emit(FD, FD->getNameAsString() + "_hvp",
       generateHessianOverSweep(Ctx, FD, *Wrt));
  return true;
}

bool Driver::emitPushforward(const FunctionDecl *FD) {
  auto Known = PushforwardsEmitted.find(FD);
  if (Known != PushforwardsEmitted.end())
    return Known->second;
  PushforwardsScheduled.insert(FD);
  std::optional<std::string> Code = generatePushforward(Ctx, Diags, *this, FD);
  if (Code)
    emit(FD, pushforwardName(FD), *Code);
  return PushforwardsEmitted[FD] = Code.has_value();
}

bool Driver::emitTensorPushforward(const FunctionDecl *FD) {
  DiagnosticSink Quiet(SM);
  DiagnosticSink *Outer = Current;
  Current = &Quiet;
  auto KnownQueue = PushforwardQueue;
  auto KnownScheduled = PushforwardsScheduled;
  PushforwardsScheduled.insert(FD);
  std::vector<std::pair<const FunctionDecl *, std::string>> Generated;
  std::vector<const FunctionDecl *> Todo = {FD};
  while (!Todo.empty() && !Quiet.errorCount()) {
    const FunctionDecl *Next = Todo.back();
    Todo.pop_back();
    size_t Queued = PushforwardQueue.size();
    std::optional<std::string> Code =
        generatePushforward(Ctx, Quiet, *this, Next);
    if (!Code)
      break;
    Generated.push_back({Next, *Code});
    // The callees it scheduled are generated here, in the same attempt.
    Todo.insert(Todo.end(), PushforwardQueue.begin() + Queued,
                PushforwardQueue.end());
    PushforwardQueue.resize(Queued);
  }
  Current = Outer;
  if (!Todo.empty() || Quiet.errorCount()) {
    PushforwardQueue = std::move(KnownQueue);
    PushforwardsScheduled = std::move(KnownScheduled);
    return false;
  }
  // Callees first, as their pushforwards are called.
  for (auto It = Generated.rbegin(); It != Generated.rend(); ++It) {
    if (PushforwardsEmitted.count(It->first))
      continue;
    emit(It->first, pushforwardName(It->first), It->second);
    PushforwardsEmitted[It->first] = true;
  }
  return true;
}

void Driver::generateForward(const FunctionDecl *FD) {
  std::optional<GradAnnotation> Jvp = findAnnotation(FD, "adjoint.jvp");
  std::optional<GradAnnotation> Hessian =
      findAnnotation(FD, "adjoint.hessian");
  if (!Jvp && !Hessian)
    return;
  std::string Name = FD->getNameAsString();
  if (const auto *Method = dyn_cast<CXXMethodDecl>(FD);
      Method && !Method->isStatic()) {
    Diags.error(FD->getLocation(),
                "adjoint: forward mode (ADJOINT_JVP/ADJOINT_HESSIAN) does not "
                "support annotated member functions yet ('" +
                    Name + "'): annotate a free function that calls it");
    return;
  }
  const DeclContext *Home = FD->getDeclContext()->getRedeclContext();
  for (const char *Suffix : {"_jvp", "_hvp", "_hessian", "_pushforward"}) {
    auto Found =
        Home->getPrimaryContext()->lookup(&Ctx.Idents.get(Name + Suffix));
    if (Found.empty())
      continue;
    Diags.error(FD->getLocation(),
                "adjoint: '" + Name + Suffix + "' is already declared at " +
                    (*Found.begin())->getLocation().printToString(SM) +
                    ": adjoint generates it from '" + Name +
                    "'; remove that declaration (is this file the output of "
                    "an earlier adjoint-gen run?) and run on the original "
                    "source");
    return;
  }
  if (isTensorFunction(FD)) {
    if (Hessian)
      Diags.error(Hessian->Loc, "adjoint: ADJOINT_HESSIAN does not support "
                                "tensor functions yet ('" +
                                    Name + "')");
    std::optional<std::vector<const ParmVarDecl *>> Wrt;
    if (!Jvp || !(Wrt = selectWrt(FD, *Jvp)))
      return;
    // Tangent tensors alongside the values: one forward sweep.
    if (emitTensorPushforward(FD)) {
      if (std::optional<std::string> Code = generateJvp(Ctx, Diags, FD, *Wrt))
        emit(FD, Name + "_jvp", *Code);
      return;
    }
    QualType Ret = FD->getReturnType();
    if (!isTensor(Ret) && !isReal(Ret)) {
      emitPushforward(FD); // reports why there is none
      return;
    }
    // A body the forward sweep cannot take: a tensor loss's JVP is
    // <gradient, tangent>, from one reverse sweep.
    DiffRequest Sweep{FD, DiffMode::Vjp, *Wrt, Name + "_jvp_sweep"};
    Sweep.AllowFusion = Options.FuseLoops;
    std::optional<std::string> Code =
        FunctionDifferentiator(Ctx, Diags, *this, Sweep).run();
    if (!Code)
      return;
    emit(FD, Sweep.Name, *Code);
    if (std::optional<std::string> Wrapper =
            generateTensorJvp(Ctx, Diags, FD, *Wrt, Sweep.Name))
      emit(FD, Name + "_jvp", *Wrapper);
    return;
  }
  bool OverSweep = Hessian && emitHessianOverSweep(FD, *Hessian);
  if ((Jvp || (Hessian && !OverSweep)) && !emitPushforward(FD))
    return;
  if (Jvp)
    if (std::optional<std::vector<const ParmVarDecl *>> Wrt =
            selectWrt(FD, *Jvp))
      if (std::optional<std::string> Code = generateJvp(Ctx, Diags, FD, *Wrt))
        emit(FD, Name + "_jvp", *Code);
  if (Hessian && !OverSweep)
    if (std::optional<std::vector<const ParmVarDecl *>> Wrt =
            selectWrt(FD, *Hessian))
      if (std::optional<std::string> Code =
              generateHessian(Ctx, Diags, FD, *Wrt))
        emit(FD, Name + "_hvp", *Code);
}

GenerationResult Driver::run() {
  if (Options.Sema)
    instantiateAlgorithmOperations(*Options.Sema);
  for (const FunctionDecl *FD : findAnnotatedDefinitions(Ctx)) {
    if (holdsSourceError(FD))
      continue;
    // Generated names append to the function's name: `loss_grad`.
    if (!FD->getDeclName().isIdentifier()) {
      Diags.error(FD->getLocation(),
                  "adjoint: cannot annotate '" + FD->getNameAsString() +
                      "', which has no name to derive gradient names from: "
                      "annotate a named function (e.g. 'double value(...) "
                      "const') and call it from '" +
                      FD->getNameAsString() + "'");
      continue;
    }
    if (std::optional<GradAnnotation> Grad = findGradAnnotation(FD))
      generateGradient(FD, *Grad);
    generateForward(FD);
  }
  while (!PushforwardQueue.empty()) {
    const FunctionDecl *FD = PushforwardQueue.back();
    PushforwardQueue.pop_back();
    emitPushforward(FD);
  }
  while (!PullbackQueue.empty()) {
    PullbackJob Job = PullbackQueue.back();
    PullbackQueue.pop_back();
    generatePullback(Job);
  }
  Result.Diagnostics = Diags.take();
  if (Result.hasErrors() || (Insertions.empty() && !Options.EditFiles))
    return std::move(Result);

  Rewriter R(const_cast<SourceManager &>(SM), Ctx.getLangOpts());
  // A pullback of a helper defined before the file includes adjoint's
  // headers needs them: the file then includes them first.
  StringRef AdjointPath[] = {"adjoint"};
  const auto *Adjoint = dyn_cast_or_null<NamespaceDecl>(
      findNamespace(Ctx, AdjointPath));
  SourceLocation AdjointStart =
      Adjoint ? Adjoint->getFirstDecl()->getBeginLoc() : SourceLocation();
  std::set<FileID> IncludesAdded;
  for (const FunctionDecl *FD : InsertionOrder) {
    SourceLocation End = Lexer::getLocForEndOfToken(
        SM.getExpansionLoc(FD->getEndLoc()), 0, SM, Ctx.getLangOpts());
    FileID File = SM.getFileID(End);
    if (AdjointStart.isValid() && SM.isBeforeInTranslationUnit(End, AdjointStart) &&
        IncludesAdded.insert(File).second)
      R.InsertTextBefore(SM.getLocForStartOfFile(File),
                         "#include <adjoint/scalar.h>\n#line 1\n");
    // Generated code keeps what a reverse sweep may not read (restored
    // locals, primal values, parameters), and split mode saves taped values
    // that a run may not have set: a user's -Wall -Wextra -Werror must not
    // fail on it.
    std::string Text = Insertions[FD].substr(1);
    if (!Text.empty() && Text.back() != '\n')
      Text += "\n";
    auto [Open, Close] = reopenedNamespaces(FD);
    Text = "\n#pragma GCC diagnostic push\n"
           "#pragma GCC diagnostic ignored \"-Wunused-variable\"\n"
           "#pragma GCC diagnostic ignored \"-Wunused-but-set-variable\"\n"
           "#pragma GCC diagnostic ignored \"-Wunused-parameter\"\n"
           "#if defined(__GNUC__) && !defined(__clang__)\n"
           "#pragma GCC diagnostic ignored \"-Wmaybe-uninitialized\"\n"
           "#endif\n" + Open +
           (Options.EmitLineDirectives ? lineDirective(FD->getBeginLoc(), false)
                                       : "") +
           Text + Close + "#pragma GCC diagnostic pop\n" +
           (Options.EmitLineDirectives ? lineDirective(FD->getEndLoc(), false)
                                       : "");
    R.InsertTextAfter(End, Text);
  }
  if (Options.EditFiles)
    Options.EditFiles(R);
  for (auto It = R.buffer_begin(); It != R.buffer_end(); ++It) {
    RewrittenFile File;
    File.Ref = SM.getFileEntryRefForID(It->first);
    if (!File.Ref)
      continue;
    File.Entry = &File.Ref->getFileEntry();
    File.Path = File.Ref->getName().str();
    llvm::raw_string_ostream OS(File.Contents);
    It->second.write(OS);
    OS.flush();
    Result.Files.push_back(std::move(File));
  }
  return std::move(Result);
}

} // namespace

GenerationResult generateGradients(ASTContext &Ctx,
                                   const GeneratorOptions &Options) {
  return Driver(Ctx, Options).run();
}

} // namespace adjoint
