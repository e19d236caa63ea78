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

/// \p S (an expression's text) in parentheses unless it is a single token.
std::string paren(const std::string &S);

/// What a line does, so that a checkpointed loop can drop lines from the
/// copies of its body's forward code it runs without taping (the forward
/// sweep) and again before each iteration's reverse (the recompute).
enum class LineKind : unsigned char {
  Plain,
  /// Records a value for the reverse sweep (a tape push, a saved copy).
  Save,
  /// Stores a value that no reverse code and no recompute reads.
  DeadStore,
};

/// A sequence of lines of C++, each without its indentation.
class CodeBlock {
public:
  /// Appends one line.
  void line(std::string Text, LineKind Kind = LineKind::Plain) {
    Lines.push_back({std::move(Text), Kind});
  }

  /// Appends all lines of \p Other at the same depth.
  void append(const CodeBlock &Other) {
    Lines.insert(Lines.end(), Other.Lines.begin(), Other.Lines.end());
  }

  /// Appends `Header {`, \p Body indented one level, and `}` followed by
  /// \p Tail (`;` after a struct).
  void block(const std::string &Header, const CodeBlock &Body,
             const std::string &Tail = "") {
    line(Header.empty() ? "{" : Header + " {");
    for (const Line &L : Body.Lines)
      Lines.push_back({L.Text.empty() ? L.Text : "  " + L.Text, L.Kind});
    line("}" + Tail);
  }

  /// A copy without the lines of kind \p Kind, and without the `if` and
  /// `else` blocks that leaves empty.
  CodeBlock without(LineKind Kind) const {
    CodeBlock Out;
    for (const Line &L : Lines)
      if (L.Kind != Kind)
        Out.Lines.push_back(L);
    auto Strip = [](const std::string &T) {
      size_t I = T.find_first_not_of(' ');
      return I == std::string::npos ? std::string() : T.substr(I);
    };
    auto Indent = [](const std::string &T) { return T.find_first_not_of(' '); };
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (size_t I = 0; I + 1 < Out.Lines.size(); ++I) {
        const std::string &H = Out.Lines[I].Text, &C = Out.Lines[I + 1].Text;
        if (Strip(C) != "}" || Indent(H) != Indent(C))
          continue;
        std::string Header = Strip(H);
        bool Else = Header == "else {";
        bool If = Header.rfind("if (", 0) == 0 && Header.back() == '{';
        // An empty `if` before an `else` stays, as `if (c) {} else {...}`.
        if (If && I + 2 < Out.Lines.size() &&
            Strip(Out.Lines[I + 2].Text) == "else {" &&
            Indent(Out.Lines[I + 2].Text) == Indent(H))
          continue;
        if (Else || If) {
          Out.Lines.erase(Out.Lines.begin() + I, Out.Lines.begin() + I + 2);
          Changed = true;
          break;
        }
      }
    }
    return Out;
  }

  /// Merges `Name = 0;` with the first later line that mentions Name when
  /// that is `Name += e;` at the same depth, into `Name = e;` there: the
  /// compiler may not fold 0 + e (it is -0.0 + 0.0 for e = -0.0).
  void foldZeroedAccumulation(const std::string &Name);

  /// Whether no line was added.
  bool empty() const { return Lines.empty(); }

  /// The lines, each prefixed with \p Indent and terminated by a newline.
  std::string str(const std::string &Indent = "") const {
    std::string Out;
    for (const Line &L : Lines)
      Out += (L.Text.empty() ? "" : Indent) + L.Text + "\n";
    return Out;
  }

private:
  struct Line {
    std::string Text;
    LineKind Kind;
  };
  std::vector<Line> Lines;
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
