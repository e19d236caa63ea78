//===- DiffStmt.cpp - Forward/reverse pairs of statements -----------------===//

#include "Algorithms.h"
#include "ClangCompat.h"
#include "CountedLoop.h"
#include "FunctionDifferentiator.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Basic/Builtins.h"

#include <map>

using namespace clang;

namespace adjoint {

bool endsWithReturn(const Stmt *S) {
  if (!S)
    return false;
  if (isa<ReturnStmt>(S))
    return true;
  if (const auto *CS = dyn_cast<CompoundStmt>(S))
    return !CS->body_empty() && endsWithReturn(CS->body_back());
  if (const auto *If = dyn_cast<IfStmt>(S))
    return endsWithReturn(If->getThen()) && endsWithReturn(If->getElse());
  return false;
}

std::string FunctionDifferentiator::save(const std::string &LValue, QualType T,
                                         CodeBlock &Forward) {
  return LValue + " = " + saveValue(LValue, T, Forward) + ";";
}

std::string FunctionDifferentiator::saveValue(const std::string &Value,
                                              QualType T, CodeBlock &Forward) {
  QualType Plain = T.getNonReferenceType().getUnqualifiedType();
  std::string Type = typeName(Plain);
  if (needsTape() && !Plain.isTriviallyCopyableType(Ctx))
    return saveObject(Value, Type, Forward);
  if (needsTape()) {
    UsesTape = true;
    Forward.line("_tape.push(" + Value + ");", LineKind::Save);
    return "_tape.pop<" + Type + ">()";
  }
  std::string Saved = fresh("_t");
  declareState(Type, Saved, stateInit(Plain), isPlain(Plain));
  Forward.line(Saved + " = " + Value + ";", LineKind::Save);
  return Saved;
}

std::string FunctionDifferentiator::saveObject(const std::string &Value,
                                               const std::string &Type,
                                               CodeBlock &Forward) {
  std::string &Tape = ObjectTapes[Type];
  if (Tape.empty()) {
    Tape = fresh("_tape_objects");
    declareState("::adjoint::ObjectTape<" + Type + ">", Tape, "",
                 /*Plain=*/false);
  }
  Forward.line(Tape + ".push(" + Value + ");", LineKind::Save);
  return Tape + ".pop()";
}

bool FunctionDifferentiator::checkNoSideEffects(const Expr *E,
                                                StringRef What) {
  if (!E || !E->HasSideEffects(Ctx, /*IncludePossibleEffects=*/false))
    return true;
  unsupported(E, ("a " + What + " with side effects").str(),
              "move the side effect into a separate statement");
  return false;
}

bool FunctionDifferentiator::holdsQuotient(const VarDecl *V,
                                           const Expr *Value) const {
  const auto *Div = dyn_cast<BinaryOperator>(Value->IgnoreParens());
  return Div && V && Act.quotientHolder(Div) == V;
}

StmtPair FunctionDifferentiator::diffStmt(const Stmt *S) {
  if (!S || isa<NullStmt>(S))
    return {};
  if (const auto *CS = dyn_cast<CompoundStmt>(S))
    return diffCompound(CS);
  if (const auto *DS = dyn_cast<DeclStmt>(S))
    return diffDecl(DS);
  if (const auto *RS = dyn_cast<ReturnStmt>(S))
    return diffReturn(RS);
  if (const auto *If = dyn_cast<IfStmt>(S))
    return diffIf(If);
  if (const auto *For = dyn_cast<ForStmt>(S))
    return diffLoop(For->getInit(), For->getCond(), For->getInc(),
                    For->getBody(), true, For);
  if (const auto *While = dyn_cast<WhileStmt>(S))
    return diffLoop(nullptr, While->getCond(), nullptr, While->getBody(),
                    true, While);
  if (const auto *Do = dyn_cast<DoStmt>(S))
    return diffLoop(nullptr, Do->getCond(), nullptr, Do->getBody(), false, Do);
  if (const auto *E = dyn_cast<Expr>(S))
    return diffExprStmt(E);
  if (isa<BreakStmt>(S) || isa<ContinueStmt>(S))
    return diffExit(S);
  if (isa<GotoStmt>(S) || isa<IndirectGotoStmt>(S) || isa<LabelStmt>(S)) {
    unsupported(S, "'goto'", "use structured control flow");
    return {};
  }
  if (const auto *Switch = dyn_cast<SwitchStmt>(S))
    return diffSwitch(Switch);
  if (isa<CXXTryStmt>(S)) {
    unsupported(S, "a 'try' block", "move exception handling out of the "
                                    "differentiated function");
    return {};
  }
  if (const auto *RangeFor = dyn_cast<CXXForRangeStmt>(S))
    return diffRangeFor(RangeFor);
  if (isa<AsmStmt>(S)) {
    unsupported(S, "inline assembly", "provide a custom pullback");
    return {};
  }
  unsupported(S, std::string("a '") + S->getStmtClassName() + "' statement",
              "provide a custom pullback for the enclosing function");
  return {};
}

StmtPair FunctionDifferentiator::diffCompound(const CompoundStmt *CS) {
  if (CS == TopBlock && FlowStack.empty()) {
    beginFunctionFlow();
    StmtPair Out = diffCompound(CS);
    FlowStack.pop_back();
    return Out;
  }
  std::vector<const Stmt *> Body(CS->body_begin(), CS->body_end());
  return diffSequence(Body);
}

StmtPair FunctionDifferentiator::diffSequence(ArrayRef<const Stmt *> Body) {
  StmtPair Out;
  std::vector<FlowPart> Parts;
  bool OuterNoGrad = NoGrad;
  // After a possible exit, statements run only when the exit taken is after
  // them; in the function body the forward sweep is guarded too (in loops
  // and switches, break and continue skip them).
  bool InFunction = !FlowStack.empty() && FlowStack.back().Key == TopBlock;
  // Local references written back to what they alias (writeBackTarget).
  std::vector<std::pair<const VarDecl *, const Expr *>> WriteBacks;
  for (size_t I = 0; I < Body.size(); ++I) {
    const Stmt *S = Body[I];
    if (isCheckpointMarker(S))
      continue; // findCheckpoints() read it
    if (I > 0 && Activity::isNoGradGuard(Body[I - 1]))
      NoGrad = true; // like torch.no_grad(): inactive to the end of the block
    long Guard = guardOf(S, Body[0]);
    bool GuardedForward = InFunction && Guard >= 0;
    BranchDepth += GuardedForward;
    // `if (c) { ...; return a; } rest...` is `if (c) {...} else { rest }`.
    const auto *If = dyn_cast<IfStmt>(S);
    if (InFunction && If && !If->getElse() && endsWithReturn(If->getThen()) &&
        I + 1 < Body.size() && endsWithReturn(Body.back())) {
      ArrayRef<const Stmt *> Rest = Body.drop_front(I + 1);
      StmtPair P = diffBranches(
          If, [&] { return diffStmt(If->getThen()); },
          [&] { return diffSequence(Rest); });
      BranchDepth -= GuardedForward;
      Parts.push_back({Guard, std::move(P)});
      break;
    }
    StmtPair P = diffStmt(S);
    writeBack(S, WriteBacks, P);
    Parts.push_back({Guard, std::move(P)});
    BranchDepth -= GuardedForward;
    if (isa<ReturnStmt>(S) || isa<BreakStmt>(S) || isa<ContinueStmt>(S))
      break; // the rest is unreachable
  }
  NoGrad = OuterNoGrad;
  emitParts(Parts, InFunction, Out);
  return Out;
}

void FunctionDifferentiator::writeBack(
    const Stmt *S,
    std::vector<std::pair<const VarDecl *, const Expr *>> &WriteBacks,
    StmtPair &P) {
  for (auto [Ref, Target] : WriteBacks) {
    if (!StableVariables::mayWrite(S, Ref))
      continue;
    QualType T = Ref->getType().getNonReferenceType();
    std::string Restore;
    if (Act.isNeededBefore(Activity::writtenVar(Target), S))
      Restore = save(text(Target), T, P.Forward);
    P.Forward.line(text(Target) + " = " + info(Ref).Name + ";",
                  storeKind(Activity::writtenVar(Target)));
    CodeBlock Reverse;
    std::string TargetAdjoint = adjointLValue(Target);
    if (!TargetAdjoint.empty()) {
      if (isActiveVar(Ref))
        Reverse.line(adjointOf(Ref) + " += " + TargetAdjoint + ";");
      Reverse.line(TargetAdjoint + " = 0;");
    }
    if (!Restore.empty())
      Reverse.line(Restore);
    Reverse.append(P.Reverse);
    P.Reverse = std::move(Reverse);
  }
  if (const auto *DS = dyn_cast<DeclStmt>(S))
    if (const auto *V = DS->isSingleDecl()
                            ? dyn_cast<VarDecl>(DS->getSingleDecl())
                            : nullptr)
      if (const Expr *Target = writeBackTarget(V, parentBlock(Ctx, DS), DS))
        WriteBacks.push_back({V, Target});
}

StmtPair FunctionDifferentiator::diffDecl(const DeclStmt *DS) {
  StmtPair Out;
  // Top-level declarations stay where they are; nested ones are hoisted so
  // the reverse sweep, which runs after their blocks closed, can see them.
  bool InPlace = false;
  for (const Stmt *S : TopBlock->body())
    InPlace |= S == DS && BranchDepth == 0 && LoopDepth == 0;
  for (const Decl *D : DS->decls())
    if (const auto *Bindings = dyn_cast<DecompositionDecl>(D))
      if (!checkStructuredBinding(DS, Bindings, InPlace))
        return Out;
  // Declarations the reverse sweep never looks at stay as the user wrote
  // them, wherever they are.
  bool Untouched = true;
  for (const Decl *D : DS->decls())
    if (const auto *V = dyn_cast<VarDecl>(D)) {
      Untouched &= !isActiveVar(V) && !readInReverse(V) &&
                   info(V).Name == V->getNameAsString(); // not renamed
      // Writes through a reference would escape the activity analysis.
      if (V->getType()->isReferenceType() &&
          carriesDerivative(V->getType().getNonReferenceType()) &&
          !isCopyLikeReference(Ctx, V, DS) &&
          !writeBackTarget(V, parentBlock(Ctx, DS), DS)) {
        unsupported(DS, "a local reference '" + V->getNameAsString() + "'",
                    "copy the value into a local variable, or pass it to a "
                    "function by reference");
        return Out;
      }
    }
  // A NoGradGuard does nothing at run time: nested blocks, whose locals may
  // be hoisted or renamed, drop it.
  if (Activity::isNoGradGuard(DS) && !InPlace)
    return Out;
  // A closure is never assigned again, and the reverse sweep calls its
  // pullback, not the closure: its declaration stays as written.
  if (const auto *V = DS->isSingleDecl() ? dyn_cast<VarDecl>(DS->getSingleDecl())
                                         : nullptr;
      V && V->getType()->getAsCXXRecordDecl() &&
      V->getType()->getAsCXXRecordDecl()->isLambda() && !isActiveVar(V))
    if (auto T = Source.get(DS->getSourceRange(), Replacements)) {
      Out.Forward.line(*T);
      capturingPullback(DS, V);
      return Out;
    }
  // `bool ok = residual(x, r);` matters through what the call writes.
  if (const CallExpr *Call = declaredCall(DS))
    if (auto T = Source.get(DS->getSourceRange(), Replacements)) {
      // A split-mode record keeps what the reverse sweep reads (`ok`).
      const auto *V = cast<VarDecl>(DS->getSingleDecl());
      if (readInReverse(V))
        State.push_back({typeName(V->getType().getUnqualifiedType()),
                         info(V).Name, true, isPlain(V->getType())});
      return diffCallStmt(Call, nullptr, *T);
    }
  // The user's text spells its own real types, which a second-order sweep
  // respells.
  if (Untouched && Request.RealType.empty() &&
      (InPlace || LoopDepth > 0 || BranchDepth > 0)) {
    if (auto T = Source.get(DS->getSourceRange(), Replacements)) {
      Out.Forward.line(*T);
      return Out;
    }
  }
  std::vector<CodeBlock> Reverses;
  for (const Decl *D : DS->decls()) {
    const auto *V = dyn_cast<VarDecl>(D);
    if (!V)
      continue; // local typedefs, using-declarations and the like
    QualType T = V->getType();
    VarInfo &I = info(V);
    if (isa<DecompositionDecl>(V)) {
      // Only the user's text declares its names.
      unsupported(DS, "a structured binding in this sweep",
                  "copy the values into locals");
      continue;
    }
    if (V->isStaticLocal()) {
      // A constant table keeps its value: declared once at the top of the
      // generated function, where the reverse sweep sees it too.
      if (T.isConstant(Ctx) && !I.Active && I.Name == V->getNameAsString()) {
        const Expr *Init = V->getInit();
        Constants.line("static " + declaration(T, I.Name) +
                      (Init ? initializerText(V, Init) : "") + ";");
        continue;
      }
      unsupported(DS, "a static local variable that is not constant",
                  "make it a non-static local");
      continue;
    }
    if (T->isVariableArrayType()) {
      unsupported(DS, "the variable-length array '" + I.Name + "'",
                  "use 'std::vector<" +
                      typeName(Ctx.getBaseElementType(T).getUnqualifiedType()) +
                      "> " + I.Name + "(n)' instead");
      continue;
    }
    if (T->isReferenceType() && !isCopyLikeReference(Ctx, V, DS) &&
        !writeBackTarget(V, parentBlock(Ctx, DS), DS)) {
      unsupported(DS, "a local reference", "use a value or a pointer");
      continue;
    }
    // A const reference to a real that keeps its value is read as a copy.
    T = T.getNonReferenceType();
    const Expr *Init = V->getInit();
    bool DefaultConstructed = false;
    if (const auto *Construct = dyn_cast_or_null<CXXConstructExpr>(Init))
      if (Construct->getNumArgs() == 0) {
        Init = nullptr; // `Tensor z;`: default construction
        DefaultConstructed = true;
      }
    const auto *New =
        Init ? dyn_cast<CXXNewExpr>(Init->IgnoreParenImpCasts()) : nullptr;
    if (T->isConstantArrayType() || isRealVector(T) || New) {
      Out.Forward.append(diffBufferDecl(DS, V, InPlace, Reverses));
      continue;
    }
    bool Scalar = T->isArithmeticType() || T->isPointerType() ||
                  isTensor(T) || isRealStruct(T);
    if (!Scalar && (I.Active || !InPlace)) {
      unsupported(DS, "a local variable of type '" + typeName(T) + "'",
                  InPlace ? "use float or double locals"
                          : "declare it at the function's top level");
      continue;
    }
    // `double t{a * a};` initializes t with its one element.
    if (const auto *List = dyn_cast_or_null<InitListExpr>(Init))
      if (!isRealStruct(T) && List->getNumInits() == 1)
        Init = List->getInit(0);
    if (Init && isa<InitListExpr>(Init) && !isRealStruct(T)) {
      unsupported(Init, "a braced initializer", "use '='");
      continue;
    }
    // A pointer's adjoint is derived from the buffer it points into.
    bool HasAdjoint = I.Active && !T->isPointerType();
    StmtPair P;
    CodeBlock Restore;
    if (InPlace) {
      // Keep the user's own declaration text where possible.
      std::string Decl = typeName(T) + " " + I.Name;
      if (Init) {
        if (HasAdjoint)
          diffExpr(Init, I.AdjName, P.Reverse);
        CodeBlock CacheReverse;
        flushCaches(P.Forward, CacheReverse);
        CacheReverse.append(P.Reverse);
        P.Reverse = std::move(CacheReverse);
        Decl += initializerText(V, Init);
      }
      P.Forward.line(Decl + ";");
      State.push_back(
          {typeName(T.getUnqualifiedType()), I.Name, true, isPlain(T)});
    } else {
      declareState(typeName(T.getUnqualifiedType()), I.Name, stateInit(T),
                   isPlain(T));
      // `Dist g;` in a loop body builds a new object each iteration: the
      // hoisted one is built again (the previous iteration's state, which
      // the reverse sweep reads, saved first).
      if (DefaultConstructed && isRealStruct(T)) {
        std::string RestoreLine;
        if (LoopDepth > 0 && (readInReverse(V) || I.Active))
          RestoreLine = save(I.Name, T, P.Forward);
        P.Forward.line(I.Name + " = " + typeName(T.getUnqualifiedType()) +
                       "();");
        if (HasAdjoint)
          P.Reverse.line(I.AdjName + " = " + zeroOf(T) + ";");
        if (!RestoreLine.empty())
          P.Reverse.line(RestoreLine);
      }
      if (Init) {
        CodeBlock Adjoint;
        if (HasAdjoint) {
          std::string R = fresh("_r");
          if (isTensor(T)) { // moving out leaves the adjoint undefined (zero)
            Adjoint.line(adjointDecl(T, R, "std::move(" + I.AdjName + ")"));
          } else {
            Adjoint.line(adjointDecl(T, R, I.AdjName));
            Adjoint.line(I.AdjName + " = " + zeroOf(T) + ";");
          }
          diffExpr(Init, R, Adjoint);
          Adjoint.foldZeroedAccumulation(I.AdjName);
        }
        std::string RestoreLine;
        if (LoopDepth > 0 && Act.isNeededBefore(V, DS))
          RestoreLine = save(I.Name, T, P.Forward);
        CodeBlock CacheReverse;
        flushCaches(P.Forward, CacheReverse);
        P.Forward.line(I.Name + " = " + initializerValue(V, Init) + ";");
        P.Reverse.append(CacheReverse);
        bool ReadsNewValue = holdsQuotient(V, Init);
        if (!RestoreLine.empty() && !ReadsNewValue)
          P.Reverse.line(RestoreLine);
        P.Reverse.append(Adjoint);
        if (!RestoreLine.empty() && ReadsNewValue)
          P.Reverse.line(RestoreLine);
      }
    }
    Out.Forward.append(P.Forward);
    Reverses.push_back(std::move(P.Reverse));
  }
  for (auto It = Reverses.rbegin(); It != Reverses.rend(); ++It)
    Out.Reverse.append(*It);
  return Out;
}

std::string FunctionDifferentiator::initializerValue(const VarDecl *V,
                                                     const Expr *Init) {
  // `V3 v(a, b);` spells only the arguments after the name.
  std::string Text = initializerText(V, Init);
  if (startsWith(Text, " = "))
    return Text.substr(3);
  return typeName(V->getType().getNonReferenceType().getUnqualifiedType()) +
         (Text.empty() ? "()" : Text);
}

std::string FunctionDifferentiator::initializerText(const VarDecl *V,
                                                    const Expr *Init) {
  // `std::vector<size_t> r(n)` and `S s{a, b}` call a constructor: their
  // arguments are spelled again in the declaration's own syntax.
  const auto *Construct = dyn_cast<CXXConstructExpr>(Init->IgnoreImplicit());
  if (Construct && V->getInitStyle() != VarDecl::CInit &&
      !isa<CXXTemporaryObjectExpr>(Construct)) {
    bool List = V->getInitStyle() == VarDecl::ListInit;
    std::string Args;
    for (const Expr *Arg : Construct->arguments())
      if (!isa<CXXDefaultArgExpr>(Arg))
        Args += (Args.empty() ? "" : ", ") + text(Arg);
    if (Args.empty() && !List)
      return ""; // `Dist g;`: `Dist g()` would declare a function
    return List ? "{" + Args + "}" : "(" + Args + ")";
  }
  return " = " + text(Init);
}

CodeBlock FunctionDifferentiator::diffBufferDecl(
    const DeclStmt *DS, const VarDecl *V, bool InPlace,
    std::vector<CodeBlock> &Reverses) {
  CodeBlock Forward;
  VarInfo &I = info(V);
  QualType T = V->getType();
  const Expr *Init = V->getInit();
  const auto *New =
      Init ? dyn_cast<CXXNewExpr>(Init->IgnoreParenImpCasts()) : nullptr;
  const InitListExpr *List = Activity::elementList(Init);
  const auto *Array = Ctx.getAsConstantArrayType(T);
  // `std::vector<double> o(v.size(), 0.0)`: differentiated data only in a
  // size, an integer.
  auto OnlySized = [&](const Expr *E) {
    const auto *Construct = dyn_cast<CXXConstructExpr>(E->IgnoreImplicit());
    return Construct &&
           llvm::all_of(Construct->arguments(), [&](const Expr *Arg) {
             return Arg->IgnoreParenImpCasts()
                        ->getType()
                        ->isIntegralOrEnumerationType() ||
                    !referencesActive(Arg);
           });
  };
  if (!InPlace) {
    if (Array && !Init) {
      Prologue.line(declaration(T, I.Name) + ";");
      State.push_back({declaration(T, I.Name), I.Name, false, false});
      return Forward;
    }
    // Outside loops (after an early return, in a branch) the declaration runs
    // at most once: it is hoisted, and its initializer becomes assignments.
    bool FlatArray = Array && List &&
                     (Array->getElementType()->isArithmeticType() ||
                      isRealStruct(Array->getElementType()));
    if (LoopDepth > 0) {
      unsupported(DS, "a local array, std::vector or new[] in a loop body",
                  "declare it before the loop");
      return Forward;
    }
    if (!FlatArray && !isRealVector(T)) {
      unsupported(DS,
                  "a new[] buffer or an array of arrays in a nested block",
                  "declare it at the function's top level");
      return Forward;
    }
    if (FlatArray) {
      if (isRealStruct(Array->getElementType()))
        Prologue.append(structArrayZero(T, I.Name));
      else
        Prologue.line(declaration(T, I.Name) + ";");
      State.push_back({declaration(T, I.Name), I.Name, false, false});
      for (uint64_t K = 0; K < Array->getSize().getZExtValue(); ++K)
        Forward.line(
            I.Name + "[" + std::to_string(K) + "] = " +
            (K < List->getNumInits() ? text(List->getInit(K))
             : isRealStruct(Array->getElementType())
                 ? typeName(Array->getElementType().getUnqualifiedType()) + "{}"
                 : "0") +
            ";");
    } else {
      std::string Type = typeName(T.getUnqualifiedType());
      Prologue.line(Type + " " + I.Name + ";");
      State.push_back({Type, I.Name, true, isPlain(T)});
      std::string Value = !Init ? "()" : initializerText(V, Init);
      Forward.line(I.Name + (Value.rfind(" = ", 0) == 0 ? Value
                                                        : " = " + Type + Value) +
                   ";");
    }
  } else {
    // The user's text for a declaration of one variable; each variable of
    // `double a[2], b[2];` is declared on its own.
    // Not where the real type is respelled (second-order sweeps).
    auto Text = DS->isSingleDecl() && Request.RealType.empty()
                    ? Source.get(DS->getSourceRange(), Replacements)
                    : std::nullopt;
    if (!Text)
      Text = declaration(T, I.Name) + (Init ? initializerText(V, Init) : "") +
             ";";
    Forward.line(*Text);
    // Arrays cannot be moved into a split-mode tape, and new[] buffers are
    // freed by the reverse sweep.
    State.push_back({typeName(T.getUnqualifiedType()), I.Name,
                     isRealVector(T) || (!New && !T->isConstantArrayType()),
                     isPlain(T)});
  }
  if (!I.Active)
    return Forward;
  CodeBlock Reverse;
  if (New) {
    if (!New->isArray() || !New->getArraySize()) {
      unsupported(New, "this 'new' expression", "allocate with 'new T[n]'");
      return Forward;
    }
    std::string Element = typeName(T->getPointeeType().getUnqualifiedType());
    Forward.line(I.AdjName + " = new " + Element + "[" +
                 text(*New->getArraySize()) + "]();");
    Epilogue.line("delete[] " + I.AdjName + ";");
  } else if (List) {
    for (unsigned K = 0; K < List->getNumInits(); ++K)
      diffExpr(List->getInit(K), I.AdjName + "[" + std::to_string(K) + "]",
               Reverse);
  } else if (Init && referencesActive(Init) && !OnlySized(Init)) {
    unsupported(Init, "a std::vector initialized from differentiated values",
                "create it with its size and assign the elements");
  }
  CodeBlock CacheReverse;
  flushCaches(Forward, CacheReverse);
  CacheReverse.append(Reverse);
  Reverses.push_back(std::move(CacheReverse));
  return Forward;
}

StmtPair FunctionDifferentiator::diffAssignTo(const Expr *LHS, const Expr *RHS,
                                              BinaryOperatorKind Op,
                                              const Stmt *S) {
  StmtPair Out;
  const VarDecl *Target = Activity::writtenVar(LHS);
  if (!Target) {
    if (isActiveExpr(RHS))
      unsupported(LHS, "an assignment to this kind of expression",
                  "assign to a variable, 'p[i]' or '*p'");
    else
      Out.Forward.line(text(cast<Expr>(S)) + ";");
    return Out;
  }
  if (!checkNoSideEffects(RHS, "right-hand side"))
    return Out;
  QualType T = LHS->getType();
  if (isActiveVar(Target) && isRealVector(T)) {
    unsupported(S, "an assignment to a whole differentiated std::vector",
                "assign its elements one by one ('v[i] = ...'), or create it "
                "with its size or a braced list of its elements");
    return Out;
  }
  bool Active = isActiveVar(Target) && (isReal(T) || isTensor(T) ||
                                        isRealStruct(T));
  if (Active && isRealStruct(T) && Op != BO_Assign) {
    unsupported(S, "a compound assignment to a struct",
                "assign the fields one by one");
    return Out;
  }
  if (Active && isTensor(T) && Op != BO_Assign) {
    unsupported(S, "a compound assignment to a tensor",
                "write 'z = z + u' instead of 'z += u'");
    return Out;
  }
  bool IntegerInverse = false;
  CodeBlock Adjoint;
  if (Active) {
    std::string DL = adjointLValue(LHS);
    std::string R = fresh("_r");
    // A tensor adjoint moves out, which leaves it undefined (zero).
    bool MoveOut = isTensor(T) && Op == BO_Assign;
    Adjoint.line(adjointDecl(T, R, MoveOut ? "std::move(" + DL + ")" : DL));
    switch (Op) {
    case BO_Assign:
      if (!MoveOut)
        Adjoint.line(DL + " = " + zeroOf(T) + ";");
      diffExpr(RHS, R, Adjoint);
      Adjoint.foldZeroedAccumulation(DL);
      break;
    case BO_AddAssign:
      diffExpr(RHS, R, Adjoint);
      break;
    case BO_SubAssign:
      diffExpr(RHS, "-" + R, Adjoint);
      break;
    case BO_MulAssign: {
      std::string L = valueOf(LHS), Rv = valueOf(RHS);
      Adjoint.line(DL + " = " + R + " * (" + Rv + ");");
      diffExpr(RHS, "(" + L + ") * " + R, Adjoint);
      break;
    }
    case BO_DivAssign: {
      std::string L = valueOf(LHS), Rv = valueOf(RHS);
      Adjoint.line(DL + " = " + R + " / (" + Rv + ");");
      diffExpr(RHS, "-" + R + " * (" + L + ") / ((" + Rv + ") * (" + Rv + "))",
               Adjoint);
      break;
    }
    default:
      unsupported(S, "this compound assignment", "use '=', '+=', '-=', '*=' "
                                                 "or '/='");
      return Out;
    }
  } else if (!isReal(T) && T->isIntegerType() &&
             (Op == BO_AddAssign || Op == BO_SubAssign)) {
    // Integer updates are undone exactly by the inverse update.
    llvm::SmallVector<const VarDecl *, 4> Refs;
    Activity::allReferenced(RHS, Refs);
    IntegerInverse = llvm::find(Refs, Target) == Refs.end() &&
                     isa<DeclRefExpr>(LHS->IgnoreParenImpCasts());
  }

  std::string RestoreLine;
  if (neededBefore(LHS, S)) {
    if (IntegerInverse)
      RestoreLine = text(LHS) + (Op == BO_AddAssign ? " -= " : " += ") +
                    text(RHS) + ";";
    else
      RestoreLine = save(text(LHS), T, Out.Forward);
  }
  CodeBlock CacheReverse;
  flushCaches(Out.Forward, CacheReverse);
  Out.Forward.line(text(cast<Expr>(S)) + ";", storeKind(Target));
  Out.Reverse.append(CacheReverse);
  // An adjoint that reads the quotient from the target needs its new value;
  // it reads nothing else of the target's.
  bool ReadsNewValue = Op == BO_Assign && holdsQuotient(Target, RHS);
  if (!RestoreLine.empty() && !ReadsNewValue)
    Out.Reverse.line(RestoreLine);
  Out.Reverse.append(Adjoint);
  if (!RestoreLine.empty() && ReadsNewValue)
    Out.Reverse.line(RestoreLine);
  return Out;
}

StmtPair FunctionDifferentiator::diffIncrement(const UnaryOperator *U) {
  StmtPair Out;
  const Expr *Sub = U->getSubExpr();
  Out.Forward.line(text(U) + ";", storeKind(Activity::writtenVar(Sub)));
  if (!neededBefore(Sub, U))
    return Out; // x++ has derivative 1: the adjoint passes through unchanged
  // Increments are undone exactly by the opposite increment, with no tape.
  bool Up = U->isIncrementOp();
  if (Sub->getType()->isIntegerType() || Sub->getType()->isPointerType())
    Out.Reverse.line((Up ? "--" : "++") + text(Sub) + ";");
  else {
    CodeBlock Forward;
    std::string Restore = save(text(Sub), Sub->getType(), Forward);
    Forward.append(Out.Forward);
    Out.Forward = std::move(Forward);
    Out.Reverse.line(Restore);
  }
  return Out;
}

namespace {
/// Whether \p Call cannot write memory through its arguments or object: a
/// const member function (`y.size()`), or a function whose parameters are
/// values or pointers and references to const.
bool writesNothing(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD)
    return false;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
    if (!leavesObjectUnchanged(MD))
      return false;
  return llvm::none_of(FD->parameters(), [](const ParmVarDecl *P) {
    QualType T = P->getType();
    return (T->isPointerType() || T->isReferenceType()) &&
           !T->getPointeeType().isConstQualified();
  });
}

/// Whether the only side effects of \p E end the program or throw
/// (`assert(c)` is `c ? void(0) : __assert_fail(...)`; `throw
/// std::invalid_argument("...")`), so that it may run as written in the
/// forward sweep: its other calls write nothing.
bool onlyTerminates(const Expr *E) {
  bool Only = !E->containsErrors();
  bool Throws = isa<CXXThrowExpr>(E->IgnoreParenImpCasts());
  forEachStmt(E, [&](const Stmt *S) {
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *FD = Call->getDirectCallee();
      Only &= FD && (FD->isNoReturn() ||
                     FD->getBuiltinID() == Builtin::BI__builtin_expect ||
                     writesNothing(Call));
    } else if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      Only &= !BO->isAssignmentOp();
    } else if (const auto *U = dyn_cast<UnaryOperator>(S)) {
      Only &= !U->isIncrementDecrementOp();
    } else if (isa<CXXNewExpr>(S) || isa<CXXDeleteExpr>(S)) {
      Only = false;
    } else if (isa<CXXConstructExpr>(S)) {
      Only &= Throws; // the exception object
    }
  });
  return Only;
}
} // namespace

