#!/usr/bin/env python3
"""Random small programs for adjoint's differential test.

Each seed gives one annotated C++ function

    ADJOINT_GRAD(x, a, b) double fz<seed>(const double *x, double a, double b, int n)

built from the constructs adjoint differentiates: for/while/do loops (with trip
counts from the int parameter n and from active values), nested and triangular
loops, if/else and ?: on active values, reassignments and compound assignments,
math calls on safe domains, calls to small helper functions (scalar ones and
ones reading the differentiated array), local double arrays and
std::vector<double>s, break, continue, early returns, switch,
ADJOINT_CHECKPOINT on loops that write no array elements, a last summing loop
(fusion) and branches on loop counters (intcond). The last nine
can be switched off with --without (e.g. --without return,vectors) while
adjoint has a bug in one of them, so that the rest keeps being tested. Values are kept bounded (squashing
functions, small factors) so that central finite differences are meaningful;
run.py compares adjoint's gradient with them.

The same seed always gives the same program (random.Random(seed)), so a
failure is reproduced by its seed alone:

    python3 test/fuzz/gen_programs.py --seeds 17 > f.cpp   # one TU with main()
"""

import argparse
import random

from idioms import LATER, NEW, IdiomMixin, M

# Constructs beyond the basic ones, each of which can be switched off with
# --without when adjoint regresses on it (so the rest keeps being tested).
OLD_FEATURES = ["arrays", "vectors", "break", "continue", "return", "switch",
                "checkpoint", "fusion", "intcond", "calls"]
# Idioms that broke adjoint on real code (see the docstring of idioms.py).
# Their decisions come from random streams of their own, so that a seed's
# program with all of them switched off is the same as before they existed.
NEW_FEATURES = NEW + LATER
FEATURES = OLD_FEATURES + NEW_FEATURES

# Length of the differentiated array x; n (the runtime trip count) is at most
# this.
N = 5

# Unary functions with their safe wrapping: each maps any finite argument to a
# finite value with a finite derivative.
UNARY = [
    "std::sin({})",
    "std::cos({})",
    "std::tanh({})",
    "std::atan({})",
    "std::exp(std::sin({}))",
    "std::exp(-0.5 * ({0}) * ({0}))",
    "std::log(1.0 + ({0}) * ({0}))",
    "std::sqrt(1.0 + ({0}) * ({0}))",
    "std::log1p(std::exp({}))",
    "1.0 / (1.0 + ({0}) * ({0}))",
    "std::pow(std::cos({}), 2)",
    "std::hypot({}, 1.0)",
]


