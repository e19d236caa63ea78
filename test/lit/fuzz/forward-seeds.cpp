// Forward mode and second order on random programs: seeds 0-99 of
// test/fuzz/gen_programs.py also request ADJOINT_JVP and ADJOINT_HESSIAN
// (ADJOINT_JVP for the void ones), and each f_jvp is checked against f_grad
// by the dot-product identity <J v, w> = <v, J^T w>, each f_hvp by the
// Hessian's symmetry <u, H v> = <v, H u> (exact identities: rounding-level
// tolerances). Constructs forward mode rejects (std::vector locals, switch,
// functors, pointer locals, member calls) make a program rejected, not
// failed; vectors and switch are left out so that more programs run.
// RUN: rm -rf %t && mkdir -p %t
// RUN: python3 %S/../../fuzz/run.py --forward --without vectors,switch --seeds 0-99 --batch 50 -j 2 --keep %t \
// RUN:   --cxx "%adjoint_cxx" --link "%adjoint_link" | FileCheck %s
// CHECK: fuzz: 100 programs, {{[0-9]+}} ok, {{[0-9]+}} skipped (not smooth at the point), 0 failed
