//===- LoggedWrites.cpp - Callees that log what they overwrite ------------===//

#include "LoggedWrites.h"
#include "SourceText.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"

#include <set>
#include <vector>

using namespace clang;

namespace adjoint {
namespace {

/// Whether a pointer or reference parameter of type \p T lets the function
/// write the caller's memory.
bool isWritableParamType(QualType T) {
  if (T->isPointerType())
    return !T->getPointeeType().isConstQualified();
  if (T->isLValueReferenceType())
    return !T.getNonReferenceType().isConstQualified();
  return false;
}

/// Whether values of type \p T hold no pointer or reference, so that a copy
/// of one cannot be written through.
bool isPointerFree(QualType T) {
  T = T.getCanonicalType();
  if (T->isArithmeticType() || T->isEnumeralType())
    return true;
  if (const auto *Array = dyn_cast<ConstantArrayType>(T.getTypePtr()))
    return isPointerFree(Array->getElementType());
  const auto *Record = T->getAsCXXRecordDecl();
  if (!Record || !Record->hasDefinition() || Record->getNumBases() ||
      !Record->isTriviallyCopyable())
    return false;
  for (const FieldDecl *F : Record->fields())
    if (!isPointerFree(F->getType()))
      return false;
  return true;
}

/// Whether \p T reaches memory only for reading: a pointer or reference to
/// const.
bool isReadOnlyView(QualType T) {
  if (T->isPointerType() || T->isReferenceType())
    return T->getPointeeType().isConstQualified();
  return false;
}

} // namespace

bool isReadOnlyParameter(const CallExpr *Call, unsigned Index,
                         llvm::SmallPtrSetImpl<const ParmVarDecl *> &Visiting);

namespace {
/// Finds the uses of a function's writable parameters and turns each into
/// an accepted read, a logged write or a logged call.
class WriteFinder : public RecursiveASTVisitor<WriteFinder> {
public:
  /// Follows the uses of \p Only, or of all of \p FD's writable parameters
  /// when it is null. \p Visiting: the parameters whose uses are being
  /// followed further up the call chain (see isReadOnlyParameter).
  WriteFinder(ASTContext &Ctx, const FunctionDecl *FD, const SourceText &Text,
              LoggedCalleeLookup Logged, std::string &Problem,
              llvm::SmallPtrSetImpl<const ParmVarDecl *> &Visiting,
              const ParmVarDecl *Only = nullptr)
      : Ctx(Ctx), Parents(FD->getBody()), Text(Text), Logged(Logged),
        Problem(Problem), Visiting(Visiting) {
    for (const ParmVarDecl *P : FD->parameters())
      if (isWritableParamType(P->getType()) && (!Only || P == Only))
        Params.push_back(P);
  }

  bool VisitLambdaExpr(LambdaExpr *) {
    return refuse("a lambda, which could write through its parameters");
  }

  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    const auto *P = dyn_cast<VarDecl>(DRE->getDecl());
    if (!P || !(llvm::is_contained(Params, P) || Locals.count(P)))
      return true;
    if (P->getType()->isReferenceType()) {
      if (!isPointerFree(P->getType().getNonReferenceType()))
        return refuse("'" + P->getNameAsString() +
                      "' refers to memory holding pointers");
      return followElement(DRE);
    }
    if (!isPointerFree(P->getType()->getPointeeType()))
      return refuse("'" + P->getNameAsString() +
                    "' points to memory holding pointers");
    const Stmt *Parent = Parents.getParent(DRE);
    if (const auto *Cast = dyn_cast_or_null<ImplicitCastExpr>(Parent))
      if (Cast->getCastKind() == CK_LValueToRValue)
        return followPointer(Cast);
    // The pointer itself moves along its buffer (`p++`, `p += n`).
    if (const auto *U = dyn_cast_or_null<UnaryOperator>(Parent))
      if (U->isIncrementDecrementOp())
        return true;
    if (const auto *B = dyn_cast_or_null<BinaryOperator>(Parent))
      if ((B->getOpcode() == BO_AddAssign || B->getOpcode() == BO_SubAssign) &&
          B->getLHS() == DRE)
        return true;
    return refuse("a use of the pointer '" + P->getNameAsString() +
                  "' other than indexing, arithmetic and passing it on");
  }

