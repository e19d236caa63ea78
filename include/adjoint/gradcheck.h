//===- adjoint/gradcheck.h - Finite-difference gradient checks --*- C++ -*-===//
//
// Compares a gradient (typically produced by a generated f_grad) with central
// finite differences, like torch.autograd.gradcheck for scalar functions.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_GRADCHECK_H
#define ADJOINT_GRADCHECK_H

#include <cstdint>
#include <iosfwd>
#include <string>
#include <type_traits>
#include <vector>

namespace adjoint {

/// A non-owning reference to a callable `double(const std::vector<double> &)`:
/// what the scalar gradchecks take, valid for the duration of the call.
/// (std::function would make every includer of <adjoint/scalar.h> parse
/// <functional>, about a third of the compile time of a small file.)
class ScalarFunctionRef {
public:
  template <typename Callable,
            typename = std::enable_if_t<
                !std::is_same_v<std::decay_t<Callable>, ScalarFunctionRef> &&
                std::is_invocable_r_v<double, Callable &,
                                      const std::vector<double> &>>>
  ScalarFunctionRef(Callable &&F_)
      : Object(reinterpret_cast<std::intptr_t>(&F_)),
        Call(&invoke<std::remove_reference_t<Callable>>) {}

  double operator()(const std::vector<double> &X_) const {
    return Call(Object, X_);
  }

private:
  template <typename Callable>
  static double invoke(std::intptr_t Object, const std::vector<double> &X_) {
    return (*reinterpret_cast<Callable *>(Object))(X_);
  }

  std::intptr_t Object;
  double (*Call)(std::intptr_t, const std::vector<double> &);
};

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
std::vector<double> numericGradient(ScalarFunctionRef F_,
                                    const std::vector<double> &Point,
                                    double Step = 1e-4);

/// Checks \p Analytic against the finite-difference gradient of \p F_ at
/// \p Point. Prints one line per mismatching component and a summary line
/// "<Name>: ok" or "<Name>: FAILED" to \p Out; returns whether all matched.
bool gradcheck(ScalarFunctionRef F_, const std::vector<double> &Point,
               const std::vector<double> &Analytic, std::ostream &Out,
               const GradcheckOptions &Options = {});

/// Same as above, printing to std::cout.
bool gradcheck(ScalarFunctionRef F_, const std::vector<double> &Point,
               const std::vector<double> &Analytic,
               const GradcheckOptions &Options = {});

} // namespace adjoint

#endif // ADJOINT_GRADCHECK_H