StmtPair FunctionDifferentiator::diffExprStmt(const Expr *E) {
  const Expr *Bare = E->IgnoreImplicit()->IgnoreParens();
  if (const auto *BO = dyn_cast<BinaryOperator>(Bare)) {
    if (BO->isAssignmentOp())
      return diffAssignTo(BO->getLHS(), BO->getRHS(), BO->getOpcode(), BO);
  }
  if (const auto *U = dyn_cast<UnaryOperator>(Bare))
    if (U->isIncrementDecrementOp())
      return diffIncrement(U);
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Bare))
    if (Op->isAssignmentOp() && Op->getNumArgs() == 2) {
      static const std::map<OverloadedOperatorKind, BinaryOperatorKind> Kinds =
          {{OO_Equal, BO_Assign},     {OO_PlusEqual, BO_AddAssign},
           {OO_MinusEqual, BO_SubAssign}, {OO_StarEqual, BO_MulAssign},
           {OO_SlashEqual, BO_DivAssign}};
      auto It = Kinds.find(Op->getOperator());
      if (It != Kinds.end())
        return diffAssignTo(Op->getArg(0), Op->getArg(1), It->second, Op);
    }
  StmtPair Out;
  if (const auto *Delete = dyn_cast<CXXDeleteExpr>(Bare)) {
    const VarDecl *V = Activity::writtenVar(Delete->getArgument());
    // The reverse sweep still reads the buffer: free it at the very end.
    if (isActiveVar(V) || readInReverse(V))
      Epilogue.line(text(E) + ";");
    else
      Out.Forward.line(text(E) + ";");
    return Out;
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Bare)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    const VarDecl *Object = Activity::writtenVar(MC->getImplicitObjectArgument());
    StringRef Method = MD && MD->getIdentifier() ? MD->getName() : "";
    if (MD && !MD->isConst() &&
        isTensor(MC->getImplicitObjectArgument()->getType()) &&
        (isActiveVar(Object) || referencesActive(MC))) {
      unsupported(E, ("the in-place tensor operation '" + Method + "'").str(),
                  "write it out of place, e.g. 'h = h + w' for 'h.add_(w)'");
      return Out;
    }
    if (isRealVector(MC->getImplicitObjectArgument()->getType()) &&
        (isActiveVar(Object) || readInReverse(Object))) {
      std::string Vec = info(Object).Name;
      if (Method == "push_back") {
        CodeBlock Adjoint;
        if (isActiveVar(Object)) {
          std::string Last = adjointOf(Object) + "[" + Vec + ".size() - 1]";
          std::string R = fresh("_r");
          Adjoint.line(typeName(MC->getArg(0)->getType()
                                    .getNonReferenceType()
                                    .getUnqualifiedType()) +
                       " " + R + " = " + Last + ";");
          Adjoint.line(Last + " = 0;");
          Adjoint.line(Vec + ".pop_back();");
          diffExpr(MC->getArg(0), R, Adjoint);
        } else {
          Adjoint.line(Vec + ".pop_back();");
        }
        CodeBlock CacheReverse;
        flushCaches(Out.Forward, CacheReverse);
        Out.Forward.line(text(E) + ";");
        Out.Reverse.append(CacheReverse);
        Out.Reverse.append(Adjoint);
        return Out;
      }
      if (Method == "resize") {
        // Growing keeps the old elements; the reverse shrinks back.
        std::string Size =
            saveValue(Vec + ".size()", Ctx.getSizeType(), Out.Forward);
        Out.Forward.line(text(E) + ";");
        Out.Reverse.line(Vec + ".resize(" + Size + ");");
        return Out;
      }
      if (Method != "size" && Method != "data" && Method != "reserve") {
        unsupported(E, ("std::vector::" + Method + " on a differentiated vector").str(),
                    "use push_back, resize or element assignment");
        return Out;
      }
    }
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Bare);
      isa<CallExpr>(Bare) && (!Op || Op->getOperator() == OO_Call))
    return diffCallStmt(cast<CallExpr>(Bare), E);
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Bare);
      Op && referencesActive(Op)) {
    const FunctionDecl *Callee = Op->getDirectCallee();
    const auto *Class = Callee ? dyn_cast<CXXRecordDecl>(Callee->getParent())
                               : nullptr;
    unsupported(E,
                "the call of '" +
                    (Callee ? Callee->getNameAsString() : "operator") + "'" +
                    (Class ? " of '" + Class->getNameAsString() + "'" : "") +
                    " on differentiated data",
                "call a free function that takes the object's data as "
                "parameters");
    return Out;
  }
  if (isa<CXXOperatorCallExpr>(Bare) || !Bare->HasSideEffects(Ctx) ||
      onlyTerminates(Bare)) {
    Out.Forward.line(text(E) + ";");
    return Out;
  }
  unsupported(E, "this expression statement",
              "write it as an assignment or a call");
  return Out;
}

