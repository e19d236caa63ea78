//===- caching_allocator.cpp - Size-class caches for tensor storage -------===//
//
// See adjoint/tensor_allocator.h for the behaviour. Small buffers go through
// per-thread free lists (no lock: small networks allocate and drop many tiny
// tensors per step), large ones through one mutex-guarded cache bounded in
// bytes. A cached buffer links to the next through its first data bytes.
//
//===----------------------------------------------------------------------===//

#include "adjoint/tensor_allocator.h"
#include "adjoint/tensor_core.h"

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <new>

namespace adjoint {
namespace {

using detail::Storage;

//===--- Size classes -----------------------------------------------------===//

/// Small classes hold MinSmallFloats << C floats, C < NumSmallClasses.
constexpr int NumSmallClasses = 10;
constexpr std::int64_t MinSmallFloats = 16;
constexpr std::int64_t MaxSmallFloats = MinSmallFloats << (NumSmallClasses - 1);
constexpr int MaxCachedPerSmallClass = 64;
/// Large classes split every power of two above MaxSmallFloats in quarters,
/// up to 2^MaxLargeLog2 floats; larger buffers are never cached.
constexpr int SmallLog2 = 13; // MaxSmallFloats == 1 << SmallLog2
static_assert(MaxSmallFloats == std::int64_t{1} << SmallLog2, "class bounds");
constexpr int MaxLargeLog2 = 40;
constexpr int NumLargeClasses = (MaxLargeLog2 - SmallLog2) * 4;
constexpr std::size_t DefaultLimitBytes = std::size_t{1} << 30;

/// The class of a buffer of Numel floats: small ones are 0 ..
/// NumSmallClasses - 1, large ones follow; -1 when it is never cached.
int sizeClassOf(std::int64_t Numel) {
  if (Numel <= MaxSmallFloats) {
    int C = 0;
    while ((MinSmallFloats << C) < Numel)
      ++C;
    return C;
  }
  // 2^E < Numel <= 2^(E+1); quarter Q in 1..4 of 2^E past 2^E.
  const int E =
      63 - __builtin_clzll(static_cast<unsigned long long>(Numel - 1));
  if (E >= MaxLargeLog2)
    return -1;
  const std::int64_t Quarter = std::int64_t{1} << (E - 2);
  const std::int64_t Q =
      (Numel - (std::int64_t{1} << E) + Quarter - 1) / Quarter;
  return NumSmallClasses + (E - SmallLog2) * 4 + static_cast<int>(Q - 1);
}

/// The number of floats a buffer of class C holds.
std::int64_t classFloats(int C) {
  if (C < NumSmallClasses)
    return MinSmallFloats << C;
  const int L = C - NumSmallClasses;
  const int E = SmallLog2 + L / 4;
  return (std::int64_t{1} << E) + (std::int64_t{L % 4 + 1} << (E - 2));
}

std::size_t bytesOf(std::int64_t Floats) {
  std::size_t Bytes =
      Storage::HeaderBytes + static_cast<std::size_t>(Floats) * sizeof(float);
  return (Bytes + 63) / 64 * 64;
}

Storage *&nextOf(Storage *S) {
  return *reinterpret_cast<Storage **>(S->data());
}

Storage *mallocStorage(std::int64_t Floats, int SizeClass) {
  void *P = std::aligned_alloc(64, bytesOf(Floats));
  if (!P)
    throw std::bad_alloc();
  auto *S = new (P) Storage;
  S->SizeClass = SizeClass;
  return S;
}

//===--- The process-wide cache of large buffers --------------------------===//

class LargeCache {
public:
  LargeCache() {
    std::size_t Bytes = DefaultLimitBytes;
    if (const char *Env = std::getenv("ADJOINT_CACHE_LIMIT_MB")) {
      char *End = nullptr;
      unsigned long long MB = std::strtoull(Env, &End, 10);
      if (End != Env)
        Bytes = static_cast<std::size_t>(MB) << 20;
    }
    Limit.store(Bytes, std::memory_order_relaxed);
  }

  std::size_t limit() const { return Limit.load(std::memory_order_relaxed); }

  Storage *take(int C) {
    std::lock_guard<std::mutex> Lock(Mu);
    const int L = C - NumSmallClasses;
    Storage *S = Head[L];
    if (!S) {
      ++Misses;
      return nullptr;
    }
    Head[L] = nextOf(S);
    --Count;
    Bytes -= bytesOf(classFloats(C));
    ++Hits;
    return S;
  }

