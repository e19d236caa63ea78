//===- FunctionDifferentiator.h - Reverse mode for one function -*- C++ -*-===//
//
// Turns the body of one function into a gradient function. Each statement
// yields a forward/reverse pair (StmtPair); the reverse halves run in reverse
// statement order. The reverse sweep runs on the program state rolled back
// statement by statement: values a statement overwrites are saved in the
// forward sweep (in locals, or on the tape inside loops) when the reverse
// sweep reads them, and restored before the statement's adjoint code, so
// partial derivatives can be evaluated from the variables themselves.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_CORE_FUNCTIONDIFFERENTIATOR_H
#define ADJOINT_CORE_FUNCTIONDIFFERENTIATOR_H

#include "Activity.h"
#include "Algorithms.h"
#include "CodeBlock.h"
#include "CountedLoop.h"
#include "DiagnosticSink.h"
#include "DiffRequest.h"
#include "SourceText.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>
#include <set>
#include <string>

namespace clang {
class CXXForRangeStmt;
class DecompositionDecl;
} // namespace clang

namespace adjoint {

/// How a call is differentiated: which pullback function the reverse sweep
/// calls.
struct PullbackTarget {
  /// The callee expression text to emit, e.g. "::adjoint::derivatives::sin_pullback".
  std::string Callee;
  /// Whether the pullback was generated from the callee's body.
  bool Generated = false;
  /// Whether the rule takes the call's value after the arguments
  /// (NAME_result_pullback).
  bool TakesResult = false;
  /// For a split-mode call (DiffMode::Split), the record type and the
  /// forward function, both spelled like Callee, which is then the reverse
  /// function; empty otherwise.
  std::string Record, Forward;
  /// Whether Callee names a member function generated in the class of an
  /// instance method, called on the same object (`obj.g_pullback(...)`,
  /// `g_pullback(...)` on this): the object is not an argument.
  bool Member = false;
  /// For a call of a lambda: the definition of its pullback, a local lambda
  /// named Callee that the caller's generated function defines first.
  std::string LocalDefinition;
  /// For a call of a lambda capturing active data: the pullback is a local
  /// `[&]` lambda already defined after the closure (capturingPullback).
  bool CapturesByReference = false;
};

/// Services a function differentiator needs from the translation-unit driver.
class DiffServices {
public:
  virtual ~DiffServices();
  /// Whether generated reverse sweeps are checked against the analysis
  /// (GeneratorOptions::Verify).
  virtual bool verifying() const { return false; }
  /// The spelling of the logged variant of the callee of \p Call (see
  /// LoggedWrites.h), generated and emitted on first use where \p Caller's
  /// generated code can call it; nullopt, with the reason in \p Problem,
  /// when the callee has none.
  virtual std::optional<std::string>
  loggedCallee(const clang::CallExpr *Call, const clang::FunctionDecl *Caller,
               std::string &Problem) {
    return std::nullopt;
  }
  /// Makes sure class \p Class, a struct of reals with data members that
  /// are not public, holds the static members through which generated code
  /// outside it reaches them (`_adjoint_add(C &, const C &)`, adding every
  /// real field, and `_adjoint_FIELD(const C &)`, a field by const
  /// reference); false after reporting at \p Where why it cannot.
  virtual bool classHelpers(const clang::CXXRecordDecl *Class,
                            const clang::Stmt *Where) {
    return false;
  }
  /// In a reverse sweep over Duals (DiffRequest::RealType \p RealType): the
  /// qualified name of the user function \p Callee computed over Duals
  /// (NAME_hvp_primal), which the forward sweep calls in place of \p Callee;
  /// empty for library functions (they have Dual overloads), and after
  /// reporting why there is none.
  virtual std::string dualPrimalFor(const clang::FunctionDecl *Callee,
                                    const clang::CallExpr *Call,
                                    const std::string &RealType) {
    return "";
  }
  /// Finds or schedules the pullback of \p Callee (derivative rule \p Rule)
  /// called at \p Call (reported as an error and nullopt when there is none);
  /// the buffer parameters at \p ConstBuffers get no shadow at this call.
  /// \p MaySplit: the call's forward sweep may run the callee's split-mode
  /// forward function in place of the callee. \p ActiveObject: the object of
  /// a member call carries derivatives (its pullback takes its adjoint).
  virtual std::optional<PullbackTarget>
  pullbackFor(const clang::FunctionDecl *Callee, const std::string &Rule,
              const clang::CallExpr *Call, const clang::FunctionDecl *Caller,
              const std::vector<unsigned> &ConstBuffers, bool MaySplit,
              bool ActiveObject = false) = 0;
};

/// Whether \p S ends with a return statement on its last line (both
/// branches, for an if).
bool endsWithReturn(const clang::Stmt *S);

/// Whether \p S is the statement ADJOINT_CHECKPOINT expands to.
bool isCheckpointMarker(const clang::Stmt *S);

/// Generates one gradient, vjp or pullback function.
/// The record type of \p FD's split-mode functions named \p PullbackName
/// (`h_pullback_record`); overloads after the first in their scope get their
/// position too (`h_pullback_2_record`), as their pullbacks share a name.
std::string splitRecordName(const clang::FunctionDecl *FD,
                            const std::string &PullbackName);

class FunctionDifferentiator {
public:
  /// Prepares to generate \p Request; problems go to \p Diags.
  FunctionDifferentiator(clang::ASTContext &Ctx, DiagnosticSink &Diags,
                         DiffServices &Services, DiffRequest Request);

