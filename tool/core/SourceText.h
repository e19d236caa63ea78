//===- SourceText.h - User source text with substitutions -------*- C++ -*-===//
//
// Generated forward code reuses the user's own spelling of expressions, with
// some sub-ranges replaced (renamed variables, values cached in temporaries).
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_CORE_SOURCETEXT_H
#define ADJOINT_CORE_SOURCETEXT_H

#include "clang/AST/Stmt.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceManager.h"

#include <optional>
#include <string>
#include <vector>

namespace adjoint {

/// Replaces the source text of Range by Text.
struct TextReplacement {
  /// Token range in the user's source.
  clang::SourceRange Range;
  /// The new text.
  std::string Text;
  /// The expression spelled by Range, for printing from the AST where the
  /// range is inside a macro expansion and has no text of its own.
  const clang::Stmt *Node = nullptr;
};

/// Reads spelled source text of token ranges.
class SourceText {
public:
  /// Reads text from \p SM, lexing with \p LO.
  SourceText(const clang::SourceManager &SM, const clang::LangOptions &LO)
      : SM(SM), LO(LO) {}

  /// The text of token range \p R with \p Replacements applied (replacements
  /// nested in another replacement are dropped); nullopt when \p R does not
  /// map to one contiguous range of one file, or when a replacement inside
  /// it cannot be applied (it is inside a macro expansion).
  std::optional<std::string>
  get(clang::SourceRange R,
      const std::vector<TextReplacement> &Replacements = {}) const;

private:
  /// File offsets [Begin, End) of token range \p R, if it maps to one file.
  std::optional<std::pair<unsigned, unsigned>>
  offsets(clang::SourceRange R, clang::FileID &File) const;

  const clang::SourceManager &SM;
  const clang::LangOptions &LO;
};

/// Whether \p Name occurs in \p Text as a whole identifier.
bool mentions(const std::string &Text, const std::string &Name);

} // namespace adjoint

#endif // ADJOINT_CORE_SOURCETEXT_H