  /// Caches S unless it alone exceeds the limit; returns false then.
  bool put(Storage *S) {
    const std::size_t Size = bytesOf(classFloats(S->SizeClass));
    std::lock_guard<std::mutex> Lock(Mu);
    const std::size_t Max = limit();
    if (Size > Max)
      return false;
    shrinkTo(Max - Size);
    const int L = S->SizeClass - NumSmallClasses;
    nextOf(S) = Head[L];
    Head[L] = S;
    ++Count;
    Bytes += Size;
    return true;
  }

  void setLimit(std::size_t Max) {
    std::lock_guard<std::mutex> Lock(Mu);
    Limit.store(Max, std::memory_order_relaxed);
    shrinkTo(Max);
  }

  void empty() {
    std::lock_guard<std::mutex> Lock(Mu);
    shrinkTo(0);
  }

  CacheStats stats() {
    std::lock_guard<std::mutex> Lock(Mu);
    CacheStats St;
    St.CachedBytes = Bytes;
    St.CachedBuffers = Count;
    St.Hits = Hits;
    St.Misses = Misses;
    St.Limit = limit();
    return St;
  }

private:
  /// Frees the largest cached buffers until at most Max bytes remain: they
  /// give back the most memory per free and are the least likely to be asked
  /// for again by a workload whose sizes changed. Must hold Mu.
  void shrinkTo(std::size_t Max) {
    for (int L = NumLargeClasses - 1; L >= 0 && Bytes > Max; --L)
      while (Head[L] && Bytes > Max) {
        Storage *S = Head[L];
        Head[L] = nextOf(S);
        --Count;
        Bytes -= bytesOf(classFloats(L + NumSmallClasses));
        std::free(S);
      }
  }

  std::mutex Mu;
  std::atomic<std::size_t> Limit{0};
  Storage *Head[NumLargeClasses] = {};
  std::size_t Count = 0, Bytes = 0;
  std::uint64_t Hits = 0, Misses = 0;
};

/// Never destroyed, so tensors dropped during static destruction still find
/// it; what it holds at exit is reclaimed with the process.
LargeCache &largeCache() {
  static LargeCache *Cache = new LargeCache;
  return *Cache;
}

//===--- Per-thread lists of small buffers --------------------------------===//
//
// The list heads are trivially destructible thread_locals (usable at any point
// of thread exit); a separate thread_local with a destructor returns the
// cached buffers to malloc when the thread ends. A buffer freed on another
// thread than the one that allocated it simply joins the freeing thread's
// list.

struct SmallLists {
  Storage *Head[NumSmallClasses];
  int Count[NumSmallClasses];
  bool DrainerRegistered;
  bool ThreadExiting;
};
thread_local SmallLists Small;

void drainSmallLists() {
  for (int C = 0; C < NumSmallClasses; ++C) {
    while (Storage *S = Small.Head[C]) {
      Small.Head[C] = nextOf(S);
      std::free(S);
    }
    Small.Count[C] = 0;
  }
}

struct SmallDrainer {
  ~SmallDrainer() {
    Small.ThreadExiting = true;
    drainSmallLists();
  }
};
thread_local SmallDrainer Drainer;

} // namespace

namespace detail {
Storage *allocateStorage(std::int64_t Numel) {
  const int C = sizeClassOf(Numel);
  Storage *S = nullptr;
  if (C >= 0 && C < NumSmallClasses) {
    if ((S = Small.Head[C])) {
      Small.Head[C] = nextOf(S);
      --Small.Count[C];
    }
  } else if (C >= 0) {
    S = largeCache().take(C);
  }
  if (!S)
    S = mallocStorage(C >= 0 ? classFloats(C) : Numel, C);
  S->RefCount.store(1, std::memory_order_relaxed);
  return S;
}

void freeStorage(Storage *S) {
  const int C = S->SizeClass;
  if (C < 0 || largeCache().limit() == 0) {
    std::free(S);
    return;
  }
  if (C >= NumSmallClasses) {
    if (!largeCache().put(S))
      std::free(S);
    return;
  }
  if (Small.ThreadExiting || Small.Count[C] >= MaxCachedPerSmallClass) {
    std::free(S);
    return;
  }
  if (!Small.DrainerRegistered) {
    // Touching the thread_local constructs it, which registers its
    // destructor for this thread's exit.
    (void)&Drainer;
    Small.DrainerRegistered = true;
  }
  nextOf(S) = Small.Head[C];
  Small.Head[C] = S;
  ++Small.Count[C];
}
} // namespace detail

CacheStats cache_stats() { return largeCache().stats(); }

void empty_cache() {
  largeCache().empty();
  drainSmallLists();
}

void set_cache_limit(std::size_t Bytes) {
  largeCache().setLimit(Bytes);
  if (Bytes == 0)
    drainSmallLists();
}

std::size_t cache_limit() { return largeCache().limit(); }

} // namespace adjoint
