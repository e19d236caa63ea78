//===- CodeBlock.cpp - Lines of generated C++ ------------------------------===//

#include "CodeBlock.h"

#include "SourceText.h"

namespace adjoint {

void CodeBlock::foldZeroedAccumulation(const std::string &Name) {
  std::string Zero = Name + " = 0;", Add = Name + " += ";
  for (size_t Z = 0; Z < Lines.size(); ++Z) {
    if (Lines[Z].Text != Zero)
      continue;
    for (size_t I = Z + 1; I < Lines.size(); ++I) {
      std::string &Text = Lines[I].Text;
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
