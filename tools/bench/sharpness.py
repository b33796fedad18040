#!/usr/bin/env python3
"""Sharpness numbers of 8-bit PNGs (the zoom steps of `coz zoom`), with no packages beyond Python.

    python3 tools/bench/sharpness.py OUTDIR/step_*.png

Per file, on luma Y = 0.299 R + 0.587 G + 0.114 B (0..255) over interior pixels:
  lapvar  variance of the 4-neighbour Laplacian (high: fine detail; near 0: flat or smooth)
  grad    mean Sobel gradient magnitude / 8 (grey levels per pixel)
Reads non-interlaced 8-bit greyscale, RGB and RGBA PNGs (what coz writes at --bit-depth 8)."""
import math
import struct
import sys
import zlib


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(path + ": not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            channels = {0: 1, 2: 3, 6: 4}.get(color)
            if depth != 8 or channels is None or interlace:
                raise ValueError(path + ": only 8-bit, non-interlaced grey/RGB/RGBA PNGs")
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride = zlib.decompress(idat), w * channels
    rows, prev = [], bytearray(stride)
    for y in range(h):
        ft, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if ft == 1: line[i] = (line[i] + a) & 255
            elif ft == 2: line[i] = (line[i] + b) & 255
            elif ft == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif ft == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    if channels == 1:
        return [[float(v) for v in r] for r in rows]
    return [[0.299 * r[x * channels] + 0.587 * r[x * channels + 1] + 0.114 * r[x * channels + 2] for x in range(w)]
            for r in rows]


def sharpness(L):
    lap, grad = [], 0.0
    for y in range(1, len(L) - 1):
        a, b, c = L[y - 1], L[y], L[y + 1]
        for x in range(1, len(b) - 1):
            lap.append(a[x] + c[x] + b[x - 1] + b[x + 1] - 4 * b[x])
            gx = (a[x + 1] + 2 * b[x + 1] + c[x + 1]) - (a[x - 1] + 2 * b[x - 1] + c[x - 1])
            gy = (c[x - 1] + 2 * c[x] + c[x + 1]) - (a[x - 1] + 2 * a[x] + a[x + 1])
            grad += math.hypot(gx, gy) / 8
    mean = sum(lap) / len(lap)
    return sum((v - mean) ** 2 for v in lap) / len(lap), grad / len(lap)


if __name__ == "__main__":
    for f in sys.argv[1:]:
        lapvar, grad = sharpness(read_png(f))
        print("%s  lapvar %.1f  grad %.2f" % (f, lapvar, grad))
