#!/usr/bin/env python3
"""Full-size Qwen2.5-VL-3B with random weights through transformers: the reference side of the VLM
side-by-side (the C++ side is coz_qwen_bench). Not a test; run on the GPU machine.

    python3 tools/bench/qwen_full_size.py WORK_DIR [TINY_GOLDENS_DIR]
writes WORK_DIR/qwen/ in the official layout (config.json with the published 3B values,
generation_config.json, preprocessor_config.json, two BF16 shards under the published names with a
tied lm_head, and a tokenizer: the tiny golden tokenizer.json with its added tokens moved to Qwen's
real ids 151643..151658, so the special ids match the 3B config), two 512x512 images
(WORK_DIR/img{0,1}.png and raw .u8 [512,512,3] for the C++ side), then runs CoZ's two-image
recursive-multiscale prompt through transformers' generate (128 new tokens, EOS suppressed with
min_new_tokens so both sides produce all 128) in bf16 and fp32 and writes WORK_DIR/ref.json:
{prompt_tokens, bf16: {ids, ttft_ms, tokens_per_s, peak_gb}, fp32: {...}}.
Time to first token = generate(max_new_tokens=1) (vision + prefill + first token); tokens/s =
127 / (t(128) - t(1)); medians of 3 after a warm-up.
With QWEN_DUMP=DIR it also writes DIR/ref_{bf16,fp32}.pt: the pixel values, the vision features,
output_hidden_states and the raw logits of every step and both rotary inv_freq buffers of one more
generate, for tools/bench/qwen_compare.py against coz_qwen_bench --exact --dump.
"""
import inspect
import json
import math
import os
import sys
import time

import numpy as np
import torch
from PIL import Image
from safetensors.torch import save_file

WORK = sys.argv[1]
TINY = sys.argv[2] if len(sys.argv) > 2 else "tests/data/goldens/qwen"
Q = os.path.join(WORK, "qwen")
os.makedirs(Q, exist_ok=True)
torch.manual_seed(0)
np.random.seed(0)

from transformers import AutoConfig, AutoTokenizer, Qwen2_5_VLForConditionalGeneration  # noqa: E402

try:
    from transformers import Qwen2VLImageProcessor as IP
except ImportError:
    from transformers import Qwen2VLImageProcessorFast as IP

SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>",
            "<|box_start|>", "<|box_end|>", "<|quad_start|>", "<|quad_end|>", "<|vision_start|>", "<|vision_end|>",
            "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>", "<tool_call>", "</tool_call>"]
REAL = {s: 151643 + i for i, s in enumerate(SPECIALS)}

if not os.path.exists(os.path.join(Q, "model.safetensors.index.json")):
    tj = json.load(open(os.path.join(TINY, "tokenizer.json")))
    for t in tj["added_tokens"]:
        t["id"] = REAL[t["content"]]
    json.dump(tj, open(os.path.join(Q, "tokenizer.json"), "w"), ensure_ascii=False)
    tc = json.load(open(os.path.join(TINY, "tokenizer_config.json")))
    tc["added_tokens_decoder"] = {str(REAL[v["content"]]): v for v in tc["added_tokens_decoder"].values()}
    json.dump(tc, open(os.path.join(Q, "tokenizer_config.json"), "w"), ensure_ascii=False, indent=1)
    for f in ("preprocessor_config.json",):
        open(os.path.join(Q, f), "w").write(open(os.path.join(TINY, f)).read())
    config = {
        "architectures": ["Qwen2_5_VLForConditionalGeneration"], "attention_dropout": 0.0, "bos_token_id": 151643,
        "eos_token_id": 151645, "vision_start_token_id": 151652, "vision_end_token_id": 151653,
        "vision_token_id": 151654, "image_token_id": 151655, "video_token_id": 151656, "hidden_act": "silu",
        "hidden_size": 2048, "initializer_range": 0.02, "intermediate_size": 11008, "max_position_embeddings": 128000,
        "max_window_layers": 70, "model_type": "qwen2_5_vl", "num_attention_heads": 16, "num_hidden_layers": 36,
        "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 32768,
        "tie_word_embeddings": True, "torch_dtype": "bfloat16", "transformers_version": "4.49.0", "use_cache": True,
        "use_sliding_window": False, "vocab_size": 151936,
        "rope_scaling": {"type": "mrope", "mrope_section": [16, 24, 24]},
        "vision_config": {"depth": 32, "hidden_act": "silu", "hidden_size": 1280, "intermediate_size": 3420,
                          "num_heads": 16, "in_chans": 3, "out_hidden_size": 2048, "patch_size": 14,
                          "spatial_merge_size": 2, "spatial_patch_size": 14, "window_size": 112,
                          "fullatt_block_indexes": [7, 15, 23, 31], "tokens_per_second": 2, "temporal_patch_size": 2},
    }
    json.dump(config, open(os.path.join(Q, "config.json"), "w"), indent=1)
    json.dump({"bos_token_id": 151643, "pad_token_id": 151643, "do_sample": True, "eos_token_id": [151645, 151643],
               "repetition_penalty": 1.05, "temperature": 0.1, "top_p": 0.001, "top_k": 1,
               "transformers_version": "4.49.0"}, open(os.path.join(Q, "generation_config.json"), "w"), indent=1)
    cfg = AutoConfig.from_pretrained(Q)
    with torch.device("cuda"):
        model = Qwen2_5_VLForConditionalGeneration(cfg).to(torch.bfloat16)

    def legacy(name):
        if name.startswith("model.visual."):
            return "visual." + name[len("model.visual."):]
        if name.startswith("model.language_model."):
            return "model." + name[len("model.language_model."):]
        return name

    sd = {legacy(k): v.contiguous() for k, v in model.state_dict().items()}
    sd.pop("lm_head.weight", None)
    names = sorted(sd)
    half = len(names) // 2
    wm = {}
    for i, part in enumerate([names[:half], names[half:]]):
        fn = f"model-0000{i + 1}-of-00002.safetensors"
        save_file({k: sd[k].cpu() for k in part}, os.path.join(Q, fn), metadata={"format": "pt"})
        wm.update({k: fn for k in part})
    json.dump({"metadata": {"total_size": sum(v.numel() * 2 for v in sd.values())}, "weight_map": wm},
              open(os.path.join(Q, "model.safetensors.index.json"), "w"))
    del model, sd
    torch.cuda.empty_cache()


