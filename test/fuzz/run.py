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

Exits 1 if any program fails to compile, crashes or has a wrong gradient, and
prints the seeds; `gen_programs.py --seeds S` prints the program of seed S.
"""

import argparse
import os
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


class Runner:
    def __init__(self, cxx, link, workdir, timeout, features):
        self.features = features
        self.cxx = shlex.split(cxx)
        self.link = shlex.split(link)
        self.workdir = workdir
        self.timeout = timeout

    def attempt(self, seeds):
        """Compiles and runs one batch. Returns (status, {seed: line}, log)
        with status "ok", "compile" or "run"."""
        tag = "b%d_%d" % (seeds[0], len(seeds))
        src = os.path.join(self.workdir, tag + ".cpp")
        exe = os.path.join(self.workdir, tag)
        with open(src, "w") as f:
            f.write(gen_programs.translation_unit(seeds, self.features))
        cc = subprocess.run(self.cxx + [src, "-o", exe] + self.link,
                            capture_output=True, text=True)
        if cc.returncode != 0:
            return "compile", {}, cc.stderr
        try:
            rr = subprocess.run([exe], capture_output=True, text=True,
                                timeout=self.timeout)
        except subprocess.TimeoutExpired:
            return "run", {}, "timeout"
        results = {}
        current = None
        for line in rr.stdout.splitlines():
            if line.startswith("fz") and ": " in line:
                current = int(line.split(":")[0][2:])
                results[current] = line
            elif current is not None:
                results[current] += "\n" + line
        if rr.returncode != 0 or len(results) != len(seeds):
            return "run", results, rr.stderr + "exit code %d" % rr.returncode
        return "ok", results, ""

    def batch(self, seeds):
        """Results of every seed: (verdict, detail), splitting batches that
        fail as a whole."""
        status, results, log = self.attempt(seeds)
        if status == "ok":
            out = {}
            for s, line in results.items():
                verdict = line.split(": ", 1)[1].split()[0]
                out[s] = (verdict, line)
            return out
        if len(seeds) == 1:
            return {seeds[0]: ("COMPILE-FAIL" if status == "compile" else "CRASH",
                               log.strip())}
        mid = len(seeds) // 2
        out = self.batch(seeds[:mid])
        out.update(self.batch(seeds[mid:]))
        return out


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
    gen_programs.add_feature_args(ap)
    ap.add_argument("-v", "--verbose", action="store_true", help="print every seed's result")
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
    runner = Runner(cxx, link, workdir, args.timeout, gen_programs.features(args))
    batches = [seeds[i:i + args.batch] for i in range(0, len(seeds), args.batch)]
    results = {}
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for r in pool.map(runner.batch, batches):
            results.update(r)

    counts = {}
    failed = []
    for s in seeds:
        verdict, detail = results[s]
        counts[verdict] = counts.get(verdict, 0) + 1
        if verdict not in ("ok", "skip"):
            failed.append(s)
            print("seed %d: %s\n%s" % (s, verdict, detail))
        elif args.verbose:
            print(detail)
    print("fuzz: %d programs, %d ok, %d skipped (not smooth at the point), %d failed" %
          (len(seeds), counts.get("ok", 0), counts.get("skip", 0), len(failed)))
    if failed:
        print("failing seeds: %s" % ",".join(str(s) for s in failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