  /// The generated function's text, or nullopt after reporting errors.
  std::optional<std::string> run();

  /// After run(), split mode for a Vjp request: `struct BaseName_tape`,
  /// `BaseName_forward(params...)` and the two `BaseName_backward(tape,
  /// seed, adjoints...)` overloads (rvalue tape: releases it; lvalue tape:
  /// retains it). A void function has no seed: the adjoints of its outputs
  /// are. Nullopt when the state cannot be saved (C arrays, new[]).
  std::optional<std::string> splitMode(const std::string &BaseName) const;

  /// After run(): whether a loop runs its reverse with its forward sweep
  /// (then splitMode() has nothing to split: run a request without fusion).
  bool fusedALoop() const { return FusedLoop != nullptr; }

  /// The signature of the generated function; without the seed parameter
  /// when \p WithSeed is false (f_grad). \p Definition adds what only the
  /// definition states (see restrictsInputs).
  std::string signature(bool WithSeed = true, bool Definition = false) const;

private:
  //===--- Assembly (FunctionDifferentiator.cpp) --------------------------===//
  /// Whether the definition declares the function's `const T *` inputs
  /// `__restrict`: when no parameter lets it write the caller's memory (no
  /// pointer or reference to non-const), the generated code writes only its
  /// own locals and the adjoint buffers, which must not overlap the inputs
  /// anyway. The compiler then needs no run-time overlap checks before
  /// vectorizing the reverse sweep's loops.
  bool restrictsInputs() const;
  /// Whether the definition declares \p P `__restrict`: a real pointer
  /// parameter of a function that restrictsInputs().
  bool isRestricted(const clang::ParmVarDecl *P) const;
  /// `static ` and `inline ` as the function has them.
  std::string specifiers() const;
  /// The name of \p P, or a name after its position when it has none.
  std::string paramName(const clang::ParmVarDecl *P) const;
  /// Declarations of the adjoint parameters of the Wrt parameters.
  std::vector<std::string> adjointParams() const;
  /// State declarations and the forward sweep.
  CodeBlock forwardCode() const;
  /// Adjoint declarations, the reverse sweep and the epilogue.
  CodeBlock reverseCode() const;
  /// A variable the reverse sweep may read (what split mode saves).
  struct StateVar {
    std::string Type, Name;
    /// Whether it can be moved into and copied out of a split-mode tape.
    bool Movable;
    /// Whether its type is trivially copyable.
    bool Plain;
    /// For a split-mode call's record: the branch arms around the call, as
    /// (branch, arm) pairs outermost first; see RecordArm.
    std::vector<std::pair<unsigned, unsigned>> Arm = {};
    bool IsRecord = false;
  };
  /// The parameters and state variables; only those the reverse code
  /// mentions when \p OnlyReverseReads.
  std::vector<StateVar> savedVars(bool OnlyReverseReads) const;
  /// DiffMode::Split: the record, forward and reverse functions; nullopt
  /// when the record would not be plain data, or would only repeat the
  /// parameters (the pullback then recomputes nothing it needs).
  std::optional<std::string> callSplit() const;
  /// Whether values of type \p T can be copied as bytes (on the tape).
  bool isPlain(clang::QualType T) const;

  //===--- Variables ------------------------------------------------------===//
  struct VarInfo {
    std::string Name;    ///< Name in generated code.
    std::string AdjName; ///< Name of the adjoint, when active.
    bool Active = false;
    /// For a local pointer into another variable's elements: that variable.
    /// The pointer's adjoint is the same offset into the variable's adjoint.
    const clang::VarDecl *PointerBase = nullptr;
  };
  /// The variable whose elements pointer expression \p E points into: a
  /// buffer of reals, or also of integers with \p Integers.
  const clang::VarDecl *bufferBase(const clang::Expr *E, bool Integers = false);
  /// Declaration of \p Name with type \p T (C arrays need the size after
  /// the name).
  std::string declaration(clang::QualType T, const std::string &Name) const;
  VarInfo &info(const clang::VarDecl *V);
  bool isActiveVar(const clang::VarDecl *V) const;
  std::string adjointOf(const clang::VarDecl *V);
  void declareLocal(const clang::VarDecl *V, bool Hoist);

