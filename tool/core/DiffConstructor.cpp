//===- DiffConstructor.cpp - Constructors that compute their members ------===//
//
// A constructor that computes members from its parameters
// (`Particle(double m, double v) : mass(m), momentum(m * v) {}`, or a body
// `{ r = std::sqrt(x * x + y * y); }`) is differentiated where it is called,
// as the straight-line code it is from the arguments to the fields. The
// reverse sweep of the construction evaluates the arguments again
// (`const double _c0 = m;`), replays the constructor's assignments with their
// operands renamed (`const double _c2 = _c0 * _c1;`), seeds the last value of
// each field with the field's adjoint, and differentiates the assignments
// backwards into the parameters' adjoints, which go on to the arguments.
//
// Each value the constructor defines is a *version* of a parameter, local or
// field: the argument, a member initializer (written or a default member
// initializer), a local's initializer, a body assignment `x = e;`. A read sees
// the latest version of what it names. Only what can be replayed exactly is
// accepted: parameters, locals, fields set earlier, literals, arithmetic,
// conditionals, library calls and constructions of classes of reals. Anything
// else (a loop, a call of a user function, a global) is an error naming it at
// the construction, never a guess.
//
//===----------------------------------------------------------------------===//

#include "FunctionDifferentiator.h"

#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace adjoint {

namespace {
/// One value defined by the constructor being replayed.
struct Version {
  /// The parameter, local or field it is a value of.
  const ValueDecl *Slot = nullptr;
  /// Its value: null for a parameter (the construction's argument).
  const Expr *Value = nullptr;
  /// For a parameter: its index.
  unsigned Arg = 0;
  QualType Type;
  /// The versions its value reads.
  llvm::SmallVector<unsigned, 4> Reads;
  /// Names of the value and of its adjoint in the generated code.
  std::string Name, AdjName;
  bool Active = false;
};

/// The versions a constructor defines and the version each read sees.
class ConstructorReplay {
public:
  ConstructorReplay(const CXXConstructorDecl *Ctor, const SourceManager &SM)
      : Ctor(Ctor), SM(SM) {}

  /// Reads the parameters, initializers and body of the constructor; the
  /// reason it cannot be replayed, or nothing.
  std::optional<std::string> scan() {
    for (const ParmVarDecl *P : Ctor->parameters())
      define(P, nullptr, P->getType());
    for (const CXXCtorInitializer *Init : Ctor->inits()) {
      if (!Init->isMemberInitializer())
        return "delegates or initializes a base";
      const FieldDecl *F = Init->getMember();
      const Expr *Value = Init->getInit();
      if (const auto *Default = dyn_cast<CXXDefaultInitExpr>(Value))
        Value = Default->getExpr();
      if (!slotType(F->getType()))
        return "initializes member '" + F->getNameAsString() + "' of type '" +
               F->getType().getAsString() + "'";
      if (!readsOf(Value))
        return Problem;
      define(F, Value, F->getType());
    }
    llvm::SmallVector<const Stmt *, 8> Statements;
    if (const auto *Body = dyn_cast_or_null<CompoundStmt>(Ctor->getBody()))
      Statements.append(Body->body_begin(), Body->body_end());
    for (const Stmt *S : Statements) {
      if (isa<NullStmt>(S))
        continue;
      if (const auto *DS = dyn_cast<DeclStmt>(S)) {
        for (const Decl *D : DS->decls()) {
          const auto *V = dyn_cast<VarDecl>(D);
          if (!V || !V->getInit() || V->isStaticLocal() ||
              !slotType(V->getType()))
            return "declares '" + cast<NamedDecl>(D)->getNameAsString() +
                   "' (only locals of real or integer type with an "
                   "initializer are replayed)";
          if (!readsOf(V->getInit()))
            return Problem;
          define(V, V->getInit(), V->getType());
        }
        continue;
      }
      const auto *BO = dyn_cast<BinaryOperator>(S);
      if (!BO || BO->getOpcode() != BO_Assign)
        return "has a statement of kind '" +
               std::string(S->getStmtClassName()) +
               "' in its body (only 'x = e;' and local declarations are "
               "replayed)";
      const ValueDecl *Slot = assigned(BO->getLHS());
      if (!Slot)
        return "assigns something other than a member or a local";
      if (!readsOf(BO->getRHS()))
        return Problem;
      define(Slot, BO->getRHS(), Slot->getType());
    }
    return std::nullopt;
  }

