#!/usr/bin/env python3
"""The paper's dense float32 nhsic on the GPU with PyTorch, for the speed-up ratio of the exact GPU engine.

Per pair: D = squared distances of the m entries, Kx = exp(-D / (2 sigma^2)), Kc = Kx @ H,
Rx = Kc @ inverse(Kc + eps*m*I) for x and y, value = sum(Rx * Ry.T); float32 on cuda.
Usage: dense_torch.py [--m 4096] [--pairs 4] [--sigma 50]. Prints pairs/s (after one warm-up pair).
"""
import argparse
import sys
import time

try:
    import torch
except ImportError:
    print("torch not installed")
    sys.exit(3)


def nhsic_dense(x, y, sigma, eps):
    m = x.shape[0]
    H = torch.eye(m, device=x.device) - 1.0 / m
    eye = torch.eye(m, device=x.device)

    def R(v):
        d = (v[:, None] - v[None, :]) ** 2
        k = torch.exp(-d / (2 * sigma * sigma))
        kc = k @ H
        return kc @ torch.linalg.inv(kc + eps * m * eye)

    return torch.sum(R(x) * R(y).T)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--m", type=int, default=4096)
    ap.add_argument("--pairs", type=int, default=4)
    ap.add_argument("--sigma", type=float, default=50.0)
    a = ap.parse_args()
    if not torch.cuda.is_available():
        print("torch has no CUDA device")
        sys.exit(3)
    g = torch.Generator(device="cuda").manual_seed(0)
    xs = torch.randn(a.pairs + 1, a.m, device="cuda", generator=g)
    ys = 0.6 * xs + 0.8 * torch.randn(a.pairs + 1, a.m, device="cuda", generator=g)
    xs[:, :6] = 300.0
    nhsic_dense(xs[a.pairs], ys[a.pairs], a.sigma, 1e-5)  # warm-up
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    v = None
    for i in range(a.pairs):
        v = nhsic_dense(xs[i], ys[i], a.sigma, 1e-5)
    torch.cuda.synchronize()
    s = time.perf_counter() - t0
    print(f"dense float32 (PyTorch {torch.__version__}, {torch.cuda.get_device_name()}) m={a.m}: "
          f"{a.pairs} pairs in {s:.3f} s = {a.pairs / s:.3f} pairs/s (last value {float(v):.6g})")


if __name__ == "__main__":
    main()
