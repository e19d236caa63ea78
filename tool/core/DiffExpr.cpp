//===- DiffExpr.cpp - Adjoints of expressions -----------------------------===//

#include "Algorithms.h"
#include "ClangCompat.h"
#include "CountedLoop.h"
#include "FunctionDifferentiator.h"
#include "Lambdas.h"

#include "clang/AST/ExprCXX.h"
#include "clang/Basic/Builtins.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cctype>
#include <numeric>

using namespace clang;

namespace adjoint {

namespace {
bool isSimpleName(const std::string &S) {
  return !S.empty() && std::all_of(S.begin(), S.end(), [](char C) {
    return std::isalnum(static_cast<unsigned char>(C)) || C == '_' || C == '.';
  });
}

/// Whether \p E is the literal 1 (or 1.0).
bool isOne(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *F = dyn_cast<FloatingLiteral>(E))
    return F->getValue().isExactlyValue(1.0);
  if (const auto *I = dyn_cast<IntegerLiteral>(E))
    return I->getValue() == 1;
  return false;
}

bool containsCall(const Stmt *S) {
  if (!S)
    return false;
  // v[i] on a std::vector is a call only in name.
  const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
  if (isa<CallExpr>(S) && !(Op && Op->getOperator() == OO_Subscript))
    return true;
  for (const Stmt *Child : S->children())
    if (containsCall(Child))
      return true;
  return false;
}

/// Whether \p Inner is \p Outer or inside it.
bool contains(const Stmt *Outer, const Stmt *Inner) {
  if (Outer == Inner)
    return true;
  for (const Stmt *Child : Outer->children())
    if (Child && contains(Child, Inner))
      return true;
  return false;
}

} // namespace

std::string operatorRuleName(const CXXOperatorCallExpr *Op) {
  bool Unary = Op->getNumArgs() == 1;
  switch (Op->getOperator()) {
  case OO_Plus:
    return Unary ? "" : "add";
  case OO_Minus:
    return Unary ? "neg" : "sub";
  case OO_Star:
    return Unary ? "" : "mul";
  case OO_Slash:
    return "div";
  case OO_Call:
    return "call";
  default:
    return "";
  }
}

std::string paren(const std::string &S) {
  return isSimpleName(S) ? S : "(" + S + ")";
}

namespace {
/// Prints the replacements' texts in place of their expressions.
class ReplacingPrinter : public PrinterHelper {
public:
  explicit ReplacingPrinter(const std::vector<TextReplacement> &Replacements)
      : Replacements(Replacements) {}
  bool handledStmt(Stmt *S, raw_ostream &OS) override {
    for (const TextReplacement &R : Replacements)
      if (R.Node == S) {
        OS << R.Text;
        return true;
      }
    return false;
  }

private:
  const std::vector<TextReplacement> &Replacements;
};
} // namespace

std::string FunctionDifferentiator::text(const Expr *E) {
  return spell(E, Replacements);
}

std::string
FunctionDifferentiator::spell(const Expr *E,
                              const std::vector<TextReplacement> &Replacements) {
  // An expression that starts or ends inside a macro expansion is spelled by
  // the macro's name (`DEN` for `a + b`), whose precedence is not the
  // expression's: such expressions, and those whose replacements are inside
  // expansions, are printed from the AST.
  if (!beginLoc(E).isMacroID() && !E->getEndLoc().isMacroID())
    if (auto T = Source.get(E->getSourceRange(), Replacements))
      return *T;
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  ReplacingPrinter Printer(Replacements);
  E->printPretty(OS, &Printer, Policy);
  return OS.str();
}

std::string FunctionDifferentiator::textOfCached(const Expr *E) {
  std::vector<TextReplacement> Others;
  for (const TextReplacement &R : Replacements)
    if (R.Range != E->getSourceRange())
      Others.push_back(R);
  return spell(E, Others);
}

bool FunctionDifferentiator::referencesActive(const Stmt *S) const {
  if (!S)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    return isActiveVar(dyn_cast<VarDecl>(DRE->getDecl()));
  for (const Stmt *Child : S->children())
    if (referencesActive(Child))
      return true;
  return false;
}

bool FunctionDifferentiator::isActiveExpr(const Expr *E) const {
  if (!E || (NoGrad && !Activity::isTensorCopy(E)))
    return false;
  E = Activity::stripCopies(E);
  // A value of a type adjoint does not model (a class temporary) is active
  // when it is built from active values: where it is used, the
  // differentiator either follows it or reports it.
  if (isDerivativeFree(E->getType()) || Activity::isDetach(E))
    return false;
  if (auto It = ReplayedReads.find(E); It != ReplayedReads.end())
    return !It->second.empty();
  if (isa<CXXThisExpr>(E))
    return ThisObject != nullptr;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
    // A closure carries what it captures.
    llvm::SmallVector<const VarDecl *, 4> Captured;
    if (V && appendCaptures(V->getType(), Captured))
      return llvm::any_of(Captured,
                          [&](const VarDecl *C) { return isActiveVar(C); });
    return isActiveVar(V);
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    if (isActiveExpr(MC->getImplicitObjectArgument()))
      return true;
  for (const Stmt *Child : E->children())
    if (isActiveExpr(dyn_cast_or_null<Expr>(Child)))
      return true;
  return false;
}