std::string FunctionDifferentiator::extentOf(const VarDecl *V) {
  QualType T = V->getType();
  if (const auto *AT = Ctx.getAsConstantArrayType(T))
    return std::to_string(AT->getSize().getZExtValue());
  if (!stdSequenceElement(T).isNull())
    return info(V).Name + ".size()";
  if (const Expr *Init = V->getInit())
    if (const auto *New = dyn_cast<CXXNewExpr>(Init->IgnoreParenImpCasts()))
      if (New->isArray() && New->getArraySize())
        return text(*New->getArraySize());
  return "";
}

StmtPair FunctionDifferentiator::diffCallStmt(const CallExpr *Call,
                                              const Expr *E,
                                              const std::string &Declaration) {
  StmtPair Out;
  const FunctionDecl *FD = Call->getDirectCallee();
  // A call statement matters through what it writes to pointers and
  // references. What it overwrites that the reverse sweep reads is
  // snapshotted, and put back both before its pullback (which replays the
  // call) and after it.
  bool WritesActive = false;
  // The snapshots are pushed in argument order, so they are popped (and
  // restored) in the opposite order. Buffer snapshots are pushed back, in
  // argument order, for the restore after the pullback; it pops them in the
  // opposite order again.
  CodeBlock Snapshot, Repush;
  std::vector<CodeBlock> Restores, RestoresAfter;
  std::optional<std::string> LoggedCallee;
  std::string UnloggedBecause;
  bool ObjectFirst = passesObjectFirst(Call);
  std::vector<const Expr *> Args = pullbackArgs(Call);
  // What the call writes: the argument (null for a lambda's capture), its
  // variable and the parameter's index.
  std::vector<std::tuple<const Expr *, const VarDecl *, unsigned>> Writes;
  for (unsigned I = ObjectFirst ? 1 : 0; FD && I < Args.size(); ++I) {
    const Expr *Arg = Args[I];
    unsigned ParamIndex = ObjectFirst ? I - 1 : I;
    if (!mayWriteValuesThroughArg(Call, ObjectFirst, I, Arg))
      continue;
    const VarDecl *V = Activity::writtenVar(Arg);
    if (!V)
      V = bufferBase(Arg, /*Integers=*/true);
    if (!V)
      V = iteratorBase(Arg);
    if (!V && referencesActive(Arg)) {
      unsupported(Arg,
                  "a call that may write differentiated data through this "
                  "argument",
                  "pass the buffer as a pointer ('v.data()', '&v[i]', "
                  "'x + k') or the variable by reference");
      return Out;
    }
    Writes.push_back({Arg, V, ParamIndex});
  }
  // A member function writing its object (`g.setSigma(2.0);`): the object
  // is snapshotted whole when the reverse sweep reads its earlier state.
  const unsigned ObjectIndex = ~0u;
  if (ObjectFirst && FD && !Args.empty() &&
      llvm::is_contained(writtenArgs(Call), Args.front()))
    if (const VarDecl *V = Activity::writtenVar(Args.front()))
      Writes.push_back({Args.front(), V, ObjectIndex});
  // A lambda writes what it captures by reference.
  for (const VarDecl *V : capturesWrittenAt(Call))
    Writes.push_back({nullptr, V, 0});
  for (auto [Arg, V, ParamIndex] : Writes) {
    WritesActive |= isActiveVar(V);
    if (!V || !Act.isNeededBefore(V, Call))
      continue;
    CodeBlock &RestoreBefore = Restores.emplace_back();
    CodeBlock &RestoreAfter = RestoresAfter.emplace_back();
    QualType VT = V->getType();
    if (isReal(VT) || isRealStruct(VT) ||
        VT.getNonReferenceType()->isIntegralOrEnumerationType()) {
      std::string Saved = fresh("_s");
      std::string Type = typeName(V->getType().getNonReferenceType()
                                      .getUnqualifiedType());
      RestoreBefore.line(Type + " " + Saved + " = " +
                         saveValue(info(V).Name, V->getType(), Snapshot) + ";");
      RestoreBefore.line(info(V).Name + " = " + Saved + ";");
      RestoreAfter.line(info(V).Name + " = " + Saved + ";");
      continue;
    }
    std::string Extent = extentOf(V);
    // A pointer the callee only indexes with constants (`p[0]`, `p[1]`), at a
    // fixed address (the unchanging pointer plus constant offsets): the
    // elements it reaches are snapshotted.
    std::string Data =
        info(V).Name + (stdSequenceElement(VT).isNull() ? "" : ".data()");
    if (Extent.empty() && Arg && V->getType()->isPointerType() &&
        !Act.isMovingPointer(V) && ParamIndex < FD->getNumParams()) {
      llvm::SmallVector<const VarDecl *, 2> Refs;
      Activity::allReferenced(Arg, Refs);
      std::optional<unsigned> Reached =
          Activity::constantExtent(FD, ParamIndex);
      if (Reached && llvm::all_of(Refs, [&](const VarDecl *R) { return R == V; })) {
        Extent = std::to_string(*Reached);
        Data = paren(text(Arg));
      }
    }
    // Of unknown extent: the callee's logged variant saves each element it
    // overwrites (a statement of its own, spelled with every argument).
    if (Extent.empty() && V->isLocalVarDeclOrParm() && E == Call &&
        Declaration.empty() && ParamIndex != ObjectIndex &&
        llvm::none_of(Call->arguments(), [](const Expr *A) {
          return isa<CXXDefaultArgExpr>(A);
        })) {
      if (!LoggedCallee)
        LoggedCallee =
            Services.loggedCallee(Call, Request.Function, UnloggedBecause);
      if (LoggedCallee) {
        Restores.pop_back();
        RestoresAfter.pop_back();
        continue;
      }
    }
    if (Extent.empty() || !(isRealBuffer(VT) || isIntegerBuffer(VT))) {
      std::string Why = UnloggedBecause.empty() || !FD
                            ? ""
                            : "'" + FD->getNameAsString() +
                                  "' cannot save what it overwrites (" +
                                  UnloggedBecause + "); ";
      unsupported(Arg ? static_cast<const Stmt *>(Arg) : Call,
                  "a call overwriting '" + info(V).Name +
                      "', whose earlier contents the reverse sweep needs",
                  Why + "pass a local array, std::vector or new[] buffer of "
                        "known size");
      return Out;
    }
    // The elements go on the tape as one block (no allocation per call).
    // The reverse sweep takes them back before the pullback, which replays
    // the call and needs them, and keeps them on the tape until after it,
    // when they are put back for the statements before the call.
    UsesTape = true;
    std::string Range = Data + ", " + Extent;
    Snapshot.line("_tape.pushRange(" + Range + ");", LineKind::Save);
    RestoreBefore.line("_tape.popRange(" + Range + ");");
    Repush.line("_tape.pushRange(" + Range + ");");
    RestoreAfter.line("_tape.popRange(" + Range + ");");
  }
  std::string ForwardCall =
      Declaration.empty() ? text(E) + ";" : Declaration;
  if (LoggedCallee) {
    // The log puts back what the call overwrote before its pullback, which
    // replays the call, and again after it.
    UsesLog = true;
    Snapshot.line("_log.open();", LineKind::Save);
    ForwardCall = *LoggedCallee + "(";
    for (const Expr *A : Call->arguments())
      ForwardCall += text(A) + ", ";
    ForwardCall += "_log);";
    Restores.emplace_back().line("_log.restore();");
    RestoresAfter.emplace_back().line("_log.close();");
  }
  CodeBlock RestoreAfter;
  for (auto It = RestoresAfter.rbegin(); It != RestoresAfter.rend(); ++It)
    RestoreAfter.append(*It);
  CodeBlock Adjoint;
  if (WritesActive) {
    const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call);
    diffCall(Call, Op ? operatorRuleName(Op) : FD->getNameAsString(), Args,
             "", Adjoint, RestoreAfter);
  } else {
    Adjoint = std::move(RestoreAfter);
  }
  // The snapshots go on the tape before the call's cached arguments, so the
  // reverse sweep pops the caches first, then takes the snapshots back.
  Out.Forward.append(Snapshot);
  CodeBlock CacheReverse;
  flushCaches(Out.Forward, CacheReverse);
  Out.Forward.line(ForwardCall);
  Out.Reverse.append(CacheReverse);
  for (auto It = Restores.rbegin(); It != Restores.rend(); ++It)
    Out.Reverse.append(*It);
  Out.Reverse.append(Repush);
  Out.Reverse.append(Adjoint);
  return Out;
}

