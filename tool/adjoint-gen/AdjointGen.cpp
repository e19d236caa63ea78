//===- AdjointGen.cpp - Standalone source-to-source front end -------------===//
//
// adjoint-gen writes the rewritten sources (gradients inserted after their
// functions) for builds that cannot load the plugin: other compilers,
// preprocessor-based caches, code review of the generated code.
//
//===----------------------------------------------------------------------===//

#include "ClangCompat.h"
#include "Explain.h"
#include "FrontendSupport.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Basic/Version.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Rewrite/Core/Rewriter.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/WithColor.h"

using namespace clang;
using namespace clang::tooling;
namespace cl = llvm::cl;
namespace fs = llvm::sys::fs;

static cl::OptionCategory Category("adjoint-gen options");
static cl::opt<std::string>
    OutputPath("o", cl::desc("Write the rewritten source file to <file>"),
               cl::value_desc("file"), cl::cat(Category));
static cl::opt<bool>
    InPlace("in-place",
            cl::desc("Replace the source file (and rewritten headers, unless "
                     "--header-dir is given) atomically"),
            cl::cat(Category));
static cl::opt<std::string>
    HeaderDir("header-dir",
              cl::desc("Write rewritten headers to <dir>, keeping their file "
                       "names"),
              cl::value_desc("dir"), cl::cat(Category));
static cl::opt<std::string> MirrorDir(
    "mirror-dir",
    cl::desc("Write every header of the translation unit that is not a "
             "system header to <dir>/<its absolute path>, rewritten or as it "
             "is (for builds that put <dir>/<include dir> first)"),
    cl::value_desc("dir"), cl::cat(Category));
static cl::opt<std::string> DepFile(
    "depfile",
    cl::desc("Write the files the output depends on to <file>, in Make "
             "syntax (like the compiler's -MD -MF)"),
    cl::value_desc("file"), cl::cat(Category));
static cl::opt<bool> Dump("dump",
                          cl::desc("Print the generated functions to stderr"),
                          cl::cat(Category));
static cl::opt<bool> NoFusion(
    "no-fusion",
    cl::desc("Tape or checkpoint every loop, also a last loop that could run "
             "each iteration's reverse right after it"),
    cl::cat(Category));

static cl::opt<bool> Verify(
    "verify",
    cl::desc("Check each reverse sweep against the to-be-recorded analysis "
             "(for tests and the fuzzer)"),
    cl::cat(Category));

static cl::opt<bool>
    Explain("explain",
            cl::desc("Print, for each ADJOINT_GRAD function, its active and "
                     "inactive variables (requires_grad) and its backward "
                     "graph (grad_fn) instead of rewriting the source"),
            cl::cat(Category));
static cl::opt<std::string>
    Graph("graph",
          cl::desc("Write the backward graphs in <format> (dot: Graphviz) "
                   "instead of rewriting the source"),
          cl::value_desc("format"), cl::cat(Category));
static cl::opt<std::string> GraphOut(
    "graph-out",
    cl::desc("Write the --graph output to <file> instead of stdout; a name "
             "ending in .svg is rendered with Graphviz's dot"),
    cl::value_desc("file"), cl::cat(Category));

