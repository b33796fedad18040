#!/usr/bin/env python3
"""Tiny random-weight Qwen2.5-VL goldens from transformers (tokenizer, image processor, model, generate).

Builds, in the official Hugging Face folder layout of Qwen/Qwen2.5-VL-3B-Instruct:
  config.json                 legacy flat layout (LM keys at the top, vision_config inside), tiny sizes
  generation_config.json      the values the Instruct checkpoints ship (top_k 1, repetition_penalty 1.05)
  preprocessor_config.json    Qwen2VLImageProcessor settings (min/max pixels, CLIP mean/std)
  tokenizer.json              a byte-level BPE trained here with the tokenizers library and Qwen2's
                              normaliser (NFC), pre-tokenizer regex and ByteLevel, plus Qwen's added
                              tokens in Qwen's order (14 special, then <tool_call> </tool_call> non-special)
  tokenizer_config.json       with the Qwen2-VL chat template
  model-0000{1,2}-of-00002.safetensors + model.safetensors.index.json
                              BF16 tensors under the published (legacy) names, lm_head tied (absent)
and, after loading that folder back with from_pretrained (which proves the layout), fp32 goldens:
  tokenizer_cases.json        [{text, ids, decoded}] ids = encode(add_special_tokens=False),
                              decoded = decode(skip_special_tokens=True), for tricky strings
  prompts.json                the chat-template strings of CoZ's two messages, the input ids, grids,
                              generated ids and generated text, per case
  io.safetensors              F32: pixel rows, vision features, prefill logits, per case
  img{0,1,2}.png              raw inputs (RGB8): 150x200, 256x300, 20x30 (the last below the 28-px grid)

Cases: "one" = recursive (system "What is in this image? ...", one image img0);
       "two" = recursive_multiscale (the zoom-in system message, images img1 then img2).
The images go through qwen-vl-utils' fetch_image (smart_resize with factor 28, min 4*28*28, max
16384*28*28, Pillow BICUBIC), re-implemented below from its source (qwen-vl-utils is not installed),
then through transformers' own Qwen2VLImageProcessor.

Run on the GPU machine (transformers, tokenizers, safetensors, torch; CPU fp32 is used):
    python3 tools/goldens/qwen_goldens.py tests/data/goldens/qwen
"""
import inspect
import json
import math
import os
import sys

import numpy as np
import torch
from PIL import Image

torch.manual_seed(20261130)
np.random.seed(20261130)
OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)

import transformers  # noqa: E402
import tokenizers  # noqa: E402
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

print("transformers", transformers.__version__, "tokenizers", tokenizers.__version__, "torch", torch.__version__)

# ------------------------------------------------------------------------------------------ tokenizer
PAT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|"
       r"\s+(?!\S)|\s+")
SYS_ONE = "What is in this image? Give me a set of words."
SYS_TWO = ("The second image is a zoom-in of the first image. Based on this knowledge, what is in the second "
           "image? Give me a set of words.")
CASES = [
    "Hello world", "  leading spaces", "tabs\tand\nnewlines\r\n\n end", "digits 1234567890 and 3.14159",
    "unicode: café naïve Ångström", "decomposed: cafe\u0301 A\u030a", "CJK: 日本語の文章です。", "emoji 😀👍🏽 ok",
    "Korean 한국어 텍스트", "German Straße ÄÖÜ äöü", "I'm, you're, it's, we'll, they'd, I've, don't",
    "UPPER'S CASE'LL 'S", "<|im_start|>user\nhi<|im_end|>\n", "<|image_pad|><|image_pad|>x<|vision_end|>",
    "mixed <tool_call>call</tool_call> text", "   ", "", "a\u00a0b\u3000c", "x  \n  y", "trailing spaces   ",
    "punct!!! ??? ... --- ,,,", "zero\u200bwidth", "\ufb01 ligature", "ohm \u2126 angstrom \u212b",
    "a photo of a cat, fur, whiskers, eye", "123abc456 7 89", "\n\n\n", " \n \n", "don't\n'tis",
    "emoji😀\n😀", "tab\t\tafter", "ends with newline\n", "mixed\r\rcarriage", "ÀÉÎÕÜ àéîõü", "x" * 40,
    SYS_ONE, SYS_TWO,
]
CORPUS = CASES + [
    "The quick brown fox jumps over the lazy dog. " * 3,
    "A set of words: building, window, sky, tree, road, car, person, grass, cloud, light.",
    "zoom, texture, detail, pattern, surface, close-up, fabric, stone, wood, metal, leaf, water",
    "Photographers and artists zoom into images to see every detail of the texture.",
    "日本語 한국어 Deutsch français español 中文 русский",
] * 4

