#include "adjoint/tape.h"

#include <gtest/gtest.h>

#include <vector>

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

TEST(Tape, RangesComeBackAsBlocksInLifoOrder) {
  adjoint::Tape T;
  std::vector<double> A = {1.0, 2.0, 3.0}, B(1000);
  for (size_t I = 0; I < B.size(); ++I)
    B[I] = 0.5 * static_cast<double>(I);
  T.push(7);
  T.pushRange(A.data(), A.size());
  T.pushRange(B.data(), B.size()); // grows the storage
  T.pushRange(A.data(), 0);        // an empty block is fine
  std::vector<double> B2(B.size()), A2(A.size());
  T.popRange(A.data(), 0);
  T.popRange(B2.data(), B2.size());
  T.popRange(A2.data(), A2.size());
  EXPECT_EQ(B2, B);
  EXPECT_EQ(A2, A);
  EXPECT_EQ(T.pop<int>(), 7);
  EXPECT_TRUE(T.empty());
}

TEST(WriteLog, RestoresEachFrameNewestFirstAndKeepsItUntilClosed) {
  double Buffer[3] = {1.0, 2.0, 3.0};
  float Single = 0.5f;
  adjoint::WriteLog Log;
  Log.open();
  Log.save(Buffer[0]), Buffer[0] = 10.0;
  Log.save(Buffer[0]), Buffer[0] = 20.0; // written twice: the first value wins
  Log.open();                            // a second call
  Log.save(Buffer[2]), Buffer[2] = 30.0;
  Log.save(Single), Single = 4.0f;
  Log.restore();
  EXPECT_EQ(Buffer[2], 3.0);
  EXPECT_EQ(Single, 0.5f);
  Buffer[2] = 99.0; // a replay writes again
  Single = 9.0f;
  Log.close();
  EXPECT_EQ(Buffer[2], 3.0);
  EXPECT_EQ(Single, 0.5f);
  EXPECT_EQ(Buffer[0], 20.0); // the first frame is untouched
  Log.close();
  EXPECT_EQ(Buffer[0], 1.0);
  EXPECT_EQ(Buffer[1], 2.0);
}

} // namespace
