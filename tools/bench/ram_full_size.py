#!/usr/bin/env python3
"""Full-size RAM Swin-L 384 + DAPE with random weights, through CoZ's own ram/ code: the reference
side of the tagger side-by-side (the C++ side is coz_ram_bench). Not a test; run on the GPU machine.

    PYTHONPATH=.vendor/coz:tools/goldens/ram_shims python3 tools/bench/ram_full_size.py WORK_DIR
        writes WORK_DIR/ram/{ram_swin_large_14m.pth, DAPE.pth, ram_tag_list.txt,
        ram_tag_list_threshold.txt} (real layouts and names, the real tag list and thresholds from
        .vendor/coz/ram/data), WORK_DIR/imgs.f32 (5 images [3,512,512], CoZ's lq), WORK_DIR/ref_logits.f32
        (fp32 logits [5,4585]) and prints the reference's tags (fp32 and fp16) and its time per call
        (CoZ's path: torchvision Resize + Normalize, .half(), generate_tag).
    python3 tools/bench/ram_full_size.py --compare ours.f32 WORK_DIR/ref_logits.f32
        prints the largest difference relative to the largest logit.
The fc bias is set so that about 0.5% of the tags pass their threshold (random weights give no
trained margins); the number of tags within 1e-3 of their threshold is printed, since those may flip
between two fp16 implementations.
"""
import json
import os
import sys
import time
import types

import numpy as np
import torch

if sys.argv[1] == "--compare":
    a = np.fromfile(sys.argv[2], dtype=np.float32)
    b = np.fromfile(sys.argv[3], dtype=np.float32)
    print(f"logits: max |ours - ref| / max |ref| = {np.abs(a - b).max() / np.abs(b).max():.3e}")
    sys.exit(0)

WORK = sys.argv[1]
RAMDIR = os.path.join(WORK, "ram")
os.makedirs(RAMDIR, exist_ok=True)
torch.manual_seed(0)
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
dev = "cuda" if torch.cuda.is_available() else "cpu"

ROOT = next(os.path.join(p, "ram") for p in sys.path if os.path.isdir(os.path.join(p, "ram", "models")))
for name, path in (("ram", ROOT), ("ram.models", os.path.join(ROOT, "models"))):
    m = types.ModuleType(name)
    m.__path__ = [path]
    sys.modules[name] = m
import ram.models.ram_lora as ram_lora  # noqa: E402

ram_lora.CONFIG_PATH = ROOT  # configs/ and data/ of CoZ's ram package


class Tok:  # RAM needs len() and the prompt's token count only (no network)
    class _Ids:
        def __init__(self, n):
            self.input_ids = list(range(n))

    def __len__(self):
        return 30524

    def __call__(self, text):
        return self._Ids(len(text.split()) + 2)


ram_lora.init_tokenizer = lambda: Tok()
TAGS = os.path.join(ROOT, "data", "ram_tag_list.txt")
THR = os.path.join(ROOT, "data", "ram_tag_list_threshold.txt")
KW = dict(image_size=384, vit="swin_l", tag_list=TAGS, tag_list_chinese=TAGS)

t0 = time.time()
model = ram_lora.RAMLora(**KW)
print(f"built RAMLora in {time.time() - t0:.1f} s", flush=True)
USED = ("visual_encoder.", "image_proj.", "label_embed", "wordvec_proj.", "fc.", "tagging_head.")
with torch.no_grad():
    for name, p in model.named_parameters():
        tied_lora = name.startswith("tag_encoder.encoder.layer.") and ".crossattention.self." in name and "lora_" in name \
            and name.split(".")[3] in ("0", "1")
        if not (name.startswith(USED) or tied_lora):
            continue
        if "lora_A" in name:
            p.copy_(torch.randn_like(p) / p.shape[1] ** 0.5)
        elif "lora_B" in name:
            p.copy_(torch.randn_like(p) * 0.1)
        elif "relative_position_bias_table" in name:
            p.copy_(torch.randn_like(p) * 0.5)
        elif "norm" in name.lower() and name.endswith("weight"):
            p.copy_(1.0 + 0.2 * torch.randn_like(p))
        elif name.endswith("bias"):
            p.copy_(0.05 * torch.randn_like(p))
        elif name == "label_embed":
            p.copy_(torch.randn_like(p))
        elif p.dim() >= 2:
            p.copy_(torch.randn_like(p) / p[0].numel() ** 0.5)

