// Integers that the reverse sweep reads back (an index, a counter, a flag)
// are state like the reals: a callee writing them through a pointer or a
// reference (`adv(k)`, `setIdx(idx, i)`, `setIdx(v.data() + 1, i)`), a
// write through a local pointer or reference naming them (`int *p = idx;
// p[1] = i;`), and a lambda stepping a captured counter. Each replayed call
// read the last value before: silently wrong gradients. Writes through a
// local pointer into a real buffer (`double *p = buf; p[1] = e;`, read back
// as buf[1]) had the same hole.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"

#include <cmath>

static void setIdx(int *idx, int k) { idx[0] = k; }
static void adv(int &k) { k = (k + 2) % 3; }

ADJOINT_GRAD(x) double byReference(const double *x, int n) {
  int k = 0;
  double s = 0;
  for (int i = 0; i < n; ++i) {
    s += x[k] * x[k] * (i + 1);
    adv(k);
  }
  return s;
}
// CHECK-LABEL: double byReference_vjp(
// CHECK:         int [[K:_s[0-9]+]] = _tape.pop<int>();
// CHECK-NEXT:    k = [[K]];

ADJOINT_GRAD(x) double throughPointer(const double *x, int n) {
  int idx[1] = {0};
  double s = 0;
  for (int i = 0; i < n; ++i) {
    setIdx(idx, i);
    s += x[idx[0]] * x[idx[0]] * (i + 1);
  }
  return s;
}
// CHECK-LABEL: double throughPointer_vjp(
// CHECK:         _tape.pushRange(idx, 1);
// CHECK-NEXT:    setIdx(idx, i);

ADJOINT_GRAD(x) double vectorElement(const double *x, int n) {
  std::vector<int> idx(2, 0);
  double s = 0;
  for (int i = 0; i < n; ++i) {
    setIdx(idx.data() + 1, (i + 1) % 3);
    s += std::sin(x[idx[1]]) * (i + 1);
  }
  return s;
}

ADJOINT_GRAD(x) double localAlias(const double *x, int n) {
  int idx[2] = {0, 0};
  int *p = idx;
  int k = 0;
  int *q = &k;
  double s = 0;
  for (int i = 0; i < n; ++i) {
    p[1] = i;
    *q = (i * 2) % 3;
    s += x[idx[1]] * x[k] * (i + 1);
  }
  return s;
}
// CHECK-LABEL: double localAlias_vjp(
// CHECK:         _tape.push(p[1]);
// CHECK:         _tape.push(*q);

ADJOINT_GRAD(x) double realAlias(const double *x, int n) {
  double buf[2] = {0, 0};
  double *p = buf;
  double s = 0;
  for (int i = 0; i < n; ++i) {
    p[1] = x[i] * 2;
    s += buf[1] * buf[1] * (i + 1);
  }
  return s;
}
// CHECK-LABEL: double realAlias_vjp(
// CHECK:         _tape.push(p[1]);

ADJOINT_GRAD(x) double countingLambda(const double *x, int n) {
  int k = 1;
  double s = 0;
  auto addTerm = [&](double v) {
    ++k;
    s += std::sin(k * v * v);
  };
  for (int j = 0; j < n; ++j)
    addTerm(x[j]);
  return s;
}
// CHECK-LABEL: double countingLambda_vjp(
// CHECK:         _tape.push(k);
// CHECK-NEXT:    _tape.push(s);
// CHECK-NEXT:    addTerm(x[j]);
// CHECK:         int [[K:_s[0-9]+]] = _tape.pop<int>();
// CHECK-NEXT:    k = [[K]];
// CHECK-NEXT:    double {{_r[0-9]+}} = 0;
// CHECK-NEXT:    addTerm_pullback(x[j], {{_r[0-9]+}});

using Fn = double (*)(const double *, int);
using Grad = double (*)(const double *, int, double *);

int main() {
  std::vector<double> x = {0.3, 0.7, -0.4};
  struct Case {
    const char *Name;
    Fn F;
    Grad G;
  } Cases[] = {{"byReference", byReference, byReference_grad},
               {"throughPointer", throughPointer, throughPointer_grad},
               {"vectorElement", vectorElement, vectorElement_grad},
               {"localAlias", localAlias, localAlias_grad},
               {"realAlias", realAlias, realAlias_grad},
               {"countingLambda", countingLambda, countingLambda_grad}};
  for (const Case &C : Cases) {
    std::vector<double> dx(3);
    C.G(x.data(), 3, dx.data());
    lit::check(C.Name,
               [&](const std::vector<double> &p) { return C.F(p.data(), 3); },
               x, dx);
  }
}
// OUT: gradcheck byReference: ok
// OUT: gradcheck throughPointer: ok
// OUT: gradcheck vectorElement: ok
// OUT: gradcheck localAlias: ok
// OUT: gradcheck realAlias: ok
// OUT: gradcheck countingLambda: ok
