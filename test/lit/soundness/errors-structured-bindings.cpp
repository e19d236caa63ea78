// Structured bindings name the parts of a hidden object; the activity
// analysis follows no flow from that object to the names, so a binding of
// values that carry derivatives would give a zero gradient. Each form is a
// located error whose hint spells the copies to write instead (they gave
// zero gradients, or generated code that did not compile, before).
// Bindings of derivative-free values are kept when nothing can change them
// later (a const copy at the top level): structured-bindings-kept.cpp.
// RUN: not %adjoint_cxx -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not="error:"
#include <adjoint/adjoint.h>
#include <tuple>
#include <utility>
#include <vector>

struct Hit {
  double t, u;
};
std::tuple<bool, double> intersect(double x) { return {x > 0, 2 * x * x}; }
std::pair<int, double> scaled(double x) { return {1, 4 * x}; }
Hit shoot(double x) { return Hit{x * x, x + 1}; }

ADJOINT_GRAD(x) double fromTuple(double x) {
  auto [found, t] = intersect(x);
  // CHECK: errors-structured-bindings.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a structured binding '[found, t]' of type 'std::tuple<bool, double>' in 'fromTuple': return a struct of doubles instead of 'std::tuple<bool, double>' and copy its members into locals ('bool found = r.found;')
  return found ? t : 0.0;
}

ADJOINT_GRAD(x) double fromPair(double x) {
  const auto &[k, v] = scaled(x);
  // CHECK: errors-structured-bindings.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a structured binding '[k, v]' of type 'std::pair<int, double>' in 'fromPair': return a struct of doubles instead of 'std::pair<int, double>' and copy its members into locals ('int k = r.k;')
  return k * v;
}

ADJOINT_GRAD(x) double fromCall(double x) {
  auto [t, u] = shoot(x);
  // CHECK: errors-structured-bindings.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a structured binding '[t, u]' of type 'Hit' in 'fromCall': copy the members into locals instead ('Hit r = ...; double t = r.t;')
  return t * u;
}

// A reference binding: the error names it (it named '' before).
ADJOINT_GRAD(x) double fromLocal(double x) {
  Hit h{x * x, 3 * x};
  const auto &[t, u] = h;
  // CHECK: errors-structured-bindings.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a structured binding '[t, u]' of type 'Hit' in 'fromLocal': copy the members into locals instead ('Hit r = ...; double t = r.t;')
  return t + u;
}

ADJOINT_GRAD(x) double fromArray(double x) {
  double v[2] = {x * x, 3 * x};
  auto [a, b] = v;
  // CHECK: errors-structured-bindings.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a structured binding '[a, b]' of type 'double[2]' in 'fromArray': copy the elements into locals instead ('double a = v[0];' for an array v)
  return a + b;
}

ADJOINT_GRAD(x) double rangeFor(double x) {
  std::vector<Hit> hits = {Hit{x, 2 * x}, Hit{x * x, 1}};
  double s = 0;
  for (auto [t, u] : hits)
    // CHECK: errors-structured-bindings.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a structured binding '[t, u]' of type 'Hit' in 'rangeFor': write an index loop and copy the members of element i into locals
    s += t * u;
  return s;
}

// Derivative-free bindings that the generated code cannot keep as written:
// in a loop (the reverse sweep reads the indices after the loop's block
// closed), and a non-const copy (a later write would escape the analysis).
ADJOINT_GRAD(x) double indexLoop(const double *x, const std::vector<std::pair<int, int>> &edges) {
  double s = 0;
  for (const auto &[i, j] : edges)
    // CHECK: errors-structured-bindings.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a structured binding '[i, j]' that is not a const copy at the function's top level in 'indexLoop': write 'const auto [i, j] = ...;' at the top level, or copy the values into locals
    s += x[i] * x[j];
  return s;
}

ADJOINT_GRAD(x) double mutableIndices(const double *x, std::pair<int, int> e) {
  auto [i, j] = e;
  // CHECK: errors-structured-bindings.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a structured binding '[i, j]' that is not a const copy at the function's top level in 'mutableIndices': write 'const auto [i, j] = ...;' at the top level, or copy the values into locals
  i = j;
  return x[i] * x[j];
}

// In a nested block of a callee whose pullback is generated (reported after
// the annotated functions).
double helper(double x) {
  if (x > 0) {
    auto [t, u] = shoot(x);
    // CHECK: errors-structured-bindings.cpp:[[@LINE-1]]:5: error: adjoint: cannot differentiate a structured binding '[t, u]' of type 'Hit' in 'helper': copy the members into locals instead ('Hit r = ...; double t = r.t;')
    return t;
  }
  return x;
}
ADJOINT_GRAD(x) double callsHelper(double x) { return helper(x) * x; }
