//===- TangentFunction.cpp - The pushforward of one function --------------===//
//
// Rewrites a function's body statement by statement. Before each statement
// that changes a real, the statement computing its tangent from the values
// and tangents before the change: `_t_s += _t_x * y + x * _t_y; s += x * y;`.
// A call of a user function becomes one call of its pushforward, whose Dual
// result is kept in a temporary before the statement; a library call's
// tangent is the sum of its rule's partials (the reverse rule called with
// seed 1) times its arguments' tangents. A tensor operation's value and
// tangent are kept in temporaries before the statement, the tangent from the
// operation's forward rule (`NAME_pushforward`, adjoint/tensor_derivatives.h);
// a tensor without a tangent (data) has an undefined one, which rules take as
// zero without work. Whatever is not handled is an error naming the
// construct: a tangent is never silently wrong.
//
//===----------------------------------------------------------------------===//

#include "Tangent.h"

#include "ClangCompat.h"
#include "CountedLoop.h"
#include "DiffRequest.h"
#include "SourceText.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/OperatorKinds.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"

#include <map>
#include <set>

using namespace clang;

namespace adjoint {

std::string pushforwardName(const FunctionDecl *FD) {
  if (FD->getOverloadedOperator() == OO_Call)
    return "call_operator_pushforward";
  return FD->getNameAsString() + "_pushforward";
}

namespace {

/// Whether \p T is a pointer to reals (one level).
bool isRealPtr(QualType T) {
  return T->isPointerType() && isReal(T->getPointeeType()) &&
         !T->getPointeeType()->isPointerType();
}

/// Whether \p T is a (possibly multi-dimensional) constant array of reals.
bool isRealArray(QualType T) {
  const auto *AT = dyn_cast<ConstantArrayType>(T.getCanonicalType());
  if (!AT)
    return false;
  QualType E = AT->getElementType();
  return isReal(E) || isRealArray(E);
}

/// Whether \p FD is a library function (standard library or adjoint's own).
bool isLibrary(const SourceManager &SM, const FunctionDecl *FD) {
  if (FD->getBuiltinID() || SM.isInSystemHeader(FD->getLocation()))
    return true;
  for (const DeclContext *DC = FD->getDeclContext(); DC; DC = DC->getParent())
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC))
      if (NS->getName() == "adjoint")
        return true;
  return false;
}

class TangentFunction {
public:
  TangentFunction(ASTContext &Ctx, DiagnosticSink &Diags,
                  TangentServices &Services, const FunctionDecl *FD)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Diags(Diags),
        Services(Services), FD(FD), Text(SM, Ctx.getLangOpts()) {}

  std::optional<std::string> run();

private:
  // Expressions.
  std::string primal(const Expr *E);
  std::string tangent(const Expr *E);
  std::string tangentLValue(const Expr *E);
  std::string tangentPointer(const Expr *E);
  std::string libraryTangent(const CallExpr *Call, const std::string &Rule);
  /// A library call's argument: a real one as an _S, so that templates such
  /// as std::max(x, 0.0) deduce one type when _S is a Dual.
  std::string realArgument(const clang::CallExpr *Call, const Expr *Arg);
  /// The Dual expression of a user call (a temporary, or the call itself
  /// where it may not run unconditionally).
  std::string userCall(const CallExpr *Call);
  std::string pushforwardCall(const CallExpr *Call);
  /// The Dual temporary of a ?: with user calls in a branch, or empty.
  std::string conditionalTemp(const ConditionalOperator *C);
  bool hasUserCall(const Stmt *S);
  bool hasReal(const Stmt *S);
  /// Whether \p Call calls a method of a user's class (`c.eval(x)`,
  /// `functor(x)`), whose pushforward is a member of that class.
  bool isUserMethodCall(const CallExpr *Call);
  /// Whether \p Call is an operation on tensors with a tensor or real
  /// result (matmul(a, b), a + b, x.sum(), x.item()) of the library or with
  /// a user's rules.
  bool isTensorCall(const CallExpr *Call);
  /// The value and tangent temporaries of the tensor operation \p Call
  /// (the tangent empty when no argument has one).
  struct TensorValue {
    std::string Value, Tangent;
  };
  TensorValue tensorCall(const CallExpr *Call);
  /// The tangent of the tensor expression \p E, or empty for none.
  std::string tensorTangent(const Expr *E);
  /// A tensor assignment `z = e` to a local with a tangent.
  void tensorAssign(const CXXOperatorCallExpr *Assign);

  // Statements.
  void stmt(const Stmt *S);
  /// \p S as a braced block.
  void block(const Stmt *S);
  void exprStmt(const Expr *E);
  void rangeFor(const CXXForRangeStmt *Loop);
  void declStmt(const DeclStmt *DS);
  std::string loopHeaderPart(const Stmt *S);
  void line(const std::string &L);
  void flush();

  std::string unsupported(const Stmt *S, const std::string &What);
  std::string source(const Stmt *S);
  std::string typeName(QualType T);

  ASTContext &Ctx;
  const SourceManager &SM;
  DiagnosticSink &Diags;
  TangentServices &Services;
  const FunctionDecl *FD;
  SourceText Text;
  bool Failed = false;
  /// Variables with a tangent `_t_NAME`.
  std::set<const ValueDecl *> Tangents;
  /// Names of parameters (`_pN` for unnamed ones).
  std::map<const ParmVarDecl *, std::string> ParamNames;
  /// Lines run before the current statement (user calls' pushforwards).
  std::vector<std::string> Pending;
  /// Temporaries of user calls and of ?: with user calls in their branches.
  std::map<const Expr *, std::string> Hoisted;
  /// Library calls kept as the Dual {value, partial} of their
  /// `NAME_value_and_partial` rule (`_v0`), whose tangent is the partial
  /// times the argument's.
  std::map<const CallExpr *, std::string> WithPartial;
  /// Tangent temporaries of tensor operations (empty: none).
  std::map<const CallExpr *, std::string> TensorTangents;
  /// The rule `adjoint::derivatives::NAME_value_and_partial` of a library
  /// call of a one-argument function, or empty.
  std::string valuePartialRule(const CallExpr *Call);
  /// Inside a condition, a branch of ?: or an operand of && and ||: calls
  /// are not hoisted, as they might not run.
  unsigned Conditional = 0;
  unsigned Temporaries = 0;
  unsigned Depth = 1;
  std::string Body;
};

std::string TangentFunction::valuePartialRule(const CallExpr *Call) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->getIdentifier() || Call->getNumArgs() != 1 ||
      !isLibrary(SM, Callee) || !isReal(Call->getType()) ||
      !isReal(Call->getArg(0)->getType()))
    return "";
  const DeclContext *DC = Ctx.getTranslationUnitDecl();
  for (const char *Part : {"adjoint", "derivatives"}) {
    auto Found = DC->lookup(&Ctx.Idents.get(Part));
    const auto *NS =
        Found.empty() ? nullptr : dyn_cast<NamespaceDecl>(*Found.begin());
    if (!NS)
      return "";
    DC = NS;
  }
  std::string Name = Callee->getName().str() + "_value_and_partial";
  for (const NamedDecl *D :
       DC->getPrimaryContext()->lookup(&Ctx.Idents.get(Name)))
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
      if (FT->getTemplatedDecl()->getNumParams() == 1)
        return "::adjoint::derivatives::" + Name;
  return "";
}

