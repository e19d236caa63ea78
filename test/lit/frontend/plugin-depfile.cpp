// The rewritten main file keeps its FileEntry: the depfile names the real
// source and headers once.
// The sanitizers add their ignore lists to the dependencies.
// UNSUPPORTED: sanitize
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx -I%S/Inputs -MD -MF %t/deps.d -c %s -o %t/a.o
// RUN: FileCheck %s --check-prefix=DEPS < %t/deps.d
// DEPS: a.o: \
// DEPS-NEXT: {{.*}}plugin-depfile.cpp \
// DEPS-NEXT: {{.*}}Inputs{{/|\\}}cube.h \
// DEPS-NOT: plugin-depfile.cpp
// DEPS-NOT: cube.h
#include "cube.h"

ADJOINT_GRAD(x) double sq(double x) { return x * x; }

static_assert(__LINE__ == 17, "#line restores the numbering");