void FunctionDifferentiator::accumulate(const std::string &L,
                                        const std::string &Adj, QualType T,
                                        CodeBlock &Out) {
  if (isTensor(T))
    Out.line("::adjoint::derivatives::accumulate(" + L + ", " + Adj + ");");
  else if (isRealStruct(T))
    accumulateStruct(L, Adj, T, Out);
  else
    Out.line(L + " += " + Adj + ";");
}

std::string FunctionDifferentiator::valueOf(const Expr *E) {
  if (const auto *Default = dyn_cast<CXXDefaultArgExpr>(E)) {
    std::string Out;
    llvm::raw_string_ostream OS(Out);
    Default->getExpr()->printPretty(OS, nullptr, Policy);
    return OS.str();
  }
  E = E->IgnoreParens();
  if (!containsCall(E) || ReplayDepth)
    return text(E);
  auto It = CacheNames.find(E);
  if (It != CacheNames.end()) {
    for (Cache &C : PendingCaches)
      if (C.E == E)
        C.Read = true;
    return It->second;
  }
  // Calls are evaluated once, in the forward sweep, and their values kept.
  std::string Name = fresh("_t");
  QualType T = E->getType().getNonReferenceType().getUnqualifiedType();
  declareState(typeName(T), Name, stateInit(T), isPlain(T));
  CacheNames[E] = Name;
  PendingCaches.push_back({E, Name, T});
  Replacements.push_back({E->getSourceRange(), Name, E});
  return Name;
}

std::string FunctionDifferentiator::splitCall(const CallExpr *Call,
                                              const PullbackTarget &Target) {
  std::string Record = fresh("_rec");
  // A split-mode forward function fills its callees' records in place, in
  // its own record (callSplit lays them out by RecordArm).
  if (Request.Mode == DiffMode::Split)
    Prologue.line(Target.Record + " &" + Record + " = _rec." +
                  armPath(RecordArm) + Record + ";");
  else
    Prologue.line(Target.Record + " " + Record + ";");
  State.push_back({Target.Record, Record, true, true, RecordArm, true});
  // The value goes through a cache like any call's; it is taped only if the
  // reverse sweep reads it (valueOf).
  bool Cached = CacheNames.count(Call);
  valueOf(Call);
  for (Cache &C : PendingCaches)
    if (C.E == Call) {
      C.Record = Record;
      C.RecordType = Target.Record;
      C.Forward = Target.Forward;
      C.Read &= Cached;
    }
  return Record;
}

void FunctionDifferentiator::flushCaches(CodeBlock &Forward,
                                         CodeBlock &ReversePrologue) {
  const SourceManager &SM = Ctx.getSourceManager();
  auto Offset = [&](SourceLocation L) {
    return SM.getFileOffset(SM.getExpansionLoc(L));
  };
  // In evaluation order, and inner expressions first so that outer ones can
  // use their cached values. Positions alone cannot tell inner from outer
  // inside a macro expansion (`SUM(0.5, std::tanh(b))`: both are at the
  // expansion), so a cache goes after every cache inside its expression: the
  // more caches contain an expression, the earlier it is computed.
  std::stable_sort(PendingCaches.begin(), PendingCaches.end(),
                   [&](const Cache &A, const Cache &B) {
                     unsigned AE = Offset(A.E->getEndLoc()),
                              BE = Offset(B.E->getEndLoc());
                     if (AE != BE)
                       return AE < BE;
                     return Offset(beginLoc(A.E)) >
                            Offset(beginLoc(B.E));
                   });
  std::vector<unsigned> Enclosing(PendingCaches.size(), 0);
  for (size_t I = 0; I < PendingCaches.size(); ++I)
    for (const Cache &Outer : PendingCaches)
      Enclosing[I] += Outer.E != PendingCaches[I].E &&
                      contains(Outer.E, PendingCaches[I].E);
  std::vector<size_t> Order(PendingCaches.size());
  std::iota(Order.begin(), Order.end(), 0);
  std::stable_sort(Order.begin(), Order.end(), [&](size_t A, size_t B) {
    return Enclosing[A] > Enclosing[B];
  });
  std::vector<Cache> Sorted;
  for (size_t I : Order)
    Sorted.push_back(PendingCaches[I]);
  PendingCaches = std::move(Sorted);
  std::vector<std::string> Pops;
  for (const Cache &C : PendingCaches) {
    if (C.Record.empty()) {
      Forward.line(C.Name + " = " + textOfCached(C.E) + ";");
    } else {
      // The split-mode forward function in place of the callee, with all
      // arguments spelled out (it has no default arguments).
      std::string Line = C.Name + " = " + C.Forward + "(";
      for (const Expr *Arg : cast<CallExpr>(C.E)->arguments())
        Line += (isa<CXXDefaultArgExpr>(Arg) ? valueOf(Arg) : text(Arg)) + ", ";
      Forward.line(Line + C.Record + ");");
      if (needsTape()) {
        UsesTape = true; // records are plain data
        Forward.line("_tape.push(" + C.Record + ");", LineKind::Save);
        Pops.push_back(C.Record + " = _tape.pop<" + C.RecordType + ">();");
      }
    }
    if (needsTape() && C.Read)
      Pops.push_back(C.Name + " = " + saveValue(C.Name, C.T, Forward) + ";");
  }
  for (auto It = Pops.rbegin(); It != Pops.rend(); ++It)
    ReversePrologue.line(*It);
  PendingCaches.clear();
}

