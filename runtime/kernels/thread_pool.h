//===- thread_pool.h - Small fork-join pool for the kernels -----*- C++ -*-===//
//
// A fixed set of worker threads that run the iterations of one parallel loop
// at a time, the calling thread included. Only large products and large
// elementwise or BCE loops use it, so the design favours simplicity over the
// last microsecond of wake-up latency.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_RUNTIME_KERNELS_THREAD_POOL_H
#define ADJOINT_RUNTIME_KERNELS_THREAD_POOL_H

#include "runtime/kernels/kernels.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace adjoint {
namespace kernels {

/// Runs Fn(I) for every I in [0, Count) using up to Threads threads (the
/// caller plus Threads - 1 pooled workers), and returns when all are done.
/// Iterations are handed out dynamically, so they may be uneven. Falls back
/// to a serial loop when Threads <= 1, when Count <= 1, or when another
/// thread is already running a parallel loop (nested or concurrent calls).
void parallel_for(int Threads, std::int64_t Count,
                  const std::function<void(std::int64_t)> &Fn);

/// Splits [0, N) into consecutive chunks, one per thread of
/// get_num_threads(), with boundaries at multiples of Grain (so that a
/// periodic operand such as BCE's positive weight lines up); returns the
/// chunk length, or N (one chunk) when N < MinParallel or one thread is set.
inline std::size_t chunkLength(std::size_t N, std::size_t Grain,
                               std::size_t MinParallel, int &Threads) {
  Threads = N >= MinParallel ? get_num_threads() : 1;
  if (Threads <= 1 || N == 0)
    return N;
  const std::size_t G = Grain ? Grain : 1;
  const std::size_t Chunk = (N + Threads - 1) / Threads;
  return (Chunk + G - 1) / G * G;
}

/// Runs Fn(Begin, End) over the chunks of chunkLength covering [0, N), in
/// parallel when there are several. A small N costs one comparison.
template <class F>
void parallel_chunks(std::size_t N, std::size_t Grain, std::size_t MinParallel,
                     F Fn) {
  int Threads = 1;
  const std::size_t Chunk = chunkLength(N, Grain, MinParallel, Threads);
  if (Chunk >= N) {
    Fn(std::size_t{0}, N);
    return;
  }
  parallel_for(Threads, static_cast<std::int64_t>((N + Chunk - 1) / Chunk),
               [&](std::int64_t I) {
                 const std::size_t Begin = static_cast<std::size_t>(I) * Chunk;
                 Fn(Begin, std::min(N, Begin + Chunk));
               });
}

/// The sum of Fn(Begin, End) over the chunks of parallel_chunks, added in
/// chunk order (so the result depends only on the thread count).
template <class F>
double parallel_sum_chunks(std::size_t N, std::size_t Grain,
                           std::size_t MinParallel, F Fn) {
  int Threads = 1;
  const std::size_t Chunk = chunkLength(N, Grain, MinParallel, Threads);
  if (Chunk >= N)
    return Fn(std::size_t{0}, N);
  const std::size_t Count = (N + Chunk - 1) / Chunk;
  std::vector<double> Partial(Count, 0.0);
  parallel_for(Threads, static_cast<std::int64_t>(Count), [&](std::int64_t I) {
    const std::size_t Begin = static_cast<std::size_t>(I) * Chunk;
    Partial[static_cast<std::size_t>(I)] =
        Fn(Begin, std::min(N, Begin + Chunk));
  });
  double Total = 0.0;
  for (double P : Partial)
    Total += P;
  return Total;
}

/// The default thread count: ADJOINT_NUM_THREADS when set to a positive
/// number, else the CPUs this process may run on (its affinity mask, as
/// taskset sets it), else std::thread::hardware_concurrency().
int default_num_threads();

} // namespace kernels
} // namespace adjoint

#endif // ADJOINT_RUNTIME_KERNELS_THREAD_POOL_H
