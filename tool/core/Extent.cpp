//===- Extent.cpp - How many elements a function reaches through a pointer ===//

#include "Extent.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"

#include <set>

using namespace clang;

namespace adjoint {
namespace {

using ExtentPtr = std::shared_ptr<Extent>;

ExtentPtr constant(int64_t V) {
  auto E = std::make_shared<Extent>();
  E->Value = V;
  return E;
}

/// L K R (K: Sum, Product or Max), folded where constant.
ExtentPtr combine(Extent::Kind K, ExtentPtr L, ExtentPtr R) {
  if (L->K == Extent::Constant && R->K == Extent::Constant)
    return constant(K == Extent::Sum       ? L->Value + R->Value
                    : K == Extent::Product ? L->Value * R->Value
                                           : std::max(L->Value, R->Value));
  int64_t Unit = K == Extent::Sum ? 0 : 1;
  if (K != Extent::Max && L->K == Extent::Constant && L->Value == Unit)
    return R;
  if (K != Extent::Max && R->K == Extent::Constant && R->Value == Unit)
    return L;
  // Constants move right and meet: (a + c1) + c2 = a + (c1 + c2),
  // (a + c) + b = (a + b) + c.
  if (K == Extent::Sum && L->K == Extent::Sum && L->R->K == Extent::Constant)
    return R->K == Extent::Constant
               ? combine(Extent::Sum, L->L, constant(L->R->Value + R->Value))
               : combine(Extent::Sum, combine(Extent::Sum, L->L, R), L->R);
  auto E = std::make_shared<Extent>();
  E->K = K;
  E->L = std::move(L);
  E->R = std::move(R);
  return E;
}

/// Replaces each parameter of \p E by the extent \p Args gives for it.
ExtentPtr substitute(const ExtentPtr &E,
                     const std::vector<ExtentPtr> &Args) {
  switch (E->K) {
  case Extent::Constant:
    return E;
  case Extent::Parameter:
    return E->Index < Args.size() ? Args[E->Index] : nullptr;
  default: {
    ExtentPtr L = substitute(E->L, Args), R = substitute(E->R, Args);
    return L && R ? combine(E->K, L, R) : nullptr;
  }
  }
}

/// Bounds of one function's uses of its parameters.
class Bounds {
public:
  Bounds(const FunctionDecl *FD, std::set<const FunctionDecl *> &Visiting)
      : FD(FD), Ctx(FD->getASTContext()), Parents(FD->getBody()),
        Visiting(Visiting) {}

  /// The extent of pointer parameter P.
  ExtentPtr reached(const ParmVarDecl *P) {
    ExtentPtr Max;
    bool Ok = true;
    forEachRef(P, [&](const DeclRefExpr *Ref) {
      ExtentPtr Use = Ok ? useExtent(Ref) : nullptr;
      if (!Use) {
        Ok = false;
        return;
      }
      Max = Max ? maximum(Max, Use) : Use;
    });
    if (!Ok)
      return nullptr;
    return Max ? Max : constant(0);
  }

  /// \p E (an integer) as an extent over the parameters, when it has the
  /// same value everywhere in the function: a constant, or a parameter the
  /// function never changes, and sums and products of those.
  ExtentPtr stable(const Expr *E) {
    E = E->IgnoreParenImpCasts();
    Expr::EvalResult Result;
    if (E->EvaluateAsInt(Result, Ctx)) {
      llvm::APSInt V = Result.Val.getInt();
      return V.isNegative() ? nullptr : constant(V.getExtValue());
    }
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
      const auto *P = dyn_cast<ParmVarDecl>(Ref->getDecl());
      if (!P || !P->getType()->isIntegerType() || isChanged(P))
        return nullptr;
      auto Out = std::make_shared<Extent>();
      Out->K = Extent::Parameter;
      Out->Index = P->getFunctionScopeIndex();
      return Out;
    }
    if (const auto *B = dyn_cast<BinaryOperator>(E))
      if (B->getOpcode() == BO_Add || B->getOpcode() == BO_Mul) {
        ExtentPtr L = stable(B->getLHS()), R = stable(B->getRHS());
        if (L && R)
          return combine(B->getOpcode() == BO_Add ? Extent::Sum
                                                  : Extent::Product,
                         L, R);
      }
    return nullptr;
  }

private:
  static ExtentPtr maximum(ExtentPtr L, ExtentPtr R) {
    auto Spell = [](unsigned I) { return "$" + std::to_string(I); };
    if (L->text(Spell) == R->text(Spell))
      return L;
    return combine(Extent::Max, L, R);
  }

  template <class Fn> void forEachRef(const VarDecl *V, Fn Visit) {
    struct Finder : RecursiveASTVisitor<Finder> {
      const VarDecl *V;
      Fn &Visit;
      Finder(const VarDecl *V, Fn &Visit) : V(V), Visit(Visit) {}
      bool VisitDeclRefExpr(DeclRefExpr *Ref) {
        if (Ref->getDecl() == V)
          Visit(Ref);
        return true;
      }
    } F(V, Visit);
    F.TraverseStmt(const_cast<Stmt *>(FD->getBody()));
  }