tok = Tokenizer(models.BPE(dropout=None, unk_token=None, fuse_unk=False, byte_fallback=False))
tok.normalizer = normalizers.NFC()
tok.pre_tokenizer = pre_tokenizers.Sequence([
    pre_tokenizers.Split(Regex(PAT), behavior="isolated", invert=False),
    pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False),
])
tok.decoder = decoders.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)
trainer = trainers.BpeTrainer(vocab_size=420, min_frequency=2, show_progress=False,
                              initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), special_tokens=[])
tok.train_from_iterator(CORPUS, trainer)
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>",
            "<|box_start|>", "<|box_end|>", "<|quad_start|>", "<|quad_end|>", "<|vision_start|>", "<|vision_end|>",
            "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>"]
tok.add_special_tokens([AddedToken(s, special=True, normalized=False, lstrip=False, rstrip=False, single_word=False)
                        for s in SPECIALS])
tok.add_tokens([AddedToken(s, special=False, normalized=False) for s in ["<tool_call>", "</tool_call>"]])
tok.save(os.path.join(OUT, "tokenizer.json"))
ID = {s: tok.token_to_id(s) for s in SPECIALS}
n_tokens = tok.get_vocab_size(with_added_tokens=True)
VOCAB = (n_tokens + 63) // 64 * 64  # padded like Qwen's 151936
print("tokenizer: regular", tok.get_vocab_size(with_added_tokens=False), "with added", n_tokens, "model vocab", VOCAB)

CHAT_TEMPLATE = (
    "{% set image_count = namespace(value=0) %}{% set video_count = namespace(value=0) %}{% for message in messages %}"
    "{% if loop.first and message['role'] != 'system' %}<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
    "{% endif %}<|im_start|>{{ message['role'] }}\n{% if message['content'] is string %}{{ message['content'] }}"
    "<|im_end|>\n{% else %}{% for content in message['content'] %}{% if content['type'] == 'image' or 'image' in content"
    " or 'image_url' in content %}{% set image_count.value = image_count.value + 1 %}{% if add_vision_id %}Picture "
    "{{ image_count.value }}: {% endif %}<|vision_start|><|image_pad|><|vision_end|>{% elif content['type'] == 'video'"
    " or 'video' in content %}{% set video_count.value = video_count.value + 1 %}{% if add_vision_id %}Video "
    "{{ video_count.value }}: {% endif %}<|vision_start|><|video_pad|><|vision_end|>{% elif 'text' in content %}"
    "{{ content['text'] }}{% endif %}{% endfor %}<|im_end|>\n{% endif %}{% endfor %}{% if add_generation_prompt %}"
    "<|im_start|>assistant\n{% endif %}")
added_dec = {str(tok.token_to_id(s)): {"content": s, "lstrip": False, "normalized": False, "rstrip": False,
                                       "single_word": False, "special": s in SPECIALS}
             for s in SPECIALS + ["<tool_call>", "</tool_call>"]}
tok_cfg = {"add_bos_token": False, "add_prefix_space": False, "added_tokens_decoder": added_dec,
           "additional_special_tokens": ["<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>",
                                         "<|box_start|>", "<|box_end|>", "<|quad_start|>", "<|quad_end|>",
                                         "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>", "<|image_pad|>",
                                         "<|video_pad|>"],
           "bos_token": None, "chat_template": CHAT_TEMPLATE, "clean_up_tokenization_spaces": False,
           "eos_token": "<|im_end|>", "errors": "replace", "model_max_length": 131072, "pad_token": "<|endoftext|>",
           "split_special_tokens": False, "tokenizer_class": "Qwen2Tokenizer", "unk_token": None}
json.dump(tok_cfg, open(os.path.join(OUT, "tokenizer_config.json"), "w"), indent=2, ensure_ascii=False)