  std::vector<Version> Versions;
  /// The version each read (a DeclRefExpr or `this->x`) sees.
  llvm::DenseMap<const Expr *, unsigned> ReadVersion;
  /// The last version of each slot.
  llvm::DenseMap<const ValueDecl *, unsigned> Current;

private:
  /// Whether a value of type \p T can be a version: reals, integers, enums
  /// and classes of reals, not references or arrays.
  static bool slotType(QualType T) {
    return !T->isReferenceType() && !T->isArrayType() &&
           (T->isArithmeticType() || T->isEnumeralType() || isRealStruct(T));
  }

  void define(const ValueDecl *Slot, const Expr *Value, QualType T) {
    Version V;
    V.Slot = Slot;
    V.Value = Value;
    V.Type = T.getNonReferenceType().getUnqualifiedType();
    if (const auto *P = dyn_cast<ParmVarDecl>(Slot); P && !Value)
      V.Arg = P->getFunctionScopeIndex();
    V.Reads = std::move(PendingReads);
    PendingReads.clear();
    Current[Slot] = Versions.size();
    Versions.push_back(std::move(V));
  }

  /// The member or local \p LHS assigns, or null.
  const ValueDecl *assigned(const Expr *LHS) const {
    LHS = LHS->IgnoreParens();
    if (const auto *ME = dyn_cast<MemberExpr>(LHS))
      if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
        if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
          return slotType(F->getType()) ? F : nullptr;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(LHS))
      if (Current.count(DRE->getDecl()) && slotType(DRE->getType()))
        return DRE->getDecl();
    return nullptr;
  }

  bool fail(const std::string &Why) {
    Problem = Why;
    return false;
  }

  /// Records the reads in \p E, or sets Problem and returns false when E
  /// has something that cannot be replayed.
  bool readsOf(const Stmt *S) {
    if (!S)
      return true;
    if (const auto *Default = dyn_cast<CXXDefaultArgExpr>(S))
      return readsOf(Default->getExpr());
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
      const ValueDecl *D = DRE->getDecl();
      auto It = Current.find(D);
      if (It == Current.end())
        return fail("reads '" + D->getNameAsString() +
                    "', which is not its parameter, local or member");
      return read(DRE, It->second);
    }
    if (const auto *ME = dyn_cast<MemberExpr>(S)) {
      const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
      if (isa<CXXThisExpr>(Base)) {
        const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
        if (!F)
          return fail("calls its member function '" +
                      ME->getMemberDecl()->getNameAsString() + "'");
        auto It = Current.find(F);
        if (It == Current.end())
          return fail("reads member '" + F->getNameAsString() +
                      "' before giving it a value");
        return read(ME, It->second);
      }
      // `p.x` of a parameter, local or member that is a class of reals.
      const auto *Inner = dyn_cast<MemberExpr>(Base);
      bool OfMember =
          Inner && isa<CXXThisExpr>(Inner->getBase()->IgnoreParenImpCasts());
      if (ME->isArrow() || !isa<FieldDecl>(ME->getMemberDecl()) ||
          !(isa<DeclRefExpr>(Base) || OfMember))
        return fail("reads member '" + ME->getMemberDecl()->getNameAsString() +
                    "' of something other than a parameter or local");
      return readsOf(Base);
    }
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (!Callee || isa<CXXMethodDecl>(Callee) ||
          !isLibraryFunction(SM, Callee))
        return fail("calls '" +
                    (Callee ? Callee->getNameAsString() : std::string("?")) +
                    "' (only library math functions are replayed)");
      for (const Expr *Arg : Call->arguments())
        if (!readsOf(Arg))
          return false;
      return true;
    }
    if (const auto *U = dyn_cast<UnaryOperator>(S))
      if (U->isIncrementDecrementOp() || U->getOpcode() == UO_AddrOf ||
          U->getOpcode() == UO_Deref)
        return fail("uses the operator '" +
                    UnaryOperator::getOpcodeStr(U->getOpcode()).str() + "'");
    if (const auto *BO = dyn_cast<BinaryOperator>(S))
      if (BO->isAssignmentOp() || BO->getOpcode() == BO_Comma)
        return fail("assigns inside an expression");
    bool Known = isa<IntegerLiteral>(S) || isa<FloatingLiteral>(S) ||
                 isa<CXXBoolLiteralExpr>(S) || isa<ParenExpr>(S) ||
                 isa<CastExpr>(S) || isa<UnaryOperator>(S) ||
                 isa<BinaryOperator>(S) || isa<ConditionalOperator>(S) ||
                 isa<MaterializeTemporaryExpr>(S) || isa<ExprWithCleanups>(S) ||
                 isa<InitListExpr>(S) || isa<ImplicitValueInitExpr>(S) ||
                 (isa<CXXConstructExpr>(S) &&
                  (isRealStruct(cast<Expr>(S)->getType()) ||
                   cast<Expr>(S)->getType()->isScalarType()));
    if (!Known)
      return fail("uses a '" + std::string(S->getStmtClassName()) +
                  "' expression");
    for (const Stmt *Child : S->children())
      if (!readsOf(Child))
        return false;
    return true;
  }

  bool read(const Expr *E, unsigned Version) {
    ReadVersion[E] = Version;
    PendingReads.push_back(Version);
    return true;
  }

  const CXXConstructorDecl *Ctor;
  const SourceManager &SM;
  /// The reads of the value being scanned.
  llvm::SmallVector<unsigned, 4> PendingReads;
  std::string Problem;
};
} // namespace

