#!/usr/bin/env python3
"""Times tensor_bench's networks in PyTorch on the CPU, on one thread.

Usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_bench.py
(the variable is also set here before torch is imported; Debian's python3-torch
is used, not a virtualenv's).

For each network: the forward under torch.no_grad() (adjoint's plain call)
and forward + loss.backward() with .grad accumulating across iterations
(adjoint's f_grad without zeroing). Prints the median CPU time per call over
repetitions, in microseconds, as a Markdown table.
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import statistics  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(1)
torch.manual_seed(0)


def layer(batch, n_in, n_out):
    x = torch.randn(batch, n_in) if batch else torch.ones(n_in)
    y = (torch.rand(batch, n_out) > 0.5).float() if batch else torch.zeros(n_out)
    w = (torch.randn(n_in, n_out) / n_in ** 0.5).requires_grad_()
    b = torch.randn(n_out, requires_grad=True)

    def loss():
        return F.binary_cross_entropy_with_logits(torch.matmul(x, w) + b, y)
    return loss


def mlp():
    x = torch.randn(256, 784)
    labels = torch.arange(256) % 10
    w1 = (torch.randn(784, 256) / 784 ** 0.5).requires_grad_()
    b1 = torch.zeros(256, requires_grad=True)
    w2 = (torch.randn(256, 10) / 16).requires_grad_()
    b2 = torch.zeros(10, requires_grad=True)

    def loss():
        h = torch.relu(torch.matmul(x, w1) + b1)
        return F.cross_entropy(torch.matmul(h, w2) + b2, labels)
    return loss


def per_call(fn, min_time=0.3, repetitions=5):
    """Median CPU seconds per call of fn over repetitions of >= min_time."""
    fn()
    n = 1
    while True:
        start = time.process_time()
        for _ in range(n):
            fn()
        if time.process_time() - start >= min_time / 4:
            break
        n *= 2
    n = max(1, int(n * min_time / max(time.process_time() - start, 1e-9)))
    samples = []
    for _ in range(repetitions):
        start = time.process_time()
        for _ in range(n):
            fn()
        samples.append((time.process_time() - start) / n)
    return statistics.median(samples)


def main():
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
    print("| network | forward (us) | forward + backward (us) | ratio |")
    print("|---|---:|---:|---:|")
    for name, loss in [("tutorial 5x3, BCE", layer(0, 5, 3)),
                       ("layer 256x1024 . 1024x1024, BCE", layer(256, 1024, 1024)),
                       ("MLP 256x784 -> 256 -> 10, CE", mlp())]:
        def forward():
            with torch.no_grad():
                loss()

        def gradient():
            loss().backward()
        f = per_call(forward) * 1e6
        g = per_call(gradient) * 1e6
        print(f"| {name} | {f:.3f} | {g:.3f} | {g / f:.2f} |")


if __name__ == "__main__":
    main()