StmtPair FunctionDifferentiator::diffReturn(const ReturnStmt *RS) {
  StmtPair Out;
  const Expr *Value = RS->getRetValue();
  // Inside loops and switches, a return records its exit and breaks out;
  // in the function body, one followed by more code records its exit.
  bool InRegion = FlowExitId.count(RS) > 0;
  SeenReturn = true;
  if (!Value || ReturnVar.empty()) {
    if (Value && Value->HasSideEffects(Ctx))
      Out.Forward.line(text(Value) + ";");
    if (InRegion)
      Out.Forward.append(exitCode(FlowExitId.lookup(RS)));
    return Out;
  }
  if (!checkNoSideEffects(Value, "return value"))
    return Out;
  CodeBlock Adjoint;
  std::string Seed = Request.Mode == DiffMode::Vjp ? "_seed" : "_d_return";
  if (isTensor(Request.Function->getReturnType()) &&
      Request.Mode == DiffMode::Vjp) {
    // An undefined seed is `out.backward()` on a one-element output.
    Seed = fresh("_seed");
    Adjoint.line("::adjoint::Tensor " + Seed +
                 " = ::adjoint::derivatives::resolve_seed(_seed, " +
                 ReturnVar + ");");
  }
  diffExpr(Value, Seed, Adjoint);
  CodeBlock CacheReverse;
  flushCaches(Out.Forward, CacheReverse);
  bool TopLevel = BranchDepth == 0 && !InRegion;
  if (Request.Mode != DiffMode::Pullback) { // a pullback returns no value
    if (TopLevel && !ReturnDeclared) {
      Out.Forward.line(typeName(Request.Function->getReturnType()) + " " +
                       ReturnVar + " = " + text(Value) + ";");
      State.push_back(
          {typeName(Request.Function->getReturnType().getUnqualifiedType()),
           ReturnVar, true, isPlain(Request.Function->getReturnType())});
    }
    else {
      if (!ReturnDeclared) {
        declareState(typeName(Request.Function->getReturnType()), ReturnVar,
                     stateInit(Request.Function->getReturnType()),
                     isPlain(Request.Function->getReturnType()));
        ReturnDeclared = true;
      }
      Out.Forward.line(ReturnVar + " = " + text(Value) + ";");
    }
  }
  if (InRegion)
    Out.Forward.append(exitCode(FlowExitId.lookup(RS)));
  Out.Reverse.append(CacheReverse);
  Out.Reverse.append(Adjoint);
  return Out;
}

