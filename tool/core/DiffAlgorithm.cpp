//===- DiffAlgorithm.cpp - std::accumulate, inner_product, transform ------===//
//
// The standard algorithms over ranges of reals, with or without a lambda as
// their operation, are differentiated through rules of
// include/adjoint/derivatives.h that walk the range again:
//
//   std::accumulate(v.begin(), v.end(), 0.0, [&](double a, double b) {...})
//   -> accumulate_range_pullback(v.begin(), v.end(), 0.0, <the lambda>,
//          _d_s, _d_v.data(), _r0, _lambda0_pullback);
//
// The iterators' adjoints are pointers into the adjoints of the variables
// they walk (`_d_v.data() + k`), and a lambda's pullback is defined as a
// capturing pullback (DiffLambda.cpp). Over pointers without an operation,
// accumulate and inner_product keep their plain rules.
//
//===----------------------------------------------------------------------===//
#include "Activity.h"
#include "Algorithms.h"
#include "ClangCompat.h"
#include "FunctionDifferentiator.h"
#include "Lambdas.h"

#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace adjoint {

namespace {
/// `v.begin()`, `v.end()`, `v.cbegin()`, `v.cend()`: the object, else null.
const Expr *iteratorObject(const Expr *E) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
  const CXXMethodDecl *MD = MC ? MC->getMethodDecl() : nullptr;
  if (!MD || !MD->getIdentifier())
    return nullptr;
  StringRef Name = MD->getName();
  if (Name == "begin" || Name == "end" || Name == "cbegin" || Name == "cend")
    return MC->getImplicitObjectArgument();
  return nullptr;
}

/// `it + k` or `it - k` on an iterator class: the iterator and the offset.
std::pair<const Expr *, const Expr *> iteratorOffset(const Expr *E,
                                                     bool &Minus) {
  const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
  if (!Op || Op->getNumArgs() != 2 ||
      (Op->getOperator() != OO_Plus && Op->getOperator() != OO_Minus) ||
      !Op->getArg(1)->getType()->isIntegerType())
    return {nullptr, nullptr};
  Minus = Op->getOperator() == OO_Minus;
  return {Op->getArg(0), Op->getArg(1)};
}

} // namespace

const VarDecl *FunctionDifferentiator::iteratorBase(const Expr *E) {
  E = Activity::stripCopies(E);
  // (std::array's iterators are pointers.)
  if (const Expr *Object = iteratorObject(E))
    return Activity::writtenVar(Object);
  if (E->getType()->isPointerType() || E->getType()->isArrayType())
    return bufferBase(E);
  bool Minus = false;
  if (const Expr *It = iteratorOffset(E, Minus).first)
    return iteratorBase(It);
  return nullptr;
}

std::string FunctionDifferentiator::iteratorAdjoint(const Expr *E) {
  E = Activity::stripCopies(E);
  if (const Expr *Object = iteratorObject(E)) {
    const VarDecl *V = Activity::writtenVar(Object);
    const auto *Ref = dyn_cast<DeclRefExpr>(Object->IgnoreParenImpCasts());
    if (!V || !Ref || !isActiveVar(V) || !isRealVector(V->getType()))
      return "";
    StringRef Name = cast<CXXMemberCallExpr>(E)->getMethodDecl()->getName();
    std::string Data = adjointOf(V) + ".data()";
    return endsWith(Name, "end") ? Data + " + " + adjointOf(V) + ".size()"
                                : Data;
  }
  if (E->getType()->isPointerType() || E->getType()->isArrayType())
    return adjointPointer(E);
  bool Minus = false;
  auto [It, Offset] = iteratorOffset(E, Minus);
  if (!It)
    return "";
  std::string Base = iteratorAdjoint(It);
  return Base.empty() ? ""
                      : Base + (Minus ? " - " : " + ") + paren(text(Offset));
}

