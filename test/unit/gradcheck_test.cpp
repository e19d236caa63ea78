#include "adjoint/gradcheck.h"

#include <cmath>
#include <gtest/gtest.h>
#include <sstream>

namespace {

double product(const std::vector<double> &X) { return X[0] * std::sin(X[1]); }

TEST(Gradcheck, AcceptsTheExactGradient) {
  std::vector<double> P = {1.5, 0.7};
  std::ostringstream Out;
  EXPECT_TRUE(adjoint::gradcheck(product, P,
                                 {std::sin(P[1]), P[0] * std::cos(P[1])}, Out));
  EXPECT_EQ(Out.str(), "gradcheck: ok\n");
}

TEST(Gradcheck, RejectsAWrongComponentAndNamesIt) {
  std::vector<double> P = {1.5, 0.7};
  std::ostringstream Out;
  EXPECT_FALSE(adjoint::gradcheck(product, P, {std::sin(P[1]), 0.0}, Out));
  EXPECT_NE(Out.str().find("component 1"), std::string::npos);
  EXPECT_NE(Out.str().find("FAILED"), std::string::npos);
}

TEST(Gradcheck, NumericGradientIsAccurate) {
  auto G = adjoint::numericGradient(
      [](const std::vector<double> &X) { return std::exp(X[0]); }, {2.0});
  EXPECT_NEAR(G[0], std::exp(2.0), 1e-9 * std::exp(2.0));
}

TEST(Gradcheck, RejectsMismatchedSizes) {
  std::ostringstream Out;
  EXPECT_FALSE(adjoint::gradcheck(product, {1.0, 2.0}, {1.0}, Out));
}

} // namespace
