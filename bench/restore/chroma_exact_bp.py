"""Chroma at the native size: back-projection through the exact studio operator.

Measurement only (issue 9's native rows). The bench's native rows bring the
coded 4:2:0 chroma to the descaled (native) luma grid; the coded samples are
the 2x2 area average of the studio's 1.5x upscale of the native chroma, a
linear operator A = D_area2 . U_1.5 per axis that the plugin knows (the
descale's kernel and size). This compares, without any luma guidance:
  interp      catrom interpolation of the coded chroma to the native grid;
  bp-exact    that plus NIT back-projection steps through A;
  bp-generic  the same through a plain area 0.75 footprint (what a shader
              that does not know the studio kernel can do).
Frames: real frames halved (2x area: genuine colour), upscaled 1.5x with
catrom as in bench-chroma, chroma rounded to 8 bit.
Usage: for f in ../shared/frames/dev/*.png; do NIT=1 /usr/bin/python3 chroma_exact_bp.py $f; done
Measured 2026-12-03, NIT=1, mean of Cb and Cr (dB over interp, exact / generic):
bocchi +0.97 / +0.88, kuzunohonkai -0.77 / -0.97, owarimonogatari +0.93 / +0.75,
nijigasaki +1.95 / +1.49, prismaillya +0.52 / +0.40, pinkhair +1.55 / +1.38:
the exact operator adds 0.1-0.46 dB (mean +0.20) to one back-projection step;
with 3 or 10 steps the generic one falls back to ~0 while the exact one keeps
+0.5..+1.8 except kuzunohonkai (grain: every step amplifies the 8-bit noise).
"""
import numpy as np, sys, os
NIT = int(os.environ.get("NIT", "1"))
from PIL import Image
def cubic(x, B=0, C=0.5):
    x = abs(x)
    if x < 1: return ((12-9*B-6*C)*x**3 + (-18+12*B+6*C)*x**2 + (6-2*B))/6
    if x < 2: return ((-B-6*C)*x**3 + (6*B+30*C)*x**2 + (-12*B-48*C)*x + (8*B+24*C))/6
    return 0.0
def up_matrix(n, m, B=0, C=0.5):   # n -> m, centres aligned, mirrored edges
    U = np.zeros((m, n)); s = n / m
    for i in range(m):
        x = (i + 0.5) * s - 0.5
        for j in range(int(np.floor(x)) - 2, int(np.floor(x)) + 4):
            w = cubic(x - j, B, C)
            jj = -j - 1 if j < 0 else (2*n - j - 1 if j >= n else j)
            U[i, jj] += w
    return U / U.sum(1, keepdims=True)
def area_matrix(n, m):   # n -> m box average by coverage
    A = np.zeros((m, n)); s = n / m
    for i in range(m):
        a, b = i * s, (i + 1) * s
        for j in range(int(np.floor(a)), int(np.ceil(b))):
            A[i, j] = max(0, min(b, j + 1) - max(a, j))
    return A / A.sum(1, keepdims=True)
def psnr(a, b): return 10*np.log10(1/np.mean((a-b)**2))
rgb = np.asarray(Image.open(sys.argv[1]).convert('RGB'), np.float64) / 255
H, W = rgb.shape[:2]; H -= H % 4; W -= W % 4; rgb = rgb[:H, :W]
nat = rgb.reshape(H//2, 2, W//2, 2, 3).mean((1, 3))       # native 960x540
h, w = nat.shape[:2]; H2, W2 = h*3//2, w*3//2
Uy, Ux = up_matrix(h, H2), up_matrix(w, W2)
def yuv(x):
    Y = 0.2126*x[...,0] + 0.7152*x[...,1] + 0.0722*x[...,2]
    return Y, (x[...,2]-Y)/1.8556, (x[...,0]-Y)/1.5748
_, cbn, crn = yuv(nat)
up = np.stack([Uy @ nat[..., k] @ Ux.T for k in range(3)], -1)
_, cbu, cru = yuv(up)
Dy, Dx = area_matrix(H2, H2//2), area_matrix(W2, W2//2)
Ay, Ax = Dy @ Uy, Dx @ Ux                                  # exact: native -> 4:2:0
Gy, Gx = area_matrix(h, H2//2), area_matrix(w, W2//2)      # generic area 0.75
res = []
for truth, c420 in ((cbn, Dy @ cbu @ Dx.T), (crn, Dy @ cru @ Dx.T)):
    c420 = np.round(c420 * 224) / 224                       # 8-bit-ish
    Iy, Ix = up_matrix(H2//2, h, 0, 0.5), up_matrix(W2//2, w, 0, 0.5)
    c0 = Iy @ c420 @ Ix.T                                   # catrom interpolation to native
    out = [psnr(c0, truth)]
    for (My, Mx) in ((Ay, Ax), (Gy, Gx)):
        c = c0.copy()
        for it in range(NIT):
            r = c420 - My @ c @ Mx.T
            c = c + Iy @ r @ Ix.T                           # back-project through the interpolator
        out.append(psnr(c, truth))
    res.append(out)
r = np.array(res).mean(0)
print(f"{sys.argv[1].split('/')[-1]:28s} interp {r[0]:.2f}  bp-exact {r[1]:.2f} ({r[1]-r[0]:+.2f})  bp-generic {r[2]:.2f} ({r[2]-r[0]:+.2f})")