# ------------------------------------------------------------------------------------------- configs
config = {
    "architectures": ["Qwen2_5_VLForConditionalGeneration"], "attention_dropout": 0.0,
    "bos_token_id": ID["<|endoftext|>"], "eos_token_id": ID["<|im_end|>"],
    "vision_start_token_id": ID["<|vision_start|>"], "vision_end_token_id": ID["<|vision_end|>"],
    "vision_token_id": ID["<|vision_pad|>"], "image_token_id": ID["<|image_pad|>"], "video_token_id": ID["<|video_pad|>"],
    "hidden_act": "silu", "hidden_size": 64, "initializer_range": 0.02, "intermediate_size": 96,
    "max_position_embeddings": 4096, "max_window_layers": 2, "model_type": "qwen2_5_vl", "num_attention_heads": 4,
    "num_hidden_layers": 2, "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
    "sliding_window": 4096, "tie_word_embeddings": True, "torch_dtype": "bfloat16", "use_cache": True,
    "use_sliding_window": False, "vocab_size": VOCAB,
    "rope_scaling": {"type": "mrope", "mrope_section": [2, 3, 3]},
    "vision_config": {"depth": 2, "hidden_act": "silu", "hidden_size": 32, "intermediate_size": 48, "num_heads": 2,
                      "in_chans": 3, "out_hidden_size": 64, "patch_size": 14, "spatial_merge_size": 2,
                      "spatial_patch_size": 14, "window_size": 112, "fullatt_block_indexes": [1],
                      "tokens_per_second": 2, "temporal_patch_size": 2},
    "transformers_version": "4.49.0",
}
json.dump(config, open(os.path.join(OUT, "config.json"), "w"), indent=2)
gen_cfg = {"bos_token_id": ID["<|endoftext|>"], "pad_token_id": ID["<|endoftext|>"], "do_sample": True,
           "eos_token_id": [ID["<|im_end|>"], ID["<|endoftext|>"]], "repetition_penalty": 1.05, "temperature": 0.1,
           "top_p": 0.001, "top_k": 1, "transformers_version": "4.49.0"}
json.dump(gen_cfg, open(os.path.join(OUT, "generation_config.json"), "w"), indent=2)
MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]
pre_cfg = {"min_pixels": 3136, "max_pixels": 12845056, "patch_size": 14, "temporal_patch_size": 2, "merge_size": 2,
           "image_mean": MEAN, "image_std": STD, "image_processor_type": "Qwen2VLImageProcessor",
           "processor_class": "Qwen2_5_VLProcessor"}
json.dump(pre_cfg, open(os.path.join(OUT, "preprocessor_config.json"), "w"), indent=2)

# ------------------------------------------------------------------------------------- random model
from transformers import AutoConfig, AutoTokenizer, Qwen2_5_VLForConditionalGeneration  # noqa: E402

cfg = AutoConfig.from_pretrained(OUT)
model = Qwen2_5_VLForConditionalGeneration(cfg).eval()
with torch.no_grad():
    for name, p in model.named_parameters():
        if p.dim() == 1 and ("norm" in name or "ln_q" in name):
            p.copy_(1.0 + 0.2 * torch.randn_like(p))
        elif p.dim() == 1:
            p.copy_(0.1 * torch.randn_like(p))
        elif "embed_tokens" in name:
            p.copy_(0.1 * torch.randn_like(p))  # small: the layers, not the tied embedding, decide the logits
        else:
            fan_in = p[0].numel()
            p.copy_(torch.randn_like(p) / math.sqrt(fan_in))
        p.copy_(p.to(torch.bfloat16).float())  # the file is BF16; the goldens use the same values


def legacy(name):
    if name.startswith("model.visual."):
        return "visual." + name[len("model.visual."):]
    if name.startswith("model.language_model."):
        return "model." + name[len("model.language_model."):]
    return name


sd = {legacy(k): v.to(torch.bfloat16).contiguous() for k, v in model.state_dict().items()}
sd.pop("lm_head.weight", None)  # tied
names = sorted(sd)
half = len(names) // 2
weight_map, total = {}, 0
for i, part in enumerate([names[:half], names[half:]]):
    fn = f"model-0000{i + 1}-of-00002.safetensors"
    save_file({k: sd[k] for k in part}, os.path.join(OUT, fn), metadata={"format": "pt"})
    for k in part:
        weight_map[k] = fn
        total += sd[k].numel() * 2