  /// The text replacements that log the writes, once traversal succeeded.
  std::vector<TextReplacement> Replacements;

private:
  bool refuse(const std::string &Why) {
    if (Problem.empty())
      Problem = Why;
    return false;
  }

  const Stmt *parentOf(const Stmt *S) const { return Parents.getParent(S); }

  /// \p E is a pointer value into the caller's memory.
  bool followPointer(const Expr *E) {
    for (;;) {
      const Stmt *Parent = parentOf(E);
      if (!Parent)
        return refuse("a pointer into a parameter's memory used as a statement");
      if (isa<ParenExpr>(Parent)) {
        E = cast<Expr>(Parent);
        continue;
      }
      if (const auto *Cast = dyn_cast<CastExpr>(Parent)) {
        if (Cast->getCastKind() == CK_PointerToBoolean ||
            isReadOnlyView(Cast->getType()))
          return true;
        if (const auto *Call = dyn_cast_or_null<CallExpr>(parentOf(Cast)))
          if (Cast->getCastKind() == CK_BitCast)
            return followArgument(Call, Cast); // to `void *`
        if (isa<ImplicitCastExpr>(Cast) && Cast->getCastKind() == CK_NoOp) {
          E = Cast;
          continue;
        }
        return refuse("a cast of a pointer into a parameter's memory");
      }
      if (const auto *B = dyn_cast<BinaryOperator>(Parent)) {
        if (B->isComparisonOp() || B->getType()->isIntegerType())
          return true; // p < end, p - q
        if (B->isAdditiveOp() && B->getType()->isPointerType()) {
          E = B;
          continue;
        }
        return refuse("this operation on a pointer into a parameter's memory");
      }
      if (const auto *Sub = dyn_cast<ArraySubscriptExpr>(Parent)) {
        if (Sub->getBase()->IgnoreParenImpCasts() == E->IgnoreParenImpCasts())
          return followElement(Sub);
        return refuse("a pointer used as an index");
      }
      if (const auto *U = dyn_cast<UnaryOperator>(Parent)) {
        if (U->getOpcode() == UO_Deref)
          return followElement(U);
        return refuse("this operation on a pointer into a parameter's memory");
      }
      if (const auto *M = dyn_cast<MemberExpr>(Parent)) {
        if (M->isArrow())
          return followElement(M);
        return refuse("a member access through a pointer");
      }
      if (const auto *Call = dyn_cast<CallExpr>(Parent))
        return followArgument(Call, E);
      if (const auto *DS = dyn_cast<DeclStmt>(Parent)) {
        for (const Decl *D : DS->decls())
          if (const auto *V = dyn_cast<VarDecl>(D))
            if (V->getInit() == E) {
              if (isReadOnlyView(V->getType()))
                return true;
              // `double *p = coef;`: its uses are followed as coef's are.
              if (V->getType()->isPointerType()) {
                Locals.insert(V);
                return true;
              }
            }
        return refuse("a local pointer to a parameter's memory");
      }
      return refuse("a pointer into a parameter's memory used this way");
    }
  }

