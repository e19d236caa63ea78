//===- Explain.cpp - Static requires_grad and grad_fn ---------------------===//

#include "Explain.h"
#include "Activity.h"
#include "Annotation.h"
#include "ClangCompat.h"
#include "DiffRequest.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"

#include <algorithm>
#include <functional>
#include <map>

using namespace clang;

namespace adjoint {
namespace {

using NodeSet = std::vector<unsigned>;

void unite(NodeSet &Into, const NodeSet &From) {
  for (unsigned N : From)
    if (std::find(Into.begin(), Into.end(), N) == Into.end())
      Into.push_back(N);
}

/// Strips the wrappers Sema puts around values (temporaries, copies, casts).
const Expr *strip(const Expr *E) {
  for (;;) {
    if (!E)
      return nullptr;
    const Expr *Next = E->IgnoreParenImpCasts();
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(Next))
      Next = EWC->getSubExpr();
    else if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(Next))
      Next = MTE->getSubExpr();
    else if (const auto *BTE = dyn_cast<CXXBindTemporaryExpr>(Next))
      Next = BTE->getSubExpr();
    else if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(Next))
      Next = FC->getSubExpr();
    else if (const auto *CS = dyn_cast<CStyleCastExpr>(Next))
      Next = CS->getSubExpr();
    else if (const auto *SC = dyn_cast<CXXStaticCastExpr>(Next))
      Next = SC->getSubExpr();
    else if (const auto *CE = dyn_cast<ConstantExpr>(Next))
      Next = CE->getSubExpr();
    else if (const auto *CC = dyn_cast<CXXConstructExpr>(Next)) {
      if (CC->getNumArgs() == 1 && CC->getConstructor() &&
          CC->getConstructor()->isCopyOrMoveConstructor())
        Next = CC->getArg(0);
    }
    if (Next == E)
      return E;
    E = Next;
  }
}

std::string calleeName(const FunctionDecl *FD) {
  if (!FD || !FD->getIdentifier())
    return "";
  return FD->getName().str();
}

/// Arguments actually written at the call (no default arguments).
std::vector<const Expr *> writtenArgs(const CallExpr *Call) {
  std::vector<const Expr *> Args;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    Args.push_back(MC->getImplicitObjectArgument());
  for (const Expr *A : Call->arguments())
    if (!isa<CXXDefaultArgExpr>(A))
      Args.push_back(A);
  return Args;
}

/// Number of elements of a Shape argument written as a braced list.
int shapeLength(const Expr *E) {
  E = strip(E);
  if (!E)
    return -1;
  if (const auto *IL = dyn_cast<InitListExpr>(E))
    return IL->getNumInits();
  if (const auto *SIL = dyn_cast<CXXStdInitializerListExpr>(E))
    return shapeLength(SIL->getSubExpr());
  if (const auto *CC = dyn_cast<CXXConstructExpr>(E)) {
    // Shape{5, 3}, Shape(5) (ones(5) converts 5 to a Shape), or a copy.
    bool AllIntegral = CC->getNumArgs() > 0;
    for (const Expr *A : CC->arguments())
      AllIntegral &= A->getType()->isIntegralOrEnumerationType();
    if (AllIntegral)
      return CC->getNumArgs();
    if (CC->getNumArgs() == 1)
      return shapeLength(CC->getArg(0));
  }
  return -1;
}

/// PyTorch's node name for an elementwise or shape function, by name.
const char *tableName(StringRef Name, size_t NumArgs) {
  static const std::map<std::string, const char *> Table = {
      {"add", "AddBackward0"},
      {"sub", "SubBackward0"},
      {"mul", "MulBackward0"},
      {"div", "DivBackward0"},
      {"neg", "NegBackward0"},
      {"exp", "ExpBackward0"},
      {"log", "LogBackward0"},
      {"sqrt", "SqrtBackward0"},
      {"abs", "AbsBackward0"},
      {"fabs", "AbsBackward0"},
      {"sigmoid", "SigmoidBackward0"},
      {"tanh", "TanhBackward0"},
      {"relu", "ReluBackward0"},
      {"t", "TBackward0"},
      {"transpose", "TransposeBackward0"},
      {"reshape", "ViewBackward0"},
      {"view", "ViewBackward0"},
      {"expand", "ExpandBackward0"},
      {"clone", "CloneBackward0"},
      {"sum_to", "SumBackward1"},
      {"binary_cross_entropy_with_logits",
       "BinaryCrossEntropyWithLogitsBackward0"},
      {"mse_loss", "MseLossBackward0"},
      {"softmax", "SoftmaxBackward0"},
      {"log_softmax", "LogSoftmaxBackward0"},
      {"sin", "SinBackward0"},
      {"cos", "CosBackward0"},
      {"tan", "TanBackward0"},
      {"sinh", "SinhBackward0"},
      {"cosh", "CoshBackward0"},
      {"asin", "AsinBackward0"},
      {"acos", "AcosBackward0"},
      {"atan", "AtanBackward0"},
      {"atan2", "Atan2Backward0"},
      {"log10", "Log10Backward0"},
      {"log2", "Log2Backward0"},
      {"log1p", "Log1PBackward0"},
      {"expm1", "Expm1Backward0"},
      {"erf", "ErfBackward0"},
      {"erfc", "ErfcBackward0"},
      {"hypot", "HypotBackward0"},
      {"fmax", "MaximumBackward0"},
      {"max", "MaximumBackward0"},
      {"fmin", "MinimumBackward0"},
      {"min", "MinimumBackward0"},
      {"floor", "FloorBackward0"},
      {"ceil", "CeilBackward0"},
      {"round", "RoundBackward0"},
      {"cbrt", "PowBackward0"},
      {"square", "PowBackward0"},
  };
  if (Name == "sum")
    return NumArgs <= 1 ? "SumBackward0" : "SumBackward1";
  if (Name == "mean")
    return NumArgs <= 1 ? "MeanBackward0" : "MeanBackward1";
  auto It = Table.find(Name.str());
  return It == Table.end() ? nullptr : It->second;
}

