// Structs adjoint cannot differentiate are errors with a hint, never a
// silently wrong gradient: pointers, bases, unions, private data, virtual
// functions, user-defined copies, constructors adjoint cannot follow,
// member functions writing differentiated structs, non-const
// references, writes to by-value struct parameters, addresses of structs.
// RUN: not %adjoint_cxx -c %s -o /dev/null 2>&1 | FileCheck %s --implicit-check-not="Stack dump" --implicit-check-not="error:"
#include <adjoint/adjoint.h>

struct WithPtr { double a; double *p; };
struct Base { double a; };
struct Derived : Base { double b; };
union U { double d; long l; };
struct Meth { double a, b; double sum() const { return a + b; } void scale(double s) { a *= s; } };
class Priv {
  double a;

public:
  Priv(double v);
  double get() const;
};
Priv::Priv(double v) : a(v) {}
double Priv::get() const { return a; }
struct Virt { double a; virtual double get() const { return a; } };
struct Copy { double a; Copy(double v) : a(v) {} Copy(const Copy &o) : a(o.a) {} };
struct Computed { double a, b; Computed(double x, double y) : a(x * y), b(y) {} Computed(double x) : Computed(x, x) {} };
struct Body { double a; Body(double x) { a = x; if (a < 0) a = -a; } };
struct P { double a, b; };

ADJOINT_GRAD(w) double f1(const WithPtr &w) { return w.a; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate with respect to 'w' of type 'const {{(struct |union )?}}WithPtr &': member 'p' of 'WithPtr' has type 'double *', which is not float, double, an integer or a struct of those; only structs and classes whose members are float, double, integers or such structs (no bases, unions, pointers, arrays, virtual functions or user-defined copies) are differentiable
ADJOINT_GRAD(d) double f2(const Derived &d) { return d.a; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate with respect to 'd' of type 'const {{(struct |union )?}}Derived &': 'Derived' has base classes;
ADJOINT_GRAD(u) double f3(const U &u) { return u.d; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate with respect to 'u' of type 'const {{(struct |union )?}}U &': 'U' is a union;
// Private data with no member function defined in the class, where adjoint
// would add its helpers; a method defined outside its class.
ADJOINT_GRAD(x) double f4(double x) { Priv p(x); return p.get(); }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate through the data members of 'Priv' that are not public: define a member function of 'Priv' in the class (adjoint adds its helpers after it), or make the data members public
// CHECK: errors-struct.cpp:[[@LINE-2]]:{{[0-9]+}}: error: adjoint: cannot differentiate the call of 'Priv::get': it is defined outside its class, where adjoint cannot add its generated member function; define it inside the class
ADJOINT_GRAD(v) double f4v(const Virt &v) { return v.a; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate with respect to 'v' of type 'const {{(struct |union )?}}Virt &': 'Virt' has virtual functions;
ADJOINT_GRAD(x) double f4c(double x) { Copy c(x); return c.a * x; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate through 'c' of type 'Copy': use a C array, std::vector<double> or scalar locals (or a struct of doubles: 'Copy' has a user-defined copy, move or destructor)
ADJOINT_GRAD(x) double f4d(double x) { Computed c(x); return c.a; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate the constructor of 'Computed' called here, which delegates or initializes a base in 'f4d': initialize each member from an expression of the constructor's parameters ('V3(double a, double b) : x(a), y(a * b) {}'), or build the object with a free function
ADJOINT_GRAD(x) double f4e(double x) { return Body(x).a; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate the constructor of 'Body' called here, which has a statement of kind 'IfStmt' in its body (only 'x = e;' and local declarations are replayed) in 'f4e': initialize each member from an expression of the constructor's parameters ('V3(double a, double b) : x(a), y(a * b) {}'), or build the object with a free function
ADJOINT_GRAD(x) double f6(double x) { Meth m{x, x}; m.scale(2.0); return m.a; }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate a call of the member function 'scale', which may write the data members of the differentiated struct 'm' in 'f6': make it a member function that only reads the object and returns its result, or a free function that takes the struct by const reference
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

// Member templates of class templates are not followed.
template <class T> struct TT { T s; template <class U> U operator()(U v) const { return s * v; } };
ADJOINT_GRAD(x) double f15(double x) { return TT<double>{2.0}(x); }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate the call of 'TT<double>::operator()', a member template of a class template: call a function at namespace scope, or a member of a class that is not a template

// A method writing a member of a differentiated temporary.
struct NC { double a; NC(double v) : a(v) {} double twice() { a *= 2; return a; } };
ADJOINT_GRAD(x) double f16(double x) { return NC(x).twice(); }
// CHECK: errors-struct.cpp:[[@LINE-1]]:{{[0-9]+}}: error: adjoint: cannot differentiate a call of the member function 'twice', which may write the data members of the differentiated temporary in 'f16': make it a member function that only reads the object and returns its result, or a free function that takes the struct by const reference

// A const method called on a differentiated struct is differentiated.
ADJOINT_GRAD(m) double f5(const Meth &m) { return m.sum() * m.a; }
// A struct with an int member and a method that is not called on it is fine.
struct Tagged { double v; int tag; double twice() const { return 2 * v; } };
ADJOINT_GRAD(t) double fine(const Tagged &t) { return t.v * t.tag; }

