//===- tensor_gradcheck.cpp - Gradient checks for tensors -----------------===//

#include "adjoint/tensor_gradcheck.h"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <stdexcept>

namespace adjoint {

namespace {
/// sum(Y * Seed) in double (Seed undefined means ones).
double reduce(const Tensor &Y, const Tensor &Seed) {
  if (Seed.defined() && Seed.shape() != Y.shape())
    throw std::invalid_argument(
        "gradcheck: seed of shape " + Seed.shape().str() +
        " does not match the output's shape " + Y.shape().str());
  double Acc = 0;
  for (std::int64_t I = 0; I < Y.numel(); ++I)
    Acc += static_cast<double>(Y.data()[I]) *
           (Seed.defined() ? Seed.data()[I] : 1.0f);
  return Acc;
}
} // namespace

std::vector<Tensor> numericTensorGradient(const TensorFunction &F,
                                          const std::vector<Tensor> &Inputs,
                                          const Tensor &Seed, double Eps) {
  // Perturb private copies so the caller's tensors (and anything sharing
  // their storage) stay untouched.
  std::vector<Tensor> X;
  for (const Tensor &In : Inputs)
    X.push_back(In.clone());
  std::vector<Tensor> Gradients;
  for (Tensor &In : X) {
    Tensor G = zeros_like(In);
    for (std::int64_t I = 0; I < In.numel(); ++I) {
      float Original = In.data()[I];
      double H = Eps * std::max(1.0, std::fabs(static_cast<double>(Original)));
      float Plus = static_cast<float>(Original + H);
      float Minus = static_cast<float>(Original - H);
      In.data()[I] = Plus;
      double FPlus = reduce(F(X), Seed);
      In.data()[I] = Minus;
      double FMinus = reduce(F(X), Seed);
      In.data()[I] = Original;
      // Divide by the step float could represent, not the one requested.
      G.data()[I] =
          static_cast<float>((FPlus - FMinus) / (static_cast<double>(Plus) -
                                                 static_cast<double>(Minus)));
    }
    Gradients.push_back(G);
  }
  return Gradients;
}

bool gradcheck(const TensorFunction &F, const std::vector<Tensor> &Inputs,
               const std::vector<Tensor> &Analytic, std::ostream &Out,
               const TensorGradcheckOptions &Options, const Tensor &Seed) {
  bool Ok = Analytic.size() == Inputs.size();
  if (!Ok)
    Out << Options.Name << ": " << Analytic.size() << " gradients for "
        << Inputs.size() << " inputs\n";
  for (std::size_t K = 0; Ok && K < Inputs.size(); ++K)
    if (Analytic[K].defined() && Analytic[K].shape() != Inputs[K].shape()) {
      Out << Options.Name << ": gradient " << K << " has shape "
          << Analytic[K].shape() << ", input has shape " << Inputs[K].shape()
          << "\n";
      Ok = false;
    }
  if (Ok) {
    std::vector<Tensor> Numeric =
        numericTensorGradient(F, Inputs, Seed, Options.Eps);
    for (std::size_t K = 0; K < Inputs.size(); ++K)
      for (std::int64_t I = 0; I < Inputs[K].numel(); ++I) {
        double A = Analytic[K].defined() ? Analytic[K].data()[I] : 0.0;
        double N = Numeric[K].data()[I];
        if (std::fabs(A - N) <= Options.Atol + Options.Rtol * std::fabs(N))
          continue;
        Out << Options.Name << ": input " << K << " element " << I
            << ": analytic " << A << ", numeric " << N << "\n";
        Ok = false;
      }
  }
  Out << Options.Name << (Ok ? ": ok\n" : ": FAILED\n");
  return Ok;
}

bool gradcheck(const TensorFunction &F, const std::vector<Tensor> &Inputs,
               const std::vector<Tensor> &Analytic,
               const TensorGradcheckOptions &Options, const Tensor &Seed) {
  return gradcheck(F, Inputs, Analytic, std::cout, Options, Seed);
}

} // namespace adjoint
