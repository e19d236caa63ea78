#!/usr/bin/env python3
"""Prints PyTorch's parameters after 5 optimizer steps, one line a case.

The scenario mirrors test/unit/optim_test.cpp: two parameters (p0 of shape
[2, 3], p1 of shape [4]) pulled towards targets by the gradient 2 (p - t).
Each output line is `<case> <p0 values> <p1 values>`. optim_test.cpp runs
this script when PyTorch is importable and also holds its output as
constants (regenerate them with this script).
"""
import torch

STEPS = 5


def cases():
    Sgd, Adam, AdamW = torch.optim.SGD, torch.optim.Adam, torch.optim.AdamW
    return [
        ("sgd", lambda p: Sgd(p, lr=0.1)),
        ("sgd_momentum", lambda p: Sgd(p, lr=0.05, momentum=0.9,
                                       dampening=0.1, weight_decay=0.01)),
        ("sgd_nesterov", lambda p: Sgd(p, lr=0.05, momentum=0.8,
                                       nesterov=True, weight_decay=0.02)),
        ("adam", lambda p: Adam(p, lr=0.01)),
        ("adam_l2_amsgrad", lambda p: Adam(p, lr=0.02, betas=(0.8, 0.99),
                                           eps=1e-6, weight_decay=0.05,
                                           amsgrad=True)),
        ("adamw", lambda p: AdamW(p, lr=0.01)),
        ("adamw_amsgrad", lambda p: AdamW(p, lr=0.03, weight_decay=0.1,
                                          amsgrad=True)),
    ]


def main():
    f32 = torch.float32
    for name, make in cases():
        p0 = torch.tensor([0.5 - 0.3 * k for k in range(6)], dtype=f32)
        p0 = p0.reshape(2, 3).requires_grad_()
        p1 = torch.tensor([-1.0 + 0.7 * k for k in range(4)],
                          dtype=f32).requires_grad_()
        t0 = torch.tensor([0.1 * k for k in range(6)], dtype=f32).reshape(2, 3)
        t1 = torch.tensor([0.2 - 0.1 * k for k in range(4)], dtype=f32)
        opt = make([p0, p1])
        for _ in range(STEPS):
            opt.zero_grad()
            with torch.no_grad():
                p0.grad = 2 * (p0 - t0)
                p1.grad = 2 * (p1 - t1)
            opt.step()
        values = torch.cat([p0.detach().reshape(-1), p1.detach()]).tolist()
        print(name, " ".join(f"{v:.9g}" for v in values))


if __name__ == "__main__":
    main()
