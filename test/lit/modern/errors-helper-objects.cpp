// Member functions that write their object's data members, called on local
// helper objects with differentiated arguments, are errors at the call: the
// object would carry derivatives through the method, which adjoint does not
// follow. Whether a method writes is read from its body, not its const.
// RUN: not %adjoint_cxx -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not="Stack dump" --implicit-check-not="error:"
#include <adjoint/adjoint.h>
#include <vector>

struct Acc { double sum = 0; void add(double v) { sum += v * v; } };
ADJOINT_GRAD(x) double f17(const double *x, int n) { Acc a; for (int i = 0; i < n; ++i) a.add(x[i]); return a.sum; }
// CHECK: errors-helper-objects.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate a call of the member function 'add', which may write the data members of the differentiated struct 'a' in 'f17': make it a member function that only reads the object and returns its result, or a free function that takes the struct by const reference
// Writing only an integer member (a call counter) is a write too.
struct Counted { double mu = 0; int calls = 0; double at(double v) { ++calls; return v - mu; } double twice(double v) { return 2 * at(v); } };
ADJOINT_GRAD(x) double f18(double x) { Counted c; return c.twice(x) * x; }
// CHECK: errors-helper-objects.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate a call of the member function 'twice', which may write the data members of the differentiated struct 'c' in 'f18': make it a member function that only reads the object and returns its result, or a free function that takes the struct by const reference
// A class adjoint does not model, whose method stores its argument.
struct Memo { std::vector<double> seen; double sq(double v) { seen.push_back(v); return v * v; } };
ADJOINT_GRAD(x) double f19(double x) { Memo m; return m.sq(x) + x; }
// CHECK: errors-helper-objects.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate through 'm' of type 'Memo': use a C array, std::vector<double> or scalar locals (or a struct of doubles: member 'seen' of 'Memo' has type 'std::vector<double>', which is not float, double, an integer or a struct of those)
