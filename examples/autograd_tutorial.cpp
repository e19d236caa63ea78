//===- autograd_tutorial.cpp - PyTorch's autograd tutorial, compiled ------===//
//
// Every cell of PyTorch's "Automatic differentiation with torch.autograd"
// tutorial, with adjoint. PyTorch records a graph while the forward pass runs
// and walks it backward at run time; adjoint reads the annotated functions
// below at compile time and writes their reverse pass (loss_grad, loss_vjp,
// ...) as ordinary C++ right after them, so there is no graph, no tape of
// closures and nothing to retain or free.
//
// Build: cmake --build <build> --target autograd_tutorial (the adjoint plugin
// must be loaded: the gradients exist only then), or by hand:
//   clang++-16 -std=c++17 -O2 -fplugin=<build>/lib/libAdjointPlugin.so \
//     -Iinclude examples/autograd_tutorial.cpp \
//     <build>/lib/libadjoint_runtime.a -lhwy -lpthread
//
// Our random generator is not PyTorch's, so w and b (and with them z, the
// loss and its gradients) differ from the tutorial's numbers; the eye(4, 5)
// cell is deterministic and prints exactly the tutorial's matrices.
//
//===----------------------------------------------------------------------===//

// In [1]: import torch
#include <adjoint/adjoint.h>

#include <iostream>

using adjoint::Tensor;

//===--- The network
//-------------------------------------------------------===//

// In [7]: z = torch.matmul(x, w) + b
//         loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
//
// requires_grad=True on w and b becomes ADJOINT_GRAD(w, b): the parameters
// the gradient is taken with respect to. x and y are like tensors without
// requires_grad: no gradient is computed for them, not even thrown away.
ADJOINT_GRAD(w, b)
Tensor loss(const Tensor &x, const Tensor &y, const Tensor &w,
            const Tensor &b) {
  Tensor z = matmul(x, w) + b;
  return binary_cross_entropy_with_logits(z, y);
}
// Generated here by the plugin:
//   Tensor loss_vjp(x, y, w, b, const Tensor &_seed, Tensor &_d_w,
//                   Tensor &_d_b);               // loss.backward(gradient)
//   Tensor loss_grad(x, y, w, b, Tensor &_d_w, Tensor &_d_b);
//                                                // loss.backward()

//===--- Disabling gradient tracking --------------------------------------===//

// In [12]: with torch.no_grad(): z = torch.matmul(x, w) + b
//
// adjoint::NoGradGuard makes the rest of its block inactive: nothing computed
// there carries a gradient and no adjoint code is generated for it. Here the
// whole loss is computed under no_grad, so its gradient is zero.
ADJOINT_GRAD(w, b)
Tensor loss_no_grad(const Tensor &x, const Tensor &y, const Tensor &w,
                    const Tensor &b) {
  adjoint::NoGradGuard guard;
  Tensor z = matmul(x, w) + b;
  return binary_cross_entropy_with_logits(z, y);
}

// In [13]: z_det = z.detach()
//
// adjoint::detach(t) (or t.detach()) passes the values through and stops the
// gradient. The loss of a detached z does not depend on w and b as far as
// differentiation is concerned.
ADJOINT_GRAD(w, b)
Tensor loss_detached(const Tensor &x, const Tensor &y, const Tensor &w,
                     const Tensor &b) {
  Tensor z = matmul(x, w) + b;
  Tensor z_det = adjoint::detach(z);
  return binary_cross_entropy_with_logits(z_det, y);
}

// "To mark some parameters in your neural network as frozen parameters":
// detaching w freezes it; b's gradient is unaffected.
ADJOINT_GRAD(w, b)
Tensor loss_frozen_w(const Tensor &x, const Tensor &y, const Tensor &w,
                     const Tensor &b) {
  Tensor z = matmul(x, adjoint::detach(w)) + b;
  return binary_cross_entropy_with_logits(z, y);
}

//===--- More on computational graphs -------------------------------------===//

// In [14]: inp = torch.eye(4, 5, requires_grad=True)
//          out = (inp + 1).pow(2).t()
//
// out is a matrix, so its backward needs a seed (PyTorch's `gradient`
// argument): the generated out_of_vjp takes it.
ADJOINT_GRAD(inp)
Tensor out_of(const Tensor &inp) { return (inp + 1).pow(2).t(); }

/// The gradient \p D accumulated for parameter \p P, or zeros of P's shape
/// when no gradient reached it (PyTorch leaves .grad None then).
static Tensor gradOrZeros(const Tensor &D, const Tensor &P) {
  return D.defined() ? D : adjoint::zeros_like(P);
}

