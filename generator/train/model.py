"""The hq upscaler: a compact CNN that doubles native-resolution luma.

x (native luma) -> conv3x3(1->F) ReLU -> [conv3x3(F->F) ReLU] x (L-2)
-> conv3x3(F->4) -> + x (each of the 4 sub-pixels starts from its native
pixel) -> pixel shuffle 2x. Zero-size-change convolutions with edge
replication, as a GPU texture clamps at its edges. F is a multiple of 4, so
a layer maps to F/4 shader passes writing one vec4 each.

Also: the parameter table (presets/hq-upscaler-vN.txt) writer and reader,
and a numpy forward pass over a table (what the C reference computes)."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Upscaler(nn.Module):
    def __init__(self, features=8, layers=4):
        super().__init__()
        chans = [1] + [features] * (layers - 1) + [4]
        self.convs = nn.ModuleList(
            nn.Conv2d(chans[i], chans[i + 1], 3, padding=1, padding_mode="replicate")
            for i in range(layers))

    def forward(self, x):
        y = x
        for i, conv in enumerate(self.convs):
            y = conv(y)
            if i + 1 < len(self.convs):
                y = F.relu(y)
        return F.pixel_shuffle(y + x, 2)


FORMAT = "nativeres-upscaler 1"


def write_table(model, path, header_lines):
    """Readable parameter table: header comments, then per layer one line
    `conv IN OUT ACT` and OUT lines `bias w[i][ky][kx]...` (input-major,
    rows top to bottom, columns left to right), float32 exact (%.9g)."""
    with open(path, "w") as f:
        for line in header_lines:
            f.write(("# " + line).rstrip() + "\n")
        f.write(FORMAT + "\n")
        f.write(f"layers {len(model.convs)}\n")
        f.write("output residual-pixelshuffle2\n")
        for i, conv in enumerate(model.convs):
            w = conv.weight.detach().cpu().numpy().astype(np.float32)
            b = conv.bias.detach().cpu().numpy().astype(np.float32)
            act = "relu" if i + 1 < len(model.convs) else "none"
            f.write(f"conv {w.shape[1]} {w.shape[0]} {act}\n")
            for o in range(w.shape[0]):
                vals = [b[o]] + list(w[o].reshape(-1))
                f.write(" ".join(f"{float(v):.9g}" for v in vals) + "\n")


def read_table(path):
    """[(weights (out, in, 3, 3), bias (out,), relu)] from a table."""
    lines = [l.split("#")[0].strip() for l in open(path)]
    lines = [l for l in lines if l]
    assert lines[0] == FORMAT, "not a " + FORMAT + " table"
    n = int(lines[1].split()[1])
    pos, layers = 3, []
    for _ in range(n):
        _, cin, cout, act = lines[pos].split()
        cin, cout = int(cin), int(cout)
        rows = np.array([[float(v) for v in lines[pos + 1 + o].split()] for o in range(cout)],
                        np.float32)
        layers.append((rows[:, 1:].reshape(cout, cin, 3, 3), rows[:, 0], act == "relu"))
        pos += 1 + cout
    return layers


def load_into(model, path):
    with torch.no_grad():
        for conv, (w, b, _) in zip(model.convs, read_table(path)):
            conv.weight.copy_(torch.from_numpy(w))
            conv.bias.copy_(torch.from_numpy(b))
    return model


def upscale2x(model, plane):
    """Full-frame inference (float32 numpy in, numpy out)."""
    with torch.no_grad():
        x = torch.from_numpy(np.ascontiguousarray(plane, np.float32))[None, None]
        return model(x)[0, 0].numpy()
