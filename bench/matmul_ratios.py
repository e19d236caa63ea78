#!/usr/bin/env python3
"""Runs matmul_bench and prints its ratios to OpenBLAS as a Markdown table.

Usage: matmul_ratios.py [path/to/matmul_bench] [--repetitions N]

Takes the median time of each row over the repetitions (process CPU time on
one thread, wall time on two) and prints OpenBLAS time / adjoint time per
size, so 1.0 means as fast as OpenBLAS and more is faster; on two threads
also the speed-up in wall time over one thread of each library (only
meaningful when two cores are idle).
"""
import argparse
import json
import subprocess

ROWS = [("matmul/public", "c = matmul(a, b)"),
        ("matmul_out/public", "matmul_out(c, a, b)"),
        ("sgemm/kernel", "kernel into a reused buffer")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default="build-16/bin/matmul_bench")
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    out = subprocess.run(
        [args.binary, "--benchmark_format=json",
         f"--benchmark_repetitions={args.repetitions}",
         "--benchmark_report_aggregates_only=true"],
        check=True, capture_output=True, text=True).stdout
    median, wall = {}, {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        name, n, threads = b["run_name"].split("/n:")[0], None, None
        for part in b["run_name"].split("/"):
            if part.startswith("n:"):
                n = int(part[2:])
            if part.startswith("threads:"):
                threads = int(part[8:])
        key = "cpu_time" if threads == 1 else "real_time"
        median[(name, n, threads)] = b[key]
        wall[(name, n, threads)] = b["real_time"]
    sizes = sorted({n for _, n, _ in median})
    for threads in (1, 2):
        clock = "process CPU time" if threads == 1 else "wall time"
        print(f"\n{threads} thread(s), {clock}: OpenBLAS time / adjoint time")
        print("| | " + " | ".join(f"n = {n}" for n in sizes) + " |")
        print("|---|" + "---:|" * len(sizes))
        for name, label in ROWS:
            cells = [median[("sgemm/openblas", n, threads)] /
                     median[(name, n, threads)] for n in sizes]
            print(f"| {label} | " + " | ".join(f"{c:.2f}" for c in cells) +
                  " |")
        if threads == 2:
            for name, label in [("matmul/public", "adjoint matmul"),
                                ("sgemm/openblas", "OpenBLAS")]:
                cells = [wall[(name, n, 1)] / wall[(name, n, 2)]
                         for n in sizes]
                print(f"| speed-up of {label}, 2 threads over 1 | " +
                      " | ".join(f"{c:.2f}" for c in cells) + " |")


if __name__ == "__main__":
    main()
