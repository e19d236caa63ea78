//===- check.h - Shared helpers of the scalar reverse-mode lit tests -------===//
//
// check() prints a gradient as "NAME: g0 g1 ..." (%.6f, for the hand-derived
// values) and compares it with central finite differences through
// adjoint::gradcheck, which prints "gradcheck NAME: ok" or the mismatching
// components and "gradcheck NAME: FAILED".
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_LIT_SCALAR_CHECK_H
#define ADJOINT_LIT_SCALAR_CHECK_H

#include <adjoint/adjoint.h>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace lit {

using Fn = std::function<double(const std::vector<double> &)>;

inline void print(const char *Name, const std::vector<double> &Grad) {
  std::printf("%s:", Name);
  for (double G : Grad)
    std::printf(" %.6f", G);
  std::printf("\n");
  std::fflush(stdout);
}

/// Double functions: relative error below 1e-6.
inline bool check(const char *Name, const Fn &F,
                  const std::vector<double> &Point,
                  const std::vector<double> &Grad) {
  print(Name, Grad);
  adjoint::GradcheckOptions Options;
  Options.Name = std::string("gradcheck ") + Name;
  return adjoint::gradcheck(F, Point, Grad, Options);
}

/// Float functions: relative error below 1e-3, with a larger step so that
/// float rounding does not swamp the finite differences.
inline bool checkf(const char *Name, const Fn &F,
                   const std::vector<double> &Point,
                   const std::vector<double> &Grad) {
  print(Name, Grad);
  adjoint::GradcheckOptions Options;
  Options.Tolerance = 1e-3;
  Options.Step = 1e-2;
  Options.Name = std::string("gradcheck ") + Name;
  return adjoint::gradcheck(F, Point, Grad, Options);
}

} // namespace lit

#endif // ADJOINT_LIT_SCALAR_CHECK_H