int main() {
  // Our generator is deterministic per seed, like torch.manual_seed.
  adjoint::manual_seed(0);

  // In [2]: x = torch.ones(5)
  Tensor x = adjoint::ones({5});
  std::cout << x << "\n\n";

  // In [3]: y = torch.zeros(3)
  Tensor y = adjoint::zeros({3});
  std::cout << y << "\n\n";

  // In [4]: w = torch.randn(5, 3, requires_grad=True)
  // (requires_grad is static: ADJOINT_GRAD(w, b) above.)
  Tensor w = adjoint::randn(5, 3);
  std::cout << w << "\n\n";

  // In [5]: b = torch.randn(3, requires_grad=True)
  Tensor b = adjoint::randn({3});
  std::cout << b << "\n\n";

  // In [6]: z = torch.matmul(x, w) + b
  Tensor z = matmul(x, w) + b;
  std::cout << z << "\n\n";

  // In [7]: the same network with fresh parameters, and its loss. Calling the
  // annotated function itself is the plain forward pass: it costs what the
  // code costs and records nothing.
  w = adjoint::randn(5, 3);
  b = adjoint::randn({3});
  std::cout << "w = " << w << "\n";
  std::cout << "b = " << b << "\n";
  std::cout << "loss = " << loss(x, y, w, b) << "\n\n";

  // In [8], [9]: z.grad_fn and loss.grad_fn. The backward functions are
  // chosen at compile time: the generated loss_vjp calls the pullbacks
  // below, in reverse order (`adjoint-gen --explain` lists them with
  // PyTorch's node names, and -fplugin-arg-adjoint-dump prints the code).
  std::cout << "Gradient function for z = "
               "adjoint::derivatives::add_pullback (AddBackward0)\n";
  std::cout << "Gradient function for loss = "
               "adjoint::derivatives::binary_cross_entropy_with_logits_"
               "pullback (BinaryCrossEntropyWithLogitsBackward0)\n\n";

  // In [10]: loss.backward(); print(w.grad); print(b.grad)
  // The gradients accumulate into dw and db like into .grad; undefined
  // tensors are allocated as zeros of w's and b's shapes first.
  Tensor dw, db;
  loss_grad(x, y, w, b, dw, db);
  std::cout << "w.grad:\n" << dw << "\n";
  std::cout << "b.grad:\n" << db << "\n\n";

  // In [11]: z = torch.matmul(x, w) + b; print(z.requires_grad) -> True
  // requires_grad is resolved statically: in loss, z depends on the
  // differentiated parameters w and b, so z is active (the generated code
  // computes its adjoint); x and y are not differentiated.
  std::cout << "loss: differentiated with respect to w, b\n";
  std::cout << "z.requires_grad: true\n";
  // In [12]: with torch.no_grad(): ... print(z.requires_grad) -> False
  // Everything in loss_no_grad is inactive, so no gradient reaches w or b.
  std::cout << "with NoGradGuard, z.requires_grad: false\n";
  // In [13]: z_det = z.detach(); print(z_det.requires_grad) -> False
  std::cout << "z_det.requires_grad: false\n";
  Tensor dw_ng, db_ng, dw_det, db_det, dw_fr, db_fr;
  loss_no_grad_grad(x, y, w, b, dw_ng, db_ng);
  loss_detached_grad(x, y, w, b, dw_det, db_det);
  loss_frozen_w_grad(x, y, w, b, dw_fr, db_fr);
  std::cout << "loss_no_grad: w.grad = " << gradOrZeros(dw_ng, w)
            << "\nloss_no_grad: b.grad = " << gradOrZeros(db_ng, b) << "\n";
  std::cout << "loss_detached: b.grad = " << gradOrZeros(db_det, b) << "\n";
  // Frozen w: no gradient for w, and b's gradient is the one of In [10].
  std::cout << "loss_frozen_w: w.grad = " << gradOrZeros(dw_fr, w)
            << "\nloss_frozen_w: b.grad = " << gradOrZeros(db_fr, b) << "\n\n";

  // In [14]: three backward passes through out = (inp + 1).pow(2).t() with
  // ones_like(out) as the seed. Gradients accumulate into dinp like into
  // inp.grad, so the second call doubles them, and dinp.zero_() resets them
  // like inp.grad.zero_(). Nothing has to be retained between the calls
  // (retain_graph=True): each out_of_vjp runs its own forward pass.
  Tensor inp = adjoint::eye(4, 5);
  Tensor out = out_of(inp);
  Tensor dinp;
  out_of_vjp(inp, adjoint::ones_like(out), dinp);
  std::cout << "First call\n" << dinp << "\n";
  out_of_vjp(inp, adjoint::ones_like(out), dinp);
  std::cout << "\nSecond call\n" << dinp << "\n";
  dinp.zero_();
  out_of_vjp(inp, adjoint::ones_like(out), dinp);
  std::cout << "\nCall after zeroing gradients\n" << dinp << "\n";
  return 0;
}
