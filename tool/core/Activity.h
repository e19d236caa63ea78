//===- Activity.h - Activity and read-in-reverse analysis ------*- C++ -*-===//
//
// A variable is active when it depends on a differentiated input (varied)
// and influences a differentiated output (useful); only active variables get
// adjoints. The analysis is flow-insensitive: it iterates over every
// assignment in the body until nothing changes, which over-approximates
// activity and never misses a dependency.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_CORE_ACTIVITY_H
#define ADJOINT_CORE_ACTIVITY_H

#include "CountedLoop.h"
#include "analysis/LocalAliases.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <optional>
#include <vector>

namespace adjoint {

/// Activity facts of one function body.
class Activity {
public:
  /// Analyses \p FD's body with \p Wrt as the varied inputs and \p Outputs
  /// (pointer parameters written by the function) as useful outputs in
  /// addition to the returned value. The loops in \p Recomputed are
  /// checkpointed: the reverse sweep runs their iterations again, so it reads
  /// everything their iterations read (see recomputeReads). Loop \p Fused
  /// runs each iteration's reverse right after the iteration: a later
  /// iteration's writes never undo what an earlier one's reverse reads.
  void analyze(const clang::FunctionDecl *FD,
               llvm::ArrayRef<const clang::ParmVarDecl *> Wrt,
               llvm::ArrayRef<const clang::ParmVarDecl *> Outputs,
               const llvm::DenseSet<const clang::Stmt *> &Recomputed = {},
               const clang::Stmt *Fused = nullptr);

  /// For a lambda's pullback: the variables it captures that are active in
  /// the caller. They are varied, and those in \p Written (which the lambda
  /// writes) are useful, as parameters and outputs are. Set before analyze.
  void setCaptured(llvm::ArrayRef<const clang::VarDecl *> Varied,
                   llvm::ArrayRef<const clang::VarDecl *> Written) {
    CapturedVaried.assign(Varied.begin(), Varied.end());
    CapturedWritten.assign(Written.begin(), Written.end());
  }

  /// Variables of types adjoint cannot differentiate (e.g. std::array, a
  /// class with constructors, a lambda capturing by reference) that receive
  /// differentiated values which reach the result: using them would silently
  /// drop derivatives.
  llvm::ArrayRef<const clang::VarDecl *> opaqueTargets() const {
    return Opaque;
  }

  /// Whether \p V gets an adjoint.
  bool isActive(const clang::VarDecl *V) const { return Active.count(V); }

  /// Whether any variable of the body is active.
  bool anyActive() const { return !Active.empty(); }

  /// Variables whose values the reverse sweep may read: every variable that
  /// appears in an expression flowing into an active variable or output.
  /// Reads through a local pointer or reference are reads of what it
  /// designates, and the other way round (LocalAliases).
  bool isReadInReverse(const clang::VarDecl *V) const;

  /// Whether the reverse sweep reads the value \p V holds just before \p S
  /// runs, so that overwriting it in \p S needs a save: some statement whose
  /// adjoint reads V can run before S (it starts before S ends, or shares a
  /// loop with S), or S itself reads it (to-be-recorded analysis).
  /// \p IgnoreOwnRead leaves out S's own reads (a call in S that only
  /// writes V).
  bool isNeededBefore(const clang::VarDecl *V, const clang::Stmt *S,
                      bool IgnoreOwnRead = false) const;

  /// Whether the body assigns to \p V (or through it, for a pointer).
  bool isWritten(const clang::VarDecl *V) const { return Written.count(V); }

  /// The variable standing for `*this` while a member function whose object
  /// carries derivatives is differentiated (DiffClass.cpp), or null: then
  /// `this->x` depends on it like `s.x` on a struct variable s.
  static const clang::VarDecl *&thisObject();

  /// Variables an expression's value may depend on differentiably (not
  /// descending into integer or boolean subexpressions).
  static void realSources(const clang::Expr *E,
                          llvm::SmallVectorImpl<const clang::VarDecl *> &Out);

