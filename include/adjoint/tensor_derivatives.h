//===- adjoint/tensor_derivatives.h - Pullbacks of tensor ops ---*- C++ -*-===//
//
// Derivative rules of the tensor library as ordinary pullback functions, found
// by the differentiator like the scalar rules of adjoint/derivatives.h. For a
// forward call `NAME(a1, ..., an)` the pullback is
//
//   void NAME_pullback(a1, ..., an, const Tensor &d_out, D1 &d_a1, ...)
//
// with one trailing adjoint per Tensor (Tensor&) or floating-point argument
// (double& or float&) and none for integers, shapes and Reduction values.
// Operators are named add, sub, mul, div and neg; a method `t.M(args)` has
// the pullback of the free function `M(t, args)`. Calls with defaulted
// arguments left out have pullbacks with the same arguments left out.
//
// Every pullback accumulates (+=) into its adjoints. An undefined adjoint is
// first taken as zeros of its argument's shape; a defined adjoint of another
// shape throws std::invalid_argument naming both shapes. Gradients of
// broadcast operands are summed back to the operand's shape.
//
// Beside each pullback is the operation's forward (tangent) rule, which
// forward mode (f_jvp) calls after the operation itself:
//
//   Tensor NAME_pushforward(a1, ..., an, const Tensor &out, T1 t_a1, ...)
//
// with the same arguments as the pullback, the operation's value `out` in
// place of d_out, and a tangent in place of each adjoint (const Tensor& for
// a Tensor, double for a floating-point scalar); it returns the tangent of
// `out` (a double for item and at). An undefined tangent is zero, and a rule
// whose tangents are all zero returns an undefined tangent without doing
// any work, so constant inputs (data) cost nothing.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_TENSOR_DERIVATIVES_H
#define ADJOINT_TENSOR_DERIVATIVES_H

#include "adjoint/tensor.h"

#include <cstdint>
#include <initializer_list>
#include <type_traits>
#include <vector>