std::string TangentFunction::unsupported(const Stmt *S, const std::string &What) {
  Diags.error(beginLoc(S),
              "adjoint: forward mode (ADJOINT_JVP/ADJOINT_HESSIAN) does not "
              "support " +
                  What + " yet (in '" + FD->getNameAsString() + "')");
  Failed = true;
  return "0";
}

std::string TangentFunction::source(const Stmt *S) {
  if (std::optional<std::string> T = Text.get(S->getSourceRange()))
    return *T;
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  S->printPretty(OS, nullptr, Ctx.getPrintingPolicy());
  return OS.str();
}

std::string TangentFunction::typeName(QualType T) {
  PrintingPolicy Policy = Ctx.getPrintingPolicy();
  Policy.SuppressTagKeyword = true;
  return T.getAsString(Policy);
}

/// Whether \p S changes a variable (++, --, an assignment) below its top:
/// a statement with a tangent evaluates parts of its expression twice.
bool hasInnerSideEffect(const Stmt *S) {
  for (const Stmt *Child : S->children()) {
    if (!Child)
      continue;
    if (const auto *U = dyn_cast<UnaryOperator>(Child);
        U && U->isIncrementDecrementOp())
      return true;
    if (const auto *B = dyn_cast<BinaryOperator>(Child);
        B && B->isAssignmentOp())
      return true;
    if (hasInnerSideEffect(Child))
      return true;
  }
  return false;
}

bool TangentFunction::hasReal(const Stmt *S) {
  if (!S)
    return false;
  if (const auto *E = dyn_cast<Expr>(S)) {
    QualType T = E->getType();
    if (isReal(T) || isRealPtr(T) || isRealArray(T) || isTensor(T))
      return true;
    if (const auto *Call = dyn_cast<CallExpr>(E))
      if (const FunctionDecl *Callee = Call->getDirectCallee())
        if (!isLibrary(SM, Callee))
          return true;
  }
  for (const Stmt *Child : S->children())
    if (hasReal(Child))
      return true;
  return false;
}

// ----- Expressions ---------------------------------------------------------

std::string TangentFunction::primal(const Expr *E) {
  if (!hasReal(E))
    return source(E);
  if (const auto *P = dyn_cast<ParenExpr>(E))
    return "(" + primal(P->getSubExpr()) + ")";
  if (const auto *C = dyn_cast<ImplicitCastExpr>(E))
    return primal(C->getSubExpr());
  if (const auto *C = dyn_cast<FullExpr>(E))
    return primal(C->getSubExpr());
  if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
    return primal(M->getSubExpr());
  if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
    return primal(B->getSubExpr());
  if (const auto *C = dyn_cast<CXXConstructExpr>(E);
      C && isTensor(C->getType()) && C->getNumArgs() == 1)
    return primal(C->getArg(0)); // a copy of a tensor handle
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    if (isTensorCall(Call))
      return tensorCall(Call).Value;
    const FunctionDecl *Callee = Call->getDirectCallee();
    // What a tensor's size, shape or element count is has no tangent.
    if (Callee && isLibrary(SM, Callee) && isDerivativeFree(Call->getType()) &&
        !isTensor(Call->getType()) && !hasUserCall(Call))
      return source(E);
  }
  if (const auto *C = dyn_cast<ExplicitCastExpr>(E)) {
    QualType To = C->getType();
    if (isReal(To))
      return "_S(" + primal(C->getSubExpr()) + ")";
    if (To->isIntegerType() || To->isBooleanType())
      return "static_cast<" + typeName(To) + ">(" + primal(C->getSubExpr()) +
             ")";
    return unsupported(E, "a cast to '" + typeName(To) + "'");
  }
  if (const auto *B = dyn_cast<BinaryOperator>(E)) {
    if (B->isAssignmentOp() || B->getOpcode() == BO_Comma)
      return unsupported(E, "an assignment or comma inside an expression");
    bool Logical = B->isLogicalOp();
    std::string L = primal(B->getLHS());
    Conditional += Logical;
    std::string R = primal(B->getRHS());
    Conditional -= Logical;
    return L + " " + B->getOpcodeStr().str() + " " + R;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E)) {
    // &p[k] as p + k: the same pointer, and valid for f_hvp's views, whose
    // elements are values.
    if (const auto *A = dyn_cast<ArraySubscriptExpr>(
            U->getSubExpr()->IgnoreParens());
        A && U->getOpcode() == UO_AddrOf)
      return "(" + primal(A->getBase()) + " + " + primal(A->getIdx()) + ")";
    if (U->isIncrementDecrementOp() && isReal(U->getType()))
      return unsupported(E, "++ or -- of a real inside an expression");
    std::string Op = UnaryOperator::getOpcodeStr(U->getOpcode()).str();
    std::string Sub = primal(U->getSubExpr());
    return U->isPostfix() ? Sub + Op : Op + Sub;
  }
  if (const auto *C = dyn_cast<ConditionalOperator>(E)) {
    if (std::string Temp = conditionalTemp(C); !Temp.empty())
      return Temp + ".value";
    std::string Cond = primal(C->getCond());
    ++Conditional;
    std::string A = primal(C->getTrueExpr()), B = primal(C->getFalseExpr());
    --Conditional;
    return Cond + " ? " + A + " : " + B;
  }
  if (const auto *A = dyn_cast<ArraySubscriptExpr>(E))
    return primal(A->getBase()) + "[" + primal(A->getIdx()) + "]";
  if (isa<DeclRefExpr>(E) || isa<FloatingLiteral>(E) ||
      isa<IntegerLiteral>(E))
    return source(E);
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    if (isUserMethodCall(Call)) {
      if (!isReal(Call->getType()) && !isTensor(Call->getType()))
        return unsupported(E, "calls of member functions returning '" +
                                  typeName(Call->getType()) +
                                  "' inside expressions");
      return userCall(Call) + ".value";
    }
    if (isa<CXXMemberCallExpr>(Call) || isa<CXXOperatorCallExpr>(Call))
      return unsupported(E, "member function and operator calls of library "
                            "classes, lambdas, virtual methods or classes "
                            "with real members");
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee)
      return unsupported(E, "calls through function pointers");
    if (isLibrary(SM, Callee) || !Services.ruleFor(Call).empty()) {
      auto Known = Hoisted.find(Call);
      if (Known != Hoisted.end())
        return Known->second;
      std::string Args;
      for (const Expr *Arg : Call->arguments()) {
        if (isa<CXXDefaultArgExpr>(Arg))
          continue;
        QualType PT = Arg->getType();
        if (isRealPtr(PT) && !PT->getPointeeType().isConstQualified())
          return unsupported(Arg, "library calls that write through a "
                                  "pointer to reals ('" +
                                      Callee->getNameAsString() + "')");
        Args += (Args.empty() ? "" : ", ") + realArgument(Call, Arg);
      }
      std::string Text = source(Call->getCallee()) + "(" + Args + ")";
      if (Conditional || !isReal(Call->getType()))
        return Text;
      // One evaluation for the value and the partial (sin and cos from one
      // sincos) rather than the function and then its pullback.
      if (std::string Rule = valuePartialRule(Call); !Rule.empty()) {
        std::string Temp = "_v" + std::to_string(Temporaries++);
        Pending.push_back("const auto " + Temp + " = " + Rule + "(" + Args +
                          ");");
        WithPartial[Call] = Temp;
        return Hoisted[Call] = "_S(" + Temp + ".value)";
      }
      // Kept in a temporary: the tangent reads the value too.
      std::string Temp = "_v" + std::to_string(Temporaries++);
      Pending.push_back("_S " + Temp + " = " + Text + ";");
      return Hoisted[Call] = Temp;
    }
    if (!isReal(Call->getType()) && !isTensor(Call->getType()))
      return unsupported(E, "calls of user functions returning '" +
                                typeName(Call->getType()) +
                                "' inside expressions");
    return userCall(Call) + ".value";
  }
  return unsupported(E, std::string("the expression '") + E->getStmtClassName() +
                            "' on reals");
}

