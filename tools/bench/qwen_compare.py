#!/usr/bin/env python3
"""Where do two Qwen2.5-VL runs part? Compares transformers' dump (qwen_full_size.py with
QWEN_DUMP) with coz_qwen_bench --exact --dump, tensor by tensor in the order they are computed:
pixel values, vision features, then per step (0 = prefill) the hidden states after each layer and
the fp32 logits. Prints bitwise equality / max abs difference and the first tensor that differs.

    python3 tools/bench/qwen_compare.py ref_bf16.pt ours_bf16.pt
"""
import sys

import torch

ref = torch.load(sys.argv[1], map_location="cpu", weights_only=False)
ours = torch.load(sys.argv[2], map_location="cpu", weights_only=False)


def diff(a, b):
    if a is None or b is None:
        return "missing"
    a, b = a.reshape(-1), b.reshape(-1)
    if a.shape != b.shape:
        return f"shape {tuple(a.shape)} vs {tuple(b.shape)}"
    if torch.equal(a, b):
        return "equal"
    d = (a.float() - b.float()).abs()
    return f"differ: {int((d > 0).sum())} of {a.numel()}, max abs {float(d.max()):.3e}"


for dim, theta, key in ((40, 10000.0, "v_inv_freq"), (128, 1e6, "t_inv_freq")):
    mine = 1.0 / (theta ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))  # what QwenVL computes
    print(f"{key}: {diff(ref.get(key), mine)}")
print("pixel_values:", diff(ref.get("pixel_values"), ours.get("pixel_values")))
print("vision:", diff(ref.get("vision"), ours.get("vision")))
first = None
steps = sorted({int(k.split(".")[1]) for k in ours if k.startswith("h.")})
layers = max(int(k.split(".")[2]) for k in ours if k.startswith("h."))
for s in steps:
    row = []
    for j in range(layers + 1):
        r = diff(ref.get(f"h.{s}.{j}"), ours.get(f"h.{s}.{j}"))
        row.append(r == "equal")
        if r != "equal" and first is None:
            first = (s, j, r)
    lr, lo = ref["logits"][s] if "logits" in ref and s < len(ref["logits"]) else None, ours.get(f"logits.{s}")
    rl = diff(lr, lo)
    if s < 3 or not all(row) or rl != "equal":
        print(f"step {s}: hidden states equal {sum(row)}/{len(row)}; logits {rl}")
    if first is not None and s > first[0] + 2:
        break
if first:
    print(f"first difference: step {first[0]}, hidden state {first[1]}: {first[2]}")
    s = first[0]
    if s > 0 and f"cos.{s}" in ours:  # the decode step's parts (both dumps have them since session 8)
        print(f"step {s} rotary: cos {diff(ref.get(f'cos.{s}'), ours.get(f'cos.{s}'))}, "
              f"sin {diff(ref.get(f'sin.{s}'), ours.get(f'sin.{s}'))}")
        for j in range(layers):
            a = diff(ref.get(f"attn.{s}.{j}"), ours.get(f"attn.{s}.{j}"))
            m = diff(ref.get(f"mlp.{s}.{j}"), ours.get(f"mlp.{s}.{j}"))
            if a != "equal" or m != "equal":
                print(f"step {s} layer {j}: attention output {a}; MLP output {m}")
                break
    # The caches after the run: the first position whose keys/values part, per layer.
    for kind in ("k", "v"):
        worst = None
        for j in range(layers):
            r, o = ref.get(f"{kind}.{j}"), ours.get(f"{kind}.{j}")
            if r is None or o is None or r.shape != o.shape:
                continue
            ne = (r != o).flatten(0, 1).any(0).any(-1).nonzero().flatten()  # [positions]
            if len(ne):
                worst = (j, int(ne[0])) if worst is None or int(ne[0]) < worst[1] else worst
        print(f"cache {kind}: " + ("equal" if worst is None else f"first differing position {worst[1]} (layer {worst[0]})"))
else:
    print("all hidden states equal")
if "ids" in ref:
    print("reference ids (first 16):", ref["ids"][:16].tolist())
