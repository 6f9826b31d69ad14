#!/usr/bin/env python3
"""Quality of the hq upscaler on the held-out masters (shows never trained on),
in the settings of the rescale issue, luma PSNR (dB) / SSIM against the master:

  2x screen: master 1080p -> native (conventional downscale) -> studio upscale
  to the source size -> x264 -> shown at 1080p (2x the source) or at 2x the
  native size:
    spline36            the source upscaled to the screen (mpv's scale=spline36)
    descale+spline36    our descale, then spline36 to the screen
    descale+hq          our descale, then the hq upscaler (2x + final resample)
  1x screen (1080p sources): the source as it is, descale+spline36, descale+hq,
    and rescale hq: the whole hq chain (nr_rescale), which at 1x runs
    balanced's upscaler, not the network (the network loses there on the
    bench's lanczos3 natives).

--native-kernel lanczos3 --clean gives bench-rescale's conditions (lanczos3
natives, no encode: 8-bit rounding only); the default is catrom + x264/x265.

    /usr/bin/python3 generator/train/evaluate.py --build build [--table presets/hq-upscaler-v5.txt]
        [--compare-table presets/hq-upscaler-v2.txt] [--only-2x | --only-1x] [--json FILE]
        [--native-kernel lanczos3] [--clean]

Reads the masters that train.py's dataset step left in BUILD/hq-train (the
real frames are never copied into the repository)."""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import imaging  # noqa: E402
import model as hqmodel  # noqa: E402
import nrlib  # noqa: E402

# (label, native height, studio kernel, source height, codec, crf)
CONDITIONS_2X = [
    ("360p bilinear, 540p source, 1080p screen", 360, "bilinear", 540, "x264", 18),
    ("540p catrom, 720p source, 1080p screen (2x native)", 540, "catrom", 720, "x264", 18),
    ("540p mitchell, 810p source, 1080p screen (2x native)", 540, "mitchell", 810, "x265", 16),
]
CONDITIONS_1X = [
    ("720p bilinear, 1080p source and screen", 720, "bilinear", 1080, "x264", 18),
    ("810p catrom, 1080p source and screen", 810, "catrom", 1080, "x264", 18),
    ("873p mitchell, 1080p source and screen", 873, "mitchell", 1080, "x264", 18),
]


def even(x):
    return int(round(x / 2)) * 2


def chain_resample_axis(a, out_n, axis):
    """nr_upscaler_resample along one axis (imaging.chain_taps)."""
    idx, w = imaging.chain_taps(a.shape[axis], out_n)
    moved = np.moveaxis(a, axis, 0)
    return np.moveaxis(np.einsum("ot,ot...->o...", w, moved[idx]), 0, axis).astype(np.float32)


ENSEMBLE = 1   # --ensemble: members of the self-ensemble (nr_upscaler_member)


def upscale2x_ensemble(net, plane, members):
    """The self-ensemble as libnativeres runs it, by its definition: the mean
    of the network, its mirror (flip, run, flip back) and the mirror of its
    polarity inverse (1 - flipped run of 1 - flipped plane), the first
    `members` of them."""
    outs = [hqmodel.upscale2x(net, plane)]
    if members >= 2:
        flipped = np.ascontiguousarray(plane[:, ::-1])
        outs.append(hqmodel.upscale2x(net, flipped)[:, ::-1])
    if members >= 3:
        outs.append(1.0 - hqmodel.upscale2x(net, np.ascontiguousarray(1.0 - flipped))[:, ::-1])
    return (sum(outs) / len(outs)).astype(np.float32)


def hq(net, plane, w, h):
    up = upscale2x_ensemble(net, plane, ENSEMBLE)
    if up.shape != (h, w):
        up = chain_resample_axis(chain_resample_axis(up, w, 1), h, 0)
    return up


def render_peer(shader, plane, w, h):
    """A third-party doubler on our descaled plane, rendered by libplacebo
    (ffmpeg's libplacebo filter, gpu-next's renderer) at w x h; the plane
    goes in as 16-bit full-range gray."""
    with tempfile.TemporaryDirectory() as tmp:
        y4m, raw = os.path.join(tmp, "in.y4m"), os.path.join(tmp, "out.raw")
        q = np.clip(np.round(plane * 65535), 0, 65535).astype("<u2")
        with open(y4m, "wb") as f:
            f.write(f"YUV4MPEG2 W{plane.shape[1]} H{plane.shape[0]} F24:1 Ip A1:1 Cmono16 "
                    "XCOLORRANGE=FULL\nFRAME\n".encode())
            f.write(q.tobytes())
        vf = (f"hwupload,libplacebo=w={w}:h={h}:format=grayf32le:dithering=none:"
              f"custom_shader_path={shader},hwdownload,format=grayf32le")
        r = subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "verbose", "-y",
                            "-init_hw_device", "vulkan=vk:0", "-filter_hw_device", "vk",
                            "-i", y4m, "-vf", vf, "-frames:v", "1", "-f", "rawvideo", raw],
                           capture_output=True, text=True)
        if r.returncode or "Registering hook pass" not in r.stderr or "failed" in r.stderr.lower():
            raise RuntimeError(f"peer {shader} did not run:\n{r.stderr[-2000:]}")
        return np.fromfile(raw, np.float32).reshape(h, w)


