// A NoGradGuard inside a nested block (a `{ }` block, a branch, a loop body)
// is scoped to that block, like PyTorch's `with torch.no_grad():` block:
// what is computed in the block after the guard gets no gradient, and
// everything after the block is differentiated again.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -fplugin-arg-adjoint-dump %s -o %t/run %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s --check-prefix=GEN < %t/dump.txt
// RUN: %t/run | FileCheck %s
#include <adjoint/adjoint.h>
#include <adjoint/tensor_gradcheck.h>

#include <cstdio>
#include <vector>

using adjoint::Tensor;

// with torch.no_grad(): stats = mean(h)  -- stats is a constant. Two such
// blocks, each with its own guard.
ADJOINT_GRAD(w)
Tensor block(const Tensor &x, const Tensor &w) {
  Tensor h = x * w;
  Tensor stats = h;
  {
    adjoint::NoGradGuard guard;
    stats = mean(h);
  }
  Tensor out = h - stats;
  Tensor scale = out;
  {
    adjoint::NoGradGuard guard;
    scale = sum(out * out) * 0 + 1;
  }
  return sum(out * out * scale);
}
// GEN-LABEL: block_vjp(
// GEN-NOT:   mean_pullback
// GEN:       ::adjoint::derivatives::sub_pullback(h, stats, _d_out, _d_h, _d_stats);
// GEN-NOT:   mean_pullback
// GEN:       return _ret0;

// The guard in one branch only: the other branch is differentiated.
ADJOINT_GRAD(w)
Tensor branch(const Tensor &x, const Tensor &w, bool frozen) {
  Tensor h = x * w;
  Tensor s = h;
  if (frozen) {
    adjoint::NoGradGuard guard;
    s = h * h;
  } else {
    s = h * h;
  }
  if (!frozen) {
    adjoint::NoGradGuard guard; // a second guard of the same name
    Tensor norm = sqrt(sum(h * h));
    std::printf("norm %.3f\n", norm.item());
  }
  return sum(s + h);
}
// GEN-LABEL: branch_vjp(
// GEN:       if (_c0) {
// GEN:       if (_c0) {
// GEN-NEXT:    ::adjoint::Tensor _r0 = std::move(_d_s);
// GEN-NEXT:  }
// GEN-NEXT:  else {
// GEN:         mul_pullback(h, h,
// GEN:       return _ret0;

// The guard in a loop body, before the update that is to stay constant.
ADJOINT_GRAD(w)
Tensor loop(const Tensor &x, const Tensor &w, int n) {
  Tensor h = x;
  Tensor c = x;
  for (int i = 0; i < n; ++i) {
    h = tanh(h * w);
    adjoint::NoGradGuard guard;
    c = c + h;
  }
  return sum(h * c);
}

namespace {
int Failures = 0;

/// Compares \p Analytic with finite differences of \p F at \p Inputs.
void check(const char *Name, const adjoint::TensorFunction &F,
           const std::vector<Tensor> &Inputs,
           const std::vector<Tensor> &Analytic) {
  adjoint::TensorGradcheckOptions Options;
  Options.Name = Name;
  Failures += !adjoint::gradcheck(F, Inputs, Analytic, Options);
}

/// Values in [0.2, 1.2), varied.
Tensor ramp(std::int64_t N, int Salt) {
  Tensor T = adjoint::empty({N});
  for (std::int64_t I = 0; I < N; ++I)
    T.data()[I] = 0.2f + float((I * 7 + Salt * 3) % 10) / 10;
  return T;
}
} // namespace

int main() {
  Tensor x = ramp(4, 1), w = ramp(4, 2);
  // stats is a constant: d/dw sum((h - c)^2) = 2 (h - c) x with c = mean(h).
  Tensor dw;
  block_grad(x, w, dw);
  Tensor h = x * w, c = mean(h);
  Tensor want = (h - c) * x * 2.0f;
  float err = 0;
  for (int I = 0; I < 4; ++I)
    err = std::fmax(err, std::fabs(dw.data()[I] - want.data()[I]));
  // CHECK: block: closed form ok
  std::printf("block: closed form %s\n", err < 1e-5f ? "ok" : "FAILED");
  Failures += err >= 1e-5f;

  // Not frozen: d/dw sum(h^2 + h) = (2h + 1) x, checked by finite differences.
  Tensor db;
  branch_grad(x, w, false, db);
  // CHECK: norm
  // CHECK: branch: ok
  check("branch", [&](const std::vector<Tensor> &In) {
    return branch(x, In[0], false);
  }, {w}, {db});
  // Frozen: only the `+ h` term: d/dw = x.
  Tensor df;
  branch_grad(x, w, true, df);
  err = 0;
  for (int I = 0; I < 4; ++I)
    err = std::fmax(err, std::fabs(df.data()[I] - x.data()[I]));
  // CHECK: branch frozen: closed form ok
  std::printf("branch frozen: closed form %s\n", err < 1e-6f ? "ok" : "FAILED");
  Failures += err >= 1e-6f;

  // In the loop, c is a constant (the finite differences of a function in
  // which c is computed from a frozen copy of w give the same gradient).
  Tensor dl;
  loop_grad(x, w, 3, dl);
  Tensor cFrozen = x, hh = x;
  for (int i = 0; i < 3; ++i) {
    hh = tanh(hh * w);
    cFrozen = cFrozen + hh;
  }
  // CHECK: loop: ok
  check("loop", [&](const std::vector<Tensor> &In) {
    Tensor hl = x;
    for (int i = 0; i < 3; ++i)
      hl = tanh(hl * In[0]);
    return sum(hl * cFrozen);
  }, {w}, {dl});
  std::printf("%s\n", Failures ? "FAILED" : "all passed");
  return Failures ? 1 : 0;
}