# Images: CoZ's lq, 512x512 RGB8 -> [0,1].
rng = np.random.RandomState(3)
yy, xx = np.mgrid[0:512, 0:512] / 511.0
imgs = []
for i in range(5):
    f = rng.uniform(2, 12, 6)
    a = np.stack([np.sin(f[0] * xx + f[1] * yy + i), np.cos(f[2] * xx - f[3] * yy), np.sin(f[4] * xx * yy + f[5])], 0)
    a = np.clip(np.round((a * 0.45 + 0.5) * 255 + rng.normal(0, 8, a.shape)), 0, 255).astype(np.float32) / 255.0
    imgs.append(torch.from_numpy(a))
imgs = torch.stack(imgs)
imgs.numpy().tofile(os.path.join(WORK, "imgs.f32"))

import torchvision.transforms as T  # noqa: E402

ram_transforms = T.Compose([T.Resize((384, 384)), T.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])])


def logits_of(m, dtype):
    out = []
    with torch.no_grad():
        for i in range(len(imgs)):
            x = ram_transforms(imgs[i:i + 1].to(dev)).to(dtype)
            out.append(m.condition_forward(x, only_feature=False)[1].float().cpu())
    return torch.cat(out)


# Calibrate fc.bias on the merged model (a copy), so that ~0.5% of the tags pass.
thr = torch.tensor([float(s) for s in open(THR)])
sd = model.state_dict()
base = {k: v for k, v in sd.items() if k.startswith(USED) and "lora_" not in k}
dape = {k: v for k, v in sd.items() if "lora_" in k and (k.startswith(USED) or k.startswith("tag_encoder.encoder.layer."))}
probe = ram_lora.RAMLora(**KW)
probe.load_state_dict(sd, strict=False)
probe.eval().to(dev)
d = logits_of(probe, torch.float32) - torch.logit(thr)
bias = -float(torch.quantile(d.flatten(), 0.995))
del probe
base["fc.bias"] = torch.full_like(base["fc.bias"], bias)
torch.save({"model": base}, os.path.join(RAMDIR, "ram_swin_large_14m.pth"))
torch.save(dape, os.path.join(RAMDIR, "DAPE.pth"))
for src, dst in ((TAGS, "ram_tag_list.txt"), (THR, "ram_tag_list_threshold.txt")):
    with open(src, "rb") as f, open(os.path.join(RAMDIR, dst), "wb") as g:
        g.write(f.read())
print(f"saved: base {len(base)} tensors, DAPE {len(dape)} tensors; fc.bias {bias:.3f}", flush=True)

# The reference as CoZ runs it: ram(pretrained, pretrained_condition) -> eval -> cuda -> fp16.
ref = ram_lora.ram(pretrained=os.path.join(RAMDIR, "ram_swin_large_14m.pth"),
                   pretrained_condition=os.path.join(RAMDIR, "DAPE.pth"), **KW)
ref.eval().to(dev)
l32 = logits_of(ref, torch.float32)
l32.numpy().tofile(os.path.join(WORK, "ref_logits.f32"))
near = int(((torch.sigmoid(l32) - thr).abs() < 1e-3).sum())
res = {"tags_fp32": [], "tags_fp16": [], "near_threshold_fp32": near}
with torch.no_grad():
    for i in range(len(imgs)):
        res["tags_fp32"].append(ref.generate_tag(ram_transforms(imgs[i:i + 1].to(dev)))[0][0])
    ref = ref.half()
    for i in range(len(imgs)):
        res["tags_fp16"].append(ref.generate_tag(ram_transforms(imgs[i:i + 1].to(dev)).half())[0][0])
    lq = imgs[0:1].to(dev)
    for _ in range(3):
        ref.generate_tag(ram_transforms(lq).half())
    ts = []
    for r in range(20):
        for i in range(len(imgs)):
            lq = imgs[i:i + 1].to(dev)
            if dev == "cuda":
                torch.cuda.synchronize()
            t = time.perf_counter()
            ref.generate_tag(ram_transforms(lq).half())  # = CoZ: inference(lq_ram, DAPE)
            if dev == "cuda":
                torch.cuda.synchronize()
            ts.append((time.perf_counter() - t) * 1e3)
ts.sort()
res["ref_fp16_ms_median"] = ts[len(ts) // 2]
res["ref_fp16_ms_min"] = ts[0]
print(json.dumps(res, indent=1))
with open(os.path.join(WORK, "ref.json"), "w") as f:
    json.dump(res, f, indent=1)
