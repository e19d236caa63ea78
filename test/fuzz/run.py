#!/usr/bin/env python3
"""Differential test of adjoint: random programs against finite differences.

Generates the programs of gen_programs.py for the given seeds, compiles them
with the adjoint plugin in batches (one translation unit per batch, which
amortises the compiler's start-up and the runtime's headers over many
functions), runs them, and compares each generated gradient with central
finite differences. A batch that does not compile or crashes is split until
the failing seeds are isolated, so one bad program never hides the others.

    python3 test/fuzz/run.py --seeds 0-999              # build dir: build-ad
    python3 test/fuzz/run.py --seeds 0-99 --build build  # another build dir
    python3 test/fuzz/run.py --seeds 17 --keep /tmp/fz   # keep the sources

Each seed is classified as
  ok            every gradient agrees with finite differences;
  skipped       every gradient that differs from finite differences is
                one the function does not have at the point (central
                differences at two step sizes disagree, or the one-sided
                differences do: a kink); the others agree;
  rejected      the only compile errors are adjoint's own located errors
                (`error: adjoint: ...`): a construct adjoint refuses;
  wrong         a gradient differs from finite differences;
  build-broken  the code does not compile with other errors (generated code
                that does not compile);
  crash         the plugin (the compiler) or the program crashed or hung.
wrong, build-broken and crash are failures, and so is rejected with
--strict. Exits 1 on failures and prints their seeds;
`gen_programs.py --seeds S` prints the program of seed S.

A batch whose compile errors can all be mapped to seeds (by line) drops the
seeds with adjoint errors as rejected and compiles the rest again; other
failing batches are split until the failing seeds are isolated.
"""

import argparse
import collections
import os
import re
import shlex
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_programs  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))


def default_commands(build):
    build = os.path.abspath(build)
    cxx = ("clang++-16 -std=c++17 -O1 -I%s -fplugin=%s" %
           (os.path.join(REPO, "include"),
            os.path.join(build, "lib", "libAdjointPlugin.so")))
    link = "%s -lhwy -lpthread" % os.path.join(build, "lib", "libadjoint_runtime.a")
    return cxx, link


ERROR = re.compile(r"^(.*?):(\d+):(\d+): (?:fatal )?error: (.*)$")
NOTE = re.compile(r"^(.*?):(\d+):(\d+): note: in instantiation of .* requested here$")
CRASH = ("PLEASE submit a bug report", "Stack dump:", "clang frontend command failed")
VERDICTS = {"ok": "ok", "skip": "skip", "FAIL": "WRONG"}
ORDER = ["ok", "skip", "REJECTED", "WRONG", "BUILD-BROKEN", "CRASH"]
FAILURES = ("WRONG", "BUILD-BROKEN", "CRASH")


def normalize(msg):
    """A rejection message without its program-specific names, for the
    histogram: quoted names with digits (fz17_V2, pv_6, bf_1) become '_'."""
    msg = re.sub(r"'[^']*\d[^']*'", "'_'", msg)
    return msg


def idiom_of(line):
    m = re.search(r"// idiom:(\w+)", line)
    return m.group(1) if m else "old"


