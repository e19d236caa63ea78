//===- Templates.h - Differentiating function template instantiations -*- C++ -*-===//
//
// Gradients and pullbacks of function templates are explicit specializations
// of a deleted primary template, one per instantiation (`template <> inline
// double f_grad<double>(...)`). Each is generated from the instantiation's
// body, whose text is made valid outside the template by aliases of the
// template parameters (`using T = double;`).
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_CORE_TEMPLATES_H
#define ADJOINT_CORE_TEMPLATES_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"

#include <string>
#include <vector>

namespace clang {
class Sema;
} // namespace clang

namespace adjoint {

/// How the instantiation \p Spec of a function template is spelled in an
/// explicit specialization.
struct TemplateSpelling {
  /// `<double>`, or `<double, 3>`.
  std::string Args;
  /// `using T = double;` or `constexpr int N = 3;` per template parameter.
  std::vector<std::string> Aliases;
  /// The template's parameter list as written, e.g. `template <class T>`.
  std::string Head;
  /// Why it cannot be spelled (packs, template template parameters), or
  /// empty.
  std::string Problem;
};

/// The spelling of the instantiation \p Spec (a function template
/// specialization with a body).
TemplateSpelling spellInstantiation(clang::ASTContext &Ctx,
                                    const clang::FunctionDecl *Spec);

/// The instantiations of \p FTD to differentiate: those in the translation
/// unit and, when \p S is given and every template parameter is a type,
/// those with every parameter float or double (instantiated through \p S).
std::vector<const clang::FunctionDecl *>
instantiationsOf(clang::Sema *S, clang::FunctionTemplateDecl *FTD);

} // namespace adjoint

#endif // ADJOINT_CORE_TEMPLATES_H
