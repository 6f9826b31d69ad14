#!/usr/bin/env python3
"""Is the upscale trace of a compressed frame in its residual, or only hidden
from it? A probe of issue 11's single frames with a second measure.

The estimator scores a size by the least-squares residual: what an upscale
from that size cannot explain. A codec that attenuates the high band (x264
zeroes small high-frequency coefficients) leaves a residual at the true size
too, as if the frame were native. This probe sets beside it a measure that
attenuation does not touch: an upscale from h puts images of the content
just under h's Nyquist (h / 2 cycles per frame height) just above it, at
h - f, with the phase the kernel gives. So fit the size on the low band only
(y low-passed at 0.47 h, descaled to h, upscaled back: the predicted
images), and take the normalised correlation of the prediction with the
frame in the band 0.52 h .. min(0.75 h, 0.97 x Nyquist). A gain on the band
leaves the correlation unchanged; a wrong size's images do not line up.

Per source frame (1080p luma, every 6th column: the height axis only), each
case is built as the real-frame corpus builds them (lanczos3 down to the
native size, studio upscale with the kernel, x264 CRF 20 as one frame) and
swept over 600..1000 lines with the true kernel; natives are swept with
catrom and bilinear. Sizes within 2 lines of k/8 of the axis (the codec
grid's, which the estimator discounts) are left out. Both measures are
scored as dips against their neighbours 2..10 steps away (residual: ratio
to their median; coherence: difference from it). The summary counts the
upscales whose true size is the best dip and lies beyond the deepest dip
any native frame showed (so no native would be called upscaled).

    /usr/bin/python3 bench/estimator/band_coherence.py --build build \\
        --shared ../shared --out W/coherence.jsonl [--parts 2 --part 0|1] [--limit N] [--summary]

About 12 s a case on one core (150 cases for the 30 frames of ../shared);
the frames are read from ../shared and never copied."""
import argparse
import glob
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "generator", "train"))
import imaging  # noqa: E402
import nrlib  # noqa: E402

FULL = 1080
CANDIDATES = np.arange(600, 1001)
UPSCALES = [(873, "catrom"), (720, "bilinear"), (844, "mitchell")]
NATIVE_KERNELS = ["catrom", "bilinear"]
# a letterboxed frame (its bars make their own dips) and a real 900p source
# (its "native" case is an upscale): left out of the summary
NOT_SUMMARISED = ("encmoe_kizumonogatari1_letterbox", "encmoe_akanesasu01_src_900p")


def band(y, lo, hi):
    """y with only the frequencies lo..hi (cycles per frame height) along
    axis 0; mirrored to twice its length so the edges do not wrap."""
    n = y.shape[0]
    spectrum = np.fft.rfft(np.concatenate([y, y[::-1]], 0), axis=0)
    f = np.arange(spectrum.shape[0]) / 2.0
    keep = ((f >= lo) & (f <= hi)).astype(np.float32)
    return np.fft.irfft(spectrum * keep[:, None], n=2 * n, axis=0)[:n]


def curves(y, kernel):
    """(residual, coherence) per candidate height."""
    w = y.shape[1]
    residual, coherence = [], []
    for h in CANDIDATES:
        fit = nrlib.upscale(nrlib.descale(y, w, h, kernel), w, FULL, kernel)
        residual.append(float(np.mean((y - fit) ** 2)))
        low = band(y, 0, 0.47 * h).astype(np.float32)
        predicted = nrlib.upscale(nrlib.descale(low, w, h, kernel), w, FULL, kernel)
        lo, hi = 0.52 * h, min(0.97 * FULL / 2, 0.75 * h)
        a, b = band(y, lo, hi), band(predicted, lo, hi)
        coherence.append(float(np.sum(a * b) / (np.sqrt(np.sum(a * a) * np.sum(b * b)) + 1e-12)))
    return np.array(residual), np.array(coherence)


def dips(v, ratio):
    out = np.full(len(v), np.nan)
    for i in range(len(v)):
        near = [v[j] for j in list(range(i - 10, i - 1)) + list(range(i + 2, i + 11))
                if 0 <= j < len(v)]
        if len(near) >= 6:
            out[i] = v[i] / np.median(near) if ratio else v[i] - np.median(near)
    return out


