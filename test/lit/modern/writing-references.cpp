// References that write what they refer to: range-based for loops whose
// reference loop variable the body writes (`for (double &v : buf) v *= s;`,
// `for (auto &e : w)`), and local non-const references to elements and
// variables (`double &o = out[i]; o += ...;`, `double &acc = s;`). Each is a
// copy in the generated code, written back to what it refers to after each
// statement that writes it (`out[i] = o;`), and at the end of each iteration
// for a loop variable (`buf[_k0] = v;`). The reverse sweep moves the
// element's adjoint into the copy's and zeroes it.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: %gxx -I%S/../scalar/Inputs %t/gen.cpp -o %t/gxx.out %adjoint_link
// RUN: %t/gxx.out | FileCheck %s --check-prefix=OUT
// RUN: not %adjoint_cxx -I%S/../scalar/Inputs -DERRORS -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR --implicit-check-not="error:"
#include "check.h"
#include <cmath>
#include <vector>

ADJOINT_GRAD(x) double scaleAll(const double *x, int n) {
  double buf[4] = {x[0], x[1] * x[2], std::sin(x[3]), 1.0};
  for (double &v : buf)
    v *= x[0];
  std::vector<double> w(n);
  for (int i = 0; i < n; ++i)
    w[i] = x[i] * x[i];
  for (auto &e : w) {
    double t = std::tanh(e);
    e = t * e + 0.5;
  }
  double s = 0;
  for (double v : buf)
    s += v * v;
  for (int i = 0; i < n; ++i)
    s += w[i] * x[i];
  return s;
}
// CHECK-LABEL: double scaleAll_vjp(
// CHECK:         v = buf[_k0];
// CHECK:         v *= x[0];
// CHECK:         _tape.push(buf[_k0]);
// CHECK-NEXT:    buf[_k0] = v;
// CHECK:         --_k0;
// CHECK-NEXT:    _d_v += _d_buf[_k0];
// CHECK-NEXT:    _d_buf[_k0] = 0;
// CHECK-NEXT:    buf[_k0] = _tape.pop<double>();

ADJOINT_GRAD(x, out) void refsOut(const double *x, double *out, int n) {
  for (int i = 0; i < n; ++i) {
    double &o = out[i];
    o = x[i] * x[i];
    o += std::sin(x[i]);
    o *= x[(i + 1) % n];
  }
}
// CHECK-LABEL: void refsOut_grad(
// CHECK:         o = out[i];
// CHECK-NEXT:    o = x[i] * x[i];
// CHECK-NEXT:    out[i] = o;
// CHECK-NEXT:    o += std::sin(x[i]);
// CHECK-NEXT:    out[i] = o;
// CHECK:         --i;
// CHECK-NEXT:    _d_o += _d_out[i];
// CHECK-NEXT:    _d_out[i] = 0;

ADJOINT_GRAD(x) double refsLocal(const double *x, int n) {
  double s = 0, p = 1;
  double &acc = s;
  for (int i = 0; i < n; ++i)
    acc += x[i] * x[i];
  double &q = p;
  q = q * acc + x[0];
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i) {
    double &e = v[i];
    e = std::cos(x[i]) * q;
  }
  return s + p * v[1];
}

#ifdef ERRORS
ADJOINT_GRAD(x) double addressTaken(const double *x) {
  double buf[2] = {x[0], x[1]};
  for (double &v : buf) {
    double *p = &v;
    // ERR: writing-references.cpp:[[@LINE-1]]:17: error: adjoint: cannot differentiate taking the address of the double & 'v' in 'addressTaken': adjoint does not follow values through a pointer to a scalar; pass it by reference, or make it a one-element array
    *p *= 2;
  }
  return buf[0] + buf[1];
}
ADJOINT_GRAD(x) double earlyExit(const double *x, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i) {
    double &r = s;
    // ERR: writing-references.cpp:[[@LINE-1]]:5: error: adjoint: cannot differentiate a local reference 'r' in 'earlyExit': copy the value into a local variable, or pass it to a function by reference
    if (x[i] > 1)
      break;
    r += x[i];
  }
  return s;
}
#else
int main() {
  std::vector<double> x = {0.3, -0.7, 1.1, 0.5};
  std::vector<double> g(4, 0.0);
  scaleAll_grad(x.data(), 4, g.data());
  lit::check("scaleAll", [](const std::vector<double> &p) { return scaleAll(p.data(), 4); }, x, g);
  std::vector<double> g2(4, 0.0);
  refsLocal_grad(x.data(), 4, g2.data());
  lit::check("refsLocal", [](const std::vector<double> &p) { return refsLocal(p.data(), 4); }, x, g2);
  for (int k = 0; k < 3; ++k) {
    std::vector<double> g4(4, 0.0), out(3), seed(3, 0.0);
    seed[k] = 1.0;
    refsOut_grad(x.data(), out.data(), 3, g4.data(), seed.data());
    lit::check("refsOut", [k](const std::vector<double> &p) { std::vector<double> o(3); refsOut(p.data(), o.data(), 3); return o[k]; }, x, g4);
    std::vector<double> o2(3);
    refsOut(x.data(), o2.data(), 3);
    std::printf("out %d: %s\n", k, std::fabs(o2[k] - out[k]) < 1e-12 ? "same" : "DIFFERENT");
  }
}
#endif
// OUT: gradcheck scaleAll: ok
// OUT: gradcheck refsLocal: ok
// OUT: gradcheck refsOut: ok
// OUT: out 0: same
// OUT: gradcheck refsOut: ok
// OUT: out 1: same
// OUT: gradcheck refsOut: ok
// OUT: out 2: same
