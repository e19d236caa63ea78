#include "adjoint/tape.h"

#include <gtest/gtest.h>

namespace {

TEST(Tape, PopsInReverseOrderAcrossTypes) {
  adjoint::Tape T;
  T.push(1.5);
  T.push(7);
  T.push(true);
  T.push(2.5f);
  EXPECT_EQ(T.pop<float>(), 2.5f);
  EXPECT_TRUE(T.pop<bool>());
  EXPECT_EQ(T.pop<int>(), 7);
  EXPECT_EQ(T.pop<double>(), 1.5);
  EXPECT_TRUE(T.empty());
}

TEST(Tape, GrowsWithoutLosingValues) {
  adjoint::Tape T;
  for (int I = 0; I < 100000; ++I)
    T.push(static_cast<double>(I));
  EXPECT_EQ(T.size(), 100000 * sizeof(double));
  for (int I = 99999; I >= 0; --I)
    ASSERT_EQ(T.pop<double>(), static_cast<double>(I));
  EXPECT_TRUE(T.empty());
}

} // namespace
