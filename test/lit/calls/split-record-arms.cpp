// Split-mode records of helpers that call other split-mode helpers from
// several branch arms. Only one arm runs, so the callees' records of the
// arms of one branch share storage (a union member per branch, a struct per
// arm): a record grows with the longest path through its callees, not with
// the number of call sites, which would make it exponential in the depth of
// the call chain (6 call sites over 5 levels once took 137 KB, 8 levels
// 29 MB and a stack overflow). Switch cases that fall through share an arm,
// since their calls all run.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>

double leaf(double v, int sel) {
  double r = 0;
  if (sel > 0)
    r = std::sin(v);
  else
    r = v * std::exp(v);
  return r;
}

// Three switch cases, one falling through into the next.
double mid(double v, int sel) {
  double r = 0;
  switch (sel % 3) {
  case 0:
    r = leaf(v, sel / 3);
    break;
  case 1:
    r = leaf(2.0 * v, sel / 3);
  case 2:
    r += leaf(v + 1.0, sel / 3);
    break;
  }
  return r;
}
// CHECK-LABEL: struct mid_pullback_record {
// CHECK:         union {
// CHECK-NEXT:      struct {
// CHECK-NEXT:        ::leaf_pullback_record _rec0;
// CHECK-NEXT:      } _a0;
// CHECK-NEXT:      struct {
// CHECK-NEXT:        ::leaf_pullback_record _rec1;
// CHECK-NEXT:        ::leaf_pullback_record _rec2;
// CHECK-NEXT:      } _a1;
// CHECK-NEXT:    } _u0;
// CHECK-NEXT:  };
// The forward function fills the callees' records in place.
// CHECK-NEXT:  double mid_pullback_forward(double v, int sel, mid_pullback_record &_rec) {
// CHECK:         ::leaf_pullback_record &_rec0 = _rec._u0._a0._rec0;
// CHECK:         ::leaf_pullback_record &_rec1 = _rec._u0._a1._rec1;
// CHECK:         ::leaf_pullback_record &_rec2 = _rec._u0._a1._rec2;
// CHECK-NOT:     _rec._rec
// CHECK:       void mid_pullback_reverse(const mid_pullback_record &_rec, double _d_return, double &_d_v) {
// CHECK:         const ::leaf_pullback_record &_rec0 = _rec._u0._a0._rec0;

// An if/else with calls in both arms, one of them nested in another if.
double top(double v, int sel) {
  double r = 0;
  if (sel % 2 == 0) {
    r = mid(v, sel / 2);
  } else {
    if (sel % 4 == 1)
      r = mid(0.5 * v, sel / 4);
    else
      r = mid(v * v, sel / 4);
    r = r + v;
  }
  return r;
}
// CHECK-LABEL: struct top_pullback_record {
// CHECK:         union {
// CHECK-NEXT:      struct {
// CHECK-NEXT:        ::mid_pullback_record _rec0;
// CHECK-NEXT:      } _a0;
// CHECK-NEXT:      struct {
// CHECK-NEXT:        union {
// CHECK-NEXT:          struct {
// CHECK-NEXT:            ::mid_pullback_record _rec1;
// CHECK-NEXT:          } _a0;
// CHECK-NEXT:          struct {
// CHECK-NEXT:            ::mid_pullback_record _rec2;
// CHECK-NEXT:          } _a1;
// CHECK-NEXT:        } _u1;
// CHECK-NEXT:      } _a1;
// CHECK-NEXT:    } _u0;

ADJOINT_GRAD(x) double outer(double x, int sel) { return top(x, sel) * x; }

// Only the records of the calls on one path: two leaf records for mid (the
// cases that fall through), one mid record for top (3 and 3 without
// sharing).
static_assert(sizeof(mid_pullback_record) < 3 * sizeof(leaf_pullback_record),
              "the arms of mid's switch share storage");
static_assert(sizeof(top_pullback_record) < 2 * sizeof(mid_pullback_record),
              "the arms of top's branches share storage");

int main() {
  using V = std::vector<double>;
  // Every path: the arms of top, mid and leaf.
  int Failed = 0;
  for (int sel = 0; sel < 48; ++sel) {
    double dx = 0;
    outer_grad(0.3, sel, dx);
    std::string Name = "outer" + std::to_string(sel);
    Failed += !lit::check(Name.c_str(), [&](const V &v) { return outer(v[0], sel); },
                          {0.3}, {dx});
  }
  std::printf("failed paths: %d\n", Failed);
  return 0;
}
// OUT: gradcheck outer0: ok
// OUT: gradcheck outer1: ok
// OUT: gradcheck outer13: ok
// OUT: gradcheck outer47: ok
// OUT: failed paths: 0