std::string TangentFunction::tangent(const Expr *E) {
  if (isTensor(E->getType()))
    return tensorTangent(E);
  if (!isReal(E->getType()))
    return "";
  if (const auto *P = dyn_cast<ParenExpr>(E)) {
    std::string T = tangent(P->getSubExpr());
    return T.empty() ? "" : "(" + T + ")";
  }
  if (const auto *C = dyn_cast<CastExpr>(E)) {
    const Expr *Sub = C->getSubExpr();
    if (isa<ImplicitCastExpr>(C) &&
        C->getCastKind() == CK_LValueToRValue)
      return tangent(Sub);
    return isReal(Sub->getType()) ? tangent(Sub) : "";
  }
  if (const auto *C = dyn_cast<FullExpr>(E))
    return tangent(C->getSubExpr());
  if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
    return tangent(M->getSubExpr());
  if (isa<FloatingLiteral>(E) || isa<IntegerLiteral>(E))
    return "";
  if (isa<DeclRefExpr>(E) || isa<ArraySubscriptExpr>(E))
    return tangentLValue(E);
  if (const auto *U = dyn_cast<UnaryOperator>(E)) {
    switch (U->getOpcode()) {
    case UO_Deref:
      return tangentLValue(E);
    case UO_Plus:
      return tangent(U->getSubExpr());
    case UO_Minus: {
      std::string T = tangent(U->getSubExpr());
      return T.empty() ? "" : "-(" + T + ")";
    }
    default:
      return unsupported(E, "'" +
                                UnaryOperator::getOpcodeStr(U->getOpcode())
                                    .str() +
                                "' on a real inside an expression");
    }
  }
  if (const auto *B = dyn_cast<BinaryOperator>(E)) {
    const Expr *L = B->getLHS(), *R = B->getRHS();
    switch (B->getOpcode()) {
    case BO_Add:
    case BO_Sub: {
      std::string TL = tangent(L), TR = tangent(R);
      std::string Op = B->getOpcode() == BO_Add ? " + " : " - ";
      if (TR.empty())
        return TL;
      if (TL.empty())
        return B->getOpcode() == BO_Add ? TR : "-(" + TR + ")";
      return "(" + TL + Op + TR + ")";
    }
    case BO_Mul: {
      std::string TL = tangent(L), TR = tangent(R);
      std::string A = TL.empty() ? "" : TL + " * (" + primal(R) + ")";
      std::string C = TR.empty() ? "" : "(" + primal(L) + ") * " + TR;
      if (A.empty() || C.empty())
        return A.empty() ? C : A;
      return "(" + A + " + " + C + ")";
    }
    case BO_Div: {
      std::string TL = tangent(L), TR = tangent(R);
      if (TL.empty() && TR.empty())
        return "";
      std::string PR = primal(R);
      if (TR.empty())
        return "(" + TL + " / (" + PR + "))";
      std::string Num = "(" + primal(L) + ") / (" + PR + ") * " + TR;
      return "((" + (TL.empty() ? "-" + Num : TL + " - " + Num) + ") / (" +
             PR + "))";
    }
    default:
      return unsupported(E, "'" + B->getOpcodeStr().str() +
                                "' on reals inside an expression");
    }
  }
  if (const auto *C = dyn_cast<ConditionalOperator>(E)) {
    if (std::string Temp = conditionalTemp(C); !Temp.empty())
      return Temp + ".tangent";
    ++Conditional;
    std::string A = tangent(C->getTrueExpr()), B = tangent(C->getFalseExpr());
    --Conditional;
    if (A.empty() && B.empty())
      return "";
    return "(" + primal(C->getCond()) + " ? _S(" + (A.empty() ? "0" : A) +
           ") : _S(" + (B.empty() ? "0" : B) + "))";
  }
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    if (isTensorCall(Call))
      return tensorCall(Call).Tangent;
    if (isUserMethodCall(Call))
      return userCall(Call) + ".tangent";
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || isa<CXXMemberCallExpr>(Call) ||
        isa<CXXOperatorCallExpr>(Call))
      return unsupported(E, "calls other than of free functions and "
                            "methods of user classes");
    std::string Rule = Services.ruleFor(Call);
    if (!Rule.empty())
      return libraryTangent(Call, Rule);
    if (isLibrary(SM, Callee)) {
      bool RealArgument = false;
      for (const Expr *Arg : Call->arguments())
        RealArgument |= isReal(Arg->getType()) || isRealPtr(Arg->getType());
      if (!RealArgument)
        return "";
      return unsupported(E, "the library function '" +
                                Callee->getQualifiedNameAsString() +
                                "', which has no derivative rule (add '" +
                                Callee->getNameAsString() +
                                "_pullback', see docs/custom-derivatives.md)");
    }
    return userCall(Call) + ".tangent";
  }
  return unsupported(E, std::string("the expression '") + E->getStmtClassName() +
                            "' on reals");
}

std::string TangentFunction::tangentLValue(const Expr *E) {
  E = E->IgnoreParens();
  if (const auto *DR = dyn_cast<DeclRefExpr>(E)) {
    const ValueDecl *D = DR->getDecl();
    if (!Tangents.count(D))
      return "";
    if (const auto *P = dyn_cast<ParmVarDecl>(D))
      return "_t_" + ParamNames[P];
    return "_t_" + D->getNameAsString();
  }
  if (const auto *A = dyn_cast<ArraySubscriptExpr>(E)) {
    std::string Base = tangentPointer(A->getBase());
    return Base.empty() ? "" : Base + "[" + primal(A->getIdx()) + "]";
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E))
    if (U->getOpcode() == UO_Deref) {
      std::string Base = tangentPointer(U->getSubExpr());
      return Base.empty() ? "" : "(*" + Base + ")";
    }
  if (const auto *C = dyn_cast<ImplicitCastExpr>(E))
    return tangentLValue(C->getSubExpr());
  return unsupported(E, std::string("the real-valued '") +
                            E->getStmtClassName() + "'");
}

std::string TangentFunction::tangentPointer(const Expr *E) {
  E = E->IgnoreParens();
  if (const auto *C = dyn_cast<ImplicitCastExpr>(E)) {
    if (C->getCastKind() == CK_ArrayToPointerDecay)
      return tangentLValue(C->getSubExpr());
    return tangentPointer(C->getSubExpr());
  }
  if (isa<DeclRefExpr>(E))
    return tangentLValue(E);
  if (const auto *B = dyn_cast<BinaryOperator>(E)) {
    if (B->getOpcode() == BO_Add || B->getOpcode() == BO_Sub) {
      bool LeftPointer = B->getLHS()->getType()->isPointerType();
      const Expr *Ptr = LeftPointer ? B->getLHS() : B->getRHS();
      const Expr *Offset = LeftPointer ? B->getRHS() : B->getLHS();
      std::string T = tangentPointer(Ptr);
      return T.empty() ? "" : "(" + T + " " + B->getOpcodeStr().str() + " " +
                                  primal(Offset) + ")";
    }
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E))
    if (U->getOpcode() == UO_AddrOf) {
      if (const auto *A =
              dyn_cast<ArraySubscriptExpr>(U->getSubExpr()->IgnoreParens())) {
        std::string T = tangentPointer(A->getBase());
        return T.empty() ? "" : "(" + T + " + " + primal(A->getIdx()) + ")";
      }
      std::string T = tangentLValue(U->getSubExpr());
      return T.empty() ? "" : "&" + T;
    }
  if (isa<ArraySubscriptExpr>(E)) // a row of a multi-dimensional array
    return tangentLValue(E);
  return unsupported(E, std::string("the pointer expression '") +
                            E->getStmtClassName() + "'");
}