/// Functions whose value is not differentiable and that start no node.
bool isConstantFactory(StringRef Name) {
  return Name == "ones" || Name == "zeros" || Name == "full" ||
         Name == "empty" || Name == "eye" || Name == "randn" ||
         Name == "rand" || Name == "ones_like" || Name == "zeros_like" ||
         Name == "full_like" || Name == "randn_like" || Name == "rand_like" ||
         Name == "arange" || Name == "linspace";
}

/// Infers tensor ranks from factories, shape functions and call sites.
class Ranks {
public:
  explicit Ranks(ASTContext &Ctx) : Ctx(Ctx) {}

  /// Rank of \p E (-1: unknown). \p Known holds the flow-sensitive ranks of
  /// the explained function's variables.
  int of(const Expr *E, const llvm::DenseMap<const VarDecl *, int> *Known,
         unsigned Depth = 0);

  /// Ranks of \p FD's parameters agreed on by every call in the TU.
  void fromCallSites(const FunctionDecl *FD,
                     llvm::DenseMap<const VarDecl *, int> &Out);

private:
  ASTContext &Ctx;
};

int Ranks::of(const Expr *E, const llvm::DenseMap<const VarDecl *, int> *Known,
              unsigned Depth) {
  E = strip(E);
  if (!E || Depth > 16)
    return -1;
  if (!isTensor(E->getType()))
    return -1;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
    if (!V)
      return -1;
    if (Known) {
      auto It = Known->find(V);
      if (It != Known->end())
        return It->second;
    }
    if (!isa<ParmVarDecl>(V) && V->getInit())
      return of(V->getInit(), nullptr, Depth + 1);
    return -1;
  }
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call)
    return -1;
  std::vector<const Expr *> Args = writtenArgs(Call);
  auto ArgRank = [&](size_t I) {
    return I < Args.size() ? of(Args[I], Known, Depth + 1) : -1;
  };
  // The largest operand rank (broadcasting); unknown if any is unknown.
  auto Broadcast = [&]() {
    int R = -1;
    bool Any = false;
    for (const Expr *A : Args) {
      if (!isTensor(A->getType()))
        continue;
      int AR = of(A, Known, Depth + 1);
      if (AR < 0)
        return -1;
      R = std::max(R, AR);
      Any = true;
    }
    return Any ? R : -1;
  };
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call)) {
    switch (Op->getOperator()) {
    case OO_Plus:
    case OO_Minus:
    case OO_Star:
    case OO_Slash:
      return Broadcast();
    default:
      return -1;
    }
  }
  std::string Name = calleeName(Call->getDirectCallee());
  if (Name == "eye")
    return 2;
  if (Name == "ones_like" || Name == "zeros_like" || Name == "full_like" ||
      Name == "randn_like" || Name == "rand_like")
    return ArgRank(0);
  if (isConstantFactory(Name)) {
    if (Args.empty())
      return -1;
    if (!Args[0]->getType()->isIntegralOrEnumerationType())
      return shapeLength(Args[0]);
    int N = 0;
    for (const Expr *A : Args)
      N += A->getType()->isIntegralOrEnumerationType();
    return N;
  }
  if (Name == "matmul") {
    int A = ArgRank(0), B = ArgRank(1);
    if (A < 0 || B < 0)
      return -1;
    if (A == 1 && B == 1)
      return 0;
    if (A == 1 || B == 1)
      return std::max(A, B) - 1;
    return std::max(A, B);
  }
  if (Name == "sum" || Name == "mean") {
    if (Args.size() <= 1)
      return 0;
    int R = ArgRank(0);
    bool KeepDim = false;
    if (Args.size() >= 3)
      if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(strip(Args[2])))
        KeepDim = B->getValue();
    return R < 0 ? -1 : (KeepDim ? R : R - 1);
  }
  if (Name == "reshape" || Name == "view" || Name == "expand" ||
      Name == "sum_to")
    return Args.size() >= 2 ? shapeLength(Args[1]) : -1;
  if (Name == "binary_cross_entropy_with_logits" || Name == "mse_loss" ||
      Name == "cross_entropy" || Name == "item")
    return 0;
  if (Name == "add" || Name == "sub" || Name == "mul" || Name == "div")
    return Broadcast();
  return ArgRank(0); // elementwise, t, transpose, softmax, detach, clone...
}

