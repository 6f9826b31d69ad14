#!/usr/bin/env python3
"""Trains the chroma hook's learned residual and writes its parameter table.

After nr_chroma_reconstruct (ours), a tiny MLP on the 3x3 neighbourhood of
each output pixel predicts truth - ours for Cb and Cr. Its inputs are the
eight neighbours' differences to the centre of luma (the guide) and of our
two chroma planes (24 numbers); one hidden ReLU layer of H units; two outputs.
The shader's fourth pass (and nr_chroma_learned_apply) evaluates the same
thing, edge pixels repeated.

Data: raw planes written by
    CHROMA_DUMP=DIR NO_EWA=1 build/bench/restore/chroma-explore --synth 0 \
        --real cycle /work/shared/frames/dev/*.png
(DIR/<frame>[.native].f32: int32 gw gh cw ch, then float32 luma, true Cb,
true Cr, our Cb, our Cr (gw*gh each), coded Cb, Cr (cw*ch)). Third-party
frames: never commit the dumps. Both rows of each frame (delivered size and
native) are used; the frames named by --test are held out (default: the six
bench-chroma frames) and reported per frame.

    /usr/bin/python3 generator/train/chroma_learned.py --dump /tmp/c2dump \
        --hidden 8 --out presets/chroma-learned-v1.txt

Deterministic for a given machine (fixed seeds, one thread)."""
import argparse
import datetime
import glob
import os

import numpy as np
import torch

# the eight neighbours (dx, dy), in the table's and the shader's order
TAPS = [(-1, -1), (0, -1), (1, -1), (-1, 0), (1, 0), (-1, 1), (0, 1), (1, 1)]
BENCH = ["bocchi_1", "kuzunohonkai_1", "owarimonogatari_1", "nijigasaki_1",
         "prismaillya_1", "unknown-pinkhair_1"]


def load(path):
    gw, gh, cw, ch = map(int, np.fromfile(path, dtype=np.int32, count=4))
    a = np.fromfile(path, dtype=np.float32, offset=16)
    n = gw * gh
    return [a[i * n:(i + 1) * n].reshape(gh, gw) for i in range(5)]


def features(y, ocb, ocr):
    """(h*w, 24) neighbour - centre differences, edges repeated."""
    h, w = y.shape
    f = []
    for plane in (y, ocb, ocr):
        p = np.pad(plane, 1, mode="edge")
        for dx, dy in TAPS:
            f.append((p[1 + dy:1 + dy + h, 1 + dx:1 + dx + w] - plane).ravel())
    # interleave per tap: (dY, dCb, dCr) for tap 0, tap 1, ...
    f = np.stack(f, 1).reshape(-1, 3, len(TAPS)).transpose(0, 2, 1).reshape(-1, 3 * len(TAPS))
    return f.astype(np.float32)


