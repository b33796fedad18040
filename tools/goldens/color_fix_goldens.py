#!/usr/bin/python3
"""Reference outputs of CoZ's colour fixes (utils/wavelet_color_fix.py), re-derived in float64 NumPy.

Usage: /usr/bin/python3 tools/goldens/color_fix_goldens.py PHOTO.png OUT_DIR
Writes target/source/wavelet/adain as raw little-endian float32 [1,3,H,W] plus manifest.json.
"""
import json
import os
import sys

import numpy as np
from PIL import Image

photo, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
img = np.asarray(Image.open(photo).convert("RGB"), dtype=np.float64) / 255.0
H, W = 40, 36
source = img[60:60 + H, 90:90 + W].transpose(2, 0, 1)[None]            # "SR input"
rng = np.random.default_rng(7)
target = np.clip(source * 0.8 + 0.15 + rng.normal(0, 0.05, source.shape), 0, 1)  # "SR output", colours shifted


def blur(x, r):
    k = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=np.float64) / 16
    p = np.pad(x, ((0, 0), (0, 0), (r, r), (r, r)), mode="edge")  # replicate padding
    y = np.zeros_like(x)
    for i in range(3):
        for j in range(3):
            y += k[i, j] * p[:, :, i * r:i * r + x.shape[2], j * r:j * r + x.shape[3]]
    return y


def decompose(x, levels=5):
    high = np.zeros_like(x)
    for i in range(levels):
        low = blur(x, 2 ** i)
        high += x - low
        x = low
    return high, low


def wavelet(t, s):
    th, _ = decompose(t)
    _, sl = decompose(s)
    return np.clip(th + sl, 0, 1)


def adain(t, s, eps=1e-5):
    def ms(f):
        flat = f.reshape(1, 3, -1)
        return flat.mean(2)[..., None, None], np.sqrt(flat.var(2, ddof=1) + eps)[..., None, None]
    sm, ss = ms(s)
    tm, ts = ms(t)
    return np.clip((t - tm) / ts * ss + sm, 0, 1)


arrays = {"target": target, "source": source, "wavelet": wavelet(target, source), "adain": adain(target, source)}
for k, v in arrays.items():
    v.astype("<f4").tofile(os.path.join(out, f"colorfix_{k}.f32"))
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump({"shape": [1, 3, H, W], "files": {k: f"colorfix_{k}.f32" for k in arrays}}, f, indent=1)
