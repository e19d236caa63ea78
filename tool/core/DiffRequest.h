//===- DiffRequest.h - What to differentiate and how -----------*- C++ -*-===//
#ifndef ADJOINT_CORE_DIFFREQUEST_H
#define ADJOINT_CORE_DIFFREQUEST_H

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <map>
#include <string>
#include <vector>

namespace adjoint {

/// The shape of a generated function.
enum class DiffMode {
  /// `R f_vjp(params..., R _seed, adjoints of Wrt...)`: forward value and
  /// seed-scaled gradient (or, for void f, seeds carried by output shadows).
  Vjp,
  /// `void f_pullback(params..., R _d_return, adjoints of all
  /// differentiable params...)`: called by generated code for user calls.
  Pullback,
  /// A pullback split in two for split-mode calls: `NAME_record`, the plain
  /// data the reverse sweep reads; `R NAME_forward(params..., NAME_record
  /// &_rec)`, the forward sweep, which returns the value and fills the
  /// record; and `void NAME_reverse(const NAME_record &_rec, R _d_return,
  /// adjoints of all differentiable params...)`, the reverse sweep.
  Split,
};

/// One generated function to produce.
struct DiffRequest {
  /// The function whose body is differentiated (a definition).
  const clang::FunctionDecl *Function = nullptr;
  /// Vjp or pullback.
  DiffMode Mode = DiffMode::Vjp;
  /// Differentiated parameters, in parameter order.
  std::vector<const clang::ParmVarDecl *> Wrt;
  /// Name of the generated function.
  std::string Name;
  /// For a function template: `template <>` (an explicit specialization
  /// for the instantiation \c Function) or the template's own parameter
  /// list (the primary declaration); empty otherwise.
  std::string TemplateHead;
  /// Template arguments after the name, e.g. `<double>`, or empty.
  std::string TemplateArgs;
  /// The declaration whose parameter and result types the signature spells
  /// (the template pattern, for the primary declaration), or null for
  /// \c Function itself.
  const clang::FunctionDecl *Spelling = nullptr;
  /// Declarations put first in the body, e.g. `using T = double;`, so that
  /// the template's text means the same in an explicit specialization.
  std::vector<std::string> Aliases;
  /// Whether a loop may run each iteration's reverse right after it (see
  /// LoopFusion.cpp); split mode needs the sweeps apart.
  bool AllowFusion = true;
  /// A lambda's pullback, written as a local captureless lambda `auto Name =
  /// [](params...) { ... };` in the caller's generated function.
  bool AsLambda = false;
  /// For the pullback of a const member function of a class of reals called
  /// on an object that carries derivatives: the object's adjoint is the
  /// first adjoint parameter, `C &_d_this`, and `this->x` has the adjoint
  /// `_d_this.x` (DiffClass.cpp).
  bool ActiveThis = false;
  /// A variable a lambda captures, as its pullback sees it: the pullback is
  /// then a local lambda capturing everything by reference (`[&]`), defined
  /// where the caller's generated function has these names in scope.
  struct Capture {
    const clang::VarDecl *Var = nullptr;
    /// Its name and, when it is active in the caller, its adjoint's name in
    /// the caller's generated function (empty otherwise).
    std::string Name, AdjName;
    /// Whether the lambda writes it.
    bool Written = false;
  };
  /// For AsLambda: the captured variables, when the pullback captures the
  /// caller's variables and adjoints by reference; empty for a pullback that
  /// receives them as leading parameters.
  std::vector<Capture> Captures;
  /// When set, the spelling of every float or double value type of the
  /// generated code (e.g. `::adjoint::Dual<double>`: f_hvp runs the reverse
  /// sweep over Duals, which is forward over reverse); pointers keep theirs.
  std::string RealType;
  /// Spellings replacing the types of some parameters (by index), and of
  /// some adjoint parameters (by position in Wrt): f_hvp's sweep takes
  /// pointer inputs and their gradients as views.
  std::map<unsigned, std::string> ParamTypes, AdjointTypes;
};

/// Whether \p T is float, double or long double (after references and
/// qualifiers).
bool isReal(clang::QualType T);

/// Whether \p Callee is a library function: C or C++ standard library (a
/// builtin, or declared in a system header) or adjoint's own.
bool isLibraryFunction(const clang::SourceManager &SM,
                       const clang::FunctionDecl *Callee);

/// Whether \p FD is adjoint's own (in namespace ::adjoint).
bool inAdjointNamespace(const clang::FunctionDecl *FD);

/// Whether \p T is a pointer (or array) of real elements.
bool isRealPointer(clang::QualType T);

/// Whether \p T is std::vector or std::array of float or double (the two
/// are differentiated alike: elements through operator[], data() and size()).
bool isRealVector(clang::QualType T);

/// The element type of a std::vector or std::array \p T, else null.
clang::QualType stdSequenceElement(clang::QualType T);

/// Whether \p T is a buffer of integers (or enums, bools): a pointer, a C
/// array, a std::vector or a std::array of them.
bool isIntegerBuffer(clang::QualType T);

/// Whether \p T is a std::array (whose adjoint is a zeroed std::array, not a
/// vector sized after the forward sweep).
bool isStdArray(clang::QualType T);

/// Whether \p T holds an array of reals: pointer, C array or std::vector.
inline bool isRealBuffer(clang::QualType T) {
  return isRealPointer(T) || isRealVector(T);
}

/// Whether \p T is adjoint::Tensor (after references and qualifiers).
bool isTensor(clang::QualType T);

/// Whether \p RD is the class adjoint::Tensor; false for null.
bool isTensorRecord(const clang::CXXRecordDecl *RD);

/// Whether a differentiated parameter of type \p T is an output, whose
/// shadow carries the seed in: a pointer to non-const data, or a non-const
/// reference to a real or a std::vector of reals.
inline bool isOutputParam(clang::QualType T) {
  bool WritablePointer =
      T->isPointerType() && !T->getPointeeType().isConstQualified();
  bool WritableReference = T->isLValueReferenceType() &&
                           (isRealVector(T) || isReal(T)) &&
                           !T.getNonReferenceType().isConstQualified();
  return WritablePointer || WritableReference;
}

/// Whether \p T is a simple struct of reals (after references and
/// qualifiers): an aggregate class without bases whose fields are float or
/// double, integers, enums or such structs, with at least one real field.
bool isRealStruct(clang::QualType T);

/// Whether the struct of reals \p T has data members that are not public:
/// generated code outside the class reaches them through static members it
/// adds to the class (DiffServices::classHelpers).
bool hasHiddenFields(clang::QualType T);

/// Why the class type \p T is not a struct of reals (for diagnostics), or
/// empty when it is one or is not a class at all.
std::string structProblem(clang::QualType T);

/// Whether \p T is a C array (of arrays) of structs of reals.
inline bool isRealStructArray(clang::QualType T) {
  const clang::Type *Element = T->getBaseElementTypeUnsafe();
  return T->isConstantArrayType() && isRealStruct(clang::QualType(Element, 0));
}

/// Whether values of type \p T carry derivatives (real, real pointer,
/// tensor, struct of reals or array of such structs).
inline bool carriesDerivative(clang::QualType T) {
  return isReal(T) || isRealBuffer(T) || isTensor(T) || isRealStruct(T) ||
         isRealStructArray(T);
}

/// Whether no value of type \p T can hold a derivative: integers, bools,
/// enums, void and functions, pointers and references to those, and classes
/// and arrays made only of those (std::string, std::vector<int>). Anything
/// else may carry one, whether adjoint models it or not (a class with
/// constructors, a lambda capturing a double by reference, an iterator): the
/// soundness rule takes values of such types as active unless proven
/// otherwise.
bool isDerivativeFree(clang::QualType T);

/// Whether a callee receiving a value of type \p T can write memory that
/// may hold derivatives through it: a pointer or reference to non-const data
/// that is not derivative-free, or a class passed by value that holds one
/// (an iterator, a functor capturing by reference).
bool mayWriteThrough(clang::QualType T);

/// Whether a callee receiving a value of type \p T can write anything through
/// it, derivative-free data included: a pointer or reference to non-const,
/// or what mayWriteThrough says.
bool mayWriteValuesThrough(clang::QualType T);

/// What a derivative rule (a NAME_pullback from adjoint::derivatives or next
/// to the callee) receives for one argument of the call it differentiates:
/// the argument's value, and after the upstream gradient its adjoint. A rule
/// is chosen by this arity, so that the generated call always has one.
enum class RuleArg {
  /// Not passed (a defaulted argument).
  None,
  /// The value only (integers, and other types without derivatives).
  Value,
  /// The value and an adjoint (reals, tensors, buffers, structs of reals).
  ValueAndAdjoint,
};

/// Whether \p Method only gives access to its object's elements, which it
/// does not write itself (what is done with them is checked where it
/// happens): `v[i]`, `v.data()`, `v.begin()`, `v.size()`, ...
bool isAccessor(const clang::CXXMethodDecl *Method);

/// Whether a call of \p Method leaves its object unchanged: a static or
/// const member function, or a user's non-virtual method whose visible body
/// writes no data member and lets `this` escape nowhere it could be written
/// through (ObjectWrites.cpp). Library methods count by their `const` only.
bool leavesObjectUnchanged(const clang::CXXMethodDecl *Method);

/// leavesObjectUnchanged, with the methods being analysed in \p Visiting
/// (a recursive call is taken to write its object).
bool leavesObjectUnchanged(
    const clang::CXXMethodDecl *Method,
    llvm::SmallPtrSetImpl<const clang::CXXMethodDecl *> &Visiting);

/// The name of the pullback rule of an overloaded operator (add for +, call
/// for a call operator), or empty when it has none.
std::string operatorRuleName(const clang::CXXOperatorCallExpr *Op);

/// The arguments of \p Call as a pullback receives them: the object first
/// for member calls (a member operator's arguments already start with it).
std::vector<const clang::Expr *> pullbackArgs(const clang::CallExpr *Call);

/// Whether the pullback arguments of \p Call start with the object.
bool passesObjectFirst(const clang::CallExpr *Call);

/// The pullback arguments of \p Call (see pullbackArgs) that it may write
/// through: the object of a non-const method that is not an accessor, and
/// the arguments whose parameter types mayWriteThrough.
std::vector<const clang::Expr *> writtenArgs(const clang::CallExpr *Call);

/// The parameter type of pullback argument \p I (\p Arg) of \p Call; the
/// object's own type for the object of a member call (\p ObjectFirst).
clang::QualType callParamType(const clang::CallExpr *Call, bool ObjectFirst,
                              unsigned I, const clang::Expr *Arg);

/// How argument \p Arg of a call is passed to a derivative rule when the
/// callee's parameter has type \p ParamType.
RuleArg ruleArgKind(clang::QualType ParamType, const clang::Expr *Arg);

/// The number of arguments the generated call of a derivative rule for
/// \p Call passes: the values, the call's result when \p TakesResult, the
/// upstream gradient, and the adjoints (see RuleArg).
unsigned ruleArity(const clang::CallExpr *Call, bool TakesResult);

/// Whether a parameter of type \p T gets an adjoint parameter.
inline bool isDifferentiableParam(clang::QualType T) {
  return carriesDerivative(T);
}

/// Whether a function result of type \p T can be differentiated (seeded).
inline bool isDifferentiableResult(clang::QualType T) {
  return isReal(T) || isTensor(T);
}

} // namespace adjoint

#endif // ADJOINT_CORE_DIFFREQUEST_H