  /// \p E is an lvalue in the caller's memory.
  bool followElement(const Expr *E) {
    for (;;) {
      const Stmt *Parent = parentOf(E);
      if (!Parent)
        return refuse("an element of a parameter's memory used as a statement");
      if (isa<ParenExpr>(Parent)) {
        E = cast<Expr>(Parent);
        continue;
      }
      if (const auto *M = dyn_cast<MemberExpr>(Parent)) {
        if (M->getBase() == E && !M->isArrow() && isa<FieldDecl>(M->getMemberDecl())) {
          E = M;
          continue;
        }
        return refuse("a member function called on a parameter's memory");
      }
      if (const auto *Cast = dyn_cast<ImplicitCastExpr>(Parent)) {
        switch (Cast->getCastKind()) {
        case CK_LValueToRValue:
          return true; // a read
        case CK_ArrayToPointerDecay:
          return followPointer(Cast);
        case CK_NoOp:
          if (Cast->getType().isConstQualified())
            return true;
          E = Cast;
          continue;
        default:
          return refuse("a cast of an element of a parameter's memory");
        }
      }
      if (const auto *Sub = dyn_cast<ArraySubscriptExpr>(Parent)) {
        if (Sub->getBase() != E)
          return true; // used as an index: a read of an integer
        return refuse("an element used as an array");
      }
      if (const auto *B = dyn_cast<BinaryOperator>(Parent)) {
        if (B->isAssignmentOp() && B->getLHS() == E)
          return logWrite(B, E);
        return refuse("this operation on an element of a parameter's memory");
      }
      if (const auto *U = dyn_cast<UnaryOperator>(Parent)) {
        if (U->isIncrementDecrementOp())
          return logWrite(U, E);
        if (U->getOpcode() == UO_AddrOf)
          return followPointer(U);
        return refuse("this operation on an element of a parameter's memory");
      }
      if (const auto *Call = dyn_cast<CallExpr>(Parent))
        return followArgument(Call, E);
      if (isa<CXXConstructExpr>(Parent))
        return isPointerFree(E->getType())
                   ? true
                   : refuse("a copy of memory holding pointers");
      if (const auto *DS = dyn_cast<DeclStmt>(Parent)) {
        for (const Decl *D : DS->decls())
          if (const auto *V = dyn_cast<VarDecl>(D))
            if (V->getInit() == E && V->getType()->isReferenceType() &&
                isReadOnlyView(V->getType()))
              return true;
        return refuse("a local reference to a parameter's memory");
      }
      return refuse("an element of a parameter's memory used this way");
    }
  }

  /// \p Arg, into the caller's memory, is an argument of \p Call.
  bool followArgument(const CallExpr *Call, const Expr *Arg) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || Call->getCallee()->IgnoreParenImpCasts() == Arg)
      return refuse("a call through a pointer");
    unsigned Index = 0;
    while (Index < Call->getNumArgs() && Call->getArg(Index) != Arg)
      ++Index;
    if (Index >= Callee->getNumParams())
      return refuse("a variadic call");
    QualType PT = Callee->getParamDecl(Index)->getType();
    if (!PT->isPointerType() && !PT->isReferenceType())
      return true; // passed by value
    if (isReadOnlyView(PT) || isReadOnlyParameter(Call, Index, Visiting))
      return true;
    return logCall(Call);
  }

  /// Whether \p S is a statement of its own (or a for loop's increment),
  /// before which a logging statement can go.
  bool isStatement(const Stmt *S) const {
    const Stmt *Parent = parentOf(S);
    // `out[i] = f(v, Cfg{});` destroys its temporaries at the end.
    if (isa_and_nonnull<ExprWithCleanups>(Parent)) {
      S = Parent;
      Parent = parentOf(S);
    }
    if (!Parent)
      return false;
    if (isa<CompoundStmt>(Parent) || isa<CaseStmt>(Parent) ||
        isa<DefaultStmt>(Parent) || isa<LabelStmt>(Parent))
      return true;
    if (const auto *If = dyn_cast<IfStmt>(Parent))
      return If->getThen() == S || If->getElse() == S;
    if (const auto *For = dyn_cast<ForStmt>(Parent))
      return For->getBody() == S || For->getInc() == S;
    if (const auto *While = dyn_cast<WhileStmt>(Parent))
      return While->getBody() == S;
    if (const auto *Do = dyn_cast<DoStmt>(Parent))
      return Do->getBody() == S;
    return false;
  }

  bool logWrite(const Expr *Write, const Expr *Place) {
    if (!isStatement(Write))
      return refuse("a write inside a larger expression");
    if (Place->HasSideEffects(Ctx))
      return refuse("a write to an element whose address has side effects");
    std::optional<std::string> PlaceText = Text.get(Place->getSourceRange());
    std::optional<std::string> WriteText = Text.get(Write->getSourceRange());
    if (!PlaceText || !WriteText)
      return refuse("a write inside a macro expansion");
    Replacements.push_back({Write->getSourceRange(),
                            "_log.save(" + *PlaceText + "), " + *WriteText});
    return true;
  }

  bool logCall(const CallExpr *Call) {
    if (!LoggedCalls.insert(Call).second)
      return true; // another argument of the same call
    if (!isStatement(Call))
      return refuse("a call writing a parameter's memory inside a larger "
                    "expression");
    if (isa<CXXMemberCallExpr>(Call) || isa<CXXOperatorCallExpr>(Call))
      return refuse("a member function writing a parameter's memory");
    std::optional<std::string> Callee = Logged(Call);
    if (!Callee)
      return refuse("a call of '" +
                    Call->getDirectCallee()->getNameAsString() +
                    "', which writes a parameter's memory and cannot log it");
    std::string Args;
    for (const Expr *A : Call->arguments()) {
      if (isa<CXXDefaultArgExpr>(A))
        return refuse("a call with default arguments");
      std::optional<std::string> ArgText = Text.get(A->getSourceRange());
      if (!ArgText)
        return refuse("an argument inside a macro expansion");
      Args += *ArgText + ", ";
    }
    Replacements.push_back(
        {Call->getSourceRange(), *Callee + "(" + Args + "_log)"});
    return true;
  }

  ASTContext &Ctx;
  ParentMap Parents;
  const SourceText &Text;
  LoggedCalleeLookup Logged;
  std::string &Problem;
  llvm::SmallPtrSetImpl<const ParmVarDecl *> &Visiting;
  std::vector<const ParmVarDecl *> Params;
  /// Local pointers initialized from a parameter's memory (followed the same
  /// way; the traversal meets each declaration before its uses).
  llvm::SmallPtrSet<const VarDecl *, 4> Locals;
  std::set<const CallExpr *> LoggedCalls;
};

} // namespace

