// Unsupported tensor constructs in annotated functions are compile-time
// errors with the location and a hint.
// RUN: not %adjoint_cxx -fsyntax-only %s 2>&1 | FileCheck %s
#include <adjoint/adjoint.h>

using adjoint::Tensor;

// A tensor op without a body or a pullback: the error shows the pullback to
// write.
Tensor myop(const Tensor &a);

ADJOINT_GRAD(w)
Tensor opaque(const Tensor &x, const Tensor &w) {
  return sum(myop(matmul(x, w)));
  // CHECK-DAG: errors.cpp:[[@LINE-1]]:14: error: adjoint: no derivative for the call to 'myop' (its body is not visible): provide a custom pullback 'void myop_pullback(const ::adjoint::Tensor & a, const ::adjoint::Tensor &_d_return, ::adjoint::Tensor &_d_a)' in namespace adjoint::derivatives or next to 'myop' (see docs/custom-derivatives.md)
}

// Compound assignment: the runtime has no Tensor::operator+= (it would hide
// an in-place update from the differentiator). That is the compiler's error,
// reported first, and adjoint adds none for a function with errors.
ADJOINT_GRAD(w, b)
Tensor compound(const Tensor &x, const Tensor &w, const Tensor &b) {
  Tensor z = matmul(x, w);
  z += b;
  // CHECK-DAG: errors.cpp:[[@LINE-1]]:5: error: no viable overloaded '+='
  return sum(z);
}

// A call through a function pointer.
ADJOINT_GRAD(w)
Tensor pointer(const Tensor &w, Tensor (*act)(const Tensor &)) {
  return sum(act(w));
  // CHECK: errors.cpp:[[@LINE-1]]:14: error: adjoint: cannot differentiate a call through a function pointer in 'pointer': call the function directly
}
