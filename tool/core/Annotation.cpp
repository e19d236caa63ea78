//===- Annotation.cpp - Reading ADJOINT_GRAD annotations ------------------===//

#include "Annotation.h"

#include "clang/AST/Attr.h"
#include "clang/AST/Expr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;

namespace adjoint {

std::optional<GradAnnotation> findGradAnnotation(const FunctionDecl *FD) {
  return findAnnotation(FD, "adjoint.grad");
}

std::optional<GradAnnotation> findAnnotation(const FunctionDecl *FD,
                                             StringRef Kind) {
  for (const auto *A : FD->specific_attrs<AnnotateAttr>()) {
    if (A->getAnnotation() != Kind)
      continue;
    GradAnnotation G;
    G.Loc = A->getLocation();
    if (Kind == "adjoint.jvp")
      G.Macro = "ADJOINT_JVP";
    else if (Kind == "adjoint.hessian")
      G.Macro = "ADJOINT_HESSIAN";
    for (const Expr *Arg : A->args()) {
      const Expr *E = Arg->IgnoreParenImpCasts();
      if (const auto *CE = dyn_cast<ConstantExpr>(E))
        E = CE->getSubExpr()->IgnoreParenImpCasts();
      const auto *Str = dyn_cast<StringLiteral>(E);
      if (!Str)
        continue;
      llvm::SmallVector<StringRef, 8> Parts;
      Str->getString().split(Parts, ',', -1, /*KeepEmpty=*/false);
      for (StringRef Part : Parts)
        if (!Part.trim().empty())
          G.Names.push_back(Part.trim().str());
    }
    return G;
  }
  return std::nullopt;
}

namespace {
struct AnnotatedFinder : RecursiveASTVisitor<AnnotatedFinder> {
  explicit AnnotatedFinder(const SourceManager &SM) : SM(SM) {}
  bool shouldVisitTemplateInstantiations() const { return false; }
  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->doesThisDeclarationHaveABody() &&
        !SM.isInSystemHeader(FD->getLocation()) &&
        (findGradAnnotation(FD) || findAnnotation(FD, "adjoint.jvp") ||
         findAnnotation(FD, "adjoint.hessian")))
      Found.push_back(FD);
    return true;
  }
  const SourceManager &SM;
  std::vector<const FunctionDecl *> Found;
};
} // namespace

std::vector<const FunctionDecl *> findAnnotatedDefinitions(ASTContext &Ctx) {
  AnnotatedFinder Finder(Ctx.getSourceManager());
  Finder.TraverseDecl(Ctx.getTranslationUnitDecl());
  return std::move(Finder.Found);
}

} // namespace adjoint
