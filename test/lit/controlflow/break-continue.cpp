// break and continue: each loop records the exit its iterations took in a
// path variable `_pK` (only the last iteration can leave early without
// 'continue': a local; with 'continue' each iteration pushes its exit). The
// reverse sweep replays only the statements that ran, restoring what they
// overwrote.
// RUN: rm -rf %t && mkdir -p %t
// The code checked below is the taped code (-fplugin-arg-adjoint-no-fusion);
// the gradients are checked with and without loop fusion.
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-no-fusion -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -I%S/../scalar/Inputs %s -o %t/fused.out %adjoint_link
// RUN: %t/fused.out | FileCheck %s --check-prefix=OUT
#include "check.h"

// break on an active value.
ADJOINT_GRAD(x) double brk(double x, int n) {
  double y = 1.0;
  for (int i = 0; i < n; ++i) {
    if (y > 10.0)
      break;
    y = y * x;
  }
  return y;
}
// CHECK-LABEL: double brk_vjp(double x, int n, double _seed, double &_d_x) {
// CHECK:        int _p0;
// CHECK:        _p0 = 2;
// CHECK-NEXT:   _n0 = 0;
// CHECK-NEXT:   while (i < n) {
// CHECK-NEXT:     ++_n0;
// CHECK-NEXT:     if (y > 10.0) {
// CHECK-NEXT:       _p0 = 1;
// CHECK-NEXT:       break;
// CHECK-NEXT:     }
// CHECK-NEXT:     _tape.push(y);
// CHECK-NEXT:     y = y * x;
// CHECK-NEXT:     ++i;
// CHECK-NEXT:   }
// The breaking iteration (the last one, reversed first) did not run y = y * x.
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     if (_p0 == 2) {
// CHECK-NEXT:       y = _tape.pop<double>();
// CHECK:          }
// CHECK-NEXT:     _p0 = 2;
// CHECK-NEXT:   }

// Clad's bug: k is incremented in the break condition and read after it;
// the reverse sweep undoes ++k in every iteration, the breaking one too.
ADJOINT_GRAD(x) double kbreak(double x) {
  double y = x;
  int k = 0;
  while (true) {
    if (++k == 3)
      break;
    y = y * x + k * y;
  }
  return y;
}
// CHECK-LABEL: double kbreak_vjp(double x, double _seed, double &_d_x) {
// CHECK:        while (true) {
// CHECK-NEXT:     ++_n0;
// CHECK-NEXT:     if (++k == 3) {
// CHECK-NEXT:       _p0 = 1;
// CHECK-NEXT:       break;
// CHECK-NEXT:     }
// CHECK-NEXT:     _tape.push(y);
// CHECK-NEXT:     y = y * x + k * y;
// CHECK-NEXT:   }
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     if (_p0 == 2) {
// CHECK-NEXT:       y = _tape.pop<double>();
// CHECK:            _d_y += k * _r0;
// CHECK-NEXT:     }
// CHECK-NEXT:     --k;
// CHECK-NEXT:     _p0 = 2;
// CHECK-NEXT:   }

// continue in a for loop: the increment still runs, each iteration's exit
// goes on the tape (after the increment's own saves).
ADJOINT_GRAD(x) double cont(double x, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i) {
    if (i % 2 == 1)
      continue;
    s = s * x + i;
  }
  return s;
}
// CHECK-LABEL: double cont_vjp(double x, int n, double _seed, double &_d_x) {
// CHECK:        while (i < n) {
// CHECK-NEXT:     ++_n0;
// CHECK-NEXT:     if (i % 2 == 1) {
// CHECK-NEXT:       ++i;
// CHECK-NEXT:       _p0 = 1;
// CHECK-NEXT:       _tape.push(_p0);
// CHECK-NEXT:       continue;
// CHECK-NEXT:     }
// CHECK-NEXT:     _tape.push(s);
// CHECK-NEXT:     s = s * x + i;
// CHECK-NEXT:     ++i;
// CHECK-NEXT:     _p0 = 2;
// CHECK-NEXT:     _tape.push(_p0);
// CHECK-NEXT:   }
// CHECK:        for (; _n0; --_n0) {
// CHECK-NEXT:     _p0 = _tape.pop<int>();
// CHECK-NEXT:     --i;
// CHECK-NEXT:     if (_p0 == 2) {
// CHECK-NEXT:       s = _tape.pop<double>();

// continue in a do loop goes to the condition.
ADJOINT_GRAD(x) double docont(double x, int n) {
  double y = x;
  int i = 0;
  do {
    i = i + 1;
    if (i % 2 == 0)
      continue;
    y = y * x;
  } while (i < n);
  return y;
}
// CHECK-LABEL: double docont_vjp(double x, int n, double _seed, double &_d_x) {
// CHECK:        do {
// CHECK-NEXT:     ++_n0;
// CHECK-NEXT:     i = i + 1;
// CHECK-NEXT:     if (i % 2 == 0) {
// CHECK-NEXT:       _p0 = 1;
// CHECK-NEXT:       _tape.push(_p0);
// CHECK-NEXT:       continue;
// CHECK-NEXT:     }
// CHECK:        while (i < n);

// Nested triangular loops with breaks in both, inside branches; the inner
// loop's exit goes on the tape with its trip count.
ADJOINT_GRAD(x) double nested(double x, int n) {
  double s = 0.0;
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      if (j - i > 2)
        break;
      s = s + x * j;
    }
    if (s > 10.0) {
      s = s * 0.5;
      break;
    }
    s = s * x;
  }
  return s;
}
// CHECK-LABEL: double nested_vjp(double x, int n, double _seed, double &_d_x) {
// CHECK:          _p1 = 2;
// CHECK-NEXT:     _n1 = 0;
// CHECK-NEXT:     while (j < n) {
// CHECK-NEXT:       ++_n1;
// CHECK-NEXT:       if (j - i > 2) {
// CHECK-NEXT:         _p1 = 1;
// CHECK-NEXT:         break;
// CHECK-NEXT:       }
// CHECK:          _tape.push(_n1);
// CHECK-NEXT:     _tape.push(_p1);
// CHECK:          if (_c0) {
// CHECK-NEXT:       _tape.push(s);
// CHECK-NEXT:       s = s * 0.5;
// CHECK-NEXT:       _p0 = 1;
// CHECK-NEXT:       break;
// CHECK-NEXT:     }
// CHECK-NEXT:     _tape.push(_c0);
// The branch left by break pushed no condition: it is known from the path.
// CHECK:          _c0 = _p0 == 1 || _tape.pop<bool>();
// CHECK:          _p1 = _tape.pop<int>();
// CHECK-NEXT:     _n1 = _tape.pop<unsigned long>();
// CHECK-NEXT:     for (; _n1; --_n1) {
// CHECK-NEXT:       if (_p1 != 1) {
// CHECK-NEXT:         --j;
// CHECK-NEXT:       }
// CHECK-NEXT:       if (_p1 == 2) {