  /// Variables the adjoint code of \p E reads: the operands of products,
  /// quotients and calls, conditions and indices, but not variables in
  /// linear positions (a + b, -a), whose adjoints need no values. The
  /// numerator of a quotient kept in a variable (see quotientHolder) is read
  /// only where it is not linear.
  void
  derivativeReads(const clang::Expr *E,
                  llvm::SmallVectorImpl<const clang::VarDecl *> &Out) const;

  /// The variable that holds the value of the quotient \p Div when the
  /// reverse sweep reads it, or null. That is v in `v = a / b;` or
  /// `T v = a / b;` outside loops, where v is a local or value parameter of
  /// the quotient's real type that a and b do not mention and whose address
  /// the body never takes: the adjoint of b uses v instead of dividing again.
  /// It reads v as the statement leaves it, so later writes of v save it, and
  /// the statement's own save of v (if any) is restored after its adjoint.
  const clang::VarDecl *quotientHolder(const clang::BinaryOperator *Div) const {
    return Quotients.lookup(Div);
  }

  /// The variable holding the derivative of \p Call, a call sin(x) or
  /// cos(x), when the reverse sweep reads it instead of evaluating cos(x) or
  /// sin(x) again; or null. That is c in `T c = cos(x);` for sin(x), s in
  /// `T s = sin(x);` for cos(x): a declaration in a block around the call and
  /// before it, or the next such declaration after the call's own, in the
  /// same block with no jump between them. Both c (or s) and x must keep
  /// their values from initialization on (StableVariables).
  const clang::VarDecl *derivativeHolder(const clang::CallExpr *Call) const {
    return Partners.lookup(Call);
  }

  /// Variables one iteration of \p Loop (its condition, body and increment)
  /// reads: every referenced variable except those only assigned with '=',
  /// '+=' or '-=' (x = e, a[i] += e), whose old values nothing needs.
  static void
  recomputeReads(const clang::Stmt *Loop,
                 llvm::SmallVectorImpl<const clang::VarDecl *> &Out);

  /// The variables whose storage \p E may designate when passed to a
  /// callee: every variable it mentions whose type is not derivative-free
  /// (v in `v.data()`, `&v[i]`, `v + k`, `v.begin()`).
  static void storageVars(const clang::Expr *E,
                          llvm::SmallVectorImpl<const clang::VarDecl *> &Out);

  /// Whether \p Callee's body only writes through its parameter \p Index (a
  /// pointer or reference) and never reads what it points to: every use is
  /// the target of a plain assignment (`p[i] = e`, `*p = e`, `r = e`) or is
  /// passed on (as `p`, `p + k` or `&p[k]`) to a parameter that only writes
  /// too. Running the call again (as its pullback does) then does not need
  /// the earlier contents. False when the body is not visible.
  static bool onlyWrites(const clang::FunctionDecl *Callee, unsigned Index);

  /// The number of elements \p Callee's body reaches through its pointer
  /// parameter \p Index when it only uses it as `p[c]` with integer
  /// constants c (or `*p`): the largest c plus one. Nullopt otherwise, or when
  /// the body is not visible.
  static std::optional<unsigned> constantExtent(const clang::FunctionDecl *Callee,
                                                unsigned Index);

  /// Whether pointer variable \p V changes value in the body (see
  /// findMovingPointers).
  bool isMovingPointer(const clang::VarDecl *V) const {
    return MovingPointers.count(V);
  }

  /// Every variable referenced anywhere in \p E.
  static void allReferenced(const clang::Expr *E,
                            llvm::SmallVectorImpl<const clang::VarDecl *> &Out);

  /// Whether \p S is a `for`, `while` or `do` loop.
  static bool isLoop(const clang::Stmt *S);

  /// Whether \p S declares an adjoint::NoGradGuard.
  static bool isNoGradGuard(const clang::Stmt *S);

  /// \p E without implicit conversions, temporaries and copies.
  static const clang::Expr *stripCopies(const clang::Expr *E);
  /// Whether \p E could have an adjoint: it is real-valued and refers to a
  /// variable that carries derivatives (constants and integers never do).
  static bool mayCarryDerivative(const clang::Expr *E);
  /// The braced element list of an array or std::vector initializer
  /// (`= {a, b}`, also through std::initializer_list), or null.
  static const clang::InitListExpr *elementList(const clang::Expr *Init);

