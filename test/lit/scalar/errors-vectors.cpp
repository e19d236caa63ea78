// Writes to a differentiated std::vector that adjoint cannot follow are
// errors, never a silently zero gradient: whole-vector assignment and
// modifiers other than push_back and resize.
// RUN: not %adjoint_cxx -c %s -o /dev/null 2>&1 | FileCheck %s
#include <adjoint/adjoint.h>
#include <vector>

ADJOINT_GRAD(x) double fromList(double x) {
  std::vector<double> v(2);
  v = {x, x * x};
  // CHECK: errors-vectors.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate an assignment to a whole differentiated std::vector in 'fromList': assign its elements one by one ('v[i] = ...'), or create it with its size or a braced list of its elements
  return v[0] + v[1];
}

ADJOINT_GRAD(x) double fromParam(const std::vector<double> &x) {
  std::vector<double> v(2);
  v = x;
  // CHECK: errors-vectors.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate an assignment to a whole differentiated std::vector in 'fromParam'
  return v[0] * v[1];
}

ADJOINT_GRAD(x) double assigned(double x) {
  std::vector<double> w(2);
  w.assign(2, x);
  // CHECK: errors-vectors.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate std::vector::assign on a differentiated vector in 'assigned': use push_back, resize or element assignment
  return w[0] + w[1];
}

ADJOINT_GRAD(x) double inserted(double x) {
  std::vector<double> w;
  w.insert(w.begin(), x);
  // CHECK: errors-vectors.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate std::vector::insert on a differentiated vector in 'inserted'
  return w[0];
}

ADJOINT_GRAD(x) double copied(double x) {
  std::vector<double> w(1);
  w[0] = x;
  std::vector<double> v = w;
  // CHECK: errors-vectors.cpp:[[@LINE-1]]:27: error: adjoint: cannot differentiate a std::vector initialized from differentiated values in 'copied'
  return v[0];
}
