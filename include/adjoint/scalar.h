//===- adjoint/scalar.h - What scalar code needs ----------------*- C++ -*-===//
//
// The header for code that differentiates float and double functions only:
// the annotations, the runtime support their generated gradients call (tape,
// built-in scalar pullbacks, the dual numbers of forward mode) and the
// gradient check, without the tensor
// library, which <adjoint/adjoint.h> adds. It compiles in a fraction of the
// time.
//
//===----------------------------------------------------------------------===//
#ifndef ADJOINT_SCALAR_H
#define ADJOINT_SCALAR_H

#include "adjoint/aliasing.h"
#include "adjoint/annotations.h"
#include "adjoint/derivatives.h"
#include "adjoint/dual.h"
#include "adjoint/dual_math.h"
#include "adjoint/gradcheck.h"
#include "adjoint/tape.h"

#include <stdexcept>
#include <utility>

#endif // ADJOINT_SCALAR_H
