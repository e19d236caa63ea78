//===- Templates.cpp - Differentiating function template instantiations ---===//

#include "Templates.h"
#include "ClangCompat.h"

#include "clang/Lex/Lexer.h"
#include "clang/Sema/Sema.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;

namespace adjoint {

namespace {
PrintingPolicy policy(ASTContext &Ctx) {
  PrintingPolicy P(Ctx.getPrintingPolicy());
  P.SuppressTagKeyword = true;
  P.SuppressScope = false;
  P.FullyQualifiedName = true;
  return P;
}
/// The class or enum declared inside a function that \p T names, if any
/// (the closure type of a lambda, a local struct).
const Decl *unnameableIn(QualType T) {
  T = T.getNonReferenceType();
  while (true) {
    if (const auto *P = T->getAs<PointerType>())
      T = P->getPointeeType();
    else if (const auto *A = T->getAsArrayTypeUnsafe())
      T = A->getElementType();
    else
      break;
  }
  const TagDecl *Tag = T->getAsTagDecl();
  if (!Tag)
    return nullptr;
  if (Tag->getDeclContext()->isFunctionOrMethod() ||
      (isa<CXXRecordDecl>(Tag) && cast<CXXRecordDecl>(Tag)->isLambda()))
    return Tag;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(Tag))
    for (const TemplateArgument &A : Spec->getTemplateArgs().asArray())
      if (A.getKind() == TemplateArgument::Type)
        if (const Decl *D = unnameableIn(A.getAsType()))
          return D;
  return nullptr;
}

/// An enumeration constant as C++ (`::Policy::Throw`): the enumerator of
/// that value, or a cast for a value without one.
std::string enumeratorSpelling(ASTContext &Ctx, const EnumDecl *Enum,
                               const llvm::APSInt &Value) {
  std::string Type =
      tagType(Ctx, Enum).getCanonicalType().getAsString(policy(Ctx));
  for (const EnumConstantDecl *E : Enum->enumerators())
    if (llvm::APSInt::isSameValue(E->getInitVal(), Value))
      return Type + "::" + E->getNameAsString();
  return "static_cast<" + Type + ">(" + llvm::toString(Value, 10) + ")";
}
} // namespace

TemplateSpelling spellInstantiation(ASTContext &Ctx, const FunctionDecl *Spec) {
  TemplateSpelling Out;
  const FunctionTemplateDecl *FTD = Spec->getPrimaryTemplate();
  const TemplateArgumentList *Args = Spec->getTemplateSpecializationArgs();
  if (!FTD || !Args) {
    Out.Problem = "it is not an instantiation of a function template";
    return Out;
  }
  const TemplateParameterList *Params = FTD->getTemplateParameters();
  const SourceManager &SM = Ctx.getSourceManager();
  Out.Head = Lexer::getSourceText(
                 CharSourceRange::getTokenRange(Params->getSourceRange()), SM,
                 Ctx.getLangOpts())
                 .str();
  PrintingPolicy Policy = policy(Ctx);
  if (Params->size() != Args->size()) {
    Out.Problem = "it has a parameter pack";
    return Out;
  }
  for (unsigned I = 0; I < Args->size(); ++I) {
    const NamedDecl *Param = Params->getParam(I);
    const TemplateArgument &Arg = Args->get(I);
    std::string Name = Param->getNameAsString();
    std::string Value;
    if (Param->isTemplateParameterPack()) {
      Out.Problem = "it has a parameter pack";
      return Out;
    }
    if (Arg.getKind() == TemplateArgument::Type) {
      if (const Decl *Local = unnameableIn(Arg.getAsType())) {
        Out.Problem = "its template argument for '" + Name + "' is " +
                      (isa<CXXRecordDecl>(Local) &&
                               cast<CXXRecordDecl>(Local)->isLambda()
                           ? "the type of a lambda"
                           : "a type declared in a function") +
                      ", which cannot be named outside that function, where "
                      "adjoint defines the pullback: pass an object of a "
                      "class with an operator() declared before the template";
        return Out;
      }
      Value = Arg.getAsType().getCanonicalType().getAsString(Policy);
      if (!Name.empty())
        Out.Aliases.push_back("using " + Name + " = " + Value + ";");
    } else if (Arg.getKind() == TemplateArgument::Integral) {
      Value = llvm::toString(Arg.getAsIntegral(), 10);
      if (Arg.getIntegralType()->isBooleanType())
        Value = Arg.getAsIntegral().getBoolValue() ? "true" : "false";
      if (const auto *Enum = Arg.getIntegralType()->getAs<EnumType>())
        Value = enumeratorSpelling(Ctx, Enum->getDecl(), Arg.getAsIntegral());
      if (!Name.empty())
        Out.Aliases.push_back(
            "constexpr " +
            Arg.getIntegralType().getCanonicalType().getAsString(Policy) +
            " " + Name + " = " + Value + ";");
    } else if (Arg.getKind() == TemplateArgument::NullPtr) {
      // The SFINAE idiom `enable_if<...>::type * = nullptr`.
      Value = "nullptr";
      if (!Name.empty())
        Out.Aliases.push_back(
            "constexpr " +
            Arg.getNullPtrType().getCanonicalType().getAsString(Policy) + " " +
            Name + " = nullptr;");
    } else {
      Out.Problem = "its template argument " +
                    (Name.empty() ? std::to_string(I + 1)
                                  : "for '" + Name + "'") +
                    " is not a type, an integer or nullptr";
      return Out;
    }
    Out.Args += (I ? ", " : "") + Value;
  }
  Out.Args = "<" + Out.Args + ">";
  return Out;
}

