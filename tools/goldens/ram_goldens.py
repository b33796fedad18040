#!/usr/bin/env python3
"""Tiny random-weight RAM (Swin + tagging head) with DAPE LoRA goldens from CoZ's own ram/ code.

Builds CoZ's `RAMLora` (ram/models/ram_lora.py, swin_transformer_lora.py, bert_lora.py, loralib) in a
TINY configuration, saves it in the real checkpoint layouts, loads it back through CoZ's own loader
(`ram(pretrained=..., pretrained_condition=...)`, `.eval()` merges the LoRAs) and records, for a few
images, the fp32 logits and the tag string that `inference_ram` returns. Output (tests/data/goldens/ram/):

  ram_swin_large_14m.pth      base checkpoint as the reference loads it: {"model": state_dict}, no LoRA
                              tensors; of the recomputed relative_position_index / attn_mask buffers
                              (dropped by the loader) only one index is kept, to keep the file small
  DAPE.pth                    flat state dict as CoZ saves it: every loralib lora_A/lora_B (Swin qkv,
                              tagging_head and tag_encoder query/key, text_decoder) with NON-ZERO lora_B,
                              so the tied tag_encoder layers 0-1 add their delta (REFERENCE §3.4), plus
                              image_proj.{weight,bias} overlaid (the loader takes every key present)
  ram_tag_list.txt            30 synthetic tags (no final newline, like the real file)
  ram_tag_list_threshold.txt  30 thresholds, chosen away from every recorded sigmoid (margin ≥ 0.01)
  img{0,1,2,3}.png            inputs (RGB8): 512x512 (CoZ's lq size), 200x150, 64x96, 512x512 grey
  io.pth                      {"logits{i}": [30] fp32 pre-sigmoid, "swin{i}": visual_encoder output
                              [145, 64], "pre{i}": preprocessed rows 100..103 [3, 4, 384]}
  tags.json                   {"img{i}.png": "tag, tag, ..."}

Tiny config (same code paths as Swin-L 384 + q2l head): image 384, patch 4, window 12, embed_dim 8,
depths [2,2,2,2], heads [2,2,2,4] (stage widths 8/16/32/64 at 96/48/24/12: shifted windows with the
-100 mask in stages 0-2, forced shift 0 in stage 3), vision_width 64; tagging head hidden 32, 2 layers,
4 heads, intermediate 64, encoder_width 512 (hard-coded in RAM); tag_encoder/text_decoder (med_config)
hidden 32, 2 layers, vocab 40. LoRA r=8, alpha 1 as in CoZ. Preprocessing as CoZ: ToTensor, tensor
Resize((384,384)) bilinear antialias=True (torchvision >= 0.17 default), ImageNet Normalize; fp32.

Run (CPU, deterministic; torch >= 1.13 + numpy + scipy + Pillow, e.g. Debian's python3-torch; the
few helpers RAM imports from transformers/timm/fairscale come from tools/goldens/ram_shims, so none of
those is needed):
    PYTHONPATH=.vendor/coz:tools/goldens/ram_shims python3 tools/goldens/ram_goldens.py tests/data/goldens/ram
where .vendor/coz (git-ignored) holds CoZ's ram/models/*.py and ram/configs/ (bryanswkim/Chain-of-Zoom
42deeda) and loralib/ (microsoft/LoRA's loralib, = loralib 0.1.2).
Checked once by hand: zeroing the tag_encoder lora_B tensors in DAPE.pth moves the logits by 8.7e-3 of
their maximum, so the goldens' 1e-4 tolerance does check the tied-layer merge.
"""
import importlib.util
import json
import os
import sys
import tempfile
import types

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

torch.manual_seed(20261129)
OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)

# Import ram.models.ram_lora without running ram/__init__.py (it pulls in tag2text, inference, torchvision).
ROOT = None
for p in sys.path:
    if os.path.isdir(os.path.join(p, "ram", "models")):
        ROOT = os.path.join(p, "ram")
        break
assert ROOT, "CoZ's ram/ package not on PYTHONPATH"
for name, path in (("ram", ROOT), ("ram.models", os.path.join(ROOT, "models"))):
    m = types.ModuleType(name)
    m.__path__ = [path]
    sys.modules[name] = m
import ram.models.ram_lora as ram_lora  # noqa: E402

NUM_CLASS = 30
TAGS = ["cat", "dog", "tree", "sky", "building", "car", "person", "water", "grass", "flower",
        "mountain", "road", "cloud", "bird", "window", "light", "red", "blue", "green", "close-up",
        "texture", "pattern", "wall", "street", "night", "snow", "beach", "food", "book", "computer"]
