//===- AdjointPlugin.cpp - Clang plugin inserting generated gradients -----===//
//
// `clang++ -fplugin=libAdjointPlugin.so -c f.cpp` compiles f.cpp with the
// gradients of its ADJOINT_GRAD functions inserted right after each of them.
//
// Before the compilation parses anything, the plugin parses the translation
// unit once more in a nested CompilerInstance (sharing the FileManager),
// generates the gradients from that AST, and overrides the compilation's
// files with the rewritten contents. Core diagnostics are reported through
// the compilation's DiagnosticsEngine, so they look and fail like any other
// error and work with -verify.
//
// Plugin arguments:
//   -fplugin-arg-adjoint-dump          print the generated code to stderr
//   -fplugin-arg-adjoint-dump-dir=DIR  write it to
//   DIR/<main-file-stem>.adjoint.cpp
//                                      (all generated functions of the
//                                      translation unit, headers included)
//   -fplugin-arg-adjoint-no-fusion     tape or checkpoint every loop, also
//                                      a last loop that could run each
//                                      iteration's reverse right after it
//   -fplugin-arg-adjoint-verify        check each reverse sweep against the
//                                      to-be-recorded analysis (tests, fuzzer)
//
// Code read from standard input is not processed: the analysis parse cannot
// read it a second time.
//
//===----------------------------------------------------------------------===//

#include "ClangCompat.h"
#include "FrontendSupport.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace adjoint {
namespace {

/// Set while the analysis parse runs: it loads this plugin too, which must
/// not start another analysis (and would insert every gradient twice).
thread_local bool InAnalysisParse = false;

/// The invocation of the analysis parse: a syntax-only copy of \p Outer that
/// writes nothing and ignores every plugin.
std::shared_ptr<CompilerInvocation>
makeAnalysisInvocation(const CompilerInvocation &Outer) {
  auto Inv = std::make_shared<CompilerInvocation>(Outer);
  FrontendOptions &FO = Inv->getFrontendOpts();
  FO.ProgramAction = frontend::ParseSyntaxOnly;
  FO.Plugins.clear();
  FO.AddPluginActions.clear();
  FO.PluginArgs.clear();
  FO.OutputFile.clear();
  FO.ShowStats = false;
  FO.StatsFile.clear();
  // Keep the AST from leaking: it is not needed after generation.
  FO.DisableFree = false;
  Inv->getDependencyOutputOpts() = DependencyOutputOptions();
  DiagnosticOptions &DO = Inv->getDiagnosticOpts();
  DO.VerifyDiagnostics = false;
  DO.DiagnosticLogFile.clear();
  DO.DiagnosticSerializationFile.clear();
  DO.ErrorLimit = 0;
  // Buffers remapped by the outer compilation belong to it.
  Inv->getPreprocessorOpts().RetainRemappedFileBuffers = true;
  return Inv;
}

/// Preprocesses the translation unit and tells whether it has a string
/// literal "adjoint.*" (what ADJOINT_GRAD, ADJOINT_JVP and ADJOINT_HESSIAN
/// expand to). Preprocessing costs
/// a small part of a parse: a file without annotations skips the analysis
/// parse and compiles at nearly the cost it has without the plugin.
class AnnotationScan : public PreprocessorFrontendAction {
public:
  explicit AnnotationScan(bool &Found) : Found(Found) {}

protected:
  void ExecuteAction() override {
    Preprocessor &PP = getCompilerInstance().getPreprocessor();
    PP.EnterMainSourceFile();
    Token Tok;
    do {
      PP.Lex(Tok);
      if (Tok.is(tok::string_literal) && !Found &&
          startsWith(StringRef(Tok.getLiteralData(), Tok.getLength()),
                     "\"adjoint."))
        Found = true;
    } while (Tok.isNot(tok::eof));
  }

private:
  bool &Found;
};

/// Whether \p Source names one of the annotation macros. A main file that
/// does is analysed straight away: the annotation scan, which costs about
/// a sixth of a compilation, would only confirm it (and when the name is in
/// a comment, the analysis finds nothing to generate).
bool mentionsAnnotation(StringRef Source) {
  return Source.contains("ADJOINT_GRAD") || Source.contains("ADJOINT_JVP") ||
         Source.contains("ADJOINT_HESSIAN");
}

class AdjointPluginAction : public PluginASTAction {
protected:
  bool ParseArgs(const CompilerInstance &CI,
                 const std::vector<std::string> &Args) override;

  ActionType getActionType() override { return AddBeforeMainAction; }