class Runner:
    def __init__(self, cxx, link, workdir, timeout, features, overrides=None, tag="",
                 forward=False):
        self.features = features
        self.forward = forward
        self.overrides = overrides or {}  # seed: features
        self.tag = tag
        # Every error, so that each can be mapped to its seed.
        self.cxx = shlex.split(cxx) + ["-ferror-limit=0"]
        self.link = shlex.split(link)
        self.workdir = workdir
        self.timeout = timeout

    def attempt(self, seeds):
        """Compiles and runs one batch. Returns (status, {seed: line}, log)
        with status "ok", "compile" or "run"."""
        tag = "%sb%d_%d" % (self.tag, seeds[0], len(seeds))
        src = os.path.join(self.workdir, tag + ".cpp")
        exe = os.path.join(self.workdir, tag)
        text = gen_programs.translation_unit(seeds, self.features, self.overrides,
                                             self.forward)
        with open(src, "w") as f:
            f.write(text)
        try:
            cc = subprocess.run(self.cxx + [src, "-o", exe] + self.link,
                                capture_output=True, text=True, timeout=10 * self.timeout)
        except subprocess.TimeoutExpired:
            return "crash", {}, "compiler timeout"
        if cc.returncode != 0:
            if cc.returncode < 0 or any(c in cc.stderr for c in CRASH):
                return "crash", {}, cc.stderr
            return "compile", self.map_errors(src, text, seeds, cc.stderr), cc.stderr
        try:
            rr = subprocess.run([exe], capture_output=True, text=True,
                                timeout=self.timeout)
        except subprocess.TimeoutExpired:
            return "run", {}, "timeout"
        results = {}  # seed: {function: text}
        current = None
        for line in rr.stdout.splitlines():
            m = re.match(r"^(fz[jo]*)(\d+): ", line)
            if m:
                current = (int(m.group(2)), m.group(1) + m.group(2))
                results.setdefault(current[0], {})[current[1]] = line
            elif current is not None:
                results[current[0]][current[1]] += "\n" + line
        expected = sum(1 + self.program(s).void for s in seeds) * (2 if self.forward else 1)
        if rr.returncode != 0 or sum(len(r) for r in results.values()) != expected:
            return "run", results, rr.stderr + "exit code %d" % rr.returncode
        return "ok", results, ""

    def program(self, s):
        return gen_programs.get_program(s, self.overrides.get(s, self.features))

    def map_errors(self, src, text, seeds, stderr):
        """{seed: [(idiom, message)]} of the compile errors, or None if an
        error is not in a line of one seed (its program, or its run lines in
        main)."""
        owner = {}
        seed = None
        lines = text.split("\n")
        for no, line in enumerate(lines, 1):
            m = re.match(r"^// seed (\d+)$", line) or re.match(r'^  run[jo]*\("fz[jo]*(\d+)"', line)
            if m:
                seed = int(m.group(1))
            elif line.startswith("namespace {") or line.startswith("  return 0;"):
                seed = None
            owner[no] = seed
        errors = collections.defaultdict(list)
        pending = []  # errors in the harness, waiting for their seed
        for line in stderr.splitlines():
            m = ERROR.match(line)
            if m:
                no = int(m.group(2))
                if os.path.abspath(m.group(1)) != os.path.abspath(src):
                    return None
                if owner.get(no) is None:
                    # In the harness (run/runo/runj/runjo): the seed is the
                    # one whose run line instantiated it (one instantiation
                    # may report several errors before its note).
                    pending.append(("harness", m.group(4)))
                    continue
                errors[owner[no]].append((idiom_of(lines[no - 1]), m.group(4)))
                continue
            m = NOTE.match(line)
            if pending and m and os.path.abspath(m.group(1)) == os.path.abspath(src):
                seed = owner.get(int(m.group(2)))
                if seed is not None:
                    errors[seed] += pending
                    pending = []
        if pending:
            return None
        return dict(errors)

    def batch(self, seeds):
        """Results of every seed: (verdict, detail, rejections), splitting
        batches that fail as a whole."""
        status, results, log = self.attempt(seeds)
        if status == "ok":
            out = {}
            for s, funcs in results.items():
                verdicts = [VERDICTS.get(t.split(": ", 1)[1].split()[0], "WRONG")
                            for t in funcs.values()]
                verdict = max(verdicts, key=ORDER.index)
                out[s] = (verdict, "\n".join(funcs.values()), [])
            return out
        if status == "compile" and results is not None:
            # Seeds with adjoint errors are rejected (the plugin generates
            # nothing when there are errors, so other seeds' calls of their
            # gradients fail too: compile those again).
            out = {}
            for s, errs in results.items():
                adj = [(k, e[len("adjoint: "):]) for k, e in errs if e.startswith("adjoint: ")]
                if adj:
                    out[s] = ("REJECTED", "\n".join("  [%s] %s" % ke for ke in adj), adj)
            if out:
                rest = [s for s in seeds if s not in out]
                if rest:
                    out.update(self.batch(rest))
                return out
            if len(seeds) > 1:
                bad = [s for s in seeds if s in results]
                rest = [s for s in seeds if s not in results]
                for s in bad:
                    out.update(self.batch([s]))
                if rest:
                    out.update(self.batch(rest))
                return out
        if len(seeds) == 1:
            verdict = {"compile": "BUILD-BROKEN", "crash": "CRASH"}.get(status, "CRASH")
            if status == "run":
                log = "run time: " + log
            elif status == "crash":
                log = "compiler: " + log
            return {seeds[0]: (verdict, log.strip(), [])}
        mid = len(seeds) // 2
        out = self.batch(seeds[:mid])
        out.update(self.batch(seeds[mid:]))
        return out