std::string TangentFunction::realArgument(const CallExpr *Call,
                                          const Expr *Arg) {
  std::string P = primal(Arg);
  unsigned Reals = 0;
  for (const Expr *A : Call->arguments())
    Reals += isReal(A->getType());
  // A single real argument cannot disagree with another.
  return isReal(Arg->getType()) && Reals > 1 ? "_S(" + P + ")" : P;
}

std::string TangentFunction::libraryTangent(const CallExpr *Call,
                                            const std::string &Rule) {
  if (auto Kept = WithPartial.find(Call); Kept != WithPartial.end()) {
    std::string T = tangent(Call->getArg(0));
    return T.empty() ? "" : "_S(" + Kept->second + ".tangent * (" + T + "))";
  }
  std::string Values, Partials, Declared, Sum;
  unsigned N = 0;
  // The value, when kept in a temporary, saves the rule evaluating the
  // function again (exp's partial is its value).
  std::string Value;
  std::string ResultRule = Services.resultRuleFor(Call);
  if (!ResultRule.empty() && !Conditional) {
    Value = primal(Call);
    if (Value.rfind("_v", 0) != 0)
      Value.clear();
  }
  for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
    const Expr *Arg = Call->getArg(I);
    QualType PT = callParamType(Call, false, I, Arg);
    RuleArg Kind = ruleArgKind(PT, Arg);
    if (Kind == RuleArg::None)
      continue;
    Values += realArgument(Call, Arg) + ", ";
    if (Kind != RuleArg::ValueAndAdjoint)
      continue;
    if (!isReal(PT))
      return unsupported(Arg, "the rule '" + Rule +
                                  "' for an argument that is not a scalar");
    std::string P = "_p" + std::to_string(N++);
    Declared += (Declared.empty() ? "_S " : ", ") + P + " = 0";
    Partials += ", " + P;
    std::string T = tangent(Arg);
    if (!T.empty())
      Sum += (Sum.empty() ? "" : " + ") + P + " * (" + T + ")";
  }
  if (Sum.empty())
    return "";
  if (!Value.empty())
    return "[&] { " + Declared + "; " + ResultRule + "(" + Values + Value +
           ", _S(1)" + Partials + "); return _S(" + Sum + "); }()";
  return "[&] { " + Declared + "; " + Rule + "(" + Values + "_S(1)" +
         Partials + "); return _S(" + Sum + "); }()";
}

bool TangentFunction::isTensorCall(const CallExpr *Call) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  // A user's tensor op with rules beside it is one too.
  if (!Callee || (!isLibrary(SM, Callee) && Services.ruleFor(Call).empty() &&
                  Services.tensorRuleFor(Call).empty()))
    return false;
  QualType R = Call->getType();
  if (isTensor(R))
    return true;
  return isReal(R) && llvm::any_of(pullbackArgs(Call), [](const Expr *A) {
           return isTensor(A->getType());
         });
}

/// The name of \p Call's rules: add for a + b, sum for x.sum().
static std::string tensorOperationName(const CallExpr *Call) {
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call))
    return operatorRuleName(Op);
  const FunctionDecl *Callee = Call->getDirectCallee();
  return Callee ? Callee->getNameAsString() : "";
}

TangentFunction::TensorValue TangentFunction::tensorCall(const CallExpr *Call) {
  if (auto Known = Hoisted.find(Call); Known != Hoisted.end())
    return {Known->second, TensorTangents[Call]};
  if (Conditional) {
    unsupported(Call, "tensor operations inside a condition or a branch of "
                      "?:, && or ||");
    return {"0", ""};
  }
  std::string Name = tensorOperationName(Call);
  const auto *Member = dyn_cast<CXXMemberCallExpr>(Call);
  if (Member)
    if (const auto *ME =
            dyn_cast<MemberExpr>(Member->getCallee()->IgnoreParens());
        ME && ME->isArrow()) {
      unsupported(Call, "tensor methods called through a pointer");
      return {"0", ""};
    }
  // The operation itself, its arguments spelled by their values (kept in
  // temporaries where they are operations too); defaulted ones left out.
  std::vector<const Expr *> Args = pullbackArgs(Call);
  std::vector<std::string> Values;
  for (const Expr *Arg : Args)
    Values.push_back(isa<CXXDefaultArgExpr>(Arg) ? "" : primal(Arg));
  auto Join = [&](size_t From) {
    std::string Out;
    for (size_t I = From; I < Args.size(); ++I)
      if (!isa<CXXDefaultArgExpr>(Args[I]))
        Out += (Out.empty() ? "" : ", ") + Values[I];
    return Out;
  };
  std::string Text;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call)) {
    std::string Spelling = getOperatorSpelling(Op->getOperator());
    Text = Args.size() == 1
               ? Spelling + "(" + Values[0] + ")"
               : "(" + Values[0] + ") " + Spelling + " (" + Values[1] + ")";
  } else if (Member) {
    Text = "(" + Values[0] + ")." + Name + "(" + Join(1) + ")";
  } else {
    Text = source(Call->getCallee()) + "(" + Join(0) + ")";
  }
  bool TensorResult = isTensor(Call->getType());
  std::string Value = "_v" + std::to_string(Temporaries++);
  Pending.push_back(
      TensorResult ? "const ::adjoint::Tensor " + Value + " = " + Text + ";"
                   : "const _S " + Value + " = _S(" + Text + ");");
  // Its tangent, from the forward rule, when an argument has one.
  bool ObjectFirst = passesObjectFirst(Call);
  std::string RuleArgs, TangentArgs;
  bool AnyTangent = false;
  for (unsigned I = 0; I < Args.size(); ++I) {
    const Expr *Arg = Args[I];
    QualType PT = callParamType(Call, ObjectFirst, I, Arg);
    RuleArg Kind = ruleArgKind(PT, Arg);
    if (Kind == RuleArg::None)
      continue;
    RuleArgs += Values[I] + ", ";
    if (Kind != RuleArg::ValueAndAdjoint)
      continue;
    std::string T;
    if (isTensor(PT)) {
      T = tensorTangent(Arg);
      TangentArgs += ", " + (T.empty() ? "::adjoint::Tensor()" : T);
    } else if (isReal(PT)) {
      T = tangent(Arg);
      TangentArgs += ", " + (T.empty() ? "0.0" : "double(" + T + ")");
    } else if (hasReal(Arg)) {
      unsupported(Arg, "passing a '" + typeName(PT) +
                           "' to the tensor "
                           "operation '" +
                           Name + "'");
    }
    AnyTangent |= !T.empty();
  }
  std::string Tangent;
  if (AnyTangent) {
    std::string Rule = Services.tensorRuleFor(Call);
    if (!Rule.empty()) {
      Tangent = "_t" + Value;
      std::string RuleCall = Rule + "(" + RuleArgs + Value + TangentArgs + ")";
      Pending.push_back(
          TensorResult
              ? "const ::adjoint::Tensor " + Tangent + " = " + RuleCall + ";"
              : "const _S " + Tangent + " = _S(" + RuleCall + ");");
    } else if (!endsWith(Name, "_like")) { // zeros_like(x) is a constant
      unsupported(Call, "the tensor operation '" + Name +
                            "', which has no forward rule (add '" + Name +
                            "_pushforward' beside its pullback, see "
                            "docs/custom-derivatives.md)");
    }
  }
  Hoisted[Call] = Value;
  TensorTangents[Call] = Tangent;
  return {Value, Tangent};
}