  /// Whether \p V may change in the function: assigned, incremented, its
  /// address taken or bound to a reference.
  bool isChanged(const VarDecl *V) {
    bool Changed = false;
    forEachRef(V, [&](const DeclRefExpr *Ref) {
      const auto *Cast = dyn_cast_or_null<ImplicitCastExpr>(Parents.getParent(Ref));
      Changed |= !Cast || Cast->getCastKind() != CK_LValueToRValue;
    });
    return Changed;
  }

  /// The bound (one past the largest value) of the index \p E.
  ExtentPtr bound(const Expr *E) {
    E = E->IgnoreParenImpCasts();
    Expr::EvalResult Result;
    if (E->EvaluateAsInt(Result, Ctx)) {
      llvm::APSInt V = Result.Val.getInt();
      return V.isNegative() ? nullptr : constant(V.getExtValue() + 1);
    }
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
      if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl()))
        return counterBound(V);
    const auto *B = dyn_cast<BinaryOperator>(E);
    if (!B)
      return nullptr;
    switch (B->getOpcode()) {
    case BO_Add: {
      // a + b <= (A - 1) + (B - 1)
      ExtentPtr L = bound(B->getLHS()), R = bound(B->getRHS());
      return L && R ? combine(Extent::Sum, combine(Extent::Sum, L, R),
                              constant(-1))
                    : nullptr;
    }
    case BO_Mul: {
      // a * s <= (A - 1) * s
      for (auto [Index, Scale] : {std::pair(B->getLHS(), B->getRHS()),
                                  std::pair(B->getRHS(), B->getLHS())}) {
        ExtentPtr A = bound(Index), S = stable(Scale);
        if (A && S)
          return combine(
              Extent::Sum,
              combine(Extent::Product, combine(Extent::Sum, A, constant(-1)),
                      S),
              constant(1));
      }
      return nullptr;
    }
    case BO_Rem:
      // a % m < m for a >= 0, m > 0
      return bound(B->getLHS()) ? stable(B->getRHS()) : nullptr;
    default:
      return nullptr;
    }
  }

  /// The bound of the counter \p V of `for (int V = c; V < B; ++V)` (c >= 0,
  /// B stable), which nothing else changes.
  ExtentPtr counterBound(const VarDecl *V) {
    if (!V->getInit())
      return nullptr;
    const auto *DS = dyn_cast_or_null<DeclStmt>(Parents.getParent(V->getInit()));
    const auto *For =
        DS ? dyn_cast_or_null<ForStmt>(Parents.getParent(DS)) : nullptr;
    if (!For || For->getInit() != DS)
      return nullptr;
    Expr::EvalResult Start;
    if (!V->getInit()->EvaluateAsInt(Start, Ctx) ||
        Start.Val.getInt().isNegative())
      return nullptr;
    const auto *Cond = dyn_cast_or_null<BinaryOperator>(
        For->getCond() ? For->getCond()->IgnoreParenImpCasts() : nullptr);
    if (!Cond)
      return nullptr;
    auto IsV = [&](const Expr *E) {
      const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
      return Ref && Ref->getDecl() == V;
    };
    ExtentPtr Limit;
    if ((Cond->getOpcode() == BO_LT && IsV(Cond->getLHS())) ||
        (Cond->getOpcode() == BO_GT && IsV(Cond->getRHS())))
      Limit = stable(IsV(Cond->getLHS()) ? Cond->getRHS() : Cond->getLHS());
    else if (Cond->getOpcode() == BO_LE && IsV(Cond->getLHS()))
      if (ExtentPtr S = stable(Cond->getRHS()))
        Limit = combine(Extent::Sum, S, constant(1));
    if (!Limit)
      return nullptr;
    // Only the increment changes the counter.
    bool Other = false;
    forEachRef(V, [&](const DeclRefExpr *Ref) {
      const Stmt *Parent = Parents.getParent(Ref);
      const auto *Cast = dyn_cast_or_null<ImplicitCastExpr>(Parent);
      if (Cast && Cast->getCastKind() == CK_LValueToRValue)
        return;
      const auto *Inc = dyn_cast_or_null<UnaryOperator>(Parent);
      if (Inc && Inc->isIncrementOp() && Inc == For->getInc())
        return;
      Other = true;
    });
    return Other ? nullptr : Limit;
  }

  /// The extent a use of a pointer parameter reaches.
  ExtentPtr useExtent(const DeclRefExpr *Ref) {
    const auto *Value = dyn_cast_or_null<ImplicitCastExpr>(Parents.getParent(Ref));
    if (!Value || Value->getCastKind() != CK_LValueToRValue)
      return nullptr; // the pointer changes, or escapes
    const Expr *E = Value;
    ExtentPtr Offset = constant(0); // elements before E's target
    for (;;) {
      const Stmt *Parent = Parents.getParent(E);
      if (const auto *Cast = dyn_cast_or_null<ImplicitCastExpr>(Parent);
          Cast && Cast->getCastKind() == CK_NoOp) {
        E = Cast;
        continue;
      }
      if (isa_and_nonnull<ParenExpr>(Parent)) {
        E = cast<Expr>(Parent);
        continue;
      }
      if (const auto *Sub = dyn_cast_or_null<ArraySubscriptExpr>(Parent)) {
        if (Sub->getBase() != E)
          return nullptr;
        ExtentPtr B = bound(Sub->getIdx());
        return B ? combine(Extent::Sum, Offset, B) : nullptr;
      }
      if (const auto *U = dyn_cast_or_null<UnaryOperator>(Parent)) {
        if (U->getOpcode() != UO_Deref)
          return nullptr;
        return combine(Extent::Sum, Offset, constant(1));
      }
      if (const auto *B = dyn_cast_or_null<BinaryOperator>(Parent)) {
        // p + k: k's largest value moves the target.
        if (B->getOpcode() != BO_Add || B->getLHS() != E)
          return nullptr;
        ExtentPtr K = bound(B->getRHS());
        if (!K)
          return nullptr;
        Offset = combine(Extent::Sum, Offset,
                         combine(Extent::Sum, K, constant(-1)));
        E = B;
        continue;
      }
      if (const auto *Call = dyn_cast_or_null<CallExpr>(Parent)) {
        ExtentPtr Reached = argumentExtent(Call, E);
        return Reached ? combine(Extent::Sum, Offset, Reached) : nullptr;
      }
      return nullptr;
    }
  }

  /// What the callee of \p Call reaches through its argument \p Arg.
  ExtentPtr argumentExtent(const CallExpr *Call, const Expr *Arg) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    const FunctionDecl *Def = Callee ? Callee->getDefinition() : nullptr;
    if (!Def || !Def->hasBody() || Visiting.count(Def) || Call->getCallee() == Arg)
      return nullptr;
    unsigned Index = 0;
    while (Index < Call->getNumArgs() && Call->getArg(Index) != Arg)
      ++Index;
    if (Index >= Def->getNumParams())
      return nullptr;
    Visiting.insert(Def);
    Bounds Inner(Def, Visiting);
    ExtentPtr E = Inner.reached(Def->getParamDecl(Index));
    Visiting.erase(Def);
    if (!E)
      return nullptr;
    std::vector<ExtentPtr> Args;
    for (const Expr *A : Call->arguments())
      Args.push_back(A->getType()->isIntegerType() ? stable(A) : nullptr);
    return substitute(std::make_shared<Extent>(*E), Args);
  }

  const FunctionDecl *FD;
  ASTContext &Ctx;
  ParentMap Parents;
  std::set<const FunctionDecl *> &Visiting;
};

} // namespace