bool isReadOnlyParameter(const CallExpr *Call, unsigned Index,
                         llvm::SmallPtrSetImpl<const ParmVarDecl *> &Visiting) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  const FunctionDecl *Def = Callee ? Callee->getDefinition() : nullptr;
  if (!Def || !Def->hasBody() || Def->isVariadic() ||
      Index >= Def->getNumParams())
    return false;
  const SourceManager &SM = Def->getASTContext().getSourceManager();
  if (Def->getBuiltinID() || SM.isInSystemHeader(Def->getLocation()))
    return false; // library functions are what their rules say
  const ParmVarDecl *P = Def->getParamDecl(Index);
  if (!isWritableParamType(P->getType()))
    return false; // a pointer-holding value: left to its type
  // A recursive call passing the parameter on writes only if some other use
  // in the cycle does, which the traversal further up finds: writes are the
  // least fixed point, so the cycle is taken as read-only here. Nothing is
  // cached, so no answer rests on this assumption but the outermost one.
  if (!Visiting.insert(P).second)
    return true;
  ASTContext &Ctx = Def->getASTContext();
  SourceText Text(SM, Ctx.getLangOpts());
  std::string Problem;
  WriteFinder Finder(
      Ctx, Def, Text,
      [](const CallExpr *) -> std::optional<std::string> {
        return std::nullopt;
      },
      Problem, Visiting, P);
  bool ReadOnly = Finder.TraverseStmt(const_cast<Stmt *>(Def->getBody())) &&
                  Finder.Replacements.empty();
  Visiting.erase(P);
  return ReadOnly;
}

bool isReadOnlyParameter(const CallExpr *Call, unsigned Index) {
  llvm::SmallPtrSet<const ParmVarDecl *, 8> Visiting;
  return isReadOnlyParameter(Call, Index, Visiting);
}

bool writesThroughParameters(const FunctionDecl *FD) {
  return llvm::any_of(FD->parameters(), [](const ParmVarDecl *P) {
    return isWritableParamType(P->getType());
  });
}

std::optional<std::string> loggedBody(ASTContext &Ctx, const FunctionDecl *FD,
                                      LoggedCalleeLookup Logged,
                                      std::string &Problem) {
  const Stmt *Body = FD->getBody();
  if (!Body || FD->isVariadic()) {
    Problem = "its body is not visible";
    return std::nullopt;
  }
  SourceText Text(Ctx.getSourceManager(), Ctx.getLangOpts());
  llvm::SmallPtrSet<const ParmVarDecl *, 8> Visiting;
  WriteFinder Finder(Ctx, FD, Text, Logged, Problem, Visiting);
  if (!Finder.TraverseStmt(const_cast<Stmt *>(Body)))
    return std::nullopt;
  std::optional<std::string> Out =
      Text.get(Body->getSourceRange(), Finder.Replacements);
  if (!Out)
    Problem = "its body is inside a macro expansion";
  return Out;
}

} // namespace adjoint