std::string FunctionDifferentiator::bind(const std::string &Adj, QualType T,
                                         CodeBlock &Out) {
  if (isSimpleName(Adj))
    return Adj;
  std::string R = fresh("_r");
  Out.line(typeName(T.getNonReferenceType().getUnqualifiedType()) + " " + R +
           " = " + Adj + ";");
  return R;
}

std::string FunctionDifferentiator::adjointPointer(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  // A buffer passed by value (`dot(std::vector<double> a, ...)`) is a copy:
  // its adjoint is the original's.
  if (const auto *Bind = dyn_cast<CXXBindTemporaryExpr>(E))
    E = Bind->getSubExpr();
  if (const auto *Copy = dyn_cast<CXXConstructExpr>(E))
    if (Copy->getNumArgs() == 1 && Copy->getConstructor()->isCopyOrMoveConstructor())
      return adjointPointer(Copy->getArg(0));
  if (isa<CXXThisExpr>(E))
    return ThisObject ? "&" + adjointOf(ThisObject) : "";
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
    if (!isActiveVar(V))
      return "";
    VarInfo &I = info(V);
    if (!I.PointerBase)
      return adjointOf(V);
    // The same offset into the adjoint of the buffer it points into.
    const VarDecl *B = I.PointerBase;
    bool Vector = isRealVector(B->getType());
    std::string Base = info(B).Name + (Vector ? ".data()" : "");
    std::string AdjBase = adjointOf(B) + (Vector ? ".data()" : "");
    return "(" + AdjBase + " + (" + I.Name + " - " + Base + "))";
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    if (MC->getMethodDecl() && MC->getMethodDecl()->getIdentifier() &&
        MC->getMethodDecl()->getName() == "data") {
      std::string Object = adjointPointer(MC->getImplicitObjectArgument());
      return Object.empty() ? "" : Object + ".data()";
    }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    if (BO->getOpcode() == BO_Add || BO->getOpcode() == BO_Sub) {
      bool LeftPointer = BO->getLHS()->getType()->isPointerType() ||
                         BO->getLHS()->getType()->isArrayType();
      const Expr *Ptr = LeftPointer ? BO->getLHS() : BO->getRHS();
      const Expr *Offset = LeftPointer ? BO->getRHS() : BO->getLHS();
      std::string Base = adjointPointer(Ptr);
      if (Base.empty())
        return "";
      return Base + (BO->getOpcode() == BO_Add ? " + " : " - ") +
             paren(text(Offset));
    }
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E))
    if (U->getOpcode() == UO_AddrOf) {
      std::string L = adjointLValue(U->getSubExpr());
      return L.empty() ? "" : "&" + L;
    }
  return "";
}

std::string FunctionDifferentiator::adjointLValue(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (auto It = ReplayedReads.find(E); It != ReplayedReads.end())
    return It->second;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
    return isActiveVar(V) ? adjointOf(V) : "";
  }
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
    std::string Base = adjointPointer(ASE->getBase());
    return Base.empty() ? "" : paren(Base) + "[" + text(ASE->getIdx()) + "]";
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E))
    if (Op->getOperator() == OO_Subscript) {
      std::string Base = adjointPointer(Op->getArg(0));
      return Base.empty() ? ""
                          : paren(Base) + "[" + text(Op->getArg(1)) + "]";
    }
  if (const auto *U = dyn_cast<UnaryOperator>(E))
    if (U->getOpcode() == UO_Deref) {
      if (isa<CXXThisExpr>(U->getSubExpr()->IgnoreParenImpCasts()))
        return ThisObject ? adjointOf(ThisObject) : "";
      std::string Base = adjointPointer(U->getSubExpr());
      return Base.empty() ? "" : "*" + paren(Base);
    }
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return memberAdjoint(ME);
  return "";
}

/// Whether \p E indexes a local array of arrays (`P2 Vt[4][4]`).
static bool nestedArray(const Expr *E) {
  while (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E->IgnoreParenImpCasts()))
    E = ASE->getBase();
  const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  const auto *Array =
      Ref ? Ref->getType()->getAsArrayTypeUnsafe() : nullptr;
  return Array && Array->getElementType()->isArrayType();
}