StmtPair FunctionDifferentiator::diffIf(const IfStmt *If) {
  if (If->isConstexpr())
    return diffStmt(If->getCond() &&
                            If->getCond()->EvaluateKnownConstInt(Ctx).getBoolValue()
                        ? If->getThen()
                        : If->getElse());
  return diffBranches(
      If, [&] { return diffStmt(If->getThen()); },
      [&] { return diffStmt(If->getElse()); });
}

StmtPair FunctionDifferentiator::diffBranches(
    const IfStmt *If, llvm::function_ref<StmtPair()> DiffThen,
    llvm::function_ref<StmtPair()> DiffElse) {
  StmtPair Out;
  if (If->getConditionVariable()) {
    unsupported(If, "an 'if' with a condition variable",
                "declare the variable before the 'if'");
    return Out;
  }
  // `if (init; cond)` is `{ init; if (cond) ... }`.
  if (const Stmt *Init = If->getInit()) {
    StmtPair InitPair = diffStmt(Init);
    StmtPair Branches = diffBranchesAfterInit(If, DiffThen, DiffElse);
    InitPair.Forward.append(Branches.Forward);
    Out.Forward.block("", InitPair.Forward);
    Out.Reverse.append(Branches.Reverse);
    Out.Reverse.append(InitPair.Reverse);
    return Out;
  }
  return diffBranchesAfterInit(If, DiffThen, DiffElse);
}