void Ranks::fromCallSites(const FunctionDecl *FD,
                          llvm::DenseMap<const VarDecl *, int> &Out) {
  struct Finder : RecursiveASTVisitor<Finder> {
    const FunctionDecl *Target;
    std::vector<const CallExpr *> Calls;
    bool VisitCallExpr(CallExpr *C) {
      if (const FunctionDecl *Callee = C->getDirectCallee())
        if (Callee->getCanonicalDecl() == Target->getCanonicalDecl())
          Calls.push_back(C);
      return true;
    }
  } F;
  F.Target = FD;
  F.TraverseDecl(Ctx.getTranslationUnitDecl());
  if (F.Calls.empty())
    return;
  for (const ParmVarDecl *P : FD->parameters()) {
    if (!isTensor(P->getType()))
      continue;
    unsigned I = P->getFunctionScopeIndex();
    int Agreed = -2;
    for (const CallExpr *C : F.Calls) {
      int R = I < C->getNumArgs() ? of(C->getArg(I), nullptr) : -1;
      if (Agreed == -2)
        Agreed = R;
      else if (Agreed != R)
        Agreed = -1;
    }
    if (Agreed >= 0)
      Out[P] = Agreed;
  }
}

/// Walks one annotated function and records its explanation.
class Explainer {
public:
  Explainer(ASTContext &Ctx, const FunctionDecl *FD,
            std::vector<const ParmVarDecl *> Wrt, FunctionExplanation &Out)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), FD(FD),
        WrtList(std::move(Wrt)), Out(Out), RankInfo(Ctx) {}

  void run();

private:
  unsigned node(std::string Name, const Expr *E, NodeSet Inputs);
  NodeSet build(const Expr *E);
  /// build() for a value that is declared, assigned or returned: a plain copy
  /// of a tensor variable keeps its nodes even under NoGradGuard.
  NodeSet value(const Expr *E);
  NodeSet buildCall(const CallExpr *Call);
  NodeSet assign(const Expr *LHS, const VarDecl *V, NodeSet Value,
                 const Expr *Value_, bool Partial);
  void walk(const Stmt *S);
  void declare(const VarDecl *V);
  std::string text(const Expr *E) const;
  std::string context() const;
  std::string reasonInactive(const VarDecl *V) const;

  ASTContext &Ctx;
  const SourceManager &SM;
  const FunctionDecl *FD;
  std::vector<const ParmVarDecl *> WrtList;
  FunctionExplanation &Out;
  Ranks RankInfo;
  Activity Act;

  llvm::DenseMap<const VarDecl *, NodeSet> Last;
  llvm::DenseMap<const VarDecl *, int> RankOf;
  llvm::DenseSet<const VarDecl *> Wrt;
  std::vector<const VarDecl *> Locals;
  llvm::DenseSet<const VarDecl *> UnderNoGrad, OutsideNoGrad, Detached,
      DetachedFrom, EverGrad;
  NodeSet Result;
  unsigned LoopDepth = 0, BranchDepth = 0;
  bool NoGrad = false;
};

std::string Explainer::text(const Expr *E) const {
  CharSourceRange Range = CharSourceRange::getTokenRange(E->getSourceRange());
  if (Range.getBegin().isMacroID() || Range.getEnd().isMacroID())
    Range = SM.getExpansionRange(E->getSourceRange());
  StringRef Raw = Lexer::getSourceText(Range, SM, Ctx.getLangOpts());
  std::string T;
  bool Space = false;
  for (char C : Raw) {
    if (C == '\n' || C == '\t' || C == ' ' || C == '\r') {
      Space = !T.empty();
      continue;
    }
    if (Space)
      T += ' ';
    Space = false;
    T += C;
  }
  if (T.size() > 60)
    T = T.substr(0, 57) + "...";
  return T;
}

std::string Explainer::context() const {
  std::string C;
  if (LoopDepth)
    C = "inside a loop";
  if (BranchDepth)
    C += std::string(C.empty() ? "" : ", ") + "inside a branch";
  return C;
}

unsigned Explainer::node(std::string Name, const Expr *E, NodeSet Inputs) {
  GraphNode N;
  N.Name = std::move(Name);
  if (E) {
    N.Expr = text(E);
    N.Line = SM.getPresumedLineNumber(SM.getExpansionLoc(beginLoc(E)));
  }
  N.Context = context();
  N.Inputs = std::move(Inputs);
  Out.Nodes.push_back(std::move(N));
  return Out.Nodes.size() - 1;
}

NodeSet Explainer::assign(const Expr *LHS, const VarDecl *V, NodeSet Value,
                          const Expr *ValueExpr, bool Partial) {
  if (!V)
    return Value;
  if (NoGrad)
    UnderNoGrad.insert(V);
  else
    OutsideNoGrad.insert(V);
  // Name the node that produced the value after the variable.
  for (unsigned N : Value)
    if (!Out.Nodes[N].Leaf && Out.Nodes[N].Variable.empty())
      Out.Nodes[N].Variable = V->getNameAsString();
  if (!Value.empty())
    EverGrad.insert(V);
  if (Partial) {
    unite(Last[V], Value);
  } else {
    Last[V] = Value;
    if (ValueExpr && isTensor(V->getType()))
      RankOf[V] = RankInfo.of(ValueExpr, &RankOf);
  }
  return Last[V];
}

