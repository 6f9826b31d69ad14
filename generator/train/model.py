"""The hq upscaler: a compact CNN that doubles native-resolution luma.

x (native luma) -> conv3x3(1->F) ReLU -> [conv3x3(F->F) ReLU] x (L-2)
-> conv3x3(F->4) -> + a linear 5x5 filter of x (1->4: the best linear 2x
filter, which the network then corrects; it makes training converge in
minutes) -> + x (each of the 4 sub-pixels starts from its native pixel) ->
pixel shuffle 2x. Zero-size-change convolutions with edge
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
        self.skip = nn.Conv2d(1, 4, 5, padding=2, padding_mode="replicate")
        nn.init.zeros_(self.skip.weight)
        nn.init.zeros_(self.skip.bias)

    def forward(self, x):
        y = x
        for i, conv in enumerate(self.convs):
            y = conv(y)
            if i + 1 < len(self.convs):
                y = F.relu(y)
        return F.pixel_shuffle(y + self.skip(x) + x, 2)


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
        f.write("output residual-skip-pixelshuffle2\n")
        for i, conv in enumerate(model.convs):
            w = conv.weight.detach().cpu().numpy().astype(np.float32)
            b = conv.bias.detach().cpu().numpy().astype(np.float32)
            act = "relu" if i + 1 < len(model.convs) else "none"
            f.write(f"conv {w.shape[1]} {w.shape[0]} {act}\n")
            for o in range(w.shape[0]):
                vals = [b[o]] + list(w[o].reshape(-1))
                f.write(" ".join(f"{float(v):.9g}" for v in vals) + "\n")
        w = model.skip.weight.detach().cpu().numpy().astype(np.float32)
        b = model.skip.bias.detach().cpu().numpy().astype(np.float32)
        f.write("skip 5\n")
        for o in range(4):
            vals = [b[o]] + list(w[o].reshape(-1))
            f.write(" ".join(f"{float(v):.9g}" for v in vals) + "\n")
        # What this network outputs for a fixed input (comments for the
        # parser): tests check the C reference against the training code.
        x = check_input()
        y = upscale2x(model, x)
        f.write(f"# check-size {x.shape[1]} {x.shape[0]}\n")
        f.write("# check-out " + " ".join(f"{float(v):.9g}" for v in y.reshape(-1)) + "\n")


def read_table(path):
    """[(weights (out, in, k, k), bias (out,), relu)] from a table; the
    linear skip filter is the last entry."""
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
    k = int(lines[pos].split()[1])
    rows = np.array([[float(v) for v in lines[pos + 1 + o].split()] for o in range(4)], np.float32)
    layers.append((rows[:, 1:].reshape(4, 1, k, k), rows[:, 0], False))
    return layers


def load_into(model, path):
    """Loads a table into the model. A table with fewer features than the
    model is embedded in its first channels and the extra channels are cut
    off from the old ones (their outgoing weights zero, incoming weights as
    initialised): the wider network starts as exactly the table's function
    and training grows the new channels from there. A table with fewer
    layers is deepened the same way: identity 3x3 layers (centre tap 1) go in
    before the last layer; they follow a ReLU, so their input is >= 0 and
    ReLU(identity) passes it through unchanged."""
    layers = read_table(path)
    convs = list(model.convs)
    n, m = len(layers) - 1, len(convs)
    if n > m or n < 2:
        raise ValueError(f"{path}: {n} layers, the model has {m}")
    # table layer i -> model layer: the first n - 1 in place, the last one last
    targets = convs[:n - 1] + [convs[-1]]
    with torch.no_grad():
        for conv, (w, b, _) in zip(targets + [model.skip], layers):
            co, ci = w.shape[:2]
            if co > conv.weight.shape[0] or ci > conv.weight.shape[1] \
                    or w.shape[2:] != conv.weight.shape[2:]:
                raise ValueError(f"{path}: a {ci} -> {co} layer does not fit the model's "
                                 f"{conv.weight.shape[1]} -> {conv.weight.shape[0]}")
            conv.weight[:co, ci:] = 0
            conv.weight[:co, :ci] = torch.from_numpy(w)
            conv.bias[:co] = torch.from_numpy(b)
        width = layers[n - 2][0].shape[0]   # the table's last hidden width
        for conv in convs[n - 1:m - 1]:
            conv.weight[:width] = 0
            conv.bias[:width] = 0
            for c in range(width):
                conv.weight[c, c, 1, 1] = 1
    return model


def check_input(w=12, h=10):
    """The fixed check pattern: ((37 x + 61 y) mod 97) / 96."""
    y, x = np.mgrid[0:h, 0:w]
    return (((37 * x + 61 * y) % 97) / 96.0).astype(np.float32)


def upscale2x(model, plane):
    """Full-frame inference (float32 numpy in, numpy out)."""
    with torch.no_grad():
        x = torch.from_numpy(np.ascontiguousarray(plane, np.float32))[None, None]
        return model(x)[0, 0].numpy()