std::string
Extent::text(llvm::function_ref<std::string(unsigned)> ParamText) const {
  switch (K) {
  case Constant:
    return std::to_string(Value);
  case Parameter:
    return ParamText(Index);
  case Sum:
    if (R->K == Constant && R->Value < 0)
      return L->text(ParamText) + " - " + std::to_string(-R->Value);
    return L->text(ParamText) + " + " + R->text(ParamText);
  case Product: {
    auto Factor = [&](const Extent &E) {
      std::string T = E.text(ParamText);
      return E.K == Sum ? "(" + T + ")" : T;
    };
    return Factor(*L) + " * " + Factor(*R);
  }
  case Max:
    return "::std::max<long long>(" + L->text(ParamText) + ", " +
           R->text(ParamText) + ")";
  }
  return "";
}

Extent foldParameters(
    const Extent &E,
    llvm::function_ref<std::optional<int64_t>(unsigned)> ParamValue) {
  switch (E.K) {
  case Extent::Constant:
    return E;
  case Extent::Parameter:
    if (std::optional<int64_t> V = ParamValue(E.Index))
      return *constant(*V);
    return E;
  default:
    return *combine(
        E.K, std::make_shared<Extent>(foldParameters(*E.L, ParamValue)),
        std::make_shared<Extent>(foldParameters(*E.R, ParamValue)));
  }
}

std::optional<int64_t> Extent::value(
    llvm::function_ref<std::optional<int64_t>(unsigned)> ParamValue) const {
  if (K == Constant)
    return Value;
  if (K == Parameter)
    return ParamValue(Index);
  std::optional<int64_t> A = L->value(ParamValue), B = R->value(ParamValue);
  if (!A || !B)
    return std::nullopt;
  return K == Sum ? *A + *B : K == Product ? *A * *B : std::max(*A, *B);
}

std::optional<Extent> reachedExtent(const FunctionDecl *FD,
                                    const ParmVarDecl *P) {
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->hasBody() || P->getFunctionScopeIndex() >= Def->getNumParams())
    return std::nullopt;
  std::set<const FunctionDecl *> Visiting{Def};
  Bounds B(Def, Visiting);
  ExtentPtr E = B.reached(Def->getParamDecl(P->getFunctionScopeIndex()));
  if (!E)
    return std::nullopt;
  return *E;
}

} // namespace adjoint
