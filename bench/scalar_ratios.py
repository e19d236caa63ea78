#!/usr/bin/env python3
"""Runs scalar_bench and prints generated/hand-written time ratios.

Usage: scalar_ratios.py [path/to/scalar_bench] [--repetitions N] [--callgrind]

Runs the benchmark once with --benchmark_format=json and repetitions, takes
the median CPU time of each benchmark and prints a Markdown table of
BM_<name>_generated / BM_<name>_hand. With --callgrind it also counts the
instructions of one gradient call of each side under valgrind (deterministic,
unlike wall time) and prints a second table.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

FUNCTIONS = [
    ("trig_exp_log", "straight line: sin, exp, log, cos"),
    ("rational", "rational, reassigned variables"),
    ("scaled_lse", "loop over 1000 doubles with exp"),
    ("gated", "nested user function (logistic)"),
    ("huber", "if/else on active values in a loop, n = 1000"),
]


def run_timings(binary, repetitions, min_time):
    args = [binary, "--benchmark_format=json",
            f"--benchmark_repetitions={repetitions}",
            "--benchmark_report_aggregates_only=true"]
    if min_time:
        args.append(f"--benchmark_min_time={min_time}")
    out = subprocess.run(args, check=True, stdout=subprocess.PIPE, text=True).stdout
    data = json.loads(out)
    medians = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") == "median":
            medians[b["run_name"]] = b["cpu_time"], b["time_unit"]
    return data["context"], medians


def run_callgrind(binary, target, iters):
    """Instructions per gradient call of `target` (NAME_SIDE): callgrind counts
    only inside scalar_bench's countLoop* functions, which run the benchmark's
    loop body `iters` times."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cg.out")
        subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
             "--toggle-collect=*countLoop*", binary, "--count", target, str(iters)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(out) as f:
            for line in f:
                if line.startswith("summary:") or line.startswith("totals:"):
                    return int(line.split()[1]) / iters
    raise RuntimeError("no callgrind summary for " + target)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    p.add_argument("binary", nargs="?",
                   default=os.path.join(here, "..", "build", "bin", "scalar_bench"))
    p.add_argument("--repetitions", type=int, default=5)
    p.add_argument("--min-time", default=None,
                   help="--benchmark_min_time per repetition (seconds)")
    p.add_argument("--callgrind", action="store_true",
                   help="also count instructions with valgrind --tool=callgrind")
    a = p.parse_args()

    context, medians = run_timings(a.binary, a.repetitions, a.min_time)
    print(f"host: {context.get('host_name', '?')}, {context.get('num_cpus')} CPUs "
          f"@ {context.get('mhz_per_cpu')} MHz, {a.repetitions} repetitions, medians")
    print()
    print("| function | what it exercises | generated | hand-written | ratio |")
    print("|---|---|---:|---:|---:|")
    worst = 0.0
    for name, what in FUNCTIONS:
        g, unit = medians[f"BM_{name}_generated"]
        h, _ = medians[f"BM_{name}_hand"]
        worst = max(worst, g / h)
        print(f"| `{name}` | {what} | {g:.1f} {unit} | {h:.1f} {unit} | {g / h:.2f} |")
    print()
    print(f"worst ratio: {worst:.2f} (target <= 1.2)")

    if a.callgrind:
        print()
        print("| function | generated instr/call | hand-written instr/call | ratio |")
        print("|---|---:|---:|---:|")
        for name, _ in FUNCTIONS:
            iters = 20 if name in ("scaled_lse", "huber") else 2000
            g = run_callgrind(a.binary, f"{name}_generated", iters)
            h = run_callgrind(a.binary, f"{name}_hand", iters)
            print(f"| `{name}` | {g:.0f} | {h:.0f} | {g / h:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
