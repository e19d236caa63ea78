//===- adjoint/tensor.h - The tensor runtime --------------------*- C++ -*-===//
//
// Everything of adjoint's PyTorch-like tensor library: the Tensor handle,
// creation functions, random tensors and operations.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_TENSOR_H
#define ADJOINT_TENSOR_H

#include "adjoint/shape.h"
#include "adjoint/tensor_allocator.h"
#include "adjoint/tensor_core.h"
#include "adjoint/tensor_factories.h"
#include "adjoint/tensor_ops.h"
#include "adjoint/tensor_out.h"
#include "adjoint/tensor_random.h"
#include "adjoint/threads.h"

#endif // ADJOINT_TENSOR_H