NodeSet Explainer::buildCall(const CallExpr *Call) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  std::string Name = calleeName(Callee);
  std::vector<const Expr *> Args = writtenArgs(Call);
  if (Activity::isDetach(Call) || Name == "detach") {
    for (const Expr *A : Args) {
      llvm::SmallVector<const VarDecl *, 4> Refs;
      Activity::allReferenced(A, Refs);
      DetachedFrom.insert(Refs.begin(), Refs.end());
    }
    return {};
  }
  // Inputs: the differentiable arguments, each with its own nodes.
  std::vector<NodeSet> ArgNodes;
  NodeSet All;
  for (const Expr *A : Args) {
    NodeSet S;
    if (carriesDerivative(A->getType()) || A->getType()->isPointerType())
      S = build(A);
    else
      build(A); // for assignments nested in arguments
    unite(All, S);
    ArgNodes.push_back(std::move(S));
  }
  if (All.empty())
    return {};
  if (Name == "item" || Name == "data" || Name == "operator[]")
    return All;
  if (Name == "matmul" && Args.size() == 2) {
    int A = RankInfo.of(Args[0], &RankOf), B = RankInfo.of(Args[1], &RankOf);
    std::string N, Note;
    if (A < 0 || B < 0) {
      N = "MmBackward0";
      Note = "operand ranks unknown: 2-D . 2-D assumed";
    } else if (A == 1 && B == 1) {
      N = "DotBackward0";
    } else if (A == 2 && B == 1) {
      N = "MvBackward0";
    } else if (A <= 2 && B <= 2) {
      N = "MmBackward0";
      if (A == 1)
        Note = "1-D . 2-D: PyTorch shows SqueezeBackward4 over MmBackward0";
    } else {
      N = "BmmBackward0";
    }
    unsigned Id = node(N, Call, All);
    Out.Nodes[Id].Note = Note;
    return {Id};
  }
  if (Name == "cross_entropy") {
    // F.cross_entropy is nll_loss(log_softmax(x)).
    unsigned Inner = node("LogSoftmaxBackward0", Call, ArgNodes[0]);
    NodeSet Outer = {Inner};
    for (size_t I = 1; I < ArgNodes.size(); ++I)
      unite(Outer, ArgNodes[I]);
    return {node("NllLossBackward0", Call, Outer)};
  }
  if (Name == "pow" && ArgNodes.size() >= 2) {
    // pow(t, scalar), pow(t, t), pow(scalar, t).
    bool Base = !ArgNodes[0].empty(), Exp = !ArgNodes[1].empty();
    return {node(Base && Exp ? "PowBackward1"
                 : Base      ? "PowBackward0"
                             : "PowBackward2",
                 Call, All)};
  }
  std::string NodeName;
  bool UserFunction = Callee && Callee->hasBody() &&
                      !SM.isInSystemHeader(Callee->getLocation()) &&
                      !Callee->isInStdNamespace() &&
                      Callee->getQualifiedNameAsString().rfind("adjoint::", 0) !=
                          0;
  if (const char *T = tableName(Name, Args.size()); T && !UserFunction)
    NodeName = T;
  else if (UserFunction)
    NodeName = Name + "Backward";
  else if (!Name.empty())
    NodeName = std::string(1, (char)toupper(Name[0])) + Name.substr(1) +
               "Backward0";
  else
    NodeName = "CallBackward0";
  return {node(NodeName, Call, All)};
}

NodeSet Explainer::value(const Expr *E) {
  if (!NoGrad || !Activity::isTensorCopy(E))
    return build(E);
  NoGrad = false;
  NodeSet S = build(E);
  NoGrad = true;
  return S;
}

