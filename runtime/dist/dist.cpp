//===- dist.cpp - adjoint::dist on MPI, or a world of one process ---------===//
//
// With ADJOINT_HAVE_MPI the collectives are MPI's; otherwise a world of a
// single process, where averaging and broadcasting leave tensors as they are.
//
//===----------------------------------------------------------------------===//

#include "adjoint/dist.h"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>

#ifdef ADJOINT_HAVE_MPI
#include <mpi.h>
#endif

namespace adjoint {
namespace dist {
namespace {

bool Initialized = false;

void checkInitialized(const char *Op) {
  if (!Initialized)
    throw std::logic_error(std::string("dist::") + Op +
                           ": call adjoint::dist::init first");
}

void checkDefined(const char *Op, const Tensor &T) {
  if (!T.defined())
    throw std::invalid_argument(std::string("dist::") + Op +
                                ": expected a defined tensor, got an "
                                "undefined one");
}

#ifdef ADJOINT_HAVE_MPI
void check(int Code, const char *Op) {
  if (Code == MPI_SUCCESS)
    return;
  char Message[MPI_MAX_ERROR_STRING];
  int Length = 0;
  MPI_Error_string(Code, Message, &Length);
  throw std::runtime_error(std::string("dist::") + Op + ": " +
                           std::string(Message, Length));
}

/// Fails on every process alike when the processes disagree on \p Count.
void checkSameCount(const char *Op, std::int64_t Count) {
  std::int64_t MinMax[2] = {-Count, Count}, Reduced[2];
  check(MPI_Allreduce(MinMax, Reduced, 2, MPI_INT64_T, MPI_MAX, MPI_COMM_WORLD),
        Op);
  if (-Reduced[0] != Reduced[1])
    throw std::invalid_argument(
        std::string("dist::") + Op +
        ": the processes pass different numbers of elements (" +
        std::to_string(-Reduced[0]) + " to " + std::to_string(Reduced[1]) +
        ")");
}

/// In place sum of \p Count floats over the processes, then division by the
/// number of processes.
void allReduceMean(const char *Op, float *Data, std::int64_t Count) {
  checkSameCount(Op, Count);
  if (Count == 0)
    return;
  // MPI counts are int: large buffers go in slices.
  const std::int64_t Slice = std::int64_t{1} << 30;
  for (std::int64_t Off = 0; Off < Count; Off += Slice) {
    int N = static_cast<int>(std::min(Slice, Count - Off));
    check(MPI_Allreduce(MPI_IN_PLACE, Data + Off, N, MPI_FLOAT, MPI_SUM,
                        MPI_COMM_WORLD),
          Op);
  }
  const float Scale = 1.0f / static_cast<float>(world_size());
  for (std::int64_t I = 0; I < Count; ++I)
    Data[I] *= Scale;
}
#endif

} // namespace

bool available() {
#ifdef ADJOINT_HAVE_MPI
  return true;
#else
  return false;
#endif
}

void init(int *Argc, char ***Argv) {
  if (Initialized)
    return;
#ifdef ADJOINT_HAVE_MPI
  int Already = 0;
  MPI_Initialized(&Already);
  if (!Already)
    check(MPI_Init(Argc, Argv), "init");
#else
  (void)Argc;
  (void)Argv;
#endif
  Initialized = true;
}

bool is_initialized() { return Initialized; }

void finalize() {
  checkInitialized("finalize");
#ifdef ADJOINT_HAVE_MPI
  check(MPI_Finalize(), "finalize");
#endif
  Initialized = false;
}

int rank() {
  checkInitialized("rank");
#ifdef ADJOINT_HAVE_MPI
  int R = 0;
  check(MPI_Comm_rank(MPI_COMM_WORLD, &R), "rank");
  return R;
#else
  return 0;
#endif
}

int world_size() {
  checkInitialized("world_size");
#ifdef ADJOINT_HAVE_MPI
  int S = 1;
  check(MPI_Comm_size(MPI_COMM_WORLD, &S), "world_size");
  return S;
#else
  return 1;
#endif
}

void all_reduce_mean(Tensor &T) {
  checkInitialized("all_reduce_mean");
  checkDefined("all_reduce_mean", T);
#ifdef ADJOINT_HAVE_MPI
  allReduceMean("all_reduce_mean", T.data(), T.numel());
#endif
}

void all_reduce_mean(const std::vector<std::reference_wrapper<Tensor>> &Ts) {
  checkInitialized("all_reduce_mean");
  std::int64_t Total = 0;
  for (Tensor &T : Ts) {
    checkDefined("all_reduce_mean", T);
    Total += T.numel();
  }
#ifdef ADJOINT_HAVE_MPI
  // One message for the whole list: a collective per small tensor would cost
  // a round trip each.
  Tensor Packed = empty({Total});
  float *P = Packed.data();
  for (Tensor &T : Ts) {
    std::copy(T.data(), T.data() + T.numel(), P);
    P += T.numel();
  }
  allReduceMean("all_reduce_mean", Packed.data(), Total);
  P = Packed.data();
  for (Tensor &T : Ts) {
    std::copy(P, P + T.numel(), T.data());
    P += T.numel();
  }
#else
  (void)Total;
#endif
}

void broadcast(Tensor &T, int Root) {
  checkInitialized("broadcast");
  checkDefined("broadcast", T);
#ifdef ADJOINT_HAVE_MPI
  checkSameCount("broadcast", T.numel());
  const std::int64_t Slice = std::int64_t{1} << 30;
  for (std::int64_t Off = 0; Off < T.numel(); Off += Slice) {
    int N = static_cast<int>(std::min(Slice, T.numel() - Off));
    check(MPI_Bcast(T.data() + Off, N, MPI_FLOAT, Root, MPI_COMM_WORLD),
          "broadcast");
  }
#else
  if (Root != 0)
    throw std::invalid_argument("dist::broadcast: root " +
                                std::to_string(Root) +
                                " is not a process of a world of one");
#endif
}

void barrier() {
  checkInitialized("barrier");
#ifdef ADJOINT_HAVE_MPI
  check(MPI_Barrier(MPI_COMM_WORLD), "barrier");
#endif
}

} // namespace dist
} // namespace adjoint