json.dump({"metadata": {"total_size": total}, "weight_map": weight_map},
          open(os.path.join(OUT, "model.safetensors.index.json"), "w"), indent=2)
print("tensors", len(names), "bytes", total)

model, info = Qwen2_5_VLForConditionalGeneration.from_pretrained(OUT, torch_dtype=torch.float32,
                                                                 output_loading_info=True)
model.eval()
print("loading info", {k: (v if len(v) < 8 else len(v)) for k, v in info.items()})
assert not info["missing_keys"] and not info["unexpected_keys"], info
for k, v in model.state_dict().items():
    lk = legacy(k)
    if lk in sd:
        assert torch.equal(v, sd[lk].float()), k

# --------------------------------------------------------------------------------------- tokenizer goldens
hf_tok = AutoTokenizer.from_pretrained(OUT)
print("tokenizer class", type(hf_tok).__name__)
raw = Tokenizer.from_file(os.path.join(OUT, "tokenizer.json"))
cases = []
for s in CASES:
    ids = hf_tok.encode(s, add_special_tokens=False)
    raw_ids = raw.encode(s, add_special_tokens=False).ids
    if ids != raw_ids:
        print("WARNING: transformers and tokenizers disagree on", repr(s), ids, raw_ids)
    cases.append({"text": s, "ids": ids, "decoded": hf_tok.decode(ids, skip_special_tokens=True,
                                                                 clean_up_tokenization_spaces=False),
                  "decoded_all": hf_tok.decode(ids, skip_special_tokens=False, clean_up_tokenization_spaces=False)})
json.dump(cases, open(os.path.join(OUT, "tokenizer_cases.json"), "w"), indent=1, ensure_ascii=False)

