//===- tensor_factories.cpp - Creating tensors ----------------------------===//

#include "tensor_internal.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace adjoint {

Tensor full(const Shape &S, float Value) {
  Tensor T = empty(S);
  std::fill(T.data(), T.data() + T.numel(), Value);
  return T;
}

Tensor ones(const Shape &S) { return full(S, 1.0f); }
Tensor zeros(const Shape &S) { return full(S, 0.0f); }

Tensor full_like(const Tensor &T, float Value) {
  detail::checkDefined("full_like", T);
  return full(T.shape(), Value);
}
Tensor ones_like(const Tensor &T) { return full_like(T, 1.0f); }
Tensor zeros_like(const Tensor &T) { return full_like(T, 0.0f); }

Tensor eye(std::int64_t N) { return eye(N, N); }

Tensor eye(std::int64_t N, std::int64_t M) {
  Tensor T = zeros({N, M});
  for (std::int64_t I = 0; I < std::min(N, M); ++I)
    T.data()[I * M + I] = 1.0f;
  return T;
}

Tensor arange(std::int64_t N) {
  return arange(0.0, static_cast<double>(N), 1.0);
}

Tensor arange(double Start, double End, double Step) {
  if (Step == 0)
    detail::throwInvalid("arange", "step must be nonzero");
  if ((End - Start) * Step < 0)
    detail::throwInvalid("arange", "upper bound and larger bound inconsistent "
                                   "with step sign");
  auto N = static_cast<std::int64_t>(std::ceil((End - Start) / Step));
  Tensor T = empty({N});
  // PyTorch computes each value as start + i * step in double.
  for (std::int64_t I = 0; I < N; ++I)
    T.data()[I] = static_cast<float>(Start + static_cast<double>(I) * Step);
  return T;
}

namespace {
/// Appends the numbers of \p List depth-first after checking that it is
/// rectangular with the sizes \p S (from depth \p Depth on), with
/// torch.tensor's messages.
void collect(const NestedList &List, std::size_t Depth, const Shape &S,
             std::vector<float> &Out) {
  auto Where = [&] { return " at dim " + std::to_string(Depth); };
  if (Depth == S.size()) {
    if (List.isList())
      detail::throwInvalid("tensor",
                           "expected a number" + Where() + " (got a sequence)");
    Out.push_back(List.value());
    return;
  }
  if (!List.isList())
    detail::throwInvalid("tensor",
                         "expected a sequence" + Where() + " (got a number)");
  auto Length = static_cast<std::int64_t>(List.items().size());
  if (Length != S[Depth])
    detail::throwInvalid("tensor", "expected sequence of length " +
                                       std::to_string(S[Depth]) + Where() +
                                       " (got " + std::to_string(Length) + ")");
  for (const NestedList &Item : List.items())
    collect(Item, Depth + 1, S, Out);
}
} // namespace

Tensor tensor(const NestedList &Values) {
  // A number: the 0-D results of losses and reductions take this path.
  if (!Values.isList()) {
    Tensor T = empty(Shape());
    T.data()[0] = Values.value();
    return T;
  }
  // The first element at each depth gives the sizes; collect checks the rest.
  Shape S;
  for (const NestedList *L = &Values; L->isList(); L = L->items().begin()) {
    S.push_back(static_cast<std::int64_t>(L->items().size()));
    if (L->items().size() == 0)
      break;
  }
  std::vector<float> Flat;
  collect(Values, 0, S, Flat);
  return tensor(Flat, S);
}

Tensor tensor(const std::vector<float> &Values, const Shape &S) {
  Tensor T = empty(S);
  if (static_cast<std::int64_t>(Values.size()) != T.numel())
    detail::throwInvalid("tensor", std::to_string(Values.size()) +
                                       " values cannot fill shape " + S.str());
  if (!Values.empty())
    std::memcpy(T.data(), Values.data(), Values.size() * sizeof(float));
  return T;
}

Tensor from_vector(const std::vector<float> &Values, const Shape &S) {
  return tensor(Values, S);
}

} // namespace adjoint
