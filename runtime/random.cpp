//===- random.cpp - Random tensors ----------------------------------------===//

#include "tensor_internal.h"

#include <cmath>
#include <mutex>
#include <random>

namespace adjoint {

namespace {
/// PyTorch's default seed, used until manual_seed is called.
constexpr std::uint64_t DefaultSeed = 67280421310721ULL;

struct Generator {
  std::mutex Lock;
  std::mt19937_64 Engine{DefaultSeed};
};

Generator &globalGenerator() {
  static Generator G;
  return G;
}

/// A double uniform in [0, 1) from the top 53 bits of one engine output.
double uniform53(std::mt19937_64 &E) {
  return static_cast<double>(E() >> 11) * 0x1.0p-53;
}
} // namespace

void manual_seed(std::uint64_t Seed) {
  Generator &G = globalGenerator();
  std::lock_guard<std::mutex> Guard(G.Lock);
  G.Engine.seed(Seed);
}

Tensor rand(const Shape &S) {
  Tensor T = empty(S);
  Generator &G = globalGenerator();
  std::lock_guard<std::mutex> Guard(G.Lock);
  float *Out = T.data();
  // The top 24 bits give every float in [0, 1) on a 2^-24 grid, never 1.
  for (std::int64_t I = 0; I < T.numel(); ++I)
    Out[I] = static_cast<float>(G.Engine() >> 40) * 0x1.0p-24f;
  return T;
}

Tensor randn(const Shape &S) {
  Tensor T = empty(S);
  Generator &G = globalGenerator();
  std::lock_guard<std::mutex> Guard(G.Lock);
  float *Out = T.data();
  const double TwoPi = 6.283185307179586476925;
  // Box-Muller turns two uniforms into two independent normals; 1 - U1 lies
  // in (0, 1], keeping the logarithm finite.
  for (std::int64_t I = 0; I < T.numel(); I += 2) {
    double U1 = 1.0 - uniform53(G.Engine);
    double U2 = uniform53(G.Engine);
    double Radius = std::sqrt(-2.0 * std::log(U1));
    Out[I] = static_cast<float>(Radius * std::cos(TwoPi * U2));
    if (I + 1 < T.numel())
      Out[I + 1] = static_cast<float>(Radius * std::sin(TwoPi * U2));
  }
  return T;
}

Tensor rand_like(const Tensor &T) {
  detail::checkDefined("rand_like", T);
  return rand(T.shape());
}

Tensor randn_like(const Tensor &T) {
  detail::checkDefined("randn_like", T);
  return randn(T.shape());
}

} // namespace adjoint