// A trip count that depends on an active value.
ADJOINT_GRAD(x) double halving(double x) {
  int n = 0;
  double y = x;
  while (y > 1.0) {
    y = y / 2.0;
    n++;
  }
  return y * n;
}

int main() {
  using V = std::vector<double>;
  for (int n : {20, 3, 0}) {
    double dx = 0;
    brk_grad(1.5, n, dx);
    lit::check("brk", [n](const V &v) { return brk(v[0], n); }, {1.5}, {dx});
  }
  {
    double dx = 0;
    kbreak_grad(1.5, dx);
    lit::check("kbreak", [](const V &v) { return kbreak(v[0]); }, {1.5}, {dx});
  }
  for (int n : {7, 0}) {
    double dx = 0;
    cont_grad(1.5, n, dx);
    lit::check("cont", [n](const V &v) { return cont(v[0], n); }, {1.5}, {dx});
  }
  for (int n : {5, 1}) {
    double dx = 0;
    docont_grad(1.3, n, dx);
    lit::check("docont", [n](const V &v) { return docont(v[0], n); }, {1.3}, {dx});
  }
  for (int n : {3, 6, 0}) {
    double dx = 0;
    nested_grad(1.0, n, dx);
    lit::check("nested", [n](const V &v) { return nested(v[0], n); }, {1.0}, {dx});
  }
  {
    double dx = 0;
    halving_grad(13.0, dx);
    lit::check("halving", [](const V &v) { return halving(v[0]); }, {13.0}, {dx});
  }
}

// y = x^6 (1.5^6 > 10 breaks), then x^3, then no iteration: 6x^5, 3x^2, 0
// OUT:      brk: 45.562500
// OUT-NEXT: gradcheck brk: ok
// OUT-NEXT: brk: 6.750000
// OUT-NEXT: gradcheck brk: ok
// OUT-NEXT: brk: 0.000000
// OUT-NEXT: gradcheck brk: ok
// y = x (x + 1) (x + 2): 3x^2 + 6x + 2
// OUT-NEXT: kbreak: 17.750000
// OUT-NEXT: gradcheck kbreak: ok
// s = 2x^2 + 4x + 6 (i = 2, 4, 6): 4x + 4
// OUT-NEXT: cont: 10.000000
// OUT-NEXT: gradcheck cont: ok
// OUT-NEXT: cont: 0.000000
// OUT-NEXT: gradcheck cont: ok
// i = 1, 3, 5 multiply: x^4, 4x^3; then x^2: 2x
// OUT-NEXT: docont: 8.788000
// OUT-NEXT: gradcheck docont: ok
// OUT-NEXT: docont: 2.600000
// OUT-NEXT: gradcheck docont: ok
// n = 3: s = 3x^4 + 2x^3: 12x^3 + 6x^2
// OUT-NEXT: nested: 18.000000
// OUT-NEXT: gradcheck nested: ok
// n = 6: inner breaks after two j; s = (3x^3 + 5x^2 + 7x) / 2 > 10 breaks
// at i = 2: (9x^2 + 10x + 7) / 2
// OUT-NEXT: nested: 13.000000
// OUT-NEXT: gradcheck nested: ok
// OUT-NEXT: nested: 0.000000
// OUT-NEXT: gradcheck nested: ok
// four halvings: y n = 4 x / 16
// OUT-NEXT: halving: 0.250000
// OUT-NEXT: gradcheck halving: ok
