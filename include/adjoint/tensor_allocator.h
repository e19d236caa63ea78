//===- adjoint/tensor_allocator.h - Caching tensor storage ------*- C++ -*-===//
//
// Every tensor's storage comes from a caching allocator, so that a loop such
// as `c = matmul(a, b)` reuses the buffer the previous iteration dropped
// instead of asking the operating system for fresh pages (whose first-touch
// page faults cost as much as a 512 x 512 product on many machines).
//
// Buffers are grouped in size classes: powers of two up to 32 KiB, then four
// classes per power of two (at most 25% slack). A dropped buffer goes to the
// free list of its class and the next request of that class takes it back:
//   - small buffers (up to 32 KiB) live in per-thread lists of at most 64
//     buffers per class, without locks; a thread's lists are freed when it
//     exits;
//   - larger buffers live in one process-wide cache guarded by a mutex and
//     bounded in bytes (cache_limit(), default 1 GiB or the environment
//     variable ADJOINT_CACHE_LIMIT_MB). When a dropped buffer would exceed
//     the bound, the cache first frees its largest other buffers; a buffer
//     larger than the bound itself goes straight back to the system.
// set_cache_limit(0) (or ADJOINT_CACHE_LIMIT_MB=0) disables caching: every
// buffer is then malloc'ed and freed. empty_cache() hands all cached
// buffers back to the system, like torch.cuda.empty_cache().
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_TENSOR_ALLOCATOR_H
#define ADJOINT_TENSOR_ALLOCATOR_H

#include <cstddef>
#include <cstdint>

namespace adjoint {

/// What the process-wide cache of large buffers holds and how it served.
struct CacheStats {
  /// Bytes held by cached (currently unused) large buffers.
  std::size_t CachedBytes = 0;
  /// Number of cached large buffers.
  std::size_t CachedBuffers = 0;
  /// Large requests served from the cache.
  std::uint64_t Hits = 0;
  /// Large requests that had to allocate from the system.
  std::uint64_t Misses = 0;
  /// The bound on CachedBytes (0: caching disabled).
  std::size_t Limit = 0;
};

/// Statistics of the process-wide cache of large buffers.
CacheStats cache_stats();

/// Frees every cached buffer: the process-wide large ones and the calling
/// thread's small ones. Tensors in use are not affected.
void empty_cache();

/// Bounds the bytes the process-wide cache may hold; 0 disables caching of
/// all buffers (and empties the caches). Lowering the bound frees cached
/// buffers until it holds.
void set_cache_limit(std::size_t Bytes);

/// The bound on the bytes of the process-wide cache (0: caching disabled).
std::size_t cache_limit();

} // namespace adjoint

#endif // ADJOINT_TENSOR_ALLOCATOR_H