StmtPair FunctionDifferentiator::diffBranchesAfterInit(
    const IfStmt *If, llvm::function_ref<StmtPair()> DiffThen,
    llvm::function_ref<StmtPair()> DiffElse) {
  StmtPair Out;
  const Expr *Cond = If->getCond();
  CodeBlock Undo; // undoes ++k in `if (++k == 3)`
  if (!conditionUndo(Cond, Undo))
    return Out;
  bool ReturnedBefore = SeenReturn;
  ++BranchDepth;
  unsigned Branch = RecordBranches++;
  StmtPair Then = inArm(Branch, 0, DiffThen);
  bool ThenReturns = SeenReturn;
  SeenReturn = ReturnedBefore;
  StmtPair Else = inArm(Branch, 1, DiffElse);
  --BranchDepth;
  SeenReturn = ReturnedBefore || (ThenReturns && SeenReturn);
  std::string C;
  if (Then.Reverse.empty() && Else.Reverse.empty()) {
    // Nothing to replay: the branch decision need not be recorded.
    C = text(Cond);
  } else {
    C = fresh("_c");
    declareState("bool", C);
    Out.Forward.line(C + " = " + text(Cond) + ";");
  }
  Out.Forward.block("if (" + C + ")", Then.Forward);
  if (!Else.Forward.empty())
    Out.Forward.block("else", Else.Forward);
  if (Then.Reverse.empty() && Else.Reverse.empty()) {
    Out.Reverse.append(Undo);
    return Out;
  }
  if (needsTape() && replayableCondition(Cond)) {
    Out.Reverse.line(C + " = " + text(Cond) + ";");
  } else if (needsTape()) {
    UsesTape = true;
    // Pushed after the branch so that it is popped before the branch's own
    // saved values (a branch left by an exit skips it: see poppedCondition).
    Out.Forward.line("_tape.push(" + C + ");", LineKind::Save);
    Out.Reverse.line(C + " = " + poppedCondition(If) + ";");
  }
  if (Then.Reverse.empty()) {
    Out.Reverse.block("if (!" + C + ")", Else.Reverse);
  } else {
    Out.Reverse.block("if (" + C + ")", Then.Reverse);
    if (!Else.Reverse.empty())
      Out.Reverse.block("else", Else.Reverse);
  }
  Out.Reverse.append(Undo);
  return Out;
}

