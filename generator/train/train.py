#!/usr/bin/env python3
"""Trains the hq upscaler and writes its parameter table. One command:

    /usr/bin/python3 generator/train/train.py --build build \
        --out presets/hq-upscaler-vN.txt

builds the pairs (dataset.py) into BUILD/hq-train unless they are there,
trains on CPU (bounded: --epochs x --steps batches), logs loss and held-out
PSNR per epoch to BUILD/hq-train/train-log.tsv, and writes the table.
Deterministic for a given machine (fixed seeds, one or two threads)."""
import argparse
import datetime
import functools
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402
import imaging  # noqa: E402
import model as hqmodel  # noqa: E402
import nrlib  # noqa: E402


def load_pairs(data_dir, manifest, held):
    pairs = []
    for m in manifest:
        if m["held_out"] != held:
            continue
        inp = np.load(os.path.join(data_dir, m["stem"] + ".in.npy")).astype(np.float32)
        tgt = np.load(os.path.join(data_dir, m["stem"] + ".target.npy")).astype(np.float32)
        pairs.append((m, inp, tgt))
    return pairs


def relevel(crop, t, rng):
    """The pair under one affine map of its levels, v -> lo' + a (v - lo),
    that keeps the pair's range inside [0, 1]: a dim or dark picture, or its
    lines at a stronger contrast (the chain is linear but for the clipping,
    as for --invert). The gain a is log-uniform between 1/4 and the largest
    that fits; the new floor is uniform, half the time at 0 (a dark scene)."""
    lo = min(float(crop.min()), float(t.min()))
    hi = max(float(crop.max()), float(t.max()))
    span = max(hi - lo, 1e-3)
    a = float(np.exp(rng.uniform(np.log(0.25), np.log(max(1.0 / span, 0.25)))))
    room = max(0.0, 1.0 - a * span)
    floor = 0.0 if rng.random() < 0.5 else float(rng.uniform(0, room))
    return (floor + a * (crop - lo)).astype(np.float32), (floor + a * (t - lo)).astype(np.float32)


def detail_crops(pairs, size, count, rng, min_std=0.02, invert=0.0, relevel_p=0.0, factor=2):
    """Random crops (native size x size, target factor x) favouring detailed areas.
    invert: the probability of a crop's polarity being flipped (1 - input,
    1 - target; the chain is linear but for the clipping to [0, 1], so a
    light-on-dark picture is as valid a pair as its dark-on-light original).
    relevel_p: the probability of relevel (new levels and contrast)."""
    xs, ys = [], []
    while len(xs) < count:
        _, inp, tgt = pairs[rng.integers(len(pairs))]
        y0 = rng.integers(0, inp.shape[0] - size)
        x0 = rng.integers(0, inp.shape[1] - size)
        crop = inp[y0:y0 + size, x0:x0 + size]
        if crop.std() < min_std and rng.random() < 0.85:
            continue
        t = tgt[factor * y0:factor * (y0 + size), factor * x0:factor * (x0 + size)]
        k = rng.integers(8)   # the 8 flips/transposes: the chain is separable
        if k & 1:
            crop, t = crop[:, ::-1], t[:, ::-1]
        if k & 2:
            crop, t = crop[::-1], t[::-1]
        if k & 4:
            crop, t = crop.T, t.T
        if invert and rng.random() < invert:
            crop, t = 1 - crop, 1 - t
        if relevel_p and rng.random() < relevel_p:
            crop, t = relevel(crop, t, rng)
        xs.append(np.ascontiguousarray(crop))
        ys.append(np.ascontiguousarray(t))
    return torch.from_numpy(np.stack(xs)[:, None]), torch.from_numpy(np.stack(ys)[:, None])


@functools.lru_cache(maxsize=8)
def chain_matrix(in_n, out_n):
    """The chain's final resample (imaging.chain_taps) as an out_n x
    in_n matrix, so the loss can be taken after it: the network then learns
    the 2x plane that resamples best to the screen, not the plane a
    conventional downscale of the screen would give."""
    idx, w = imaging.chain_taps(in_n, out_n)
    m = np.zeros((out_n, in_n), np.float32)
    np.add.at(m, (np.repeat(np.arange(out_n), idx.shape[1]), idx.ravel()), w.ravel())
    return torch.from_numpy(m)