  // Called by BeginSourceFile after the main FileID exists and before the
  // parse: the last moment at which the inputs can still be replaced.
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef InFile) override {
    if (InAnalysisParse)
      return std::make_unique<ASTConsumer>();
    differentiate(CI, InFile);
    return std::make_unique<DeferredReport>(std::move(Deferred), CI);
  }

private:
  /// Reports adjoint's diagnostics after the compiler's own, when the code
  /// has errors of its own: those come first, as without the plugin.
  /// (The action itself is gone by then: the consumer owns them.)
  struct DeferredReport : ASTConsumer {
    DeferredReport(std::vector<GeneratorDiagnostic> Diagnostics,
                   CompilerInstance &CI)
        : Diagnostics(std::move(Diagnostics)), CI(CI) {}
    void HandleTranslationUnit(ASTContext &) override {
      report(CI, Diagnostics);
    }
    std::vector<GeneratorDiagnostic> Diagnostics;
    CompilerInstance &CI;
  };

  void differentiate(CompilerInstance &CI, StringRef InFile);
  bool hasAnnotations(CompilerInstance &CI);
  static void report(CompilerInstance &CI,
                     const std::vector<GeneratorDiagnostic> &Diagnostics);
  bool runAnalysisParse(CompilerInstance &CI, GenerationResult &Result,
                        bool &SourceErrors);
  static SourceLocation locate(CompilerInstance &CI,
                               const GeneratorDiagnostic &D);
  void writeDumps(CompilerInstance &CI, StringRef InFile,
                  const GenerationResult &Result);
  void installRewrittenFiles(CompilerInstance &CI,
                             const GenerationResult &Result);

  bool Dump = false;
  std::string DumpDir;
  GeneratorOptions Options;
  std::vector<GeneratorDiagnostic> Deferred;
};

bool AdjointPluginAction::ParseArgs(const CompilerInstance &CI,
                                    const std::vector<std::string> &Args) {
  for (StringRef Arg : Args) {
    if (Arg == "dump") {
      Dump = true;
    } else if (startsWith(Arg, "dump-dir=") && Arg.size() > 9) {
      DumpDir = Arg.drop_front(9).str();
    } else if (Arg == "no-fusion") {
      Options.FuseLoops = false;
    } else if (Arg == "verify") {
      Options.Verify = true;
    } else {
      // Returning false alone would silently skip the plugin.
      DiagnosticsEngine &Diags = CI.getDiagnostics();
      Diags.Report(Diags.getCustomDiagID(
          DiagnosticsEngine::Error,
          "unknown argument '%0' for plugin 'adjoint' (expected "
          "-fplugin-arg-adjoint-dump, -fplugin-arg-adjoint-dump-dir=DIR, "
          "-fplugin-arg-adjoint-no-fusion or -fplugin-arg-adjoint-verify)"))
          << Arg;
      return false;
    }
  }
  return true;
}

void AdjointPluginAction::differentiate(CompilerInstance &CI,
                                        StringRef InFile) {
  const FrontendOptions &FO = CI.getFrontendOpts();
  if (FO.Inputs.size() != 1 ||
      FO.Inputs[0].getKind().getFormat() != InputKind::Source)
    return;
  SourceManager &SM = CI.getSourceManager();
  if (!FO.Inputs[0].isFile() || FO.Inputs[0].getFile() == "-") {
    if (SM.getBufferData(SM.getMainFileID()).contains("ADJOINT_GRAD")) {
      DiagnosticsEngine &Diags = CI.getDiagnostics();
      Diags.Report(Diags.getCustomDiagID(
          DiagnosticsEngine::Warning,
          "the adjoint plugin cannot differentiate code read from standard "
          "input; compile a file instead"));
    }
    return;
  }

  if (!mentionsAnnotation(SM.getBufferData(SM.getMainFileID())) &&
      !hasAnnotations(CI))
    return;
  GenerationResult Result;
  bool SourceErrors = false;
  if (!runAnalysisParse(CI, Result, SourceErrors))
    return;
  if (SourceErrors)
    Deferred = Result.Diagnostics;
  else
    report(CI, Result.Diagnostics);
  if (Result.hasErrors())
    return;
  writeDumps(CI, InFile, Result);
  installRewrittenFiles(CI, Result);
}

bool AdjointPluginAction::hasAnnotations(CompilerInstance &CI) {
  auto Scan =
      makeCompilerInstance(makeAnalysisInvocation(CI.getInvocation()), CI);
  Scan->setFileManager(&CI.getFileManager());
  // Errors show in the compilation itself.
  IgnoringDiagConsumer Ignore;
  Scan->createDiagnostics(&Ignore, /*ShouldOwnClient=*/false);
  bool Found = false;
  AnnotationScan Action(Found);
  InAnalysisParse = true;
  bool Ran = Scan->ExecuteAction(Action);
  InAnalysisParse = false;
  // Without a complete scan, analyse as before.
  return Found || !Ran;
}

