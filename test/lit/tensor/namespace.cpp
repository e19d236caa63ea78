// Generated code spells the tensor type as ::adjoint::Tensor, so it compiles
// in a user namespace that spells adjoint::Tensor fully qualified without a
// using-declaration, even when that namespace has a Tensor of its own.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -fplugin-arg-adjoint-dump %s -o %t/run %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s --check-prefix=GEN < %t/dump.txt
// RUN: %t/run | FileCheck %s
#include <adjoint/adjoint.h>
#include <adjoint/tensor_gradcheck.h>

#include <cstdio>
#include <vector>

namespace net {

// Not the tensor type: a bare `Tensor` in generated code would name this.
struct Tensor {};

// A helper with a body, whose pullback is generated in this namespace.
adjoint::Tensor layer(const adjoint::Tensor &h, const adjoint::Tensor &w) {
  return adjoint::tanh(adjoint::matmul(h, w));
}

ADJOINT_GRAD(w, b)
adjoint::Tensor deep(const adjoint::Tensor &x, const adjoint::Tensor &w,
                     const adjoint::Tensor &b, int n) {
  adjoint::Tensor h = x;
  for (int i = 0; i < n; ++i)
    h = layer(h, w) + b;
  return adjoint::sum(h * h);
}

} // namespace net

// GEN-LABEL: ::adjoint::Tensor deep_vjp(
// GEN:       ::adjoint::Tensor _t0;
// GEN-NEXT:  ::adjoint::ObjectTape<::adjoint::Tensor> _tape_objects0;
// GEN-NOT:   {{^ *}}Tensor {{_[a-z]}}
// GEN:       return _ret0;

int main() {
  adjoint::Tensor x = adjoint::full({2, 3}, 0.3f);
  adjoint::Tensor w = adjoint::eye(3) * 0.5f, b = adjoint::full({3}, -0.2f);
  for (std::int64_t I = 0; I < w.numel(); ++I)
    w.data()[I] += 0.1f * float(I % 4);
  adjoint::Tensor dw, db;
  net::deep_grad(x, w, b, 3, dw, db);
  adjoint::TensorFunction F = [&](const std::vector<adjoint::Tensor> &In) {
    return net::deep(x, In[0], In[1], 3);
  };
  // CHECK: gradcheck passed
  bool Ok = adjoint::gradcheck(F, {w, b}, {dw, db});
  std::printf("gradcheck %s\n", Ok ? "passed" : "FAILED");
  return Ok ? 0 : 1;
}