def smooth_image(h, w, seed):
    g = np.random.RandomState(seed)
    small = (g.rand(h // 32, w // 32, 3) * 255).astype(np.uint8)
    a = np.asarray(Image.fromarray(small).resize((w, h), Image.BICUBIC)).astype(np.int16) + g.randint(-8, 9, (h, w, 3))
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


imgs = [smooth_image(512, 512, 10), smooth_image(512, 512, 11)]
for i, im in enumerate(imgs):
    im.save(os.path.join(WORK, f"img{i}.png"))
    np.asarray(im).tofile(os.path.join(WORK, f"img{i}.u8"))

SYS = ("The second image is a zoom-in of the first image. Based on this knowledge, what is in the second image? "
       "Give me a set of words.")
tok = AutoTokenizer.from_pretrained(TINY)
messages = [{"role": "system", "content": SYS},
            {"role": "user", "content": [{"type": "image", "image": "a"}, {"type": "image", "image": "b"}]}]
text = tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
resized = [im.resize((504, 504), Image.BICUBIC) for im in imgs]  # qwen-vl-utils: smart_resize(512) = 504
pre = json.load(open(os.path.join(Q, "preprocessor_config.json")))
improc = IP(**{k: v for k, v in pre.items() if k not in ("image_processor_type", "processor_class")})
enc = improc(images=resized, return_tensors="pt")
for g in enc["image_grid_thw"]:
    text = text.replace("<|image_pad|>", "<|placeholder|>" * (int(g.prod()) // 4), 1)
text = text.replace("<|placeholder|>", "<|image_pad|>")
# The tiny tokenizer with its own ids, mapped to Qwen's real special ids (transformers' tokenizer does
# not keep added-token ids outside its vocabulary; the C++ side reads the remapped file as it is).
tiny_tok = AutoTokenizer.from_pretrained(TINY)
to_real = {tiny_tok.convert_tokens_to_ids(s): REAL[s] for s in SPECIALS}
ids = torch.tensor([[to_real.get(i, i) for i in tiny_tok.encode(text, add_special_tokens=False)]], device="cuda")
print("prompt tokens", ids.shape[1], flush=True)
result = {"prompt_tokens": ids.shape[1], "prompt_ids": ids[0].tolist()}

def common_prefix(a, b):
    """How many ids two sequences share before the first difference."""
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


# QWEN_REF_RUNS=0: only the folder and images (for the chain benchmark); QWEN_REF_DTYPES=bf16: one precision.
wanted = os.environ.get("QWEN_REF_DTYPES", "bf16,fp32").split(",") if os.environ.get("QWEN_REF_RUNS", "1") != "0" else []
for name, dtype in ((n, d) for n, d in (("bf16", torch.bfloat16), ("fp32", torch.float32)) if n in wanted):
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    if os.environ.get("QWEN_NO_CUDNN_SDP") == "1":  # cuDNN's attention is not reproducible run to run
        torch.backends.cuda.enable_cudnn_sdp(False)
    if dtype == torch.bfloat16:
        import transformers
        print("torch", torch.__version__, "transformers", transformers.__version__, "image processor",
              type(improc).__name__, flush=True)
    model = Qwen2_5_VLForConditionalGeneration.from_pretrained(Q, torch_dtype=dtype, device_map="cuda").eval()
    pv = enc["pixel_values"].to("cuda")
    grid = enc["image_grid_thw"].to("cuda")

    extra = {}
    if "mm_token_type_ids" in inspect.signature(model.forward).parameters:  # transformers 5 (see qwen_goldens.py)
        extra["mm_token_type_ids"] = (ids == 151655).to(torch.int64)

    def run(n):
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        with torch.no_grad():
            out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), pixel_values=pv,
                                 image_grid_thw=grid, max_new_tokens=n, min_new_tokens=n, **extra)
        torch.cuda.synchronize()
        return (time.perf_counter() - t0) * 1e3, out[0, ids.shape[1]:].tolist()

    run(4)
    if os.environ.get("QWEN_DUMP"):
        inner = getattr(model, "model", model)
        visual = getattr(inner, "visual", None) or model.visual
        lm = getattr(inner, "language_model", inner)
        feats = {}

        def keep(mod, inp, out):  # transformers 5 returns an output object (merged features = pooler_output)
            t = out if torch.is_tensor(out) else getattr(out, "pooler_output", None)
            feats.setdefault("vision", (t if t is not None else out[0]).detach().cpu())

        hook = visual.register_forward_hook(keep)
        # Per decode step (prefill = step 0): the rotary tables and each layer's attention and MLP
        # outputs, for qwen_compare.py to say which part of a layer first parts.
        step = [-1]

        def rotary(mod, inp, out):
            step[0] += 1
            if step[0] > 0:
                feats[f"cos.{step[0]}"], feats[f"sin.{step[0]}"] = out[0].detach().cpu(), out[1].detach().cpu()

        def part(kind, i):
            def f(mod, inp, out):
                if step[0] > 0:
                    feats[f"{kind}.{step[0]}.{i}"] = (out if torch.is_tensor(out) else out[0]).detach().cpu()
            return f

        hooks = [lm.rotary_emb.register_forward_hook(rotary)]
        for i, layer in enumerate(lm.layers):
            hooks.append(layer.self_attn.register_forward_hook(part("attn", i)))
            hooks.append(layer.mlp.register_forward_hook(part("mlp", i)))
        with torch.no_grad():
            g = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), pixel_values=pv, image_grid_thw=grid,
                               max_new_tokens=128, min_new_tokens=128, output_hidden_states=True, output_logits=True,
                               return_dict_in_generate=True, **extra)
        hook.remove()
        for h_ in hooks:
            h_.remove()
        cache = g.past_key_values
        for i in range(len(lm.layers)):
            if hasattr(cache, "layers"):  # transformers 5's DynamicCache
                feats[f"k.{i}"], feats[f"v.{i}"] = cache.layers[i].keys.cpu(), cache.layers[i].values.cpu()
            else:
                feats[f"k.{i}"], feats[f"v.{i}"] = cache.key_cache[i].cpu(), cache.value_cache[i].cpu()
        dump = {"pixel_values": pv.cpu(), "vision": feats.get("vision"),
                "ids": g.sequences[0, ids.shape[1]:].cpu(),
                "logits": torch.stack([x[0].float().cpu() for x in g.logits]),
                "v_inv_freq": visual.rotary_pos_emb.inv_freq.cpu(), "t_inv_freq": lm.rotary_emb.inv_freq.cpu()}
        dump.update({k: v for k, v in feats.items() if k != "vision"})
        for s_, hs in enumerate(g.hidden_states):
            for j, h in enumerate(hs):
                dump[f"h.{s_}.{j}"] = h[0].cpu()
        os.makedirs(os.environ["QWEN_DUMP"], exist_ok=True)
        torch.save(dump, os.path.join(os.environ["QWEN_DUMP"], f"ref_{name}.pt"))
        print(name, "dumped", len(dump), "tensors", flush=True)
        dump_ids = dump["ids"].tolist()
    torch.cuda.reset_peak_memory_stats()
    t1 = sorted(run(1)[0] for _ in range(3))[1]
    runs = [run(128) for _ in range(3)]
    t128 = sorted(r[0] for r in runs)[1]
    new = runs[0][1]
    result[name] = {"ids": new, "ttft_ms": t1, "tokens_per_s": 127 / ((t128 - t1) / 1e3),
                    "peak_gb": torch.cuda.max_memory_allocated() / 2**30}
    print(name, {k: v for k, v in result[name].items() if k != "ids"}, "first ids", new[:12], flush=True)
    agree = [common_prefix(r[1], new) for r in runs[1:]]
    print(name, f"timed runs 2 and 3 vs run 1: {agree} ids equal before the first difference", flush=True)
    if os.environ.get("QWEN_DUMP"):  # is transformers itself the same from run to run?
        print(name, f"dumped run vs timed run: {common_prefix(dump_ids, new)} of {len(new)} ids equal before the first "
              "difference", flush=True)
    del model
    torch.cuda.empty_cache()
json.dump(result, open(os.path.join(WORK, "ref.json"), "w"))