def run(net, masters, conditions, one_x, peers=(), compare=None, native_kernel="catrom",
        clean=False):
    rows = []
    for label, nh, kernel, sh, codec, crf in conditions:
        per = []
        for name, master in masters:
            H, W = master.shape
            nw, sw = even(nh * W / H), even(sh * W / H)
            native = imaging.resize(master, nw, nh, native_kernel)
            source = nrlib.upscale(native, sw, sh, kernel)
            source = (np.round(np.clip(source, 0, 1) * 255) / 255).astype(np.float32) if clean \
                else imaging.codec_round_trip(source, codec, crf)
            desc = nrlib.descale(source, nw, nh, kernel)
            # the screen: 1080p, or 2x the native size when that is the master's size
            res = {}
            if one_x:
                res["source"] = source
            else:
                res["spline36"] = nrlib.upscale(source, W, H, "spline36") if sw < W else source
            res["descale+spline36"] = nrlib.upscale(desc, W, H, "spline36")
            res["descale+hq"] = hq(net, desc, W, H)
            if compare:
                res["descale+" + compare[0]] = hq(compare[1], desc, W, H)
            if one_x:
                res["rescale hq"] = nrlib.rescale(source, nw, nh, kernel, "hq")
            for label_p, shader in peers:
                res["descale+" + label_p] = render_peer(shader, desc, W, H)
            per.append({k: (imaging.psnr(v, master), imaging.ssim(v, master))
                        for k, v in res.items()})
            print(f"  {label[:28]:28s} {name:22s} " +
                  "  ".join(f"{k} {p:.2f}/{s:.4f}" for k, (p, s) in per[-1].items()), flush=True)
        rows.append((label, per))
    return rows


def table(rows, title):
    methods = list(rows[0][1][0].keys())
    out = [f"| {title} | " + " | ".join(methods) + " | hq - " + methods[0] + " |",
           "|---|" + "---|" * (len(methods) + 1)]
    for label, per in rows:
        means = {m: (np.mean([p[m][0] for p in per]), np.mean([p[m][1] for p in per]))
                 for m in methods}
        cells = [f"{means[m][0]:.2f} / {means[m][1]:.4f}" for m in methods]
        gain = means["descale+hq"][0] - means[methods[0]][0]
        out.append(f"| {label} | " + " | ".join(cells) + f" | {gain:+.2f} dB |")
    return "\n".join(out)


def load_table(path):
    layers = hqmodel.read_table(path)
    net = hqmodel.load_into(hqmodel.Upscaler(layers[0][0].shape[0], len(layers) - 1), path)
    return net.eval()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--table", default="presets/hq-upscaler-v5.txt")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--peers", default="bench/peers",
                    help="folder with FSRCNNX_x2_8-0-4-1.glsl / ArtCNN_C4F16*.glsl (skipped if absent)")
    ap.add_argument("--masters", type=int, default=0, help="only the first N held-out masters")
    ap.add_argument("--only-2x", action="store_true", help="skip the 1x screen settings")
    ap.add_argument("--only-1x", action="store_true", help="skip the 2x screen settings")
    ap.add_argument("--names", help="only these held-out masters (comma-separated names)")
    ap.add_argument("--ensemble", type=int, default=1, choices=(1, 2, 3),
                    help="hq as the self-ensemble of N members (1 the network, 2 + its "
                         "mirror, 3 + the mirror of its polarity inverse; docs/hq.md)")
    ap.add_argument("--compare-table", help="another table (e.g. the previous version), "
                    "measured on the same planes")
    ap.add_argument("--json", help="also write every frame's figures here")
    ap.add_argument("--native-kernel", default="catrom",
                    help="master -> native downscale (catrom, lanczos3, ...)")
    ap.add_argument("--clean", action="store_true",
                    help="no x264/x265: the studio upscale rounded to 8 bits")
    a = ap.parse_args()
    global ENSEMBLE
    ENSEMBLE = a.ensemble
    torch.set_num_threads(a.threads)
    nrlib.load(a.build)
    data_dir = os.path.join(a.build, "hq-train")
    manifest = json.load(open(os.path.join(data_dir, "manifest.json")))
    names = sorted({m["name"] for m in manifest if m["held_out"]})
    if a.names:
        names = [n for n in names if n in a.names.split(",")]
    if a.masters:
        names = names[:a.masters]
    masters = [(n, np.load(os.path.join(data_dir, n + ".master.npy")).astype(np.float32))
               for n in names]
    peers = []
    for label_p, prefix in (("FSRCNNX-8", "FSRCNNX_x2_8"), ("ArtCNN-C4F16", "ArtCNN_C4F16")):
        found = sorted(f for f in os.listdir(a.peers) if f.startswith(prefix)) \
            if os.path.isdir(a.peers) else []
        if found:
            peers.append((label_p, os.path.abspath(os.path.join(a.peers, found[0]))))
    print("peers: " + (", ".join(f"{l} ({p})" for l, p in peers) or "none (not in --peers)"))
    net = load_table(a.table)
    compare = None
    if a.compare_table:
        compare = (os.path.basename(a.compare_table).replace(".txt", ""),
                   load_table(a.compare_table))
    print(f"held-out masters ({len(masters)}): {', '.join(names)}")
    r2 = None if a.only_1x else run(net, masters, CONDITIONS_2X, False, peers, compare,
                                    a.native_kernel, a.clean)
    r1 = None if a.only_2x else run(net, masters, CONDITIONS_1X, True, (), compare,
                                    a.native_kernel, a.clean)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"table": a.table, "masters": names,
                       "2x": [[label, dict(zip(names, per))] for label, per in r2 or []],
                       "1x": [[label, dict(zip(names, per))] for label, per in r1 or []]},
                      f, indent=1)
    print("\nmean luma PSNR (dB) / SSIM over the held-out masters\n")
    if r2:
        print(table(r2, "2x screen"))
    if r1:
        print()
        print(table(r1, "1x screen"))


if __name__ == "__main__":
    main()
