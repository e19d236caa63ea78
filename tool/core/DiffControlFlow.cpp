//===- DiffControlFlow.cpp - break, continue, return in loops, switch -----===//
//
// Regions (the function body, loops, switches) number their exits in source
// order. The forward sweep records the exit each region (each iteration, for
// loops with 'continue') took in its path variable `_pK`; the reverse sweep
// runs a statement's reverse only when the exit taken is after it, so it
// replays exactly the statements that ran, in reverse order, restoring what
// they overwrote. An exit that leaves several regions (return from nested
// loops, continue from a switch) breaks out of each one and is continued
// after it.
//
//===----------------------------------------------------------------------===//

#include "FunctionDifferentiator.h"

#include "clang/AST/ExprCXX.h"

#include <functional>

using namespace clang;

namespace adjoint {

namespace {
/// Whether \p S has a case label outside nested switches.
bool hasNestedCase(const Stmt *S) {
  if (!S || isa<SwitchStmt>(S) || isa<Expr>(S))
    return false;
  if (isa<SwitchCase>(S))
    return true;
  for (const Stmt *Child : S->children())
    if (hasNestedCase(Child))
      return true;
  return false;
}
} // namespace

void FunctionDifferentiator::scanFlow(const Stmt *S, const Stmt *Region) {
  if (!S)
    return;
  FlowFacts &R = FlowFactsOf[Region];
  FlowPos[S] = R.Kinds.size();
  if (isa<Expr>(S)) {
    FlowPosEnd[S] = R.Kinds.size(); // no exits (lambda bodies are not ours)
    return;
  }
  auto AddExit = [&](const Stmt *X, char Kind) {
    R.Kinds.push_back(Kind);
    FlowExitId[X] = R.Kinds.size();
  };
  bool InFunction = Region == TopBlock;
  if (isa<BreakStmt>(S) || isa<ContinueStmt>(S)) {
    if (!InFunction)
      AddExit(S, isa<BreakStmt>(S) ? 'b' : 'c');
  } else if (isa<ReturnStmt>(S)) {
    // Returns outside loops and switches after which nothing runs are
    // branches of the function; others are exits of the function body.
    if (!InFunction || !TailReturns.count(S))
      AddExit(S, 'r');
  } else if (Activity::isLoop(S) || isa<SwitchStmt>(S)) {
    FlowFacts &N = FlowFactsOf[S];
    if (const auto *For = dyn_cast<ForStmt>(S))
      scanFlow(For->getBody(), S);
    else if (const auto *While = dyn_cast<WhileStmt>(S))
      scanFlow(While->getBody(), S);
    else if (const auto *Do = dyn_cast<DoStmt>(S))
      scanFlow(Do->getBody(), S);
    else
      scanFlow(cast<SwitchStmt>(S)->getBody(), S);
    // 'continue' leaves a switch for its loop; 'return' leaves everything.
    for (char Kind : {'c', 'r'}) {
      if (Kind == 'c' && Activity::isLoop(S))
        continue;
      if (llvm::is_contained(N.Kinds, Kind)) {
        R.Kinds.push_back(Kind);
        FlowCrossId[{S, Kind}] = R.Kinds.size();
      }
    }
  } else {
    for (const Stmt *Child : S->children())
      scanFlow(Child, Region);
  }
  FlowPosEnd[S] = R.Kinds.size();
}

void FunctionDifferentiator::markTailReturns(ArrayRef<const Stmt *> Body) {
  // Mirrors diffSequence: `if (c) { ...; return a; } rest...` is an if/else
  // whose branches both end the function, and a return ends its sequence.
  std::function<void(const Stmt *)> Tail = [&](const Stmt *S) {
    if (!S)
      return;
    if (isa<ReturnStmt>(S))
      TailReturns.insert(S);
    else if (const auto *CS = dyn_cast<CompoundStmt>(S))
      markTailReturns(std::vector<const Stmt *>(CS->body_begin(),
                                                CS->body_end()));
    else if (const auto *If = dyn_cast<IfStmt>(S)) {
      Tail(If->getThen());
      Tail(If->getElse());
    }
  };
  for (size_t I = 0; I < Body.size(); ++I) {
    const auto *If = dyn_cast<IfStmt>(Body[I]);
    if (If && !If->getElse() && endsWithReturn(If->getThen()) &&
        I + 1 < Body.size() && endsWithReturn(Body.back())) {
      Tail(If->getThen());
      markTailReturns(Body.drop_front(I + 1));
      return;
    }
    if (isa<ReturnStmt>(Body[I])) {
      Tail(Body[I]);
      return;
    }
  }
  if (!Body.empty())
    Tail(Body.back());
}

void FunctionDifferentiator::beginFunctionFlow() {
  markTailReturns(
      std::vector<const Stmt *>(TopBlock->body_begin(), TopBlock->body_end()));
  scanFlow(TopBlock, TopBlock);
  FlowRegion F;
  F.Key = TopBlock;
  const FlowFacts &Facts = factsOf(TopBlock);
  if (!Facts.Kinds.empty()) {
    F.Path = fresh("_p");
    declareState("int", F.Path, std::to_string(Facts.end()));
  }
  FlowStack.push_back(std::move(F));
}

CodeBlock FunctionDifferentiator::exitCode(unsigned Id) {
  CodeBlock B;
  FlowRegion &R = FlowStack.back();
  char Kind = factsOf(R.Key).Kinds[Id - 1];
  if (Kind == 'c' && R.IsLoop)
    B.append(R.IncForward); // the increment runs before the path is pushed
  B.line(R.Path + " = " + std::to_string(Id) + ";");
  if (R.Taped) {
    UsesTape = true;
    B.line("_tape.push(" + R.Path + ");", LineKind::Save);
  }
  if (R.Key == TopBlock)
    return B; // the rest of the function is guarded by the path
  B.line(Kind == 'c' && R.IsLoop ? "continue;" : "break;");
  return B;
}

CodeBlock FunctionDifferentiator::propagateExits(const Stmt *Nested,
                                                 const std::string &NestedPath) {
  CodeBlock B;
  const FlowFacts &N = factsOf(Nested);
  for (char Kind : {'c', 'r'}) {
    auto It = FlowCrossId.find({Nested, Kind});
    if (It == FlowCrossId.end())
      continue;
    std::string Cond;
    for (unsigned Id = 1; Id <= N.Kinds.size(); ++Id)
      if (N.Kinds[Id - 1] == Kind)
        Cond += (Cond.empty() ? "" : " || ") + NestedPath +
                " == " + std::to_string(Id);
    B.block("if (" + Cond + ")", exitCode(It->second));
  }
  return B;
}

std::string FunctionDifferentiator::pathAfter(unsigned Pos) {
  const FlowRegion &R = FlowStack.back();
  unsigned End = factsOf(R.Key).end();
  if (Pos + 1 == End)
    return R.Path + " == " + std::to_string(End);
  return R.Path + " > " + std::to_string(Pos);
}

long FunctionDifferentiator::guardOf(const Stmt *S, const Stmt *First) {
  if (FlowStack.empty() || FlowStack.back().Path.empty())
    return -1;
  unsigned Pos = FlowPos.lookup(S);
  return Pos > FlowPos.lookup(First) ? long(Pos) : -1;
}

void FunctionDifferentiator::emitParts(std::vector<FlowPart> &Parts,
                                       bool GuardForward, StmtPair &Out) {
  // Forward: each guard nests inside the previous one, so declarations left
  // in place stay visible to the statements after them.
  CodeBlock Forward;
  for (size_t I = Parts.size(); I-- > 0;) {
    bool GroupStart = I == 0 || Parts[I - 1].Guard != Parts[I].Guard;
    CodeBlock F = Parts[I].Pair.Forward;
    F.append(Forward);
    Forward = std::move(F);
    if (GroupStart && GuardForward && Parts[I].Guard >= 0 && !Forward.empty()) {
      CodeBlock Guarded;
      Guarded.block("if (" + pathAfter(Parts[I].Guard) + ")", Forward);
      Forward = std::move(Guarded);
    }
  }
  Out.Forward.append(Forward);
  // Reverse: groups of equal guards, last statement first.
  for (size_t I = Parts.size(); I > 0;) {
    long Guard = Parts[I - 1].Guard;
    CodeBlock Group;
    for (; I > 0 && Parts[I - 1].Guard == Guard; --I)
      Group.append(Parts[I - 1].Pair.Reverse);
    if (Group.empty())
      continue;
    if (Guard < 0)
      Out.Reverse.append(Group);
    else
      Out.Reverse.block("if (" + pathAfter(Guard) + ")", Group);
  }
}

std::string FunctionDifferentiator::poppedCondition(const IfStmt *If) {
  std::string Pop = "_tape.pop<bool>()";
  if (FlowStack.empty() || FlowStack.back().Path.empty())
    return Pop;
  const std::string &P = FlowStack.back().Path;
  // Exits in the then branch have ids in (ThenBegin, ThenEnd], in the else
  // branch in (ElseBegin, ElseEnd]; the push after the branch is skipped.
  unsigned ThenBegin = FlowPos.lookup(If->getThen());
  unsigned ThenEnd = FlowPosEnd.lookup(If->getThen());
  unsigned ElseBegin = If->getElse() ? FlowPos.lookup(If->getElse()) : 0;
  unsigned ElseEnd = If->getElse() ? FlowPosEnd.lookup(If->getElse()) : 0;
  bool ThenExits = ThenEnd > ThenBegin, ElseExits = ElseEnd > ElseBegin;
  std::string InThen =
      ThenEnd == ThenBegin + 1
          ? P + " == " + std::to_string(ThenEnd)
          : P + " <= " + std::to_string(ThenEnd);
  std::string AfterElse = P + " > " + std::to_string(ElseEnd);
  if (ThenExits && ElseExits)
    return InThen + " || (" + AfterElse + " && " + Pop + ")";
  if (ThenExits)
    return InThen + " || " + Pop;
  if (ElseExits)
    return AfterElse + " && " + Pop;
  return Pop;
}

bool FunctionDifferentiator::replayableCondition(const Expr *Cond) {
  if (!Cond || Cond->HasSideEffects(Ctx))
    return false;
  if (!Stable)
    Stable.emplace(TopBlock);
  auto Known = [&](const VarDecl *V) {
    if (!V->getType()->isArithmeticType())
      return false;
    return llvm::is_contained(LoopCounters, V) ||
           (Stable->isStable(V) &&
            (isa<ParmVarDecl>(V) || Act.isReadInReverse(V)));
  };
  return isRecomputable(Cond, Known, /*Condition=*/true);
}

bool FunctionDifferentiator::conditionUndo(const Expr *Cond, CodeBlock &Undo) {
  if (!Cond || !Cond->HasSideEffects(Ctx, /*IncludePossibleEffects=*/false))
    return true;
  // Collect ++/-- of integer variables; anything else is unsupported.
  std::vector<const UnaryOperator *> Increments;
  bool Other = false;
  std::function<void(const Stmt *)> Walk = [&](const Stmt *S) {
    if (!S)
      return;
    if (const auto *U = dyn_cast<UnaryOperator>(S))
      if (U->isIncrementDecrementOp()) {
        const auto *Ref =
            dyn_cast<DeclRefExpr>(U->getSubExpr()->IgnoreParenImpCasts());
        if (Ref && isa<VarDecl>(Ref->getDecl()) &&
            U->getSubExpr()->getType()->isIntegerType()) {
          Increments.push_back(U);
          return;
        }
        Other = true;
        return;
      }
    if (const auto *E = dyn_cast<Expr>(S))
      if (isa<CallExpr>(E) || isa<CXXNewExpr>(E) ||
          (isa<BinaryOperator>(E) && cast<BinaryOperator>(E)->isAssignmentOp()))
        Other |= E->HasSideEffects(Ctx, false);
    for (const Stmt *Child : S->children())
      Walk(Child);
  };
  Walk(Cond);
  if (Other || Increments.empty())
    return checkNoSideEffects(Cond, "condition");
  // Undone in reverse order of evaluation, exactly, with no tape.
  for (auto It = Increments.rbegin(); It != Increments.rend(); ++It)
    if (lvalueReadInReverse((*It)->getSubExpr()))
      Undo.line(((*It)->isIncrementOp() ? "--" : "++") +
                text((*It)->getSubExpr()) + ";");
  return true;
}

StmtPair FunctionDifferentiator::diffExit(const Stmt *S) {
  StmtPair Out;
  if (FlowStack.empty() || FlowStack.back().Key == TopBlock) {
    unsupported(S, "'break' or 'continue' outside a loop", "");
    return Out;
  }
  Out.Forward = exitCode(FlowExitId.lookup(S));
  return Out;
}

StmtPair FunctionDifferentiator::diffSwitch(const SwitchStmt *SS) {
  StmtPair Out;
  if (SS->getConditionVariable()) {
    unsupported(SS, "a 'switch' with a condition variable",
                "declare the variable before the 'switch'");
    return Out;
  }
  // `switch (init; cond)` is `{ init; switch (cond) ... }`.
  if (const Stmt *Init = SS->getInit()) {
    StmtPair InitPair = diffStmt(Init);
    StmtPair Switch = diffSwitchAfterInit(SS);
    InitPair.Forward.append(Switch.Forward);
    Out.Forward.block("", InitPair.Forward);
    Out.Reverse.append(Switch.Reverse);
    Out.Reverse.append(InitPair.Reverse);
    return Out;
  }
  return diffSwitchAfterInit(SS);
}

StmtPair FunctionDifferentiator::diffSwitchAfterInit(const SwitchStmt *SS) {
  StmtPair Out;
  const Expr *Cond = SS->getCond();
  if (!checkNoSideEffects(Cond, "switch condition"))
    return Out;
  const auto *Body = dyn_cast<CompoundStmt>(SS->getBody());
  if (!Body) {
    unsupported(SS, "a 'switch' without braces", "add braces");
    return Out;
  }
  // Segments: the statements from one group of labels to the next.
  struct Segment {
    std::vector<std::string> Values;
    std::vector<const Stmt *> Stmts;
  };
  std::vector<Segment> Segments;
  long Default = -1;
  for (const Stmt *C : Body->body()) {
    bool Labeled = false;
    while (const auto *SC = dyn_cast<SwitchCase>(C)) {
      if (!Labeled)
        Segments.emplace_back();
      Labeled = true;
      if (const auto *Case = dyn_cast<CaseStmt>(SC)) {
        if (Case->getRHS()) {
          unsupported(Case, "a case range", "list the values");
          return Out;
        }
        Segments.back().Values.push_back(text(Case->getLHS()));
      } else {
        Default = Segments.size() - 1;
      }
      C = SC->getSubStmt();
    }
    if (Segments.empty())
      continue; // unreachable: before the first label
    if (hasNestedCase(C)) {
      unsupported(C, "a case label inside a nested statement",
                  "put every label directly in the switch body");
      return Out;
    }
    Segments.back().Stmts.push_back(C);
  }

  // The segment entered: the recorded case index.
  std::string Key = text(Cond);
  if (!isa<DeclRefExpr>(Cond->IgnoreParenImpCasts()))
    Key = "(" + Key + ")";
  std::string Entry =
      std::to_string(Default >= 0 ? Default : long(Segments.size()));
  for (size_t J = Segments.size(); J-- > 0;) {
    if (Segments[J].Values.empty())
      continue;
    std::string Test;
    for (const std::string &V : Segments[J].Values)
      Test += (Test.empty() ? "" : " || ") + Key + " == " + V;
    Entry = Test + " ? " + std::to_string(J) + " : " + Entry;
  }
  std::string S = fresh("_s");
  declareState("int", S);
  FlowRegion Region;
  Region.Key = SS;
  const FlowFacts &Facts = factsOf(SS);
  if (!Facts.Kinds.empty()) {
    Region.Path = fresh("_p");
    declareState("int", Region.Path);
  }
  std::string Path = Region.Path;
  FlowStack.push_back(std::move(Region));
  bool ReturnedBefore = SeenReturn;
  ++BranchDepth;
  std::vector<StmtPair> Pairs;
  // Segments that fall through share an arm: their calls may all run.
  unsigned Branch = RecordBranches++, Arm = 0;
  for (const Segment &Seg : Segments) {
    std::vector<FlowPart> Parts;
    bool Exits = false;
    for (const Stmt *St : Seg.Stmts) {
      // Guarded when an exit of the switch precedes it.
      long Guard = Path.empty() || FlowPos.lookup(St) == 0
                       ? -1
                       : long(FlowPos.lookup(St));
      Parts.push_back(
          {Guard, inArm(Branch, Arm, [&] { return diffStmt(St); })});
      Exits = isa<BreakStmt>(St) || isa<ContinueStmt>(St) ||
              isa<ReturnStmt>(St);
      if (Exits)
        break;
    }
    if (Exits)
      ++Arm;
    StmtPair P;
    emitParts(Parts, /*GuardForward=*/false, P);
    Pairs.push_back(std::move(P));
  }
  --BranchDepth;
  FlowStack.pop_back();
  bool AllReturn = Default >= 0 && !llvm::is_contained(Facts.Kinds, 'b') &&
                   !Segments.empty() && !Segments.back().Stmts.empty() &&
                   endsWithReturn(Segments.back().Stmts.back());
  SeenReturn = ReturnedBefore || AllReturn;

  Out.Forward.line(S + " = " + Entry + ";");
  if (!Path.empty())
    Out.Forward.line(Path + " = " + std::to_string(Facts.end()) + ";");
  CodeBlock Cases;
  bool AnyReverse = false;
  for (size_t J = 0; J < Pairs.size(); ++J) {
    Cases.block("case " + std::to_string(J) + ":", Pairs[J].Forward);
    AnyReverse |= !Pairs[J].Reverse.empty();
  }
  Out.Forward.block("switch (" + S + ")", Cases);
  if (AnyReverse) {
    if (needsTape()) {
      UsesTape = true;
      Out.Forward.line("_tape.push(" + S + ");", LineKind::Save);
      if (!Path.empty()) {
        Out.Forward.line("_tape.push(" + Path + ");", LineKind::Save);
        Out.Reverse.line(Path + " = _tape.pop<int>();");
      }
      Out.Reverse.line(S + " = _tape.pop<int>();");
    }
    // Segment J ran when the switch entered at or before it.
    for (size_t J = Pairs.size(); J-- > 0;)
      if (!Pairs[J].Reverse.empty())
        Out.Reverse.block("if (" + S + (J ? " <= " : " == ") +
                              std::to_string(J) + ")",
                          Pairs[J].Reverse);
  }
  if (!Path.empty())
    Out.Forward.append(propagateExits(SS, Path));
  return Out;
}

} // namespace adjoint