namespace adjoint {
namespace derivatives {

namespace detail {
/// Enables the overloads for floating-point scalars, which have an adjoint.
template <class S_>
using EnableIfFloating =
    typename std::enable_if<std::is_floating_point<S_>::value, int>::type;
/// Enables the overloads for integer scalars, which have none.
template <class S_>
using EnableIfIntegral =
    typename std::enable_if<std::is_integral<S_>::value, int>::type;

/// The tensor-scalar and scalar-tensor rules behind the templates below:
/// accumulate into \p DT_ and, when \p DS_ is not null, add the scalar's
/// adjoint to *DS. \p ScalarFirst selects `S op T` over `T op S`.
void addScalarPullback(const Tensor &T_, double S_, bool ScalarFirst,
                       const Tensor &DOut, Tensor &DT_, double *DS_);
void subScalarPullback(const Tensor &T_, double S_, bool ScalarFirst,
                       const Tensor &DOut, Tensor &DT_, double *DS_);
void mulScalarPullback(const Tensor &T_, double S_, bool ScalarFirst,
                       const Tensor &DOut, Tensor &DT_, double *DS_);
void divScalarPullback(const Tensor &T_, double S_, bool ScalarFirst,
                       const Tensor &DOut, Tensor &DT_, double *DS_);
/// The tangent of `T op S` (`S op T` when \p ScalarFirst) with value \p Out,
/// from the tangents \p TT_ of T and \p TS_ of S.
Tensor addScalarPushforward(const Tensor &T_, double S_, bool ScalarFirst,
                            const Tensor &Out, const Tensor &TT_, double TS_);
Tensor subScalarPushforward(const Tensor &T_, double S_, bool ScalarFirst,
                            const Tensor &Out, const Tensor &TT_, double TS_);
Tensor mulScalarPushforward(const Tensor &T_, double S_, bool ScalarFirst,
                            const Tensor &Out, const Tensor &TT_, double TS_);
Tensor divScalarPushforward(const Tensor &T_, double S_, bool ScalarFirst,
                            const Tensor &Out, const Tensor &TT_, double TS_);
/// The rule of pow(X, P); *DP (when not null) gets the exponent's adjoint.
void powPullback(const Tensor &X_, double P_, const Tensor &DOut, Tensor &DX_,
                 double *DP_);
/// The tangent of pow(X, P) with value \p Out: TX p X^(p-1) + Out log(X) TP.
Tensor powPushforward(const Tensor &X_, double P_, const Tensor &Out,
                      const Tensor &TX_, double TP_);
} // namespace detail

//===--- Arithmetic
//--------------------------------------------------------===//

/// Pullback of a + b (with broadcasting).
void add_pullback(const Tensor &a, const Tensor &b, const Tensor &d_out,
                  Tensor &d_a, Tensor &d_b);
/// Tangent of a + b: t_a + t_b, broadcast to out's shape.
Tensor add_pushforward(const Tensor &a, const Tensor &b, const Tensor &out,
                       const Tensor &t_a, const Tensor &t_b);
/// Pullback of a - b (with broadcasting).
void sub_pullback(const Tensor &a, const Tensor &b, const Tensor &d_out,
                  Tensor &d_a, Tensor &d_b);
/// Tangent of a - b: t_a - t_b, broadcast to out's shape.
Tensor sub_pushforward(const Tensor &a, const Tensor &b, const Tensor &out,
                       const Tensor &t_a, const Tensor &t_b);
/// Pullback of a * b (elementwise, with broadcasting).
void mul_pullback(const Tensor &a, const Tensor &b, const Tensor &d_out,
                  Tensor &d_a, Tensor &d_b);
/// Tangent of a * b: t_a * b + a * t_b.
Tensor mul_pushforward(const Tensor &a, const Tensor &b, const Tensor &out,
                       const Tensor &t_a, const Tensor &t_b);
/// Pullback of a / b (elementwise, with broadcasting).
void div_pullback(const Tensor &a, const Tensor &b, const Tensor &d_out,
                  Tensor &d_a, Tensor &d_b);
/// Tangent of a / b: (t_a - out * t_b) / b.
Tensor div_pushforward(const Tensor &a, const Tensor &b, const Tensor &out,
                       const Tensor &t_a, const Tensor &t_b);
/// Pullback of -a.
void neg_pullback(const Tensor &a, const Tensor &d_out, Tensor &d_a);
/// Tangent of -a: -t_a.
Tensor neg_pushforward(const Tensor &a, const Tensor &out, const Tensor &t_a);

/// Defines NAME_pullback and NAME_pushforward for `tensor op scalar` and
/// `scalar op tensor`, with a scalar adjoint and tangent for floating-point
/// scalars and without for integers.
#define ADJOINT_TENSOR_SCALAR_PULLBACKS(NAME, CORE, FORWARD)                   \
  /** Pullback of a NAME s for a floating-point scalar s. */                   \
  template <class S_, class DS_, detail::EnableIfFloating<S_> = 0>             \
  void NAME##_pullback(const Tensor &a, S_ s, const Tensor &d_out,             \
                       Tensor &d_a, DS_ &d_s) {                                \
    double G_ = 0;                                                             \
    detail::CORE(a, static_cast<double>(s), false, d_out, d_a, &G_);           \
    d_s += static_cast<DS_>(G_);                                               \
  }                                                                            \
  /** Pullback of a NAME n for an integer n. */                                \
  template <class S_, detail::EnableIfIntegral<S_> = 0>                        \
  void NAME##_pullback(const Tensor &a, S_ s, const Tensor &d_out,             \
                       Tensor &d_a) {                                          \
    detail::CORE(a, static_cast<double>(s), false, d_out, d_a, nullptr);       \
  }                                                                            \
  /** Pullback of s NAME b for a floating-point scalar s. */                   \
  template <class S_, class DS_, detail::EnableIfFloating<S_> = 0>             \
  void NAME##_pullback(S_ s, const Tensor &b, const Tensor &d_out, DS_ &d_s,   \
                       Tensor &d_b) {                                          \
    double G_ = 0;                                                             \
    detail::CORE(b, static_cast<double>(s), true, d_out, d_b, &G_);            \
    d_s += static_cast<DS_>(G_);                                               \
  }                                                                            \
  /** Pullback of n NAME b for an integer n. */                                \
  template <class S_, detail::EnableIfIntegral<S_> = 0>                        \
  void NAME##_pullback(S_ s, const Tensor &b, const Tensor &d_out,             \
                       Tensor &d_b) {                                          \
    detail::CORE(b, static_cast<double>(s), true, d_out, d_b, nullptr);        \
  }                                                                            \
  /** Tangent of a NAME s for a floating-point scalar s. */                    \
  template <class S_, detail::EnableIfFloating<S_> = 0>                        \
  Tensor NAME##_pushforward(const Tensor &a, S_ s, const Tensor &out,          \
                            const Tensor &t_a, double t_s) {                   \
    return detail::FORWARD(a, static_cast<double>(s), false, out, t_a, t_s);   \
  }                                                                            \
  /** Tangent of a NAME n for an integer n. */                                 \
  template <class S_, detail::EnableIfIntegral<S_> = 0>                        \
  Tensor NAME##_pushforward(const Tensor &a, S_ s, const Tensor &out,          \
                            const Tensor &t_a) {                               \
    return detail::FORWARD(a, static_cast<double>(s), false, out, t_a, 0.0);   \
  }                                                                            \
  /** Tangent of s NAME b for a floating-point scalar s. */                    \
  template <class S_, detail::EnableIfFloating<S_> = 0>                        \
  Tensor NAME##_pushforward(S_ s, const Tensor &b, const Tensor &out,          \
                            double t_s, const Tensor &t_b) {                   \
    return detail::FORWARD(b, static_cast<double>(s), true, out, t_b, t_s);    \
  }                                                                            \
  /** Tangent of n NAME b for an integer n. */                                 \
  template <class S_, detail::EnableIfIntegral<S_> = 0>                        \
  Tensor NAME##_pushforward(S_ s, const Tensor &b, const Tensor &out,          \
                            const Tensor &t_b) {                               \
    return detail::FORWARD(b, static_cast<double>(s), true, out, t_b, 0.0);    \
  }