void FunctionDifferentiator::diffExpr(const Expr *E, const std::string &Adj,
                                      CodeBlock &Out) {
  E = Activity::stripCopies(E);
  if (!isActiveExpr(E))
    return;
  if (auto It = ReplayedReads.find(E); It != ReplayedReads.end())
    return accumulate(It->second, Adj, E->getType(), Out);
  if (diffSelectedElement(E, Adj, Out))
    return;
  if (isa<DeclRefExpr>(E) || isa<ArraySubscriptExpr>(E)) {
    std::string L = adjointLValue(E);
    if (L.empty()) {
      unsupported(E, "this access to differentiated data",
                  nestedArray(E)
                      ? "arrays of arrays are not differentiated; use a flat "
                        "array indexed as 'a[i * n + j]'"
                      : "index a pointer parameter directly, as p[i]");
      return;
    }
    accumulate(L, Adj, E->getType(), Out);
    return;
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
    if (Op->getOperator() == OO_Subscript) {
      std::string L = adjointLValue(E);
      if (L.empty())
        return unsupported(E, "this subscript of differentiated data",
                           "index a std::vector variable directly, as v[i]");
      return accumulate(L, Adj, E->getType(), Out);
    }
    if (Op->getOperator() == OO_Plus && Op->getNumArgs() == 1)
      return diffExpr(Op->getArg(0), Adj, Out);
    std::string Rule = operatorRuleName(Op);
    if (Rule.empty())
      return unsupported(E, "this overloaded operator",
                         "use + - * / or a function with a pullback");
    std::vector<const Expr *> Args(Op->arg_begin(), Op->arg_end());
    return diffCall(Op, Rule, Args, Adj, Out);
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const auto *MD = MC->getMethodDecl();
    // `v.at(i)`, `v.front()`, `v.back()` read an element like `v[i]`: the
    // same element of the adjoint, which has the vector's size.
    if (MD && MD->getIdentifier() &&
        (MD->getName() == "at" || MD->getName() == "front" ||
         MD->getName() == "back") &&
        isRealVector(MC->getImplicitObjectArgument()->getType()) &&
        Ctx.getSourceManager().isInSystemHeader(MD->getLocation())) {
      std::string Object = adjointLValue(MC->getImplicitObjectArgument());
      if (Object.empty())
        return unsupported(E, "this element of differentiated data",
                           "index a std::vector variable directly, as v[i]");
      std::string Args;
      for (const Expr *Arg : MC->arguments())
        Args += (Args.empty() ? "" : ", ") + text(Arg);
      return accumulate(paren(Object) + "." + MD->getNameAsString() + "(" +
                            Args + ")",
                        Adj, E->getType(), Out);
    }
    if (!MD || MD->isVirtual())
      return unsupported(E, "a virtual call", "call a non-virtual function");
    return diffCall(MC, MD->getNameAsString(), pullbackArgs(MC), Adj, Out);
  }
  if (const auto *Cast = dyn_cast<CastExpr>(E)) {
    switch (Cast->getCastKind()) {
    case CK_LValueToRValue:
    case CK_NoOp:
    case CK_FloatingCast:
    case CK_ArrayToPointerDecay:
    case CK_ConstructorConversion: // V3(v), the construction is the operand
      return diffExpr(Cast->getSubExpr(), Adj, Out);
    default:
      unsupported(E, std::string("a '") + Cast->getCastKindName() + "' cast",
                  "convert between float types only");
      return;
    }
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E)) {
    switch (U->getOpcode()) {
    case UO_Plus:
      return diffExpr(U->getSubExpr(), Adj, Out);
    case UO_Minus:
      return diffExpr(U->getSubExpr(), "-" + paren(Adj), Out);
    case UO_Deref: {
      std::string L = adjointLValue(E);
      if (L.empty())
        return unsupported(E, "this dereference", "dereference a parameter");
      return accumulate(L, Adj, E->getType(), Out); // *this is a struct
    }
    default:
      return unsupported(E, "this unary operator inside an expression",
                         "move increments into their own statements");
    }
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    const Expr *L = BO->getLHS(), *R = BO->getRHS();
    bool LA = isActiveExpr(L), RA = isActiveExpr(R);
    std::string A = LA && RA ? bind(Adj, E->getType(), Out) : Adj;
    switch (BO->getOpcode()) {
    case BO_Add:
      diffExpr(L, A, Out);
      diffExpr(R, A, Out);
      return;
    case BO_Sub:
      diffExpr(L, A, Out);
      diffExpr(R, "-" + paren(A), Out);
      return;
    case BO_Mul: {
      // d(v * v) = 2 v dv: one contribution instead of two.
      const auto *LV = dyn_cast<DeclRefExpr>(L->IgnoreParenImpCasts());
      const auto *RV = dyn_cast<DeclRefExpr>(R->IgnoreParenImpCasts());
      if (LA && LV && RV && LV->getDecl() == RV->getDecl()) {
        diffExpr(L, "2 * " + paren(valueOf(R)) + " * " + paren(A), Out);
        return;
      }
      if (LA)
        diffExpr(L, paren(A) + " * " + paren(valueOf(R)), Out);
      if (RA)
        diffExpr(R, paren(valueOf(L)) + " * " + paren(A), Out);
      return;
    }
    case BO_Div: {
      // d(l / r) = (d / r) (dl - (l / r) dr): both terms share d / r. The
      // quotient is the variable the statement assigns it to, if the
      // activity analysis says so, and otherwise divided again.
      std::string Den = paren(valueOf(R));
      const VarDecl *Holder = Act.quotientHolder(BO);
      std::string Quotient = Holder
                                 ? info(Holder).Name
                                 : "(" + paren(valueOf(L)) + " / " + Den + ")";
      // d / r is d * (1 / r) for a reciprocal in a variable.
      std::string Scaled = Holder && isOne(L) ? paren(A) + " * " + Quotient
                                              : paren(A) + " / " + Den;
      if (LA && RA)
        Scaled = bind(Scaled, E->getType(), Out);
      if (LA)
        diffExpr(L, Scaled, Out);
      if (RA)
        diffExpr(R, "-" + paren(Scaled) + " * " + Quotient, Out);
      return;
    }
    case BO_Comma:
      return unsupported(E, "the comma operator", "split the expression");
    default:
      if (BO->isAssignmentOp())
        return unsupported(E, "an assignment inside an expression",
                           "make the assignment a statement of its own");
      return unsupported(E, "this binary operator", "");
    }
  }
  if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
    CodeBlock Then, Else;
    std::string A = bind(Adj, E->getType(), Out);
    ++ConditionalDepth;
    diffExpr(CO->getTrueExpr(), A, Then);
    diffExpr(CO->getFalseExpr(), A, Else);
    --ConditionalDepth;
    std::string Cond = valueOf(CO->getCond());
    if (!Then.empty()) {
      Out.block("if (" + Cond + ")", Then);
      if (!Else.empty())
        Out.block("else", Else);
    } else if (!Else.empty()) {
      Out.block("if (!" + paren(Cond) + ")", Else);
    }
    return;
  }
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    // sin' = cos and cos' = -sin, from a variable that holds them.
    if (const VarDecl *Holder = Act.derivativeHolder(Call)) {
      std::string Partial = paren(Adj) + " * " + info(Holder).Name;
      bool Sine = Call->getBuiltinCallee() == Builtin::BIsin ||
                  Call->getBuiltinCallee() == Builtin::BIsinf;
      return diffExpr(Call->getArg(0), Sine ? Partial : "-(" + Partial + ")",
                      Out);
    }
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee)
      return unsupported(Call, "a call through a function pointer",
                         "call the function directly");
    std::vector<const Expr *> Args(Call->arg_begin(), Call->arg_end());
    return diffCall(Call, Callee->getNameAsString(), Args, Adj, Out);
  }
  if (isa<CXXDefaultArgExpr>(E))
    return diffExpr(cast<CXXDefaultArgExpr>(E)->getExpr(), Adj, Out);
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    std::string L = memberAdjoint(ME);
    if (L.empty() && !ME->isArrow() && isRealStruct(ME->getBase()->getType()))
      return diffMemberOfValue(ME, Adj, Out);
    if (L.empty())
      return unsupported(E, "this member access",
                         "access the fields of a struct variable or "
                         "parameter directly, as 's.a'");
    return accumulate(L, Adj, E->getType(), Out);
  }
  if (const auto *List = dyn_cast<InitListExpr>(E))
    if (isRealStruct(List->getType()))
      return diffStructInit(List, Adj, Out);
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(E))
    return diffConstruct(Construct, Adj, Out);
  unsupported(E, std::string("a '") + E->getStmtClassName() + "' expression",
              "provide a custom pullback for the enclosing function");
}