  //===--- Statements (DiffStmt.cpp) ---------------------------------------===//
  StmtPair diffStmt(const clang::Stmt *S);
  StmtPair diffCompound(const clang::CompoundStmt *S);
  StmtPair diffSequence(llvm::ArrayRef<const clang::Stmt *> Body);
  StmtPair diffBranches(const clang::IfStmt *If,
                        llvm::function_ref<StmtPair()> DiffThen,
                        llvm::function_ref<StmtPair()> DiffElse);
  /// diffBranches of an if without its initializer.
  StmtPair diffBranchesAfterInit(const clang::IfStmt *If,
                                 llvm::function_ref<StmtPair()> DiffThen,
                                 llvm::function_ref<StmtPair()> DiffElse);
  StmtPair diffDecl(const clang::DeclStmt *S);
  /// Whether the structured binding \p Bindings (at \p At; \p TopLevel
  /// when its declaration stays in place at the function's top level) can
  /// be kept as written: nothing it names carries a derivative, and nothing
  /// can change it after its declaration. Reports it otherwise
  /// (DiffBindings.cpp).
  bool checkStructuredBinding(const clang::Stmt *At,
                              const clang::DecompositionDecl *Bindings,
                              bool TopLevel);
  /// Reports the structured binding \p Bindings, at \p At, as unsupported,
  /// with the copies to write instead.
  void rejectStructuredBinding(const clang::Stmt *At,
                               const clang::DecompositionDecl *Bindings);
  /// After statement \p S of a block, whose code is \p P: writes the local
  /// references of \p WriteBacks that S may write back to what they alias
  /// (writeBackTarget), and adds those S declares.
  void writeBack(
      const clang::Stmt *S,
      std::vector<std::pair<const clang::VarDecl *, const clang::Expr *>>
          &WriteBacks,
      StmtPair &P);
  /// The initializer of \p V (initialized with \p Init) as its declaration
  /// spells it after the name: ` = e`, `(args)` or `{args}`.
  std::string initializerText(const clang::VarDecl *V, const clang::Expr *Init);
  /// The value \p Init gives \p V, as the right-hand side of an assignment
  /// (a hoisted declaration): `V3(a, b)` for `V3 v(a, b);`.
  std::string initializerValue(const clang::VarDecl *V,
                               const clang::Expr *Init);
  /// Forward code of a top-level array, std::vector or new[] declaration;
  /// its reverse code goes to \p Reverses.
  CodeBlock diffBufferDecl(const clang::DeclStmt *DS, const clang::VarDecl *V,
                           bool InPlace, std::vector<CodeBlock> &Reverses);
  StmtPair diffAssignTo(const clang::Expr *LHS, const clang::Expr *RHS,
                        clang::BinaryOperatorKind Op, const clang::Stmt *S);
  StmtPair diffIncrement(const clang::UnaryOperator *U);
  StmtPair diffExprStmt(const clang::Expr *E);
  /// A call statement \p Call (spelled \p E).
  /// A call made for what it writes through its arguments: the statement
  /// \p E, or the declaration spelled \p Declaration whose initializer it is
  /// (`bool ok = residual(x, r);`).
  StmtPair diffCallStmt(const clang::CallExpr *Call, const clang::Expr *E,
                        const std::string &Declaration = "");
  /// Reports calls in the expressions of \p S (not its sub-statements) that
  /// write differentiated data, or data the reverse sweep reads, through
  /// their arguments where the statement's adjoint does not handle them: in
  /// conditions, indices, values that are not differentiated, or beside
  /// other uses of what they overwrite. False if there are any.
  bool checkWritingCalls(const clang::Stmt *S);
  /// checkWritingCalls on \p S and every statement in it.
  bool checkWritingCallsIn(const clang::Stmt *S);
  /// The statement checkWritingCalls is looking at.
  const clang::Stmt *CurrentStatement = nullptr;
  bool checkWritingCalls(const clang::Expr *E, bool Differentiated,
                         const clang::CallExpr *Handled);
  /// The call initializing the one variable \p DS declares when the
  /// declaration is made for what the call writes (see diffCallStmt), or
  /// null.
  const clang::CallExpr *declaredCall(const clang::DeclStmt *DS);
  /// The variables that \p Call may write through its arguments and that are
  /// active or read by the reverse sweep.
  std::vector<const clang::VarDecl *> writtenByCall(const clang::CallExpr *Call);
  /// Number of elements of buffer \p V as an expression, or empty.
  std::string extentOf(const clang::VarDecl *V);
  StmtPair diffReturn(const clang::ReturnStmt *S);
  StmtPair diffIf(const clang::IfStmt *S);
  /// Reverse-sweep code that sets counted loop \p Loop's trip count \p N
  /// and its counter's final value from the loop's header.
  CodeBlock countedLoopStart(const CountedLoop &Loop, const std::string &N);
  StmtPair diffLoop(const clang::Stmt *Init, const clang::Expr *Cond,
                    const clang::Expr *Inc, const clang::Stmt *Body,
                    bool TestFirst, const clang::Stmt *Loop);
  bool checkNoSideEffects(const clang::Expr *E, llvm::StringRef What);

