// The differential test in CI: 300 random programs of
// test/fuzz/gen_programs.py (seeds 0-299), 50 per translation unit, each
// gradient compared with central finite differences by test/fuzz/run.py.
// Any other seed set: python3 test/fuzz/run.py --seeds 0-999, or
// scripts/fuzz.sh START COUNT for big runs.
// Every construct of the generator is on: local arrays, std::vector locals,
// break, continue, early returns and switch (the seeds that found the bugs in
// early returns and vectors are kept as source in regressions.cpp), and the
// idioms of real code that broke adjoint (helpers filling local buffers,
// functors, class temporaries, row pointers, macros with operators, counters
// in nested branches, several declarators, float math). A program adjoint
// rejects with a located error is counted as rejected, not failed; a wrong
// gradient, generated code that does not compile or a crash fails.
// RUN: rm -rf %t && mkdir -p %t
// RUN: python3 %S/../../fuzz/run.py --seeds 0-299 --batch 50 -j 2 --keep %t \
// RUN:   --cxx "%adjoint_cxx" --link "%adjoint_link" | FileCheck %s
// CHECK: fuzz: 300 programs, {{[0-9]+}} ok, {{[0-9]+}} skipped (not smooth at the point), 0 failed
