//===- DiffRangeFor.cpp - Range-based for loops over arrays and vectors ---===//
//
// `for (double v : x)` over a C array, std::vector or std::array variable
// (or a data member of this object, whose data are constants) is the index
// loop `for (size_t k = 0; k < size; ++k) { double v = x[k]; ... }`, and is
// differentiated as that: the loop variable is assigned element k at the
// start of each iteration, and its adjoint goes to element k of the range's
// adjoint at the end of the iteration's reverse. A reference loop variable
// (`const double &v`, or `auto &v` the body only reads) is read as such a
// copy when the body writes neither it nor the range. One the body writes
// (`for (double &v : buf) v *= s;`) is that copy, written back to element k
// at the end of the iteration (`buf[k] = v;`), when the body does not use the
// range otherwise.
//
//===----------------------------------------------------------------------===//
#include "CountedLoop.h"
#include "FunctionDifferentiator.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace adjoint {

StmtPair FunctionDifferentiator::diffRangeFor(const CXXForRangeStmt *Loop) {
  StmtPair Out;
  // The range: a variable, or a data member of this object (constant data).
  const Expr *RangeInit = Loop->getRangeInit()->IgnoreParenImpCasts();
  const auto *Ref = dyn_cast<DeclRefExpr>(RangeInit);
  const auto *Member = dyn_cast<MemberExpr>(RangeInit);
  const auto *Range = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  bool OfThis = Member && isa<CXXThisExpr>(Member->getBase()->IgnoreParenImpCasts());
  const VarDecl *Var = Loop->getLoopVariable();
  if (const auto *Bindings = dyn_cast<DecompositionDecl>(Var)) {
    checkStructuredBinding(Loop, Bindings, /*TopLevel=*/false);
    return Out;
  }
  QualType RangeType = RangeInit->getType().getNonReferenceType();
  std::string RangeText = Range ? info(Range).Name : OfThis ? text(RangeInit) : "";
  std::string Size;
  if (RangeText.empty()) {
  } else if (const auto *AT = Ctx.getAsConstantArrayType(RangeType)) {
    Size = std::to_string(AT->getSize().getZExtValue());
  } else if (const auto *RD = RangeType->getAsCXXRecordDecl();
             RD && RD->isInStdNamespace() &&
             (RD->getName() == "vector" || RD->getName() == "array")) {
    Size = paren(RangeText) + ".size()";
  }
  if (Size.empty()) {
    unsupported(Loop, "a range-based 'for' loop over this range",
                "loop over a C array or std::vector variable, or write an "
                "index loop");
    return Out;
  }
  const Stmt *Body = Loop->getBody();
  if (hasJump(Body)) {
    unsupported(Loop, "'break', 'continue' or 'return' in a range-based 'for' "
                      "loop",
                "write an index loop, 'for (size_t i = 0; i < v.size(); ++i)'");
    return Out;
  }
  // A reference the body writes is a copy written back to its element.
  const VarDecl *Written = writtenRange(Loop);
  if (!Written && Var->getType()->isReferenceType() &&
      (StableVariables::mayWrite(Body, Var) ||
       (Range && StableVariables::mayWrite(Body, Range)))) {
    unsupported(Loop, "a range-based 'for' loop whose body writes its element "
                      "and uses its range, or takes the element's address",
                "write an index loop and assign the elements");
    return Out;
  }
  if (info(Var).Active && !isReal(Var->getType())) {
    unsupported(Loop, "a range-based 'for' loop over differentiated elements of "
                      "type '" + typeName(Var->getType().getNonReferenceType()) + "'",
                "write an index loop");
    return Out;
  }
  // The counter counts the iterations; the reverse sweep counts it back.
  std::string K = fresh("_k"), N = fresh("_n");
  declareState("size_t", K, "0");
  declareState("size_t", N, "0");
  VarInfo &VI = info(Var);
  QualType T = Var->getType().getNonReferenceType();
  std::string Element = paren(RangeText) + "[" + K + "]";
  // The loop variable is hoisted, default-constructed (or zeroed, for a
  // struct of doubles without a default constructor), unless only the
  // forward sweep uses it: then each iteration declares it as a copy.
  std::string Init = stateInit(T);
  const CXXRecordDecl *Class = T->getAsCXXRecordDecl();
  bool NoDefault = Init.empty() && Class && Class->hasDefinition() &&
                   !Class->getDefinition()->hasDefaultConstructor();
  bool InBody = NoDefault && !VI.Active && !readInReverse(Var);
  if (NoDefault && !InBody) {
    unsupported(Loop,
                "a range-based 'for' loop whose element type '" +
                    typeName(T.getUnqualifiedType()) +
                    "' has no default constructor",
                "write an index loop");
    return Out;
  }
  if (!InBody)
    declareState(typeName(T.getUnqualifiedType()), VI.Name, Init, isPlain(T));

  ++LoopDepth;
  StmtPair Element_;
  std::string Restore;
  if (!InBody && Act.isNeededBefore(Var, Loop->getLoopVarStmt()))
    Restore = save(VI.Name, T, Element_.Forward);
  Element_.Forward.line((InBody ? typeName(T.getUnqualifiedType()) + " " : "") +
                        VI.Name + " = " + Element + ";");
  if (!Restore.empty())
    Element_.Reverse.line(Restore);
  if (VI.Active && Range && isActiveVar(Range)) {
    Element_.Reverse.line(adjointOf(Range) + "[" + K + "] += " + VI.AdjName +
                          ";");
    Element_.Reverse.line(VI.AdjName + " = 0;");
  }
  StmtPair BodyPair = diffStmt(Body);
  // The element takes the loop variable's value back.
  if (Written) {
    std::string RestoreElement;
    if (readInReverse(Written))
      RestoreElement = save(Element, T, BodyPair.Forward);
    BodyPair.Forward.line(Element + " = " + VI.Name + ";", storeKind(Written));
    CodeBlock WriteBack;
    if (isActiveVar(Written)) {
      std::string ElementAdjoint = adjointOf(Written) + "[" + K + "]";
      if (VI.Active)
        WriteBack.line(VI.AdjName + " += " + ElementAdjoint + ";");
      WriteBack.line(ElementAdjoint + " = 0;");
    }
    if (!RestoreElement.empty())
      WriteBack.line(RestoreElement);
    WriteBack.append(BodyPair.Reverse);
    BodyPair.Reverse = std::move(WriteBack);
  }
  --LoopDepth;

  CodeBlock Forward;
  Forward.append(Element_.Forward);
  Forward.append(BodyPair.Forward);
  Forward.line("++" + K + ";");
  Out.Forward.line(K + " = 0;");
  Out.Forward.block("while (" + K + " < " + Size + ")", Forward);
  // The trip count, kept for the reverse sweep (per outer iteration).
  if (needsTape()) {
    UsesTape = true;
    Out.Forward.line("_tape.push(" + K + ");", LineKind::Save);
    Out.Reverse.line(N + " = _tape.pop<size_t>();");
  } else {
    Out.Forward.line(N + " = " + K + ";");
  }
  CodeBlock Reverse;
  Reverse.line("--" + K + ";");
  Reverse.append(BodyPair.Reverse);
  Reverse.append(Element_.Reverse);
  Out.Reverse.line(K + " = " + N + ";");
  Out.Reverse.block("while (" + K + " > 0)", Reverse);
  return Out;
}

} // namespace adjoint
