"""Idioms of real code that broke adjoint, for gen_programs.py.

Each idiom is a feature of gen_programs.FEATURES (switchable with --without):

  bufhelper      helpers `void f(const double *in, double *out, int m)` and
                 ones writing `out[i] = ...` of active scalars, called on
                 local arrays / std::vectors through `v.data()`, `&v[0]`,
                 `&v[i]`, `v + k`, then the buffers are read; a helper writing
                 two local buffers in one call; in the output function, a
                 helper writing the output through `&out[0]` / `out + 1`.
  functor        a struct with `double operator()(double) const`, one with a
                 template `T operator()(T) const`, called on named objects and
                 on temporaries `F{c}(x)`; a struct of constants.
  classtmp       a class V2 with a constructor and operators, temporaries of
                 active values (`V2(a, b) * s`), members read back; non-member
                 operators and functions returning V2, a local array of V2
                 (outside loops), members of a class template.
  rowptr         a local pointer reassigned each iteration into an input or
                 output row (`row = x + i * 2;`, `double *o = out + i;`).
  macro          operand macros with operators, unparenthesised on purpose
                 (`#define M_SUM(p, q) p + q`, `#define DEN (a) * (a) + 1.0`).
  nestedcounter  a nested loop whose inner branch tests the inner counter and
                 bumps an integer index used to read x.
  multidecl      several declarators per declaration, also arrays
                 (`double p[5], q[5];`, `double u = .., w[3] = {..};`).
  floatmath      float locals with sqrtf, expf, logf, tanhf, fabsf, powf and
                 std:: overloads on float (the seed is then checked with a
                 looser tolerance).
  callwrites     a helper writing outputs and returning a bool or a value,
                 called in a declaration (`bool ok = res(x + k, r);`, `double
                 v = val(&x[k], r);`), then the outputs are read.
  costfunctor    a cost functor with `template <class T> bool operator()(const
                 T *q, T *r) const`, called as a statement on a named object
                 or a temporary.
  rangefor       range-based for over a local array (by value, `const&`,
                 `auto`).
  localref       a local const reference to an element of x.
  inout          helpers that read and rewrite a buffer in place to an extent
                 they are given (`distort(k, v, m)`, as bundle adjustment's
                 radial_distort), called from a helper whose pointer
                 parameter they rewrite (its extent unknown there), and
                 writing a `double&` too; called on local buffers and on the
                 output.
  lambdacap      lambdas capturing differentiated data by reference (`[&]`,
                 reading x and locals, or accumulating into a captured local)
                 and by value (`[x]`), called in loops and in expressions;
                 lambdas passed to std::accumulate and std::transform (into a
                 local array, then std::inner_product over it).
  writeref       references that write what they refer to: a range-based for
                 with `double &v` writing a local array's elements, a local
                 `double &r` to a local or to an element of a local array.
  cread          C-style helpers declared by prototype before the function
                 and defined after it, taking `double *` (not const) that
                 they only read, directly or by passing it on to another
                 such helper; one also writes a one-element output.
  helperobj      a local helper object with member functions not declared
                 const that only read it (`Dist g; g.cdf(t)`, as option
                 pricers write normalDist), also built from active values
                 (`Dist h{t, 1.5}`), and a setter changing it between calls.
  table2d        a constant static 2-D table (`static const double T[2][3]`,
                 one braced list per row or a flat list) read with constants
                 and loop counters, also inside loops.
  ctorfor        a range-based for by value over a std::vector of a struct
                 of doubles with a constructor and no default constructor,
                 whose members scale differentiated values (at the top
                 level, before any return).
  sbind          a const structured binding of integer indices at the
                 function's top level, before any return (`const auto [i, j]
                 = pair;`), that indexes x.
  intstate       an integer index that changes in a small loop, through a
                 helper writing it by pointer (`setk(k, q)`) or by reference
                 (`bump(k)`), or through a local pointer naming it (`int *pk
                 = kk; pk[1] = q;`), and indexes x in the same iteration
                 (inside loops, only by reference: arrays stay outside loop
                 bodies).
  ptrarith       elements of a local array written and read through pointer
                 arithmetic (`*(pa + q) = ...`, `*(q + pa)`, `(pa + 1)[0]`)
                 in a small loop, outside other loops.
  alias          a local pointer into a local array, written through in a
                 loop (`double *pa = al; pa[1] = ...;`) while the array is
                 read by its own name, outside other loops.
  ctorcompute    classes whose constructors compute members from their
                 parameters (`m(a * b)`, a member read by a later
                 initializer or a default member initializer, a body with a
                 local and reassignments), built as named
                 locals, temporaries and braced lists of active values.
  minmaxelem     `*std::max_element` / `*std::min_element` over x, a local
                 array or a local std::vector of active values (outside
                 loops), with or without a captureless comparator.
  genericalg     lambdas with `auto` parameters passed to std::transform
                 (into a local std::vector) and std::accumulate, outside
                 loops.

Idioms in LATER were added after seeds had been reported: each is added to
a program's kinds by a draw of its own, so that the programs of the seeds
without it are the same as before.

All decisions are drawn from `self.nrng`, a generator of its own, and the
idioms only add lines (counted in `self.extra`), never change the state the
old generator draws from: a seed's program without these features is the
same as before they existed.
"""

import random

N = 5  # length of x, as in gen_programs
M = 3  # length of the output of the output function
BUF = 7  # length of the local buffers of bufhelper/rowptr

NEW = ["bufhelper", "functor", "classtmp", "rowptr", "macro",
       "nestedcounter", "multidecl", "floatmath", "callwrites", "costfunctor",
       "rangefor", "localref", "inout", "lambdacap",
       "writeref"]
LATER = ["cread", "helperobj", "table2d", "ctorfor", "sbind", "intstate",
         "ptrarith", "alias", "ctorcompute", "minmaxelem", "genericalg"]