def to_screen(pred, factor):
    """The network's 2x output resampled to factor x the native size (identity at 2)."""
    if factor == 2:
        return pred
    n = pred.shape[-1]
    m = chain_matrix(n, n * factor // 2)
    return torch.einsum("oi,bcij,pj->bcop", m, pred, m)


def ensemble_forward(net, x, members, with_single=False):
    """The self-ensemble the shaders run (nr_upscaler_member): the mean of
    the network, its mirror (flip, run, flip back) and the mirror of its
    polarity inverse (1 - flipped run of 1 - flipped input), the first
    `members` of them; differentiable, so the loss can be taken on the mean."""
    outs = [net(x)]
    if members >= 2:
        flipped = x.flip(3)
        outs.append(net(flipped).flip(3))
    if members >= 3:
        outs.append(1.0 - net(1.0 - flipped).flip(3))
    mean = sum(outs) / len(outs)
    return (mean, outs[0]) if with_single else mean


def edge_weights(y, strength):
    """Per-pixel loss weights 1 + strength * min(|grad y| / 0.05, 1): the
    target's edges (gradient >= 0.05 per 2x pixel, where diagnose.py found
    most of the error against the peers) count up to 1 + strength times a
    flat pixel; the loss is normalised by the weights' sum."""
    gx = F.pad(y[..., :, 1:] - y[..., :, :-1], (0, 1, 0, 0)).abs()
    gy = F.pad(y[..., 1:, :] - y[..., :-1, :], (0, 0, 0, 1)).abs()
    return 1 + strength * ((gx + gy) / 0.05).clamp(max=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
    ap.add_argument("--out", required=True, help="the table to write (presets/hq-upscaler-vN.txt)")
    ap.add_argument("--features", type=int, default=8)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--epochs", type=int, default=24)
    ap.add_argument("--steps", type=int, default=150)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--patch", type=int, default=48)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rebuild-data", action="store_true")
    ap.add_argument("--soft-variants", type=int, default=0,
                    help="per training master, pairs from a softened master (a soft upscale, "
                    "like some 1080p Blu-ray masters); with --rebuild-data or a new build folder")
    ap.add_argument("--text-variants", type=int, default=0,
                    help="per training master, pairs with crisp glyph rows drawn into the master "
                    "(credits or a title card drawn at the production size); as --soft-variants")
    ap.add_argument("--data", help="the pairs folder (default BUILD/hq-train)")
    ap.add_argument("--init", help="start from this table instead of random (a narrower or "
                    "shallower table grows into the model: model.load_into)")
    ap.add_argument("--invert", type=float, default=0.0,
                    help="probability of training on a crop's inverted polarity (1 - luma): "
                    "light lines and glyphs on dark as well as dark lines on light")
    ap.add_argument("--mse", type=float, default=0.0,
                    help="weight of a mean-squared-error term added to the L1 loss "
                    "(scaled by 1/0.01: L1 + mse * MSE / 0.01)")
    ap.add_argument("--edge-weight", type=float, default=0.0,
                    help="extra L1 weight on the target's edges (edge_weights; 0: plain L1)")
    ap.add_argument("--relevel", type=float, default=0.0,
                    help="probability of a crop's levels being remapped (relevel: darker, "
                    "dimmer or higher-contrast pairs)")
    ap.add_argument("--factor", type=int, default=2, choices=(2, 3),
                    help="master / native size: 3 trains for a 3x screen (the 2x network, then "
                    "the chain's 1.5x spline36 resample, the loss taken on the screen)")
    ap.add_argument("--native-filters", help="comma-separated master -> native downscales "
                    "when the pairs are built (default: dataset.DOWN_FILTERS)")
    ap.add_argument("--codec-mix", default="0.55,0.25,0.2",
                    help="probabilities of x264, x265 and no encode (8 bits only) when the pairs "
                    "are built, for both folders")
    ap.add_argument("--mix-data", help="a second pairs folder whose batches are mixed in (built "
                    "there with --mix-factor and --mix-native-filters unless it exists): one "
                    "table for 2x and 3x screens")
    ap.add_argument("--mix-factor", type=int, default=3, choices=(2, 3))
    ap.add_argument("--mix-native-filters", default="lanczos3,catrom",
                    help="the mixed pairs' master -> native downscales (the sharp ones: a 3x "
                    "screen magnifies how sharp the native was)")
    ap.add_argument("--mix-share", type=float, default=0.5,
                    help="fraction of the batches taken from --mix-data")
    ap.add_argument("--data-only", action="store_true", help="build the pairs, then stop")
    ap.add_argument("--warmup", type=float, default=0.1, help="fraction of steps warming up")
    ap.add_argument("--ensemble", type=int, default=1, choices=(1, 2, 3),
                    help="take the loss on the self-ensemble of N members (the mean the shaders "
                    "run with --ensemble N) instead of the network alone")
    ap.add_argument("--ensemble-mix-only", action="store_true",
                    help="with --ensemble and --mix-data: the ensemble loss on the mixed folder's "
                    "batches only; the other batches train the network alone")
    ap.add_argument("--single-weight", type=float, default=0.0,
                    help="with --ensemble: also W x the network alone's loss, so the table "
                    "stays good where it runs alone (fragment passes)")
    ap.add_argument("--teacher", help="distil: a table whose self-ensemble (--teacher-members) "
                    "is blended into every target, so one network learns what three run "
                    "together give (docs/hq.md, seventh stop)")
    ap.add_argument("--teacher-members", type=int, default=3, choices=(1, 2, 3))
    ap.add_argument("--teacher-share", type=float, default=0.5,
                    help="the target is (1 - S) x the truth + S x the teacher's output")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    rng = np.random.default_rng(1)
    nrlib.load(a.build)
    data_dir = a.data or os.path.join(a.build, "hq-train")
    synth_exe = os.path.join(a.build, "tests", "support", "nr-synth")

    def pairs_in(folder, factor, filters, rebuild):
        man_path = os.path.join(folder, "manifest.json")
        if rebuild or not os.path.exists(man_path):
            dataset.build(os.path.abspath(a.shared), synth_exe, folder,
                          soft_variants=a.soft_variants, text_variants=a.text_variants,
                          factor=factor, down_filters=filters.split(",") if filters else None,
                          codec_p=[float(v) for v in a.codec_mix.split(",")])
        return json.load(open(man_path))

    manifest = pairs_in(data_dir, a.factor, a.native_filters, a.rebuild_data)
    mix_man = pairs_in(a.mix_data, a.mix_factor, a.mix_native_filters, a.rebuild_data) \
        if a.mix_data else None
    if a.data_only:
        return
    train, held = load_pairs(data_dir, manifest, False), load_pairs(data_dir, manifest, True)
    print(f"{len(train)} training pairs, {len(held)} held-out pairs", flush=True)
    mix = None
    if mix_man:
        mix = (load_pairs(a.mix_data, mix_man, False), a.mix_factor)
        mx, my = detail_crops(load_pairs(a.mix_data, mix_man, True), 96, 48,
                              np.random.default_rng(7), factor=a.mix_factor)
    val_x, val_y = detail_crops(held, 96, 48, np.random.default_rng(7), factor=a.factor)
    val_base = F.interpolate(val_x, scale_factor=a.factor, mode="bicubic", align_corners=False)

    net = hqmodel.Upscaler(a.features, a.layers)
    init_note = ""
    if a.init:
        hqmodel.load_into(net, a.init)
        init_layers = hqmodel.read_table(a.init)
        init_features, init_depth = init_layers[0][0].shape[0], len(init_layers) - 1
        init_note = f"(continued from {os.path.basename(a.init)}" + (
            f", widened from {init_features} to {a.features} features" if init_features != a.features
            else "") + (
            f", deepened from {init_depth} to {a.layers} layers (identity layers before the last)"
            if init_depth != a.layers else "") + ", plus) "
    teacher = None
    if a.teacher:
        layers = hqmodel.read_table(a.teacher)
        teacher = hqmodel.load_into(hqmodel.Upscaler(layers[0][0].shape[0], len(layers) - 1),
                                    a.teacher).eval()
        for p in teacher.parameters():
            p.requires_grad_(False)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    total = a.epochs * a.steps
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=total, pct_start=a.warmup)
    log_path = os.path.join(data_dir, "train-log.tsv")
    log = open(log_path, "w")
    log.write("epoch\ttrain_l1\ttrain_psnr\theldout_psnr\theldout_bicubic_psnr\tseconds\n")
    start = time.time()

    def val_psnr(pred, target=None):
        target = val_y if target is None else target
        mse = ((pred.clamp(0, 1) - target) ** 2).mean(dim=(1, 2, 3))
        return float((10 * torch.log10(1 / mse.clamp_min(1e-12))).mean())

    base_psnr = val_psnr(val_base)
    for epoch in range(1, a.epochs + 1):
        net.train()
        l1_sum, mse_sum = 0.0, 0.0
        for _ in range(a.steps):
            from_mix = bool(mix) and rng.random() < a.mix_share
            pairs, factor = mix if from_mix else (train, a.factor)
            members = a.ensemble if from_mix or not a.ensemble_mix_only else 1
            x, y = detail_crops(pairs, a.patch, a.batch, rng, invert=a.invert,
                                relevel_p=a.relevel, factor=factor)
            if teacher is not None:
                with torch.no_grad():
                    t = to_screen(ensemble_forward(teacher, x, a.teacher_members), factor)
                y = (1 - a.teacher_share) * y + a.teacher_share * t
            w = edge_weights(y, a.edge_weight) if a.edge_weight else None

            def loss_of(pred):
                l1 = ((pred - y).abs() * w).sum() / w.sum() if w is not None \
                    else (pred - y).abs().mean()
                return l1, (l1 + a.mse * ((pred - y) ** 2).mean() / 0.01 if a.mse else l1)

            if members > 1:
                mean, single = ensemble_forward(net, x, members, with_single=True)
                pred = to_screen(mean, factor)
                l1, loss = loss_of(pred)
                if a.single_weight:
                    loss = loss + a.single_weight * loss_of(to_screen(single, factor))[1]
            else:
                pred = to_screen(net(x), factor)
                l1, loss = loss_of(pred)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            l1_sum += float(l1)
            mse_sum += float(((pred.detach() - y) ** 2).mean())
        net.eval()
        with torch.no_grad():
            vp = val_psnr(to_screen(net(val_x), a.factor))
            vm = val_psnr(to_screen(net(mx), mix[1]), my) if mix else None
            if a.ensemble > 1:
                ve = val_psnr(to_screen(ensemble_forward(net, val_x, a.ensemble), a.factor))
                vme = val_psnr(to_screen(ensemble_forward(net, mx, a.ensemble), mix[1]), my) \
                    if mix else None
        tp = 10 * np.log10(1 / (mse_sum / a.steps))
        row = f"{epoch}\t{l1_sum / a.steps:.5f}\t{tp:.2f}\t{vp:.2f}\t{base_psnr:.2f}\t{time.time() - start:.0f}"
        if mix:
            row += f"\tmix-heldout {vm:.2f}"
        if a.ensemble > 1:
            row += f"\tensemble-heldout {ve:.2f}" + (f" / mix {vme:.2f}" if mix else "")
        log.write(row + "\n")
        log.flush()
        print(row, flush=True)
        # the table so far (usable if a long run has to stop early)
        hqmodel.write_table(net, os.path.join(data_dir, "checkpoint.txt"),
                            [f"checkpoint after epoch {epoch} of {a.epochs}: held-out {vp:.2f} dB"])

    n_params = sum(p.numel() for p in net.parameters())
    shows = sorted({m["name"] for m in manifest if not m["held_out"]})
    n_soft = sum(1 for m in manifest if not m["held_out"] and m.get("soft"))
    n_text = sum(1 for m in manifest if not m["held_out"] and m.get("text"))
    header = [
        "nativeres hq upscaler: 2x luma for descaled (native-resolution) anime.",
        f"Architecture: {a.layers} conv3x3 layers, 1 -> {a.features} x {a.layers - 1} -> 4,"
        " ReLU, + a linear 5x5 filter of the input (1 -> 4) + the input, pixel shuffle 2x;"
        " edges replicated. "
        f"{n_params} parameters.",
        f"Trained {datetime.date.today().isoformat()} by generator/train/train.py "
        + init_note
        + f"({a.epochs} epochs x {a.steps} batches of {a.batch} {a.patch}x{a.patch} crops, L1"
        + (f" + {a.mse:g} x MSE/0.01" if a.mse else "")
        + (f", edges weighted up to {1 + a.edge_weight:g}x" if a.edge_weight else "")
        + (f", {a.invert:g} of the crops inverted (1 - luma)" if a.invert else "")
        + (f", {a.relevel:g} relevelled (dark / dim / high contrast)" if a.relevel else "")
        + (f", the loss on the self-ensemble of {a.ensemble} (mirror"
           + (", mirrored polarity inverse" if a.ensemble > 2 else "") + ")"
           + (f" + {a.single_weight:g} x the network alone's" if a.single_weight else "")
           + (" on the mixed pairs' batches, the network alone on the others"
              if a.ensemble_mix_only else "")
           if a.ensemble > 1 else "")
        + (f", targets {1 - a.teacher_share:g} x the truth + {a.teacher_share:g} x the"
           f" self-ensemble of {a.teacher_members} of {os.path.basename(a.teacher)} (distilled)"
           if a.teacher else "") + ", Adam"
        f" one-cycle lr {a.lr}).",
        f"Data: {len(train)} pairs from {len(shows)} masters (real Blu-ray frames of"
        f" ../shared/frames, not shipped, and nr-synth frames): master -> /{a.factor} ("
        + (a.native_filters.replace(",", ", ") if a.native_filters
           else "box, triangle, catrom, mitchell, lanczos3")
        + ") -> studio upscale x1.25..2 (bilinear, catrom, mitchell, bicubicsharp, lanczos3,"
        " spline36) -> 8 bit -> x264 / x265 CRF 14..22 / none (" + a.codec_mix.replace(",", " / ")
        + ") -> nativeres descale"
        + (f"; {n_soft} of the pairs from softened masters (/1.2..1.5 and back up: a soft"
           " studio master)" if n_soft else "")
        + (f"; {n_text} with rows of crisp synthetic glyphs drawn into the master" if n_text else "")
        + ("; the loss taken after the chain's 1.5x spline36 resample (a 3x screen)"
           if a.factor == 3 else "")
        + (f"; {a.mix_share:g} of the batches from {len(mix[0])} more pairs with native = master /"
           f" {a.mix_factor} ({a.mix_native_filters.replace(',', ', ')}), the loss taken on "
           + ("the 3x screen after the chain's 1.5x spline36 resample" if a.mix_factor == 3
              else "the 2x plane") if mix else "")
        + ".",
        f"Held-out crops (other shows): {vp:.2f} dB vs bicubic {base_psnr:.2f} dB at {a.factor}x"
        + (f"; {vm:.2f} dB on the mixed pairs' held-out crops at {a.mix_factor}x" if mix else "")
        + (f"; the ensemble of {a.ensemble}: {ve:.2f} dB" + (f" / {vme:.2f} dB" if mix else "")
           if a.ensemble > 1 else "")
        + ".",
        "Format: 'conv IN OUT ACT', then OUT rows 'bias w[in][ky][kx]...' (3x3, row-major);"
        " 'skip K', then 4 rows 'bias w[ky][kx]...' (KxK).",
    ]
    hqmodel.write_table(net, a.out, header)
    print(f"wrote {a.out}; log {log_path}")


if __name__ == "__main__":
    main()