NodeSet Explainer::build(const Expr *E) {
  E = strip(E);
  if (!E)
    return {};
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
    if (!V || NoGrad)
      return {};
    auto It = Last.find(V);
    return It == Last.end() ? NodeSet() : It->second;
  }
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
    build(ASE->getIdx());
    return build(ASE->getBase());
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E)) {
    switch (U->getOpcode()) {
    case UO_Minus: {
      NodeSet S = build(U->getSubExpr());
      if (S.empty())
        return {};
      return {node("NegBackward0", E, S)};
    }
    case UO_PreInc:
    case UO_PreDec:
    case UO_PostInc:
    case UO_PostDec:
      return build(U->getSubExpr());
    case UO_LNot:
      build(U->getSubExpr());
      return {};
    default:
      return build(U->getSubExpr());
    }
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    if (BO->isAssignmentOp()) {
      const VarDecl *V = Activity::writtenVar(BO->getLHS());
      NodeSet R = build(BO->getRHS());
      bool Partial = !isa<DeclRefExpr>(strip(BO->getLHS()));
      if (BO->isCompoundAssignmentOp()) {
        const char *Name = nullptr;
        switch (BO->getOpcode()) {
        case BO_AddAssign: Name = "AddBackward0"; break;
        case BO_SubAssign: Name = "SubBackward0"; break;
        case BO_MulAssign: Name = "MulBackward0"; break;
        case BO_DivAssign: Name = "DivBackward0"; break;
        default: break;
        }
        NodeSet Old = build(BO->getLHS());
        NodeSet In = Old;
        unite(In, R);
        if (!Name || In.empty())
          return assign(BO->getLHS(), V, Name ? NodeSet() : In, nullptr,
                        false);
        return assign(BO->getLHS(), V, {node(Name, E, In)}, nullptr, false);
      }
      return assign(BO->getLHS(), V, R, BO->getRHS(), Partial);
    }
    const char *Name = nullptr;
    switch (BO->getOpcode()) {
    case BO_Add: Name = "AddBackward0"; break;
    case BO_Sub: Name = "SubBackward0"; break;
    case BO_Mul: Name = "MulBackward0"; break;
    case BO_Div: Name = "DivBackward0"; break;
    case BO_Comma:
      build(BO->getLHS());
      return build(BO->getRHS());
    default:
      build(BO->getLHS());
      build(BO->getRHS());
      return {};
    }
    if (!isReal(BO->getType()) && !isTensor(BO->getType())) {
      // Pointer arithmetic (x + i) still points into x.
      NodeSet S = build(BO->getLHS());
      unite(S, build(BO->getRHS()));
      return BO->getType()->isPointerType() ? S : NodeSet();
    }
    NodeSet In = build(BO->getLHS());
    unite(In, build(BO->getRHS()));
    if (In.empty())
      return {};
    return {node(Name, E, In)};
  }
  if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
    build(CO->getCond());
    NodeSet S = build(CO->getTrueExpr());
    unite(S, build(CO->getFalseExpr()));
    return S;
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
    OverloadedOperatorKind K = Op->getOperator();
    if (Op->isAssignmentOp() && Op->getNumArgs() == 2) {
      const VarDecl *V = Activity::writtenVar(Op->getArg(0));
      NodeSet R = K == OO_Equal ? value(Op->getArg(1)) : build(Op->getArg(1));
      if (K == OO_Equal)
        return assign(Op->getArg(0), V, R, Op->getArg(1),
                      !isa<DeclRefExpr>(strip(Op->getArg(0))));
      const char *Name = K == OO_PlusEqual    ? "AddBackward0"
                         : K == OO_MinusEqual ? "SubBackward0"
                         : K == OO_StarEqual  ? "MulBackward0"
                         : K == OO_SlashEqual ? "DivBackward0"
                                              : nullptr;
      NodeSet In = build(Op->getArg(0));
      unite(In, R);
      if (!Name || In.empty())
        return assign(Op->getArg(0), V, In, nullptr, false);
      return assign(Op->getArg(0), V, {node(Name, E, In)}, nullptr, false);
    }
    if (K == OO_Subscript) {
      build(Op->getArg(1));
      return build(Op->getArg(0));
    }
    const char *Name = nullptr;
    if (Op->getNumArgs() == 2)
      Name = K == OO_Plus    ? "AddBackward0"
             : K == OO_Minus ? "SubBackward0"
             : K == OO_Star  ? "MulBackward0"
             : K == OO_Slash ? "DivBackward0"
                             : nullptr;
    else if (Op->getNumArgs() == 1 && K == OO_Minus)
      Name = "NegBackward0";
    else if (Op->getNumArgs() == 1 && K == OO_Plus)
      return build(Op->getArg(0));
    if (Name) {
      NodeSet In;
      for (const Expr *A : Op->arguments())
        unite(In, build(A));
      if (In.empty())
        return {};
      return {node(Name, E, In)};
    }
  }
  if (const auto *Call = dyn_cast<CallExpr>(E))
    return buildCall(Call);
  // Anything else: whatever its parts carry.
  NodeSet S;
  for (const Stmt *Child : E->children())
    if (const auto *CE = dyn_cast_or_null<Expr>(Child))
      unite(S, build(CE));
  return S;
}

void Explainer::declare(const VarDecl *V) {
  Locals.push_back(V);
  const auto *Default = dyn_cast_or_null<CXXConstructExpr>(V->getInit());
  if (!V->getInit() || (Default && Default->getNumArgs() == 0))
    return;
  NodeSet S = value(V->getInit());
  if (Activity::isDetach(strip(V->getInit())) ||
      (isa<CXXMemberCallExpr>(strip(V->getInit())) &&
       calleeName(cast<CallExpr>(strip(V->getInit()))->getDirectCallee()) ==
           "detach"))
    Detached.insert(V);
  assign(nullptr, V, S, V->getInit(), false);
}