std::string TangentFunction::tensorTangent(const Expr *E) {
  E = E->IgnoreParens();
  if (const auto *C = dyn_cast<ImplicitCastExpr>(E))
    return tensorTangent(C->getSubExpr());
  if (const auto *C = dyn_cast<FullExpr>(E))
    return tensorTangent(C->getSubExpr());
  if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
    return tensorTangent(M->getSubExpr());
  if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
    return tensorTangent(B->getSubExpr());
  if (const auto *C = dyn_cast<CXXConstructExpr>(E)) {
    if (C->getNumArgs() == 0)
      return "";
    if (C->getNumArgs() == 1 && isTensor(C->getArg(0)->getType()))
      return tensorTangent(C->getArg(0));
  }
  if (isa<DeclRefExpr>(E))
    return tangentLValue(E);
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    if (isTensorCall(Call))
      return tensorCall(Call).Tangent;
    const FunctionDecl *Callee = Call->getDirectCallee();
    if ((Callee && !isLibrary(SM, Callee) && !isa<CXXMemberCallExpr>(Call) &&
         !isa<CXXOperatorCallExpr>(Call)) ||
        isUserMethodCall(Call))
      return userCall(Call) + ".tangent";
  }
  return unsupported(E, std::string("the tensor expression '") +
                            E->getStmtClassName() + "'");
}

void TangentFunction::tensorAssign(const CXXOperatorCallExpr *Assign) {
  const auto *Target =
      dyn_cast<DeclRefExpr>(Assign->getArg(0)->IgnoreParenImpCasts());
  if (!Target || !Tangents.count(Target->getDecl()))
    return (void)unsupported(Assign, "assigning a tensor other than a local "
                                     "variable or a parameter passed by "
                                     "value");
  const Expr *R = Assign->getArg(1);
  std::string P = primal(R), T = tensorTangent(R);
  flush();
  line(tangentLValue(Target) + " = " + (T.empty() ? "::adjoint::Tensor()" : T) +
       ";");
  line(source(Target) + " = " + P + ";");
}

std::string TangentFunction::pushforwardCall(const CallExpr *Call) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  std::optional<std::string> Name =
      Services.pushforwardFor(Callee, Call, FD);
  if (!Name) {
    Failed = true;
    return "0";
  }
  const FunctionDecl *Def = Callee->getDefinition();
  // A method's pushforward is a member: called on the same object, whose
  // class has no derivatives (checked by isUserMethodCall).
  std::string Object;
  unsigned First = 0;
  if (isUserMethodCall(Call)) {
    const Expr *Obj = nullptr;
    bool Arrow = false;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
      Obj = MC->getImplicitObjectArgument();
      if (const auto *ME = dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens()))
        Arrow = ME->isArrow();
    } else {
      Obj = Call->getArg(0);
      First = 1;
    }
    const auto *This = dyn_cast<CXXThisExpr>(Obj->IgnoreParenImpCasts());
    if (!This || !This->isImplicit())
      Object = "(" + source(Obj) + ")" + (Arrow ? "->" : ".");
  }
  std::string Values, Tangent;
  if (Call->getNumArgs() - First != Def->getNumParams())
    return unsupported(Call, "calls with default or variadic arguments");
  for (unsigned I = 0; I < Def->getNumParams(); ++I) {
    const Expr *Arg = Call->getArg(I + First);
    QualType PT = Def->getParamDecl(I)->getType();
    Values += (I ? ", " : "") + primal(Arg);
    if (isReal(PT)) {
      bool Writable = PT->isLValueReferenceType() &&
                      !PT.getNonReferenceType().isConstQualified();
      std::string T = Writable ? tangentLValue(Arg) : tangent(Arg);
      if (T.empty() && Writable)
        return unsupported(Arg, "passing a real without a tangent (a global "
                                "or a constant) by reference");
      Tangent += ", " + (T.empty() ? std::string("_S(0)") : T);
    } else if (isRealPtr(PT)) {
      std::string T = tangentPointer(Arg);
      if (T.empty()) {
        if (!PT->getPointeeType().isConstQualified())
          return unsupported(Arg, "passing a buffer without a tangent to a "
                                  "parameter that may write it");
        T = "::adjoint::detail::ZeroTangent<_S>()";
      }
      Tangent += ", " + T;
    } else if (isTensor(PT)) {
      std::string T = tensorTangent(Arg);
      Tangent += ", " + (T.empty() ? std::string("::adjoint::Tensor()") : T);
    } else if (!isDerivativeFree(PT)) {
      return unsupported(Arg, "passing a '" + typeName(PT) + "' to '" +
                                  Callee->getNameAsString() + "'");
    }
  }
  return Object + (Object.empty() ? "" : "template ") + *Name + "<_S>(" +
         Values + Tangent + ")";
}

bool TangentFunction::isUserMethodCall(const CallExpr *Call) {
  const auto *Method = dyn_cast_or_null<CXXMethodDecl>(Call->getDirectCallee());
  if (!Method || Method->isStatic() || isLibrary(SM, Method) ||
      Method->isVirtual() || Method->getParent()->isLambda() ||
      !Services.ruleFor(Call).empty())
    return false;
  if (!isa<CXXMemberCallExpr>(Call) && !isa<CXXOperatorCallExpr>(Call))
    return false;
  const Expr *Obj = isa<CXXMemberCallExpr>(Call)
                        ? cast<CXXMemberCallExpr>(Call)->getImplicitObjectArgument()
                        : Call->getArg(0);
  QualType T = Obj->getType();
  if (T->isPointerType())
    T = T->getPointeeType();
  return isDerivativeFree(T.getNonReferenceType());
}

bool TangentFunction::hasUserCall(const Stmt *S) {
  if (!S)
    return false;
  if (const auto *Call = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *Callee = Call->getDirectCallee())
      if (!isLibrary(SM, Callee) && Services.ruleFor(Call).empty())
        return true;
  for (const Stmt *Child : S->children())
    if (hasUserCall(Child))
      return true;
  return false;
}

std::string TangentFunction::conditionalTemp(const ConditionalOperator *C) {
  if (Conditional || !isReal(C->getType()) ||
      (!hasUserCall(C->getTrueExpr()) && !hasUserCall(C->getFalseExpr())))
    return "";
  auto Known = Hoisted.find(C);
  if (Known != Hoisted.end())
    return Known->second;
  // Each branch is a lambda of its own, in which its calls are kept in
  // temporaries as in a statement: only the branch taken runs.
  auto Branch = [&](const Expr *B) {
    std::vector<std::string> Outer;
    Outer.swap(Pending);
    std::string P = primal(B), T = tangent(B);
    std::string Code = "[&]() -> ::adjoint::Dual<_S> { ";
    for (const std::string &L : Pending)
      Code += L + " ";
    Pending.swap(Outer);
    return Code + "return {" + P + ", _S(" + (T.empty() ? "0" : T) + ")}; }()";
  };
  std::string Cond = primal(C->getCond());
  std::string A = Branch(C->getTrueExpr()), B = Branch(C->getFalseExpr());
  std::string Temp = "_c" + std::to_string(Temporaries++);
  Pending.push_back("::adjoint::Dual<_S> " + Temp + " = " + Cond + " ? " + A +
                    " : " + B + ";");
  return Hoisted[C] = Temp;
}

