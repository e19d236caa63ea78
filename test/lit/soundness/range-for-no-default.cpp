// A range-based for loop over elements of a class without a default
// constructor: the hoisted loop variable was declared `Site s;`, which did
// not compile. A struct of doubles is zeroed as bytes instead; another class
// that only the forward sweep reads is a copy declared in each iteration;
// one the reverse sweep reads is a located error.
// RUN: rm -rf %t && mkdir -p %t
// RUN: not %adjoint_cxx -DREJECTED -I%S/../scalar/Inputs -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR --implicit-check-not="error:"
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
#include "check.h"

#include <string>

struct Site {
  double center, weight;
  Site(double c, double w) : center(c), weight(w) {}
};

ADJOINT_GRAD(x) double energy(const std::vector<Site> &sites, double x) {
  double e = 0;
  for (auto s : sites)
    e += s.weight * (x - s.center) * (x - s.center);
  return e;
}
// CHECK-LABEL: double energy_vjp(
// CHECK:         Site s = ::adjoint::detail::zero_object<Site>();
// CHECK:         s = sites[_k0];

struct Label {
  std::string name;
  int slot;
  Label(std::string n, int k) : name(std::move(n)), slot(k) {}
};

// The reverse sweep does not read the label: each iteration copies it.
ADJOINT_GRAD(x) double labelled(const std::vector<Label> &labels, const double *x) {
  double s = 0;
  for (auto l : labels)
    if (l.name.size() > 1)
      s += x[0] * x[0];
    else
      s += x[1];
  return s;
}
// CHECK-LABEL: double labelled_vjp(
// CHECK:         Label l = labels[_k0];

#ifdef REJECTED
// Here the reverse sweep indexes with l.slot, after the iteration's copy.
ADJOINT_GRAD(x) double slotted(const std::vector<Label> &labels, const double *x) {
  double s = 0;
  for (auto l : labels)
    // ERR: range-for-no-default.cpp:[[@LINE-1]]:3: error: adjoint: cannot differentiate a range-based 'for' loop whose element type 'Label' has no default constructor in 'slotted': write an index loop
    s += x[l.slot] * x[l.slot];
  return s;
}
#else
int main() {
  std::vector<Site> sites = {Site(1.0, 1.0), Site(3.0, 2.0)};
  double dx = 0;
  energy_grad(sites, 1.5, dx);
  std::printf("energy: %g\n", dx);
  lit::check("energy", [&](const std::vector<double> &p) { return energy(sites, p[0]); },
             {1.5}, {dx});
  std::vector<Label> labels = {Label("ab", 0), Label("c", 1), Label("de", 1)};
  std::vector<double> x = {0.5, -2.0}, g(2);
  labelled_grad(labels, x.data(), g.data());
  lit::check("labelled",
             [&](const std::vector<double> &p) { return labelled(labels, p.data()); }, x, g);
}
#endif
// 2 (1 (1.5 - 1) + 2 (1.5 - 3)) = -5.
// OUT: energy: -5
// OUT: gradcheck energy: ok
// OUT: gradcheck labelled: ok
