#!/usr/bin/env python3
"""The alternative the hq upscaler was measured against: a RAISR-style learned
filter bank (least squares per bucket, no CNN). Each native pixel's 5x5
neighbourhood predicts its 4 sub-pixels (residual over the pixel itself); the
bucket is chosen by the local gradient's angle (8), strength (3) and
coherence (2) from the structure tensor, as RAISR does. Trained on the same
crops as train.py, scored on the same held-out crops.

    /usr/bin/python3 generator/train/filterbank.py --build build
"""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train  # noqa: E402

R = 2  # 5x5


def features(x):
    """(N, 25) neighbourhoods and (N,) bucket ids of a batch of planes (B, H, W)."""
    p = np.pad(x, ((0, 0), (R, R), (R, R)), mode="edge")
    B, H, W = x.shape
    nb = np.stack([p[:, dy:dy + H, dx:dx + W] for dy in range(2 * R + 1)
                   for dx in range(2 * R + 1)], -1).reshape(-1, (2 * R + 1) ** 2)
    gy, gx = np.gradient(p, axis=(1, 2))
    def box(a):
        c = np.zeros_like(x)
        for dy in range(-1, 2):
            for dx in range(-1, 2):
                c += a[:, R + dy:R + dy + H, R + dx:R + dx + W]
        return c
    a, b, d = box(gx * gx), box(gx * gy), box(gy * gy)
    tr, det = a + d, a * d - b * b
    l1 = tr / 2 + np.sqrt(np.maximum(tr * tr / 4 - det, 0))
    l2 = tr / 2 - np.sqrt(np.maximum(tr * tr / 4 - det, 0))
    angle = (np.arctan2(b, l1 - d) % np.pi) / np.pi
    strength = np.sqrt(np.maximum(l1, 0))
    coher = (np.sqrt(np.maximum(l1, 0)) - np.sqrt(np.maximum(l2, 0))) / (
        np.sqrt(np.maximum(l1, 0)) + np.sqrt(np.maximum(l2, 0)) + 1e-9)
    bucket = (np.minimum((angle * 8).astype(int), 7) * 6 +
              np.digitize(strength, [0.01, 0.05]) * 2 + (coher > 0.5))
    return nb, bucket.reshape(-1)


def targets(x, y):
    B, H, W = x.shape
    sub = y.reshape(B, H, 2, W, 2).transpose(0, 1, 3, 2, 4).reshape(-1, 4)
    return sub - x.reshape(-1, 1)


def predict(filters, x):
    nb, bucket = features(x)
    res = np.einsum("nk,nkc->nc", nb, filters[bucket])
    B, H, W = x.shape
    out = res + x.reshape(-1, 1)
    return out.reshape(B, H, W, 2, 2).transpose(0, 1, 3, 2, 4).reshape(B, 2 * H, 2 * W)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--crops", type=int, default=600)
    a = ap.parse_args()
    data_dir = os.path.join(a.build, "hq-train")
    manifest = json.load(open(os.path.join(data_dir, "manifest.json")))
    tr = train.load_pairs(data_dir, manifest, False)
    held = train.load_pairs(data_dir, manifest, True)
    x, y = train.detail_crops(tr, 48, a.crops, np.random.default_rng(3))
    x, y = x[:, 0].numpy().astype(np.float64), y[:, 0].numpy().astype(np.float64)
    nb, bucket = features(x)
    t = targets(x, y)
    nbk = 48
    filters = np.zeros((nbk, (2 * R + 1) ** 2, 4))
    for k in range(nbk):
        sel = bucket == k
        if sel.sum() < 50:
            continue
        A, T = nb[sel], t[sel]
        filters[k] = np.linalg.solve(A.T @ A + 1e-4 * np.eye(A.shape[1]), A.T @ T)
    vx, vy = train.detail_crops(held, 96, 48, np.random.default_rng(7))
    vx, vy = vx[:, 0].numpy().astype(np.float64), vy[:, 0].numpy()
    pred = predict(filters, vx)
    mse = ((np.clip(pred, 0, 1) - vy) ** 2).mean(axis=(1, 2))
    print(f"filter bank ({nbk} buckets, 5x5, {len(nb)} samples): held-out crops "
          f"{np.mean(10 * np.log10(1 / mse)):.2f} dB")


if __name__ == "__main__":
    main()