class Gen(IdiomMixin):
    """Generates one function body; `out` collects lines."""

    def __init__(self, rng, name, helpers, features=(), void=False):
        self.rng = rng
        # The new idioms (idioms.py): their own generator, the lines they
        # added, their namespace-scope declarations.
        self.nrng = None
        self.kinds = []
        self.cur_kind = None
        self.extra = 0
        self.memwrites = 0
        self.decls = []
        self.declared = set()
        self.used = set()
        self.nidioms = 0
        self.ncounter = 0
        self.bufs = []
        self.vectors = set()  # which of self.arrays are std::vectors
        self.floaty = False  # float code: check with a looser tolerance
        self.void = void  # the output function: void, writes out[0..M-1]
        self.features = set(features)
        self.arrays = []  # local double arrays / vectors of length N
        self.loopkinds = []  # "for", "while" or "do", innermost last
        self.name = name
        self.helpers = helpers  # [(name, kind)] callable from this function
        self.out = []
        self.vars = ["a", "b"]  # active doubles in scope (a, b are params)
        self.locals = []  # declared double locals, all at top level
        self.ints = []  # int loop indices in scope, each < N
        self.depth = 0
        self.counter = 0
        self.has_x = True  # whether the array x is in scope
        self.params = ["a", "b"]  # assignable double parameters
        self.simple = False  # only assignments and branches (helpers)
        self.loops = 0  # enclosing loops

    def fresh(self, prefix):
        self.counter += 1
        return "%s%d" % (prefix, self.counter)

    def emit(self, line):
        self.out.append("  " * (self.depth + 1) + line)

    # Expressions -------------------------------------------------------

    def index(self):
        """An in-bounds index into x."""
        r = self.rng.random()
        if self.ints and r < 0.6:
            i = self.rng.choice(self.ints)
            return self.rng.choice([i, "%d - 1 - %s" % (N, i), "(%s + 1) %% %d" % (i, N)])
        return str(self.rng.randrange(N))

    def leaf(self):
        r = self.rng.random()
        if self.arrays and r < 0.15:
            return "%s[%s]" % (self.rng.choice(self.arrays), self.index())
        if r < 0.5 or (r < 0.85 and not self.has_x):
            return self.rng.choice(self.vars)
        if r < 0.85:
            return "x[%s]" % self.index()
        return "%.2f" % self.rng.uniform(-1.5, 1.5)

    def expr(self, depth=0):
        r = self.rng.random()
        if depth >= 3 or r < 0.25:
            return self.leaf()
        if r < 0.45:
            op = self.rng.choice(["+", "-", "*"])
            return "(%s %s %s)" % (self.expr(depth + 1), op, self.expr(depth + 1))
        if r < 0.55:
            return "%.2f * %s" % (self.rng.uniform(-1, 1), self.expr(depth + 1))
        if r < 0.62:
            return "%s / (1.5 + std::sin(%s))" % (self.expr(depth + 1), self.expr(depth + 1))
        if r < 0.85:
            return self.rng.choice(UNARY).format(self.expr(depth + 1))
        if r < 0.92 and self.helpers:
            h, kind = self.rng.choice(self.helpers)
            if kind == "scalar":
                return "%s(%s, %s)" % (h, self.expr(depth + 1), self.expr(depth + 1))
            if self.has_x:
                return "%s(x, %s)" % (h, self.expr(depth + 1))
            return self.leaf()
        return "(%s > %s ? %s : %s)" % (self.expr(depth + 1), self.expr(depth + 1),
                                        self.expr(depth + 1), self.expr(depth + 1))

    def bounded(self):
        """An expression squashed into a small range, for values that feed
        products in loops."""
        return self.rng.choice(["std::tanh({})", "std::sin({})", "0.5 * std::cos({})"]).format(self.expr(1))

    # Statements --------------------------------------------------------

    def target(self):
        if self.arrays and self.rng.random() < 0.25:
            return "%s[%s]" % (self.rng.choice(self.arrays), self.index())
        if self.locals and self.rng.random() < 0.8:
            return self.rng.choice(self.locals)
        return self.rng.choice(self.params)

    def assign(self):
        t = self.target()
        r = self.rng.random()
        # Inside loops, right-hand sides are squashed: an unbounded one could
        # grow geometrically with the trip count, and exp of it overflow, and
        # then even a value that does not reach the result gives inf * 0 =
        # NaN in any reverse sweep.
        rhs = self.bounded if self.loops else self.expr
        if r < 0.35:
            self.emit("%s = %s;" % (t, rhs()))
        elif r < 0.6:
            self.emit("%s += %s;" % (t, rhs()))
        elif r < 0.7:
            self.emit("%s -= %s;" % (t, rhs()))
        elif r < 0.85:
            self.emit("%s *= 0.75 + 0.25 * %s;" % (t, self.bounded()))
        else:
            # A squashed reassignment that reads its own old value.
            self.emit("%s = std::tanh(%s + %s);" % (t, t, self.expr()))

    def block(self, budget):
        for _ in range(budget):
            self.stmt(budget // 2)

    def nlines(self):
        """Lines emitted by the old constructs (keys their own generators)."""
        return len(self.out) - self.extra

    def stmt(self, budget):
        self.maybe_idiom()
        r = self.rng.random()
        if self.loopkinds and r < 0.08 and "break" in self.features:
            self.emit("if (%s > %s) break;" % (self.expr(1), self.expr(1)))
            return
        if (self.loopkinds and self.loopkinds[-1] == "for" and r < 0.14 and
                "continue" in self.features):
            # Only in for loops: in while/do loops the counter increment is
            # at the end of the body and a continue would skip it.
            self.emit("if (%s > %s) continue;" % (self.expr(1), self.expr(1)))
            return
        if r < 0.17 and "return" in self.features and not self.simple:
            cond = (self.expr(1), self.expr(1))
            if self.void:
                self.emit("if (%s > %s) return;" % cond)
            else:
                self.emit("if (%s > %s) return %s;" % (cond + (" + ".join(self.vars),)))
            return
        if (self.ints and r < 0.22 and "switch" in self.features and
                not self.simple and self.depth < 3):
            self.emit("switch (%s %% 3) {" % self.rng.choice(self.ints))
            for case in ["case 0:", "case 1:", "default:"]:
                self.emit(case)
                self.depth += 1
                self.block(1)
                if self.rng.random() < 0.7 or case == "default:":
                    self.emit("break;")
                self.depth -= 1
            self.emit("}")
            return
        if budget <= 0 or self.depth >= 3 or r < 0.4:
            self.assign()
            return
        if r < 0.55 or self.simple:
            self.emit("if (%s) {" % self.condition())
            self.depth += 1
            self.block(max(1, budget - 1))
            self.depth -= 1
            if self.rng.random() < 0.6:
                self.emit("} else {")
                self.depth += 1
                self.block(max(1, budget - 1))
                self.depth -= 1
            self.emit("}")
            return
        if r < 0.9:
            self.loop(budget, r)
            return
        self.emit("%s = %s;" % (self.target(),
                                 self.bounded() if self.loops else self.expr()))

    def condition(self):
        """An if's condition: on active values, or with the intcond feature
        sometimes on loop counters and n only (which adjoint evaluates again
        in the reverse sweep instead of taping). A generator of its own picks
        the latter, so that every seed's program stays the same otherwise."""
        real = "%s > %s" % (self.expr(1), self.expr(2))
        pick = random.Random("%s:cond:%d" % (self.name, self.nlines()))
        if "intcond" not in self.features or pick.random() >= 0.3:
            return real
        ints = self.ints + ["n"]
        a, b = pick.choice(ints), pick.choice(ints)
        return pick.choice(["%s %% 2 == 0" % a, "%s < %s" % (a, b),
                            "%s + 1 != %s && n > 2" % (a, b),
                            "!(%s > %d)" % (a, pick.randrange(N))])

    def loop(self, budget, r):
        """A for, while or do loop; with the checkpoint feature, sometimes
        marked ADJOINT_CHECKPOINT (only when it writes no array elements,
        which a checkpointed loop may not overwrite while reading them)."""
        start = len(self.out)
        key = start - self.extra
        memwrites = self.memwrites
        self.loop_kind(budget, r)
        header = start + (0 if r < 0.7 else 1)  # after `int c = 0;`
        writes_arrays = any("%s[" % arr in line.split("=")[0]
                            for arr in self.arrays + (["out"] if self.void else [])
                            for line in self.out[header:] if "=" in line)
        # Idioms that write memory (helpers writing buffers, pointers).
        writes_arrays = writes_arrays or self.memwrites != memwrites
        # A generator of its own, so that every seed's program stays the same
        # apart from the markers.
        mark = random.Random("%s:%d" % (self.name, key + header - start))
        if ("checkpoint" in self.features and not writes_arrays and
                mark.random() < 0.35):
            indent = self.out[header][:len(self.out[header]) -
                                      len(self.out[header].lstrip())]
            self.out.insert(header, indent + "ADJOINT_CHECKPOINT;")

    def loop_kind(self, budget, r):
        if r < 0.7:
            # for loop over x, possibly triangular inside another loop.
            i = self.fresh("i")
            if self.ints and self.rng.random() < 0.5:
                lo = "%s + 1" % self.rng.choice(self.ints)
            else:
                lo = "0"
            hi = self.rng.choice(["n", str(N)])
            self.emit("for (int %s = %s; %s < %s; ++%s) {" % (i, lo, i, hi, i))
            self.loop_body(i, budget, kind="for")
            return
        if r < 0.82:
            # while loop with an active-value-dependent trip count; the
            # counter bounds it and keeps every index in range.
            c = self.fresh("c")
            t = self.target()
            self.emit("int %s = 0;" % c)
            self.emit("while (%s < %d && %s < %.1f) {" % (c, N, t, self.rng.uniform(0.5, 2.5)))
            self.depth += 1
            self.emit("%s += 0.25 + %s * %s;" % (t, self.bounded(), self.bounded()))
            self.depth -= 1
            self.loop_body(c, budget - 1, increment="++%s;" % c, kind="while")
            return
        if r < 0.9:
            c = self.fresh("k")
            self.emit("int %s = 0;" % c)
            self.emit("do {")
            self.loop_body(c, budget - 1, increment="++%s;" % c,
                           close="} while (%s < n);" % c, kind="do")

    def loop_body(self, i, budget, increment=None, close="}", kind="for"):
        self.depth += 1
        self.loops += 1
        self.loopkinds.append(kind)
        self.ints.append(i)
        self.block(max(1, budget - 1))
        if increment:
            self.emit(increment)
        self.ints.pop()
        self.loopkinds.pop()
        self.loops -= 1
        self.depth -= 1
        self.emit(close)

    def function(self):
        nlocals = self.rng.randint(1, 3)
        body_budget = self.rng.randint(3, 6)
        if self.void:
            header = ("ADJOINT_GRAD(x, a, b, out) void %s(const double *x, double a, "
                      "double b, int n, double *out) {" % self.name)
        else:
            header = ("ADJOINT_GRAD(x, a, b) double %s(const double *x, double a, "
                      "double b, int n) {" % self.name)
        for _ in range(nlocals):
            v = self.fresh("v")
            self.emit("double %s = %s;" % (v, self.expr(1)))
            self.locals.append(v)
            self.vars.append(v)
        kinds = [k for k in ("arrays", "vectors") if k in self.features]
        if kinds and self.rng.random() < 0.5:
            kind = self.rng.choice(kinds)
            arr = self.fresh("arr")
            if kind == "arrays":
                self.emit("double %s[%d];" % (arr, N))
            else:
                self.emit("std::vector<double> %s(%d);" % (arr, N))
                self.vectors.add(arr)
            self.emit("for (int j = 0; j < %d; ++j)" % N)
            self.ints.append("j")
            self.loops += 1
            self.emit("  %s[j] = %s;" % (arr, self.bounded()))
            self.loops -= 1
            self.ints.pop()
            self.arrays.append(arr)
        if self.void:
            for k in range(M):
                self.emit("out[%d] = %s;" % (k, self.expr(1)))
            self.params += ["out[%d]" % k for k in range(M)]
            self.vars += ["out[%d]" % k for k in range(M)]
        self.declare_buffers()
        self.block(body_budget)
        self.maybe_idiom(end=True)
        if self.void:
            outs = ["out[%d]" % k for k in range(M)]
            rest = [v for v in self.vars if v not in outs]
            for k in range(M):
                self.emit("out[%d] += %.2f * (%s);" % (k, self.rng.uniform(-1, 1),
                                                      " + ".join(self.rng.sample(rest, min(2, len(rest))))))
            return [header] + self.out + ["}"]
        ret = " + ".join(self.vars)
        if "fusion" in self.features:
            ret = self.summing_loop(ret)
        self.emit("return %s;" % ret)
        return [header] + self.out + ["}"]

    def summing_loop(self, ret):
        """Sometimes a last loop that only sums into a new local, which the
        return adds or subtracts (the shape adjoint fuses with its reverse);
        returns the return expression."""
        # A generator of its own, so that every seed's program stays the same
        # up to this loop.
        rng = random.Random("%s:sum" % self.name)
        if rng.random() < 0.5:
            return ret
        saved = (self.rng, self.locals, self.params, self.arrays, self.features)
        self.rng = rng
        acc, i, t = self.fresh("acc"), self.fresh("i"), self.fresh("t")
        self.emit("double %s = %s;" % (acc, self.expr(1)))
        self.emit("for (int %s = 0; %s < n; ++%s) {" % (i, i, i))
        self.depth += 1
        self.loops += 1
        self.loopkinds.append("for")
        self.ints.append(i)
        self.emit("double %s = %s;" % (t, self.bounded()))
        # Only the iteration's own variable is written; no jumps.
        self.locals, self.params, self.arrays = [t], [t], []
        self.features = self.features - {"break", "continue", "return",
                                         "switch"} - set(NEW_FEATURES)
        self.vars.append(t)
        self.block(rng.randint(1, 3))
        self.vars.pop()
        update = rng.choice(["{0} += {1};", "{0} -= {1};", "{0} = {0} + {1};"])
        self.emit(update.format(acc, "%s * %s" % (t, self.bounded())))
        self.ints.pop()
        self.loopkinds.pop()
        self.loops -= 1
        self.depth -= 1
        self.emit("}")
        self.rng, self.locals, self.params, self.arrays, self.features = saved
        return "%s %s %s" % (ret, rng.choice(["+", "-"]), acc)


def helper_functions(rng, prefix):
    """Two small helpers per program: a scalar one and one that reads x."""
    lines = []
    s = "%s_h" % prefix
    g = Gen(rng, s, [])
    g.has_x = False
    g.simple = True
    g.vars = ["u", "w"]
    g.locals = ["u", "w"]
    g.params = ["u", "w"]
    g.emit("double t = %s;" % g.expr(1))
    g.vars.append("t")
    g.locals.append("t")
    g.block(rng.randint(1, 2))
    g.emit("return t + 0.5 * u;")
    lines += ["inline double %s(double u, double w) {" % s] + g.out + ["}"]
    p = "%s_g" % prefix
    g = Gen(rng, p, [])
    g.simple = True
    g.vars = ["u"]
    g.locals = ["u"]
    g.params = ["u"]
    g.emit("double s = 0.0;")
    g.vars.append("s")
    g.locals.append("s")
    g.emit("for (int j = 0; j < %d; ++j) {" % N)
    g.depth += 1
    g.ints.append("j")
    g.loops += 1
    g.emit("s += %s;" % g.bounded())
    g.loops -= 1
    g.ints.pop()
    g.depth -= 1
    g.emit("}")
    g.emit("return s * u;")
    lines += ["inline double %s(const double *x, double u) {" % p] + g.out + ["}"]
    return lines, [(s, "scalar"), (p, "array")]


class Program:
    """The functions of one seed: fz<seed> and, with the new idioms,
    sometimes the output function fzo<seed>."""

    def __init__(self, seed, features=FEATURES):
        rng = random.Random(seed)
        name = "fz%d" % seed
        helper_lines, helpers = helper_functions(rng, name)
        # Without "calls" the helpers are defined but not called (f_hvp then
        # runs the reverse sweep over Duals, which takes no user calls yet).
        if "calls" not in features:
            helpers = []
        g = Gen(rng, name, helpers, features)
        new = [f for f in NEW_FEATURES if f in features]
        if new:
            g.init_idioms(random.Random("%s:new" % name))
        body = g.function()
        self.used = set(g.used)
        self.floaty = g.floaty
        lines = ["// seed %d" % seed] + helper_lines + g.decls + body
        self.void = False
        orng = random.Random("%s:out" % name)
        if new and orng.random() < 0.4:
            # A void function with the output `double *out` (M elements).
            self.void = True
            oname = "fzo%d" % seed
            o = Gen(random.Random(oname), oname, helpers, features, void=True)
            o.init_idioms(random.Random("%s:new" % oname))
            obody = o.function()
            self.used |= o.used
            self.floaty = self.floaty or o.floaty
            lines += o.decls + obody
        self.source = "\n".join(lines) + "\n"


_programs = {}


def get_program(seed, features=FEATURES):
    key = (seed, tuple(features))
    if key not in _programs:
        _programs[key] = Program(seed, features)
    return _programs[key]


def program(seed, features=FEATURES):
    """Source of the functions for `seed` and their helpers (no main)."""
    return get_program(seed, features).source


def inputs(seed):
    """Deterministic point at which seed's function is checked."""
    rng = random.Random(seed * 7919 + 1)
    x = [round(rng.uniform(-1.2, 1.2), 3) for _ in range(N)]
    return x, round(rng.uniform(-1, 1), 3), round(rng.uniform(-1, 1), 3), rng.randint(1, N)


PRELUDE = """// Generated by test/fuzz/gen_programs.py; do not edit.
#include <adjoint/adjoint.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <vector>
"""

MAIN = """
namespace {
// Central differences with one Richardson step at two step sizes; a point
// where they disagree is next to a kink or a branch switch, where the
// gradient is not defined by finite differences, and is skipped. So is a
// point on a kink, where the one-sided differences disagree (central
// differences give the mean of the two slopes at both step sizes there, and
// the gradient is that of the branch taken: seed 402482, at x[2] = -0.0 where
// a branch tests sin(u) > atan(u)).
// Programs with float code (the floatmath idiom) are checked with larger
// steps and looser tolerances, as the float lit tests are.
// Float programs' steps are large (float rounding), which can straddle a
// branch switch that both step sizes see alike (seed 613134): a coordinate
// that disagrees there is compared again at the smaller step `refine`.
struct Tol {
  double h1 = 1e-4, h2 = 1e-3, smooth = 1e-5, ok = 1e-6;
  double oneSided = 1e-6, kink = 1e-4, refine = 0;
};
const Tol kFloat = {1e-2, 2e-2, 1e-3, 1e-3, 1e-3, 5e-2, 1e-4};

template <class F>
double centralDifference(F f, const std::vector<double> &p, size_t i, double h) {
  std::vector<double> q = p;
  q[i] = p[i] + h;
  double up = f(q);
  q[i] = p[i] - h;
  return (up - f(q)) / (2 * h);
}

template <class F>
bool onKink(F f, const std::vector<double> &p, size_t i, const Tol &tol) {
  std::vector<double> q = p;
  double f0 = f(q);
  q[i] = p[i] + tol.oneSided;
  double right = (f(q) - f0) / tol.oneSided;
  q[i] = p[i] - tol.oneSided;
  double left = (f0 - f(q)) / tol.oneSided;
  double s = std::max({1.0, std::fabs(left), std::fabs(right)});
  return !(std::fabs(right - left) <= tol.kink * s);
}

template <class F> void check(const char *name, F f, const std::vector<double> &p,
                              const std::vector<double> &g, Tol tol = Tol()) {
  std::vector<double> n1 = adjoint::numericGradient(f, p, tol.h1);
  std::vector<double> n2 = adjoint::numericGradient(f, p, tol.h2);
  // Each coordinate is right, or not differentiable here (skipped), or wrong.
  bool wrong = false, skipped = false;
  for (size_t i = 0; i < p.size(); ++i) {
    double t = std::max({1.0, std::fabs(g[i]), std::fabs(n1[i])});
    if (std::fabs(g[i] - n1[i]) <= tol.ok * t)
      continue;
    if (tol.refine > 0 &&
        std::fabs(g[i] - centralDifference(f, p, i, tol.refine)) <= tol.ok * t)
      continue;
    double s = std::max({1.0, std::fabs(n1[i]), std::fabs(n2[i])});
    if (!(std::fabs(n1[i] - n2[i]) <= tol.smooth * s) || onKink(f, p, i, tol))
      skipped = true;
    else
      wrong = true;
  }
  if (wrong) {
    std::printf("%s: FAIL\\n", name);
    for (size_t i = 0; i < p.size(); ++i)
      std::printf("  d%zu adjoint %.12g finite differences %.12g\\n", i, g[i], n1[i]);
  } else if (skipped) {
    std::printf("%s: skip (not smooth here)\\n", name);
  } else {
    std::printf("%s: ok\\n", name);
  }
  std::fflush(stdout);
}

template <class Fn, class Grad>
void run(const char *name, Fn fn, Grad grad, std::vector<double> x, double a,
         double b, int n, Tol tol = Tol()) {
  std::vector<double> dx(x.size(), 0.0);
  double da = 0.0, db = 0.0;
  grad(x.data(), a, b, n, dx.data(), da, db);
  std::vector<double> p = x, g = dx;
  p.push_back(a);
  p.push_back(b);
  g.push_back(da);
  g.push_back(db);
  auto f = [&](const std::vector<double> &q) {
    return fn(q.data(), q[x.size()], q[x.size() + 1], n);
  };
  check(name, f, p, g, tol);
}

// A void function writing out[0..w.size()-1]: the gradient of <w, out>, with
// w as the outputs' seed.
template <class Fn, class Grad>
void runo(const char *name, Fn fn, Grad grad, std::vector<double> x, double a,
          double b, int n, std::vector<double> w, Tol tol = Tol()) {
  std::vector<double> dx(x.size(), 0.0), out(w.size(), 0.0), dout = w;
  double da = 0.0, db = 0.0;
  grad(x.data(), a, b, n, out.data(), dx.data(), da, db, dout.data());
  std::vector<double> p = x, g = dx;
  p.push_back(a);
  p.push_back(b);
  g.push_back(da);
  g.push_back(db);
  auto f = [&](const std::vector<double> &q) {
    std::vector<double> o(w.size(), 0.0);
    fn(q.data(), q[x.size()], q[x.size() + 1], n, o.data());
    double s = 0.0;
    for (size_t k = 0; k < w.size(); ++k)
      s += w[k] * o[k];
    return s;
  };
  check(name, f, p, g, tol);
}

// Forward mode (--forward): the dot-product identity <J v, w> = <v, J^T w>
// between f_jvp and f_grad, and the symmetry <u, H v> = <v, H u> of f_hvp.
// Both are exact identities, so the tolerance is rounding only.
// Both sides are exact identities: rounding only (float programs: float's).
bool same(double p, double q, const Tol &tol) {
  double eps = tol.ok < 1e-4 ? 1e-9 : 1e-4;
  return std::fabs(p - q) <= eps * std::max({1.0, std::fabs(p), std::fabs(q)});
}

void report(const char *name, bool ok, double p, double q) {
  if (ok)
    std::printf("%s: ok\\n", name);
  else
    std::printf("%s: FAIL\\n  %.15g against %.15g\\n", name, p, q);
  std::fflush(stdout);
}

template <class Grad, class Jvp, class Hvp>
void runj(const char *name, Grad grad, Jvp jvp, Hvp hvp, std::vector<double> x,
          double a, double b, int n, Tol tol = Tol()) {
  size_t m = x.size();
  std::vector<double> v(m), u(m), dx(m, 0.0), hv(m, 0.0), hu(m, 0.0);
  for (size_t i = 0; i < m; ++i) {
    v[i] = std::sin(1.0 + i);
    u[i] = std::cos(2.0 + 3.0 * i);
  }
  double va = 0.3, vb = -0.7, ua = -0.4, ub = 0.9;
  double da = 0, db = 0, hva = 0, hvb = 0, hua = 0, hub = 0;
  grad(x.data(), a, b, n, dx.data(), da, db);
  double jv = jvp(x.data(), a, b, n, v.data(), va, vb).tangent;
  double vjt = va * da + vb * db;
  hvp(x.data(), a, b, n, v.data(), va, vb, hv.data(), hva, hvb);
  hvp(x.data(), a, b, n, u.data(), ua, ub, hu.data(), hua, hub);
  double uhv = ua * hva + ub * hvb, vhu = va * hua + vb * hub;
  for (size_t i = 0; i < m; ++i) {
    vjt += v[i] * dx[i];
    uhv += u[i] * hv[i];
    vhu += v[i] * hu[i];
  }
  if (!same(jv, vjt, tol))
    report(name, false, jv, vjt);
  else
    report(name, same(uhv, vhu, tol), uhv, vhu);
}

template <class Grad, class Jvp>
void runjo(const char *name, Grad grad, Jvp jvp, std::vector<double> x,
           double a, double b, int n, std::vector<double> w, Tol tol = Tol()) {
  size_t m = x.size();
  std::vector<double> v(m), dx(m, 0.0), out(w.size(), 0.0), dout = w,
      tout(w.size(), 0.0);
  for (size_t i = 0; i < m; ++i)
    v[i] = std::sin(1.0 + i);
  double va = 0.3, vb = -0.7, da = 0, db = 0;
  grad(x.data(), a, b, n, out.data(), dx.data(), da, db, dout.data());
  std::fill(out.begin(), out.end(), 0.0);
  jvp(x.data(), a, b, n, out.data(), v.data(), va, vb, tout.data());
  double jvw = 0, vjtw = va * da + vb * db;
  for (size_t k = 0; k < w.size(); ++k)
    jvw += tout[k] * w[k];
  for (size_t i = 0; i < m; ++i)
    vjtw += v[i] * dx[i];
  report(name, same(jvw, vjtw, tol), jvw, vjtw);
}
} // namespace

int main() {
"""


def forward_source(source):
    """The program with forward mode and second order requested too."""
    source = source.replace(
        "ADJOINT_GRAD(x, a, b) double",
        "ADJOINT_GRAD(x, a, b) ADJOINT_JVP(x, a, b) ADJOINT_HESSIAN(x, a, b) double")
    return source.replace("ADJOINT_GRAD(x, a, b, out) void",
                          "ADJOINT_GRAD(x, a, b, out) ADJOINT_JVP(x, a, b, out) void")


def wrap(name):
    """A generic lambda calling `name`: when adjoint rejected the program and
    `name` does not exist, the error is on the seed's own line of main(),
    not in the harness."""
    return "[](auto &&...p_) { return %s(p_...); }" % name


def translation_unit(seeds, features=FEATURES, overrides=None, forward=False):
    """One TU with the seeds' programs and main(); `overrides` maps seeds to
    other feature lists. With `forward`, each function also gets f_jvp (and
    f_hvp for a scalar result), checked by the dot-product identity and the
    Hessian's symmetry."""
    overrides = overrides or {}
    parts = [PRELUDE]
    for s in seeds:
        source = program(s, overrides.get(s, features))
        parts.append(forward_source(source) if forward else source)
    parts.append(MAIN)
    for s in seeds:
        x, a, b, n = inputs(s)
        p = get_program(s, overrides.get(s, features))
        tol = ", kFloat" if p.floaty else ""
        parts.append("  run(\"fz%d\", fz%d, fz%d_grad, {%s}, %r, %r, %d%s);\n" %
                     (s, s, s, ", ".join(repr(v) for v in x), a, b, n, tol))
        if p.void:
            w = [round(v, 3) for v in random.Random("fzo%d:w" % s).choices(
                [-1.0, -0.5, 0.5, 1.0, 1.5], k=M)]
            parts.append("  runo(\"fzo%d\", fzo%d, fzo%d_grad, {%s}, %r, %r, %d, {%s}%s);\n" %
                         (s, s, s, ", ".join(repr(v) for v in x), a, b, n,
                          ", ".join(repr(v) for v in w), tol))
            if forward:
                parts.append("  runjo(\"fzjo%d\", %s, %s, {%s}, %r, %r, %d, {%s}%s);\n" %
                             (s, wrap("fzo%d_grad" % s), wrap("fzo%d_jvp" % s),
                              ", ".join(repr(v) for v in x), a, b, n,
                              ", ".join(repr(v) for v in w), tol))
        if forward:
            parts.append("  runj(\"fzj%d\", %s, %s, %s, {%s}, %r, %r, %d%s);\n" %
                         (s, wrap("fz%d_grad" % s), wrap("fz%d_jvp" % s),
                          wrap("fz%d_hvp" % s), ", ".join(repr(v) for v in x), a, b,
                          n, tol))
    parts.append("  return 0;\n}\n")
    return "".join(parts)


def parse_seeds(text):
    seeds = []
    for part in text.split(","):
        if "-" in part:
            lo, hi = part.split("-")
            seeds += range(int(lo), int(hi) + 1)
        elif part:
            seeds.append(int(part))
    return seeds


def add_feature_args(ap):
    ap.add_argument("--without", default="",
                    help="comma-separated constructs not to generate, of: " +
                    ", ".join(FEATURES))


def features(args):
    """The features of --without (all of them by default)."""
    off = set(f for f in args.without.split(",") if f)
    unknown = off - set(FEATURES)
    if unknown:
        raise SystemExit("unknown feature(s): %s" % ", ".join(sorted(unknown)))
    return [f for f in FEATURES if f not in off]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default="0", help="e.g. 0-99 or 3,17,40-45")
    ap.add_argument("--forward", action="store_true",
                    help="also request f_jvp and f_hvp and check them")
    add_feature_args(ap)
    args = ap.parse_args()
    print(translation_unit(parse_seeds(args.seeds), features(args),
                           forward=args.forward), end="")


if __name__ == "__main__":
    main()