CodeBlock FunctionDifferentiator::countedLoopStart(const CountedLoop &Loop,
                                                   const std::string &N) {
  // The same comparison as the condition's, so that mixed signedness
  // converts the same way: `i < b` runs b - i times from i.
  const VarDecl *C = Loop.Counter;
  std::string I = info(C).Name, Bound = paren(text(Loop.Bound));
  std::string Op = Loop.Up ? (Loop.Inclusive ? " <= " : " < ")
                           : (Loop.Inclusive ? " >= " : " > ");
  std::string Distance = Loop.Up ? Bound + " - " + I : I + " - " + Bound;
  CodeBlock B;
  B.line(I + " = " + text(C->getInit()) + ";");
  // The casts keep -Wconversion quiet: the distance is positive, and the
  // counter moves by no more than it.
  B.line(N + " = " + I + Op + Bound + " ? static_cast<unsigned long>(" +
         Distance + (Loop.Inclusive ? " + 1" : "") + ") : 0;");
  B.line(I + (Loop.Up ? " += " : " -= ") + "static_cast<" +
         typeName(C->getType()) + ">(" + N + ");");
  return B;
}

StmtPair FunctionDifferentiator::diffLoop(const Stmt *Init, const Expr *Cond,
                                          const Expr *Inc, const Stmt *Body,
                                          bool TestFirst, const Stmt *Loop) {
  StmtPair Out;
  if (!checkNoSideEffects(Cond, "loop condition"))
    return Out;
  if (const auto *For = dyn_cast<ForStmt>(Loop))
    if (For->getConditionVariable()) {
      unsupported(Loop, "a loop condition variable",
                  "declare the variable before the loop");
      return Out;
    }
  // A checkpointed loop recomputes each iteration right before its reverse,
  // so the iteration's exit, flags and saves need no tape (see
  // DiffCheckpoint.cpp).
  bool Recomputed = Checkpointed.count(Loop);
  // A fused loop runs each iteration's reverse right after it (see
  // LoopFusion.cpp): its body needs no tape either.
  bool Fused = Loop == FusedLoop;
  std::optional<CountedLoop> Counted;
  if (const auto *For = dyn_cast<ForStmt>(Loop); For && !Recomputed && !Fused) {
    if (!Stable)
      Stable.emplace(TopBlock);
    Counted = countedLoop(For, *Stable, LoopCounters);
  }
  StmtPair InitPair;
  if (Counted) {
    // The reverse sweep sets the counter from the header: it is not saved.
    const VarDecl *C = Counted->Counter;
    declareState(typeName(C->getType().getUnqualifiedType()), info(C).Name,
                 "0");
    InitPair.Forward.line(info(C).Name + " = " + text(C->getInit()) + ";");
  } else {
    InitPair = diffStmt(Init);
  }
  // A counted loop's count is only set in the reverse sweep; it starts at 0
  // so that copies of the state (split mode) copy a value.
  std::string N = Fused ? "" : fresh("_n");
  if (!Fused)
    declareState("unsigned long", N, Counted ? "0" : "");
  // Exits: the path variable holds the exit of the last iteration, or of
  // every iteration (on the tape) when 'continue' lets iterations differ.
  const FlowFacts &Facts = factsOf(Loop);
  FlowRegion Region;
  Region.Key = Loop;
  Region.IsLoop = true;
  bool HasContinue = llvm::is_contained(Facts.Kinds, 'c');
  if (!Facts.Kinds.empty()) {
    Region.Path = fresh("_p");
    declareState("int", Region.Path);
    Region.Taped = HasContinue && !Recomputed;
  }
  std::string Path = Region.Path;
  bool Taped = Region.Taped;
  std::string End = std::to_string(Facts.end());
  auto DiffInc = [&] {
    StmtPair P;
    if (Counted) {
      // Counting back keeps the counter right for the body's reverse and
      // for the headers of inner counted loops.
      P.Forward.line(text(Inc) + ";");
      P.Reverse.line((Counted->Up ? "--" : "++") + info(Counted->Counter).Name +
                     ";");
    } else if (Inc) {
      if (const auto *U = dyn_cast<UnaryOperator>(Inc->IgnoreParens());
          U && U->isIncrementDecrementOp())
        P = diffIncrement(U);
      else
        P = diffExprStmt(Inc);
    }
    return P;
  };
  bool ReturnedBefore = SeenReturn;
  ++LoopDepth;
  unsigned OuterRecomputeDepth = RecomputeDepth;
  if (Recomputed || Fused)
    RecomputeDepth = LoopDepth;
  if (Counted)
    LoopCounters.push_back(Counted->Counter);
  StmtPair BodyPair, IncPair;
  if (HasContinue) {
    // 'continue' runs the increment: its code is needed first.
    IncPair = DiffInc();
    Region.IncForward = IncPair.Forward;
    FlowStack.push_back(std::move(Region));
    BodyPair = diffStmt(Body);
  } else {
    FlowStack.push_back(std::move(Region));
    BodyPair = diffStmt(Body);
    IncPair = DiffInc();
  }
  FlowStack.pop_back();
  RecomputeDepth = OuterRecomputeDepth;
  if (Counted)
    LoopCounters.pop_back();
  --LoopDepth;
  SeenReturn = ReturnedBefore; // a loop may run zero times
  if (Fused)
    return fuseLoop(InitPair, Cond ? text(Cond) : "true", BodyPair, IncPair);

  // The snapshot: loop-carried values at the start of each iteration.
  CodeBlock SnapshotPush, SnapshotPop;
  if (Recomputed) {
    const std::vector<const VarDecl *> &Snapshot = Snapshots[Loop];
    for (const VarDecl *V : Snapshot) {
      UsesTape = true;
      SnapshotPush.line("_tape.push(" + info(V).Name + ");", LineKind::Save);
    }
    for (auto It = Snapshot.rbegin(); It != Snapshot.rend(); ++It)
      SnapshotPop.line(
          info(*It).Name + " = _tape.pop<" +
          typeName(
              (*It)->getType().getNonReferenceType().getUnqualifiedType()) +
          ">();");
  }
  Out.Forward.append(InitPair.Forward);
  if (!Path.empty())
    Out.Forward.line(Path + " = " + End + ";");
  if (!Counted)
    Out.Forward.line(N + " = 0;");
  CodeBlock ForwardBody;
  if (!Counted)
    ForwardBody.line("++" + N + ";");
  if (Recomputed) {
    ForwardBody.append(SnapshotPush);
    ForwardBody.append(BodyPair.Forward.without(LineKind::Save));
    ForwardBody.append(IncPair.Forward.without(LineKind::Save));
  } else {
    ForwardBody.append(BodyPair.Forward);
    ForwardBody.append(IncPair.Forward);
  }
  if (Taped) {
    UsesTape = true;
    ForwardBody.line(Path + " = " + End + ";");
    ForwardBody.line("_tape.push(" + Path + ");", LineKind::Save);
  }
  std::string CondText = Cond ? text(Cond) : "true";
  if (TestFirst) {
    Out.Forward.block("while (" + CondText + ")", ForwardBody);
  } else {
    Out.Forward.block("do", ForwardBody);
    Out.Forward.line("while (" + CondText + ");");
  }
  if (Counted) {
    Out.Reverse.append(countedLoopStart(*Counted, N));
  } else if (needsTape()) {
    UsesTape = true;
    Out.Forward.line("_tape.push(" + N + ");", LineKind::Save);
    if (!Path.empty() && !Taped && !Recomputed) {
      Out.Forward.line("_tape.push(" + Path + ");", LineKind::Save);
      Out.Reverse.line(Path + " = _tape.pop<int>();");
    }
    Out.Reverse.line(N + " = _tape.pop<unsigned long>();");
  }
  CodeBlock ReverseBody;
  bool InvertInc = Recomputed && InvertedIncrements.count(Loop);
  if (Recomputed) {
    // The recompute skips stores nothing reads in reverse, so outputs and
    // accumulators are written once; exits leave the one-iteration block.
    ReverseBody.append(SnapshotPop);
    if (InvertInc) {
      const auto *U = cast<UnaryOperator>(Inc->IgnoreParens());
      ReverseBody.line((U->isIncrementOp() ? "--" : "++") +
                       text(U->getSubExpr()) + ";");
    }
    CodeBlock Iteration = BodyPair.Forward.without(LineKind::DeadStore);
    if (!InvertInc)
      Iteration.append(IncPair.Forward.without(LineKind::DeadStore));
    if (!Path.empty()) {
      ReverseBody.line(Path + " = " + End + ";");
      ReverseBody.block("do", Iteration);
      ReverseBody.line("while (false);");
    } else {
      ReverseBody.append(Iteration);
    }
  }
  if (Taped)
    ReverseBody.line(Path + " = _tape.pop<int>();");
  // break and return skip the increment.
  std::string IncRan;
  for (unsigned Id = 1; Id <= Facts.Kinds.size(); ++Id)
    if (Facts.Kinds[Id - 1] != 'c')
      IncRan += (IncRan.empty() ? "" : " && ") + Path +
                " != " + std::to_string(Id);
  if (!InvertInc) {
    if (IncRan.empty() || IncPair.Reverse.empty())
      ReverseBody.append(IncPair.Reverse);
    else
      ReverseBody.block("if (" + IncRan + ")", IncPair.Reverse);
  }
  ReverseBody.append(BodyPair.Reverse);
  if (!Path.empty() && !Taped && !Recomputed)
    ReverseBody.line(Path + " = " + End + ";"); // earlier iterations ran to the end
  Out.Reverse.block("for (; " + N + "; --" + N + ")", ReverseBody);
  Out.Reverse.append(InitPair.Reverse);
  if (!Path.empty())
    Out.Forward.append(propagateExits(Loop, Path));
  return Out;
}

} // namespace adjoint
