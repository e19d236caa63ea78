// Shape errors in differentiated tensor code throw std::invalid_argument at
// run time, naming the op and the shapes: in the forward ops, for a seed of
// the wrong shape, and for a gradient tensor that cannot hold the gradient.
//
// RUN: %adjoint_cxx %s -o %t %adjoint_link
// RUN: %t | FileCheck %s
#include <adjoint/adjoint.h>

#include <functional>
#include <iostream>
#include <stdexcept>

using adjoint::Tensor;

ADJOINT_GRAD(w, b)
Tensor layer(const Tensor &x, const Tensor &w, const Tensor &b) {
  return matmul(x, w) + b;
}

ADJOINT_GRAD(w, b)
Tensor loss(const Tensor &x, const Tensor &y, const Tensor &w,
            const Tensor &b) {
  Tensor z = matmul(x, w) + b;
  return binary_cross_entropy_with_logits(z, y);
}

static void expectThrow(const char *What, const std::function<void()> &F) {
  try {
    F();
    std::cout << What << ": no error\n";
  } catch (const std::invalid_argument &E) {
    std::cout << What << ": " << E.what() << "\n";
  }
}

int main() {
  Tensor x = adjoint::ones({4, 5}), w = adjoint::ones({5, 3});
  Tensor b = adjoint::ones({3}), y = adjoint::zeros({4, 3});
  // CHECK: inner dimensions: matmul: shapes [4, 5] and [4, 3] cannot be multiplied
  expectThrow("inner dimensions", [&] {
    Tensor dw, db;
    layer_vjp(x, adjoint::ones({4, 3}), b, adjoint::ones({4, 3}), dw, db);
  });
  // CHECK: broadcast: add: shapes [4, 3] and [2] are not broadcastable
  expectThrow("broadcast", [&] {
    Tensor dw, db;
    layer_vjp(x, w, adjoint::ones({2}), adjoint::ones({4, 3}), dw, db);
  });
  // CHECK: target: binary_cross_entropy_with_logits: target shape [3] must match input shape [4, 3]
  expectThrow("target", [&] {
    Tensor dw, db;
    loss_grad(x, adjoint::zeros({3}), w, b, dw, db);
  });
  // CHECK: seed: backward: seed of shape [4, 2] does not match the output of shape [4, 3]
  expectThrow("seed", [&] {
    Tensor dw, db;
    layer_vjp(x, w, b, adjoint::ones({4, 2}), dw, db);
  });
  // A vector result has no implicit seed (PyTorch: "grad can be implicitly
  // created only for scalar outputs").
  // CHECK: implicit seed: backward: grad can be implicitly created only for scalar outputs, but the output has shape [4, 3]; pass a seed to f_vjp
  expectThrow("implicit seed", [&] {
    Tensor dw, db;
    layer_vjp(x, w, b, Tensor(), dw, db);
  });
  // CHECK: gradient shape: matmul_pullback: adjoint of shape [3, 5] cannot accumulate the gradient of an argument of shape [5, 3]
  expectThrow("gradient shape", [&] {
    Tensor dw = adjoint::zeros({3, 5}), db;
    loss_grad(x, y, w, b, dw, db);
  });
  // CHECK: fine: no error
  expectThrow("fine", [&] {
    Tensor dw, db;
    loss_grad(x, y, w, b, dw, db);
  });
}
