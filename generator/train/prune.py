#!/usr/bin/env python3
"""Narrows an hq upscaler table: keeps, in each hidden layer, the F output
channels with the largest product of incoming and outgoing weight norms
(and the matching inputs of the next layer); the skip filter is copied.
The result is a starting point for train.py --init ... --features F.

    /usr/bin/python3 generator/train/prune.py presets/hq-upscaler-v4.txt 12 OUT.txt"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evaluate as ev  # noqa: E402
import model as hqmodel  # noqa: E402


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    src, features, out = ev.load_table(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    n = len(src.convs)
    if features % 4 or features > src.convs[0].weight.shape[0]:
        sys.exit("features: a multiple of 4, at most the table's")
    dst = hqmodel.Upscaler(features, n)
    with torch.no_grad():
        keep = []
        for i in range(n - 1):
            score = (src.convs[i].weight.pow(2).sum(dim=(1, 2, 3)).sqrt()
                     * src.convs[i + 1].weight.pow(2).sum(dim=(0, 2, 3)).sqrt())
            keep.append(torch.argsort(score, descending=True)[:features].sort().values)
        for i, conv in enumerate(dst.convs):
            w, b = src.convs[i].weight, src.convs[i].bias
            if i < n - 1:
                w, b = w[keep[i]], b[keep[i]]
            if i > 0:
                w = w[:, keep[i - 1]]
            conv.weight.copy_(w)
            conv.bias.copy_(b)
        dst.skip.weight.copy_(src.skip.weight)
        dst.skip.bias.copy_(src.skip.bias)
    hqmodel.write_table(dst, out, [f"{sys.argv[1]} narrowed to {features} features by prune.py"])


if __name__ == "__main__":
    main()
