#!/usr/bin/env python3
"""Where the hq upscaler loses on one held-out master, and whether the loss
is in the descaled input or in the network: evaluate.py's 2x settings (catrom
natives), the network fed the exact native plane, the descale of the
8-bit studio upscale (no codec) and of the x264/x265 one; FSRCNNX 8 (when in
--peers) on the same descaled planes; per region of the master (gradient
magnitude: flat < 0.005, gradient < 0.05, edge) the squared error (x 1e5,
per frame pixel, so the regions add up to the frame's MSE) and the mean
error (bias, 1/255 units); outputs outside [0, 1]; and the network run on
the inverted plane (1 - net(1 - x)), which shows a polarity prior.

    /usr/bin/python3 generator/train/diagnose.py --build build --name kimetsunoyaiba_1 \
        [--table presets/hq-upscaler-v5.txt] [--native-kernel catrom]

Reads the masters train.py's dataset step left in BUILD/hq-train."""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evaluate as ev  # noqa: E402
import imaging  # noqa: E402
import nrlib  # noqa: E402


def regions(master):
    gy, gx = np.gradient(master.astype(np.float64))
    g = np.hypot(gx, gy)
    return {"flat": g < 0.005, "gradient": (g >= 0.005) & (g < 0.05), "edge": g >= 0.05}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--name", required=True, help="a master in BUILD/hq-train (e.g. kimetsunoyaiba_1)")
    ap.add_argument("--table", default="presets/hq-upscaler-v5.txt")
    ap.add_argument("--peers", default="bench/peers")
    ap.add_argument("--native-kernel", default="catrom")
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    nrlib.load(a.build)
    net = ev.load_table(a.table)
    fsr = os.path.abspath(os.path.join(a.peers, "FSRCNNX_x2_8-0-4-1.glsl"))
    fsr = fsr if os.path.exists(fsr) else None
    master = np.load(os.path.join(a.build, "hq-train", a.name + ".master.npy")).astype(np.float32)
    H, W = master.shape
    reg = regions(master)
    sat = (master <= 1 / 255) | (master >= 254 / 255)
    print(f"{a.name}: {W}x{H}; regions " + ", ".join(f"{k} {v.mean() * 100:.1f}%" for k, v in reg.items())
          + f"; saturated (<= 1/255 or >= 254/255) {sat.mean() * 100:.1f}%")
    for label, nh, kernel, sh, codec, crf in ev.CONDITIONS_2X:
        nw, sw = ev.even(nh * W / H), ev.even(sh * W / H)
        native = imaging.resize(master, nw, nh, a.native_kernel)
        src = nrlib.upscale(native, sw, sh, kernel)
        clean = (np.round(np.clip(src, 0, 1) * 255) / 255).astype(np.float32)
        planes = [("exact native", native),
                  ("descale, 8-bit", nrlib.descale(clean, nw, nh, kernel)),
                  (f"descale, {codec}", nrlib.descale(imaging.codec_round_trip(src, codec, crf),
                                                      nw, nh, kernel))]
        print(f"\n{label}")
        for pname, plane in planes:
            outs = [("hq", ev.hq(net, plane, W, H)),
                    ("hq inverted", 1 - ev.hq(net, 1 - plane, W, H))]
            if fsr and pname != "exact native":
                outs.append(("FSRCNNX 8", ev.render_peer(fsr, plane, W, H)))
            for oname, o in outs:
                e = np.clip(o, 0, 1).astype(np.float64) - master
                parts = "  ".join(f"{r} {(e[m] ** 2).sum() / e.size * 1e5:6.2f} {e[m].mean() * 255:+.2f}"
                                  for r, m in reg.items())
                print(f"  {pname:16s} {oname:12s} {imaging.psnr(o, master):6.2f} dB "
                      f"{imaging.ssim(o, master):.4f}  {parts}  out of [0,1] "
                      f"{((o < 0) | (o > 1)).mean() * 100:.2f}%  saturated "
                      f"{(e[sat] ** 2).sum() / e.size * 1e5:.2f}", flush=True)


if __name__ == "__main__":
    main()