bool FunctionDifferentiator::diffAlgorithm(const CallExpr *Call,
                                           const std::string &Adj,
                                           CodeBlock &Out,
                                           const CodeBlock &AfterCall) {
  Algorithm A = standardAlgorithm(Call);
  if (A == Algorithm::None)
    return false;
  unsigned N = Call->getNumArgs();
  if (A == Algorithm::Copy || A == Algorithm::Fill)
    return diffCopyOrFill(Call, A, Out, AfterCall);
  if (A == Algorithm::MaxElement || A == Algorithm::MinElement) {
    // Dereferenced, it is differentiated by diffSelectedElement.
    unsupported(
        Call,
        "the iterator 'std::" + Call->getDirectCallee()->getNameAsString() +
            "' returns, used other than dereferenced",
        "dereference the call itself ('*std::max_element(v.begin(), "
        "v.end())') or take its index");
    return true;
  }
  std::string Name = A == Algorithm::Accumulate     ? "accumulate"
                     : A == Algorithm::InnerProduct ? "inner_product"
                                                    : "transform";
  // The ranges: the input ranges' first and last, then transform's output.
  unsigned Inputs = A == Algorithm::Accumulate     ? 2
                    : A == Algorithm::InnerProduct ? 3
                                                   : N - 2;
  bool HasOperation = A == Algorithm::Transform ||
                      (A == Algorithm::Accumulate && N == 4) ||
                      (A == Algorithm::InnerProduct && N == 6);
  // Pointers the plain rules can follow (not `a.begin()` of a std::array).
  bool AllPointers = true;
  for (unsigned I = 0; I < Inputs; ++I) {
    const Expr *Arg = Activity::stripCopies(Call->getArg(I));
    AllPointers &= Arg->getType()->isPointerType() && !iteratorObject(Arg) &&
                   (bufferBase(Arg) || !referencesActive(Arg));
  }
  if (!HasOperation && AllPointers)
    return false; // the plain rules over pointers
  auto Refuse = [&](const Stmt *Where, StringRef What, StringRef Hint) {
    unsupported(Where, What, Hint);
    return true;
  };
  std::string Call0 = "'std::" + Name + "'";
  if (A == Algorithm::InnerProduct && HasOperation)
    return Refuse(Call, Call0 + " with operations",
                  "write the loop, or use std::transform and "
                  "std::accumulate");
  // Each range must be one adjoint can follow into a variable's elements:
  // all arguments but the initial value and the operation.
  unsigned Ranges = A == Algorithm::Transform ? N - 1 : Inputs;
  std::vector<QualType> Elements; // of each range's first iterator
  for (unsigned I = 0; I < Ranges; ++I) {
    const Expr *Arg = Call->getArg(I);
    if (!iteratorBase(Arg) && referencesActive(Arg))
      return Refuse(Arg, Call0 + " over a range adjoint cannot follow",
                    "pass 'v.begin()', 'v.end()', 'x', 'x + n' or "
                    "'v.data()' of a std::vector, array or pointer");
    if (I != 1) {
      Elements.push_back(rangeElementType(Arg));
      if (Elements.back().isNull() || !isReal(Elements.back()))
        return Refuse(Arg,
                      Call0 + " over elements that are not float or double",
                      "differentiate ranges of float or double");
    }
  }
  // The operation's pullback.
  std::string OpPullback, OpText;
  if (HasOperation) {
    const Expr *Op = Activity::stripCopies(Call->getArg(N - 1));
    const CXXRecordDecl *Closure = closureClass(Op->getType());
    if (!Closure)
      return Refuse(Op, Call0 + " with an operation that is not a lambda",
                    "pass a lambda such as '[](double a, double b) { return "
                    "a + b; }'");
    // A lambda with `auto` parameters is differentiated in its one
    // instantiation, which instantiateAlgorithmOperations made for the
    // algorithm's arguments.
    const CXXMethodDecl *Method = differentiatedCallOperator(Closure);
    if (!Method)
      return Refuse(Op,
                    "a lambda with 'auto' parameters passed to " + Call0 +
                        " that is instantiated with several types",
                    "give its parameters types");
    if (!capturesWrittenBy(Method).empty())
      return Refuse(
          Op, "a lambda passed to " + Call0 + " that writes what it captures",
          "return the value instead");
    // The rule calls the pullback with elements and partial results, whose
    // adjoints it declares with their types.
    std::vector<QualType> Expected = operationParamTypes(Call);
    bool Matches = Method->getNumParams() == Expected.size() &&
                   isReal(Method->getReturnType());
    for (unsigned I = 0; Matches && I < Expected.size(); ++I)
      Matches = Method->getParamDecl(I)
                    ->getType()
                    .getNonReferenceType()
                    .getCanonicalType()
                    .getUnqualifiedType() ==
                Expected[I].getCanonicalType().getUnqualifiedType();
    if (!Matches)
      return Refuse(Op,
                    "a lambda passed to " + Call0 +
                        " whose parameters are not the types of the "
                        "accumulated value and the elements",
                    "take and return the element type ('double')");
    std::string PullbackName = fresh("_lambda") + "_pullback";
    if (const auto *Ref = dyn_cast<DeclRefExpr>(Op))
      PullbackName = info(cast<VarDecl>(Ref->getDecl())).Name + "_pullback";
    OpPullback = definePullback(Closure, Op, PullbackName);
    if (OpPullback.empty())
      return true;
    OpText = text(Call->getArg(N - 1));
  }
  std::vector<std::string> Values, Adjoints;
  CodeBlock Decls;
  std::vector<std::pair<const Expr *, std::string>> Propagate;
  bool Lost = false;
  auto RangeAdjoint = [&](const Expr *Arg) {
    std::string D = iteratorAdjoint(Arg);
    // A null adjoint stands for constant data only.
    if (D.empty() && referencesActive(Arg) && !Lost) {
      Lost = true;
      unsupported(Arg, Call0 + " over a range adjoint cannot follow",
                  "pass 'v.begin()', 'v.end()', 'x', 'x + n' or 'v.data()' "
                  "of a std::vector, array or pointer");
    }
    Adjoints.push_back(D.empty() ? "nullptr" : D);
  };
  if (A == Algorithm::Transform) {
    // Nothing reaches the inputs unless the output is differentiated.
    const Expr *Output = Call->getArg(N - 2);
    std::string DOut = iteratorAdjoint(Output);
    if (DOut.empty()) {
      Out.append(AfterCall);
      return true;
    }
    for (unsigned I = 0; I + 1 < N; ++I)
      Values.push_back(text(Call->getArg(I)));
    Values.push_back(OpText);
    RangeAdjoint(Call->getArg(0));
    if (N == 5)
      RangeAdjoint(Call->getArg(2));
    Adjoints.push_back(DOut);
  } else {
    if (Adj.empty()) {
      Out.append(AfterCall);
      return true; // a discarded sum
    }
    const Expr *Init = Call->getArg(Inputs);
    for (unsigned I = 0; I < Inputs; ++I)
      Values.push_back(text(Call->getArg(I)));
    Values.push_back(valueOf(Init));
    if (HasOperation)
      Values.push_back(OpText);
    Values.push_back(Adj);
    RangeAdjoint(Call->getArg(0));
    if (A == Algorithm::InnerProduct)
      RangeAdjoint(Call->getArg(2));
    std::string R = fresh("_r");
    Decls.line(adjointDecl(Init->getType(), R));
    Adjoints.push_back(R);
    if (isActiveExpr(Init))
      Propagate.push_back({Init, R});
  }
  if (Lost)
    return true;
  if (HasOperation)
    Adjoints.push_back(OpPullback);
  std::string Line = "::adjoint::derivatives::" + Name + "_range_pullback(";
  for (size_t I = 0; I < Values.size() + Adjoints.size(); ++I)
    Line += std::string(I ? ", " : "") +
            (I < Values.size() ? Values[I] : Adjoints[I - Values.size()]);
  Out.append(Decls);
  Out.line(Line + ");");
  Out.append(AfterCall);
  for (auto &[Arg, R] : Propagate)
    diffExpr(Arg, R, Out);
  return true;
}

