// Annotated non-static member functions defined in their class: the
// generated loss_vjp/loss_grad are members too (const when loss is), called
// as model.loss_grad(...), and read the object's data members as constants.
// Methods they call get member pullbacks, run on the same object.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/../scalar/Inputs -fplugin-arg-adjoint-dump %s -o %t/a.out %adjoint_link 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
// RUN: %t/a.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_cxx -fsanitize=address,undefined -fno-sanitize-recover=all -I%S/../scalar/Inputs %s -o %t/asan.out %adjoint_link
// RUN: %t/asan.out | FileCheck %s --check-prefix=OUT
// RUN: %adjoint_gen %s -o %t/gen.cpp -- -std=c++17 -I%adjoint_include -I%S/../scalar/Inputs
// RUN: %gxx -I%S/../scalar/Inputs %t/gen.cpp -o %t/gxx.out %adjoint_link
// RUN: %t/gxx.out | FileCheck %s --check-prefix=OUT
#include "check.h"
#include <cmath>
#include <vector>

class Model {
public:
  explicit Model(std::vector<double> w) : w_(std::move(w)) {}

  // A helper member, non-const, that only reads the object.
  double weighted(double v, int i) { return w_[i] * v; }
  double scaled(double v) const { return scale_ * std::tanh(v); }

  ADJOINT_GRAD(x) double loss(const double *x, int n) const {
    double s = 0;
    for (int i = 0; i < n; ++i)
      s += w_[i] * x[i] * x[i] + bias_[i % 2] * x[i];
    return s + scaled(x[0]);
  }
  // CHECK-LABEL: double loss_vjp(const double * __restrict x, int n, double _seed, double *_d_x) const {
  // CHECK:         scaled_pullback(x[0], _seed, _r{{[0-9]+}});
  // CHECK-LABEL: double loss_grad(const double * x, int n, double *_d_x) const {

  // Not const: the gradient is not const either. It calls a non-const
  // member and reaches members through this->.
  ADJOINT_GRAD(x, t) double fit(const double *x, double t) {
    double r = weighted(x[0], 0) + this->weighted(x[1], 1) - t;
    return r * r * this->scale_;
  }
  // CHECK-LABEL: double fit_vjp(const double * __restrict x, double t, double _seed, double *_d_x, double &_d_t) {
  // CHECK:         this->weighted_pullback(x[1], 1, _d_r, _r{{[0-9]+}});
  // CHECK-LABEL: void weighted_pullback(double v, int i, double _d_return, double &_d_v) {
  // CHECK-LABEL: void scaled_pullback(double v, double _d_return, double &_d_v) const {

  int calls = 0;

private:
  std::vector<double> w_;
  double bias_[2] = {0.5, -0.25};
  double scale_ = 1.5;
};

int main() {
  Model model({1.0, 2.0, 0.5});
  std::vector<double> x = {0.3, -0.7, 1.1};
  std::vector<double> g(3, 0.0);
  model.loss_grad(x.data(), 3, g.data());
  lit::check("loss",
             [&](const std::vector<double> &p) { return model.loss(p.data(), 3); },
             x, g);
  std::vector<double> g2(2, 0.0);
  double dt = 0;
  model.fit_grad(x.data(), 0.2, g2.data(), dt);
  g2.push_back(dt);
  lit::check("fit",
             [&](const std::vector<double> &p) {
               return model.fit(p.data(), p[2]);
             },
             {0.3, -0.7, 0.2}, g2);
}
// OUT: gradcheck loss: ok
// OUT: gradcheck fit: ok
