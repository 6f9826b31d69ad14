"""Training pairs for the hq upscaler: the degradation the upscaler meets in
the rescale chain, modelled on the anime production chain.

master (real Blu-ray frame luma, or a synthetic anime-like frame, possibly
resized) -> native = master / 2 (a conventional downscale: box, triangle,
catrom, mitchell or lanczos3) -> studio upscale to the "source" size with a
kernel nativeres detects (bilinear, catrom, mitchell, bicubicsharp,
lanczos3, spline36; ratio 1.25..2) -> 8 bit -> x264 / x265 at CRF 14..22
(or none) -> OUR descale (libnativeres nr_descale, same kernel) = input.
Target: the master (exactly 2x the native size).

Masters: ../shared/frames/dev/*.png and two frames of ../shared/frames
(third-party: read from there, never copied into the repository; the pairs
go to the build folder) plus nr-synth frames. The split is by show.
"""
import functools
import hashlib
import json
import os
import subprocess

import numpy as np

import imaging
import nrlib

# Held out by show (and synthetic seed): never seen in training.
HELD_OUT = {"bocchi_1", "kimetsunoyaiba_1", "owarimonogatari_1", "nijigasaki_1",
            "unknown-pinkhair_1", "encmoe_akanesasu01_src_900p"}
# Left out entirely: heavy grain, a letterboxed film frame, a native end card.
SKIPPED = {"encmoe_manaria03_grain", "encmoe_kizumonogatari1_letterbox",
           "encmoe_manaria_endcard_native1080"}
SYNTH_TRAIN = range(1, 13)
SYNTH_HELD_OUT = range(101, 104)

DOWN_FILTERS = ["box", "bilinear", "catrom", "mitchell", "lanczos3"]
STUDIO_KERNELS = ["bilinear", "catrom", "mitchell", "bicubicsharp", "lanczos3", "spline36"]
RATIOS = [1.25, 4 / 3, 1.5, 1.6, 1.875, 2.0]
# Soft masters (like kimetsunoyaiba, owarimonogatari, nijigasaki): the 1080p
# master is itself an upscale of a lower production size. A "soft" variant
# first takes the master down by one of these factors (catrom, lanczos3 or
# box) and back up with one of SOFT_KERNELS (nr_upscale), then runs the chain.
SOFT_FACTORS = [1.2, 1.25, 4 / 3, 1.4, 1.5]
SOFT_DOWN = ["catrom", "lanczos3", "box"]
SOFT_KERNELS = ["bilinear", "catrom", "mitchell", "lanczos3", "spline36"]


def masters(shared, synth_exe, workdir):
    """[(name, luma 1080p, held_out)] for every usable master."""
    out = []
    for folder in (os.path.join(shared, "frames", "dev"), os.path.join(shared, "frames")):
        if not os.path.isdir(folder):
            continue
        for f in sorted(os.listdir(folder)):
            name = f[:-4]
            if not f.endswith(".png") or name in SKIPPED:
                continue
            out.append((name, imaging.read_luma(os.path.join(folder, f)), name in HELD_OUT))
    os.makedirs(workdir, exist_ok=True)
    for seed, held in [(s, False) for s in SYNTH_TRAIN] + [(s, True) for s in SYNTH_HELD_OUT]:
        pgm = os.path.join(workdir, f"synth_{seed}.pgm")
        subprocess.run([synth_exe, "--width", "1920", "--height", "1080", "--seed", str(seed),
                        "-o", pgm], check=True)
        out.append((f"synth_{seed}", imaging.read_luma(pgm), held))
    return out


