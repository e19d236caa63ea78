//===- adjoint/adjoint.h - Everything a user of adjoint needs ---*- C++ -*-===//
//
// The one header users include: annotations, the runtime support that
// generated gradients call (tape, built-in pullbacks), the gradient check,
// the PyTorch-like tensor library and its optimizers. Scalar code can include
// <adjoint/scalar.h> instead, which leaves the tensor library out.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_ADJOINT_H
#define ADJOINT_ADJOINT_H

#include "adjoint/optim.h"
#include "adjoint/scalar.h"
#include "adjoint/tensor.h"
#include "adjoint/tensor_derivatives.h"
#include "adjoint/tensor_forward.h"
#include "adjoint/tensor_gradcheck.h"
#include "adjoint/autograd.h"

#endif // ADJOINT_ADJOINT_H