bool FunctionDifferentiator::diffSelectedElement(const Expr *E,
                                                 const std::string &Adj,
                                                 CodeBlock &Out) {
  const Expr *Operand = nullptr;
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_Deref)
    Operand = U->getSubExpr();
  else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
           Op && Op->getOperator() == OO_Star && Op->getNumArgs() == 1)
    Operand = Op->getArg(0);
  const auto *Call =
      Operand ? dyn_cast<CallExpr>(
                    Activity::stripCopies(Operand)->IgnoreParenImpCasts())
              : nullptr;
  Algorithm A = standardAlgorithm(Call);
  if (A != Algorithm::MaxElement && A != Algorithm::MinElement)
    return false;
  std::string Call0 =
      "'std::" + Call->getDirectCallee()->getNameAsString() + "'";
  const Expr *First = Call->getArg(0);
  QualType Element = rangeElementType(First);
  if (Element.isNull() || !isReal(Element)) {
    unsupported(
        E,
        "the element " + Call0 + " selects, of a range of '" +
            (Element.isNull() ? std::string("?") : Element.getAsString()) + "'",
        "select among float or double elements");
    return true;
  }
  // A comparator is run again in the reverse sweep: it must not depend on
  // anything that changes (a lambda without captures).
  if (Call->getNumArgs() == 3) {
    const CXXRecordDecl *Closure =
        closureClass(Activity::stripCopies(Call->getArg(2))->getType());
    if (!Closure || Closure->capture_size() != 0) {
      unsupported(Call->getArg(2),
                  Call0 + " with a comparator that is not a lambda without "
                          "captures",
                  "pass '[](double a, double b) { return ...; }'");
      return true;
    }
  }
  std::string D = iteratorAdjoint(First);
  if (D.empty() || !iteratorBase(Call->getArg(1))) {
    unsupported(E,
                "the element " + Call0 +
                    " selects in a range adjoint cannot follow",
                "pass 'v.begin()', 'v.end()', 'x', 'x + n' or 'v.data()' of "
                "a std::vector, array or pointer");
    return true;
  }
  // The selection is made again on the same values (the analysis counts
  // the range as read by the reverse sweep), so it picks the same element.
  std::string Index = fresh("_k");
  Out.line("const auto " + Index + " = " + text(Call) + " - " +
           paren(text(First)) + ";");
  accumulate(paren(D) + "[" + Index + "]", Adj, Element, Out);
  return true;
}

