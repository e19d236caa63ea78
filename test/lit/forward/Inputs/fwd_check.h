//===- fwd_check.h - Shared helpers of the forward-mode lit tests ---------===//
//
// Compare forward-mode and second-order results with central finite
// differences and print "NAME: ok" or the mismatch and "NAME: FAILED".
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_LIT_FORWARD_CHECK_H
#define ADJOINT_LIT_FORWARD_CHECK_H

#include <adjoint/adjoint.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

namespace lit {

/// Whether \p Got matches \p Want to a relative error of \p Tol.
inline bool close(double Got, double Want, double Tol) {
  return std::fabs(Got - Want) <= Tol * (1 + std::fabs(Want));
}

/// Checks each of \p Got against \p Want, printing the verdict.
inline bool compare(const char *Name, const std::vector<double> &Got,
                    const std::vector<double> &Want, double Tol = 1e-6) {
  bool Ok = Got.size() == Want.size();
  for (size_t I = 0; Ok && I < Got.size(); ++I)
    if (!close(Got[I], Want[I], Tol)) {
      std::printf("%s: component %zu is %.10g, finite differences say %.10g\n",
                  Name, I, Got[I], Want[I]);
      Ok = false;
    }
  std::printf("%s: %s\n", Name, Ok ? "ok" : "FAILED");
  std::fflush(stdout);
  return Ok;
}

/// Central differences of the vector function \p F at \p X along \p V.
inline std::vector<double>
directional(const std::function<std::vector<double>(const std::vector<double> &)> &F,
            std::vector<double> X, const std::vector<double> &V,
            double H = 1e-6) {
  std::vector<double> Plus = X, Minus = X;
  for (size_t I = 0; I < X.size(); ++I) {
    Plus[I] += H * V[I];
    Minus[I] -= H * V[I];
  }
  std::vector<double> A = F(Plus), B = F(Minus), D(A.size());
  for (size_t I = 0; I < A.size(); ++I)
    D[I] = (A[I] - B[I]) / (2 * H);
  return D;
}

} // namespace lit

#endif // ADJOINT_LIT_FORWARD_CHECK_H