void AdjointPluginAction::report(
    CompilerInstance &CI, const std::vector<GeneratorDiagnostic> &Diagnostics) {
  reportDiagnostics(CI.getDiagnostics(), Diagnostics,
                    [&](const GeneratorDiagnostic &D) { return locate(CI, D); });
}

bool AdjointPluginAction::runAnalysisParse(CompilerInstance &CI,
                                           GenerationResult &Result,
                                           bool &SourceErrors) {
  auto Analysis =
      makeCompilerInstance(makeAnalysisInvocation(CI.getInvocation()), CI);
  // Sharing the FileManager makes the analysed FileEntries the outer ones.
  Analysis->setFileManager(&CI.getFileManager());
  // The calls to the gradients are errors until the gradients exist.
  IgnoringDiagConsumer Ignore;
  Analysis->createDiagnostics(&Ignore, /*ShouldOwnClient=*/false);
  bool Ran = false;
  auto Action = std::make_unique<AnalysisAction>(
      Options, [&](ASTContext &, GenerationResult &R) {
        Result = std::move(R);
        Ran = true;
      });

  InAnalysisParse = true;
  // Turn a crash in the differentiator into an error instead of taking the
  // compiler down (effective when the driver runs cc1 in process, the
  // default).
  llvm::CrashRecoveryContext CRC;
  bool Survived = CRC.RunSafely([&] { Analysis->ExecuteAction(*Action); });
  InAnalysisParse = false;
  if (Survived)
    SourceErrors = Action->foundSourceErrors();
  if (!Survived) {
    // Their state is unknown after the crash: leak them rather than destroy.
    Analysis.release();
    Action.release();
    DiagnosticsEngine &Diags = CI.getDiagnostics();
    Diags.Report(Diags.getCustomDiagID(
        DiagnosticsEngine::Error,
        "adjoint crashed while generating gradients; please report this "
        "with the preprocessed source (-E)"));
    return false;
  }
  return Ran;
}

SourceLocation AdjointPluginAction::locate(CompilerInstance &CI,
                                           const GeneratorDiagnostic &D) {
  if (D.File.empty() || D.Line == 0)
    return SourceLocation();
  auto File = CI.getFileManager().getFileRef(D.File);
  if (!File) {
    llvm::consumeError(File.takeError());
    return SourceLocation();
  }
  SourceManager &SM = CI.getSourceManager();
  FileID FID = SM.translateFile(*File);
  // A header gets its FileID only when the parse reaches its #include; a
  // FileID of its own is enough to show the location and the source line.
  if (FID.isInvalid())
    FID = SM.createFileID(*File, SourceLocation(), SrcMgr::C_User);
  return SM.translateLineCol(FID, D.Line, std::max(D.Column, 1u));
}

void AdjointPluginAction::writeDumps(CompilerInstance &CI, StringRef InFile,
                                     const GenerationResult &Result) {
  std::string Text = formatDump(Result.Functions, InFile);
  if (Dump)
    llvm::errs() << Text;
  if (DumpDir.empty())
    return;
  llvm::SmallString<256> Path(DumpDir);
  llvm::sys::path::append(Path, llvm::sys::path::stem(InFile) + ".adjoint.cpp");
  std::error_code EC = llvm::sys::fs::create_directories(DumpDir);
  llvm::Error Err =
      EC ? llvm::createFileError(DumpDir, EC) : writeFileAtomically(Path, Text);
  if (Err) {
    DiagnosticsEngine &Diags = CI.getDiagnostics();
    Diags.Report(Diags.getCustomDiagID(DiagnosticsEngine::Error,
                                       "cannot write the adjoint dump: %0"))
        << llvm::toString(std::move(Err));
  }
}

void AdjointPluginAction::installRewrittenFiles(
    CompilerInstance &CI, const GenerationResult &Result) {
  SourceManager &SM = CI.getSourceManager();
  FileID OldMain = SM.getMainFileID();
  auto Main = SM.getFileEntryRefForID(OldMain);
  bool MainChanged = false;
  for (const RewrittenFile &F : Result.Files) {
    if (!F.Ref)
      continue;
    SM.overrideFileContents(
        *F.Ref, llvm::MemoryBuffer::getMemBufferCopy(F.Contents, F.Path));
    MainChanged |= Main && F.Entry == &Main->getFileEntry();
  }
  // The existing main FileID is sized for the old contents; a new FileID of
  // the same FileEntry (so quoted includes, __FILE__ and depfiles stay right)
  // picks up the override.
  if (MainChanged)
    SM.setMainFileID(SM.createFileID(
        *Main, SourceLocation(),
        SM.getFileCharacteristic(SM.getLocForStartOfFile(OldMain))));
}

} // namespace
} // namespace adjoint

static clang::FrontendPluginRegistry::Add<adjoint::AdjointPluginAction>
    RegisterAdjoint("adjoint", "generate reverse-mode gradients of functions "
                               "annotated with ADJOINT_GRAD");
