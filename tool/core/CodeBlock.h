//===- CodeBlock.h - Lines of generated C++ ---------------------*- C++ -*-===//
//
// Generated code is built as lists of lines; nesting adds indentation, so the
// output is formatted without running a formatter.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_CORE_CODEBLOCK_H
#define ADJOINT_CORE_CODEBLOCK_H

#include <string>
#include <vector>

namespace adjoint {

/// A sequence of lines of C++, each without its indentation.
class CodeBlock {
public:
  /// Appends one line.
  void line(std::string Text) { Lines.push_back(std::move(Text)); }

  /// Appends all lines of \p Other at the same depth.
  void append(const CodeBlock &Other) {
    Lines.insert(Lines.end(), Other.Lines.begin(), Other.Lines.end());
  }

  /// Appends `Header {`, \p Body indented one level, and `}` followed by
  /// \p Tail (`;` after a struct).
  void block(const std::string &Header, const CodeBlock &Body,
             const std::string &Tail = "") {
    line(Header.empty() ? "{" : Header + " {");
    for (const std::string &L : Body.Lines)
      Lines.push_back(L.empty() ? L : "  " + L);
    line("}" + Tail);
  }

  /// Whether no line was added.
  bool empty() const { return Lines.empty(); }

  /// The lines, each prefixed with \p Indent and terminated by a newline.
  std::string str(const std::string &Indent = "") const {
    std::string Out;
    for (const std::string &L : Lines)
      Out += (L.empty() ? "" : Indent) + L + "\n";
    return Out;
  }

private:
  std::vector<std::string> Lines;
};

/// The two halves a differentiated statement contributes: code for the
/// forward sweep, and code for the reverse sweep (emitted in reverse order of
/// the statements).
struct StmtPair {
  /// Runs in the forward sweep, in source order.
  CodeBlock Forward;
  /// Runs in the reverse sweep.
  CodeBlock Reverse;
};

} // namespace adjoint

#endif // ADJOINT_CORE_CODEBLOCK_H