void Explainer::walk(const Stmt *S) {
  if (!S)
    return;
  if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
    bool Outer = NoGrad;
    for (const Stmt *Child : CS->body()) {
      walk(Child);
      NoGrad |= Activity::isNoGradGuard(Child);
    }
    NoGrad = Outer;
    return;
  }
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D))
        declare(V);
    return;
  }
  if (const auto *RS = dyn_cast<ReturnStmt>(S)) {
    unite(Result, value(RS->getRetValue()));
    return;
  }
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    if (If->getInit())
      walk(If->getInit());
    if (const DeclStmt *CV = If->getConditionVariableDeclStmt())
      walk(CV);
    else
      build(If->getCond());
    ++BranchDepth;
    auto Before = Last;
    walk(If->getThen());
    auto AfterThen = Last;
    Last = Before;
    walk(If->getElse());
    for (auto &[V, Nodes] : AfterThen)
      unite(Last[V], Nodes);
    --BranchDepth;
    return;
  }
  if (const auto *Sw = dyn_cast<SwitchStmt>(S)) {
    build(Sw->getCond());
    ++BranchDepth;
    auto Before = Last;
    walk(Sw->getBody());
    for (auto &[V, Nodes] : Before)
      unite(Last[V], Nodes);
    --BranchDepth;
    return;
  }
  const Stmt *Body = nullptr;
  if (const auto *For = dyn_cast<ForStmt>(S)) {
    walk(For->getInit());
    ++LoopDepth;
    auto Before = Last;
    build(For->getCond());
    walk(For->getBody());
    if (For->getInc())
      build(For->getInc());
    for (auto &[V, Nodes] : Before)
      unite(Last[V], Nodes);
    --LoopDepth;
    return;
  }
  if (const auto *Range = dyn_cast<CXXForRangeStmt>(S)) {
    NodeSet Elements = build(Range->getRangeInit());
    ++LoopDepth;
    auto Before = Last;
    const VarDecl *LoopVar = Range->getLoopVariable();
    Locals.push_back(LoopVar);
    assign(nullptr, LoopVar, Elements, nullptr, false);
    walk(Range->getBody());
    for (auto &[V, Nodes] : Before)
      unite(Last[V], Nodes);
    --LoopDepth;
    return;
  }
  if (const auto *W = dyn_cast<WhileStmt>(S)) {
    build(W->getCond());
    Body = W->getBody();
  } else if (const auto *Do = dyn_cast<DoStmt>(S)) {
    Body = Do->getBody();
    build(Do->getCond());
  }
  if (Body) {
    ++LoopDepth;
    auto Before = Last;
    walk(Body);
    for (auto &[V, Nodes] : Before)
      unite(Last[V], Nodes);
    --LoopDepth;
    return;
  }
  if (const auto *E = dyn_cast<Expr>(S)) {
    build(E);
    return;
  }
  // Labels, case bodies, try blocks...: their statements.
  for (const Stmt *Child : S->children())
    walk(Child);
}

std::string Explainer::reasonInactive(const VarDecl *V) const {
  if (const auto *P = dyn_cast<ParmVarDecl>(V)) {
    if (!carriesDerivative(P->getType()))
      return "type '" + P->getType().getAsString() +
             "' carries no derivative";
    if (!Wrt.count(P))
      return "no gradient requested (not in ADJOINT_GRAD)";
    return "differentiated input, but it does not reach the output "
           "(its gradient is zero)";
  }
  if (UnderNoGrad.count(V) && !OutsideNoGrad.count(V))
    return "computed under NoGradGuard (torch.no_grad())";
  if (Detached.count(V))
    return "detached (detach() stops the gradient)";
  if (EverGrad.count(V)) {
    if (DetachedFrom.count(V))
      return "reaches the output only through detach()";
    return "does not reach the output (dead: nothing flows back through it)";
  }
  return "does not depend on a differentiated input";
}

void Explainer::run() {
  Out.Name = FD->getNameAsString();
  PresumedLoc P = SM.getPresumedLoc(SM.getExpansionLoc(FD->getLocation()));
  if (P.isValid()) {
    Out.File = P.getFilename();
    Out.Line = P.getLine();
  }
  std::vector<const ParmVarDecl *> Outputs;
  for (const ParmVarDecl *Param : WrtList) {
    Out.Wrt.push_back(Param->getNameAsString());
    Wrt.insert(Param);
    if (isOutputParam(Param->getType()))
      Outputs.push_back(Param);
  }
  Act.analyze(FD, WrtList, Outputs);
  RankInfo.fromCallSites(FD, RankOf);
  for (const ParmVarDecl *Param : WrtList) {
    unsigned Leaf = node("AccumulateGrad", nullptr, {});
    Out.Nodes[Leaf].Leaf = true;
    Out.Nodes[Leaf].Variable = Param->getNameAsString();
    Last[Param] = {Leaf};
    EverGrad.insert(Param);
  }
  walk(FD->getBody());

  // Roots: the result, then the outputs written through parameters.
  bool ValueResult = isDifferentiableResult(FD->getReturnType());
  if (ValueResult)
    Out.Roots.push_back({"result", Result});
  for (const ParmVarDecl *Param : Outputs) {
    NodeSet Written;
    for (unsigned N : Last[Param])
      if (!Out.Nodes[N].Leaf)
        Written.push_back(N);
    if (!Written.empty())
      Out.Roots.push_back({Param->getNameAsString(), Written});
  }

  auto Describe = [&](const VarDecl *V, StringRef Kind) {
    VariableFact F;
    F.Name = V->getNameAsString();
    F.Kind = Kind.str();
    if (Kind == "local" && !carriesDerivative(V->getType()))
      return;
    F.Active = Act.isActive(V);
    if (F.Active) {
      auto It = Last.find(V);
      if (It != Last.end())
        F.GradFn = It->second;
      if (Wrt.count(V))
        F.Reason = "differentiated input (leaf: AccumulateGrad)";
      else if (F.GradFn.empty())
        F.Reason = "active for the generator (its activity analysis does "
                   "not follow the order of statements), but its last value "
                   "here carries no gradient";
      else
        F.Reason = "depends on a differentiated input and reaches the output";
    } else {
      F.Reason = reasonInactive(V);
    }
    Out.Variables.push_back(std::move(F));
  };
  for (const ParmVarDecl *Param : FD->parameters())
    Describe(Param, "parameter");
  for (const VarDecl *V : Locals)
    Describe(V, "local");
  if (ValueResult) {
    VariableFact F;
    F.Name = "result";
    F.Kind = "result";
    F.Active = !Result.empty();
    F.GradFn = Result;
    F.Reason = F.Active ? "the output: root of the backward graph"
                        : "does not depend on a differentiated input: the "
                          "gradient is zero";
    Out.Variables.push_back(std::move(F));
  }
  if (LoopDepth == 0) {
    bool Loops = false, Branches = false;
    for (const GraphNode &N : Out.Nodes) {
      Loops |= N.Context.find("loop") != std::string::npos;
      Branches |= N.Context.find("branch") != std::string::npos;
    }
    if (Loops)
      Out.Notes.push_back("nodes inside a loop are shown once; at run time "
                          "there is one per iteration");
    if (Branches)
      Out.Notes.push_back("nodes inside a branch exist only when it is taken");
  }
}

