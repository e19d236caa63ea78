//===- DiagnosticSink.h - Collects diagnostics of one run -------*- C++ -*-===//
#ifndef ADJOINT_CORE_DIAGNOSTICSINK_H
#define ADJOINT_CORE_DIAGNOSTICSINK_H

#include "Generator.h"

#include "clang/Basic/SourceManager.h"

namespace adjoint {

/// Collects GeneratorDiagnostics with their locations resolved.
class DiagnosticSink {
public:
  /// Creates a sink resolving locations with \p SM.
  explicit DiagnosticSink(const clang::SourceManager &SM) : SM(SM) {}

  /// Records an error at \p Loc.
  void error(clang::SourceLocation Loc, std::string Message) {
    add(GeneratorDiagnostic::Error, Loc, std::move(Message));
  }
  /// Records a note at \p Loc (attached to the previous error).
  void note(clang::SourceLocation Loc, std::string Message) {
    add(GeneratorDiagnostic::Note, Loc, std::move(Message));
  }
  /// Number of errors recorded so far.
  unsigned errorCount() const { return Errors; }
  /// Moves the recorded diagnostics out.
  std::vector<GeneratorDiagnostic> take() { return std::move(Diags); }

private:
  void add(GeneratorDiagnostic::SeverityKind Severity, clang::SourceLocation Loc,
           std::string Message) {
    GeneratorDiagnostic D;
    D.Severity = Severity;
    D.Loc = Loc;
    D.Message = std::move(Message);
    if (Loc.isValid()) {
      clang::PresumedLoc P = SM.getPresumedLoc(SM.getExpansionLoc(Loc));
      if (P.isValid()) {
        D.File = P.getFilename();
        D.Line = P.getLine();
        D.Column = P.getColumn();
      }
    }
    if (Severity == GeneratorDiagnostic::Error)
      ++Errors;
    Diags.push_back(std::move(D));
  }

  const clang::SourceManager &SM;
  std::vector<GeneratorDiagnostic> Diags;
  unsigned Errors = 0;
};

} // namespace adjoint

#endif // ADJOINT_CORE_DIAGNOSTICSINK_H