class IdiomMixin:
    """Mixed into gen_programs.Gen."""

    def init_idioms(self, nrng):
        self.nrng = nrng
        if nrng is None:
            self.kinds = []
            return
        # A few idiom kinds per function, so that a rejection or failure is
        # attributed to few of them. They are drawn from all idioms, and
        # every idiom's body from a generator of its own, so that switching
        # an idiom off only removes its lines (run.py tests rejected
        # programs again without the rejected idioms).
        k = nrng.choice([1, 1, 2, 2, 3])
        self.kinds = nrng.sample(NEW, k)
        later = random.Random("%s:later" % self.name)
        self.kinds += [kind for kind in LATER if later.random() < 0.1]

    def nfresh(self, prefix):
        self.ncounter += 1
        return "%s_%d" % (prefix, self.ncounter)

    def emitx(self, line):
        """Emits an idiom's line, tagged with its kind (run.py attributes
        compile errors to idioms by the tag)."""
        self.emit(line + "  // idiom:%s" % self.cur_kind)
        self.extra += 1

    def decl(self, key, lines):
        """Namespace-scope lines (helpers, structs, macros), once each."""
        if key not in self.declared:
            self.declared.add(key)
            self.decls += [l + "  // idiom:%s" % self.cur_kind for l in lines]

    def post_decl(self, key, lines):
        """Namespace-scope lines after the function (definitions of helpers
        it calls by prototype), once each."""
        if key not in self.post_declared:
            self.post_declared.add(key)
            self.post_decls += [l + "  // idiom:%s" % self.cur_kind for l in lines]

    def nx(self, fn="bounded", *args):
        """An expression from the idioms' generator."""
        saved = self.rng
        self.rng = self.nrng
        try:
            return getattr(self, fn)(*args)
        finally:
            self.rng = saved

    def top(self):
        return self.depth == 0 and self.loops == 0

    def itarget(self):
        r = self.nrng.random()
        if self.void and r < 0.35:
            return "out[%d]" % self.nrng.randrange(M)
        if self.locals and r < 0.85:
            return self.nrng.choice(self.locals)
        return self.nrng.choice(["a", "b"])

    def combine(self, val):
        t = self.itarget()
        form = self.nrng.choice(["{t} += 0.5 * std::tanh({v});",
                                 "{t} = std::tanh({t} + {v});",
                                 "{t} -= 0.25 * std::sin({v});"])
        self.emitx(form.format(t=t, v=val))

    def c(self, lo=-1.0, hi=1.0):
        return "%.2f" % self.nrng.uniform(lo, hi)

    def maybe_idiom(self, end=False):
        """Called before each statement (and once at the function's end):
        sometimes emits an idiom."""
        if not self.kinds or self.simple or self.nidioms >= 4:
            return
        if not (set(self.kinds) & self.features):
            return
        if self.nrng.random() >= (0.75 if end else 0.12):
            return
        kind = self.nrng.choice(self.kinds)
        sub = random.Random(self.nrng.random())
        self.nidioms += 1
        if kind not in self.features:
            return
        self.used.add(kind)
        self.cur_kind = kind
        saved, self.nrng = self.nrng, sub
        try:
            getattr(self, "idiom_" + kind)()
        finally:
            self.nrng = saved

    def block_open(self):
        self.emitx("{")
        self.depth += 1

    def block_close(self):
        self.depth -= 1
        self.emitx("}")

    # bufhelper ---------------------------------------------------------

    def buf_decls(self):
        p = self.name
        c1, c2, c3 = self.c(0.3, 1.0), self.c(-0.5, 0.5), self.c(-0.8, 0.8)
        self.decl("buf", [
            "inline void %s_fill(const double *in, double *out, int m) {" % p,
            "  for (int j = 0; j < m; ++j)",
            "    out[j] = std::tanh(in[j]) * %s + %s * in[(j + 1) %% m];" % (c1, c2),
            "}",
            "inline void %s_put(double *out, double u, double w) {" % p,
            "  out[0] = u * w;",
            "  out[1] = std::sin(u) + %s * w;" % c3,
            "}",
            "inline void %s_two(const double *in, double *p, double *q, int m) {" % p,
            "  for (int j = 0; j < m; ++j) {",
            "    p[j] = std::sin(in[j]) + 0.5;",
            "    q[j] = in[j] * p[j];",
            "  }",
            "}",
        ])

    def declare_buffers(self):
        """At the top level, right after the locals: the buffers that
        bufhelper and rowptr write (arrays may only be declared there)."""
        self.bufs = []  # (name, "array" | "vector")
        if not self.kinds:
            return
        rng = random.Random(self.nrng.random())
        on = {"bufhelper", "rowptr", "inout"} & set(self.kinds) & self.features
        if not on:
            return
        self.cur_kind = sorted(on)[0]
        for _ in range(rng.choice([1, 2])):
            b = self.nfresh("bf")
            if rng.random() < 0.5:
                self.emitx("double %s[%d] = {0.0};" % (b, BUF))
                self.bufs.append((b, "array"))
            else:
                self.emitx("std::vector<double> %s(%d);" % (b, BUF))
                self.bufs.append((b, "vector"))

    def bufptr(self, b, kind, k):
        """A pointer to element k of buffer b, spelt one of the ways."""
        forms = ["&%s[%s]" % (b, k)]
        if k == "0":
            forms += ["&%s[0]" % b] + (["%s.data()" % b] if kind == "vector" else [b])
        else:
            forms += ["%s.data() + %s" % (b, k)] if kind == "vector" else ["%s + %s" % (b, k)]
        return self.nrng.choice(forms)

    def src(self, m):
        """A read-only source of m elements: x + k or an idiom buffer."""
        k = self.nrng.randrange(N - m + 1)
        return self.nrng.choice(["x + %d" % k, "&x[%d]" % k, "x" if k == 0 else "x + %d" % k])

    def idiom_bufhelper(self):
        self.buf_decls()
        p = self.name
        self.memwrites += 1
        reads = []
        calls = self.nrng.randint(1, 3)
        idx = None
        if self.ints and not self.top() and self.nrng.random() < 0.6:
            idx = self.nrng.choice(self.ints)  # < N, so &b[i] + 2 <= BUF
        self.block_open()
        for _ in range(calls):
            b, kind = self.nrng.choice(self.bufs)
            r = self.nrng.random()
            if self.void and r < 0.3:
                # The function's own output.
                r2 = self.nrng.random()
                if r2 < 0.4:
                    self.emitx("%s_put(%s, %s, %s);" % (
                        p, self.nrng.choice(["&out[0]", "out", "out + 1", "&out[1]"]),
                        self.nx(), self.nx("leaf")))
                elif r2 < 0.7:
                    self.emitx("%s_fill(%s, %s, 2);" % (
                        p, self.src(2), self.nrng.choice(["out + 1", "&out[1]", "&out[0]", "out"])))
                else:
                    self.emitx("%s_two(%s, %s, %s, 2);" % (
                        p, self.src(2), self.nrng.choice(["&out[0]", "out + 1"]),
                        self.bufptr(b, kind, "0")))
                    reads += ["%s[%d]" % (b, j) for j in range(2)]
                reads.append("out[%d]" % self.nrng.randrange(M))
                continue
            if r < 0.4:
                k = idx if idx is not None else str(self.nrng.randrange(BUF - 1))
                self.emitx("%s_put(%s, %s, %s);" % (p, self.bufptr(b, kind, k),
                                                     self.nx(), self.nx("leaf")))
                reads += ["%s[%s]" % (b, k), "%s[%s + 1]" % (b, k)]
            elif r < 0.75:
                m = self.nrng.randint(1, 2) if idx is not None else self.nrng.randint(1, 4)
                k = idx if idx is not None else str(self.nrng.randrange(BUF - m + 1))
                others = [(o, ok) for o, ok in self.bufs if o != b]
                if others and self.nrng.random() < 0.4:
                    o, ok = others[0]
                    source = self.bufptr(o, ok, "0")
                else:
                    source = self.src(m)
                self.emitx("%s_fill(%s, %s, %d);" % (p, source, self.bufptr(b, kind, k), m))
                reads += ["%s[%s]" % (b, k)]
            else:
                m = self.nrng.randint(1, 3)
                if len(self.bufs) > 1:
                    (b1, k1), (b2, k2) = self.bufs[0], self.bufs[1]
                    q1 = self.bufptr(b1, k1, "0")
                    q2 = self.bufptr(b2, k2, str(self.nrng.randrange(BUF - m + 1)))
                    reads += ["%s[0]" % b1, "%s[%d]" % (b2, BUF - 1)]
                else:
                    # Two disjoint parts of one buffer.
                    q1 = self.bufptr(b, kind, "0")
                    q2 = self.bufptr(b, kind, "3")
                    reads += ["%s[0]" % b, "%s[3]" % b]
                self.emitx("%s_two(%s, %s, %s, %d);" % (p, self.src(m), q1, q2, m))
        reads = list(dict.fromkeys(reads))
        val = " + ".join("%s * %s" % (self.c(), r) for r in self.nrng.sample(reads, min(3, len(reads))))
        self.combine(val)
        self.block_close()

    # inout -------------------------------------------------------------

    def idiom_inout(self):
        p = self.name
        c1, c2, c3 = self.c(0.1, 0.4), self.c(-0.6, 0.6), self.c(0.5, 1.5)
        self.decl("inout", [
            "inline double %s_sq(int m, const double *v) {" % p,
            "  double s = 0;",
            "  for (int j = 0; j < m; ++j)",
            "    s = s + v[j] * v[j];",
            "  return s;",
            "}",
            "inline void %s_distort(const double *k, double *v, int m) {" % p,
            "  double r = %s_sq(m, v);" % p,
            "  double L = 1.0 + %s * std::tanh(k[0]) * r;" % c1,
            "  for (int j = 0; j < m; ++j)",
            "    v[j] = v[j] * L;",
            "}",
            "inline void %s_smooth(double *v, int m, double &acc) {" % p,
            "  for (int j = 1; j < m; ++j) {",
            "    v[j] += %s * std::sin(v[j - 1]);" % c2,
            "    acc = acc + v[j] * %s;" % c3,
            "  }",
            "  v[0] *= %s;" % c3,
            "}",
            "inline void %s_proj(const double *k, const double *in, double *v, int m, double &acc) {" % p,
            "  for (int j = 0; j < m; ++j)",
            "    v[j] = std::tanh(in[j]) + k[0] * in[(j + 1) % m];",
            "  %s_distort(k, v, m);" % p,
            "  if (m > 1)",
            "    %s_smooth(v, m, acc);" % p,
            "}",
        ])
        self.memwrites += 1
        self.block_open()
        reads = []
        for _ in range(self.nrng.randint(1, 2)):
            r = self.nrng.random()
            acc = self.itarget()
            if self.void and r < 0.35:
                off = self.nrng.randrange(M)
                m = self.nrng.randint(1, M - off)
                target = self.nrng.choice(["out + %d" % off, "&out[%d]" % off])
                reads.append("out[%d]" % off)
            elif self.bufs:
                b, kind = self.nrng.choice(self.bufs)
                k = self.nrng.randrange(BUF - 1)
                m = self.nrng.randint(1, min(N, BUF - k))
                target = self.bufptr(b, kind, str(k))
                reads.append("%s[%d]" % (b, k))
            else:
                continue
            if acc.startswith("out[") and target.lstrip("&").startswith("out"):
                # A reference into the buffer the call rewrites would alias
                # it (adjoint rejects that); accumulate elsewhere.
                acc = self.nrng.choice(self.locals or ["a", "b"])
            if self.nrng.random() < 0.6:
                self.emitx("%s_proj(%s, %s, %s, %d, %s);" % (
                    p, self.src(1), self.src(m), target, m, acc))
            elif self.nrng.random() < 0.5:
                self.emitx("%s_distort(%s, %s, %d);" % (p, self.src(1), target, m))
            else:
                self.emitx("%s_smooth(%s, %d, %s);" % (p, target, m, acc))
        if reads:
            self.combine(" + ".join("%s * %s" % (self.c(), r) for r in reads))
        self.block_close()

    # functor -----------------------------------------------------------

    def idiom_functor(self):
        p = self.name
        self.decl("functor", [
            "struct %s_F {" % p,
            "  double c;",
            "  double operator()(double t) const { return c * std::sin(t) + 0.5 * t; }",
            "};",
            "struct %s_T {" % p,
            "  double c;",
            "  template <class T> T operator()(T t) const { return std::tanh(c * t) + T(0.25) * t * t; }",
            "};",
            "struct %s_P {" % p,
            "  double k1, k2;",
            "  int m;",
            "};",
        ])
        self.block_open()
        q = self.nfresh("q")
        terms = []
        if self.nrng.random() < 0.6:
            f = self.nfresh("fn")
            self.emitx("const %s_F %s{%s};" % (p, f, self.c()))
            terms.append("%s(%s)" % (f, self.nx()))
        if self.nrng.random() < 0.6:
            terms.append("%s_F{%s}(%s)" % (p, self.c(), self.nx()))
        if self.nrng.random() < 0.6 or not terms:
            if self.nrng.random() < 0.5:
                g = self.nfresh("tf")
                self.emitx("%s_T %s{%s};" % (p, g, self.c()))
                terms.append("%s(%s)" % (g, self.nx()))
            else:
                terms.append("%s_T{%s}(%s)" % (p, self.c(), self.nx()))
        self.emitx("double %s = %s;" % (q, " + ".join(terms)))
        if self.nrng.random() < 0.6:
            k = self.nfresh("pk")
            self.emitx("const %s_P %s{%s, %s, %d};" % (p, k, self.c(), self.c(), self.nrng.randrange(N)))
            self.emitx("%s = %s * %s.k1 + %s.k2 * x[%s.m];" % (q, q, k, k, k))
        self.combine(q)
        self.block_close()

    # helperobj ---------------------------------------------------------

    def idiom_helperobj(self):
        p = self.name
        D = "%s_Dist" % p
        self.decl("helperobj", [
            "struct %s {" % D,
            "  double mu = 0, sigma = 1;",
            "  double z(double t) { return (t - mu) / sigma; }",
            "  double cdf(double t) { return 0.5 * std::erfc(-z(t) / std::sqrt(2.0)); }",
            "  double pdf(double t) { return std::exp(-0.5 * z(t) * z(t)) / sigma; }",
            "  void setSigma(double s) { sigma = s; }",
            "};",
        ])
        self.block_open()
        q = self.nfresh("q")
        g = self.nfresh("g")
        self.emitx("%s %s;" % (D, g))
        self.emitx("double %s = %s.cdf(%s) * %s;" % (q, g, self.nx(), self.c()))
        if self.nrng.random() < 0.5:
            self.emitx("%s.setSigma(%s);" % (g, self.c(0.5, 2.0)))
            self.emitx("%s += %s.pdf(%s);" % (q, g, self.nx()))
        if self.nrng.random() < 0.5:
            h = self.nfresh("h")
            self.emitx("%s %s{%s, %s};" % (D, h, self.nx(), self.c(0.5, 2.0)))
            self.emitx("%s -= %s.cdf(%s) * %s.pdf(%s);" % (q, h, self.nx(), h, self.nx()))
        self.combine(q)
        self.block_close()

    # classtmp ----------------------------------------------------------

    def idiom_classtmp(self):
        p = self.name
        V = "%s_V2" % p
        self.decl("class", [
            "class %s {" % V,
            "public:",
            "  double x, y;",
            "  %s(double x0, double y0) : x(x0), y(y0) {}" % V,
            "  %s operator*(double s) const { return %s(x * s, y * s); }" % (V, V),
            "  %s operator+(const %s &o) const { return %s(x + o.x, y + o.y); }" % (V, V, V),
            "  double dot(const %s &o) const { return x * o.x + y * o.y; }" % V,
            "};",
            "inline double %s_len2(const %s &v) { return v.x * v.x + v.y * v.y; }" % (p, V),
            "inline %s operator-(const %s &a, const %s &b) { return %s(a.x - b.x, a.y - b.y); }" % (V, V, V, V),
            "inline %s %s_half(const %s &v) { return v * 0.5; }" % (V, p, V),
            "template <class T> struct %s_T2 {" % p,
            "  T a, b;",
            "  %s_T2(T p, T q) : a(p), b(q) {}" % p,
            "  T cross(const %s_T2 &o) const { return a * o.b - b * o.a; }" % p,
            "};",
        ])
        self.block_open()
        u, w, q = self.nfresh("pv"), self.nfresh("pw"), self.nfresh("q")
        if self.nrng.random() < 0.4:
            # Temporaries only, no local of the class.
            reads = ["%s_len2(%s(%s, %s) * %s)" % (p, V, self.nx(), self.nx("leaf"), self.c()),
                     "(%s(%s, %s) * %s).y" % (V, self.nx(), self.c(), self.nx("leaf")),
                     "(%s(%s, %s) + %s(x[%d], %s)).x" % (V, self.nx("leaf"), self.nx(), V,
                                                        self.nrng.randrange(N), self.c())]
            self.emitx("double %s = %s;" % (q, " + ".join(self.nrng.sample(reads, 2))))
            self.combine(q)
            self.block_close()
            return
        self.emitx("%s %s = %s(%s, %s) * %s;" % (V, u, V, self.nx(), self.nx("leaf"), self.nx()))
        r = self.nrng.random()
        if r < 0.5:
            self.emitx("%s %s = %s + %s(x[%d], %s);" % (V, w, u, V, self.nrng.randrange(N), self.c()))
            reads = ["%s.x * %s" % (w, self.c()), "%s.y" % w, "%s.dot(%s)" % (u, w)]
        else:
            reads = ["%s.x" % u, "%s * %s.y" % (self.c(), u)]
        if self.nrng.random() < 0.5:
            reads.append("%s_len2(%s(%s, %s) * %s)" % (p, V, self.nx("leaf"), self.nx("leaf"), self.c()))
        if self.nrng.random() < 0.4:
            reads.append("(%s(%s, %s) * %s).y" % (V, self.nx(), self.c(), self.nx("leaf")))
        r = self.nrng.random()
        if r < 0.3:
            reads.append("(%s - %s(%s, %s)).x" % (u, V, self.nx("leaf"), self.c()))
        elif r < 0.55:
            reads.append("%s_half(%s).dot(%s)" % (p, u, u))
        elif r < 0.8:
            reads.append("%s_T2<double>(%s, %s).cross(%s_T2<double>(%s.y, %s))" %
                         (p, self.nx("leaf"), self.c(), p, u, self.nx()))
        elif not self.loopkinds:
            arr = self.nfresh("pa")
            self.emitx("%s %s[2] = {%s, %s(%s, %s)};" % (V, arr, u, V, self.nx(), self.c()))
            reads.append("%s[%d].y * %s[%d].x" % (arr, self.nrng.randrange(2), arr,
                                                  self.nrng.randrange(2)))
        self.emitx("double %s = %s;" % (q, " + ".join(self.nrng.sample(reads, len(reads)))))
        self.combine(q)
        self.block_close()

    # rowptr ------------------------------------------------------------

    def idiom_rowptr(self):
        ii, q = self.nfresh("ii"), self.nfresh("q")
        r = self.nrng.random()
        writes = self.void or self.bufs
        self.block_open()
        if writes and r < 0.4:
            # Write through a pointer into a row of the output or a buffer.
            self.memwrites += 1
            if self.void and (not self.bufs or self.nrng.random() < 0.6):
                base, cnt, reads = "out", M, ["out[%d]" % self.nrng.randrange(M)]
            else:
                b, kind = self.nrng.choice(self.bufs)
                base = b if kind == "array" else "%s.data()" % b
                cnt, reads = BUF, ["%s[%d]" % (b, self.nrng.randrange(BUF))]
            o = self.nfresh("o")
            hi = self.nrng.choice([str(cnt), "n" if cnt >= N else str(cnt)])
            self.emitx("for (int %s = 0; %s < %s; ++%s) {" % (ii, ii, hi, ii))
            self.depth += 1
            # x may be indexed with the counter only if it stays below N.
            small = hi == "n" or cnt <= N
            if small:
                self.ints.append(ii)
            val = self.nx()
            if small:
                self.ints.pop()
            form = self.nrng.choice(["double *{o} = {b} + {i};", "double *{o} = &{b}[{i}];"])
            self.emitx(form.format(o=o, b=base, i=ii))
            w = self.nrng.choice(["{o}[0] += 0.5 * std::tanh({v});", "*{o} = std::sin({o}[0] + {v});",
                                  "{o}[0] = {v} * x[{i} % {n}];"])
            self.emitx(w.format(o=o, v=val, i=ii, n=N))
            self.depth -= 1
            self.emitx("}")
            self.combine(" + ".join(reads))
        else:
            row = self.nfresh("row")
            s = self.nrng.choice(["x"] + self.arrays)
            # Vectors need .data(); the old generator's arrays may be either.
            base = "%s.data()" % s if s in self.vectors else s
            self.emitx("double %s = 0.0;" % q)
            if self.nrng.random() < 0.5:
                # Declared once, reassigned each iteration.
                self.emitx("const double *%s = %s;" % (row, base))
                decl = "%s = " % row
            else:
                decl = "const double *%s = " % row
            if self.nrng.random() < 0.5:
                self.emitx("for (int %s = 0; %s < 2; ++%s) {" % (ii, ii, ii))
                off = self.nrng.choice(["{b} + {i} * 2", "&{b}[{i} * 2]", "{b} + 2 * {i} + 1"])
                cols = 2 if "+ 1" not in off else 2
            else:
                self.emitx("for (int %s = 0; %s < n - 1; ++%s) {" % (ii, ii, ii))
                off = self.nrng.choice(["{b} + {i}", "&{b}[{i}]"])
                cols = 2
            self.depth += 1
            self.emitx(decl + off.format(b=base, i=ii) + ";")
            self.emitx("%s += %s * %s[0] * %s[%d] + %s * std::sin(%s[1]);" % (
                q, self.c(), row, row, cols - 1, self.c(), row))
            self.depth -= 1
            self.emitx("}")
            self.combine(q)
        self.block_close()

    # macro -------------------------------------------------------------

    def idiom_macro(self):
        P = self.name.upper()
        self.decl("macro", [
            "#define %s_SUM(p, q) p + q" % P,
            "#define %s_DEN (a) * (a) + 1.0" % P,
            "#define %s_K 0.5 + 0.25" % P,
            "#define %s_SQ(p) p * p" % P,
        ])
        self.block_open()
        q = self.nfresh("q")
        terms = []
        forms = ["(%s_SUM({0}, {1})) * {2}" % P,
                 "{0} / (%s_DEN)" % P,
                 "{2} * %s_SUM({0}, {1})" % P,
                 "%s_K * {0}" % P,
                 "%s_SQ({0} + 0.1)" % P,
                 "{0} - %s_SUM({1}, {2})" % P]
        for f in self.nrng.sample(forms, self.nrng.randint(2, 3)):
            terms.append(f.format(self.nx(), self.nx(), self.nx("leaf")))
        self.emitx("double %s = %s;" % (q, " + ".join(terms)))
        if self.nrng.random() < 0.4:
            self.emitx("%s *= %s_SUM(0.5, %s);" % (q, P, self.nx()))
        self.combine(q)
        self.block_close()

    # nestedcounter -----------------------------------------------------

    def idiom_nestedcounter(self):
        k, q, i, j = self.nfresh("kk"), self.nfresh("q"), self.nfresh("ii"), self.nfresh("jj")
        self.block_open()
        self.emitx("int %s = %d;" % (k, self.nrng.randrange(3)))
        self.emitx("double %s = 0.0;" % q)
        self.emitx("for (int %s = 0; %s < %s; ++%s) {" % (i, i, self.nrng.choice(["n", str(N)]), i))
        self.depth += 1
        self.emitx("for (int %s = 0; %s < %d; ++%s) {" % (j, j, N, j))
        self.depth += 1
        cond = self.nrng.choice(["{j} == {i}", "{j} < {i}", "({j} + {i}) % 3 == 0", "{j} == {i} && {j} % 2 == 0"])
        self.emitx("if (%s) {" % cond.format(i=i, j=j))
        self.depth += 1
        self.emitx(self.nrng.choice(["%s++;", "++%s;", "%s += 2;"]) % k)
        self.ints += [i, j]
        val = self.nx()
        self.ints = self.ints[:-2]
        if self.nrng.random() < 0.7:
            self.emitx("%s += %s * x[%s %% %d] * %s;" % (q, self.c(0.1, 0.4), k, N, val))
        else:
            t = self.itarget()
            self.emitx("%s = std::tanh(%s + x[%s %% %d] * %s);" % (t, t, k, N, val))
        self.depth -= 1
        self.emitx("}")
        self.depth -= 1
        self.emitx("}")
        self.depth -= 1
        self.emitx("}")
        if self.nrng.random() < 0.5:
            self.emitx("%s *= 1.0 + 0.1 * %s;" % (q, k))
        self.combine("%s + %s" % (q, self.nx("leaf")))
        self.block_close()

    # multidecl ---------------------------------------------------------

    def idiom_multidecl(self):
        u, w, z = self.nfresh("u"), self.nfresh("w"), self.nfresh("z")
        if self.top() and self.nrng.random() < 0.7:
            # Arrays may only be declared at the top level, unbraced.
            pa, qa, j = self.nfresh("pa"), self.nfresh("qa"), self.nfresh("jj")
            if self.nrng.random() < 0.5:
                self.emitx("double %s[%d], %s[%d];" % (pa, N, qa, N))
                self.emitx("for (int %s = 0; %s < %d; ++%s) {" % (j, j, N, j))
                self.depth += 1
                self.ints.append(j)
                self.emitx("%s[%s] = %s;" % (pa, j, self.nx()))
                self.emitx("%s[%s] = %s[%s] * x[%s] + %s;" % (qa, j, pa, j, j, self.nx()))
                self.ints.pop()
                self.depth -= 1
                self.emitx("}")
                self.emitx("double %s = %s[1] * %s[2], %s = %s + %s[4], %s;" % (
                    u, pa, qa, w, u, pa, z))
            else:
                self.emitx("double %s = %s, %s[3] = {%s, %s, %s}, %s;" % (
                    u, self.nx(), pa, u, self.nx("leaf"), self.nx(), w))
                self.emitx("%s = %s[0] * %s[2] + %s[1];" % (w, pa, pa, pa))
                self.emitx("double %s;" % z)
            self.emitx("%s = %s * %s;" % (z, u, w))
            self.combine("%s + %s" % (z, u))
            return
        self.block_open()
        self.emitx("double %s = %s, %s = %s * %s, %s;" % (u, self.nx(), w, u, self.nx(), z))
        self.emitx("%s = %s - %s * %s;" % (z, w, self.c(), u))
        if self.nrng.random() < 0.5:
            self.emitx("const double %s = %s, %s = %s * %s;" % (
                u + "c", self.c(), w + "c", u + "c", self.nx("leaf")))
            self.emitx("%s += %sc * %sc;" % (z, u, w))
        self.combine(z)
        self.block_close()

    # floatmath ---------------------------------------------------------

    def idiom_floatmath(self):
        self.floaty = True
        f1, f2, f3, f4 = (self.nfresh("f") for _ in range(4))
        self.block_open()
        self.emitx("float %s = %s(%s);" % (f1, self.nrng.choice(["(float)", "static_cast<float>"]), self.nx()))
        # Half of them with the C names (sqrtf, ...), half with the std::
        # overloads on float only.
        cnames = self.nrng.random() < 0.5
        a = self.nrng.choice(["sqrtf(1.0f + {0} * {0})", "expf(-{0} * {0})", "1.5f + tanhf({0})"]
                             if cnames else
                             ["std::sqrt(1.5f + {0})", "std::exp(0.5f * {0})", "1.5f + std::tanh({0})"])
        b = self.nrng.choice(["logf(1.5f + tanhf({0}))", "fabsf({0} - 0.25f)", "powf({1}, 1.5f)"]
                             if cnames else
                             ["std::log(2.0f + {0})", "std::fabs({0} + 0.3f)", "std::pow({1}, 2.0f)",
                              "std::tanh({0} * {1})", "std::sin({1})", "std::pow({1}, 1.5f)"])
        self.emitx("float %s = %s;" % (f2, a.format(f1)))
        self.emitx("float %s = %s;" % (f3, b.format(f1, f2)))
        if self.nrng.random() < 0.5:
            self.emitx("float %s = %s * %s + %sf;" % (f4, f2, f3, self.c()))
        else:
            self.emitx("float %s = %s;" % (f4, self.nrng.choice(
                ["powf({0}, 2.0f) + expf({1})", "sqrtf({0}) * tanhf({1})"] if cnames else
                ["std::pow({0}, 1.5f) - {1}", "std::sqrt({0}) * std::tanh({1})",
                 "std::exp({1}) + std::cos({0})"]).format(f2, f3)))
        self.combine(self.nrng.choice(["(double){0}", "{0} * 0.5", "static_cast<double>({0}) + {1}"]).format(
            f4, self.nx("leaf")))
        self.block_close()

    # callwrites --------------------------------------------------------

    def idiom_callwrites(self):
        p = self.name
        c1, c2 = self.c(0.3, 1.0), self.c(-0.5, 0.5)
        self.decl("callwrites", [
            "inline bool %s_res(const double *q, double *r) {" % p,
            "  r[0] = %s * q[0] * q[1];" % c1,
            "  r[1] = std::sin(q[0]) - %s * q[1];" % c2,
            "  return true;",
            "}",
            "inline double %s_val(const double *q, double *r) {" % p,
            "  r[0] = std::tanh(q[0] + q[1]);",
            "  return %s * q[1] * q[1];" % c1,
            "}",
        ])
        self.block_open()
        r, ok, v = self.nfresh("rw"), self.nfresh("ok"), self.nfresh("v")
        k = self.nrng.randrange(N - 1)
        self.emitx("double %s[2];" % r)
        if self.nrng.random() < 0.5:
            self.emitx("bool %s = %s_res(x + %d, %s);" % (ok, p, k, r))
            self.emitx("if (%s)" % ok)
            self.combine("%s[0] + %s * %s[1]" % (r, self.c(), r))
        else:
            self.emitx("double %s = %s_val(&x[%d], %s);" % (v, p, k, r))
            self.combine("%s * %s[0] + %s" % (v, r, self.nx("leaf")))
        self.block_close()

    # costfunctor -------------------------------------------------------

    def idiom_costfunctor(self):
        p = self.name
        self.decl("costfunctor", [
            "struct %s_Cost {" % p,
            "  double a, b;",
            "  template <class T> bool operator()(const T *q, T *r) const {",
            "    r[0] = T(a) - q[0];",
            "    r[1] = b * (q[1] - q[0] * q[0]);",
            "    return true;",
            "  }",
            "};",
        ])
        self.block_open()
        r, c = self.nfresh("cr"), self.nfresh("cost")
        k = self.nrng.randrange(N - 1)
        self.emitx("double %s[2];" % r)
        if self.nrng.random() < 0.5:
            self.emitx("const %s_Cost %s{%s, %s};" % (p, c, self.c(), self.c(0.1, 0.5)))
            self.emitx("%s(x + %d, %s);" % (c, k, r))
        else:
            self.emitx("%s_Cost{%s, %s}(&x[%d], %s);" % (p, self.c(), self.c(0.1, 0.5), k, r))
        self.combine("%s[0] * %s[0] + %s[1]" % (r, r, r))
        self.block_close()

    # rangefor ----------------------------------------------------------

    def idiom_rangefor(self):
        if self.loops:
            return  # local arrays are declared outside loops
        self.block_open()
        arr, s, v = self.nfresh("ra"), self.nfresh("rs"), self.nfresh("rv")
        n = self.nrng.randint(2, 4)
        self.emitx("double %s[%d] = {%s};" % (arr, n, ", ".join(self.nx("leaf") for _ in range(n))))
        self.emitx("double %s = 0.0;" % s)
        form = self.nrng.choice(["double {v} : {a}", "const double &{v} : {a}",
                                 "const auto &{v} : {a}", "auto {v} : {a}"])
        self.emitx("for (%s)" % form.format(v=v, a=arr))
        self.emitx("  %s += %s;" % (s, self.nrng.choice(
            ["std::sin({v}) * {c}", "{v} * {v}", "std::tanh({s} + {v})"]).format(
                v=v, c=self.c(), s=s)))
        self.combine(s)
        self.block_close()

    # localref ----------------------------------------------------------

    def idiom_localref(self):
        self.block_open()
        e = self.nfresh("ref")
        if self.ints and self.nrng.random() < 0.5:
            init = "x[%s]" % self.nrng.choice(self.ints)
        else:
            init = "x[%d]" % self.nrng.randrange(N)
        self.emitx("const %s &%s = %s;" % (self.nrng.choice(["double", "auto"]), e, init))
        self.combine("%s * %s + %s" % (e, self.c(), self.nx("leaf")))
        self.block_close()

    # lambdacap ---------------------------------------------------------

    def idiom_lambdacap(self):
        self.block_open()
        f, acc, k = self.nfresh("lf"), self.nfresh("la"), self.nfresh("lk")
        form = self.nrng.randrange(5)
        if form == 0:
            self.emitx("auto %s = [&](int j) { return %s * std::sin(x[j]) + %s; };"
                       % (f, self.c(), self.nx("leaf")))
            self.emitx("double %s = 0.0;" % acc)
            self.emitx("for (int %s = 0; %s < %d; ++%s)" % (k, k, N, k))
            self.emitx("  %s += %s(%s);" % (acc, f, k))
        elif form == 1:
            self.emitx("auto %s = [x](double t, int j) { return t * x[j] + %s * x[0]; };"
                       % (f, self.c()))
            self.emitx("double %s = %s(%s, %d);" % (acc, f, self.nx(), self.nrng.randrange(N)))
        elif form == 3:
            self.emitx("double %s = std::accumulate(x, x + %d, %s, [&](double p, double q) "
                       "{ return p + %s * std::sin(q) * %s; });"
                       % (acc, N, self.nx("leaf"), self.c(), self.nx("leaf")))
        elif form == 4 and not self.loops:  # arrays outside loops
            self.emitx("double %s[%d];" % (f, N))
            self.emitx("std::transform(x, x + %d, %s, [&](double t) { return std::tanh(t + %s); });"
                       % (N, f, self.nx("leaf")))
            self.emitx("double %s = std::inner_product(x, x + %d, %s, %s);"
                       % (acc, N, f, self.c()))
        else:
            self.emitx("double %s = 0.0;" % acc)
            self.emitx("auto %s = [&](double v) { %s += %s * v * v; };" % (f, acc, self.c()))
            self.emitx("%s(%s);" % (f, self.nx("leaf")))
            self.emitx("for (int %s = 0; %s < %d; ++%s)" % (k, k, N, k))
            self.emitx("  %s(std::tanh(x[%s]));" % (f, k))
        self.combine(acc)
        self.block_close()

    # writeref ----------------------------------------------------------

    def idiom_writeref(self):
        self.block_open()
        arr, r = self.nfresh("wa"), self.nfresh("wr")
        form = self.nrng.randrange(3)
        if self.loops and self.locals:
            form = 2  # local arrays are declared outside loops
        elif self.loops:
            self.block_close()
            return
        if form == 0 or not self.locals:
            self.emitx("double %s[3] = {%s, %s, %s};" % (
                arr, self.nx("leaf"), self.nx("leaf"), self.nx("leaf")))
            self.emitx("for (%s &v : %s)" % (self.nrng.choice(["double", "auto"]), arr))
            self.emitx("  v = std::tanh(v * %s + %s);" % (self.c(), self.nx("leaf")))
            self.combine("%s[0] + %s * %s[2]" % (arr, self.c(), arr))
        elif form == 1:
            self.emitx("double %s[2] = {%s, %s};" % (arr, self.nx("leaf"), self.nx()))
            self.emitx("{")
            self.emitx("  double &%s = %s[%d];" % (r, arr, self.nrng.randrange(2)))
            self.emitx("  %s *= %s;" % (r, self.nx("leaf")))
            self.emitx("  %s = std::sin(%s) + %s;" % (r, r, self.c()))
            self.emitx("}")
            self.combine("%s[0] * %s[1]" % (arr, arr))
        else:
            t = self.nrng.choice(self.locals)
            self.emitx("{")
            self.emitx("  double &%s = %s;" % (r, t))
            # The reference's block must not mention the local otherwise.
            self.emitx("  %s += %s * x[%d];" % (r, self.c(), self.nrng.randrange(N)))
            self.emitx("  %s = std::tanh(%s);" % (r, r))
            self.emitx("}")
        self.block_close()

    # cread -------------------------------------------------------------

    def idiom_cread(self):
        if self.loops:
            return  # local arrays are declared outside loops
        p = self.name
        c1, c2 = self.c(0.2, 0.9), self.c(-0.5, 0.5)
        self.decl("cread", [
            "double %s_crd(double *q, int m);" % p,
            "double %s_crd2(double *q, int m);" % p,
            "void %s_cobj(double *q, double *f, int m);" % p,
        ])
        self.post_decl("cread", [
            "double %s_crd(double *q, int m) {" % p,
            "  double s = 0.0;",
            "  for (int j = 0; j < m; ++j)",
            "    s += std::sin(q[j]) * %s;" % c1,
            "  return s + %s_crd2(q + 1, m - 1);" % p,
            "}",
            "double %s_crd2(double *q, int m) {" % p,
            "  double s = 1.0;",
            "  for (int j = 0; j < m; ++j)",
            "    s *= 1.0 + %s * q[j] * q[j];" % c2,
            "  return s;",
            "}",
            "void %s_cobj(double *q, double *f, int m) {" % p,
            "  f[0] = %s_crd(q, m) * q[0];" % p,
            "}",
        ])
        self.block_open()
        arr, v = self.nfresh("ca"), self.nfresh("cv")
        self.emitx("double %s[3] = {%s, %s, %s};" % (
            arr, self.nx("leaf"), self.nx("leaf"), self.nx("leaf")))
        if self.nrng.random() < 0.5:
            self.emitx("double %s = %s_crd(%s, 3);" % (v, p, arr))
        else:
            f = self.nfresh("cf")
            self.emitx("double %s[1];" % f)
            self.emitx("%s_cobj(%s, %s, 3);" % (p, self.nrng.choice([arr, "&%s[0]" % arr]), f))
            self.emitx("double %s = %s[0];" % (v, f))
        if self.nrng.random() < 0.5:
            self.emitx("%s[1] = std::cos(%s);" % (arr, v))
        self.combine("%s + %s[1]" % (v, arr))
        self.block_close()

    # table2d -----------------------------------------------------------

    def idiom_table2d(self):
        t = self.nfresh("tab")
        vals = [self.c(-2.0, 2.0) for _ in range(6)]
        if self.nrng.random() < 0.5:
            init = "{{%s}, {%s}}" % (", ".join(vals[:3]), ", ".join(vals[3:]))
        else:
            init = "{%s}" % ", ".join(vals)
        self.block_open()
        self.emitx("static const double %s[2][3] = %s;" % (t, init))
        if self.ints and self.nrng.random() < 0.6:
            i = self.nrng.choice(self.ints)
            entry = "%s[%s %% 2][(%s + %d) %% 3]" % (t, i, i, self.nrng.randrange(3))
        else:
            entry = "%s[%d][%d]" % (t, self.nrng.randrange(2), self.nrng.randrange(3))
        self.combine("%s * %s + %s[1][0] * %s" % (entry, self.nx("leaf"), t, self.nx("leaf")))
        self.block_close()

    # ctorfor -----------------------------------------------------------

    def after_exit(self):
        """Whether a return may have left the function before this point:
        the rest of the body then runs in a branch."""
        return any("return" in line for line in self.out)

    def idiom_ctorfor(self):
        if not self.top() or self.after_exit():
            return  # a vector of classes stays where it is declared
        p = self.name
        self.decl("ctorfor", [
            "struct %s_Site {" % p,
            "  double center, weight;",
            "  %s_Site(double c, double w) : center(c), weight(w) {}" % p,
            "};",
        ])
        sites, s, v = self.nfresh("sites"), self.nfresh("ss"), self.nfresh("site")
        n = self.nrng.randint(1, 3)
        self.emitx("std::vector<%s_Site> %s = {%s};" % (p, sites, ", ".join(
            "%s_Site(%s, %s)" % (p, self.c(), self.c(0.2, 1.0)) for _ in range(n))))
        self.emitx("double %s = 0.0;" % s)
        self.emitx("for (auto %s : %s)" % (v, sites))
        self.emitx("  %s += %s.weight * std::tanh(%s - %s.center);" % (s, v, self.nx("leaf"), v))
        self.combine(s)

    # sbind -------------------------------------------------------------

    def idiom_sbind(self):
        if not self.top() or self.after_exit():
            return  # kept as written only at the function's top level
        i, j, e = self.nfresh("bi"), self.nfresh("bj"), self.nfresh("be")
        self.emitx("const std::pair<int, int> %s = {%d, %d};" % (
            e, self.nrng.randrange(N), self.nrng.randrange(N)))
        self.emitx("const auto [%s, %s] = %s;" % (i, j, e))
        self.combine("x[%s] * x[%s] + %s" % (i, j, self.nx("leaf")))

    # intstate ----------------------------------------------------------

    def idiom_intstate(self):
        p = self.name
        self.decl("intstate", [
            "inline void %s_setk(int *k, int v) { k[0] = v %% %d; }" % (p, N),
            "inline void %s_bump(int &k) { k = (k + 2) %% %d; }" % (p, N),
        ])
        q = self.nfresh("q")
        start = self.nrng.randrange(N)
        form = self.nrng.choice(["pointer", "reference", "alias"])
        if self.loops:
            form = "reference"  # no arrays in loop bodies
        self.block_open()
        if form == "pointer":
            k = self.nfresh("ka")
            self.emitx("int %s[1] = {%d};" % (k, start))
            index = "%s[0]" % k
            step = "%s_setk(%s, %s + %d);" % (p, k, q, start)
        elif form == "reference":
            k = self.nfresh("kr")
            self.emitx("int %s = %d;" % (k, start))
            index = k
            step = "%s_bump(%s);" % (p, k)
        else:
            k, pk = self.nfresh("kk"), self.nfresh("pk")
            self.emitx("int %s[2] = {0, %d};" % (k, start))
            self.emitx("int *%s = %s;" % (pk, k))
            index = "%s[1]" % k
            step = "%s[1] = (%s + %d) %% %d;" % (pk, q, start, N)
        self.emitx("for (int %s = 0; %s < %d; ++%s) {" % (
            q, q, self.nrng.randint(2, 3), q))
        self.depth += 1
        if self.nrng.random() < 0.5:
            self.emitx(step)
            self.combine("x[%s] * %s" % (index, self.nx("leaf")))
        else:
            self.combine("x[%s] * %s" % (index, self.nx("leaf")))
            self.emitx(step)
        self.depth -= 1
        self.emitx("}")
        self.block_close()

    # ptrarith ----------------------------------------------------------

    def idiom_ptrarith(self):
        if self.loops:
            return  # no arrays in loop bodies
        pa, q = self.nfresh("pa"), self.nfresh("q")
        self.block_open()
        self.emitx("double %s[3] = {%s, %s, %s};" % (pa, self.c(), self.c(), self.c()))
        self.emitx("for (int %s = 0; %s < 3; ++%s) {" % (q, q, q))
        self.depth += 1
        write = self.nrng.choice(["*({a} + {q})", "*({q} + {a})", "({a} + {q})[0]"])
        op = self.nrng.choice(["=", "+=", "*="])
        self.emitx("%s %s std::tanh(%s) + %s;" % (
            write.format(a=pa, q=q), op, self.nx("leaf"), self.c()))
        self.combine("*(%s + %s) * *(%s + (%s + 1) %% 3)" % (pa, q, pa, q))
        self.depth -= 1
        self.emitx("}")
        self.block_close()

    # alias -------------------------------------------------------------

    def idiom_alias(self):
        if self.loops:
            return  # no arrays in loop bodies
        al, pa, q = self.nfresh("al"), self.nfresh("pal"), self.nfresh("q")
        self.block_open()
        self.emitx("double %s[2] = {%s, %s};" % (al, self.c(), self.c()))
        self.emitx("double *%s = %s;" % (pa, al))
        self.emitx("for (int %s = 0; %s < %d; ++%s) {" % (
            q, q, self.nrng.randint(2, 3), q))
        self.depth += 1
        self.emitx("%s[1] = std::sin(%s + %s) * %s;" % (
            pa, self.nx("leaf"), q, self.c(0.5, 1.5)))
        self.combine("%s[1] * %s[1] + %s[0]" % (al, al, al))
        self.depth -= 1
        self.emitx("}")
        self.block_close()

    # ctorcompute -------------------------------------------------------

    def idiom_ctorcompute(self):
        p = self.name
        self.decl("ctorcompute", [
            "struct %s_Pm {" % p,
            "  double mass, mom, e;",
            "  double k = 0.5 * mom * mom / (1 + mass * mass);",
            "  %s_Pm(double m, double v) : mass(m), mom(m * v), e(0.5 * mom * v) {}" % p,
            "};",
            "struct %s_Un {" % p,
            "  double u, v, w;",
            "  %s_Un(double a, double b) {" % p,
            "    const double n = std::sqrt(a * a + b * b + 0.5);",
            "    u = a / n;",
            "    v = std::sin(b) / n;",
            "    u = u + 0.25 * v;",
            "    w = u * v;",
            "  }",
            "};",
        ])
        self.block_open()
        q = self.nfresh("q")
        r = self.nrng.random()
        if r < 0.35:
            o = self.nfresh("pm")
            self.emitx("%s_Pm %s(%s, %s);" % (p, o, self.nx(), self.nx("leaf")))
            self.emitx("double %s = %s.e * %s + %s.%s;" % (
                q, o, self.c(), o, self.nrng.choice(["mom", "k"])))
        elif r < 0.7:
            self.emitx("double %s = %s_Un(%s, %s).%s * %s;" % (
                q, p, self.nx("leaf"), self.nx(), self.nrng.choice(["u", "v", "w"]),
                self.c()))
        else:
            o = self.nfresh("un")
            self.emitx("%s_Un %s{%s, %s};" % (p, o, self.nx(), self.c(0.5, 1.5)))
            self.emitx("double %s = %s.u * %s.w + %s_Pm(%s.v, %s).e;" % (
                q, o, o, p, o, self.nx("leaf")))
        self.combine(q)
        self.block_close()

    # minmaxelem --------------------------------------------------------

    def idiom_minmaxelem(self):
        self.block_open()
        q = self.nfresh("q")
        pick = self.nrng.choice(["max_element", "min_element"])
        # Local arrays and vectors only outside loops.
        form = 0 if self.loops else self.nrng.randrange(3)
        if form == 0:
            lo = self.nrng.randrange(N - 1)
            rng = "x + %d, x + %d" % (lo, self.nrng.randint(lo + 1, N))
        elif form == 1:
            a = self.nfresh("ma")
            self.emitx("double %s[3] = {%s, %s, %s};" % (a, self.nx(), self.nx("leaf"), self.c()))
            rng = "%s, %s + 3" % (a, a)
        else:
            v = self.nfresh("mv")
            self.emitx("std::vector<double> %s = {%s, %s, %s};" % (
                v, self.nx("leaf"), self.nx(), self.nx("leaf")))
            rng = "%s.begin(), %s.end()" % (v, v)
        if self.nrng.random() < 0.3:
            rng += ", [](double p, double r) { return std::fabs(p) < std::fabs(r); }"
        self.emitx("double %s = *std::%s(%s) * %s;" % (q, pick, rng, self.nx("leaf")))
        self.combine(q)
        self.block_close()

    # genericalg --------------------------------------------------------

    def idiom_genericalg(self):
        if self.loops:
            return  # a local std::vector stays outside loops
        self.block_open()
        v, q = self.nfresh("gv"), self.nfresh("q")
        self.emitx("std::vector<double> %s(%d);" % (v, N))
        self.emitx("std::transform(x, x + %d, %s.begin(), [](auto t) { return std::sin(t) * %s; });"
                   % (N, v, self.c()))
        if self.nrng.random() < 0.5:
            self.emitx("std::transform(%s.begin(), %s.end(), x, %s.begin(), "
                       "[](const auto &p, auto r) { return p * r + %s; });" % (v, v, v, self.c()))
        self.emitx("double %s = std::accumulate(%s.begin(), %s.end(), %s, "
                   "[&](auto acc, auto e) { return acc + %s * e * e; });"
                   % (q, v, v, self.nx("leaf"), self.c()))
        self.combine(q)
        self.block_close()