static cl::extrahelp CommonHelp(CommonOptionsParser::HelpMessage);
static cl::extrahelp MoreHelp(R"(
adjoint-gen parses one source file like the compiler would, generates the
gradients of its ADJOINT_GRAD functions and writes the file with each gradient
inserted right after its function (#line directives keep diagnostics pointing
at the original code). The result compiles with any C++17 compiler.

Output:
  -o FILE       the rewritten source file goes to FILE, which must not be the
                input itself (use --in-place for that)
  --in-place    the source file is replaced atomically (temporary file in the
                same directory, then rename); unchanged files are not touched
  neither       the rewritten source file is printed to stdout
  An input without annotated functions is written unchanged.

Headers with annotated inline functions are rewritten too and go to
--header-dir DIR (put DIR first on the include path of the build that uses
them), or with --in-place and no --header-dir are replaced in place. Without
either, adjoint-gen refuses to run rather than drop them.

--mirror-dir DIR (what CMake's adjoint_enable uses) mirrors the file tree
instead: every header of the translation unit outside the system include
directories (-isystem, the compiler's own) goes to DIR/<its absolute path>,
rewritten or unchanged, each starting with a #line naming the original. With
-o DIR/<source's absolute path> and DIR/<include dir> before each include
directory, every #include finds the mirrored copy, also for headers that
include each other by relative names. Files that already hold the contents
are not touched. --depfile FILE lists the files read, for the build system.

When adjoint reports an error (file:line:col: error: ...), adjoint-gen writes
nothing and exits with status 1.

Explaining gradients (nothing is rewritten):
  --explain     for each ADJOINT_GRAD function: the active variables (PyTorch's
                requires_grad=True: they depend on a differentiated input and
                reach the output), the inactive ones and why, and the backward
                graph with PyTorch's node names (result.grad_fn = ...)
  --graph=dot   the backward graphs as Graphviz DOT, edges from the inputs
                (AccumulateGrad leaves) to the output; to stdout (after the
                --explain text, if both are given) or to --graph-out FILE,
                rendered to SVG by `dot -Tsvg` when FILE ends in .svg

Examples:
  adjoint-gen main.cpp -o main.adj.cpp -- -std=c++17 -Iinclude
  adjoint-gen -p build/ src/model.cpp --in-place
  adjoint-gen --explain model.cpp -- -std=c++17 -Iinclude
  adjoint-gen --graph=dot --graph-out=model.svg model.cpp -- -std=c++17 -Iinclude
)");

namespace {

/// Prints the errors of the analysis parse that are in the user's code (a
/// missing #include, a syntax error), with their notes, as the compiler
/// would; not those about the gradients that the code calls before they
/// exist, which are expected.
class SourceErrorPrinter : public TextDiagnosticPrinter {
public:
  using TextDiagnosticPrinter::TextDiagnosticPrinter;
  void HandleDiagnostic(DiagnosticsEngine::Level Level,
                        const Diagnostic &Info) override {
    if (Level >= DiagnosticsEngine::Error)
      Printing = Level == DiagnosticsEngine::Fatal ||
                 !adjoint::isAboutGeneratedName(Info);
    else if (Level != DiagnosticsEngine::Note)
      Printing = false;
    if (Printing)
      TextDiagnosticPrinter::HandleDiagnostic(Level, Info);
  }

private:
  bool Printing = false;
};

/// What the analysis of the source file produced, copied out of the AST.
struct Analysis {
  bool Ran = false;
  bool HasErrors = false;
  bool MainRewritten = false;
  /// The main file, rewritten or as it was.
  std::string MainContents;
  /// Rewritten headers: absolute path and new contents.
  std::vector<std::pair<std::string, std::string>> Headers;
  /// The other headers outside system directories: absolute path and
  /// contents (for --mirror-dir).
  std::vector<std::pair<std::string, std::string>> UserHeaders;
  /// Every file the parse read (for --depfile).
  std::vector<std::string> Dependencies;
  std::vector<adjoint::GeneratedFunction> Functions;
};

/// An #include directive of the analysed translation unit that names a file.
struct IncludeDirective {
  /// The file name as written, with its quotes or angle brackets.
  CharSourceRange FileName;
  /// Absolute path of the file it includes.
  std::string Target;
  /// Whether that file is outside the system include directories.
  bool UserTarget;
};

/// Records the #include directives for --mirror-dir, also those that a
/// header guard or #pragma once makes include nothing.
class IncludeRecorder : public adjoint::IncludeCallbacks {
public:
  explicit IncludeRecorder(std::vector<IncludeDirective> &Out) : Out(Out) {}
  void included(CharSourceRange FileName, StringRef Path,
                SrcMgr::CharacteristicKind FileType) override {
    if (Path.empty() || FileName.getBegin().isMacroID())
      return;
    Out.push_back({FileName, Path.str(), FileType == SrcMgr::C_User});
  }

private:
  std::vector<IncludeDirective> &Out;
};

/// The analysis, recording the #include directives on the way.
class RecordingAnalysisAction : public adjoint::AnalysisAction {
public:
  RecordingAnalysisAction(adjoint::GeneratorOptions Options,
                          ResultHandler OnResult,
                          std::vector<IncludeDirective> &Includes)
      : AnalysisAction(std::move(Options), std::move(OnResult)),
        Includes(Includes) {}

protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef File) override {
    CI.getPreprocessor().addPPCallbacks(
        std::make_unique<IncludeRecorder>(Includes));
    return AnalysisAction::CreateASTConsumer(CI, File);
  }

private:
  std::vector<IncludeDirective> &Includes;
};

std::string mirrorPath(llvm::StringRef Path);

class AnalysisFactory : public FrontendActionFactory {
public:
  AnalysisFactory(Analysis &Out,
                  adjoint::DiagnosticOptionsPtr Opts)
      : Out(Out), DiagOpts(Opts) {}

  std::unique_ptr<FrontendAction> create() override {
    adjoint::GeneratorOptions Options;
    Options.FuseLoops = !NoFusion;
    Options.Verify = Verify;
    auto OnResult = [this](ASTContext &Ctx, adjoint::GenerationResult &R) {
      record(Ctx, R);
    };
    if (MirrorDir.empty())
      return std::make_unique<adjoint::AnalysisAction>(Options, OnResult);
    Includes.clear();
    Options.EditFiles = [this](Rewriter &R) { redirectIncludes(R); };
    return std::make_unique<RecordingAnalysisAction>(Options, OnResult,
                                                     Includes);
  }

private:
  void record(ASTContext &Ctx, adjoint::GenerationResult &R);
  void recordFiles(SourceManager &SM);
  void redirectIncludes(Rewriter &R);

  std::vector<IncludeDirective> Includes;

  Analysis &Out;
  adjoint::DiagnosticOptionsPtr DiagOpts;
};

void AnalysisFactory::record(ASTContext &Ctx, adjoint::GenerationResult &R) {
  // A compilation database may hold several commands for the file: the
  // first one wins.
  if (Out.Ran)
    return;
  Out.Ran = true;
  SourceManager &SM = Ctx.getSourceManager();
  // Report now: printing the source line needs the analysed SourceManager.
  TextDiagnosticPrinter Printer(llvm::errs(),
                                adjoint::diagnosticOptionsArg(DiagOpts));
  DiagnosticsEngine Diags(new DiagnosticIDs,
                          adjoint::diagnosticOptionsArg(DiagOpts), &Printer,
                          /*ShouldOwnClient=*/false);
  Diags.setSourceManager(&SM);
  Printer.BeginSourceFile(Ctx.getLangOpts(), /*PP=*/nullptr);
  adjoint::reportDiagnostics(
      Diags, R.Diagnostics,
      [](const adjoint::GeneratorDiagnostic &D) { return D.Loc; });
  Printer.EndSourceFile();
  Out.HasErrors = R.hasErrors();

  const FileEntry *Main = SM.getFileEntryForID(SM.getMainFileID());
  Out.MainContents = SM.getBufferData(SM.getMainFileID()).str();
  for (adjoint::RewrittenFile &F : R.Files) {
    if (F.Entry == Main) {
      Out.MainContents = std::move(F.Contents);
      Out.MainRewritten = true;
      continue;
    }
    // Relative names are relative to the compile command's directory.
    std::string Path = F.Entry ? F.Entry->tryGetRealPathName().str() : "";
    if (Path.empty()) {
      llvm::SmallString<256> Abs(F.Path);
      SM.getFileManager().makeAbsolutePath(Abs);
      Path = std::string(Abs);
    }
    Out.Headers.emplace_back(std::move(Path), std::move(F.Contents));
  }
  Out.Functions = std::move(R.Functions);
  recordFiles(SM);
}

/// --mirror-dir: in the source file and the headers outside system
/// directories, every #include of such a header names its mirrored copy by
/// absolute path. The copies then include each other wherever the build
/// compiles them, whatever its include path and however they were named.
void AnalysisFactory::redirectIncludes(Rewriter &R) {
  SourceManager &SM = R.getSourceMgr();
  for (const IncludeDirective &D : Includes) {
    if (!D.UserTarget ||
        SM.getFileCharacteristic(D.FileName.getBegin()) != SrcMgr::C_User)
      continue;
    R.ReplaceText(D.FileName.getBegin(), R.getRangeSize(D.FileName),
                  "\"" + mirrorPath(D.Target) + "\"");
  }
}

void AnalysisFactory::recordFiles(SourceManager &SM) {
  llvm::StringSet<> Seen;
  for (unsigned I = 0, N = SM.local_sloc_entry_size(); I < N; ++I) {
    const SrcMgr::SLocEntry &E = SM.getLocalSLocEntry(I);
    if (!E.isFile())
      continue;
    const SrcMgr::FileInfo &Info = E.getFile();
    FileID ID = SM.getFileID(SourceLocation::getFromRawEncoding(E.getOffset()));
    adjoint::OptionalFileRef File = SM.getFileEntryRefForID(ID);
    if (!File)
      continue;
    std::string Path = adjoint::filePath(*File);
    if (!Seen.insert(Path).second)
      continue;
    Out.Dependencies.push_back(Path);
    if (ID == SM.getMainFileID() ||
        Info.getFileCharacteristic() != SrcMgr::C_User ||
        llvm::any_of(Out.Headers, [&](const auto &H) { return H.first == Path; }))
      continue;
    Out.UserHeaders.emplace_back(Path, SM.getBufferData(ID).str());
  }
}

/// Parses like AnalysisAction, but explains instead of generating.
class ExplainAction : public ASTFrontendAction {
public:
  explicit ExplainAction(std::vector<adjoint::FunctionExplanation> &Out,
                         bool &Ran)
      : Out(Out), Ran(Ran) {}

protected:
  bool BeginInvocation(CompilerInstance &CI) override {
    CI.getFrontendOpts().SkipFunctionBodies = true;
    CI.getLangOpts().SpellChecking = false;
    CI.getDiagnostics().setErrorLimit(0);
    return true;
  }
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    struct Consumer : ASTConsumer {
      Consumer(SourceManager &SM, ExplainAction &A) : SM(SM), A(A) {}
      bool shouldSkipFunctionBody(Decl *D) override {
        return SM.isInSystemHeader(D->getLocation());
      }
      void HandleTranslationUnit(ASTContext &Ctx) override {
        if (A.Ran)
          return;
        A.Ran = true;
        A.Out = adjoint::explainGradients(Ctx);
      }
      SourceManager &SM;
      ExplainAction &A;
    };
    return std::make_unique<Consumer>(CI.getSourceManager(), *this);
  }

private:
  std::vector<adjoint::FunctionExplanation> &Out;
  bool &Ran;
};

class ExplainFactory : public FrontendActionFactory {
public:
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<ExplainAction>(Functions, Ran);
  }
  std::vector<adjoint::FunctionExplanation> Functions;
  bool Ran = false;
};