std::vector<const Expr *> pullbackArgs(const CallExpr *Call) {
  std::vector<const Expr *> Args;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    Args.push_back(MC->getImplicitObjectArgument());
  Args.insert(Args.end(), Call->arg_begin(), Call->arg_end());
  return Args;
}

bool passesObjectFirst(const CallExpr *Call) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  return isa<CXXMemberCallExpr>(Call) ||
         (isa<CXXOperatorCallExpr>(Call) && isa_and_nonnull<CXXMethodDecl>(Callee));
}

std::vector<const Expr *> writtenArgs(const CallExpr *Call) {
  bool ObjectFirst = passesObjectFirst(Call);
  std::vector<const Expr *> Args = pullbackArgs(Call), Written;
  const auto *Method = dyn_cast_or_null<CXXMethodDecl>(Call->getDirectCallee());
  for (unsigned I = 0; I < Args.size(); ++I)
    if (ObjectFirst && I == 0
            ? Method && !leavesObjectUnchanged(Method) && !isAccessor(Method)
            : mayWriteThroughArg(Call, ObjectFirst, I, Args[I]))
      Written.push_back(Args[I]);
  return Written;
}

QualType callParamType(const CallExpr *Call, bool ObjectFirst, unsigned I,
                       const Expr *Arg) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (ObjectFirst && I == 0)
    return Arg->getType(); // the object's "parameter" type is its own
  unsigned ParamIndex = ObjectFirst ? I - 1 : I;
  return Callee && ParamIndex < Callee->getNumParams()
             ? Callee->getParamDecl(ParamIndex)->getType()
             : Arg->getType();
}

