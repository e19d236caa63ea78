// The differential test in CI: 300 random programs of
// test/fuzz/gen_programs.py (seeds 0-299), 50 per translation unit, each
// gradient compared with central finite differences by test/fuzz/run.py.
// Any other seed set: python3 test/fuzz/run.py --seeds 0-999.
// Early returns (nested in if/else they end nothing and seed twice) and
// std::vector locals (free(): invalid pointer in the reverse sweep) are off
// until those bugs are fixed (seeds 145 and 109 of the full generator show
// them: python3 test/fuzz/gen_programs.py --seeds 145);
// everything else, including local arrays, break, continue and switch, is on.
// RUN: rm -rf %t && mkdir -p %t
// RUN: python3 %S/../../fuzz/run.py --seeds 0-299 --batch 50 -j 2 --keep %t \
// RUN:   --without return,vectors \
// RUN:   --cxx "%adjoint_cxx" --link "%adjoint_link" | FileCheck %s
// CHECK: fuzz: 300 programs, {{[0-9]+}} ok, {{[0-9]+}} skipped (not smooth at the point), 0 failed