int fail(const llvm::Twine &Message) {
  llvm::WithColor::error(llvm::errs(), "adjoint-gen") << Message << "\n";
  return 1;
}

bool sameFile(llvm::StringRef A, llvm::StringRef B) {
  bool Result = false;
  return !fs::equivalent(A, B, Result) && Result;
}

/// Where --mirror-dir puts the file at absolute path \p Path.
std::string mirrorPath(llvm::StringRef Path) {
  llvm::SmallString<256> Target(MirrorDir);
  fs::make_absolute(Target);
  llvm::sys::path::append(Target, llvm::sys::path::relative_path(Path));
  return std::string(Target);
}

/// A #line naming \p Path as line 1, so that diagnostics and __FILE__ in a
/// mirrored copy name the original.
std::string lineDirective(llvm::StringRef Path) {
  std::string Quoted;
  for (char C : Path) {
    if (C == '\\' || C == '"')
      Quoted += '\\';
    Quoted += C;
  }
  return "#line 1 \"" + Quoted + "\"\n";
}

/// Writes \p Contents to \p Path unless the file already holds them (a
/// rewrite would make the build recompile everything that includes it).
llvm::Error writeIfChanged(llvm::StringRef Path, llvm::StringRef Contents) {
  if (auto Old = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false))
    if ((*Old)->getBuffer() == Contents)
      return llvm::Error::success();
  llvm::SmallString<256> Dir(Path);
  llvm::sys::path::remove_filename(Dir);
  if (std::error_code EC = fs::create_directories(Dir))
    return llvm::createStringError(EC, "cannot create '%s': %s", Dir.c_str(),
                                   EC.message().c_str());
  return adjoint::writeFileAtomically(Path, Contents);
}

