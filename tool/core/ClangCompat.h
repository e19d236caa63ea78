//===- ClangCompat.h - What differs between the supported Clang versions --===//
//
// adjoint builds against Clang 14, 15, 16, 19 and 22. The few APIs that were
// renamed or changed between them are wrapped here, so the rest of the code
// reads the same for every version.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_CORE_CLANGCOMPAT_H
#define ADJOINT_CORE_CLANGCOMPAT_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Basic/Version.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/PPCallbacks.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <utility>

namespace adjoint {

/// An optional clang::FileEntryRef: llvm::Optional<FileEntryRef> before
/// Clang 16, OptionalFileEntryRef since.
using OptionalFileRef =
    decltype(std::declval<const clang::SourceManager &>().getFileEntryRefForID(
        clang::FileID()));

/// The type that record or enum \p Tag declares (ASTContext::getRecordType
/// and getEnumType before Clang 22, which folded both into tag types).
inline clang::QualType tagType(const clang::ASTContext &Ctx,
                               const clang::TagDecl *Tag) {
#if CLANG_VERSION_MAJOR >= 22
  return Ctx.getCanonicalTagType(Tag);
#else
  if (const auto *Enum = llvm::dyn_cast<clang::EnumDecl>(Tag))
    return Ctx.getEnumType(Enum);
  return Ctx.getRecordType(llvm::cast<clang::RecordDecl>(Tag));
#endif
}

/// Where statement or expression \p S begins. Clang 22 keeps the begin of a
/// CXXOperatorCallExpr from when it was built, which for the call of a
/// template operator() (a functor's, a generic lambda's) is its '(' rather
/// than the object; its source range, like getBeginLoc before 22, starts at
/// the object. So a diagnostic points at the same column with every Clang.
inline clang::SourceLocation beginLoc(const clang::Stmt *S) {
#if CLANG_VERSION_MAJOR >= 22
  if (const auto *Call = llvm::dyn_cast<clang::CXXOperatorCallExpr>(S))
    return Call->getSourceRange().getBegin();
#endif
  return S->getBeginLoc();
}

/// Whether \p S starts with \p Prefix (StringRef::startswith before Clang
/// 16, starts_with from Clang 19 on).
inline bool startsWith(llvm::StringRef S, llvm::StringRef Prefix) {
  return S.size() >= Prefix.size() && S.take_front(Prefix.size()) == Prefix;
}

/// Whether \p S ends with \p Suffix.
inline bool endsWith(llvm::StringRef S, llvm::StringRef Suffix) {
  return S.size() >= Suffix.size() && S.take_back(Suffix.size()) == Suffix;
}

/// Whether \p S ends with \p Suffix, ignoring ASCII case.
inline bool endsWithInsensitive(llvm::StringRef S, llvm::StringRef Suffix) {
  return S.size() >= Suffix.size() &&
         S.take_back(Suffix.size()).equals_insensitive(Suffix);
}

/// A compiler instance for \p Invocation that shares \p Outer's PCH
/// container operations (Clang 22 takes the invocation in the constructor
/// and has no setInvocation).
inline std::unique_ptr<clang::CompilerInstance>
makeCompilerInstance(std::shared_ptr<clang::CompilerInvocation> Invocation,
                     const clang::CompilerInstance &Outer) {
#if CLANG_VERSION_MAJOR >= 22
  return std::make_unique<clang::CompilerInstance>(
      std::move(Invocation), Outer.getPCHContainerOperations());
#else
  auto CI = std::make_unique<clang::CompilerInstance>(
      Outer.getPCHContainerOperations());
  CI->setInvocation(std::move(Invocation));
  return CI;
#endif
}

/// Owner of DiagnosticOptions: reference counted before Clang 21, a plain
/// object held by reference since.
#if CLANG_VERSION_MAJOR >= 21
using DiagnosticOptionsPtr = std::shared_ptr<clang::DiagnosticOptions>;
inline DiagnosticOptionsPtr makeDiagnosticOptions() {
  return std::make_shared<clang::DiagnosticOptions>();
}
/// What TextDiagnosticPrinter's and DiagnosticsEngine's constructors take.
inline clang::DiagnosticOptions &diagnosticOptionsArg(DiagnosticOptionsPtr &P) {
  return *P;
}
#else
using DiagnosticOptionsPtr = llvm::IntrusiveRefCntPtr<clang::DiagnosticOptions>;
inline DiagnosticOptionsPtr makeDiagnosticOptions() {
  return new clang::DiagnosticOptions;
}
/// What TextDiagnosticPrinter's and DiagnosticsEngine's constructors take
/// (the engine's IntrusiveRefCntPtr shares the object's own count).
inline clang::DiagnosticOptions *diagnosticOptionsArg(DiagnosticOptionsPtr &P) {
  return P.get();
}
#endif

/// The path of \p File: its real path when known, else its name.
inline std::string filePath(clang::FileEntryRef File) {
  llvm::StringRef Real = File.getFileEntry().tryGetRealPathName();
  return (Real.empty() ? File.getName() : Real).str();
}

/// PPCallbacks with one hook for #include directives, whose parameters
/// changed in Clang 15, 16 and 19.
class IncludeCallbacks : public clang::PPCallbacks {
public:
  /// An #include of \p FileName (as written, quotes or brackets included)
  /// that found the file at \p Path (empty when it found none).
  virtual void included(clang::CharSourceRange FileName, llvm::StringRef Path,
                        clang::SrcMgr::CharacteristicKind FileType) = 0;

#if CLANG_VERSION_MAJOR >= 19
  void InclusionDirective(clang::SourceLocation, const clang::Token &,
                          llvm::StringRef, bool,
                          clang::CharSourceRange FileName,
                          clang::OptionalFileEntryRef File, llvm::StringRef,
                          llvm::StringRef, const clang::Module *, bool,
                          clang::SrcMgr::CharacteristicKind FileType) override {
    included(FileName, File ? filePath(*File) : "", FileType);
  }
#elif CLANG_VERSION_MAJOR >= 15
  void InclusionDirective(clang::SourceLocation, const clang::Token &,
                          llvm::StringRef, bool,
                          clang::CharSourceRange FileName, OptionalFileRef File,
                          llvm::StringRef, llvm::StringRef,
                          const clang::Module *,
                          clang::SrcMgr::CharacteristicKind FileType) override {
    included(FileName, File ? filePath(*File) : "", FileType);
  }
#else
  void InclusionDirective(clang::SourceLocation, const clang::Token &,
                          llvm::StringRef, bool,
                          clang::CharSourceRange FileName,
                          const clang::FileEntry *File, llvm::StringRef,
                          llvm::StringRef, const clang::Module *,
                          clang::SrcMgr::CharacteristicKind FileType) override {
    std::string Path;
    if (File)
      Path = File->tryGetRealPathName().empty()
                 ? File->getName().str()
                 : File->tryGetRealPathName().str();
    included(FileName, Path, FileType);
  }
#endif
};

} // namespace adjoint

#endif // ADJOINT_CORE_CLANGCOMPAT_H
