//===- FrontendSupport.h - Code shared by the plugin and adjoint-gen -*- C++
//-*-//
//
// Both front ends parse the translation unit once more for analysis, run
// generateGradients on that AST, report the core's diagnostics as ordinary
// Clang diagnostics and print the generated functions in one dump format.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_CORE_FRONTENDSUPPORT_H
#define ADJOINT_CORE_FRONTENDSUPPORT_H

#include "Generator.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/FrontendAction.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Error.h"

#include <functional>
#include <string>
#include <vector>

namespace adjoint {

/// A syntax-only action for the analysis parse. The user's code calls the
/// gradients before they exist, so the parse always has errors: the action
/// tolerates them (no error limit) and hands the AST to generateGradients.
/// Function bodies in system headers are skipped, since nothing there is
/// differentiated; that makes the extra parse much cheaper.
class AnalysisAction : public clang::ASTFrontendAction {
public:
  /// Receives the result while the analysed AST (and its SourceManager) is
  /// still alive.
  using ResultHandler =
      std::function<void(clang::ASTContext &, GenerationResult &)>;

  AnalysisAction(GeneratorOptions Options, ResultHandler OnResult)
      : Options(Options), OnResult(std::move(OnResult)) {}

  /// Whether the parse found errors in the user's code (after it ran).
  bool foundSourceErrors() const { return !SourceErrors.empty(); }

protected:
  bool BeginInvocation(clang::CompilerInstance &CI) override;
  std::unique_ptr<clang::ASTConsumer>
  CreateASTConsumer(clang::CompilerInstance &CI, llvm::StringRef) override;

private:
  GeneratorOptions Options;
  ResultHandler OnResult;
  /// The parse's errors in the user's code (GeneratorOptions::SourceErrors).
  std::vector<clang::SourceLocation> SourceErrors;
};

/// Whether an error of the analysis parse is about a name adjoint generates
/// (`f_grad`, `f_vjp`, `f_jvp`, `f_hvp`, `f_hessian`, `f_forward`,
/// `f_backward`, `f_tape`): the user's code
/// calls the gradients before they exist, so these are expected; any other
/// error is one in the user's code, which the compiler reports itself.
bool isAboutGeneratedName(const clang::Diagnostic &Info);

/// Reports the core's diagnostics through \p Diags. \p Locate maps each one
/// to a location in the SourceManager of \p Diags; when it returns an invalid
/// location the resolved file:line:col is put in front of the message.
void reportDiagnostics(
    clang::DiagnosticsEngine &Diags,
    const std::vector<GeneratorDiagnostic> &Diagnostics,
    llvm::function_ref<clang::SourceLocation(const GeneratorDiagnostic &)>
        Locate);

/// Formats generated functions for -dump and --dump: a header naming the
/// translation unit, then each function preceded by a comment saying what it
/// was generated from. Empty when there are no functions.
std::string formatDump(const std::vector<GeneratedFunction> &Functions,
                       llvm::StringRef MainFile);

/// Replaces (or creates) \p Path with \p Contents so that readers see either
/// the old or the new file, never a partial one: writes a temporary file in
/// the same directory, then renames it over \p Path. Symbolic links are
/// followed, and an existing file's permissions are kept. Devices and pipes
/// are written into instead.
llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::StringRef Contents);

} // namespace adjoint

#endif // ADJOINT_CORE_FRONTENDSUPPORT_H