/// Writes the --depfile: \p Target depends on every file of \p A.
llvm::Error writeDepFile(llvm::StringRef Target, const Analysis &A) {
  auto Escape = [](llvm::StringRef Path) {
    std::string Out;
    for (char C : Path) {
      if (C == ' ' || C == '#' || C == '\\')
        Out += '\\';
      else if (C == '$')
        Out += '$';
      Out += C;
    }
    return Out;
  };
  std::string Text = Escape(Target) + ":";
  for (const std::string &Path : A.Dependencies)
    Text += " \\\n  " + Escape(Path);
  return adjoint::writeFileAtomically(DepFile, Text + "\n");
}

/// Where each rewritten file goes: (target path, contents). Checked in full
/// before anything is written, so that a refusal writes nothing.
llvm::Expected<std::vector<std::pair<std::string, std::string>>>
planHeaderWrites(const Analysis &A) {
  std::vector<std::pair<std::string, std::string>> Writes;
  if (!MirrorDir.empty()) {
    for (const auto *List : {&A.Headers, &A.UserHeaders})
      for (const auto &[Path, Contents] : *List)
        Writes.emplace_back(mirrorPath(Path),
                            lineDirective(Path) + Contents);
    return Writes;
  }
  for (const auto &[Path, Contents] : A.Headers) {
    if (HeaderDir.empty() && !InPlace)
      return llvm::createStringError(
          std::errc::invalid_argument,
          "header '%s' has annotated functions; pass --header-dir DIR or "
          "--in-place to write its rewritten version",
          Path.c_str());
    if (HeaderDir.empty()) {
      Writes.emplace_back(Path, Contents);
      continue;
    }
    llvm::SmallString<256> Target(HeaderDir);
    llvm::sys::path::append(Target, llvm::sys::path::filename(Path));
    if (sameFile(Target, Path))
      return llvm::createStringError(
          std::errc::invalid_argument,
          "--header-dir would overwrite the header '%s' itself", Path.c_str());
    Writes.emplace_back(std::string(Target), Contents);
  }
  return Writes;
}