  //===--- Checkpointed loops (DiffCheckpoint.cpp) ------------------------===//
  // A checkpointed loop's forward sweep runs its body without saves, pushing
  // only a snapshot of the loop-carried variables at each iteration's start;
  // each iteration of the reverse sweep restores its snapshot, recomputes the
  // iteration with its ordinary saves and runs its reverse.
  /// Reports misplaced ADJOINT_CHECKPOINT markers and collects the loops they
  /// mark (Explicit) and the cheap loops worth recomputing (Checkpointed).
  void findCheckpoints();
  /// Reports the calls whose callees write variables of static storage that
  /// may hold derivatives (staticWrittenByCall).
  void checkStaticWrites();
  /// Whether \p Loop can be recomputed in the reverse sweep (reported as an
  /// error when \p Report); fills Snapshots[Loop].
  bool checkCheckpoint(const clang::Stmt *Loop, bool Report);
  /// Runs the activity analysis with the checkpointed loops, dropping the
  /// automatic ones that cannot be recomputed or need more than integer
  /// snapshots; false after reporting an explicit one that cannot.
  bool
  analyzeWithCheckpoints(llvm::ArrayRef<const clang::ParmVarDecl *> Outputs);
  /// Whether saves at the current depth go on the tape: inside a loop, but
  /// not directly in a checkpointed body, which runs once per recompute.
  bool needsTape() const { return LoopDepth > RecomputeDepth; }
  /// The kind of the line storing into \p Target: dead in a recompute when
  /// nothing reads the variable in reverse.
  LineKind storeKind(const clang::VarDecl *Target) const;
  llvm::DenseSet<const clang::Stmt *> Explicit, Checkpointed;
  /// The variables each checkpointed loop saves at each iteration's start.
  llvm::DenseMap<const clang::Stmt *, std::vector<const clang::VarDecl *>>
      Snapshots;
  /// Checkpointed for loops without exits whose increment `++i` or `--i` is
  /// the only write of i: each reverse iteration undoes the increment before
  /// the recompute instead of restoring i from the snapshot.
  llvm::DenseSet<const clang::Stmt *> InvertedIncrements;
  /// LoopDepth of the innermost checkpointed body being differentiated.
  unsigned RecomputeDepth = 0;

  //===--- Fused loops (LoopFusion.cpp) -----------------------------------===//
  // The function's last loop, when it only sums into locals that the return
  // adds or subtracts, runs each iteration's reverse right after the
  // iteration: the accumulators' adjoints are the seed before it starts.
  /// Finds the loop to fuse (FusedLoop, FusedSeeds), if any; it is no
  /// longer checkpointed.
  void findFusedLoop();
  /// After the activity analysis: whether the fused loop stays fused (an
  /// accumulator is active and nothing in the reverse sweep reads one);
  /// otherwise forgets it and returns false (the analysis must run again).
  bool keepFusedLoop();
  /// The fused loop's code from its parts: everything runs in the forward
  /// sweep; the reverse sweep only gets the init statement's reverse.
  StmtPair fuseLoop(const StmtPair &Init, const std::string &Cond,
                    const StmtPair &Body, const StmtPair &Inc);
  const clang::Stmt *FusedLoop = nullptr;
  /// The fused loop's accumulators, each with whether the return subtracts
  /// it.
  std::vector<std::pair<const clang::VarDecl *, bool>> FusedSeeds;
  /// Whether the fused loop was to be checkpointed (again if not fused).
  bool FusedWasCheckpointed = false;

  //===--- Expressions (DiffExpr.cpp) --------------------------------------===//
  /// Emits reverse code adding \p Adj (an expression) times d E / d leaves to
  /// the leaves' adjoints.
  void diffExpr(const clang::Expr *E, const std::string &Adj, CodeBlock &Out);
  /// Reports writes of an instance method to its object's data members that
  /// may hold reals (see DiffMember.cpp); false if there are any.
  bool checkMemberWrites(const clang::Stmt *Body);
  /// How the reverse sweep names the object of the member call \p Call
  /// before a member function's name: `obj.`, `p->`, or nothing for this.
  std::string memberAccess(const clang::CallExpr *Call);
  /// Registers split-mode call \p Call through \p Target: its forward
  /// function runs before the statement like a cached call; returns the
  /// state variable holding its record.
  std::string splitCall(const clang::CallExpr *Call,
                        const PullbackTarget &Target);
  /// Reverse code of a call through the pullback of rule \p Rule (the
  /// callee's name, or add/sub/mul/div/neg for operators) with \p Args (the
  /// object first for member calls). \p AfterCall runs right after the
  /// pullback call, before the arguments' adjoints flow on (which read the
  /// arguments' values: a call statement restores what the pullback's replay
  /// overwrote there).
  void diffCall(const clang::CallExpr *Call, const std::string &Rule,
                llvm::ArrayRef<const clang::Expr *> Args,
                const std::string &Adj, CodeBlock &Out,
                const CodeBlock &AfterCall = CodeBlock());
  /// The parameter through which running \p Callee's body again (as its
  /// generated pullback, or the vjp's epilogue, does) would write the
  /// caller's integers, bools or enums a second time; null when none.
  static const clang::ParmVarDecl *
  replayedWrite(const clang::FunctionDecl *Callee);
  /// Reports `&v` of a float or double variable \p Body takes: writes and
  /// reads through such a pointer are not followed.
  bool checkScalarAddresses(const clang::Stmt *Body);
  /// Whether \p S mentions an active variable anywhere.
  bool referencesActive(const clang::Stmt *S) const;
  /// Whether E's value depends on an active variable.
  bool isActiveExpr(const clang::Expr *E) const;
  /// Text evaluating E's value in the reverse sweep.
  std::string valueOf(const clang::Expr *E);
  /// Text of E as spelled, with renames and cached values substituted.
  std::string text(const clang::Expr *E);
  /// Text of E with \p Replacements: its source text where it has one, and
  /// otherwise (macros) printed from the AST.
  std::string spell(const clang::Expr *E,
                    const std::vector<TextReplacement> &Replacements);
  /// text(E) without E's own cached value substituted.
  std::string textOfCached(const clang::Expr *E);
  /// Adjoint of a pointer-valued expression (p, p + k, &p[k]), or empty.
  std::string adjointPointer(const clang::Expr *E);
  /// Text for the adjoint lvalue of an active lvalue expression, or empty.
  std::string adjointLValue(const clang::Expr *E);
  /// Binds \p Adj to a temporary unless it is already a simple name.
  std::string bind(const std::string &Adj, clang::QualType T, CodeBlock &Out);
  std::string typeName(clang::QualType T) const;
  /// Declaration of an adjoint of type \p T, zero (or undefined) unless
  /// \p Init is given.
  std::string adjointDecl(clang::QualType T, const std::string &Name,
                          const std::string &Init = "") const;
  /// The zero adjoint of type \p T.
  std::string zeroOf(clang::QualType T) const;
  /// Adds \p Adj into adjoint lvalue \p L of type \p T.
  void accumulate(const std::string &L, const std::string &Adj,
                  clang::QualType T, CodeBlock &Out);
  std::string fresh(const char *Prefix);

