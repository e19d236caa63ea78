// A helper that stores a differentiated value in a variable of static
// storage (a global cache, a static member, a static local), read back
// after the call: adjoint follows values through parameters, results and
// locals only, so the call is an error, whether the helper writes the
// variable itself, through a function it calls, or by passing it to one
// that writes through its parameter. Helpers that write only integers (a
// call counter) or read constant tables are differentiated as usual.
// RUN: rm -rf %t && mkdir -p %t
// RUN: not %adjoint_cxx -I%S/../scalar/Inputs -DERRORS -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR --implicit-check-not="error:"
// RUN: %adjoint_cxx -I%S/../scalar/Inputs %s -o %t/a.out %adjoint_link
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

int callCount = 0;
const double weights[3] = {0.5, -1.25, 2.0};

double weighted(const double *x, int i) {
  ++callCount;
  return weights[i] * std::sin(x[i]);
}

#ifdef ERRORS
double lastSquare;
void remember(double v) { lastSquare = v * v; }
void rememberTwice(double v) { remember(2 * v); }
void store(double *into, double v) { into[0] = v; }
double history[4];
void record(double v) { store(history, v); }
struct Stats {
  static double total;
};
double Stats::total = 0;
void accumulate(double v) { Stats::total += v; }
double runningMax(double v) {
  static double best = -1e300;
  if (v > best)
    best = v;
  return best;
}

ADJOINT_GRAD(x) double cached(const double *x) {
  remember(x[0]);
  // ERR: errors-static-writes.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a call of 'remember', which writes the global 'lastSquare' in 'cached': adjoint does not follow values through variables of static storage; return the value, or pass the variable by reference
  rememberTwice(x[1]);
  // ERR: errors-static-writes.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a call of 'rememberTwice', which writes the global 'lastSquare'
  record(x[2]);
  // ERR: errors-static-writes.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a call of 'record', which writes the global 'history'
  accumulate(x[0]);
  // ERR: errors-static-writes.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a call of 'accumulate', which writes the global 'total'
  double m = runningMax(x[1]);
  // ERR: errors-static-writes.cpp:[[@LINE-1]]:14: error: adjoint: cannot differentiate a call of 'runningMax', which writes the static variable 'best'
  return 3 * lastSquare + history[0] + Stats::total + m;
}
#else
ADJOINT_GRAD(x) double counted(const double *x) {
  double s = 0;
  for (int i = 0; i < 3; ++i)
    s += weighted(x, i) * x[i];
  return s;
}

int main() {
  std::vector<double> x = {0.3, -0.7, 1.1};
  std::vector<double> g(3, 0.0);
  counted_grad(x.data(), g.data());
  lit::check("counted", [](const std::vector<double> &p) { return counted(p.data()); }, x, g);
  // OUT: gradcheck counted: ok
}
#endif