assert len(TAGS) == NUM_CLASS

# ------------------------------------------------------------------------------------------ configs
CFG = tempfile.mkdtemp(prefix="ram_cfg_")
os.makedirs(os.path.join(CFG, "configs", "swin"))
os.makedirs(os.path.join(CFG, "data"))


def write_json(rel, obj):
    with open(os.path.join(CFG, rel), "w") as f:
        json.dump(obj, f)


write_json("configs/swin/config_swinL_384.json",
           {"vision_width": 64, "image_res": 384, "window_size": 12, "embed_dim": 8,
            "depths": [2, 2, 2, 2], "num_heads": [2, 2, 2, 4]})
bert_common = {"attention_probs_dropout_prob": 0.1, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
               "hidden_size": 32, "initializer_range": 0.02, "intermediate_size": 64, "layer_norm_eps": 1e-12,
               "max_position_embeddings": 64, "model_type": "bert", "num_attention_heads": 4,
               "num_hidden_layers": 2, "pad_token_id": 0, "type_vocab_size": 2, "encoder_width": 32,
               "add_cross_attention": True}
write_json("configs/q2l_config.json", dict(bert_common, vocab_size=40))
write_json("configs/med_config.json", dict(bert_common, vocab_size=40))
write_json("configs/condition_config.json", {"nf": 64})
tag_file = os.path.join(CFG, "data", "ram_tag_list.txt")
with open(tag_file, "w") as f:
    f.write("\n".join(TAGS))
thr_file = os.path.join(CFG, "data", "ram_tag_list_threshold.txt")


def write_thresholds(values):
    with open(thr_file, "w") as f:
        f.write("\n".join(f"{v:.4f}" for v in values) + "\n")


write_thresholds([0.65] * NUM_CLASS)
ram_lora.CONFIG_PATH = CFG  # q2l / swin config and threshold paths are built from it at run time


class TinyTokenizer:  # RAM only needs len() and the prompt's token count (no network here)
    class _Ids:
        def __init__(self, n):
            self.input_ids = list(range(n))

    def __len__(self):
        return 40

    def __call__(self, text):
        return self._Ids(len(text.split()) + 2)


ram_lora.init_tokenizer = lambda: TinyTokenizer()

KW = dict(image_size=384, vit="swin_l", med_config=os.path.join(CFG, "configs/med_config.json"),
          condition_config=os.path.join(CFG, "configs/condition_config.json"), tag_list=tag_file,
          tag_list_chinese=tag_file)

# ------------------------------------------------------------------------------------------ weights
model = ram_lora.RAMLora(**KW)
with torch.no_grad():
    for name, p in model.named_parameters():
        if "lora_A" in name:
            p.copy_(torch.randn_like(p) / p.shape[1] ** 0.5)
        elif "lora_B" in name:
            p.copy_(torch.randn_like(p) * 0.5)
        elif "relative_position_bias_table" in name:
            p.copy_(torch.randn_like(p) * 0.5)
        elif name.endswith("norm.weight") or "norm1.weight" in name or "norm2.weight" in name \
                or "LayerNorm.weight" in name:
            p.copy_(1.0 + 0.2 * torch.randn_like(p))
        elif name.endswith("bias"):
            p.copy_(0.1 * torch.randn_like(p))
        elif name == "label_embed":
            p.copy_(torch.randn_like(p))
        elif p.dim() >= 2:
            fan_in = p[0].numel()
            p.copy_(torch.randn_like(p) / fan_in ** 0.5)
        else:
            p.copy_(torch.randn_like(p) * 0.1)
    model.fc.bias.fill_(0.0)

sd = model.state_dict()  # tied tag_encoder/tagging_head tensors appear under both names (same values)
# The real file also holds the recomputed buffers (the loader drops them); keep one of each kind only,
# the attention masks of stage 0 alone would be 2.6 MB here.
keep = ("visual_encoder.layers.3.blocks.1.attn.relative_position_index",)
base = {k: v.clone() for k, v in sd.items()
        if "lora_" not in k and (k in keep or not ("attn_mask" in k or "relative_position_index" in k))}
