//===- adjoint/gradcheck.h - Finite-difference gradient checks --*- C++ -*-===//
//
// Compares a gradient (typically produced by a generated f_grad) with central
// finite differences, like torch.autograd.gradcheck for scalar functions.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_GRADCHECK_H
#define ADJOINT_GRADCHECK_H

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace adjoint {

/// Tolerances and step of a scalar gradient check.
struct GradcheckOptions {
  /// Allowed error: |analytic - numeric| <= Tolerance * max(1, |analytic|, |numeric|).
  double Tolerance = 1e-6;
  /// Relative finite-difference step: h = Step * max(1, |x_i|).
  double Step = 1e-4;
  /// Label printed in the report.
  std::string Name = "gradcheck";
};

/// Central finite-difference estimate (with one Richardson extrapolation
/// step) of d f / d x_i at \p Point for every i.
std::vector<double>
numericGradient(const std::function<double(const std::vector<double> &)> &F,
                const std::vector<double> &Point, double Step = 1e-4);

/// Checks \p Analytic against the finite-difference gradient of \p F at
/// \p Point. Prints one line per mismatching component and a summary line
/// "<Name>: ok" or "<Name>: FAILED" to \p Out; returns whether all matched.
bool gradcheck(const std::function<double(const std::vector<double> &)> &F,
               const std::vector<double> &Point,
               const std::vector<double> &Analytic, std::ostream &Out,
               const GradcheckOptions &Options = {});

/// Same as above, printing to std::cout.
bool gradcheck(const std::function<double(const std::vector<double> &)> &F,
               const std::vector<double> &Point,
               const std::vector<double> &Analytic,
               const GradcheckOptions &Options = {});

} // namespace adjoint

#endif // ADJOINT_GRADCHECK_H