# ------------------------------------------------------------------------------------------- images
def smooth_image(h, w, seed):
    g = np.random.RandomState(seed)
    small = (g.rand(max(2, h // 16), max(2, w // 16), 3) * 255).astype(np.uint8)
    img = Image.fromarray(small).resize((w, h), Image.BICUBIC)
    a = np.asarray(img).astype(np.int16) + g.randint(-6, 7, (h, w, 3))
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def smart_resize(h, w, factor=28, min_pixels=4 * 28 * 28, max_pixels=16384 * 28 * 28):
    hb = max(factor, round(h / factor) * factor)
    wb = max(factor, round(w / factor) * factor)
    if hb * wb > max_pixels:
        beta = math.sqrt((h * w) / max_pixels)
        hb = math.floor(h / beta / factor) * factor
        wb = math.floor(w / beta / factor) * factor
    elif hb * wb < min_pixels:
        beta = math.sqrt(min_pixels / (h * w))
        hb = math.ceil(h * beta / factor) * factor
        wb = math.ceil(w * beta / factor) * factor
    return hb, wb


imgs = [smooth_image(150, 200, 1), smooth_image(256, 300, 2), smooth_image(20, 30, 3)]
for i, im in enumerate(imgs):
    im.save(os.path.join(OUT, f"img{i}.png"))


def fetch(im):
    hb, wb = smart_resize(im.height, im.width)
    return im.resize((wb, hb), Image.BICUBIC)


try:
    from transformers import Qwen2VLImageProcessor as IP
except ImportError:
    from transformers import Qwen2VLImageProcessorFast as IP
improc = IP(**{k: v for k, v in pre_cfg.items() if k not in ("image_processor_type", "processor_class")})
print("image processor", type(improc).__name__)

# ------------------------------------------------------------------------------------------- cases
io = {}
prompts = {}


def vision_features(pv, grid):
    vis = model.model.visual if hasattr(model.model, "visual") else model.visual
    out = vis(pv, grid_thw=grid)
    n = int(grid.prod(-1).sum()) // 4
    cands = [out] if isinstance(out, torch.Tensor) else [v for v in (getattr(out, "pooler_output", None),
                                                                     getattr(out, "last_hidden_state", None))
                                                         if v is not None] + ([*out] if isinstance(out, tuple) else [])
    for c in cands:
        if isinstance(c, torch.Tensor) and c.shape == (n, config["hidden_size"]):
            return c
    raise RuntimeError(f"no vision output of shape {(n, config['hidden_size'])}: {[getattr(c, 'shape', c) for c in cands]}")


for case, system, images in [("one", SYS_ONE, [imgs[0]]), ("two", SYS_TWO, [imgs[1], imgs[2]])]:
    messages = [{"role": "system", "content": system},
                {"role": "user", "content": [{"type": "image", "image": f"img{i}.png"} for i in range(len(images))]}]
    text = hf_tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    resized = [fetch(im) for im in images]
    enc = improc(images=resized, return_tensors="pt")
    pv, grid = enc["pixel_values"], enc["image_grid_thw"]
    expanded = text
    for g in grid:
        expanded = expanded.replace("<|image_pad|>", "<|placeholder|>" * (int(g.prod()) // 4), 1)
    expanded = expanded.replace("<|placeholder|>", "<|image_pad|>")
    input_ids = torch.tensor([hf_tok.encode(expanded, add_special_tokens=False)])
    # transformers 5 derives the M-RoPE positions from mm_token_type_ids (1 on image tokens), which its
    # processor returns; without it every token gets a 1-D position. 4.x derives them from input_ids.
    extra = {}
    if "mm_token_type_ids" in inspect.signature(model.forward).parameters:
        extra["mm_token_type_ids"] = (input_ids == config["image_token_id"]).to(torch.int64)
    with torch.no_grad():
        feats = vision_features(pv, grid)
        logits = model(input_ids=input_ids, attention_mask=torch.ones_like(input_ids), pixel_values=pv,
                       image_grid_thw=grid, **extra).logits[0]
        gen = model.generate(input_ids=input_ids, attention_mask=torch.ones_like(input_ids), pixel_values=pv,
                             image_grid_thw=grid, max_new_tokens=24, **extra)
        new = gen[0, input_ids.shape[1]:].tolist()
        plain = model.generate(input_ids=input_ids, attention_mask=torch.ones_like(input_ids), pixel_values=pv,
                               image_grid_thw=grid, max_new_tokens=24, do_sample=False, repetition_penalty=1.0,
                               top_k=None, top_p=None, temperature=None, **extra)
        new_plain = plain[0, input_ids.shape[1]:].tolist()
    # The M-RoPE position ids, from transformers' own get_rope_index where its signature allows
    # (transformers 5 also wants mm_token_type_ids: 1 on image tokens).
    owner = model.model if hasattr(model.model, "get_rope_index") else model
    mask = torch.ones_like(input_ids)
    try:
        rope = owner.get_rope_index(input_ids, image_grid_thw=grid, video_grid_thw=None, attention_mask=mask)
    except TypeError:
        mm = (input_ids == config["image_token_id"]).to(torch.int64)
        rope = owner.get_rope_index(input_ids, mm_token_type_ids=mm, image_grid_thw=grid, attention_mask=mask)
    positions = rope[0][:, 0, :]
    print(case, "tokens", input_ids.shape[1], "grid", grid.tolist(), "generated", new, "plain", new_plain)
    io[f"{case}.pixel_values"] = pv.float().contiguous()
    io[f"{case}.vision"] = feats.float().contiguous()
    io[f"{case}.logits"] = logits.float().contiguous()
    io[f"{case}.positions"] = positions.to(torch.int64).contiguous()
    prompts[case] = {"system": system, "images": [f"img{i}.png" for i in ([0] if case == "one" else [1, 2])],
                     "resized": [[im.height, im.width] for im in resized], "text": text,
                     "input_ids": input_ids[0].tolist(), "grid_thw": grid.tolist(), "rope_delta": int(rope[1].item()),
                     "generated_ids": new, "generated_text": hf_tok.decode(new, skip_special_tokens=True,
                                                                           clean_up_tokenization_spaces=False),
                     "greedy_ids": new_plain, "max_new_tokens": 24}
save_file(io, os.path.join(OUT, "io.safetensors"))
json.dump(prompts, open(os.path.join(OUT, "prompts.json"), "w"), indent=1, ensure_ascii=False)
for f in sorted(os.listdir(OUT)):
    print(f, os.path.getsize(os.path.join(OUT, f)))