  /// Whether \p E only copies a tensor variable (`return loss`, `t = loss`).
  /// Like a Python assignment under torch.no_grad(), that computes nothing, so
  /// the copy keeps the variable's gradient after a NoGradGuard.
  static bool isTensorCopy(const clang::Expr *E);

  /// Whether \p E is `t.detach()` or `adjoint::detach(t)`.
  static bool isDetach(const clang::Expr *E);

  /// The variable an lvalue expression writes (x, x[i], *x, x[i][j], s.a), or
/// null.
  static const clang::VarDecl *writtenVar(const clang::Expr *LHS);

private:
  struct Flow {
    const clang::VarDecl *Target; ///< Null for the returned value.
    llvm::SmallVector<const clang::VarDecl *, 4> Sources;
    llvm::SmallVector<const clang::VarDecl *, 8> Read;
    /// The quotient holder (see quotientHolder) whose new value the flow's
    /// adjoint reads, or null.
    const clang::VarDecl *ResultRead = nullptr;
    /// The statement that creates the flow.
    const clang::Stmt *Statement = nullptr;
    /// Variables in the written element's indices.
    llvm::SmallVector<const clang::VarDecl *, 2> IndexRead;
    /// Where the flow's adjoint code runs (see Site).
    clang::SourceLocation Begin;
    unsigned Loops;
  };
  /// A statement's place for the to-be-recorded analysis: its extent and the
  /// loops around it (an index into LoopNests).
  struct Site {
    clang::SourceLocation Begin, End;
    unsigned Loops;
    /// For the reads of a checkpointed loop's recompute: the loop. Writes
    /// inside it need no save for them (each iteration is recomputed from
    /// its snapshot).
    const clang::Stmt *Recompute = nullptr;
    /// For a read of the value a statement leaves (its own quotient): the
    /// statement, whose write needs no save for it.
    const clang::Stmt *After = nullptr;
  };
  /// Whether one of \p Reads happens after \p S (whose site is \p Write)
  /// writes, before the reverse sweep restores it (see isNeededBefore).
  /// \p Lifetime: the loops the written variable lives in.
  bool readsAfter(llvm::ArrayRef<Site> Reads, const clang::Stmt *S,
                  const Site &Write, unsigned Lifetime,
                  bool IgnoreOwnRead) const;
  void collect(const clang::Stmt *S);
  /// The flows \p S itself creates (not its children's).
  void collectFlows(const clang::Stmt *S);
  /// A flow into \p Target at the current statement.
  Flow newFlow(const clang::VarDecl *Target) const;
  /// Records flows into the variable \p LHS writes. \p ReadsTarget: the new
  /// value depends on the old one (x op= e); \p LinearInTarget: linearly
  /// (x += e, x -= e), so the adjoint does not read it; \p ScalesTarget:
  /// x *= e or x /= e, whose adjoint reads all of e.
  void addFlow(const clang::VarDecl *Target, const clang::Expr *Value,
               const clang::Expr *LHS, bool ReadsTarget,
               bool LinearInTarget = false, bool ScalesTarget = false);
  void addReadSite(const clang::VarDecl *V, const Flow &F);
  /// Collects the pointer variables of \p Body whose value changes: assigned,
  /// stepped, or declared in a loop (a new pointer per iteration).
  void findMovingPointers(const clang::Stmt *Body);
  /// Pointer variables whose value changes (findMovingPointers): writing
  /// through one reads it, to find the adjoint at its offset.
  llvm::DenseSet<const clang::VarDecl *> MovingPointers;
  /// Records the flows of call \p Call into what it can write: its object
  /// (a non-const member function) and the storage designated by its
  /// arguments through pointers, references and iterators (mayWriteThrough).
  void addCallFlows(const clang::CallExpr *Call);
  /// A local that holds sin(x) or cos(x) (see derivativeHolder).
  struct TrigValue {
    unsigned Builtin; ///< Builtin::BIsin, BIcos, BIsinf or BIcosf.
    const clang::VarDecl *Arg, *Holder;
  };
  /// The TrigValues \p S declares.
  llvm::SmallVector<TrigValue, 2> trigValues(const clang::Stmt *S) const;
  /// Pairs the sin and cos declarations of one argument among the statements
  /// of \p CS, each with the next one after it (see derivativeHolder).
  /// \p Values holds the TrigValues of each statement of \p CS.
  void pairTrigValues(const clang::CompoundStmt *CS,
                      llvm::ArrayRef<llvm::SmallVector<TrigValue, 2>> Values);
  /// Records the holders of the derivatives of the calls in \p E among the
  /// declarations collect() has passed, and adds every holder of a call in
  /// \p E to \p Out.
  void notePartners(const clang::Expr *E,
                    llvm::SmallVectorImpl<const clang::VarDecl *> &Out);
  /// Records \p Target as the holder of \p Value if that is a quotient whose
  /// value the reverse sweep can read from it (see quotientHolder).
  void noteQuotient(const clang::VarDecl *Target, const clang::Expr *Value);

