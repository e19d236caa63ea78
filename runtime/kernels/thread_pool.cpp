//===- thread_pool.cpp - Small fork-join pool for the kernels -------------===//

#include "runtime/kernels/thread_pool.h"
#include "runtime/kernels/kernels.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#ifdef __linux__
#include <sched.h>
#endif

namespace adjoint {
namespace kernels {
namespace {

/// Workers sleep on a condition variable between loops; each loop is a new
/// "generation" so a worker never runs the same loop twice.
class Pool {
public:
  ~Pool() {
    {
      std::lock_guard<std::mutex> Lock(Mu);
      Stopping = true;
    }
    Wake.notify_all();
    for (std::thread &T : Workers)
      T.join();
  }

  /// Serialises whole loops: a second caller gets false and runs serially.
  bool tryAcquire() { return Busy.try_lock(); }
  void release() { Busy.unlock(); }

  /// Runs one loop with Helpers pooled workers plus the caller. Must hold
  /// the pool (tryAcquire).
  void run(int Helpers, std::int64_t Count,
           const std::function<void(std::int64_t)> &Fn) {
    grow(Helpers);
    {
      std::lock_guard<std::mutex> Lock(Mu);
      Job = &Fn;
      JobCount = Count;
      Next.store(0, std::memory_order_relaxed);
      Active = Helpers;
      Pending = Helpers;
      ++Generation;
    }
    Wake.notify_all();
    drain();
    std::unique_lock<std::mutex> Lock(Mu);
    Done.wait(Lock, [&] { return Pending == 0; });
    Job = nullptr;
  }

private:
  void grow(int Helpers) {
    while (static_cast<int>(Workers.size()) < Helpers) {
      int Index = static_cast<int>(Workers.size());
      // Only the pool's holder changes Generation, so reading it is safe; a
      // new worker must not mistake an old loop for a new one.
      std::uint64_t Seen = Generation;
      Workers.emplace_back([this, Index, Seen] { workerLoop(Index, Seen); });
    }
  }

  void drain() {
    for (;;) {
      std::int64_t I = Next.fetch_add(1, std::memory_order_relaxed);
      if (I >= JobCount)
        return;
      (*Job)(I);
    }
  }

  void workerLoop(int Index, std::uint64_t Seen) {
    for (;;) {
      {
        std::unique_lock<std::mutex> Lock(Mu);
        Wake.wait(Lock, [&] { return Stopping || Generation != Seen; });
        if (Stopping)
          return;
        Seen = Generation;
        // Workers beyond this loop's thread count sit it out.
        if (Index >= Active)
          continue;
      }
      drain();
      std::lock_guard<std::mutex> Lock(Mu);
      if (--Pending == 0)
        Done.notify_one();
    }
  }

  std::mutex Busy;
  std::mutex Mu;
  std::condition_variable Wake, Done;
  std::vector<std::thread> Workers;
  const std::function<void(std::int64_t)> *Job = nullptr;
  std::int64_t JobCount = 0;
  std::atomic<std::int64_t> Next{0};
  int Active = 0;
  int Pending = 0;
  std::uint64_t Generation = 0;
  bool Stopping = false;
};

Pool &pool() {
  static Pool P;
  return P;
}

/// 0 until set_num_threads or the first get_num_threads.
std::atomic<int> NumThreads{0};

} // namespace

void set_num_threads(int Threads) {
  NumThreads.store(Threads > 0 ? Threads : default_num_threads(),
                   std::memory_order_relaxed);
}

int get_num_threads() {
  int Threads = NumThreads.load(std::memory_order_relaxed);
  if (Threads == 0) {
    Threads = default_num_threads();
    int Unset = 0;
    if (!NumThreads.compare_exchange_strong(Unset, Threads,
                                            std::memory_order_relaxed))
      Threads = Unset;
  }
  return Threads;
}

int default_num_threads() {
  if (const char *Env = std::getenv("ADJOINT_NUM_THREADS")) {
    int N = std::atoi(Env);
    if (N > 0)
      return N;
  }
#ifdef __linux__
  cpu_set_t Set;
  if (sched_getaffinity(0, sizeof(Set), &Set) == 0 && CPU_COUNT(&Set) > 0)
    return CPU_COUNT(&Set);
#endif
  return std::max(1u, std::thread::hardware_concurrency());
}

void parallel_for(int Threads, std::int64_t Count,
                  const std::function<void(std::int64_t)> &Fn) {
  Pool &P = pool();
  if (Threads <= 1 || Count <= 1 || !P.tryAcquire()) {
    for (std::int64_t I = 0; I < Count; ++I)
      Fn(I);
    return;
  }
  int Helpers =
      static_cast<int>(std::min<std::int64_t>(Threads - 1, Count - 1));
  P.run(Helpers, Count, Fn);
  P.release();
}

} // namespace kernels
} // namespace adjoint