std::string TangentFunction::userCall(const CallExpr *Call) {
  auto Known = Hoisted.find(Call);
  if (Known != Hoisted.end())
    return Known->second;
  std::string Text = pushforwardCall(Call);
  if (Conditional) {
    // It may not run: call it in place (twice: value and tangent), which
    // only a call without side effects may be.
    for (const ParmVarDecl *P : Call->getDirectCallee()->parameters())
      if (mayWriteThrough(P->getType()))
        return unsupported(Call, "a call that writes through its arguments "
                                 "inside a condition or a branch of ?:, && "
                                 "or ||");
    return Hoisted[Call] = "(" + Text + ")";
  }
  std::string Temp = "_c" + std::to_string(Temporaries++);
  std::string Type = isTensor(Call->getType()) ? "::adjoint::Tensor" : "_S";
  Pending.push_back("::adjoint::Dual<" + Type + "> " + Temp + " = " + Text +
                    ";");
  return Hoisted[Call] = Temp;
}

// ----- Statements ----------------------------------------------------------

void TangentFunction::line(const std::string &L) {
  Body += std::string(2 * Depth, ' ') + L + "\n";
}

void TangentFunction::flush() {
  for (const std::string &L : Pending)
    line(L);
  Pending.clear();
}

std::string TangentFunction::loopHeaderPart(const Stmt *S) {
  if (!S)
    return "";
  ++Conditional;
  std::string Out;
  if (const auto *E = dyn_cast<Expr>(S)) {
    const auto *B = dyn_cast<BinaryOperator>(E->IgnoreParens());
    if (B && B->isAssignmentOp())
      Out = hasReal(B->getLHS())
                ? unsupported(S, "real-valued loop counters")
                : primal(B->getLHS()) + " " + B->getOpcodeStr().str() + " " +
                      primal(B->getRHS());
    else
      Out = primal(E);
  } else if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls()) {
      const auto *VD = dyn_cast<VarDecl>(D);
      if (!VD || hasReal(VD->getInit()) || isReal(VD->getType()) ||
          isRealPtr(VD->getType()))
        Out = unsupported(S, "real-valued loop variables");
      Out += Out.empty() ? typeName(VD->getType()) + " " : ", ";
      Out += VD->getNameAsString();
      if (VD->getInit())
        Out += " = " + primal(VD->getInit());
    }
  } else {
    Out = unsupported(S, "this loop header");
  }
  --Conditional;
  return Out;
}

void TangentFunction::block(const Stmt *S) {
  if (isa_and_nonnull<CompoundStmt>(S))
    return stmt(S);
  line("{");
  ++Depth;
  stmt(S);
  --Depth;
  line("}");
}

void TangentFunction::stmt(const Stmt *S) {
  if (!S || isa<NullStmt>(S))
    return;
  if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
    line("{");
    ++Depth;
    for (const Stmt *Child : CS->body())
      stmt(Child);
    --Depth;
    line("}");
    return;
  }
  if (const auto *DS = dyn_cast<DeclStmt>(S))
    return declStmt(DS);
  if (const auto *E = dyn_cast<Expr>(S))
    return exprStmt(E);
  if (const auto *R = dyn_cast<ReturnStmt>(S)) {
    const Expr *V = R->getRetValue();
    if (!V || FD->getReturnType()->isVoidType()) {
      if (V)
        exprStmt(V);
      line("return;");
      return;
    }
    if (hasInnerSideEffect(V))
      return (void)unsupported(V, "++, -- or assignments inside a returned "
                                  "expression");
    std::string P = primal(V), T = tangent(V);
    flush();
    if (isTensor(FD->getReturnType()))
      line("return ::adjoint::Dual<::adjoint::Tensor>{" + P + ", " +
           (T.empty() ? "::adjoint::Tensor()" : T) + "};");
    else
      line("return ::adjoint::Dual<_S>{" + P + ", _S(" + (T.empty() ? "0" : T) +
           ")};");
    return;
  }
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    if (If->getInit() || If->getConditionVariable() || If->isConstexpr())
      return (void)unsupported(S, "if with an initializer, a declaration or "
                                  "constexpr");
    // The condition runs once, right before the branch: its calls are kept
    // in temporaries like a statement's.
    std::string Cond = primal(If->getCond());
    flush();
    line("if (" + Cond + ")");
    block(If->getThen());
    if (const Stmt *Else = If->getElse()) {
      line("else");
      block(Else);
    }
    return;
  }
  if (const auto *For = dyn_cast<ForStmt>(S)) {
    if (For->getConditionVariable())
      return (void)unsupported(S, "a declaration in a loop condition");
    std::string Init = loopHeaderPart(For->getInit());
    std::string Cond = loopHeaderPart(For->getCond());
    std::string Inc = loopHeaderPart(For->getInc());
    line("for (" + Init + "; " + Cond + "; " + Inc + ")");
    block(For->getBody());
    return;
  }
  if (const auto *While = dyn_cast<WhileStmt>(S)) {
    if (While->getConditionVariable())
      return (void)unsupported(S, "a declaration in a loop condition");
    line("while (" + loopHeaderPart(While->getCond()) + ")");
    block(While->getBody());
    return;
  }
  if (const auto *Do = dyn_cast<DoStmt>(S)) {
    line("do");
    line("{");
    ++Depth;
    stmt(Do->getBody());
    --Depth;
    line("} while (" + loopHeaderPart(Do->getCond()) + ");");
    return;
  }
  if (const auto *RangeFor = dyn_cast<CXXForRangeStmt>(S))
    return rangeFor(RangeFor);
  if (isa<BreakStmt>(S)) {
    line("break;");
    return;
  }
  if (isa<ContinueStmt>(S)) {
    line("continue;");
    return;
  }
  unsupported(S, std::string("the statement '") + S->getStmtClassName() + "'");
}

void TangentFunction::rangeFor(const CXXForRangeStmt *Loop) {
  // Over a local C array: the index loop, with the loop variable (and its
  // tangent) assigned element k at the start of each iteration.
  const auto *Ref =
      dyn_cast<DeclRefExpr>(Loop->getRangeInit()->IgnoreParenImpCasts());
  const auto *Range = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  const auto *Array =
      Range ? Ctx.getAsConstantArrayType(Range->getType()) : nullptr;
  const VarDecl *Var = Loop->getLoopVariable();
  QualType T = Var->getType();
  if (!Array)
    return (void)unsupported(Loop, "range-based for loops over other ranges "
                                   "than local C arrays");
  if (T->isReferenceType() &&
      (!T.getNonReferenceType().isConstQualified() ||
       StableVariables::mayWrite(Loop->getBody(), Range)))
    return (void)unsupported(Loop, "range-based for loops writing their "
                                   "elements");
  std::string K = "_k" + std::to_string(Temporaries++);
  std::string Name = Var->getNameAsString(), R = Range->getNameAsString();
  line("for (unsigned long " + K + " = 0; " + K + " < " +
       std::to_string(Array->getSize().getZExtValue()) + "; ++" + K + ") {");
  ++Depth;
  if (isReal(T)) {
    line("_S _t_" + Name + " = " +
         (Tangents.count(Range) ? "_t_" + R + "[" + K + "]" : "0") + ";");
    line("_S " + Name + " = " + R + "[" + K + "];");
    Tangents.insert(Var);
  } else if (isDerivativeFree(T)) {
    line(typeName(T.getNonReferenceType()) + " " + Name + " = " + R + "[" + K +
         "];");
  } else {
    return (void)unsupported(Loop, "range-based for loops over elements of "
                                   "type '" + typeName(T) + "'");
  }
  stmt(Loop->getBody());
  --Depth;
  line("}");
}

