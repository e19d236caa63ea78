//===- Generator.h - Public entry point of the differentiator ---*- C++ -*-===//
//
// Runs adjoint over a parsed translation unit: finds the functions annotated
// with ADJOINT_GRAD, generates their reverse-mode gradient functions (and the
// pullbacks of the functions they call) as C++ text, and returns the rewritten
// files with the generated text inserted right after each annotated function.
// The plugin and adjoint-gen are thin front ends over this function.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_CORE_GENERATOR_H
#define ADJOINT_CORE_GENERATOR_H

#include "ClangCompat.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceLocation.h"

#include <functional>
#include <string>
#include <vector>

namespace clang {
class Rewriter;
class Sema;
} // namespace clang

namespace adjoint {

/// Settings of one generation run.
struct GeneratorOptions {
  /// Wrap each insertion in #line directives mapping it to the annotated
  /// function and back to the original numbering.
  bool EmitLineDirectives = true;
  /// Let the function's last loop, when it only sums into the returned
  /// value, run each iteration's reverse right after the iteration (see
  /// LoopFusion.cpp); off, every loop is taped or checkpointed.
  bool FuseLoops = true;
  /// Check each generated reverse sweep against the analysis: a real or
  /// pointer variable the emitted reverse code reads must be one the
  /// to-be-recorded analysis saves where it changes (a disagreement is a
  /// possibly wrong gradient). For tests and the fuzzer.
  bool Verify = false;
  /// The analysis parse's Sema, used to instantiate annotated function
  /// templates for float and double; without it only the instantiations
  /// already in the translation unit are differentiated.
  clang::Sema *Sema = nullptr;
  /// A front end's own edits, made with the rewriter after the insertions
  /// and before the rewritten files are collected (adjoint-gen --mirror-dir
  /// redirects #include directives). With it the files are collected even
  /// when nothing is generated.
  std::function<void(clang::Rewriter &)> EditFiles;
  /// Where the parse found errors in the user's code (not those about
  /// gradients yet to be generated), filled while parsing: an annotated
  /// function whose definition holds one is not differentiated, so that the
  /// compiler's own error is the only one about it.
  const std::vector<clang::SourceLocation> *SourceErrors = nullptr;
};

/// A diagnostic about the user's code, with its location resolved so that a
/// front end can report it against another SourceManager.
struct GeneratorDiagnostic {
  /// Severity of the diagnostic.
  enum SeverityKind { Error, Warning, Note } Severity = Error;
  /// Location in the analysed AST's SourceManager.
  clang::SourceLocation Loc;
  /// Spelling file of Loc (as the SourceManager names it), or empty.
  std::string File;
  /// 1-based line and column of Loc in File.
  unsigned Line = 0, Column = 0;
  /// The message, without "error:".
  std::string Message;
};

/// A file whose contents changed because gradients were inserted into it.
struct RewrittenFile {
  /// The file in the analysed AST's FileManager.
  const clang::FileEntry *Entry = nullptr;
  /// The same file as the SourceManager named it (what Clang 19 and later
  /// need to override its contents).
  OptionalFileRef Ref;
  /// Its path as the SourceManager names it.
  std::string Path;
  /// The full new contents.
  std::string Contents;
};

/// One generated function (gradient, vjp or pullback) as text.
struct GeneratedFunction {
  /// Name of the generated function, e.g. "f_grad".
  std::string Name;
  /// Name of the function it was derived from.
  std::string Source;
  /// The code, exactly as inserted (without #line directives).
  std::string Code;
};

/// Everything one run produced.
struct GenerationResult {
  /// Files with insertions; empty when there were errors.
  std::vector<RewrittenFile> Files;
  /// Errors and warnings about the user's code, in source order.
  std::vector<GeneratorDiagnostic> Diagnostics;
  /// Generated functions in insertion order (for -dump and --dump-dir).
  std::vector<GeneratedFunction> Functions;

  /// Whether any diagnostic is an error.
  bool hasErrors() const;
};

/// Differentiates every annotated function of the translation unit in \p Ctx.
/// Never throws and never aborts on unsupported code: such code yields
/// diagnostics.
GenerationResult generateGradients(clang::ASTContext &Ctx,
                                   const GeneratorOptions &Options = {});

} // namespace adjoint

#endif // ADJOINT_CORE_GENERATOR_H