def measure(args):
    nrlib.load(args.build)
    codec_aligned = np.zeros(len(CANDIDATES), bool)
    for k in range(1, 9):
        codec_aligned |= np.abs(CANDIDATES - FULL * k / 8) <= 2
    frames = sorted(glob.glob(os.path.join(args.shared, "frames", "dev", "*.png"))) + \
        sorted(glob.glob(os.path.join(args.shared, "frames", "*.png")))
    if not frames:
        sys.exit(f"no frames under {args.shared}/frames")
    if args.limit:
        frames = frames[:args.limit]
    with open(args.out, "a") as out:
        for i, path in enumerate(frames):
            if i % args.parts != args.part:
                continue
            master = imaging.read_luma(path)
            if master.shape != (FULL, 1920):
                continue
            master = np.ascontiguousarray(master[:, ::6])
            name = os.path.basename(path)[:-4]
            cases = UPSCALES + [(0, k) for k in NATIVE_KERNELS]
            for native_h, kernel in cases:
                start = time.time()
                y = master if native_h == 0 else nrlib.upscale(
                    imaging.resize(master, master.shape[1], native_h, "lanczos3"),
                    master.shape[1], FULL, kernel)
                y = imaging.codec_round_trip(np.clip(y, 0, 1), "x264", 20)
                residual, coherence = curves(y, kernel)
                ls, coh = dips(residual, True), dips(coherence, False)
                usable = ~codec_aligned & np.isfinite(ls) & np.isfinite(coh)
                rec = {"name": name, "nh": native_h, "kernel": kernel,
                       "ls_min": float(np.nanmin(np.where(usable, ls, np.nan))),
                       "coh_max": float(np.nanmax(np.where(usable, coh, np.nan)))}
                if native_h:
                    t = native_h - CANDIDATES[0]
                    away = usable & (np.abs(CANDIDATES - native_h) > 3)
                    rec.update(ls_truth=float(ls[t]), coh_truth=float(coh[t]),
                               ls_other=float(np.nanmin(np.where(away, ls, np.nan))),
                               coh_other=float(np.nanmax(np.where(away, coh, np.nan))))
                rec["seconds"] = round(time.time() - start, 1)
                out.write(json.dumps(rec) + "\n")
                out.flush()
                print(json.dumps(rec), flush=True)


def summary(path):
    recs = [json.loads(line) for line in open(path)]
    recs = [r for r in recs if r["name"] not in NOT_SUMMARISED]
    natives = [r for r in recs if r["nh"] == 0]
    upscales = [r for r in recs if r["nh"]]
    if not natives or not upscales:
        sys.exit("nothing to summarise")
    floor_ls = min(r["ls_min"] for r in natives)
    floor_coh = max(r["coh_max"] for r in natives)
    print(f"{len(upscales)} compressed upscales, {len(natives)} native runs "
          f"(x264 CRF 20, one frame)")
    print("| measure | truth is the best dip | beyond every native's deepest dip | natives' deepest |")
    print("|---|---|---|---|")
    for label, key, other, better, floor in (
            ("residual (ratio)", "ls_truth", "ls_other", lambda a, b: a < b, floor_ls),
            ("image-band coherence", "coh_truth", "coh_other", lambda a, b: a > b, floor_coh)):
        best = [r for r in upscales if better(r[key], r[other])]
        found = [r for r in best if better(r[key], floor)]
        print(f"| {label} | {len(best)} | {len(found)} ({len(set(r['name'] for r in found))} "
              f"sources) | {floor:.3f} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--shared", default=os.path.join("..", "shared"))
    ap.add_argument("--out", required=True, help="JSON lines, one per case (appended)")
    ap.add_argument("--parts", type=int, default=1, help="split the frames over processes")
    ap.add_argument("--part", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0, help="only the first N frames")
    ap.add_argument("--summary", action="store_true", help="only summarise --out")
    a = ap.parse_args()
    if not a.summary:
        measure(a)
    summary(a.out)


if __name__ == "__main__":
    main()
