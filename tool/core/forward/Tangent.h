//===- Tangent.h - Forward mode by source transformation --------*- C++ -*-===//
//
// Forward (tangent) mode: a function f becomes `f_pushforward`, a template
// over the scalar type _S in which every real variable x of f is an _S and
// has a tangent `_t_x`, and each statement is preceded by the statement
// computing the tangents it changes (Tapenade's tangent mode). f_jvp runs it
// with _S = double. f_hvp and f_hessian run f's reverse sweep over
// adjoint::Dual<double> (forward over reverse, HessianSweep.cpp), or, for
// bodies that sweep cannot take, the pushforward with _S =
// adjoint::Dual<double> (forward over forward). Library functions' tangents
// come from their reverse-mode rules (NAME_pullback called with seed 1 gives
// the partials; NAME_value_and_partial, where it exists, gives value and
// partial from one evaluation), so every rule serves all modes. Tensors get
// tangent tensors (undefined: zero), each tensor operation's from its
// forward rule NAME_pushforward, declared beside its pullback.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_CORE_FORWARD_TANGENT_H
#define ADJOINT_CORE_FORWARD_TANGENT_H

#include "DiagnosticSink.h"
#include "DiffRequest.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace adjoint {

/// What tangent generation asks of the driver.
class TangentServices {
public:
  virtual ~TangentServices() = default;
  /// The qualified name of the reverse rule (`NAME_pullback`) that gives the
  /// partials of \p Call, when the call has one, or empty.
  virtual std::string ruleFor(const clang::CallExpr *Call) = 0;
  /// Likewise for a rule that also takes the call's value
  /// (`NAME_result_pullback`), or empty.
  virtual std::string resultRuleFor(const clang::CallExpr *Call) = 0;
  /// The qualified name of the forward rule (`NAME_pushforward`, beside the
  /// reverse rule `NAME_pullback` of adjoint/tensor_derivatives.h) of the
  /// tensor operation \p Call, or empty.
  virtual std::string tensorRuleFor(const clang::CallExpr *Call) = 0;
  /// The qualified name of the pushforward of \p Callee, scheduling its
  /// generation, or nullopt after reporting why there is none.
  virtual std::optional<std::string>
  pushforwardFor(const clang::FunctionDecl *Callee, const clang::CallExpr *Call,
                 const clang::FunctionDecl *Caller) = 0;
};

/// Name of the pushforward of \p FD: `NAME_pushforward`
/// (`call_operator_pushforward` for an `operator()`). A method's is a member
/// template of its class, generated right after the method.
std::string pushforwardName(const clang::FunctionDecl *FD);

/// Generates `template <class _S, ...> NAME_pushforward(...)` of \p FD: the
/// primal parameters (reals as _S, real pointers as template parameters so
/// that f_hvp can pass views) followed by a tangent for each real or real
/// pointer parameter. Returns nullopt after reporting errors.
std::optional<std::string> generatePushforward(clang::ASTContext &Ctx,
                                               DiagnosticSink &Diags,
                                               TangentServices &Services,
                                               const clang::FunctionDecl *FD);

/// Whether forward mode can take parameter type \p T; otherwise reports at
/// \p Loc why not (naming \p Param) and returns false.
bool checkTangentParam(clang::QualType T, const std::string &Param,
                       clang::SourceLocation Loc, DiagnosticSink &Diags);

/// `f_jvp` of \p FD for the parameters \p Wrt (in parameter order).
std::optional<std::string>
generateJvp(clang::ASTContext &Ctx, DiagnosticSink &Diags,
            const clang::FunctionDecl *FD,
            const std::vector<const clang::ParmVarDecl *> &Wrt);

/// Whether \p FD takes or returns tensors: its pushforward then carries
/// tangent tensors, or, for bodies it cannot take, f_jvp is built on a
/// reverse sweep (generateTensorJvp).
bool isTensorFunction(const clang::FunctionDecl *FD);

/// `f_jvp` of a tensor function with a one-element (loss) or real result
/// whose body the pushforward cannot take: the reverse sweep \p Sweep (a Vjp of
/// \p FD for \p Wrt) gives the gradient, whose contraction with the tangents is
/// the JVP.
std::optional<std::string>
generateTensorJvp(clang::ASTContext &Ctx, DiagnosticSink &Diags,
                  const clang::FunctionDecl *FD,
                  const std::vector<const clang::ParmVarDecl *> &Wrt,
                  const std::string &Sweep);

/// The user function \p Def computed over Duals, for the forward sweeps of
/// reverse sweeps over Duals: `[template <class _P0...>] inline RealType
/// Name(params...) body`, its body as written with every real type spelled
/// \p RealType, pointer parameters as template parameters (views, arrays of
/// Duals or constant data), and each call \p CalleeName names (non-empty)
/// calling that name. nullopt, with the reason in \p Problem, when its text
/// cannot be respelled.
std::optional<std::string> generateDualPrimal(
    clang::ASTContext &Ctx, const clang::FunctionDecl *Def,
    const std::string &RealType, const std::string &Name,
    const std::function<std::string(const clang::CallExpr *)> &CalleeName,
    std::string &Problem);

/// `f_hvp` and, when every parameter of \p Wrt is a scalar, `f_hessian`.
std::optional<std::string>
generateHessian(clang::ASTContext &Ctx, DiagnosticSink &Diags,
                const clang::FunctionDecl *FD,
                const std::vector<const clang::ParmVarDecl *> &Wrt);

/// The primal parameters of \p FD as the wrappers declare them
/// (`const double *x, int n`).
std::string primalParams(clang::ASTContext &Ctx, const clang::FunctionDecl *FD);

/// The reverse sweep of \p FD over `adjoint::Dual<R>` values (a Vjp named
/// `NAME_hvp_sweep`) that f_hvp runs once for H·v (forward over reverse),
/// or nullopt when the body does not read the same over Duals (user calls,
/// pointer locals, conversions dropping a tangent...): forward over forward
/// then.
std::optional<DiffRequest>
hessianSweepRequest(const clang::FunctionDecl *FD,
                    const std::vector<const clang::ParmVarDecl *> &Wrt,
                    TangentServices &Services);

/// `f_hvp` and, when every parameter of \p Wrt is a scalar, `f_hessian`
/// over the sweep of hessianSweepRequest.
std::string
generateHessianOverSweep(clang::ASTContext &Ctx, const clang::FunctionDecl *FD,
                         const std::vector<const clang::ParmVarDecl *> &Wrt);

} // namespace adjoint

#endif // ADJOINT_CORE_FORWARD_TANGENT_H