  //===--- Structs of reals (DiffStruct.cpp) ------------------------------===//
  /// The zero adjoint of struct type \p T, every field spelled out.
  std::string structZero(clang::QualType T) const;
  /// Adds struct adjoint \p Adj into \p L field by field.
  void accumulateStruct(const std::string &L, const std::string &Adj,
                        clang::QualType T, CodeBlock &Out);
  /// Adjoint lvalue of a field access `s.a` of an active struct, or empty.
  std::string memberAdjoint(const clang::MemberExpr *ME);
  /// Reverse code of a struct's braced initializer `{a, b}`.
  void diffStructInit(const clang::InitListExpr *List, const std::string &Adj,
                      CodeBlock &Out);
  /// The struct variable \p E (s, s.a, s.in.b) is part of, or null.
  const clang::VarDecl *structVar(const clang::Expr *E) const;
  /// Reports differentiated struct parameters that are written or passed by
  /// non-const reference.
  bool checkStructParams();
  /// Reports uses of active structs adjoint cannot follow (member function
  /// calls, addresses, non-const references).
  bool checkStructUses(const clang::Stmt *S);

  //===--- Classes of reals (DiffClass.cpp) -------------------------------===//
  /// Reverse code of the construction \p Construct of a class of reals (or a
  /// copy of any struct of reals) whose adjoint is \p Adj: each constructor
  /// parameter gets the adjoints of the fields it initializes.
  void diffConstruct(const clang::CXXConstructExpr *Construct,
                     const std::string &Adj, CodeBlock &Out);
  /// Reverse code of \p Construct when its constructor \p Ctor computes
  /// members (DiffConstructor.cpp): its assignments replayed and
  /// differentiated from the object's adjoint \p Adj (whose fields are read
  /// through the class's helpers when \p Hidden). Returns why the
  /// constructor cannot be replayed, having emitted nothing, or nothing.
  std::optional<std::string>
  replayConstructor(const clang::CXXConstructExpr *Construct,
                    const clang::CXXConstructorDecl *Ctor,
                    const std::string &Adj, bool Hidden, CodeBlock &Out);
  /// While a constructor is replayed: the adjoint of each read of its
  /// parameters, locals and members (empty for a read without derivatives).
  llvm::DenseMap<const clang::Expr *, std::string> ReplayedReads;
  /// Depth of constructor replays, whose values are evaluated where they
  /// are differentiated (never cached in the forward sweep).
  unsigned ReplayDepth = 0;
  /// Reverse code of `e.a` where e is a struct of reals without an adjoint
  /// of its own (a temporary, a call's result).
  void diffMemberOfValue(const clang::MemberExpr *ME, const std::string &Adj,
                         CodeBlock &Out);
  /// The adjoint lvalue of the object \p Object of a member call (`a`,
  /// `p->`, `this`), or empty when it has none (a temporary).
  std::string objectAdjoint(const clang::Expr *Object);
  /// The initializer of a state variable of type \p T declared before it is
  /// assigned: the zero object of a class without a default constructor, and
  /// empty otherwise.
  std::string stateInit(clang::QualType T) const;
  /// The declaration of \p Name, the zero adjoint of a local array of type
  /// \p T whose elements are structs of reals.
  CodeBlock structArrayZero(clang::QualType T, const std::string &Name) const;
  /// For Request.ActiveThis: the variable standing for `*this` (named
  /// `(*this)`, with the adjoint `_d_this`), also Activity::thisObject()
  /// while this function is differentiated.
  const clang::VarDecl *ThisObject = nullptr;
  /// The variables the activity analysis starts from: Request.Wrt and
  /// ThisObject.
  std::vector<const clang::ParmVarDecl *> ActivityWrt;

