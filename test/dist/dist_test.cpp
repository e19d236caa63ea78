//===- dist_test.cpp - adjoint::dist collectives --------------------------===//
//
// Runs as one process (ctest dist) and, when adjoint_dist has MPI, under
// `mpirun -np 2` (ctest dist-mpi): every process checks the results of the
// collectives for any number of processes.
//
//===----------------------------------------------------------------------===//

#include "adjoint/dist.h"
#include "adjoint/tensor.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace {

using namespace adjoint;

TEST(Dist, RankAndWorldSize) {
  EXPECT_TRUE(dist::is_initialized());
  EXPECT_GE(dist::world_size(), 1);
  EXPECT_GE(dist::rank(), 0);
  EXPECT_LT(dist::rank(), dist::world_size());
  if (!dist::available())
    EXPECT_EQ(dist::world_size(), 1);
}

/// Values that differ per process: rank + 1 + I / 8.
Tensor perRank(const Shape &S) {
  Tensor T = empty(S);
  for (std::int64_t I = 0; I < T.numel(); ++I)
    T.data()[I] = static_cast<float>(dist::rank() + 1) + I / 8.0f;
  return T;
}

/// The mean over processes of perRank's element I.
float meanOfRanks(std::int64_t I) {
  return static_cast<float>(dist::world_size() + 1) / 2.0f + I / 8.0f;
}

TEST(Dist, AllReduceMeanOfATensor) {
  Tensor T = perRank({3, 5});
  dist::all_reduce_mean(T);
  for (std::int64_t I = 0; I < T.numel(); ++I)
    EXPECT_FLOAT_EQ(T.data()[I], meanOfRanks(I)) << I;
}

TEST(Dist, AllReduceMeanOfAGradientList) {
  Tensor A = perRank({4, 2}), B = perRank({7}), C = perRank({});
  dist::all_reduce_mean({A, B, C});
  for (const Tensor *T : {&A, &B, &C})
    for (std::int64_t I = 0; I < T->numel(); ++I)
      EXPECT_FLOAT_EQ(T->data()[I], meanOfRanks(I)) << I;
  Tensor Undefined;
  EXPECT_THROW(dist::all_reduce_mean({A, Undefined}), std::invalid_argument);
}

TEST(Dist, Broadcast) {
  Tensor T = perRank({6});
  dist::broadcast(T, 0);
  for (std::int64_t I = 0; I < T.numel(); ++I)
    EXPECT_FLOAT_EQ(T.data()[I], 1.0f + I / 8.0f) << I;
}

TEST(Dist, DifferentSizesThrowEverywhere) {
  if (dist::world_size() == 1)
    GTEST_SKIP() << "needs several processes";
  Tensor T = perRank({dist::rank() + 1});
  EXPECT_THROW(dist::all_reduce_mean(T), std::invalid_argument);
  dist::barrier();
}

} // namespace

int main(int Argc, char **Argv) {
  adjoint::dist::init(&Argc, &Argv);
  ::testing::InitGoogleTest(&Argc, Argv);
  // Only rank 0 prints, so the log reads as one run.
  if (adjoint::dist::rank() != 0) {
    auto &Listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete Listeners.Release(Listeners.default_result_printer());
  }
  int Failed = RUN_ALL_TESTS();
  adjoint::dist::finalize();
  return Failed;
}
