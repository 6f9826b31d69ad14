#!/usr/bin/env python3
"""Rewrites a parameter table with the current writer (same weights, same
header comments): adds what newer writers add, e.g. the check lines.

    /usr/bin/python3 generator/train/retable.py IN.txt OUT.txt"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model as hqmodel  # noqa: E402

src, dst = sys.argv[1], sys.argv[2]
header = []
for line in open(src):
    if not line.startswith("#"):
        break
    header.append(line[2:].rstrip("\n"))
layers = hqmodel.read_table(src)
net = hqmodel.load_into(hqmodel.Upscaler(layers[0][0].shape[0], len(layers) - 1), src)
hqmodel.write_table(net, dst, header)
