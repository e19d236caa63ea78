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

TEST(Tape, NextTapeStartsFromTheStorageOfADestroyedOne) {
  std::size_t Grown;
  {
    adjoint::Tape T;
    for (int I = 0; I < 50000; ++I)
      T.push(static_cast<double>(I));
    Grown = T.capacity();
  }
  adjoint::Tape Next;
  EXPECT_EQ(Next.capacity(), 0u);
  Next.push(1.0);
  EXPECT_GE(Next.capacity(), Grown);
  // Two live tapes (a gradient calling a pullback): only one gets the spare,
  // and both work.
  adjoint::Tape Inner;
  Inner.push(2.0);
  EXPECT_LT(Inner.capacity(), Grown);
  EXPECT_EQ(Inner.pop<double>(), 2.0);
  EXPECT_EQ(Next.pop<double>(), 1.0);
}

TEST(Tape, CopiesAndMovesKeepValues) {
  adjoint::Tape T;
  for (int I = 0; I < 1000; ++I)
    T.push(I);
  adjoint::Tape Copy = T;
  adjoint::Tape Moved = std::move(T);
  for (int I = 999; I >= 0; --I) {
    ASSERT_EQ(Copy.pop<int>(), I);
    ASSERT_EQ(Moved.pop<int>(), I);
  }
}

} // namespace