ADJOINT_TENSOR_SCALAR_PULLBACKS(add, addScalarPullback, addScalarPushforward)
ADJOINT_TENSOR_SCALAR_PULLBACKS(sub, subScalarPullback, subScalarPushforward)
ADJOINT_TENSOR_SCALAR_PULLBACKS(mul, mulScalarPullback, mulScalarPushforward)
ADJOINT_TENSOR_SCALAR_PULLBACKS(div, divScalarPullback, divScalarPushforward)

#undef ADJOINT_TENSOR_SCALAR_PULLBACKS

//===--- Elementwise functions
//---------------------------------------------===//

/// Pullback of pow(x, p) (also x.pow(p)) for a floating-point exponent,
/// whose adjoint is sum(d_out * x^p * log x), taken as 0 where x == 0.
template <class P_, class DP_, detail::EnableIfFloating<P_> = 0>
void pow_pullback(const Tensor &x, P_ p, const Tensor &d_out, Tensor &d_x,
                  DP_ &d_p) {
  double G_ = 0;
  detail::powPullback(x, static_cast<double>(p), d_out, d_x, &G_);
  d_p += static_cast<DP_>(G_);
}
/// Pullback of pow(x, n) for an integer exponent.
template <class P_, detail::EnableIfIntegral<P_> = 0>
void pow_pullback(const Tensor &x, P_ n, const Tensor &d_out, Tensor &d_x) {
  detail::powPullback(x, static_cast<double>(n), d_out, d_x, nullptr);
}
/// Tangent of pow(x, p) for a floating-point exponent.
template <class P_, detail::EnableIfFloating<P_> = 0>
Tensor pow_pushforward(const Tensor &x, P_ p, const Tensor &out,
                       const Tensor &t_x, double t_p) {
  return detail::powPushforward(x, static_cast<double>(p), out, t_x, t_p);
}
/// Tangent of pow(x, n) for an integer exponent.
template <class P_, detail::EnableIfIntegral<P_> = 0>
Tensor pow_pushforward(const Tensor &x, P_ n, const Tensor &out,
                       const Tensor &t_x) {
  return detail::powPushforward(x, static_cast<double>(n), out, t_x, 0.0);
}
/// Pullback of exp(x).
void exp_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x);
/// Tangent of exp(x): out * t_x.
Tensor exp_pushforward(const Tensor &x, const Tensor &out, const Tensor &t_x);
/// Pullback of log(x).
void log_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x);
/// Tangent of log(x): t_x / x.
Tensor log_pushforward(const Tensor &x, const Tensor &out, const Tensor &t_x);
/// Pullback of sqrt(x).
void sqrt_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x);
/// Tangent of sqrt(x): t_x / (2 out).
Tensor sqrt_pushforward(const Tensor &x, const Tensor &out, const Tensor &t_x);
/// Pullback of abs(x); the derivative at 0 is taken as 0, as in PyTorch.
void abs_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x);
/// Tangent of abs(x): sign(x) * t_x.
Tensor abs_pushforward(const Tensor &x, const Tensor &out, const Tensor &t_x);
/// Pullback of sigmoid(x).
void sigmoid_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x);
/// Tangent of sigmoid(x): out (1 - out) t_x.
Tensor sigmoid_pushforward(const Tensor &x, const Tensor &out,
                           const Tensor &t_x);
