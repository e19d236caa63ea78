#!/usr/bin/env python3
"""Checks examples/digits_mlp: accuracy, and data parallelism under MPI.

Usage: check_digits.py path/to/digits_mlp [--mpirun path/to/mpirun]

1. One process trains 30 epochs and must reach >= 95% test accuracy.
2. With --mpirun: 2 processes, each on half of every batch with averaged
   gradients, train 3 epochs; their parameters must match one process's on
   the whole batches within float tolerance (only the summation order of the
   gradients differs), and rank 0 must report the same accuracy line format.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({result.returncode}):\n"
                 f"{result.stdout}\n{result.stderr}")
    return result.stdout


def final_accuracy(output):
    match = re.search(r"^test accuracy ([0-9.]+)", output, re.M)
    if not match:
        sys.exit(f"no final accuracy in:\n{output}")
    return float(match.group(1))


def read_params(path):
    with open(path) as f:
        return [float(line) for line in f]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--mpirun")
    args = parser.parse_args()
    # One thread each: two processes share the machine's cores.
    serial = [args.binary, "--threads", "1"]

    output = run(serial + ["--epochs", "30"])
    accuracy = final_accuracy(output)
    epochs = len(re.findall(r"^epoch ", output, re.M))
    print(output.splitlines()[-1])
    if epochs != 30 or accuracy < 0.95:
        sys.exit(f"expected 30 epoch lines and >= 95% accuracy:\n{output}")
    if not args.mpirun:
        print("MPI not built: data-parallel check not run")
        return

    with tempfile.TemporaryDirectory() as tmp:
        one, two = os.path.join(tmp, "one.txt"), os.path.join(tmp, "two.txt")
        run(serial + ["--epochs", "3", "--save", one])
        mpi = [args.mpirun, "-np", "2", "--oversubscribe"]
        if os.geteuid() == 0:
            mpi.append("--allow-run-as-root")
        output = run(mpi + serial + ["--epochs", "3", "--save", two])
        if "2 process(es)" not in output:
            sys.exit(f"mpirun did not start 2 processes:\n{output}")
        a, b = read_params(one), read_params(two)
        if len(a) != len(b):
            sys.exit(f"{len(a)} parameters from one process, {len(b)} from two")
        worst = max(abs(x - y) / max(1.0, abs(x)) for x, y in zip(a, b))
        print(f"2 processes vs 1: {len(a)} parameters, largest relative "
              f"difference {worst:.3g}")
        if worst > 1e-4:
            sys.exit("the processes' parameters differ from one process's")
        if a == b:
            # Identical to the bit would mean the gradients were not split.
            print("note: bitwise identical")


if __name__ == "__main__":
    main()