/// Writes \p Dot to --graph-out (rendered with dot when it ends in .svg).
int writeGraph(const std::string &Dot) {
  if (!adjoint::endsWithInsensitive(GraphOut, ".svg")) {
    if (llvm::Error Err = adjoint::writeFileAtomically(GraphOut, Dot))
      return fail(llvm::toString(std::move(Err)));
    return 0;
  }
  llvm::ErrorOr<std::string> DotProgram = llvm::sys::findProgramByName("dot");
  if (!DotProgram)
    return fail("rendering '" + GraphOut +
                "' needs Graphviz's 'dot', which is not on PATH; install "
                "graphviz or write a .dot file");
  llvm::SmallString<128> Input;
  if (std::error_code EC =
          fs::createTemporaryFile("adjoint-graph", "dot", Input))
    return fail("cannot create a temporary file: " + EC.message());
  int Status = 1;
  std::string ErrMsg;
  if (llvm::Error Err = adjoint::writeFileAtomically(Input, Dot)) {
    ErrMsg = llvm::toString(std::move(Err));
  } else {
    llvm::StringRef Args[] = {*DotProgram, "-Tsvg", Input, "-o", GraphOut};
    Status = llvm::sys::ExecuteAndWait(*DotProgram, Args, {}, {}, 0,
                                       0, &ErrMsg);
  }
  fs::remove(Input);
  if (Status != 0)
    return fail("'dot -Tsvg' failed" +
                (ErrMsg.empty() ? llvm::Twine("") : llvm::Twine(": ") + ErrMsg));
  return 0;
}

} // namespace

