// examples/autograd_tutorial.cpp against PyTorch's tutorial: the eye(4, 5)
// cell is deterministic and must print exactly the tutorial's matrices; the
// loss-gradient cell uses our own random w and b, so it is checked against
// the closed form w.grad = x^T (sigmoid(z) - y) / 3, b.grad = (sigmoid(z) -
// y) / 3 computed here, both numerically and as printed text.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx %s -o %t/tutorial %adjoint_link
// RUN: %t/tutorial > %t/out.txt
// RUN: FileCheck %s --strict-whitespace --match-full-lines < %t/out.txt
// RUN: FileCheck %s --check-prefix=CLOSED < %t/out.txt

// The example, with its main renamed so that this test can run it and then
// check it; the plugin generates its gradients like in the example's build.
#define main tutorial_main
#include "../../../examples/autograd_tutorial.cpp"
#undef main

#include <cmath>
#include <cstdio>

int main() {
  tutorial_main();
  // The same draws as the example: cells 4 and 5, then the network's w and
  // b of cell 7.
  adjoint::manual_seed(0);
  adjoint::randn(5, 3);
  adjoint::randn({3});
  Tensor w = adjoint::randn(5, 3), b = adjoint::randn({3});
  Tensor x = adjoint::ones({5}), y = adjoint::zeros({3});
  // Closed form in double: dL/dz_j = (sigmoid(z_j) - y_j) / 3 for the mean
  // over 3 logits, dL/dw_ij = x_i dL/dz_j, dL/db_j = dL/dz_j.
  Tensor wantW = adjoint::zeros({5, 3}), wantB = adjoint::zeros({3});
  for (int j = 0; j < 3; ++j) {
    double z = b.at({j});
    for (int i = 0; i < 5; ++i)
      z += double(x.at({i})) * w.at({i, j});
    double dz = (1 / (1 + std::exp(-z)) - y.at({j})) / 3;
    wantB.at({j}) = float(dz);
    for (int i = 0; i < 5; ++i)
      wantW.at({i, j}) = float(x.at({i}) * dz);
  }
  Tensor dw, db;
  loss_grad(x, y, w, b, dw, db);
  double err = 0;
  for (int j = 0; j < 3; ++j) {
    err = std::fmax(err, std::fabs(db.at({j}) - wantB.at({j})));
    for (int i = 0; i < 5; ++i)
      err = std::fmax(err, std::fabs(dw.at({i, j}) - wantW.at({i, j})));
  }
  std::cout << "closed form w.grad:\n" << wantW << "\n";
  std::cout << "closed form b.grad:\n" << wantB << "\n";
  std::printf("closed form max error %s 1e-6\n", err <= 1e-6 ? "<=" : ">");
  return err <= 1e-6 ? 0 : 1;
}

// The inputs print like PyTorch's (cells 2 and 3).
// CHECK:tensor([1., 1., 1., 1., 1.])
// CHECK-EMPTY:
// CHECK-NEXT:tensor([0., 0., 0.])

// The tensors without gradient tracking and the frozen parameter.
// CHECK:loss_no_grad: b.grad = tensor([0., 0., 0.])
// CHECK-NEXT:loss_detached: b.grad = tensor([0., 0., 0.])
// CHECK-NEXT:loss_frozen_w: w.grad = tensor({{\[\[}}0., 0., 0.],

// Cell 14, literally as in the tutorial.
// CHECK:First call
// CHECK-NEXT:tensor({{\[\[}}4., 2., 2., 2., 2.],
// CHECK-NEXT:        [2., 4., 2., 2., 2.],
// CHECK-NEXT:        [2., 2., 4., 2., 2.],
// CHECK-NEXT:        [2., 2., 2., 4., 2.]])
// CHECK-EMPTY:
// CHECK-NEXT:Second call
// CHECK-NEXT:tensor({{\[\[}}8., 4., 4., 4., 4.],
// CHECK-NEXT:        [4., 8., 4., 4., 4.],
// CHECK-NEXT:        [4., 4., 8., 4., 4.],
// CHECK-NEXT:        [4., 4., 4., 8., 4.]])
// CHECK-EMPTY:
// CHECK-NEXT:Call after zeroing gradients
// CHECK-NEXT:tensor({{\[\[}}4., 2., 2., 2., 2.],
// CHECK-NEXT:        [2., 4., 2., 2., 2.],
// CHECK-NEXT:        [2., 2., 4., 2., 2.],
// CHECK-NEXT:        [2., 2., 2., 4., 2.]])

// Cell 10's printed gradients are the closed form's, digit for digit; the
// frozen-w function gets the same b.grad.
// CLOSED:      w.grad:
// CLOSED-NEXT: tensor({{\[\[}}[[W0:.*]]],
// CLOSED-NEXT: {{ +\[}}[[W0]]],
// CLOSED-NEXT: {{ +\[}}[[W0]]],
// CLOSED-NEXT: {{ +\[}}[[W0]]],
// CLOSED-NEXT: {{ +\[}}[[W0]]]])
// CLOSED-NEXT: b.grad:
// CLOSED-NEXT: tensor({{\[}}[[W0]]])
// CLOSED:      loss_frozen_w: b.grad = tensor({{\[}}[[W0]]])
// CLOSED:      closed form w.grad:
// CLOSED-NEXT: tensor({{\[\[}}[[W0]]],
// CLOSED:      closed form b.grad:
// CLOSED-NEXT: tensor({{\[}}[[W0]]])
// CLOSED-NEXT: closed form max error <= 1e-6