std::optional<std::string> FunctionDifferentiator::replayConstructor(
    const CXXConstructExpr *Construct, const CXXConstructorDecl *Ctor,
    const std::string &Adj, bool Hidden, CodeBlock &Out) {
  ConstructorReplay Replay(Ctor, Ctx.getSourceManager());
  if (std::optional<std::string> Why = Replay.scan())
    return Why;
  std::vector<Version> &Versions = Replay.Versions;
  // A parameter's value is active when its argument is; any other when it
  // reads an active value.
  for (Version &V : Versions) {
    V.Name = fresh("_c");
    if (!carriesDerivative(V.Type))
      continue;
    if (!V.Value)
      V.Active = V.Arg < Construct->getNumArgs() &&
                 isActiveExpr(Construct->getArg(V.Arg));
    else
      V.Active =
          llvm::any_of(V.Reads, [&](unsigned R) { return Versions[R].Active; });
    if (V.Active)
      V.AdjName = "_d" + V.Name;
  }
  // Reads name their versions' values, and have their versions' adjoints.
  size_t OuterReplacements = Replacements.size();
  auto OuterReads = ReplayedReads;
  for (const auto &[E, K] : Replay.ReadVersion) {
    Replacements.push_back({E->getSourceRange(), Versions[K].Name, E});
    ReplayedReads[E] = Versions[K].AdjName;
  }
  // The values are evaluated again here, in the reverse sweep: nothing in
  // the replay is cached in the forward sweep or split off.
  ++ReplayDepth;
  ++ConditionalDepth;
  CodeBlock Reverse;
  for (size_t K = Versions.size(); K-- > 0;)
    if (Versions[K].Active && Versions[K].Value)
      diffExpr(Versions[K].Value, Versions[K].AdjName, Reverse);
  std::vector<std::string> Values(Versions.size());
  for (size_t K = 0; K < Versions.size(); ++K)
    if (Versions[K].Value)
      Values[K] = text(Versions[K].Value);
  --ConditionalDepth;
  --ReplayDepth;
  Replacements.resize(OuterReplacements);
  ReplayedReads = std::move(OuterReads);
  // Only the values the reverse code reads, directly or through other
  // values, are declared.
  std::string ReverseText = Reverse.str();
  std::vector<bool> Needed(Versions.size());
  for (size_t K = Versions.size(); K-- > 0;) {
    Needed[K] = mentions(ReverseText, Versions[K].Name);
    for (size_t J = K + 1; J < Versions.size() && !Needed[K]; ++J)
      Needed[K] = Needed[J] && mentions(Values[J], Versions[K].Name);
  }
  for (size_t K = 0; K < Versions.size(); ++K) {
    const Version &V = Versions[K];
    if (!Needed[K])
      continue;
    std::string Value = V.Value ? Values[K] : valueOf(Construct->getArg(V.Arg));
    Out.line("const " + typeName(V.Type) + " " + V.Name + " = " + Value + ";");
  }
  // The last value of each field starts with the field's adjoint.
  const CXXRecordDecl *Class = Ctor->getParent();
  llvm::DenseMap<unsigned, std::string> Seeds;
  for (const FieldDecl *F : Class->fields()) {
    auto It = Replay.Current.find(F);
    if (It == Replay.Current.end() || !Versions[It->second].Active)
      continue;
    Seeds[It->second] = Hidden ? typeName(Ctx.getRecordType(Class)) +
                                     "::_adjoint_" + F->getNameAsString() +
                                     "(" + Adj + ")"
                               : Adj + "." + F->getNameAsString();
  }
  for (size_t K = 0; K < Versions.size(); ++K)
    if (Versions[K].Active)
      Out.line(
          adjointDecl(Versions[K].Type, Versions[K].AdjName, Seeds.lookup(K)));
  Out.append(Reverse);
  for (const Version &V : Versions)
    if (V.Active && !V.Value)
      diffExpr(Construct->getArg(V.Arg), V.AdjName, Out);
  return std::nullopt;
}

} // namespace adjoint
