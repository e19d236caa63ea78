#!/usr/bin/env python3
"""examples/digits_mlp.cpp's model and training in PyTorch, for time per epoch.

Usage: digits_torch.py [--epochs N] [--threads T] [--data digits.csv.gz]

Same data file, 80/20 split, 64-128-10 ReLU MLP with nn.Linear's
initialization, cross entropy, Adam(lr=1e-2), minibatches of 64 with the
incomplete one dropped; prints one line per epoch and the mean time per
epoch (training only, like digits_mlp). Needs python3-torch (Debian's
/usr/bin/python3 when python3 is another installation).
"""
import argparse
import gzip
import time

import torch

DATA = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--data", default=DATA)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(7)

    with gzip.open(args.data, "rt") as f:
        rows = [[float(v) for v in line.split(",")] for line in f if line.strip()]
    data = torch.tensor(rows, dtype=torch.float32)
    x_all, y_all = data[:, :64] / 16.0, data[:, 64].long()
    order = torch.randperm(len(rows))
    train_size = len(rows) * 4 // 5
    train, test = order[:train_size], order[train_size:]

    model = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(),
                                torch.nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    batch = 64
    total = 0.0
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        perm = train[torch.randperm(train_size)]
        loss_sum = 0.0
        batches = train_size // batch
        for b in range(batches):
            idx = perm[b * batch:(b + 1) * batch]
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x_all[idx]),
                                                     y_all[idx])
            loss.backward()
            opt.step()
            loss_sum += loss.item()
        seconds = time.perf_counter() - start
        total += seconds
        with torch.no_grad():
            accuracy = (model(x_all[test]).argmax(1) == y_all[test]).float()
        print(f"epoch {epoch:3d}/{args.epochs}  loss {loss_sum / batches:.4f}"
              f"  test accuracy {accuracy.mean().item():.4f}"
              f"  {seconds * 1e3:.2f} ms")
    print(f"test accuracy {accuracy.mean().item():.4f}, "
          f"{total * 1e3 / args.epochs:.2f} ms per epoch")


if __name__ == "__main__":
    main()