/// The nodes reachable from the roots, in creation order.
std::vector<unsigned> reachable(const FunctionExplanation &F) {
  std::vector<bool> Seen(F.Nodes.size());
  std::vector<unsigned> Stack;
  for (const auto &Root : F.Roots)
    for (unsigned N : Root.second)
      Stack.push_back(N);
  while (!Stack.empty()) {
    unsigned N = Stack.back();
    Stack.pop_back();
    if (Seen[N])
      continue;
    Seen[N] = true;
    for (unsigned I : F.Nodes[N].Inputs)
      Stack.push_back(I);
  }
  std::vector<unsigned> Order;
  for (unsigned N = 0; N < F.Nodes.size(); ++N)
    if (Seen[N])
      Order.push_back(N);
  return Order;
}

std::string leafName(const GraphNode &N) {
  return N.Name + "(" + N.Variable + ")";
}

std::string join(const std::vector<std::string> &Parts, StringRef Sep) {
  std::string S;
  for (size_t I = 0; I < Parts.size(); ++I)
    S += (I ? Sep.str() : "") + Parts[I];
  return S;
}

std::string dotEscape(StringRef S) {
  std::string R;
  for (char C : S) {
    if (C == '"' || C == '\\')
      R += '\\';
    R += C;
  }
  return R;
}

} // namespace

std::vector<FunctionExplanation> explainGradients(ASTContext &Ctx) {
  std::vector<FunctionExplanation> Result;
  for (const FunctionDecl *FD : findAnnotatedDefinitions(Ctx)) {
    std::optional<GradAnnotation> Grad = findGradAnnotation(FD);
    if (!Grad)
      continue; // forward mode only: no reverse sweep to explain
    GradAnnotation Note = *Grad;
    std::vector<const ParmVarDecl *> Wrt;
    for (const ParmVarDecl *P : FD->parameters()) {
      bool Listed = Note.Names.empty()
                        ? isDifferentiableParam(P->getType())
                        : llvm::is_contained(Note.Names, P->getName().str());
      if (Listed && isDifferentiableParam(P->getType()))
        Wrt.push_back(P);
    }
    FunctionExplanation F;
    Explainer(Ctx, FD, Wrt, F).run();
    Result.push_back(std::move(F));
  }
  return Result;
}

std::string formatChain(const FunctionExplanation &F,
                        const std::vector<unsigned> &Root) {
  size_t Budget = 2000;
  std::vector<bool> OnPath(F.Nodes.size());
  std::function<std::string(unsigned)> Render = [&](unsigned N) {
    const GraphNode &G = F.Nodes[N];
    if (G.Leaf)
      return leafName(G);
    if (OnPath[N] || Budget == 0)
      return G.Name + " <- ...";
    OnPath[N] = true;
    std::string S = G.Name;
    std::vector<std::string> Parts;
    for (unsigned I : G.Inputs) {
      std::string P = Render(I);
      bool Compound = !F.Nodes[I].Leaf && !F.Nodes[I].Inputs.empty();
      Parts.push_back(Compound && G.Inputs.size() > 1 ? "(" + P + ")" : P);
    }
    OnPath[N] = false;
    if (!Parts.empty())
      S += " <- " + join(Parts, ", ");
    Budget = S.size() > Budget ? 0 : Budget - S.size() / 4;
    return S;
  };
  std::vector<std::string> Parts;
  for (unsigned N : Root)
    Parts.push_back(Render(N));
  return join(Parts, " | ");
}

