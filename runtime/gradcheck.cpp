//===- gradcheck.cpp - Finite-difference gradient checks ------------------===//

#include "adjoint/gradcheck.h"

#include <algorithm>
#include <cmath>
#include <iostream>

namespace adjoint {

std::vector<double>
numericGradient(ScalarFunctionRef F,
                const std::vector<double> &Point, double Step) {
  std::vector<double> Gradient(Point.size());
  std::vector<double> X = Point;
  auto Central = [&](std::size_t I, double H) {
    X[I] = Point[I] + H;
    double Plus = F(X);
    X[I] = Point[I] - H;
    double Minus = F(X);
    X[I] = Point[I];
    return (Plus - Minus) / (2 * H);
  };
  for (std::size_t I = 0; I < Point.size(); ++I) {
    double H = Step * std::max(1.0, std::fabs(Point[I]));
    // Richardson extrapolation cancels the O(h^2) term of the central difference.
    Gradient[I] = (4 * Central(I, H / 2) - Central(I, H)) / 3;
  }
  return Gradient;
}

bool gradcheck(ScalarFunctionRef F,
               const std::vector<double> &Point,
               const std::vector<double> &Analytic, std::ostream &Out,
               const GradcheckOptions &Options) {
  if (Analytic.size() != Point.size()) {
    Out << Options.Name << ": FAILED (" << Analytic.size()
        << " gradient components for " << Point.size() << " inputs)\n";
    return false;
  }
  std::vector<double> Numeric = numericGradient(F, Point, Options.Step);
  bool Ok = true;
  for (std::size_t I = 0; I < Point.size(); ++I) {
    double Scale =
        std::max({1.0, std::fabs(Analytic[I]), std::fabs(Numeric[I])});
    double Error = std::fabs(Analytic[I] - Numeric[I]) / Scale;
    if (!(Error <= Options.Tolerance)) {
      Ok = false;
      Out << Options.Name << ": component " << I << ": analytic "
          << Analytic[I] << " vs numeric " << Numeric[I] << " (error "
          << Error << ")\n";
    }
  }
  Out << Options.Name << (Ok ? ": ok" : ": FAILED") << "\n";
  return Ok;
}

bool gradcheck(ScalarFunctionRef F,
               const std::vector<double> &Point,
               const std::vector<double> &Analytic,
               const GradcheckOptions &Options) {
  return gradcheck(F, Point, Analytic, std::cout, Options);
}

} // namespace adjoint
