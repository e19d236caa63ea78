//===- adjoint/threads.h - How many threads the runtime uses ----*- C++ -*-===//
//
// Large matrix products, elementwise operations and BCE losses split their
// work across a pool of threads (the calling thread included); small ones run
// on the caller, where waking threads would cost more than it saves. Like
// torch.set_num_threads, the setting is process-wide.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_THREADS_H
#define ADJOINT_THREADS_H

namespace adjoint {

/// Sets how many threads large operations may use; 1 runs everything on the
/// calling thread, 0 or less restores the default: the environment variable
/// ADJOINT_NUM_THREADS when set, else the CPUs the process may run on (the
/// hardware concurrency, restricted by an affinity mask such as taskset's).
void set_num_threads(int Threads);

/// How many threads large operations may use.
int get_num_threads();

} // namespace adjoint

#endif // ADJOINT_THREADS_H