int main(int argc, const char **argv) {
  auto Options = CommonOptionsParser::create(
      argc, argv, Category, cl::OneOrMore,
      "adjoint-gen: inserts the gradients of ADJOINT_GRAD functions into the "
      "source");
  if (!Options)
    return fail(llvm::toString(Options.takeError()));
  if (Options->getSourcePathList().size() != 1)
    return fail("expected exactly one source file");
  std::string Source = Options->getSourcePathList()[0];
  if (!fs::exists(Source))
    return fail("no such file: '" + Source + "'");
  if (InPlace && !OutputPath.empty())
    return fail("-o and --in-place exclude each other");
  if (!MirrorDir.empty() && (InPlace || !HeaderDir.empty()))
    return fail("--mirror-dir excludes --in-place and --header-dir");
  if (!DepFile.empty() && OutputPath.empty() && !InPlace)
    return fail("--depfile needs -o or --in-place (the file it describes)");
  if (!OutputPath.empty() && sameFile(OutputPath, Source))
    return fail("refusing to overwrite the input '" + Source +
                "' with -o; use --in-place to replace it");

  ClangTool Tool(Options->getCompilations(), {Source});
  // A command that loads the plugin would insert the gradients a second time.
  Tool.appendArgumentsAdjuster(
      [](const CommandLineArguments &Args, llvm::StringRef) {
        CommandLineArguments Kept;
        for (const std::string &Arg : Args)
          if (!adjoint::startsWith(Arg, "-fplugin"))
            Kept.push_back(Arg);
        return Kept;
      });
  // The resource directory computed from this binary's path does not exist;
  // a -resource-dir of the command itself comes later and wins.
  Tool.appendArgumentsAdjuster(
      getInsertArgumentAdjuster("-resource-dir=" ADJOINT_CLANG_RESOURCE_DIR,
                                ArgumentInsertPosition::BEGIN));
  Tool.appendArgumentsAdjuster(getInsertArgumentAdjuster(
      "-ferror-limit=0", ArgumentInsertPosition::END));

  adjoint::DiagnosticOptionsPtr DiagOpts = adjoint::makeDiagnosticOptions();
  DiagOpts->ShowColors = llvm::sys::Process::StandardErrHasColors();
  SourceErrorPrinter SourceErrors(llvm::errs(),
                                  adjoint::diagnosticOptionsArg(DiagOpts));
  Tool.setDiagnosticConsumer(&SourceErrors);
  // The parse always has errors (calls to gradients not generated yet).
  Tool.setPrintErrorMessage(false);

  if (Explain || !Graph.empty()) {
    if (!Graph.empty() && Graph != "dot")
      return fail("unknown --graph format '" + Graph + "' (expected: dot)");
    if (!GraphOut.empty() && Graph.empty())
      return fail("--graph-out needs --graph=dot");
    if (!OutputPath.empty() || InPlace)
      return fail("--explain and --graph rewrite nothing; drop -o and "
                  "--in-place");
    ExplainFactory Factory;
    Tool.run(&Factory);
    if (!Factory.Ran || SourceErrors.getNumErrors())
      return fail("could not parse '" + Source + "'");
    if (Explain)
      llvm::outs() << adjoint::formatExplanation(Factory.Functions);
    if (Graph.empty())
      return 0;
    std::string Dot = adjoint::formatDot(Factory.Functions);
    if (GraphOut.empty()) {
      llvm::outs() << Dot;
      return 0;
    }
    return writeGraph(Dot);
  }

  Analysis A;
  AnalysisFactory Factory(A, DiagOpts);
  Tool.run(&Factory);
  if (!A.Ran || SourceErrors.getNumErrors())
    return fail("'" + Source + "' has errors; nothing was written");
  if (A.HasErrors)
    return 1;

  auto HeaderWrites = planHeaderWrites(A);
  if (!HeaderWrites)
    return fail(llvm::toString(HeaderWrites.takeError()));
  if (Dump)
    llvm::errs() << adjoint::formatDump(A.Functions, Source);

  if (!HeaderDir.empty())
    if (std::error_code EC = fs::create_directories(HeaderDir))
      return fail("cannot create '" + HeaderDir + "': " + EC.message());
  for (const auto &[Path, Contents] : *HeaderWrites)
    if (llvm::Error Err = MirrorDir.empty()
                              ? adjoint::writeFileAtomically(Path, Contents)
                              : writeIfChanged(Path, Contents))
      return fail(llvm::toString(std::move(Err)));
  if (!DepFile.empty())
    if (llvm::Error Err = writeDepFile(InPlace ? Source : OutputPath, A))
      return fail(llvm::toString(std::move(Err)));
  if (!MirrorDir.empty()) {
    llvm::SmallString<256> Abs(Source);
    fs::make_absolute(Abs);
    A.MainContents = lineDirective(Abs) + A.MainContents;
  }

  if (InPlace) {
    if (!A.MainRewritten)
      return 0;
    if (llvm::Error Err = adjoint::writeFileAtomically(Source, A.MainContents))
      return fail(llvm::toString(std::move(Err)));
  } else if (!OutputPath.empty()) {
    if (llvm::Error Err =
            adjoint::writeFileAtomically(OutputPath, A.MainContents))
      return fail(llvm::toString(std::move(Err)));
  } else {
    llvm::outs() << A.MainContents;
  }
  return 0;
}