  //===--- Aliasing (DiffAlias.cpp) ---------------------------------------===//
  /// Run-time checks at the entry of f_grad/f_vjp that no differentiated
  /// output pointer equals another differentiated pointer (or their
  /// adjoints); they throw std::invalid_argument.
  CodeBlock aliasChecks() const;
  /// Reports a call that passes one active buffer both as an output pointer
  /// and as another pointer argument, unless the parts it passes can be
  /// checked for overlap at run time: then the checks go to \p Checks.
  bool checkCallAliasing(const clang::CallExpr *Call, CodeBlock &Checks);

  //===--- Saving values --------------------------------------------------===//
  /// Saves lvalue \p LValue of type \p T in the forward sweep; returns the
  /// restore statement for the reverse sweep.
  std::string save(const std::string &LValue, clang::QualType T,
                   CodeBlock &Forward);
  /// Saves value \p Value in the forward sweep; returns the expression that
  /// yields it in the reverse sweep.
  std::string saveValue(const std::string &Value, clang::QualType T,
                        CodeBlock &Forward);
  /// Like saveValue, for a value of non-trivially-copyable type \p Type,
  /// always through a tape of objects.
  std::string saveObject(const std::string &Value, const std::string &Type,
                         CodeBlock &Forward);
  /// Forward code computing the values cached by the current statement, and
  /// the matching reverse prologue; clears the pending caches.
  void flushCaches(CodeBlock &Forward, CodeBlock &ReversePrologue);
  /// Whether the reverse sweep reads \p V (so overwrites must save it).
  bool readInReverse(const clang::VarDecl *V) const;
  /// Whether the reverse sweep reads anything through lvalue \p E.
  bool lvalueReadInReverse(const clang::Expr *E) const;
  /// Whether the variable \p E writes must be saved before \p S overwrites
  /// it: the reverse sweep reads the value it holds before \p S.
  bool neededBefore(const clang::Expr *E, const clang::Stmt *S) const;
  /// Whether \p V holds the quotient \p Value, which its adjoint then reads
  /// from V (Activity::quotientHolder).
  bool holdsQuotient(const clang::VarDecl *V, const clang::Expr *Value) const;

  void unsupported(const clang::Stmt *S, llvm::StringRef What,
                   llvm::StringRef Hint);
  /// Reports the real and pointer variables that \p Reverse reads although
  /// the to-be-recorded analysis says the reverse sweep does not read them
  /// and they change: the emitter and the analysis disagree.
  bool verifyReverseReads(const CodeBlock &Reverse);

  clang::ASTContext &Ctx;
  DiagnosticSink &Diags;
  DiffServices &Services;
  DiffRequest Request;
  SourceText Source;
  clang::PrintingPolicy Policy;
  Activity Act;

  llvm::DenseMap<const clang::VarDecl *, VarInfo> Vars;
  std::set<std::string> UsedNames;
  std::map<std::string, unsigned> Counters;
  /// Declarations of forward-sweep state emitted at the top of the body.
  CodeBlock Prologue;
  /// Declarations of the adjoints, emitted at the top of the body.
  CodeBlock AdjointPrologue;
  /// Constant static tables of the body, declared at the top of every
  /// generated function (forward and reverse sweeps alike).
  CodeBlock Constants;
  /// Local lambdas defined in Constants (lambda pullbacks), by name.
  std::set<std::string> DefinedLocally;