dape = {k: v.clone() for k, v in sd.items() if "lora_" in k}
# Overlay keys that DAPE.pth may carry besides LoRA: fresh values the base file does not have.
dape["image_proj.weight"] = torch.randn_like(sd["image_proj.weight"]) / sd["image_proj.weight"].shape[1] ** 0.5
dape["image_proj.bias"] = 0.1 * torch.randn_like(sd["image_proj.bias"])
assert any(k.startswith("tag_encoder.encoder.layer.0.crossattention.self.query.lora_B") for k in dape)
torch.save({"model": base}, os.path.join(OUT, "ram_swin_large_14m.pth"))
torch.save(dape, os.path.join(OUT, "DAPE.pth"))
with open(os.path.join(OUT, "ram_tag_list.txt"), "w") as f:
    f.write("\n".join(TAGS))

# ------------------------------------------------------------------------------------------ images
H = np.arange(512)[:, None] / 511.0
W = np.arange(512)[None, :] / 511.0
img0 = np.stack([255 * H * np.ones_like(W), 255 * W * np.ones_like(H),
                 127 + 120 * np.sin(12 * H + 7 * W)], -1)
yy, xx = np.mgrid[0:150, 0:200]
img1 = np.stack([(xx * 3) % 256, (yy * 5) % 256, ((xx // 20 + yy // 20) % 2) * 200 + 30], -1)
rng = np.random.RandomState(7)
img2 = rng.randint(0, 256, (96, 64, 3))
img3 = np.full((512, 512, 3), 128)
images = [img0, img1, img2, img3]
tensors = []
for i, a in enumerate(images):
    a = np.clip(np.round(a), 0, 255).astype(np.uint8)
    Image.fromarray(a, "RGB").save(os.path.join(OUT, f"img{i}.png"))
    # torchvision ToTensor: uint8 HWC -> float CHW / 255
    tensors.append(torch.from_numpy(a).permute(2, 0, 1).float().div(255).unsqueeze(0))

MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def ram_transform(lq):  # CoZ: transforms.Resize((384, 384)) on a tensor (antialias=True), Normalize
    x = F.interpolate(lq, size=(384, 384), mode="bilinear", align_corners=False, antialias=True)
    return (x - MEAN) / STD


def load_reference():
    m = ram_lora.ram(pretrained=os.path.join(OUT, "ram_swin_large_14m.pth"),
                     pretrained_condition=os.path.join(OUT, "DAPE.pth"), **KW)
    m.eval()  # loralib merges here (tag_encoder first, then tagging_head, into the tied weights)
    return m


def run(m):
    io, tags = {}, {}
    with torch.no_grad():
        for i, lq in enumerate(tensors):
            x = ram_transform(lq)
            _, logits, _ = m.condition_forward(x, only_feature=False)
            io[f"logits{i}"] = logits[0].float().contiguous()
            io[f"swin{i}"] = m.visual_encoder(x)[0].contiguous()
            io[f"pre{i}"] = x[0, :, 100:104, :].contiguous()
            tags[f"img{i}.png"] = ram_lora_inference(x, m)
    return io, tags


def ram_lora_inference(x, m):  # = ram/inference.py inference_ram
    with torch.no_grad():
        t, _ = m.generate_tag(x)
    return t[0]


# Pass 1: logits (thresholds do not enter them).
io, _ = run(load_reference())
sig = torch.stack([torch.sigmoid(io[f"logits{i}"]) for i in range(len(images))])  # [n, C]
thr = []
for k in range(NUM_CLASS):
    s = sorted(sig[:, k].tolist())
    # split points between recorded sigmoids, at least 0.01 from every one; rotate the choice so that
    # each image gets a different subset of tags
    cands = [(a + b) / 2 for a, b in zip(s, s[1:]) if b - a >= 0.02] + [min(0.99, s[-1] + 0.05)]
    thr.append(round(cands[(k * 5) % len(cands)], 4))
write_thresholds(thr)
with open(os.path.join(OUT, "ram_tag_list_threshold.txt"), "w") as f:
    f.write("\n".join(f"{v:.4f}" for v in thr) + "\n")

# Pass 2: the reference end to end with the final thresholds file.
io2, tags = run(load_reference())
for k in io:
    assert torch.equal(io[k], io2[k]), k
torch.save(io2, os.path.join(OUT, "io.pth"))
with open(os.path.join(OUT, "tags.json"), "w") as f:
    json.dump(tags, f, indent=1)
margin = min(abs(t - v) for k, t in enumerate(thr) for v in sig[:, k].tolist())
print("thresholds", thr)
print("sigmoid range", float(sig.min()), float(sig.max()), "min margin", margin)
for k, v in tags.items():
    print(k, "->", repr(v))
