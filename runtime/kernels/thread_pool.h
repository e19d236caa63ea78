//===- thread_pool.h - Small fork-join pool for the kernels -----*- C++ -*-===//
//
// A fixed set of worker threads that run the iterations of one parallel loop
// at a time, the calling thread included. Only large GEMMs use it, so the
// design favours simplicity over the last microsecond of wake-up latency.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_RUNTIME_KERNELS_THREAD_POOL_H
#define ADJOINT_RUNTIME_KERNELS_THREAD_POOL_H

#include <cstdint>
#include <functional>

namespace adjoint {
namespace kernels {

/// Runs Fn(I) for every I in [0, Count) using up to Threads threads (the
/// caller plus Threads - 1 pooled workers), and returns when all are done.
/// Iterations are handed out dynamically, so they may be uneven. Falls back
/// to a serial loop when Threads <= 1, when Count <= 1, or when another
/// thread is already running a parallel loop (nested or concurrent calls).
void parallel_for(int Threads, std::int64_t Count,
                  const std::function<void(std::int64_t)> &Fn);

} // namespace kernels
} // namespace adjoint

#endif // ADJOINT_RUNTIME_KERNELS_THREAD_POOL_H
