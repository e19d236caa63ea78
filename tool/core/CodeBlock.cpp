//===- CodeBlock.cpp - Lines of generated C++ ------------------------------===//

#include "CodeBlock.h"

#include "SourceText.h"

namespace adjoint {

void CodeBlock::foldZeroedAccumulation(const std::string &Name) {
  std::string Zero = Name + " = 0;", Add = Name + " += ";
  // An element (`_d_a[i]`, `*(_d_p + k)`) may be the same as another element
  // of its array spelled differently (`_d_a[n - 1 - i]`): a line in between
  // that names the array at all stops the fold.
  bool Element = Name.find_first_of("[*(") != std::string::npos;
  size_t RootBegin = Name.find_first_not_of("*( ");
  std::string Root =
      RootBegin == std::string::npos
          ? Name
          : Name.substr(RootBegin,
                        Name.find_first_not_of(
                            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                            "0123456789_",
                            RootBegin) -
                            RootBegin);
  for (size_t Z = 0; Z < Lines.size(); ++Z) {
    if (Lines[Z].Text != Zero)
      continue;
    for (size_t I = Z + 1; I < Lines.size(); ++I) {
      std::string &Text = Lines[I].Text;
      if (Element && mentions(Text, Root) &&
          Text.find(Name) == std::string::npos)
        return;
      if (!mentions(Text, Name))
        continue;
      std::string Value = Text.rfind(Add, 0) == 0 ? Text.substr(Add.size()) : "";
      if (Value.empty() || mentions(Value, Name))
        return;
      Text = Name + " = " + Value;
      Lines.erase(Lines.begin() + Z);
      return;
    }
    return;
  }
}

} // namespace adjoint