/// Pullback of tanh(x).
void tanh_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x);
/// Tangent of tanh(x): (1 - out^2) t_x.
Tensor tanh_pushforward(const Tensor &x, const Tensor &out, const Tensor &t_x);
/// Pullback of relu(x); the derivative at 0 is taken as 0, as in PyTorch.
void relu_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x);
/// Tangent of relu(x): t_x where x > 0.
Tensor relu_pushforward(const Tensor &x, const Tensor &out, const Tensor &t_x);

//===--- Reductions
//--------------------------------------------------------===//

/// Pullback of sum(x) and x.sum().
void sum_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x);
/// Tangent of sum(x): sum(t_x).
Tensor sum_pushforward(const Tensor &x, const Tensor &out, const Tensor &t_x);
/// Pullback of sum(x, dim) and x.sum(dim).
void sum_pullback(const Tensor &x, std::int64_t dim, const Tensor &d_out,
                  Tensor &d_x);
/// Tangent of sum(x, dim).
Tensor sum_pushforward(const Tensor &x, std::int64_t dim, const Tensor &out,
                       const Tensor &t_x);
/// Pullback of sum(x, dim, keepdim) and x.sum(dim, keepdim).
void sum_pullback(const Tensor &x, std::int64_t dim, bool keepdim,
                  const Tensor &d_out, Tensor &d_x);
/// Tangent of sum(x, dim, keepdim).
Tensor sum_pushforward(const Tensor &x, std::int64_t dim, bool keepdim,
                       const Tensor &out, const Tensor &t_x);
/// Pullback of mean(x) and x.mean().
void mean_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x);
/// Tangent of mean(x): mean(t_x).
Tensor mean_pushforward(const Tensor &x, const Tensor &out, const Tensor &t_x);
/// Pullback of mean(x, dim) and x.mean(dim).
void mean_pullback(const Tensor &x, std::int64_t dim, const Tensor &d_out,
                   Tensor &d_x);
/// Tangent of mean(x, dim).
Tensor mean_pushforward(const Tensor &x, std::int64_t dim, const Tensor &out,
                        const Tensor &t_x);
/// Pullback of mean(x, dim, keepdim) and x.mean(dim, keepdim).
void mean_pullback(const Tensor &x, std::int64_t dim, bool keepdim,
                   const Tensor &d_out, Tensor &d_x);
/// Tangent of mean(x, dim, keepdim).
Tensor mean_pushforward(const Tensor &x, std::int64_t dim, bool keepdim,
                        const Tensor &out, const Tensor &t_x);
/// Pullback of sum_to(x, shape).
void sum_to_pullback(const Tensor &x, const Shape &shape, const Tensor &d_out,
                     Tensor &d_x);
/// Tangent of sum_to(x, shape): sum_to(t_x, shape).
Tensor sum_to_pushforward(const Tensor &x, const Shape &shape,
                          const Tensor &out, const Tensor &t_x);
/// Pullback of x.item(): d_x gains d_out in its only element.
void item_pullback(const Tensor &x, double d_out, Tensor &d_x);
/// Tangent of x.item(): t_x.item() (0 for an undefined t_x).
double item_pushforward(const Tensor &x, double out, const Tensor &t_x);
/// Pullback of reading x.at(index).
void at_pullback(const Tensor &x, std::initializer_list<std::int64_t> index,
                 double d_out, Tensor &d_x);
/// Tangent of reading x.at(index): t_x.at(index).
double at_pushforward(const Tensor &x,
                      std::initializer_list<std::int64_t> index, double out,
                      const Tensor &t_x);

//===--- Matrix products and shapes ---------------------------------------===//

/// Pullback of matmul(a, b) in all of torch.matmul's forms: d_a += d_out .
/// b^T and d_b += a^T . d_out as GEMMs with transposed operands (nothing is
/// transposed in memory), summed over broadcast batch dimensions.
void matmul_pullback(const Tensor &a, const Tensor &b, const Tensor &d_out,
                     Tensor &d_a, Tensor &d_b);
