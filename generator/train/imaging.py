"""Frames in and out (through the ffmpeg program), a separable resampler for
downscaling masters, x264/x265 round trips, PSNR/SSIM. Everything is luma,
float32 in [0, 1], arrays of shape (height, width)."""
import os
import subprocess
import tempfile

import numpy as np


def read_luma(path):
    """BT.709 luma of any image ffmpeg reads (PNG, PGM...), full range."""
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                            "stream=width,height", "-of", "csv=p=0", path],
                           check=True, capture_output=True, text=True).stdout.split(",")
    w, h = int(probe[0]), int(probe[1])
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-frames:v", "1", "-f", "rawvideo",
                          "-pix_fmt", "rgb48le", "-"], check=True, capture_output=True).stdout
    rgb = np.frombuffer(raw, np.uint16).reshape(h, w, 3).astype(np.float32) / 65535.0
    return (0.2126 * rgb[..., 0] + 0.7152 * rgb[..., 1] + 0.0722 * rgb[..., 2]).astype(np.float32)


def _kernel(name, x):
    x = np.abs(x)
    if name == "box":
        return (x < 0.5).astype(np.float64) + 0.5 * (x == 0.5)
    if name == "bilinear":
        return np.maximum(1 - x, 0)
    if name in ("catrom", "mitchell", "hermite"):
        b, c = {"catrom": (0, 0.5), "mitchell": (1 / 3, 1 / 3), "hermite": (0, 0)}[name]
        x2, x3 = x * x, x * x * x
        near = ((12 - 9 * b - 6 * c) * x3 + (-18 + 12 * b + 6 * c) * x2 + (6 - 2 * b)) / 6
        far = ((-b - 6 * c) * x3 + (6 * b + 30 * c) * x2 + (-12 * b - 48 * c) * x
               + (8 * b + 24 * c)) / 6
        return np.where(x < 1, near, np.where(x < 2, far, 0))
    if name == "lanczos3":
        return np.where(x < 3, np.sinc(x) * np.sinc(x / 3), 0)
    raise ValueError(name)


RADIUS = {"box": 0.5, "bilinear": 1, "catrom": 2, "mitchell": 2, "hermite": 2, "lanczos3": 3}


def spline36_kernel(x):
    """The spline36 kernel at |x| (support 3)."""
    a, b, c = x, x - 1, x - 2
    return np.where(x < 1, ((13 / 11 * a - 453 / 209) * a - 3 / 209) * a + 1,
                    np.where(x < 2, ((-6 / 11 * b + 270 / 209) * b - 156 / 209) * b,
                             np.where(x < 3, ((1 / 11 * c - 45 / 209) * c + 26 / 209) * c, 0)))


def catrom_kernel(x):
    """The Catmull-Rom kernel at |x| (support 2)."""
    return np.where(x < 1, (1.5 * x - 2.5) * x * x + 1,
                    np.where(x < 2, ((-0.5 * x + 2.5) * x - 4) * x + 2, 0))


def chain_taps(in_n, out_n):
    """The chain's final resample along one axis (nr_upscaler_resample):
    spline36 when enlarging, Catmull-Rom widened by in/out when shrinking,
    taps clamped to the plane, weights normalised: (out_n x T indices,
    out_n x T weights)."""
    scale = in_n / out_n
    widen = max(scale, 1.0)
    kernel, support = (catrom_kernel, 2) if scale > 1 else (spline36_kernel, 3)
    r = int(np.ceil(support * widen))
    c = (np.arange(out_n) + 0.5) * scale
    base = np.floor(c - 0.5).astype(int) - r + 1
    idx = base[:, None] + np.arange(2 * r)[None, :]
    w = kernel(np.abs((idx + 0.5 - c[:, None]) / widen))
    w /= w.sum(axis=1, keepdims=True)
    return np.clip(idx, 0, in_n - 1), w


def _resample_axis(a, out_n, kernel, axis):
    """Resamples axis of a to out_n samples (pixel centres at k + 0.5 on both
    grids), kernel widened by in/out when downscaling, mirrored edges."""
    in_n = a.shape[axis]
    scale = in_n / out_n
    widen = max(scale, 1.0)
    support = int(np.ceil(RADIUS[kernel] * widen)) + 1
    centre = (np.arange(out_n) + 0.5) * scale
    first = np.floor(centre - support).astype(int)
    idx = first[:, None] + np.arange(2 * support + 1)[None, :]
    w = _kernel(kernel, (idx + 0.5 - centre[:, None]) / widen)
    w /= w.sum(axis=1, keepdims=True)
    idx = np.where(idx < 0, -idx - 1, idx)
    idx = np.where(idx >= in_n, 2 * in_n - idx - 1, idx)
    moved = np.moveaxis(a, axis, 0)
    out = np.einsum("ot,ot...->o...", w, moved[idx])
    return np.moveaxis(out, 0, axis).astype(np.float32)


def resize(a, w, h, kernel):
    """Conventional (anti-aliased) resize, horizontal then vertical."""
    if a.shape[1] != w:
        a = _resample_axis(a, w, kernel, 1)
    if a.shape[0] != h:
        a = _resample_axis(a, h, kernel, 0)
    return a


def codec_round_trip(plane, codec, crf, preset="medium"):
    """8-bit plane -> one x264/x265 frame (yuv420p, limited range as on a disc) -> decoded luma."""
    h, w = plane.shape
    q = np.clip(np.round(plane * 255), 0, 255).astype(np.uint8)
    with tempfile.TemporaryDirectory() as tmp:
        mkv = os.path.join(tmp, "f.mkv")
        enc = ["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "gray", "-s",
               f"{w}x{h}", "-i", "-", "-pix_fmt", "yuv420p", "-crf", str(crf), "-preset", preset]
        if codec == "x264":
            enc += ["-c:v", "libx264", "-tune", "animation", "-threads", "1"]
        else:
            enc += ["-c:v", "libx265", "-x265-params", "log-level=error:pools=1:frame-threads=1"]
        subprocess.run(enc + [mkv], input=q.tobytes(), check=True, capture_output=True)
        raw = subprocess.run(["ffmpeg", "-v", "error", "-i", mkv, "-f", "rawvideo", "-pix_fmt",
                              "gray", "-"], check=True, capture_output=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(h, w).astype(np.float32) / 255.0


def psnr(a, b):
    mse = float(np.mean((np.clip(a, 0, 1).astype(np.float64) - b) ** 2))
    return 10 * np.log10(1.0 / max(mse, 1e-12))


def ssim(a, b):
    """Mean SSIM, 8x8 box windows with stride 4 (luma, data range 1)."""
    a = np.clip(a, 0, 1).astype(np.float64)
    b = b.astype(np.float64)
    c1, c2 = 0.01 ** 2, 0.03 ** 2

    def box(x):
        s = np.cumsum(np.cumsum(np.pad(x, ((1, 0), (1, 0))), 0), 1)
        return (s[8::4, 8::4] - s[:-8:4, 8::4] - s[8::4, :-8:4] + s[:-8:4, :-8:4]) / 64

    ma, mb = box(a), box(b)
    va, vb, cov = box(a * a) - ma * ma, box(b * b) - mb * mb, box(a * b) - ma * mb
    return float(np.mean((2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2))))
