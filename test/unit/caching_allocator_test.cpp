//===- caching_allocator_test.cpp - Reuse, bounds and switches ------------===//

#include "tensor_test_util.h"

#include <thread>

namespace {

using namespace adjoint;

/// Restores the cache limit a test changed.
struct LimitGuard {
  std::size_t Saved = cache_limit();
  ~LimitGuard() { set_cache_limit(Saved); }
};

TEST(CachingAllocator, ReusesADroppedLargeBuffer) {
  LimitGuard Guard;
  empty_cache();
  const float *First;
  {
    Tensor A = empty({512, 512});
    First = A.data();
  }
  EXPECT_GE(cache_stats().CachedBytes, 512u * 512u * sizeof(float));
  const std::uint64_t Hits = cache_stats().Hits;
  Tensor B = empty({512, 512});
  EXPECT_EQ(B.data(), First);
  EXPECT_EQ(cache_stats().Hits, Hits + 1);
  EXPECT_EQ(cache_stats().CachedBytes, 0u);
}

TEST(CachingAllocator, ServesNearbySizesFromOneClass) {
  LimitGuard Guard;
  empty_cache();
  const float *First;
  {
    Tensor A = empty({1000, 1000});
    First = A.data();
  }
  // Within a quarter of a power of two: the same class.
  Tensor B = empty({990, 1001});
  EXPECT_EQ(B.data(), First);
  B.fill_(1.0f);
  EXPECT_EQ(B.sum().item(), 990.0f * 1001.0f);
}

TEST(CachingAllocator, StaysWithinItsLimit) {
  LimitGuard Guard;
  set_cache_limit(std::size_t{3} << 20);
  {
    Tensor A = empty({512, 512}), B = empty({512, 512}), C = empty({512, 512}),
           D = empty({2048, 2048});
  }
  CacheStats S = cache_stats();
  EXPECT_LE(S.CachedBytes, std::size_t{3} << 20);
  EXPECT_EQ(S.CachedBuffers, 2u); // Two 1 MiB buffers (plus header) fit.
  EXPECT_EQ(S.Limit, std::size_t{3} << 20);
}

TEST(CachingAllocator, EmptyCacheAndDisabling) {
  LimitGuard Guard;
  { Tensor A = empty({256, 256}); }
  EXPECT_GT(cache_stats().CachedBytes, 0u);
  empty_cache();
  EXPECT_EQ(cache_stats().CachedBytes, 0u);
  EXPECT_EQ(cache_stats().CachedBuffers, 0u);
  set_cache_limit(0);
  { Tensor A = empty({256, 256}), B = empty({3}); }
  EXPECT_EQ(cache_stats().CachedBytes, 0u);
  EXPECT_EQ(cache_limit(), 0u);
}

TEST(CachingAllocator, BuffersFreedOnOtherThreads) {
  LimitGuard Guard;
  empty_cache();
  Tensor Big = empty({300, 300}), Small = empty({10});
  std::thread([Big = std::move(Big), Small = std::move(Small)]() mutable {
    Big = Tensor();
    Small = Tensor();
  }).join();
  EXPECT_GT(cache_stats().CachedBytes, 0u);
  Tensor Again = empty({300, 300});
  EXPECT_EQ(cache_stats().CachedBytes, 0u);
}

} // namespace