  //===--- Lambdas capturing differentiated data (DiffLambda.cpp) ----------===//
  /// At the declaration \p DS of closure \p Closure: when the lambda
  /// captures variables active here, defines its pullback in
  /// CapturingDefinitions, a local `[&]` lambda that reads and accumulates
  /// the caller's variables and adjoints by name (calls of other lambdas
  /// take the pullback that receives the captures as parameters, see
  /// Generator.cpp).
  /// Reports the init-captures (`[y = x * x]`, `[&r = x]`) in \p Body whose
  /// variables may carry derivatives: the activity analysis sees no flow from
  /// their initializers (DiffLambda.cpp).
  void rejectInitCaptures(const clang::Stmt *Body);
  void capturingPullback(const clang::DeclStmt *DS,
                         const clang::VarDecl *Closure);
  /// Defines (once) the pullback of the lambda with closure class \p RD in
  /// CapturingDefinitions, named \p Name; returns its name, or empty after
  /// reporting at \p Where why it cannot.
  std::string definePullback(const clang::CXXRecordDecl *RD,
                             const clang::Stmt *Where, std::string Name);
  /// The capturing pullback of the closure \p Call calls (defined now for a
  /// lambda capturing only constants): its name, empty after errors, or
  /// nullopt for a lambda without captures.
  std::optional<std::string> capturingPullbackOf(const clang::CallExpr *Call);
  /// For a capturing pullback's own request: names the captured variables
  /// as the caller does (before the analysis: seeds it).
  void registerCaptures(bool BeforeAnalysis);
  /// The captured variables the call of a lambda writes and that this
  /// function's reverse sweep deals with (active or read in reverse).
  std::vector<const clang::VarDecl *>
  capturesWrittenAt(const clang::CallExpr *Call);
  //===--- Standard algorithms (DiffAlgorithm.cpp) -------------------------===//
  /// Differentiates \p Call of std::accumulate, std::inner_product,
  /// std::transform, std::copy or std::fill over iterators or with a lambda
  /// through the rules `NAME_range_pullback`; false for calls the ordinary
  /// rules serve.
  bool diffAlgorithm(const clang::CallExpr *Call, const std::string &Adj,
                     CodeBlock &Out, const CodeBlock &AfterCall);
  /// Differentiates \p Call of std::copy (\p A is Copy) or std::fill
  /// through `copy_range_pullback` and `fill_range_pullback`.
  bool diffCopyOrFill(const clang::CallExpr *Call, Algorithm A, CodeBlock &Out,
                      const CodeBlock &AfterCall);
  /// Reverse code of `*std::max_element(first, last)` (or min_element, with
  /// or without a comparator) whose adjoint is \p Adj: the selected element
  /// of the range's adjoint gets it. False when \p E is not such a
  /// dereference.
  bool diffSelectedElement(const clang::Expr *E, const std::string &Adj,
                           CodeBlock &Out);
  /// The variable whose elements iterator or pointer \p E designates
  /// (`v.begin() + k`, `x + k`), or null.
  const clang::VarDecl *iteratorBase(const clang::Expr *E);
  /// The pointer into the adjoint that corresponds to iterator or pointer
  /// \p E (`_d_v.data() + k`), or empty when its data are constant.
  std::string iteratorAdjoint(const clang::Expr *E);
  /// Capturing pullbacks by closure class: the name, or empty after errors.
  std::map<const clang::CXXRecordDecl *, std::string> CapturingPullbacks;
  /// The capturing pullbacks, defined where the reverse sweep starts: the
  /// sweeps cannot be split.
  CodeBlock CapturingDefinitions;
  /// A structured binding kept as written (checkStructuredBinding): its
  /// names exist only in the function that declares them, so the sweeps
  /// cannot be split.
  const clang::DecompositionDecl *KeptBinding = nullptr;
  std::vector<StateVar> State;
  /// Declares state variable \p Name in the Prologue; \p Plain: its type is
  /// trivially copyable.
  void declareState(const std::string &Type, const std::string &Name,
                    const std::string &Init = "", bool Plain = true);
  /// The sweeps of the last run().
  CodeBlock ForwardSweep, ReverseSweep;
  /// Code run between the forward and the reverse sweep.
  CodeBlock ReverseStart;
  /// Code run at the end (adding local adjoints to the caller's, freeing).
  CodeBlock Epilogue;
  /// Renamed variables and cached values substituted into user text.
  std::vector<TextReplacement> Replacements;
  struct Cache {
    const clang::Expr *E;
    std::string Name;
    clang::QualType T;
    /// For a split-mode call: the state variable holding its record, the
    /// record's type, and the forward function that computes the value and
    /// fills the record.
    std::string Record, RecordType, Forward;
    /// Whether the reverse sweep reads the value (and not only the record).
    bool Read = true;
  };
  /// Values cached by the statement being differentiated.
  std::vector<Cache> PendingCaches;
  llvm::DenseMap<const clang::Expr *, std::string> CacheNames;
  /// Tapes of values that are not trivially copyable, by type.
  std::map<std::string, std::string> ObjectTapes;
  /// Whether the statement is after an adjoint::NoGradGuard in its block.
  bool NoGrad = false;
  unsigned LoopDepth = 0;
  /// Counters of the counted loops around the statement being
  /// differentiated, innermost last.
  std::vector<const clang::VarDecl *> LoopCounters;
  /// Variables that keep their value from initialization on (computed on
  /// the first loop).
  std::optional<StableVariables> Stable;
  /// Depth of ?: branches around the expression being differentiated, whose
  /// calls must not run before the statement (no split-mode calls there).
  unsigned ConditionalDepth = 0;
  /// Depth of if/else branches around the statement being differentiated.
  unsigned BranchDepth = 0;
  /// The branch arms around the statement being differentiated, as (branch,
  /// arm) pairs: records of calls in different arms of one branch never both
  /// run, so a split-mode record keeps them in a union (records then grow
  /// with the longest path through the callees, not with all call sites).
  std::vector<std::pair<unsigned, unsigned>> RecordArm;
  unsigned RecordBranches = 0;
  /// The member path to a record in arm \p Arm of a split-mode record
  /// (`_u0._a1.`: union _u0, its struct _a1).
  static std::string
  armPath(const std::vector<std::pair<unsigned, unsigned>> &Arm);
  /// Runs \p Diff with the arm \p Arm of branch \p Branch around it.
  template <typename F> auto inArm(unsigned Branch, unsigned Arm, F &&Diff) {
    RecordArm.push_back({Branch, Arm});
    auto Out = Diff();
    RecordArm.pop_back();
    return Out;
  }
  bool UsesTape = false;
  /// Whether a call runs its callee's logged variant (the `_log` state).
  bool UsesLog = false;
  bool SeenReturn = false;
  bool ReturnDeclared = false;
  const clang::CompoundStmt *TopBlock = nullptr;
  std::string ReturnVar;