void TangentFunction::exprStmt(const Expr *E) {
  if (const auto *C = dyn_cast<FullExpr>(E))
    E = C->getSubExpr();
  E = E->IgnoreParens();
  if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
    E = B->getSubExpr();
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
      Op && Op->getOperator() == OO_Equal && isTensor(Op->getType()))
    return tensorAssign(Op);
  // In place (x.add_(y), x.zero_()): a tensor with a tangent would need its
  // tangent updated in place too.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
      MC && isTensor(MC->getImplicitObjectArgument()->getType()) &&
      endsWith(MC->getMethodDecl()->getName(), "_")) {
    bool Tangent = false;
    for (const Expr *Arg : pullbackArgs(MC))
      if (isTensor(Arg->getType()) || isReal(Arg->getType()))
        Tangent |= !tangent(Arg).empty();
    if (Tangent)
      return (void)unsupported(E, "in-place tensor operations ('" +
                                      MC->getMethodDecl()->getNameAsString() +
                                      "') on tensors with a tangent; write "
                                      "'x = x + y' instead of 'x.add_(y)'");
    line(source(E) + ";");
    return;
  }
  if (const auto *B = dyn_cast<BinaryOperator>(E);
      B && B->isAssignmentOp() && isReal(B->getLHS()->getType())) {
    const Expr *L = B->getLHS(), *R = B->getRHS();
    if (hasInnerSideEffect(B))
      return (void)unsupported(E, "++, -- or assignments inside an assignment "
                                  "of a real");
    std::string TL = tangentLValue(L);
    if (TL.empty() && !Failed)
      return (void)unsupported(L, "writing a real without a tangent (a "
                                  "global or a static variable)");
    std::string PL = primal(L), PR = primal(R), TR = tangent(R);
    std::string Update;
    switch (B->getOpcode()) {
    case BO_Assign:
      Update = TL + " = " + (TR.empty() ? "0" : TR);
      break;
    case BO_AddAssign:
    case BO_SubAssign:
      if (!TR.empty())
        Update = TL + (B->getOpcode() == BO_AddAssign ? " += " : " -= ") + TR;
      break;
    case BO_MulAssign:
      Update = TL + " = " + TL + " * (" + PR + ")" +
               (TR.empty() ? "" : " + (" + PL + ") * " + TR);
      break;
    case BO_DivAssign:
      Update = TL + " = (" + TL +
               (TR.empty() ? "" : " - (" + PL + ") / (" + PR + ") * " + TR) +
               ") / (" + PR + ")";
      break;
    default:
      return (void)unsupported(E, "'" + B->getOpcodeStr().str() +
                                      "' on a real");
    }
    flush();
    if (!Update.empty())
      line(Update + ";");
    line(PL + " " + B->getOpcodeStr().str() + " " + PR + ";");
    return;
  }
  if (const auto *B = dyn_cast<BinaryOperator>(E); B && B->isAssignmentOp()) {
    if (isRealPtr(B->getLHS()->getType()))
      return (void)unsupported(E, "assigning pointers to reals");
    std::string R = primal(B->getRHS());
    flush();
    line(primal(B->getLHS()) + " " + B->getOpcodeStr().str() + " " + R + ";");
    return;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->isIncrementDecrementOp()) {
    if (isRealPtr(U->getType()))
      return (void)unsupported(E, "moving pointers to reals");
    line(primal(E) + ";"); // a real's tangent does not change by ++ or --
    return;
  }
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if ((Callee && !isLibrary(SM, Callee) && Services.ruleFor(Call).empty() &&
         !isa<CXXMemberCallExpr>(Call) && !isa<CXXOperatorCallExpr>(Call)) ||
        isUserMethodCall(Call)) {
      std::string Text = pushforwardCall(Call);
      flush();
      line(Text + ";");
      return;
    }
  }
  std::string P = primal(E);
  flush();
  line(P + ";");
}

void TangentFunction::declStmt(const DeclStmt *DS) {
  for (const Decl *D : DS->decls()) {
    const auto *VD = dyn_cast<VarDecl>(D);
    if (!VD) {
      if (isa<TypedefNameDecl>(D) || isa<StaticAssertDecl>(D)) {
        line(source(DS));
        continue;
      }
      return (void)unsupported(DS, "this declaration");
    }
    QualType T = VD->getType();
    std::string Name = VD->getNameAsString();
    const Expr *Init = VD->getInit();
    if (VD->isStaticLocal() && (isReal(T) || isRealArray(T)))
      return (void)unsupported(DS, "static local reals");
    // A const reference whose referent keeps its value is read as a copy.
    bool Copy = isCopyLikeReference(Ctx, VD, DS);
    if (isReal(T) && (!T->isReferenceType() || Copy)) {
      std::string Type =
          T.getNonReferenceType().isConstQualified() ? "const _S" : "_S";
      if (Init && isa<InitListExpr>(Init))
        return (void)unsupported(Init, "brace initialization of reals");
      if (Init && hasInnerSideEffect(Init))
        return (void)unsupported(Init, "++, -- or assignments inside the "
                                       "initializer of a real");
      std::string P = Init ? primal(Init) : "", Tg = Init ? tangent(Init) : "";
      flush();
      line(Type + " _t_" + Name + " = " + (Tg.empty() ? "0" : Tg) + ";");
      line(Type + " " + Name + (Init ? " = " + P : "") + ";");
      Tangents.insert(VD);
      continue;
    }
    if (isRealArray(T)) {
      std::string Dims;
      QualType E = T;
      while (const auto *AT = dyn_cast<ConstantArrayType>(
                 E.getCanonicalType().getTypePtr())) {
        Dims += "[" + std::to_string(AT->getSize().getZExtValue()) + "]";
        E = AT->getElementType();
      }
      std::string Type = T.isConstQualified() || E.isConstQualified()
                             ? "const _S"
                             : "_S";
      std::string Values, TangentValues;
      if (Init) {
        const auto *List = dyn_cast<InitListExpr>(Init);
        if (!List || !isReal(List->getType()->getAsArrayTypeUnsafe()
                                 ->getElementType()))
          return (void)unsupported(Init, "this initializer of an array");
        for (const Expr *Elem : List->inits()) {
          if (isa<ImplicitValueInitExpr>(Elem))
            continue;
          std::string Tg = tangent(Elem);
          Values += (Values.empty() ? "" : ", ") + primal(Elem);
          TangentValues +=
              (TangentValues.empty() ? "" : ", ") + (Tg.empty() ? "0" : Tg);
        }
      }
      flush();
      line(Type + " _t_" + Name + Dims + " = {" + TangentValues + "};");
      line(Type + " " + Name + Dims + (Init ? " = {" + Values + "}" : "") +
           ";");
      Tangents.insert(VD);
      continue;
    }
    if (isTensor(T)) {
      bool Const = T.getNonReferenceType().isConstQualified();
      if (T->isReferenceType() && !Const)
        return (void)unsupported(DS, "references to tensors that are not "
                                     "const");
      if (VD->isStaticLocal())
        return (void)unsupported(DS, "static local tensors");
      if (const auto *C = dyn_cast_or_null<CXXConstructExpr>(Init);
          C && C->getNumArgs() == 0)
        Init = nullptr; // Tensor z;
      std::string Type =
          Const ? "const ::adjoint::Tensor" : "::adjoint::Tensor";
      std::string P = Init ? primal(Init) : "";
      std::string Tg = Init ? tensorTangent(Init) : "";
      flush();
      line(Type + " _t_" + Name + (Tg.empty() ? "{}" : " = " + Tg) + ";");
      line(Type + " " + Name + (Init ? " = " + P : "{}") + ";");
      Tangents.insert(VD);
      continue;
    }
    if (isReal(T) || isRealPtr(T) || !isDerivativeFree(T))
      return (void)unsupported(DS, "local variables of type '" + typeName(T) +
                                       "'");
    if (!Init) {
      line(typeName(T) + " " + Name + ";");
      continue;
    }
    if (!hasReal(Init) && DS->isSingleDecl()) {
      std::string S = source(DS);
      line(endsWith(S, ";") ? S : S + ";");
      continue;
    }
    if (VD->getInitStyle() != VarDecl::CInit)
      return (void)unsupported(DS, "this initialization of '" + Name + "'");
    std::string P = primal(Init);
    flush();
    line(typeName(T) + " " + Name + " = " + P + ";");
  }
}

