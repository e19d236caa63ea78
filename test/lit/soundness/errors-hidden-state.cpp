// State a call shares without its arguments: its pullback replays it in
// the reverse sweep, long after the call, with whatever that state holds
// then. A global that the function (or a call) writes and a helper reads,
// a helper counting its calls in a global and using the count, a `mutable`
// member written through a const object, memory written through a
// `const_cast`, and an integer member that an annotated method steps and
// reads: each gave a silently wrong gradient and is an error now. Helpers
// that only count (`++calls`), log to stderr, read a non-const table
// through a local pointer, or pass a read-only plan on recursively are
// differentiated as before.
// RUN: rm -rf %t && mkdir -p %t
// RUN: not %adjoint_cxx -I%S/../scalar/Inputs -DERRORS -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR --implicit-check-not="error:"
// RUN: %adjoint_cxx -I%S/../scalar/Inputs %s -o %t/a.out %adjoint_link
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>
#include <cstdio>

#ifdef ERRORS
double gScale = 1.0;
double scaled(double v) { return gScale * v * v; }
int gCalls = 0;
double counting(double v) {
  ++gCalls;
  return std::sin(gCalls * v);
}
struct Ray {
  double o, d;
  mutable double tmax;
};
bool hit(const Ray &ray, double c) {
  double t = (c - ray.o) / ray.d;
  if (t < ray.tmax) {
    ray.tmax = t;
    return true;
  }
  return false;
}
void setFirst(const double *p, double v) { const_cast<double *>(p)[0] = v * v; }
struct Counter {
  mutable int calls = 0;
  double eval(double v) const {
    ++calls;
    return std::sin(calls * v);
  }
};

ADJOINT_GRAD(x) double globals(const double *x, int n) {
  double s = 0;
  for (int j = 0; j < n; ++j) {
    gScale = 1.0 + j;
    s += scaled(x[j]);
    // ERR: errors-hidden-state.cpp:[[@LINE-1]]:10: error: adjoint: cannot differentiate a call of 'scaled', which reads the global 'gScale', which the function or a call writes in 'globals': its pullback would read the last value in the reverse sweep; pass the value as a parameter
    s += counting(x[j]);
    // ERR: errors-hidden-state.cpp:[[@LINE-1]]:10: error: adjoint: cannot differentiate a call of 'counting', which reads the global 'gCalls', which the function or a call writes
  }
  return s;
}

ADJOINT_GRAD(c) double constWrites(double c, double o) {
  Ray ray{o, 2.0, 1e30};
  bool h = hit(ray, c);
  // ERR: errors-hidden-state.cpp:[[@LINE-1]]:12: error: adjoint: cannot differentiate a call of 'hit', which writes the mutable member 'tmax' ({{.*}}errors-hidden-state.cpp:34:5) in 'constWrites': adjoint takes objects behind const as unchanged; pass the object by non-const reference, or return the value
  double a[1] = {0.0};
  setFirst(a, c);
  // ERR: errors-hidden-state.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a call of 'setFirst', which casts away 'const' ({{.*}}errors-hidden-state.cpp:39:44) in 'constWrites': adjoint takes data behind a const pointer or reference as unchanged; pass a non-const pointer instead
  Counter k;
  double u = k.eval(c);
  // ERR: errors-hidden-state.cpp:[[@LINE-1]]:14: error: adjoint: cannot differentiate a call of 'eval', which writes the mutable member 'calls'
  return (h ? ray.tmax : 0.0) + a[0] + u;
}

struct Model {
  int k = 1;
  ADJOINT_GRAD(x) double sum(const double *x, int n) {
    double s = 0;
    for (int j = 0; j < n; ++j) {
      ++k;
      // ERR: errors-hidden-state.cpp:[[@LINE-1]]:7: error: adjoint: cannot differentiate writing the data member 'k' of the object in 'sum': the function also reads it, and the reverse sweep would read its last value; keep the count in a local and store it at the end
      s += std::sin(k * x[j]);
    }
    return s;
  }
};
#else
int evaluations = 0;
double logged(const double *x, int n) {
  ++evaluations;
  if (n <= 0) {
    std::fprintf(stderr, "logged: bad n %d\n", n);
    return 0;
  }
  return x[0] * x[n - 1];
}
static double table[] = {1.0, 2.0, 3.0};
double poly(double x, double coef[], int degree) {
  double *p = coef;
  double r = p[0];
  for (int i = 1; i <= degree; ++i)
    r = r * x + p[i];
  return r;
}
struct Plan {
  int n;
  double w[4];
};
void work(Plan *plan, double *out, const double *in, int k) {
  if (k == plan->n)
    return;
  out[k] = plan->w[k] * in[k] * in[k];
  work(plan, out, in, k + 1);
}

ADJOINT_GRAD(x) double accepted(Plan *plan, const double *x) {
  double out[3];
  work(plan, out, x, 0);
  return logged(x, 3) + x[1] * poly(x[0] * x[0], table, 2) + out[0] + out[2];
}

int main() {
  Plan plan{3, {0.5, -1.0, 2.0, 0.0}};
  std::vector<double> x = {0.3, 0.7, -0.4}, dx(3);
  accepted_grad(&plan, x.data(), dx.data());
  lit::check("accepted",
             [&](const std::vector<double> &p) { return accepted(&plan, p.data()); },
             x, dx);
}
// OUT: gradcheck accepted: ok
#endif
