// The training examples: the loss printed at the first step must be above
// the last one and the final accuracy must reach the threshold.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %adjoint_cxx %S/../../../examples/logistic_regression.cpp -o %t/logreg %adjoint_link
// RUN: %t/logreg > %t/logreg.txt
// RUN: FileCheck %s --check-prefix=LOGREG < %t/logreg.txt
// RUN: awk -f %S/Inputs/falls.awk -v min_accuracy=0.95 %t/logreg.txt
// RUN: %adjoint_cxx %S/../../../examples/mlp.cpp -o %t/mlp %adjoint_link
// RUN: %t/mlp > %t/mlp.txt
// RUN: FileCheck %s --check-prefix=MLP < %t/mlp.txt
// RUN: awk -f %S/Inputs/falls.awk -v min_accuracy=0.95 %t/mlp.txt

// LOGREG: step   0  loss {{[0-9.]+}}
// LOGREG: step 200  loss {{[0-9.]+}}
// LOGREG: accuracy {{[0-9.]+}}
// MLP: step    0  loss {{[0-9.]+}}
// MLP: step 2000  loss {{[0-9.]+}}
// MLP: accuracy {{[0-9.]+}}