std::optional<std::string> TangentFunction::run() {
  // A method's pushforward is a member template generated right after it,
  // inside its class: the body reads the members as written.
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  if (MD && (FD->isOutOfLine() || MD->isVirtual() ||
             MD->getParent()->isLambda() ||
             (!MD->isStatic() && !isDerivativeFree(Ctx.getRecordType(
                                     MD->getParent()))))) {
    Diags.error(FD->getLocation(),
                "adjoint: forward mode (ADJOINT_JVP/ADJOINT_HESSIAN) does not "
                "support this member function yet ('" +
                    FD->getNameAsString() +
                    "': virtual, defined outside its class, of a lambda, or "
                    "of a class with real or tensor members)");
    return std::nullopt;
  }
  if (FD->getTemplatedKind() != FunctionDecl::TK_NonTemplate ||
      FD->isVariadic()) {
    Diags.error(FD->getLocation(),
                "adjoint: forward mode (ADJOINT_JVP/ADJOINT_HESSIAN) does not "
                "support templates or variadic functions yet ('" +
                    FD->getNameAsString() + "')");
    return std::nullopt;
  }
  QualType Ret = FD->getReturnType();
  if (!Ret->isVoidType() && !isReal(Ret) && !isTensor(Ret)) {
    Diags.error(FD->getLocation(),
                "adjoint: forward mode (ADJOINT_JVP/ADJOINT_HESSIAN) needs a "
                "float, double, tensor or void result; '" +
                    FD->getNameAsString() + "' returns '" + typeName(Ret) +
                    "'");
    return std::nullopt;
  }
  std::string TemplateParams = "template <class _S", Params, TangentParams;
  unsigned Pointers = 0;
  for (const ParmVarDecl *P : FD->parameters()) {
    std::string Name = P->getName().empty()
                           ? "_p" + std::to_string(P->getFunctionScopeIndex())
                           : P->getNameAsString();
    ParamNames[P] = Name;
    QualType T = P->getType();
    if (!checkTangentParam(T, Name, P->getLocation(), Diags))
      return std::nullopt;
    std::string Sep = Params.empty() ? "" : ", ";
    if (isReal(T)) {
      std::string Type = T->isLValueReferenceType()
                             ? (T.getNonReferenceType().isConstQualified()
                                    ? "const _S &"
                                    : "_S &")
                             : (T.isConstQualified() ? "const _S " : "_S ");
      Params += Sep + Type + Name;
      TangentParams += ", " + Type + "_t_" + Name;
      Tangents.insert(P);
    } else if (isTensor(T)) {
      std::string Type = T->isReferenceType()   ? "const ::adjoint::Tensor &"
                         : T.isConstQualified() ? "const ::adjoint::Tensor "
                                                : "::adjoint::Tensor ";
      Params += Sep + Type + Name;
      TangentParams += ", " + Type + "_t_" + Name;
      Tangents.insert(P);
    } else if (isRealPtr(T)) {
      std::string N = std::to_string(Pointers++);
      TemplateParams += ", class _P" + N + ", class _T" + N;
      Params += Sep + "_P" + N + " " + Name;
      TangentParams += ", _T" + N + " _t_" + Name;
      Tangents.insert(P);
    } else {
      Params += Sep + typeName(T) + " " + Name;
    }
  }
  std::string Result = Ret->isVoidType() ? "void"
                       : isTensor(Ret)
                           ? std::string("::adjoint::Dual<::adjoint::Tensor>")
                           : std::string("::adjoint::Dual<_S>");
  std::string Signature =
      TemplateParams + ">\n" + (MD && MD->isStatic() ? "static " : "") +
      "inline " + Result + " " + pushforwardName(FD) + "(" + Params +
      TangentParams + ")" + (MD && MD->isConst() ? " const" : "");
  const auto *Block = dyn_cast_or_null<CompoundStmt>(FD->getBody());
  if (!Block) {
    Diags.error(FD->getLocation(), "adjoint: forward mode needs the body of '" +
                                       FD->getNameAsString() + "'");
    return std::nullopt;
  }
  for (const Stmt *S : Block->body())
    stmt(S);
  if (Failed)
    return std::nullopt;
  return Signature + " {\n" + Body + "}\n";
}

} // namespace

bool checkTangentParam(QualType T, const std::string &Param,
                       SourceLocation Loc, DiagnosticSink &Diags) {
  if (isReal(T) && !T->isRValueReferenceType())
    return true;
  if (isRealPtr(T))
    return true;
  if (isTensor(T) &&
      (!T->isReferenceType() || (T->isLValueReferenceType() &&
                                 T.getNonReferenceType().isConstQualified())))
    return true;
  if (!T->isReferenceType() && isDerivativeFree(T))
    return true;
  if (isDerivativeFree(T) && T->isLValueReferenceType() &&
      T.getNonReferenceType().isConstQualified())
    return true;
  std::string What = isTensor(T)       ? "tensors written through a reference"
                     : isRealVector(T) ? "std::vector parameters"
                     : isRealStruct(T) ? "structs of reals"
                                       : "parameters of this type";
  PrintingPolicy Policy{LangOptions()};
  Policy.SuppressTagKeyword = true;
  Diags.error(Loc, "adjoint: forward mode (ADJOINT_JVP/ADJOINT_HESSIAN) does "
                   "not support " +
                       What + " yet ('" + Param + "' of type '" +
                       T.getAsString(Policy) + "')");
  return false;
}

std::optional<std::string> generatePushforward(ASTContext &Ctx,
                                               DiagnosticSink &Diags,
                                               TangentServices &Services,
                                               const FunctionDecl *FD) {
  return TangentFunction(Ctx, Diags, Services, FD).run();
}

} // namespace adjoint
