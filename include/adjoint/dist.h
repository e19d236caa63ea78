//===- adjoint/dist.h - Data-parallel training over MPI ---------*- C++ -*-===//
//
// Data-parallel training on several processes (one machine or many), like
// torch.distributed with its MPI backend: every process holds the same
// parameters, computes gradients on its own slice of each batch, averages
// them with all_reduce_mean and takes the same optimizer step. Link
// adjoint_dist; run with `mpirun -np <processes> <program>`.
//
// MPI (OpenMPI, Debian's libopenmpi-dev) is optional at build time: without
// it adjoint_dist is a world of one process (rank 0, size 1, averaging is a
// no-op) and available() is false, so the same program runs serially.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_DIST_H
#define ADJOINT_DIST_H

#include "adjoint/tensor_core.h"

#include <functional>
#include <vector>

namespace adjoint {
namespace dist {

/// Whether adjoint_dist was built with MPI.
bool available();

/// Starts the process group (MPI_Init), passing the program's arguments to
/// MPI; a second call does nothing. Throws std::runtime_error when MPI
/// fails to start.
void init(int *Argc = nullptr, char ***Argv = nullptr);

/// Whether init has been called and finalize has not.
bool is_initialized();

/// Ends the process group (MPI_Finalize); init must have been called.
void finalize();

/// This process's index in [0, world_size()); throws std::logic_error before
/// init.
int rank();

/// The number of processes; throws std::logic_error before init.
int world_size();

/// Replaces \p T_, on every process, by the mean over the processes of their
/// \p T_; every process must pass the same shape (std::invalid_argument
/// otherwise, when it can tell).
void all_reduce_mean(Tensor &T_);

/// all_reduce_mean of every tensor of \p Ts in one message (a gradient
/// list); undefined tensors are not allowed.
void all_reduce_mean(const std::vector<std::reference_wrapper<Tensor>> &Ts);

/// Copies \p T_ from process \p Root to every process (for example initial
/// parameters); \p T_ must be defined with the same shape everywhere.
void broadcast(Tensor &T_, int Root = 0);

/// Waits until every process reaches the barrier.
void barrier();

} // namespace dist
} // namespace adjoint

#endif // ADJOINT_DIST_H