RuleArg ruleArgKind(QualType ParamType, const Expr *Arg) {
  if (isa<CXXDefaultArgExpr>(Arg))
    return RuleArg::None;
  if (isRealBuffer(ParamType) || isRealStruct(ParamType))
    return RuleArg::ValueAndAdjoint;
  if (Activity::stripCopies(Arg)->getType()->isIntegerType())
    return RuleArg::Value;
  return isReal(ParamType) || isTensor(ParamType) ? RuleArg::ValueAndAdjoint
                                                  : RuleArg::Value;
}

unsigned ruleArity(const CallExpr *Call, bool TakesResult) {
  std::vector<const Expr *> Args = pullbackArgs(Call);
  bool ObjectFirst = passesObjectFirst(Call);
  // The result, and the upstream gradient when the call has a value with
  // derivatives (diffCall passes one then, a zero for a discarded value).
  const FunctionDecl *Callee = Call->getDirectCallee();
  unsigned Arity =
      TakesResult +
      (!Callee || isDifferentiableResult(Callee->getReturnType()) ? 1 : 0);
  for (unsigned I = 0; I < Args.size(); ++I)
    switch (ruleArgKind(callParamType(Call, ObjectFirst, I, Args[I]), Args[I])) {
    case RuleArg::None:
      break;
    case RuleArg::Value:
      Arity += 1;
      break;
    case RuleArg::ValueAndAdjoint:
      Arity += 2;
      break;
    }
  return Arity;
}

