#!/usr/bin/env python3
"""What adding adjoint to a build costs, in compiler CPU time (user + system).

Prints the two ratios of issue 16 side by side, on a file that includes
<vector>, <cmath> and <iostream> (compiled with -O2 -c, the median of
--runs runs each):

  annotated: the file with one ADJOINT_GRAD function (and <adjoint/scalar.h>),
             compiled with the plugin, over the same file without adjoint at
             all (no adjoint header, no annotation, no gradient call);
             goal <= 1.3
  plugin on: the file without annotations or adjoint headers compiled with
             the plugin loaded, over the same compile without it; goal <= 1.05

  bench/compile_cost.py [--build build-16] [--cxx clang++-16] [--runs 5]
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

COMMON = r"""
#include <cmath>
#include <iostream>
#include <vector>

double energy(const std::vector<double> &p) {
  double e = 0;
  for (size_t i = 0; i + 1 < p.size(); ++i) {
    double d = p[i + 1] - p[i];
    e += std::exp(-d * d) + std::sin(d);
  }
  return e;
}
"""

ANNOTATED = r"""
#include <adjoint/scalar.h>
""" + COMMON + r"""
ADJOINT_GRAD(x)
double f(double x, double y) { return std::sin(x) * y + std::exp(x * y); }

int main() {
  double dx = 0;
  double v = f_grad(0.5, 2.0, dx);
  std::cout << v << " " << dx << " " << energy({1, 2, 4}) << "\n";
}
"""

PLAIN = COMMON + r"""
double f(double x, double y) { return std::sin(x) * y + std::exp(x * y); }

int main() {
  std::cout << f(0.5, 2.0) << " " << energy({1, 2, 4}) << "\n";
}
"""


def cpu_time(cmd):
    """CPU seconds (user + system) the command and its children took."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_time(cmd, runs):
    return statistics.median(cpu_time(cmd) for _ in range(runs))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, "build-16"))
    parser.add_argument("--cxx", default="clang++-16")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    plugin = os.path.join(os.path.abspath(args.build), "lib", "libAdjointPlugin.so")
    if not os.path.exists(plugin):
        sys.exit("compile_cost.py: no plugin at %s; build AdjointPlugin first" % plugin)

    with tempfile.TemporaryDirectory() as tmp:
        annotated = os.path.join(tmp, "annotated.cpp")
        plain = os.path.join(tmp, "plain.cpp")
        with open(annotated, "w") as f:
            f.write(ANNOTATED)
        with open(plain, "w") as f:
            f.write(PLAIN)
        base = [args.cxx, "-std=c++17", "-O2", "-c", "-o", os.path.join(tmp, "out.o"),
                "-I" + os.path.join(ROOT, "include")]
        with_plugin = base + ["-fplugin=" + plugin]
        times = {
            "annotated, plugin": median_time(with_plugin + [annotated], args.runs),
            "plain, plugin": median_time(with_plugin + [plain], args.runs),
            "plain, no plugin": median_time(base + [plain], args.runs),
        }

    for name, seconds in times.items():
        print("%-20s %6.3f s CPU (median of %d)" % (name, seconds, args.runs))
    annotated_ratio = times["annotated, plugin"] / times["plain, no plugin"]
    plugin_ratio = times["plain, plugin"] / times["plain, no plugin"]
    print("%-58s %5.2fx (goal <= 1.30)" %
          ("annotated file with the plugin / the file without adjoint:", annotated_ratio))
    print("%-58s %5.2fx (goal <= 1.05)" %
          ("unannotated file, plugin on / off:", plugin_ratio))


if __name__ == "__main__":
    main()