  std::vector<Flow> Flows;
  /// Calls to sin and cos whose derivatives variables hold (see
  /// derivativeHolder).
  llvm::DenseMap<const clang::CallExpr *, const clang::VarDecl *> Partners;
  /// The sin and cos declarations collect() has passed in the blocks around
  /// it.
  std::vector<TrigValue> Available;
  /// The variables of the body that keep their values.
  std::optional<StableVariables> Stable;
  /// Quotients whose values their targets hold (see quotientHolder).
  llvm::DenseMap<const clang::BinaryOperator *, const clang::VarDecl *>
      Quotients;
  /// Whether collect() is after a NoGradGuard in the current block.
  bool NoGrad = false;
  llvm::DenseSet<const clang::VarDecl *> Active;
  llvm::DenseSet<const clang::VarDecl *> ReadInReverse;
  /// The local pointers and references of the body (isReadInReverse).
  std::optional<LocalAliases> Aliases;
  /// Where the adjoint code reading each variable comes from.
  llvm::DenseMap<const clang::VarDecl *, llvm::SmallVector<Site, 4>> ReadSites;
  /// Every statement of the body, for isNeededBefore().
  llvm::DenseMap<const clang::Stmt *, Site> Sites;
  /// Nests of loops, outermost first; LoopNests[0] is empty.
  std::vector<llvm::SmallVector<const clang::Stmt *, 4>> LoopNests;
  /// The nest of loops collect() is in.
  unsigned Loops = 0;
  /// The nest of loops of each loop's body.
  llvm::DenseMap<const clang::Stmt *, unsigned> NestOf;
  /// Checkpointed and fused loops: a later iteration of one of them does not
  /// read what an earlier one left (it starts from its own snapshot, or the
  /// earlier one's reverse has run).
  llvm::DenseSet<const clang::Stmt *> Checkpointed;
  /// The declaration of each local variable and its loop nest.
  llvm::DenseMap<const clang::VarDecl *, std::pair<const clang::Stmt *, unsigned>>
      Declarations;
  /// While collect() is in a for statement's increment: the statement's end,
  /// which is where the increment runs.
  clang::SourceLocation IncEnd;
  /// The statement collect() is in, whose site flows take.
  const clang::Stmt *Current = nullptr;
  const clang::SourceManager *SM = nullptr;
  llvm::DenseSet<const clang::VarDecl *> Written;
  std::vector<const clang::VarDecl *> Opaque;
  /// Adds the flow of writing local reference \p Ref back to \p Target
  /// after statement \p After.
  void addWriteBack(const clang::Stmt *After, const clang::VarDecl *Ref,
                    const clang::Expr *Target);
  /// See setCaptured.
  std::vector<const clang::VarDecl *> CapturedVaried, CapturedWritten;
};

} // namespace adjoint

#endif // ADJOINT_CORE_ACTIVITY_H