std::vector<const FunctionDecl *> instantiationsOf(Sema *S,
                                                   FunctionTemplateDecl *FTD) {
  const TemplateParameterList *Params = FTD->getTemplateParameters();
  llvm::SmallPtrSet<const FunctionDecl *, 4> Failed;
  bool AllTypes = Params->size() <= 3;
  for (const NamedDecl *P : *Params)
    AllTypes &= isa<TemplateTypeParmDecl>(P) && !P->isTemplateParameterPack();
  if (S && AllTypes) {
    ASTContext &Ctx = S->getASTContext();
    SourceLocation Loc = FTD->getTemplatedDecl()->getLocation();
    for (unsigned Mask = 0; Mask < (1u << Params->size()); ++Mask) {
      SmallVector<TemplateArgument, 3> Args;
      for (unsigned I = 0; I < Params->size(); ++I)
        Args.push_back(TemplateArgument((Mask >> I) & 1 ? Ctx.FloatTy
                                                         : Ctx.DoubleTy));
      void *InsertPos = nullptr;
      FunctionDecl *Spec = FTD->findSpecialization(Args, InsertPos);
      if (Spec && Spec->isDefined())
        continue; // the translation unit instantiates it already
      // An instantiation that does not compile is not differentiated.
      DiagnosticErrorTrap Errors(S->getDiagnostics());
      if (!Spec) {
        Sema::SFINAETrap Trap(*S);
        Spec = S->InstantiateFunctionDeclaration(
            FTD, TemplateArgumentList::CreateCopy(Ctx, Args), Loc);
        if (!Spec || Trap.hasErrorOccurred())
          continue;
      }
      S->InstantiateFunctionDefinition(Loc, Spec, /*Recursive=*/true);
      S->PerformPendingInstantiations();
      if (Errors.hasErrorOccurred())
        Failed.insert(Spec);
    }
  }
  std::vector<const FunctionDecl *> Out;
  for (const FunctionDecl *Spec : FTD->specializations())
    if (isTemplateInstantiation(Spec->getTemplateSpecializationKind()) &&
        !Spec->isInvalidDecl() && Spec->hasBody() && !Failed.count(Spec))
      Out.push_back(Spec);
  return Out;
}

} // namespace adjoint
