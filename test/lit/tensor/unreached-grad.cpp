// A differentiated parameter that the result does not depend on gets no
// gradient: its d_p stays undefined, like PyTorch's .grad staying None. It
// prints as such, and using it throws an error that says it is undefined.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -fplugin-arg-adjoint-dump %s -o %t/run %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s --check-prefix=GEN < %t/dump.txt
// RUN: %t/run | FileCheck %s
#include <adjoint/adjoint.h>

#include <functional>
#include <iostream>
#include <stdexcept>

using adjoint::Tensor;

// unused_w is differentiated but never used; frozen_w only reaches the result
// through detach().
ADJOINT_GRAD(w, unused_w, frozen_w)
Tensor f(const Tensor &x, const Tensor &w, const Tensor &unused_w,
         const Tensor &frozen_w) {
  return sum(matmul(x, w) + matmul(x, frozen_w.detach()));
}
// Nothing is ever written to the adjoints of the other two.
// GEN-LABEL: f_vjp({{.*}}, ::adjoint::Tensor &_d_frozen_w) {
// GEN-NOT:   _d_unused_w
// GEN-NOT:   _d_frozen_w
// GEN:       return _ret0;

namespace {
/// Runs \p Use and prints the message of the exception it throws.
void expectThrow(const char *What, const std::function<void()> &Use) {
  try {
    Use();
    std::cout << What << ": no error\n";
  } catch (const std::exception &E) {
    std::cout << What << ": " << E.what() << "\n";
  }
}
} // namespace

int main() {
  Tensor x = adjoint::ones({2, 3}), w = adjoint::ones({3, 2});
  Tensor dw, dunused, dfrozen;
  f_grad(x, w, w, w, dw, dunused, dfrozen);
  // CHECK: dw defined: 1
  // CHECK-NEXT: dunused defined: 0
  // CHECK-NEXT: dfrozen defined: 0
  std::cout << "dw defined: " << dw.defined() << "\n";
  std::cout << "dunused defined: " << dunused.defined() << "\n";
  std::cout << "dfrozen defined: " << dfrozen.defined() << "\n";
  // Like print(w.grad) printing None.
  // CHECK-NEXT: [ Tensor (undefined) ]
  std::cout << dunused << "\n";
  // CHECK-NEXT: numel 0
  std::cout << "numel " << dunused.numel() << "\n";
  // CHECK-NEXT: add: mul: expected a defined tensor, got an undefined one
  expectThrow("add", [&] { Tensor s = w - dunused * 0.1f; });
  // CHECK-NEXT: item: item: expected a defined tensor, got an undefined one
  expectThrow("item", [&] { dunused.item(); });
  // CHECK-NEXT: at: at: the tensor is undefined
  expectThrow("at", [&] { dunused.at({0, 0}); });
  // CHECK-NEXT: zero_: fill_: expected a defined tensor, got an undefined one
  expectThrow("zero_", [&] { dunused.zero_(); });
  // CHECK-NEXT: add_: add_: expected a defined tensor, got an undefined one
  expectThrow("add_", [&] { dunused.add_(w); });
  // A second call still leaves them undefined and doubles dw.
  f_grad(x, w, w, w, dw, dunused, dfrozen);
  // CHECK-NEXT: after two calls: 4 0 0
  std::cout << "after two calls: " << dw.at({0, 0}) << " " << dunused.defined()
            << " " << dfrozen.defined() << "\n";
}