bool FunctionDifferentiator::diffCopyOrFill(const CallExpr *Call, Algorithm A,
                                            CodeBlock &Out,
                                            const CodeBlock &AfterCall) {
  // std::copy(first, last, out) and std::fill(first, last, value): the
  // ranges are arguments 0-2 of copy, 0-1 of fill.
  bool Copy = A == Algorithm::Copy;
  std::string Call0 = Copy ? "'std::copy'" : "'std::fill'";
  unsigned Ranges = Copy ? 3 : 2;
  std::vector<std::string> Adjoints;
  for (unsigned I = 0; I < Ranges; ++I) {
    const Expr *Arg = Call->getArg(I);
    if (!iteratorBase(Arg) && referencesActive(Arg)) {
      unsupported(Arg, Call0 + " over a range adjoint cannot follow",
                  "pass 'v.begin()', 'v.end()', 'x', 'x + n' or 'v.data()' "
                  "of a std::vector, array or pointer (not "
                  "'std::back_inserter(v)': size the vector first)");
      return true;
    }
    if (I == 1)
      continue; // the end of the first range
    QualType Element = rangeElementType(Arg);
    bool RealElements = !Element.isNull() && isReal(Element);
    if (!RealElements && referencesActive(Arg)) {
      unsupported(Arg, Call0 + " over elements that are not float or double",
                  "differentiate ranges of float or double");
      return true;
    }
    Adjoints.push_back(RealElements ? iteratorAdjoint(Arg) : "");
  }
  // Nothing reaches the inputs unless the written range is differentiated.
  std::string DOut = Adjoints.back();
  if (DOut.empty()) {
    Out.append(AfterCall);
    return true;
  }
  std::string Line =
      "::adjoint::derivatives::" + std::string(Copy ? "copy" : "fill") +
      "_range_pullback(";
  for (unsigned I = 0; I < 3; ++I)
    Line += text(Call->getArg(I)) + ", ";
  if (Copy) {
    const Expr *First = Call->getArg(0);
    if (Adjoints.front().empty() && referencesActive(First)) {
      unsupported(First, Call0 + " over a range adjoint cannot follow",
                  "pass 'v.begin()', 'v.end()', 'x', 'x + n' or 'v.data()' "
                  "of a std::vector, array or pointer");
      return true;
    }
    Out.line(Line + (Adjoints.front().empty() ? "nullptr" : Adjoints.front()) +
             ", " + DOut + ");");
    Out.append(AfterCall);
    return true;
  }
  // fill: the value's adjoint gathers the range's.
  const Expr *Value = Call->getArg(2);
  std::string R = fresh("_r");
  Out.line(adjointDecl(Value->getType().getNonReferenceType(), R));
  Out.line(Line + DOut + ", " + R + ");");
  Out.append(AfterCall);
  if (isActiveExpr(Value))
    diffExpr(Value, R, Out);
  return true;
}

} // namespace adjoint
