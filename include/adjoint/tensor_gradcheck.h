//===- adjoint/tensor_gradcheck.h - Gradient checks for tensors -*- C++ -*-===//
//
// Like torch.autograd.gradcheck: compares analytic gradients of a function of
// tensors with central finite differences. The function's output is reduced
// to a scalar as sum(output * seed) (seed of ones by default), so a vector
// output checks the vector-Jacobian product that a pullback computes with
// d_out = seed.
//
// Tensors are float32, so the check is tuned for single precision: inputs are
// perturbed by a step of about 1e-3 (the perturbation actually stored in
// float is used as the divisor), differences and sums are formed in double,
// and a component passes when |analytic - numeric| <= Atol + Rtol * |numeric|
// with Atol = 1e-3 and Rtol = 1e-2 by default. The truncation error of the
// central difference is O(step^2) and the rounding error of a float function
// about 1e-7 * |f| / step, both well inside these tolerances for functions
// of moderate curvature and magnitude.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_TENSOR_GRADCHECK_H
#define ADJOINT_TENSOR_GRADCHECK_H

#include "adjoint/tensor.h"

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace adjoint {

/// A function of tensors checked by gradcheck.
using TensorFunction = std::function<Tensor(const std::vector<Tensor> &)>;

/// Step and tolerances of a tensor gradient check.
struct TensorGradcheckOptions {
  /// Finite-difference step: h = Eps * max(1, |x_i|).
  double Eps = 1e-3;
  /// Absolute tolerance.
  double Atol = 1e-3;
  /// Relative tolerance (relative to the numeric value).
  double Rtol = 1e-2;
  /// Label printed in the report.
  std::string Name = "gradcheck";
};

/// Central finite-difference gradients of sum(F(Inputs) * Seed) with respect
/// to every input (Seed undefined means ones). Inputs are not modified.
std::vector<Tensor> numericTensorGradient(const TensorFunction &F_,
                                          const std::vector<Tensor> &Inputs,
                                          const Tensor &Seed = Tensor(),
                                          double Eps = 1e-3);

/// Checks \p Analytic (one gradient per input; an undefined one means zeros)
/// against numericTensorGradient. Prints one line per mismatching element and
/// a summary line "<Name>: ok" or "<Name>: FAILED" to \p Out; returns whether
/// everything matched.
bool gradcheck(const TensorFunction &F_, const std::vector<Tensor> &Inputs,
               const std::vector<Tensor> &Analytic, std::ostream &Out,
               const TensorGradcheckOptions &Options = {},
               const Tensor &Seed = Tensor());

/// Same as above, printing to std::cout.
bool gradcheck(const TensorFunction &F_, const std::vector<Tensor> &Inputs,
               const std::vector<Tensor> &Analytic,
               const TensorGradcheckOptions &Options = {},
               const Tensor &Seed = Tensor());

} // namespace adjoint

#endif // ADJOINT_TENSOR_GRADCHECK_H