/// Tangent of matmul(a, b): matmul(t_a, b) + matmul(a, t_b).
Tensor matmul_pushforward(const Tensor &a, const Tensor &b, const Tensor &out,
                          const Tensor &t_a, const Tensor &t_b);
/// Pullback of x.t() and t(x).
void t_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x);
/// Tangent of x.t(): t_x.t().
Tensor t_pushforward(const Tensor &x, const Tensor &out, const Tensor &t_x);
/// Pullback of transpose(x, d0, d1) and x.transpose(d0, d1).
void transpose_pullback(const Tensor &x, std::int64_t d0, std::int64_t d1,
                        const Tensor &d_out, Tensor &d_x);
/// Tangent of transpose(x, d0, d1).
Tensor transpose_pushforward(const Tensor &x, std::int64_t d0, std::int64_t d1,
                             const Tensor &out, const Tensor &t_x);
/// Pullback of reshape(x, shape) and x.reshape(shape).
void reshape_pullback(const Tensor &x, const Shape &shape, const Tensor &d_out,
                      Tensor &d_x);
/// Tangent of reshape(x, shape).
Tensor reshape_pushforward(const Tensor &x, const Shape &shape,
                           const Tensor &out, const Tensor &t_x);
/// Pullback of expand(x, shape).
void expand_pullback(const Tensor &x, const Shape &shape, const Tensor &d_out,
                     Tensor &d_x);
/// Tangent of expand(x, shape).
Tensor expand_pushforward(const Tensor &x, const Shape &shape,
                          const Tensor &out, const Tensor &t_x);
/// Pullback of x.clone().
void clone_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x);
/// Tangent of x.clone(): t_x.
Tensor clone_pushforward(const Tensor &x, const Tensor &out, const Tensor &t_x);
/// Pullback of x.detach(): no gradient flows (d_x is only allocated).
void detach_pullback(const Tensor &x, const Tensor &d_out, Tensor &d_x);
/// Tangent of x.detach(): none (undefined).
Tensor detach_pushforward(const Tensor &x, const Tensor &out,
                          const Tensor &t_x);

//===--- Activations and losses -------------------------------------------===//

/// Pullback of softmax(x, dim): d_x += y * (d_out - sum(d_out * y, dim)).
void softmax_pullback(const Tensor &x, std::int64_t dim, const Tensor &d_out,
                      Tensor &d_x);
/// Tangent of softmax(x, dim): out * (t_x - sum(out * t_x, dim)).
Tensor softmax_pushforward(const Tensor &x, std::int64_t dim, const Tensor &out,
                           const Tensor &t_x);
/// Pullback of log_softmax(x, dim): d_x += d_out - exp(y) * sum(d_out, dim).
void log_softmax_pullback(const Tensor &x, std::int64_t dim,
                          const Tensor &d_out, Tensor &d_x);
/// Tangent of log_softmax(x, dim): t_x - sum(exp(out) * t_x, dim).
Tensor log_softmax_pushforward(const Tensor &x, std::int64_t dim,
                               const Tensor &out, const Tensor &t_x);
/// Pullback of binary_cross_entropy_with_logits(input, target, reduction,
/// pos_weight); the input's gradient comes from the fused SIMD kernel. An
/// undefined pos_weight leaves d_pos_weight untouched.
void binary_cross_entropy_with_logits_pullback(
    const Tensor &input, const Tensor &target, Reduction reduction,
    const Tensor &pos_weight, const Tensor &d_out, Tensor &d_input,
    Tensor &d_target, Tensor &d_pos_weight);
/// Tangent of binary_cross_entropy_with_logits(input, target, reduction,
/// pos_weight), from the elementwise partials (sigmoid(input) - target with
/// pos_weight 1, -input and target softplus(-input)).
Tensor binary_cross_entropy_with_logits_pushforward(
    const Tensor &input, const Tensor &target, Reduction reduction,
    const Tensor &pos_weight, const Tensor &out, const Tensor &t_input,
    const Tensor &t_target, const Tensor &t_pos_weight);
/// Pullback of binary_cross_entropy_with_logits(input, target, reduction).
void binary_cross_entropy_with_logits_pullback(
    const Tensor &input, const Tensor &target, Reduction reduction,
    const Tensor &d_out, Tensor &d_input, Tensor &d_target);
