//===- Annotation.h - Reading ADJOINT_GRAD annotations ----------*- C++ -*-===//
#ifndef ADJOINT_CORE_ANNOTATION_H
#define ADJOINT_CORE_ANNOTATION_H

#include "clang/AST/Decl.h"

#include <optional>
#include <string>
#include <vector>

namespace adjoint {

/// The parsed `ADJOINT_GRAD(names...)` of a function.
struct GradAnnotation {
  /// Names listed in the annotation; empty means every differentiable
  /// parameter.
  std::vector<std::string> Names;
  /// Where the annotation is written.
  clang::SourceLocation Loc;
  /// The macro written (ADJOINT_GRAD, ADJOINT_JVP or ADJOINT_HESSIAN).
  std::string Macro = "ADJOINT_GRAD";
};

/// The ADJOINT_GRAD annotation of \p FD, if it has one.
std::optional<GradAnnotation> findGradAnnotation(const clang::FunctionDecl *FD);

/// The annotation \p Kind ("adjoint.grad", "adjoint.jvp" or
/// "adjoint.hessian") of \p FD, if it has one.
std::optional<GradAnnotation> findAnnotation(const clang::FunctionDecl *FD,
                                             llvm::StringRef Kind);

/// The definitions annotated with ADJOINT_GRAD, ADJOINT_JVP or
/// ADJOINT_HESSIAN in \p Ctx's translation unit,
/// in source order, outside system headers and template instantiations.
std::vector<const clang::FunctionDecl *>
findAnnotatedDefinitions(clang::ASTContext &Ctx);

} // namespace adjoint

#endif // ADJOINT_CORE_ANNOTATION_H
