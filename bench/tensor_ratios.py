#!/usr/bin/env python3
"""Runs tensor_bench and prints its ratios as a Markdown table.

Usage: tensor_ratios.py [path/to/tensor_bench] [--repetitions N]

Takes the median CPU time of each BM_<net>_{forward,generated,hand} over the
repetitions and prints generated/hand (target <= 1.1) and generated/forward
(target <= 3) per network.
"""
import argparse
import json
import subprocess

NETWORKS = [
    ("tutorial", "tutorial: x[5] . w[5,3] + b, BCE with logits"),
    ("large", "layer: x[256,1024] . w[1024,1024] + b, BCE with logits"),
    ("mlp", "MLP: 256x784 -> 256 relu -> 10, cross entropy"),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default="build/bin/tensor_bench")
    parser.add_argument("--repetitions", type=int, default=5)
    args = parser.parse_args()
    out = subprocess.run(
        [args.binary, "--benchmark_format=json",
         f"--benchmark_repetitions={args.repetitions}",
         "--benchmark_report_aggregates_only=true"],
        check=True, capture_output=True, text=True).stdout
    medians = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") == "median":
            scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3}[b["time_unit"]]
            medians[b["run_name"]] = b["cpu_time"] * scale  # microseconds
    print("| network | forward (us) | hand-written grad (us) | generated grad (us)"
          " | generated / hand | generated / forward |")
    print("|---|---:|---:|---:|---:|---:|")
    for key, label in NETWORKS:
        f, h, g = (medians[f"BM_{key}_{kind}"]
                   for kind in ("forward", "hand", "generated"))
        print(f"| {label} | {f:.3f} | {h:.3f} | {g:.3f} | {g / h:.2f} |"
              f" {g / f:.2f} |")


if __name__ == "__main__":
    main()
