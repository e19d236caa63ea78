//===- threads_test.cpp - Thread count and parallel kernels ---------------===//
//
// Results with two threads against one thread: the kernels split work above
// a size threshold, so the sizes here are above it.
//
//===----------------------------------------------------------------------===//

#include "tensor_test_util.h"

namespace {

using namespace adjoint;
using adjoint::testing::expectClose;
using adjoint::testing::ramp;

/// Restores the thread count a test changed.
struct ThreadsGuard {
  int Saved = get_num_threads();
  ~ThreadsGuard() { set_num_threads(Saved); }
};

TEST(Threads, SetAndDefault) {
  ThreadsGuard Guard;
  set_num_threads(3);
  EXPECT_EQ(get_num_threads(), 3);
  set_num_threads(0);
  EXPECT_GE(get_num_threads(), 1);
}

/// Computes Fn() with one thread and with two; they must agree.
template <class F> void expectSameWithTwoThreads(F Fn, float Tolerance = 0) {
  ThreadsGuard Guard;
  set_num_threads(1);
  Tensor Serial = Fn();
  set_num_threads(2);
  Tensor Parallel = Fn();
  ASSERT_EQ(Serial.shape(), Parallel.shape());
  for (std::int64_t I = 0; I < Serial.numel(); ++I)
    ASSERT_NEAR(Serial.data()[I], Parallel.data()[I],
                Tolerance * std::max(1.0f, std::abs(Serial.data()[I])))
        << I;
}

TEST(Threads, ParallelMatmul) {
  Tensor A = ramp({200, 150}), B = ramp({150, 170}, -1.0f, 2.0f, 1);
  expectSameWithTwoThreads([&] { return matmul(A, B); });
}

TEST(Threads, ParallelElementwise) {
  const std::int64_t N = (1 << 18) + 77;
  Tensor A = ramp({N}), B = ramp({N}, 0.5f, 2.0f, 3);
  expectSameWithTwoThreads([&] { return A + B; });
  expectSameWithTwoThreads([&] { return A * 3.0f; });
  expectSameWithTwoThreads([&] { return tanh(A); });
  expectSameWithTwoThreads([&] { return pow(B, 2.0); });
  expectSameWithTwoThreads([&] {
    Tensor C = B.clone();
    return C.add_(A, 0.25f);
  });
}

TEST(Threads, ParallelBce) {
  const std::int64_t Rows = 1000, Cols = 77;
  Tensor Z = ramp({Rows, Cols}, -4.0f, 8.0f), Y = ramp({Rows, Cols}, 0, 1, 2);
  Tensor PosWeight = ramp({Cols}, 0.5f, 2.0f, 7);
  expectSameWithTwoThreads([&] {
    return binary_cross_entropy_with_logits(Z, Y, Reduction::None, PosWeight);
  });
  expectSameWithTwoThreads(
      [&] {
        return binary_cross_entropy_with_logits(Z, Y, Reduction::Mean,
                                                PosWeight);
      },
      1e-6f);
}

} // namespace
