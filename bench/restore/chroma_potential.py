"""Chroma: how much a small learned residual could add on top of nr_chroma_reconstruct.

Measurement only (no weights are kept or shipped). Input: raw planes written by
  CHROMA_DUMP=DIR NO_EWA=1 chroma-explore --synth 0 --real cycle FRAMES...
(DIR/<frame>[.native].f32: header gw gh cw ch (int32), then float32 planes
luma, true Cb, true Cr, our Cb, our Cr (gw*gh each), coded Cb, Cr (cw*ch)).
An MLP (2 x 48 ReLU) on 5x5 full-resolution patches of (Y, our Cb, our Cr),
centred, plus the pixel's phase, predicts truth - ours; trained on one set of
frames and evaluated on others (whole frames, 2-pixel border left as is).
Usage: /usr/bin/python3 chroma_potential.py deliv|native   (frames in /tmp/cdump,
       TRAIN2=1: train on /tmp/cdump2 instead, test on all of /tmp/cdump;
       otherwise the frames of /tmp/cdump split in halves both ways;
       EP epochs (6), NPX sampled pixels per training frame (150000))
Derived pictures: never commit the dumps.
"""
import numpy as np, glob, sys, os
import torch
torch.set_num_threads(1)
def load(p):
    h = np.fromfile(p, dtype=np.int32, count=4); gw, gh, cw, ch = map(int, h)
    a = np.fromfile(p, dtype=np.float32, offset=16)
    n = gw*gh; m = cw*ch
    planes = [a[i*n:(i+1)*n].reshape(gh, gw) for i in range(5)]
    cb = a[5*n:5*n+m].reshape(ch, cw); cr = a[5*n+m:5*n+2*m].reshape(ch, cw)
    return planes, cb, cr
def psnr(a, b): return -10*np.log10(np.mean((a-b)**2))
R = 2  # patch radius at full res
def feats(y, ocb, ocr, rng, npx):
    gh, gw = y.shape
    if npx is None:
        yy, xx = np.mgrid[R:gh-R, R:gw-R]; yy = yy.ravel(); xx = xx.ravel()
    else:
        yy = rng.integers(R, gh-R, npx); xx = rng.integers(R, gw-R, npx)
    f = []
    for dy in range(-R, R+1):
        for dx in range(-R, R+1):
            f.append(y[yy+dy, xx+dx] - y[yy, xx])
            f.append(ocb[yy+dy, xx+dx] - ocb[yy, xx])
            f.append(ocr[yy+dy, xx+dx] - ocr[yy, xx])
    f.append(y[yy, xx] - 0.5); f.append(ocb[yy, xx] - 0.5); f.append(ocr[yy, xx] - 0.5)
    f.append((yy % 2).astype(np.float32)); f.append((xx % 2).astype(np.float32))
    return np.stack(f, 1).astype(np.float32), yy, xx
files = sorted(glob.glob('/tmp/cdump/*.f32'))
mode = sys.argv[1] if len(sys.argv) > 1 else 'deliv'
files = [f for f in files if ('.native' in f) == (mode == 'native')]
rng = np.random.default_rng(0)
# leave-half-out: train on even-indexed frames, test on odd, then swap
res = {}
splits = (0, 1)
if os.environ.get('TRAIN2'):
    splits = (2,)
for split in splits:
    if split == 2:
        tr = [f for f in sorted(glob.glob('/tmp/cdump2/*.f32')) if ('.native' in f) == (mode == 'native')]
        te = files
    else:
        tr = [f for i, f in enumerate(files) if i % 2 == split]
        te = [f for i, f in enumerate(files) if i % 2 != split]
    X = []; T = []
    for f in tr:
        (y, tcb, tcr, ocb, ocr), cb, cr = load(f)
        F, yy, xx = feats(y, ocb, ocr, rng, int(os.environ.get('NPX', '150000')))
        X.append(F); T.append(np.stack([tcb[yy, xx] - ocb[yy, xx], tcr[yy, xx] - ocr[yy, xx]], 1))
    X = torch.tensor(np.concatenate(X)); T = torch.tensor(np.concatenate(T))
    sc = X.std(0) + 1e-4
    net = torch.nn.Sequential(torch.nn.Linear(X.shape[1], 48), torch.nn.ReLU(), torch.nn.Linear(48, 48), torch.nn.ReLU(), torch.nn.Linear(48, 2))
    opt = torch.optim.Adam(net.parameters(), 2e-3)
    for ep in range(int(os.environ.get('EP', '6'))):
        perm = torch.randperm(len(X))
        for i in range(0, len(X), 1024):
            b = perm[i:i+1024]
            loss = ((net(X[b]/sc) - T[b]*100)**2).mean()
            opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad():
        for f in te:
            (y, tcb, tcr, ocb, ocr), cb, cr = load(f)
            F, yy, xx = feats(y, ocb, ocr, rng, None)
            P = np.concatenate([net(torch.tensor(F[i:i+200000])/sc).numpy()/100 for i in range(0, len(F), 200000)])
            ncb = ocb.copy(); ncr = ocr.copy()
            ncb[yy, xx] += P[:, 0]; ncr[yy, xx] += P[:, 1]
            b0 = (psnr(ocb, tcb) + psnr(ocr, tcr))/2; b1 = (psnr(ncb, tcb) + psnr(ncr, tcr))/2
            res[os.path.basename(f)] = (b0, b1)
            print(f"{os.path.basename(f):50s} ours {b0:.2f}  +mlp {b1:.2f}  ({b1-b0:+.2f})", flush=True)
g = [v[1]-v[0] for v in res.values()]
print("mean gain held-out", np.mean(g))