void FunctionDifferentiator::diffCall(const CallExpr *Call,
                                      const std::string &Rule,
                                      ArrayRef<const Expr *> Args,
                                      const std::string &Adj, CodeBlock &Out,
                                      const CodeBlock &AfterCall) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return unsupported(Call, "a call through a function pointer",
                       "call the function directly");
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Callee))
    if (MD->isVirtual())
      return unsupported(Call, "a virtual call", "call a non-virtual function");
  CodeBlock OverlapChecks;
  if (!checkCallAliasing(Call, OverlapChecks))
    return;
  Out.append(OverlapChecks);
  if (diffAlgorithm(Call, Adj, Out, AfterCall))
    return;
  bool ObjectFirst = passesObjectFirst(Call);
  // Buffers passed without a shadow (read-only data such as ADBench's
  // points) get a pullback specialized to leave them alone.
  std::vector<unsigned> ConstBuffers;
  for (unsigned I = ObjectFirst ? 1 : 0; I < Args.size(); ++I) {
    unsigned ParamIndex = ObjectFirst ? I - 1 : I;
    if (ParamIndex < Callee->getNumParams() &&
        isRealBuffer(Callee->getParamDecl(ParamIndex)->getType()) &&
        adjointPointer(Args[I]).empty()) {
      // Only a buffer without derivatives may be passed without a shadow.
      if (isActiveExpr(Args[I]))
        return unsupported(Args[I], "passing this differentiated buffer",
                           "pass the variable, 'v.data()', '&v[i]' or 'x + k'");
      ConstBuffers.push_back(ParamIndex);
    }
    // Likewise structs of constant data (whose members may not even be
    // differentiable uses, such as method calls).
    if (ParamIndex < Callee->getNumParams() &&
        isRealStruct(Callee->getParamDecl(ParamIndex)->getType()) &&
        !isActiveExpr(Args[I]))
      ConstBuffers.push_back(ParamIndex);
  }
  // A split call runs before its statement, which only a call whose value
  // is differentiated and that runs unconditionally may do.
  bool MaySplit = !Adj.empty() && ConditionalDepth == 0;
  // A method called on an object that carries derivatives (a class of
  // reals) gets a pullback taking the object's adjoint.
  const auto *Method = dyn_cast<CXXMethodDecl>(Callee);
  bool ActiveObject = ObjectFirst && Method && Method->isInstance() &&
                      !Method->getParent()->isLambda() && isActiveExpr(Args[0]);
  std::optional<PullbackTarget> Target;
  if (std::optional<std::string> Local = capturingPullbackOf(Call)) {
    if (Local->empty())
      return; // reported where the lambda is declared
    Target = PullbackTarget{*Local, true};
    Target->Member = Target->CapturesByReference = true;
  } else {
    Target = Services.pullbackFor(Callee, Rule, Call, Request.Function,
                                  ConstBuffers, MaySplit, ActiveObject);
  }
  if (!Target)
    return;
  if (const ParmVarDecl *P =
          Target->Generated ? replayedWrite(Callee) : nullptr)
    return unsupported(
        Call,
        "the call to '" + Callee->getNameAsString() + "', which writes '" +
            P->getNameAsString() + "' (an integer of the caller's)",
        "its pullback runs the call again, and would read and write the value "
        "after the call; pass the value and return the update, or provide a "
        "custom pullback (docs/custom-derivatives.md)");
  // A member pullback runs on the call's object, which must then hold no
  // derivatives: it only supplies data members, read as constants.
  std::string Object;
  std::vector<std::string> CapturedArgs;
  if (Target->CapturesByReference) {
    // Defined after the closure; it reads the captured variables itself.
  } else if (!Target->LocalDefinition.empty()) {
    // A lambda's pullback is a local lambda defined first in this generated
    // function; what the lambda captures it receives as leading arguments.
    // Those must not carry derivatives (the pullback has no adjoints for
    // them) and must keep their values, so that it reads what the call read.
    const auto *Closure = cast<CXXMethodDecl>(Callee)->getParent();
    for (const LambdaCapture &C : Closure->captures()) {
      const auto *V = cast<VarDecl>(C.getCapturedVar());
      // A parameter the body never assigns, or a const local of the
      // function's top level, keeps its value.
      bool TopLevelConst =
          V->getType().isConstQualified() &&
          llvm::any_of(TopBlock->body(), [&](const Stmt *S) {
            const auto *DS = dyn_cast<DeclStmt>(S);
            return DS && llvm::is_contained(DS->decls(), V);
          });
      bool Kept = (isa<ParmVarDecl>(V) && !Act.isWritten(V) &&
                   !V->getType()->isReferenceType()) ||
                  TopLevelConst;
      if (isActiveVar(V) || !Kept)
        return unsupported(
            Call,
            "the call of a lambda capturing '" + V->getNameAsString() + "'" +
                (isActiveVar(V) ? ", which carries derivatives"
                                : ", which changes in the function"),
            "pass it to the lambda as a parameter");
      CapturedArgs.push_back(info(V).Name);
    }
    if (DefinedLocally.insert(Target->Callee).second) {
      SmallVector<StringRef, 16> Lines;
      StringRef(Target->LocalDefinition).rtrim('\n').split(Lines, '\n');
      for (StringRef L : Lines)
        Constants.line(L.str());
    }
  } else if (Target->Member) {
    if (ActiveObject && !Target->Generated)
      return unsupported(Call,
                         "the call of '" + Callee->getNameAsString() +
                             "' on a differentiated object",
                         "keep the object's data constant and pass the "
                         "differentiated values as arguments");
    Object = memberAccess(Call);
  }
  // The reverse function of a split call takes the record, not the
  // arguments.
  bool Split = !Target->Record.empty();
  std::vector<std::string> ArgTexts, AdjArgs;
  std::vector<std::pair<const Expr *, std::string>> Propagate;
  CodeBlock Decls;
  std::string Upstream = Adj;
  if (ActiveObject && Target->Member) {
    // The object's adjoint comes first; a temporary's goes on to the
    // values it was built from.
    std::string L = objectAdjoint(Args[0]);
    if (!L.empty() && mentions(Adj, L)) {
      // `_d_return` must not be the object's adjoint, which the pullback
      // adds to.
      Upstream = fresh("_r");
      Decls.line(adjointDecl(Call->getType(), Upstream, Adj));
    }
    if (L.empty()) {
      L = fresh("_r");
      Decls.line(adjointDecl(tagType(Ctx, Method->getParent()), L));
      Propagate.push_back({Args[0], L});
    }
    AdjArgs.push_back(L);
  }
  for (unsigned I = Target->Member && ObjectFirst ? 1 : 0; I < Args.size();
       ++I) {
    const Expr *Arg = Args[I];
    unsigned ParamIndex = ObjectFirst ? I - 1 : I;
    QualType PT = callParamType(Call, ObjectFirst, I, Arg);
    // Rules receive what ruleArgKind says, which their lookup matched by
    // arity: defaulted arguments are left out and integer constants stay
    // integers (pow(t, 2) has no exponent adjoint).
    RuleArg Kind = ruleArgKind(PT, Arg);
    if (!Target->Generated && Kind == RuleArg::None)
      continue;
    bool SpelledInteger = !Target->Generated && Kind == RuleArg::Value;
    if (isRealBuffer(PT)) {
      if (!Split)
        ArgTexts.push_back(text(Arg));
      std::string P = adjointPointer(Arg);
      if (P.empty() && !Target->Generated && referencesActive(Arg))
        return unsupported(Arg,
                           "passing differentiated data that adjoint cannot "
                           "locate to '" + Callee->getNameAsString() + "'",
                           "pass 'x', 'x + k', '&x[k]' or 'v.data()' of an "
                           "array, pointer or std::vector");
      if (P.empty() && !Target->Generated)
        P = "nullptr"; // custom rules see a null shadow for constant data
      if (!P.empty())
        AdjArgs.push_back(P);
      continue;
    }
    if (!Split)
      ArgTexts.push_back(valueOf(Arg));
    if (isRealStruct(PT)) {
      if (Target->Generated && llvm::is_contained(ConstBuffers, ParamIndex))
        continue; // the specialized pullback has no shadow for it
      // A struct's adjoint comes back in a zeroed struct of the same type.
      std::string R = fresh("_r");
      Decls.line(adjointDecl(PT, R));
      AdjArgs.push_back(R);
      if (isActiveExpr(Arg))
        Propagate.push_back({Arg, R});
      continue;
    }
    if ((!isReal(PT) && !isTensor(PT)) || SpelledInteger) {
      if (!SpelledInteger && !isDerivativeFree(PT) && isActiveExpr(Arg))
        return unsupported(
            Arg,
            "passing a differentiated value of type '" +
                typeName(Arg->getType().getUnqualifiedType()) + "' to '" +
                Callee->getNameAsString() + "'",
            "pass float or double values, pointers to them, a std::vector "
            "of them or a struct of doubles (public members, no "
            "user-defined copy)");
      continue;
    }
    if (PT->isLValueReferenceType() && isReal(PT) &&
        !PT.getNonReferenceType().isConstQualified()) {
      // An in-out reference: its adjoint goes in as the output's seed and
      // comes back as the input's gradient.
      std::string L = adjointLValue(Arg);
      if (L.empty()) {
        L = fresh("_r");
        Decls.line(adjointDecl(PT, L));
      }
      AdjArgs.push_back(L);
      continue;
    }
    if (isTensor(PT) && !isActiveExpr(Arg)) {
      AdjArgs.push_back("::adjoint::derivatives::unused()");
      continue;
    }
    // Pullbacks accumulate, so a tensor variable's own adjoint goes straight
    // in instead of through a temporary added to it afterwards; not when the
    // variable is passed twice or its adjoint is the upstream gradient.
    const auto *Ref = isTensor(PT)
                          ? dyn_cast<DeclRefExpr>(Activity::stripCopies(Arg))
                          : nullptr;
    if (Ref && !mentions(Adj, adjointLValue(Ref)) &&
        llvm::count_if(Args, [&](const Expr *A) {
          const auto *Other = dyn_cast<DeclRefExpr>(Activity::stripCopies(A));
          return Other && Other->getDecl() == Ref->getDecl();
        }) == 1) {
      AdjArgs.push_back(adjointLValue(Ref));
      continue;
    }
    std::string R = fresh("_r");
    Decls.line(adjointDecl(PT, R));
    AdjArgs.push_back(R);
    if (isActiveExpr(Arg))
      Propagate.push_back({Arg, R});
  }
  if (Split)
    ArgTexts.push_back(splitCall(Call, *Target));
  Out.append(Decls);
  ArgTexts.insert(ArgTexts.begin(), CapturedArgs.begin(), CapturedArgs.end());
  std::string Line = Object + Target->Callee + "(";
  bool First = true;
  auto Add = [&](const std::string &S) {
    Line += (First ? "" : ", ") + S;
    First = false;
  };
  for (const std::string &A : ArgTexts)
    Add(A);
  if (Target->TakesResult)
    Add(valueOf(Call));
  if (!Upstream.empty())
    Add(Upstream);
  else if (isDifferentiableResult(Callee->getReturnType()) ||
           (Target->Generated && isRealStruct(Callee->getReturnType())))
    Add(zeroOf(Callee->getReturnType())); // a discarded result
  for (const std::string &A : AdjArgs)
    Add(A);
  Out.line(Line + ");");
  Out.append(AfterCall);
  // A tensor temporary added to a variable's adjoint is read only there, so
  // it can move into an undefined adjoint instead of being copied.
  for (auto &[Arg, R] : Propagate)
    diffExpr(Arg,
             isTensor(Arg->getType()) &&
                     isa<DeclRefExpr>(Activity::stripCopies(Arg))
                 ? "std::move(" + R + ")"
                 : R,
             Out);
}