def run_all(runner, seeds, args):
    batches = [seeds[i:i + args.batch] for i in range(0, len(seeds), args.batch)]
    results = {}
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for r in pool.map(runner.batch, batches):
            results.update(r)
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default="0-199", help="e.g. 0-999 or 3,17,40-45")
    ap.add_argument("--build", default=os.path.join(REPO, "build-ad"),
                    help="build directory with lib/libAdjointPlugin.so")
    ap.add_argument("--cxx", help="compiler command with the plugin (overrides --build)")
    ap.add_argument("--link", help="runtime link flags (overrides --build)")
    ap.add_argument("--batch", type=int, default=50, help="functions per translation unit")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--keep", help="directory for the sources and binaries (kept)")
    ap.add_argument("--forward", action="store_true",
                    help="also generate f_jvp and f_hvp and check the dot-product "
                    "identity with f_grad and the Hessian's symmetry")
    gen_programs.add_feature_args(ap)
    ap.add_argument("-v", "--verbose", action="store_true", help="print every seed's result")
    ap.add_argument("--strict", action="store_true",
                    help="count rejected programs (adjoint errors) as failures")
    ap.add_argument("--no-retest", action="store_true",
                    help="do not test rejected programs again without the rejected idioms")
    ap.add_argument("--list-rejected", action="store_true",
                    help="print the seeds and errors of rejected programs")
    args = ap.parse_args()

    cxx, link = default_commands(args.build)
    cxx = args.cxx or cxx
    link = args.link or link
    seeds = gen_programs.parse_seeds(args.seeds)
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        workdir = args.keep
    else:
        tmp = tempfile.TemporaryDirectory(prefix="adjoint-fuzz-")
        workdir = tmp.name
    feats = gen_programs.features(args)
    runner = Runner(cxx, link, workdir, args.timeout, feats, forward=args.forward)
    results = run_all(runner, seeds, args)

    # A rejected program is tested again without the idioms adjoint rejected
    # (when only new idioms were), so that the rest of it is still tested.
    overrides = {}
    for s in seeds:
        verdict, _, rejections = results[s]
        kinds = set(k for k, _ in rejections)
        if verdict == "REJECTED" and kinds and kinds <= set(gen_programs.NEW_FEATURES):
            overrides[s] = [f for f in feats if f not in kinds]
    retests = {}
    if overrides and not args.no_retest:
        again = Runner(cxx, link, workdir, args.timeout, feats, overrides, tag="r",
                       forward=args.forward)
        retests = run_all(again, sorted(overrides), args)

    counts = collections.Counter()
    failed = []
    hist = collections.Counter()  # (idiom, message): programs
    per = collections.defaultdict(collections.Counter)  # idiom: verdicts
    first = {}  # (idiom or class, verdict): smallest seed
    for s in seeds:
        verdict, detail, rejections = results[s]
        counts[verdict] += 1
        used = sorted(gen_programs.get_program(s, feats).used) or ["(old only)"]
        for u in used:
            per[u][verdict] += 1
        for ke in sorted(set((k, normalize(e)) for k, e in rejections)):
            hist[ke] += 1
        if verdict in FAILURES or (verdict == "REJECTED" and args.strict):
            failed.append(s)
            print("seed %d: %s (idioms: %s)\n%s" % (s, verdict, ", ".join(used), detail))
        elif args.verbose or (verdict == "REJECTED" and args.list_rejected):
            print("seed %d: %s (idioms: %s)\n%s" % (s, verdict, ", ".join(used), detail))
    recounts = collections.Counter()
    for s in sorted(retests):
        verdict, detail, _ = retests[s]
        recounts[verdict] += 1
        without = sorted(set(feats) - set(overrides[s]))
        if verdict in FAILURES or (verdict == "REJECTED" and args.strict):
            failed.append(s)
            print("seed %d: rejected; without %s: %s\n%s" % (s, ",".join(without), verdict, detail))
        elif args.verbose:
            print("seed %d: rejected; without %s: %s" % (s, ",".join(without), verdict))
    if hist:
        print("rejections (programs, [idiom of the line] message):")
        for (k, e), c in sorted(hist.items(), key=lambda kv: (-kv[1], kv[0])):
            print("  %5d  [%s] %s" % (c, k, e))
    if any(f in gen_programs.NEW_FEATURES for f in feats):
        print("per idiom (programs using it: ok / skipped / rejected / wrong / build-broken / crash):")
        for u in sorted(per):
            c = per[u]
            print("  %-14s %5d: %s" % (u, sum(c.values()), " / ".join(str(c[v]) for v in ORDER)))
    if retests:
        print("rejected programs tested again without the rejected idioms: %d ok, %d skipped, "
              "%d rejected, %d wrong, %d build-broken, %d crash" % tuple(recounts[v] for v in ORDER))
    print("counts: %d ok, %d skipped, %d rejected, %d wrong, %d build-broken, %d crash" %
          tuple(counts[v] for v in ORDER))
    print("fuzz: %d programs, %d ok, %d skipped (not smooth at the point), %d failed, "
          "%d rejected (adjoint errors)" %
          (len(seeds), counts["ok"], counts["skip"], len(failed), counts["REJECTED"]))
    if failed:
        print("failing seeds: %s" % ",".join(str(s) for s in sorted(set(failed))))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