/// Tangent of binary_cross_entropy_with_logits(input, target, reduction).
Tensor binary_cross_entropy_with_logits_pushforward(
    const Tensor &input, const Tensor &target, Reduction reduction,
    const Tensor &out, const Tensor &t_input, const Tensor &t_target);
/// Pullback of binary_cross_entropy_with_logits(input, target).
void binary_cross_entropy_with_logits_pullback(const Tensor &input,
                                               const Tensor &target,
                                               const Tensor &d_out,
                                               Tensor &d_input,
                                               Tensor &d_target);
/// Tangent of binary_cross_entropy_with_logits(input, target).
Tensor binary_cross_entropy_with_logits_pushforward(const Tensor &input,
                                                    const Tensor &target,
                                                    const Tensor &out,
                                                    const Tensor &t_input,
                                                    const Tensor &t_target);
/// Pullback of mse_loss(input, target, reduction).
void mse_loss_pullback(const Tensor &input, const Tensor &target,
                       Reduction reduction, const Tensor &d_out,
                       Tensor &d_input, Tensor &d_target);
/// Tangent of mse_loss(input, target, reduction): the reduction of
/// 2 (input - target)(t_input - t_target).
Tensor mse_loss_pushforward(const Tensor &input, const Tensor &target,
                            Reduction reduction, const Tensor &out,
                            const Tensor &t_input, const Tensor &t_target);
/// Pullback of mse_loss(input, target).
void mse_loss_pullback(const Tensor &input, const Tensor &target,
                       const Tensor &d_out, Tensor &d_input, Tensor &d_target);
/// Tangent of mse_loss(input, target).
Tensor mse_loss_pushforward(const Tensor &input, const Tensor &target,
                            const Tensor &out, const Tensor &t_input,
                            const Tensor &t_target);
/// Pullback of cross_entropy(logits, target, reduction) with a tensor
/// target: class probabilities get their gradient, class indices (not
/// differentiable) a zero one.
void cross_entropy_pullback(const Tensor &logits, const Tensor &target,
                            Reduction reduction, const Tensor &d_out,
                            Tensor &d_logits, Tensor &d_target);
/// Tangent of cross_entropy(logits, target, reduction) with a tensor target:
/// each row's gradient (from the pullback) contracted with its tangents.
Tensor cross_entropy_pushforward(const Tensor &logits, const Tensor &target,
                                 Reduction reduction, const Tensor &out,
                                 const Tensor &t_logits,
                                 const Tensor &t_target);
/// Pullback of cross_entropy(logits, target) with a tensor target.
void cross_entropy_pullback(const Tensor &logits, const Tensor &target,
                            const Tensor &d_out, Tensor &d_logits,
                            Tensor &d_target);
/// Tangent of cross_entropy(logits, target) with a tensor target.
Tensor cross_entropy_pushforward(const Tensor &logits, const Tensor &target,
                                 const Tensor &out, const Tensor &t_logits,
                                 const Tensor &t_target);
/// Pullback of cross_entropy(logits, classes, reduction) with integer
/// classes.
void cross_entropy_pullback(const Tensor &logits,
                            const std::vector<std::int64_t> &target,
                            Reduction reduction, const Tensor &d_out,
                            Tensor &d_logits);
/// Tangent of cross_entropy(logits, classes, reduction).
Tensor cross_entropy_pushforward(const Tensor &logits,
                                 const std::vector<std::int64_t> &target,
                                 Reduction reduction, const Tensor &out,
                                 const Tensor &t_logits);
/// Pullback of cross_entropy(logits, classes) with integer classes.
void cross_entropy_pullback(const Tensor &logits,
                            const std::vector<std::int64_t> &target,
                            const Tensor &d_out, Tensor &d_logits);
/// Tangent of cross_entropy(logits, classes).
Tensor cross_entropy_pushforward(const Tensor &logits,
                                 const std::vector<std::int64_t> &target,
                                 const Tensor &out, const Tensor &t_logits);

/// The adjoint argument generated code passes for a tensor argument whose
/// gradient nobody needs (an inactive input, like a tensor without
/// requires_grad): pullbacks skip the work for it.
inline Tensor &unused() {
  static thread_local Tensor Sink;
  return Sink;
}

/// Whether \p D_ is the unused() adjoint.
inline bool is_unused(const Tensor &D_) { return &D_ == &unused(); }

} // namespace derivatives
} // namespace adjoint

#endif // ADJOINT_TENSOR_DERIVATIVES_H