std::string FunctionDifferentiator::memberAccess(const CallExpr *Call) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
    const auto *ME = dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens());
    if (!ME || ME->isImplicitAccess())
      return ""; // a member of this object, called from a member
    return paren(text(ME->getBase())) + (ME->isArrow() ? "->" : ".");
  }
  return paren(text(Call->getArg(0))) + ".";
}

/// The parameter through which running \p Callee's body again, as its
/// generated pullback does, would write the caller's integers (or bools or
/// enums) a second time: a non-const reference or pointer to one that the
/// body writes or passes on to a call. Null when there is none.
const ParmVarDecl *
FunctionDifferentiator::replayedWrite(const FunctionDecl *Callee) {
  const FunctionDecl *Def = nullptr;
  if (!Callee->hasBody(Def))
    return nullptr;
  for (const ParmVarDecl *P : Def->parameters()) {
    QualType T = P->getType();
    if (!T->isReferenceType() && !T->isPointerType())
      continue;
    QualType Pointee = T->getPointeeType();
    if (Pointee.isConstQualified() || !Pointee->isIntegralOrEnumerationType())
      continue;
    bool Written = StableVariables::mayWrite(Def->getBody(), P);
    forEachStmt(Def->getBody(), [&](const Stmt *S) {
      if (const auto *Call = dyn_cast<CallExpr>(S))
        for (const Expr *Arg : Call->arguments())
          if (const auto *Ref =
                  dyn_cast<DeclRefExpr>(Arg->IgnoreParenImpCasts()))
            Written |= Ref->getDecl() == P;
    });
    if (Written)
      return P;
  }
  return nullptr;
}

} // namespace adjoint