std::string formatExplanation(const std::vector<FunctionExplanation> &Fns) {
  std::string S;
  if (Fns.empty())
    return "no ADJOINT_GRAD functions\n";
  for (const FunctionExplanation &F : Fns) {
    if (!S.empty())
      S += "\n";
    S += F.Name + " (" + F.File + ":" + std::to_string(F.Line) +
         "): gradient with respect to " +
         (F.Wrt.empty() ? std::string("nothing") : join(F.Wrt, ", ")) + "\n";
    auto NodeNames = [&](const std::vector<unsigned> &Nodes) {
      std::vector<std::string> Names;
      for (unsigned N : Nodes)
        Names.push_back(F.Nodes[N].Leaf ? leafName(F.Nodes[N])
                                        : F.Nodes[N].Name);
      return join(Names, " | ");
    };
    size_t Width = 6;
    for (const VariableFact &V : F.Variables)
      Width = std::max(Width, V.Name.size());
    std::vector<std::string> ActiveNames, InactiveNames;
    for (const VariableFact &V : F.Variables)
      (V.Active ? ActiveNames : InactiveNames).push_back(V.Name);
    S += "  active (requires_grad=True): " +
         (ActiveNames.empty() ? std::string("none") : join(ActiveNames, ", ")) +
         "\n";
    for (const VariableFact &V : F.Variables) {
      if (!V.Active)
        continue;
      S += "    " + V.Name + std::string(Width - V.Name.size() + 2, ' ');
      if (!V.GradFn.empty() && !(V.GradFn.size() == 1 &&
                                 F.Nodes[V.GradFn[0]].Leaf))
        S += "grad_fn=<" + NodeNames(V.GradFn) + ">: ";
      S += V.Reason + "\n";
    }
    S += "  inactive (requires_grad=False): " +
         (InactiveNames.empty() ? std::string("none")
                                : join(InactiveNames, ", ")) +
         "\n";
    for (const VariableFact &V : F.Variables)
      if (!V.Active)
        S += "    " + V.Name + std::string(Width - V.Name.size() + 2, ' ') +
             V.Reason + "\n";

    S += "  backward graph:\n";
    bool Any = false;
    for (const auto &[Out, Root] : F.Roots) {
      if (Root.empty())
        continue;
      Any = true;
      S += "    " + Out + ".grad_fn = " + formatChain(F, Root) + "\n";
      // The tree, one node per line with its operation.
      std::vector<bool> Printed(F.Nodes.size());
      std::function<void(unsigned, unsigned)> Tree = [&](unsigned N,
                                                         unsigned Depth) {
        const GraphNode &G = F.Nodes[N];
        std::string Line(6 + 2 * Depth, ' ');
        Line += G.Leaf ? leafName(G) : G.Name;
        if (!G.Leaf) {
          Line += std::string(Line.size() < 46 ? 46 - Line.size() : 1, ' ');
          Line += "line " + std::to_string(G.Line) + ": " + G.Expr;
          if (!G.Variable.empty())
            Line += " -> " + G.Variable;
          if (!G.Context.empty())
            Line += " (" + G.Context + ")";
          if (!G.Note.empty())
            Line += " [" + G.Note + "]";
          if (Printed[N]) {
            S += Line + " (shared, see above)\n";
            return;
          }
        }
        Printed[N] = true;
        S += Line + "\n";
        for (unsigned I : G.Inputs)
          Tree(I, Depth + 1);
      };
      for (unsigned N : Root)
        Tree(N, 0);
    }
    if (!Any)
      S += "    (empty: the output does not depend on a differentiated "
           "input)\n";
    for (const std::string &Note : F.Notes)
      S += "  note: " + Note + "\n";
  }
  return S;
}

std::string formatDot(const std::vector<FunctionExplanation> &Fns) {
  std::string S = "digraph adjoint {\n"
                  "  node [shape=box, style=filled, fillcolor=white, "
                  "fontname=\"Helvetica\"];\n";
  for (size_t FI = 0; FI < Fns.size(); ++FI) {
    const FunctionExplanation &F = Fns[FI];
    std::string P = "f" + std::to_string(FI) + "_";
    S += "  subgraph cluster_" + std::to_string(FI) + " {\n";
    S += "    label=\"" +
         dotEscape(F.Name + ": gradient with respect to " + join(F.Wrt, ", ")) +
         "\";\n";
    std::vector<unsigned> Nodes = reachable(F);
    for (unsigned N : Nodes) {
      const GraphNode &G = F.Nodes[N];
      std::string Label =
          G.Leaf ? dotEscape(G.Name) + "\\n" + dotEscape(G.Variable)
                 : dotEscape(G.Name) + "\\n" + dotEscape(G.Expr) +
                       (G.Variable.empty() ? "" : " -> " + dotEscape(G.Variable)) +
                       (G.Context.empty() ? "" : "\\n(" + dotEscape(G.Context) + ")");
      S += "    " + P + "n" + std::to_string(N) + " [label=\"" + Label + "\"" +
           (G.Leaf ? ", fillcolor=lightblue" : "") + "];\n";
    }
    for (size_t R = 0; R < F.Roots.size(); ++R) {
      if (F.Roots[R].second.empty())
        continue;
      S += "    " + P + "out" + std::to_string(R) + " [label=\"" +
           dotEscape(F.Roots[R].first) +
           "\", shape=ellipse, fillcolor=darkolivegreen1];\n";
    }
    for (unsigned N : Nodes)
      for (unsigned I : F.Nodes[N].Inputs)
        S += "    " + P + "n" + std::to_string(I) + " -> " + P + "n" +
             std::to_string(N) + ";\n";
    for (size_t R = 0; R < F.Roots.size(); ++R)
      for (unsigned N : F.Roots[R].second)
        S += "    " + P + "n" + std::to_string(N) + " -> " + P + "out" +
             std::to_string(R) + ";\n";
    S += "  }\n";
  }
  S += "}\n";
  return S;
}

} // namespace adjoint
