//===- threads.cpp - The public thread-count setting ----------------------===//

#include "adjoint/threads.h"
#include "runtime/kernels/kernels.h"

namespace adjoint {

void set_num_threads(int Threads) { kernels::set_num_threads(Threads); }

int get_num_threads() { return kernels::get_num_threads(); }

} // namespace adjoint