def rng_for(name, variant):
    digest = hashlib.sha256(f"{name}/{variant}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def even(x):
    return int(round(x / 2)) * 2


def soften(master, rng):
    """The master as a studio's soft upscale of a lower production size."""
    h, w = master.shape
    factor = float(rng.choice(SOFT_FACTORS))
    down, up = str(rng.choice(SOFT_DOWN)), str(rng.choice(SOFT_KERNELS))
    low = imaging.resize(master, even(w / factor), even(h / factor), down)
    soft = np.clip(nrlib.upscale(low, w, h, up), 0, 1).astype(np.float32)
    return soft, f"/{factor:.3g} {down}, up {up}"


def blend(region, cover, value):
    """Paints value over region in place where cover (0..1) says."""
    region[:] = region * (1 - cover) + value * cover


def draw_text(master, rng):
    """Rows of crisp synthetic glyphs drawn into the master, as an opening's
    credits or a title card that the studio drew at the production size
    (then they are part of the native picture, unlike credits laid over the
    upscaled frame): per glyph 3-6 strokes between points of a 3x3 grid,
    anti-aliased, light on dark or dark on light, some with an outline."""
    out = master.copy()
    h, w = out.shape
    rows = int(rng.integers(3, 10))
    for _ in range(rows):
        gh = int(rng.integers(max(10, h // 60), max(12, h // 14)))
        n = int(rng.integers(3, 12))
        gw = int(gh * rng.uniform(0.7, 1.0))
        gap = max(2, gh // 4)
        x0 = int(rng.integers(0, max(1, w - n * (gw + gap))))
        y0 = int(rng.integers(0, max(1, h - gh - 4)))
        light = rng.random() < 0.75
        fg = rng.uniform(0.8, 1.0) if light else rng.uniform(0.0, 0.2)
        ol = (rng.uniform(0.0, 0.15) if light else rng.uniform(0.85, 1.0)) if rng.random() < 0.5 else None
        half = gh * rng.uniform(0.05, 0.1)
        for g in range(n):
            gx = x0 + g * (gw + gap)
            if gx + gw >= w:
                break
            pts = [(gx + (k % 3) * gw / 2, y0 + (k // 3) * gh / 2) for k in range(9)]
            pad = int(half * 3) + 2
            ya, yb = max(0, y0 - pad), min(h, y0 + gh + pad + 1)
            xa, xb = max(0, gx - pad), min(w, gx + gw + pad + 1)
            yy, xx = np.mgrid[ya:yb, xa:xb].astype(np.float32) + 0.5
            dist = np.full(yy.shape, 1e9, np.float32)
            for _ in range(int(rng.integers(3, 7))):
                a, b = rng.choice(9, 2, replace=False)
                (ax, ay), (bx, by) = pts[a], pts[b]
                dx, dy = bx - ax, by - ay
                t = np.clip(((xx - ax) * dx + (yy - ay) * dy) / (dx * dx + dy * dy), 0, 1)
                dist = np.minimum(dist, np.hypot(xx - ax - t * dx, yy - ay - t * dy))
            region = out[ya:yb, xa:xb]
            if ol is not None:
                c = np.clip(half + gh / 14 + 0.5 - dist, 0, 1)
                blend(region, c, ol)
            c = np.clip(half + 0.5 - dist, 0, 1)
            blend(region, c, fg)
    return out


# Typeset credits (issue 8's kimetsunoyaiba: an opening's staff card, Mincho
# kanji and Latin in light strokes one or two pixels wide): real fonts when the
# machine has them (Debian: fonts-ipafont-mincho, fonts-ipafont-gothic,
# fonts-liberation2, fonts-dejavu-core), else draw_text's stroke glyphs.
FONT_FILES = [
    "/usr/share/fonts/opentype/ipafont-mincho/ipam.ttf",
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
]


@functools.lru_cache(maxsize=None)
def _kanji():
    """JIS X 0208 level-1 kanji and the kana: every one is in the IPA fonts."""
    out = [bytes([hi, lo]).decode("euc_jp") for hi in range(0xB0, 0xD0)
           for lo in range(0xA1, 0xFF) if not (hi == 0xCF and lo > 0xD3)]
    return tuple(out + [chr(c) for c in range(0x3041, 0x3094)] + [chr(c) for c in range(0x30A1, 0x30F4)])


@functools.lru_cache(maxsize=None)
def _face(path, size):
    from PIL import ImageFont
    return ImageFont.truetype(path, size)


def font_text(master, rng):
    """Rows of typeset text (credits drawn at the production size): kanji /
    kana in the IPA fonts or Latin words in a serif or sans face, light on
    dark (75%) or dark on light, some with an outline or a soft glow, as
    title and staff cards are. None when no font is installed."""
    from PIL import Image, ImageDraw, ImageFilter
    fonts = [f for f in FONT_FILES if os.path.exists(f)]
    if not fonts:
        return None
    cjk_fonts = [f for f in fonts if "ipafont" in f]
    chars = list(_kanji())
    out = master.copy()
    h, w = out.shape
    for _ in range(int(rng.integers(4, 14))):
        size = int(rng.integers(max(9, h // 70), max(12, h // 22)))
        if cjk_fonts and rng.random() < 0.6:
            face = str(rng.choice(cjk_fonts))
            text = "".join(rng.choice(chars, int(rng.integers(2, 12))))
        else:
            face = str(rng.choice(fonts))
            letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
            words = ["".join(rng.choice(list(letters), int(rng.integers(2, 9))))
                     for _ in range(int(rng.integers(1, 4)))]
            text = " ".join(words)
        font = _face(face, size)
        x0, y0, x1, y1 = font.getbbox(text)
        tw, th = x1 - x0, y1 - y0
        if tw >= w - 8 or th >= h - 8:
            continue
        stroke = int(rng.integers(1, max(2, size // 12) + 1)) if rng.random() < 0.35 else 0
        pad = 4 + stroke + size // 4
        px = int(rng.integers(pad, max(pad + 1, w - tw - pad)))
        py = int(rng.integers(pad, max(pad + 1, h - th - pad)))
        box_w, box_h = tw + 2 * pad, th + 2 * pad
        fill = Image.new("L", (box_w, box_h), 0)
        ImageDraw.Draw(fill).text((pad - x0, pad - y0), text, font=font, fill=255)
        light = rng.random() < 0.75
        fg = rng.uniform(0.8, 1.0) if light else rng.uniform(0.0, 0.2)
        ya, xa = py - pad, px - pad
        region = out[ya:ya + box_h, xa:xa + box_w]
        if region.shape != (box_h, box_w):
            continue
        if stroke:
            edge = Image.new("L", (box_w, box_h), 0)
            ImageDraw.Draw(edge).text((pad - x0, pad - y0), text, font=font, fill=255,
                                      stroke_width=stroke, stroke_fill=255)
            c = np.asarray(edge, np.float32) / 255
            blend(region, c, rng.uniform(0.0, 0.15) if light else rng.uniform(0.85, 1.0))
        elif rng.random() < 0.3:
            glow = fill.filter(ImageFilter.GaussianBlur(rng.uniform(1.5, 4.0)))
            c = np.clip(np.asarray(glow, np.float32) / 255 * rng.uniform(0.6, 1.5), 0, 1)
            blend(region, c * 0.5, fg)
        elif light and rng.random() < 0.4:
            # the picture dimmed behind the text, as staff cards often are
            back = fill.filter(ImageFilter.MaxFilter(2 * (size // 6) + 1)).filter(
                ImageFilter.GaussianBlur(size / 4))
            c = np.asarray(back, np.float32) / 255 * rng.uniform(0.4, 0.8)
            blend(region, c, 0.0)
        blend(region, np.asarray(fill, np.float32) / 255, fg)
    return out


def degrade(master, rng, master_h=None, down=None, kernel=None, ratio=None, codec=None, crf=None,
            soft=False, text=False, factor=2, down_filters=None, codec_p=(0.55, 0.25, 0.2)):
    """One (input, target, params) pair; any parameter left None is drawn from rng.
    soft: the master is first softened (soften) and is the target as softened.
    text: rows of typeset text are drawn into the master first (font_text;
    draw_text's stroke glyphs without fonts, or with text="strokes").
    factor: master / native (2: the network's own 2x; 3: a 360p native shown
    at 1080p, the network's 2x then a 1.5x resample)."""
    master_h = master_h or int(rng.choice([1080, 720]))
    if factor == 3:
        master_h = 1080   # 1920x1080 / 3 is whole: the target is exactly 3x the native
    if master.shape[0] != master_h:
        master = imaging.resize(master, even(master.shape[1] * master_h / master.shape[0]),
                                master_h, "catrom")
    soft_note = None
    if text:
        typeset = font_text(master, rng) if text != "strokes" else None
        text = "fonts" if typeset is not None else "strokes"
        master = typeset if typeset is not None else draw_text(master, rng)
    if soft:
        master, soft_note = soften(master, rng)
    h, w = master.shape
    down = down or str(rng.choice(down_filters or DOWN_FILTERS))
    kernel = kernel or str(rng.choice(STUDIO_KERNELS))
    ratio = ratio or float(rng.choice(RATIOS))
    if codec is None:
        codec = str(rng.choice(["x264", "x265", "none"], p=list(codec_p)))
    crf = crf or int(rng.integers(14, 23))
    nw, nh = even(w / factor), even(h / factor)
    native = imaging.resize(master, nw, nh, down)
    sw, sh = even(nw * ratio), even(nh * ratio)
    source = nrlib.upscale(native, sw, sh, kernel)
    if codec == "none":
        source = np.clip(np.round(source * 255), 0, 255) / 255.0
    else:
        source = imaging.codec_round_trip(source, codec, crf)
    inp = nrlib.descale(source.astype(np.float32), nw, nh, kernel)
    params = dict(factor=factor, master_h=master_h, down=down, kernel=kernel, source=f"{sw}x{sh}",
                  codec=codec, crf=crf if codec != "none" else None)
    if soft_note:
        params["soft"] = soft_note
    if text:
        params["text"] = text
    return inp, master, params


def build(shared, synth_exe, out_dir, variants=2, soft_variants=0, text_variants=0, factor=2,
          down_filters=None, codec_p=(0.55, 0.25, 0.2)):
    """Writes pairs as float16 .npy files and manifest.json into out_dir.
    Training masters get `variants` pairs of the plain chain and then
    `soft_variants` pairs from a softened master, then `text_variants` pairs
    with glyph rows drawn into the master (held-out masters: one plain pair,
    the same with or without the extra variants)."""
    os.makedirs(out_dir, exist_ok=True)
    manifest = []
    for name, luma, held in masters(shared, synth_exe, os.path.join(out_dir, "synth")):
        np.save(os.path.join(out_dir, f"{name}.master.npy"), luma.astype(np.float16))
        for v in range(1 if held else variants + soft_variants + text_variants):
            inp, target, params = degrade(luma, rng_for(name, v),
                                          soft=variants <= v < variants + soft_variants,
                                          text=v >= variants + soft_variants, factor=factor,
                                          down_filters=down_filters, codec_p=codec_p)
            stem = f"{name}.v{v}"
            np.save(os.path.join(out_dir, stem + ".in.npy"), inp.astype(np.float16))
            np.save(os.path.join(out_dir, stem + ".target.npy"), target.astype(np.float16))
            manifest.append(dict(name=name, stem=stem, held_out=held, **params))
            print(f"pair {stem:36s} {'held-out' if held else 'train':8s} {params}", flush=True)
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return manifest