  //===--- Control flow: exits of loops and switches (DiffControlFlow.cpp) -===//
  // Regions are the function body, loops and switches. The exits of a region
  // (break, continue, return, and exits of nested regions that leave it) are
  // numbered in source order from 1; End = count + 1 means "ran to the end".
  // A region with exits records the exit taken in a path variable `_pK`; the
  // reverse sweep runs a statement only when the recorded exit is after it.
  struct FlowFacts {
    /// Kind of exit Id - 1: 'b'reak, 'c'ontinue or 'r'eturn.
    std::vector<char> Kinds;
    unsigned end() const { return Kinds.size() + 1; }
  };
  /// A region being differentiated.
  struct FlowRegion {
    const clang::Stmt *Key = nullptr; ///< Loop, switch or the function body.
    std::string Path;                 ///< Path variable, empty without exits.
    /// Whether each iteration pushes its exit (loops with 'continue' that
    /// are not checkpointed: a recompute finds the exit again).
    bool Taped = false;
    bool IsLoop = false;
    /// Forward code of a for loop's increment, run before 'continue'.
    CodeBlock IncForward;
  };
  /// A statement's pair, run only when the innermost region's exit is after
  /// position Guard (-1: always).
  struct FlowPart {
    long Guard = -1;
    StmtPair Pair;
  };
  /// Numbers the exits of the regions in \p S (innermost region \p Region).
  void scanFlow(const clang::Stmt *S, const clang::Stmt *Region);
  /// Pushes the function body's region (first call) and numbers all exits.
  void beginFunctionFlow();
  /// Marks the returns after which nothing else runs (no exit needed).
  void markTailReturns(llvm::ArrayRef<const clang::Stmt *> Body);
  const FlowFacts &factsOf(const clang::Stmt *Region) { return FlowFactsOf[Region]; }
  /// Forward code taking exit \p Id of the innermost region.
  CodeBlock exitCode(unsigned Id);
  /// Forward code after nested region \p Nested (path \p NestedPath)
  /// continuing the exits that leave it in the innermost region.
  CodeBlock propagateExits(const clang::Stmt *Nested,
                           const std::string &NestedPath);
  /// Condition "the innermost region's exit is after position \p Pos".
  std::string pathAfter(unsigned Pos);
  /// Guard of \p S in a sequence starting at \p First (-1: none).
  long guardOf(const clang::Stmt *S, const clang::Stmt *First);
  /// Appends \p Parts: forwards in order (nested guards when \p GuardForward),
  /// reverses in reverse order under their guards.
  void emitParts(std::vector<FlowPart> &Parts, bool GuardForward,
                 StmtPair &Out);
  /// The reverse sweep's value of the recorded condition of \p If (taped):
  /// a pop, or derived from the exit taken when it left through a branch.
  std::string poppedCondition(const clang::IfStmt *If);
  /// Whether the reverse sweep can evaluate \p Cond again instead of popping
  /// its recorded value: it has no side effects and is recomputable (see
  /// isRecomputable) from parameters that keep their values, locals that
  /// keep their values and that the reverse sweep reads anyway, and the
  /// counters of the counted loops around it (the reverse sweep counts them
  /// back).
  bool replayableCondition(const clang::Expr *Cond);
  /// Checks that the only side effects of condition \p Cond are ++/-- of
  /// integer variables; their undoing goes to \p Undo.
  bool conditionUndo(const clang::Expr *Cond, CodeBlock &Undo);
  StmtPair diffExit(const clang::Stmt *S);
  StmtPair diffSwitch(const clang::SwitchStmt *S);
  /// A range-based for loop over a C array or std::vector (DiffRangeFor.cpp).
  StmtPair diffRangeFor(const clang::CXXForRangeStmt *Loop);
  /// diffSwitch of a switch without its initializer.
  StmtPair diffSwitchAfterInit(const clang::SwitchStmt *SS);

  std::map<const clang::Stmt *, FlowFacts> FlowFactsOf;
  /// Exits of the innermost region before / after each statement.
  llvm::DenseMap<const clang::Stmt *, unsigned> FlowPos, FlowPosEnd;
  /// Exit id of break/continue/return statements in their region.
  llvm::DenseMap<const clang::Stmt *, unsigned> FlowExitId;
  /// Exit id, in its parent region, of a nested region left by 'c'/'r'.
  std::map<std::pair<const clang::Stmt *, char>, unsigned> FlowCrossId;
  std::vector<FlowRegion> FlowStack;
  llvm::DenseSet<const clang::Stmt *> TailReturns;
};

} // namespace adjoint

#endif // ADJOINT_CORE_FUNCTIONDIFFERENTIATOR_H
