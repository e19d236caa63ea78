//===- SourceText.cpp - User source text with substitutions ---------------===//

#include "SourceText.h"

#include "clang/Lex/Lexer.h"

#include <algorithm>
#include <cctype>

using namespace clang;

namespace adjoint {

std::optional<std::pair<unsigned, unsigned>>
SourceText::offsets(SourceRange R, FileID &File) const {
  CharSourceRange Chars = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(R), SM, LO);
  if (Chars.isInvalid())
    return std::nullopt;
  auto [BeginFile, Begin] = SM.getDecomposedLoc(Chars.getBegin());
  auto [EndFile, End] = SM.getDecomposedLoc(Chars.getEnd());
  if (BeginFile != EndFile || End < Begin)
    return std::nullopt;
  File = BeginFile;
  return std::make_pair(Begin, End);
}

std::optional<std::string>
SourceText::get(SourceRange R,
                const std::vector<TextReplacement> &Replacements) const {
  FileID File;
  auto Outer = offsets(R, File);
  if (!Outer)
    return std::nullopt;
  struct Span {
    unsigned Begin, End;
    const std::string *Text;
  };
  std::vector<Span> Spans;
  for (const TextReplacement &Rep : Replacements) {
    FileID RepFile;
    auto Inner = offsets(Rep.Range, RepFile);
    if (!Inner) {
      // Inside a macro expansion: whether it is inside R is decided by where
      // the expansion is.
      SourceLocation At = SM.getExpansionLoc(Rep.Range.getBegin());
      auto [AtFile, AtOffset] = SM.getDecomposedLoc(At);
      if (AtFile == File && AtOffset >= Outer->first &&
          AtOffset < Outer->second)
        return std::nullopt;
      continue;
    }
    if (RepFile != File || Inner->first < Outer->first ||
        Inner->second > Outer->second)
      continue;
    Spans.push_back({Inner->first, Inner->second, &Rep.Text});
  }
  // Outermost first at equal begins, so nested replacements can be skipped.
  std::sort(Spans.begin(), Spans.end(), [](const Span &A, const Span &B) {
    return A.Begin != B.Begin ? A.Begin < B.Begin : A.End > B.End;
  });
  bool Invalid = false;
  StringRef Buffer = SM.getBufferData(File, &Invalid);
  if (Invalid)
    return std::nullopt;
  std::string Out;
  unsigned Pos = Outer->first;
  for (const Span &S : Spans) {
    if (S.Begin < Pos)
      continue;
    Out += Buffer.substr(Pos, S.Begin - Pos).str();
    Out += *S.Text;
    Pos = S.End;
  }
  Out += Buffer.substr(Pos, Outer->second - Pos).str();
  return Out;
}

bool mentions(const std::string &Text, const std::string &Name) {
  auto IsIdent = [](char C) {
    return std::isalnum(static_cast<unsigned char>(C)) || C == '_';
  };
  for (size_t At = Text.find(Name); At != std::string::npos;
       At = Text.find(Name, At + 1)) {
    size_t End = At + Name.size();
    if ((At == 0 || !IsIdent(Text[At - 1])) &&
        (End == Text.size() || !IsIdent(Text[End])))
      return true;
  }
  return false;
}

} // namespace adjoint