def psnr(a, b):
    return -10 * np.log10(np.mean((a.astype(np.float64) - b) ** 2))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dump", required=True)
    ap.add_argument("--test", default=",".join(BENCH))
    ap.add_argument("--hidden", type=int, default=8)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--npx", type=int, default=80000, help="sampled pixels per training plane")
    ap.add_argument("--out")
    ap.add_argument("--radius", type=int, default=1, help="taps: the (2r+1)^2 - 1 neighbours")
    ap.add_argument("--balance", type=float, default=0.0,
                    help="weight each plane's samples by (its mean squared target)^-BALANCE")
    ap.add_argument("--loss", default="mse", choices=["mse", "huber"])
    ap.add_argument("--cross", action="store_true", help="only the taps on the axes")
    ap.add_argument("--clip", type=float, default=0.002,
                    help="|correction| <= CLIP (in the table; 0.002 is half an 8-bit code: "
                         "larger corrections lost on held-out frames)")
    ap.add_argument("--rows", default="all", choices=["all", "delivered", "native"],
                    help="train on these rows only (held-out rows: all)")
    args = ap.parse_args()
    global TAPS
    r = args.radius
    TAPS = [(dx, dy) for dy in range(-r, r + 1) for dx in range(-r, r + 1) if dx or dy]
    if args.cross:
        TAPS = [t for t in TAPS if t[0] == 0 or t[1] == 0]
    torch.manual_seed(0)
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    test = set(args.test.split(","))
    files = sorted(glob.glob(os.path.join(args.dump, "*.f32")))
    name = lambda f: os.path.basename(f).split("-half")[0]
    train = [f for f in files if name(f) not in test and
             (args.rows == "all" or ("native" in f) == (args.rows == "native"))]
    held = [f for f in files if name(f) in test]
    X, T, W = [], [], []
    for f in train:
        y, tcb, tcr, ocb, ocr = load(f)
        F = features(y, ocb, ocr)
        t = np.stack([(tcb - ocb).ravel(), (tcr - ocr).ravel()], 1)
        pick = rng.integers(0, len(F), args.npx)
        X.append(F[pick])
        T.append(t[pick])
        W.append(np.full(args.npx, np.mean(t ** 2) ** -args.balance, np.float32))
    X = torch.tensor(np.concatenate(X))
    T = torch.tensor(np.concatenate(T)) * 100
    W = torch.tensor(np.concatenate(W))
    W = W / W.mean()
    sc = X.std(0) + 1e-4
    H = args.hidden
    net = torch.nn.Sequential(torch.nn.Linear(X.shape[1], H), torch.nn.ReLU(), torch.nn.Linear(H, 2))
    opt = torch.optim.Adam(net.parameters(), 3e-3)
    steps = args.epochs * ((len(X) + 1023) // 1024)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 3e-3, total_steps=steps)
    for ep in range(args.epochs):
        perm = torch.randperm(len(X))
        tot = 0.0
        for i in range(0, len(X), 1024):
            b = perm[i:i + 1024]
            e = net(X[b] / sc) - T[b]
            if args.loss == "huber":
                e2 = torch.where(e.abs() < 0.5, e * e, e.abs() - 0.25)
            else:
                e2 = e * e
            loss = (W[b, None] * e2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(b)
        print(f"epoch {ep} train mse {tot / len(X):.4f} (x1e-4)", flush=True)
    # fold the input scaling and the x100 into the weights
    with torch.no_grad():
        w1 = (net[0].weight / sc).numpy().astype(np.float64)
        b1 = net[0].bias.numpy().astype(np.float64)
        w2 = net[2].weight.numpy().astype(np.float64) / 100
        b2 = net[2].bias.numpy().astype(np.float64) / 100

    def apply(F):
        o = np.maximum(F @ w1.T + b1, 0) @ w2.T + b2
        return np.clip(o, -args.clip, args.clip)

    rows = []
    for f in held:
        y, tcb, tcr, ocb, ocr = load(f)
        P = apply(features(y, ocb, ocr).astype(np.float64))
        ncb = ocb + P[:, 0].reshape(ocb.shape)
        ncr = ocr + P[:, 1].reshape(ocr.shape)
        b0 = (psnr(ocb, tcb) + psnr(ocr, tcr)) / 2
        b1_ = (psnr(ncb, tcb) + psnr(ncr, tcr)) / 2
        rows.append((os.path.basename(f)[:-4], b0, b1_))
        print(f"{rows[-1][0]:40s} ours {b0:.2f}  learned {b1_:.2f}  ({b1_ - b0:+.2f})", flush=True)
    for kind in ("deliv", "native"):
        g = [r[2] - r[1] for r in rows if ("native" in r[0]) == (kind == "native")]
        if g:
            print(f"held-out mean gain {kind}: {np.mean(g):+.3f} dB (min {min(g):+.3f})")
    if not args.out:
        return
    with open(args.out, "w") as o:
        o.write("# nativeres chroma: learned residual after the luma-guided reconstruction.\n")
        o.write(f"# Architecture: 3x3 neighbourhood of the output pixel, {len(TAPS)} taps x (dY, dCb, dCr) "
                f"(neighbour - centre; luma, our chroma) -> {H} ReLU -> 2 (truth - ours, Cb Cr); "
                f"edges repeated. {3 * len(TAPS) * H + H + 2 * H + 2} parameters.\n")
        o.write(f"# Trained {datetime.date.today()} by generator/train/chroma_learned.py "
                f"({args.epochs} epochs, {args.npx} pixels per plane, {args.loss} loss, planes weighted "
                f"by their mean squared error^-{args.balance:g}, Adam one-cycle 3e-3).\n")
        o.write(f"# Command: generator/train/chroma_learned.py --dump DIR --hidden {H} --epochs "
                f"{args.epochs} --npx {args.npx} --balance {args.balance:g} --loss {args.loss} "
                f"--clip {args.clip:g}"
                f"{' --cross' if args.cross else ''} --out ...\n")
        o.write(f"# Data: {len(train)} planes (delivered + native rows) of {len(train) // 2} "
                f"real frames of ../shared/frames/dev (not shipped): halved, upscaled 1.5x "
                f"(bilinear / catrom / lanczos3), 4:2:0, 8-bit (chroma-explore --real cycle).\n")
        o.write("# Held out (the six bench-chroma frames, CPU, chroma PSNR mean of Cb Cr, "
                "without -> with):\n")
        for r in rows:
            o.write(f"#   {r[0]}: {r[1]:.2f} -> {r[2]:.2f} dB\n")
        o.write("# Format: 'taps N' then N lines 'dx dy'; 'hidden H'; H rows 'bias w[tap][dY dCb dCr]...';\n"
                "# 'output 2' then 2 rows (Cb, Cr) 'bias w[H]...'; 'clip C': the correction is\n"
                "# clamped to [-C, C].\n")
        o.write("nativeres-chroma-learned 1\n")
        o.write(f"taps {len(TAPS)}\n")
        for dx, dy in TAPS:
            o.write(f"{dx} {dy}\n")
        o.write(f"hidden {H}\n")
        for k in range(H):
            o.write(" ".join(f"{v:.9g}" for v in [b1[k]] + list(w1[k])) + "\n")
        o.write("output 2\n")
        for k in range(2):
            o.write(" ".join(f"{v:.9g}" for v in [b2[k]] + list(w2[k])) + "\n")
        o.write(f"clip {args.clip:.9g}\n")
    print("wrote", args.out)


if __name__ == "__main__":
    main()
