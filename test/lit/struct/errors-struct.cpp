// Structs adjoint cannot differentiate are errors with a hint, never a
// silently wrong gradient: pointers, bases, unions, constructors, member
// functions called on differentiated structs, non-const references, writes to
// by-value struct parameters, addresses of structs.
// RUN: not %adjoint_cxx -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not="Stack dump" --implicit-check-not="error:"
#include <adjoint/adjoint.h>

struct WithPtr { double a; double *p; };
struct Base { double a; };
struct Derived : Base { double b; };
union U { double d; long l; };
struct Meth { double a, b; double sum() const { return a + b; } void scale(double s) { a *= s; } };
struct Ctor { double a; Ctor(double v) : a(v) {} };
struct P { double a, b; };

ADJOINT_GRAD(w) double f1(const WithPtr &w) { return w.a; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate with respect to 'w' of type 'const {{(struct |union )?}}WithPtr &': member 'p' of 'WithPtr' has type 'double *', which is not float, double, an integer or a struct of those; only structs whose members are float, double, integers or such structs (no bases, unions, pointers, arrays or constructors) are differentiable
ADJOINT_GRAD(d) double f2(const Derived &d) { return d.a; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate with respect to 'd' of type 'const {{(struct |union )?}}Derived &': 'Derived' has base classes;
ADJOINT_GRAD(u) double f3(const U &u) { return u.d; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate with respect to 'u' of type 'const {{(struct |union )?}}U &': 'U' is a union;
ADJOINT_GRAD(c) double f4(const Ctor &c) { return c.a; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate with respect to 'c' of type 'const {{(struct |union )?}}Ctor &': 'Ctor' has constructors, private members or virtual functions;
ADJOINT_GRAD(m) double f5(const Meth &m) { return m.sum() * m.a; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate a call of member function 'sum' of the differentiated struct 'm' in 'f5': make it a free function that takes the struct by const reference
ADJOINT_GRAD(x) double f6(double x) { Meth m{x, x}; m.scale(2.0); return m.a; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate a call of member function 'scale' of the differentiated struct 'm' in 'f6': make it a free function that takes the struct by const reference
ADJOINT_GRAD(p) double f7(P &p) { return p.a; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate with respect to 'p' of type 'P &' in 'f7': pass the struct by const reference (results go through the return value or 'double*' parameters)
ADJOINT_GRAD(p) double f8(P p) { p.a = 2 * p.b; return p.a; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate with respect to 'p' of type 'P' in 'f8', which the function assigns: copy it into a local struct and modify the copy
void bump(P &q) { q.a += 1; }
ADJOINT_GRAD(x) double f9(double x) { P q{x, x}; bump(q); return q.a; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate passing the differentiated struct 'q' by non-const reference in 'f9': pass it by const reference and return the result, or write outputs through 'double*' parameters
// A pointer to a struct carries no adjoint.
ADJOINT_GRAD(x) double f10(double x) { P q{x, x}; const P *pq = &q; return pq->a; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate through 'pq' of type 'const P *': use a C array, std::vector<double> or scalar locals
// A union receiving differentiated values.
ADJOINT_GRAD(x) double f11(double x) { U u; u.d = x * x; return u.d; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate through 'u' of type 'U': use a C array, std::vector<double> or scalar locals (or a struct of doubles: 'U' is a union)

struct Cst { const double a; double b; };
ADJOINT_GRAD(c) double f13(const Cst &c) { return c.b; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate with respect to 'c' of type 'const {{(struct |union )?}}Cst &': member 'a' of 'Cst' is const;
struct Anon { struct { double u; }; double v; };
ADJOINT_GRAD(a) double f14(const Anon &a) { return a.v; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate with respect to 'a' of type 'const {{(struct |union )?}}Anon &': 'Anon' has an anonymous struct or union member;

// A struct with an int member and a method that is not called on it is fine.
struct Tagged { double v; int tag; double twice() const { return 2 * v; } };
ADJOINT_GRAD(t) double fine(const Tagged &t) { return t.v * t.tag; }
