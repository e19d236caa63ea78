// The generated reverse pass of tensor functions: the pullback calls in
// reverse order, unused() for inactive tensor arguments (data, like tensors
// without requires_grad), and no adjoint code at all for no_grad and detach.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -fplugin-arg-adjoint-dump -c %s -o %t/a.o 2> %t/dump.txt
// RUN: FileCheck %s < %t/dump.txt
#include <adjoint/adjoint.h>

using adjoint::Tensor;

// The tutorial's network: x and y are data.
ADJOINT_GRAD(w, b)
Tensor loss(const Tensor &x, const Tensor &y, const Tensor &w,
            const Tensor &b) {
  Tensor z = matmul(x, w) + b;
  return binary_cross_entropy_with_logits(z, y);
}
// Temporaries and parameters spell the tensor type fully qualified, whatever
// the user's using-declarations.
// CHECK-LABEL: ::adjoint::Tensor loss_vjp(const ::adjoint::Tensor & x, const ::adjoint::Tensor & y, const ::adjoint::Tensor & w, const ::adjoint::Tensor & b, const ::adjoint::Tensor &_seed, ::adjoint::Tensor &_d_w, ::adjoint::Tensor &_d_b) {
// CHECK:      ::adjoint::Tensor _t0;
// CHECK-NEXT: _t0 = matmul(x, w);
// CHECK-NEXT: ::adjoint::Tensor z = _t0 + b;
// CHECK-NEXT: ::adjoint::Tensor _ret0 = binary_cross_entropy_with_logits(z, y);
// CHECK-NEXT: ::adjoint::Tensor _seed0 = ::adjoint::derivatives::resolve_seed(_seed, _ret0);
// The target y is data: its adjoint is unused() and the scalar loop for it
// never runs. Pullbacks accumulate straight into the adjoints of variables
// (_d_z, _d_b, _d_w), with no temporary copied into them afterwards.
// CHECK-NEXT: ::adjoint::derivatives::binary_cross_entropy_with_logits_pullback(z, y, _seed0, _d_z, ::adjoint::derivatives::unused());
// CHECK-NEXT: ::adjoint::Tensor [[DT0:_r[0-9]+]];
// CHECK-NEXT: ::adjoint::derivatives::add_pullback(_t0, b, _d_z, [[DT0]], _d_b);
// No GEMM for x's gradient.
// CHECK-NEXT: ::adjoint::derivatives::matmul_pullback(x, w, [[DT0]], ::adjoint::derivatives::unused(), _d_w);
// CHECK-NEXT: return _ret0;
// The implicit seed of the one-element loss.
// CHECK-LABEL: ::adjoint::Tensor loss_grad(const ::adjoint::Tensor & x, const ::adjoint::Tensor & y, const ::adjoint::Tensor & w, const ::adjoint::Tensor & b, ::adjoint::Tensor &_d_w, ::adjoint::Tensor &_d_b) {
// CHECK-NEXT:   return loss_vjp(x, y, w, b, ::adjoint::Tensor(), _d_w, _d_b);

// with torch.no_grad(): the whole body is inactive.
ADJOINT_GRAD(w, b)
Tensor no_grad(const Tensor &x, const Tensor &y, const Tensor &w,
               const Tensor &b) {
  adjoint::NoGradGuard guard;
  Tensor z = matmul(x, w) + b;
  return binary_cross_entropy_with_logits(z, y);
}
// CHECK-LABEL: ::adjoint::Tensor no_grad_vjp(
// CHECK-NOT:   _pullback
// CHECK-NOT:   accumulate
// CHECK:       return _ret0;

// z.detach(): nothing flows back through z_det.
ADJOINT_GRAD(w, b)
Tensor detached(const Tensor &x, const Tensor &y, const Tensor &w,
                const Tensor &b) {
  Tensor z = matmul(x, w) + b;
  Tensor z_det = z.detach();
  return binary_cross_entropy_with_logits(z_det, y);
}
// CHECK-LABEL: ::adjoint::Tensor detached_vjp(
// CHECK-NOT:   _pullback
// CHECK-NOT:   accumulate
// CHECK:       return _ret0;

// A frozen parameter: detach(w) stops w's gradient, b still gets one.
ADJOINT_GRAD(w, b)
Tensor frozen(const Tensor &x, const Tensor &w, const Tensor &b) {
  return sum(matmul(x, adjoint::detach(w)) + b);
}
// CHECK-LABEL: ::adjoint::Tensor frozen_vjp(
// CHECK-NOT:   matmul_pullback
// CHECK:       ::adjoint::derivatives::add_pullback(_t{{[0-9]+}}, b, {{_r[0-9]+}}, ::adjoint::derivatives::unused(), _d_b);
// CHECK-NOT:   _d_w
// CHECK:       return

// Member calls and operators map to their rules; an integer exponent gets no
// adjoint, a double one does.
ADJOINT_GRAD(inp, p)
Tensor members(const Tensor &inp, double p) {
  return (inp + 1).pow(2).t() * p;
}
// CHECK-LABEL: ::adjoint::Tensor members_vjp(const ::adjoint::Tensor & inp, double p, const ::adjoint::Tensor &_seed, ::adjoint::Tensor &_d_inp, double &_d_p) {
// CHECK:       ::adjoint::derivatives::mul_pullback(_t0, p, _seed0, [[DT:_r[0-9]+]], [[DP:_r[0-9]+]]);
// CHECK:       ::adjoint::derivatives::t_pullback(_t1, [[DT]], [[DSQ:_r[0-9]+]]);
// CHECK:       ::adjoint::derivatives::pow_pullback(_t2, 2, [[DSQ]], [[DPLUS:_r[0-9]+]]);
// CHECK:       ::adjoint::derivatives::add_pullback(inp, 1, [[DPLUS]], _d_inp);
// CHECK:       _d_p += [[DP]];

// A variable passed twice to one call gets temporaries, which then move into
// its adjoint (no copy when the adjoint is still undefined); a reassigned
// variable's adjoint moves out to become the upstream gradient.
ADJOINT_GRAD(w)
Tensor square(const Tensor &w, int n) {
  Tensor h = w * 2;
  for (int i = 0; i < n; ++i)
    h = h * w;
  return sum(h * h);
}
// CHECK-LABEL: ::adjoint::Tensor square_vjp(
// CHECK:       ::adjoint::derivatives::mul_pullback(h, h, {{_r[0-9]+}}, [[A:_r[0-9]+]], [[B:_r[0-9]+]]);
// CHECK-NEXT:  ::adjoint::derivatives::accumulate(_d_h, std::move([[A]]));
// CHECK-NEXT:  ::adjoint::derivatives::accumulate(_d_h, std::move([[B]]));
// CHECK:       ::adjoint::Tensor [[UP:_r[0-9]+]] = std::move(_d_h);
// CHECK-NEXT:  ::adjoint::derivatives::mul_pullback(h, w, [[UP]], _d_h, _d_w);
// CHECK:       ::adjoint::derivatives::mul_pullback(w, 2, _d_h, _d_w);
