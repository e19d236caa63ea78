//===- CountedLoop.h - for loops whose trip count follows from the header -===//
//
// `for (int i = a; i < b; ++i)` runs max(b - a, 0) times when neither i nor
// the values in a and b change while it runs. The reverse sweep of such a
// loop computes its trip count and the counter's final value from the header
// instead of taping them.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_CORE_COUNTEDLOOP_H
#define ADJOINT_CORE_COUNTEDLOOP_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>

namespace adjoint {

/// The header of a counted loop `for (T i = First; i OP Bound; ++i)` (OP `<`
/// or `<=`), or counting down with `--i` and `>` or `>=`.
struct CountedLoop {
  /// The counter, declared in the loop's init statement.
  const clang::VarDecl *Counter = nullptr;
  /// The bound the condition compares the counter with.
  const clang::Expr *Bound = nullptr;
  /// Whether the counter goes up (`++i`).
  bool Up = true;
  /// Whether the bound itself is reached (`<=`, `>=`).
  bool Inclusive = false;
};

/// Which variables of a function keep their value from initialization on:
/// parameters and locals outside loops that nothing writes after their
/// initializer, takes the address of, or binds to a non-const reference.
class StableVariables {
public:
  /// Scans \p Body, the function's body.
  explicit StableVariables(const clang::Stmt *Body);

  /// Whether \p V keeps its value from initialization on.
  bool isStable(const clang::VarDecl *V) const;

  /// Whether \p S may write \p V.
  static bool mayWrite(const clang::Stmt *S, const clang::VarDecl *V);

private:
  llvm::DenseSet<const clang::VarDecl *> Written;
  llvm::DenseSet<const clang::VarDecl *> InLoops;
};

/// Whether \p E can be evaluated again later to the same value: it uses only
/// literals, `sizeof`, enumerators, the variables \p Known accepts (and
/// `v.size()` of such a vector), through integer arithmetic (`+ - * / % <<
/// >>`, unary `+`/`-`, integer casts). With \p Condition it may also compare,
/// use `&&`, `||`, `!`, bool and floating literals and arithmetic casts (a
/// branch condition rather than a loop bound).
bool isRecomputable(const clang::Expr *E,
                    llvm::function_ref<bool(const clang::VarDecl *)> Known,
                    bool Condition = false);

/// Records in \p Out the variables node \p S itself (not its children)
/// assigns (also through `operator=`), steps, takes the address of or binds
/// to a non-const reference; a null entry for a write whose target is
/// unknown. Calls and lambdas are left to the caller.
void collectDirectWrites(const clang::Stmt *S,
                         llvm::DenseSet<const clang::VarDecl *> &Out);

/// Whether \p S contains a break, continue, return or goto (also in
/// nested loops and switches).
bool hasJump(const clang::Stmt *S);

/// Whether the local \p V, declared by \p DS, is a const reference to a
/// real that may be read as a copy: bound to a temporary, or to what keeps
/// its value while V lives (nothing in its block writes the variables its
/// initializer mentions).
bool isCopyLikeReference(clang::ASTContext &Ctx, const clang::VarDecl *V,
                         const clang::DeclStmt *DS);

/// For a local `T &r = e;` (\p V, declared by \p DS in \p Block) to a
/// real variable or element (`y`, `out[i]`, `v[k]`) that its block writes:
/// the lvalue e, when r may be read as a copy of it that is written back
/// (`out[i] = r;`) after each statement of the block that writes r. That
/// holds when nothing else in the block writes the variables e mentions, the
/// statements that mention e's variable do not write r (they would see its
/// old value), no statement but the last leaves the block (and that one
/// does not write r), and r's
/// address is never taken nor r captured by a lambda. Null otherwise.
const clang::Expr *writeBackTarget(const clang::VarDecl *V,
                                   const clang::CompoundStmt *Block,
                                   const clang::DeclStmt *DS);

/// The range variable of \p Loop when its loop variable is a non-const
/// reference that the body writes (`for (double &v : buf) v *= s;`), which
/// is read as a copy of the element and written back to it at the end of
/// each iteration: the body neither mentions the range nor lets the loop
/// variable escape. Null otherwise.
const clang::VarDecl *writtenRange(const clang::CXXForRangeStmt *Loop);

/// The block \p S is a statement of, or null.
const clang::CompoundStmt *parentBlock(clang::ASTContext &Ctx,
                                       const clang::Stmt *S);

/// Whether \p S takes the address of \p V or captures it in a lambda by
/// reference.
bool escapes(const clang::Stmt *S, const clang::VarDecl *V);

/// Calls \p F on \p S and every statement and expression inside it.
void forEachStmt(const clang::Stmt *S,
                 llvm::function_ref<void(const clang::Stmt *)> F);

/// The counter of \p For if its header has a counted loop's shape: one
/// integer declared and initialized in the init statement, compared first
/// in the condition and stepped by `++`/`--`; and its body has no break,
/// continue, return or goto (also none in nested statements). Null otherwise.
const clang::VarDecl *countedLoopCounter(const clang::ForStmt *For);

/// The counted-loop header of \p For: its counter is written only by the
/// increment, the comparison matches the step's direction, and its start and
/// bound use only literals, stable variables (\p Stable), the counters of
/// \p Enclosing counted loops, arithmetic and `v.size()` of a stable vector.
std::optional<CountedLoop>
countedLoop(const clang::ForStmt *For, const StableVariables &Stable,
            llvm::ArrayRef<const clang::VarDecl *> Enclosing);

} // namespace adjoint

#endif // ADJOINT_CORE_COUNTEDLOOP_H
