#!/usr/bin/env python3
"""Tiny random-weight SD3 / OSEDiff goldens from the original Python implementations.

Builds, with diffusers (SD3Transformer2DModel, AutoencoderKL), transformers (CLIPTextModelWithProjection,
T5EncoderModel, CLIPTokenizer, T5TokenizerFast) and the CoZ repository's LoRA code (osediff_sd3.py,
lora/), a complete tiny SD3 pipeline in the real diffusers folder layout, CoZ LoRA files in their real
formats, and reference outputs, for the C++ tests (tests/data/goldens/sd3/).

Run on a machine with torch + transformers + peft + safetensors + sentencepiece, with diffusers' src/
and the CoZ repo on the path:
    PYTHONPATH=.vendor/diffusers/src:.vendor/coz python3 tools/goldens/sd3_goldens.py OUT_DIR
Everything runs on the CPU in float32 (deterministic); weights are stored in the dtypes noted below.
"""
import collections
import inspect
import json
import os
import re
import sys
import types

sys.modules.setdefault("lpips", types.ModuleType("lpips"))  # imported by osediff_sd3, unused at test time

import torch
from safetensors.torch import save_file

torch.manual_seed(1234)
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
OUT = sys.argv[1]
PIPE = os.path.join(OUT, "pipeline")
os.makedirs(PIPE, exist_ok=True)
io = {}  # name -> tensor, written to OUT/io.safetensors


def put(name, t):
    io[name] = t.detach().to("cpu").contiguous()


# ---------------------------------------------------------------------------------------------- corpus
import this  # noqa: F401  (prints the Zen of Python; we read its text below)
zen = "".join(this.d.get(c, c) for c in this.s)
docs = [zen] + [inspect.getdoc(x) or "" for x in (list, dict, str, set, json, re, os.path, collections, inspect)]
docs += ["3D CG rendering, animal, cat, close-up, fur, whisker, eye, green, tabby, stare, pet, nose",
         "a photo of a cat's eye, sharp, detailed, high quality, 4k, macro photography"] * 20
corpus = "\n".join(docs)

# ---------------------------------------------------------------------------------------------- CLIP BPE
from transformers import CLIPTokenizer, T5TokenizerFast


def bytes_to_unicode():  # GPT-2 / CLIP byte-to-unicode table
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


b2u = bytes_to_unicode()
pat = re.compile(r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[a-z]+|[0-9]|[^\sa-z0-9]+""", re.I)
words = collections.Counter()
for w in pat.findall(corpus.lower()):
    chars = tuple(b2u[b] for b in w.encode("utf-8"))
    words[chars[:-1] + (chars[-1] + "</w>",)] += 1
merges = []
for _ in range(420):
    pairs = collections.Counter()
    for w, n in words.items():
        for a, b in zip(w, w[1:]):
            pairs[(a, b)] += n
    if not pairs:
        break
    (a, b), _ = pairs.most_common(1)[0]
    merges.append((a, b))
    new = collections.Counter()
    for w, n in words.items():
        out, i = [], 0
        while i < len(w):
            if i + 1 < len(w) and w[i] == a and w[i + 1] == b:
                out.append(a + b); i += 2
            else:
                out.append(w[i]); i += 1
        new[tuple(out)] += n
    words = new
vocab = list(b2u.values())
vocab += [v + "</w>" for v in vocab]
vocab += ["".join(m) for m in merges]
vocab += ["<|startoftext|>", "<|endoftext|>"]
vocab = list(dict.fromkeys(vocab))
tokdir = os.path.join(OUT, "tok_src")
os.makedirs(tokdir, exist_ok=True)
json.dump({t: i for i, t in enumerate(vocab)}, open(os.path.join(tokdir, "vocab.json"), "w"), ensure_ascii=False)
with open(os.path.join(tokdir, "merges.txt"), "w", encoding="utf-8") as f:
    f.write("#version: 0.2\n" + "\n".join(f"{a} {b}" for a, b in merges) + "\n")
json.dump({"bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>",
           "model_max_length": 77}, open(os.path.join(tokdir, "tokenizer_config.json"), "w"))
tok1 = CLIPTokenizer.from_pretrained(tokdir, pad_token="<|endoftext|>")
tok2 = CLIPTokenizer.from_pretrained(tokdir, pad_token="!")
tok1.save_pretrained(os.path.join(PIPE, "tokenizer"))
tok2.save_pretrained(os.path.join(PIPE, "tokenizer_2"))
# The real SD3 folders hold the slow-tokenizer files too (vocab.json, merges.txt, special_tokens_map.json).
import shutil
for sub, pad in (("tokenizer", "<|endoftext|>"), ("tokenizer_2", "!")):
    for f in ("vocab.json", "merges.txt"):
        shutil.copy(os.path.join(tokdir, f), os.path.join(PIPE, sub, f))
    json.dump({"bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>", "pad_token": pad},
              open(os.path.join(PIPE, sub, "special_tokens_map.json"), "w"))
V_CLIP = len(vocab)
BOS, EOS = vocab.index("<|startoftext|>"), vocab.index("<|endoftext|>")

# ---------------------------------------------------------------------------------------------- T5 SentencePiece
import sentencepiece as spm
with open(os.path.join(tokdir, "corpus.txt"), "w") as f:
    f.write(corpus)
spm.SentencePieceTrainer.train(input=os.path.join(tokdir, "corpus.txt"), model_prefix=os.path.join(tokdir, "spiece"),
                               vocab_size=220, model_type="unigram", pad_id=0, eos_id=1, unk_id=2, bos_id=-1,
                               character_coverage=1.0, byte_fallback=False)
t5dir = os.path.join(tokdir, "t5")
os.makedirs(t5dir, exist_ok=True)
import shutil
shutil.copy(os.path.join(tokdir, "spiece.model"), os.path.join(t5dir, "spiece.model"))
json.dump({"eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>", "extra_ids": 100, "model_max_length": 512},
          open(os.path.join(t5dir, "tokenizer_config.json"), "w"))
tok3 = T5TokenizerFast.from_pretrained(t5dir)
tok3.save_pretrained(os.path.join(PIPE, "tokenizer_3"))
shutil.copy(os.path.join(tokdir, "spiece.model"), os.path.join(PIPE, "tokenizer_3", "spiece.model"))
V_T5 = len(tok3)
print("tokenizers:", type(tok1).__name__, len(tok1), type(tok3).__name__, V_T5, flush=True)

tricky = ["", "a cat", "A Photo of a CAT, sharp!!", "3D CG rendering, animal, cat, close-up", "don't stop-it's  over",
          "  leading and   multiple   spaces\tand\ttabs\nnewline", "café naïve résumé", "東京 タワー 🐱 emoji",
          "numbers 12345 and 3.14159", "x" * 300, " ".join(["word"] * 100) + " end", "prompt, with, commas,",
          "UPPER lower MiXeD", "punctuation... ?! ;:()[]{}", "<|endoftext|> inside text"]
tok_golden = {"strings": tricky, "clip_l": [], "clip_g": [], "t5": [],
              "versions": {"transformers": __import__("transformers").__version__,
                           "tokenizers": __import__("tokenizers").__version__}}
for s in tricky:
    tok_golden["clip_l"].append(tok1(s, padding="max_length", max_length=77, truncation=True).input_ids)
    tok_golden["clip_g"].append(tok2(s, padding="max_length", max_length=77, truncation=True).input_ids)
    tok_golden["t5"].append(tok3(s, padding="max_length", max_length=512, truncation=True, add_special_tokens=True).input_ids)
json.dump(tok_golden, open(os.path.join(OUT, "tokenizers.json"), "w"), ensure_ascii=False)

# ---------------------------------------------------------------------------------------------- text encoders
from transformers import CLIPTextConfig, CLIPTextModelWithProjection, T5Config, T5EncoderModel


def clip(hidden, layers, heads, inter, act, proj):
    cfg = CLIPTextConfig(vocab_size=V_CLIP, hidden_size=hidden, intermediate_size=inter, num_hidden_layers=layers,
                         num_attention_heads=heads, max_position_embeddings=77, hidden_act=act, projection_dim=proj,
                         bos_token_id=BOS, eos_token_id=EOS, pad_token_id=1, layer_norm_eps=1e-5)
    m = CLIPTextModelWithProjection(cfg).eval()
    with torch.no_grad():
        for p in m.parameters():
            p.normal_(0, 0.2)  # larger than the default init so every layer matters
    return m


def save_rounded(model, folder, dtype, **kw):
    """Round weights to `dtype` (as the real fp16 checkpoints are), keep computing in fp32."""
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.to(dtype).float())
    model.to(dtype).save_pretrained(folder, safe_serialization=True, **kw)
    model.float()


te1 = clip(32, 3, 4, 64, "quick_gelu", 32)   # CLIP-L shape family
te2 = clip(48, 3, 4, 96, "gelu", 48)         # CLIP-G shape family
save_rounded(te1, os.path.join(PIPE, "text_encoder"), torch.float16)
save_rounded(te2, os.path.join(PIPE, "text_encoder_2"), torch.bfloat16)
t5cfg = T5Config(vocab_size=V_T5, d_model=96, d_kv=16, d_ff=128, num_layers=2, num_heads=6,
                 relative_attention_num_buckets=32, relative_attention_max_distance=128,
                 feed_forward_proj="gated-gelu", is_encoder_decoder=False, use_cache=False, dropout_rate=0.0)
te3 = T5EncoderModel(t5cfg).eval()
with torch.no_grad():
    for n, p in te3.named_parameters():
        if "layer_norm" in n:
            p.uniform_(0.5, 1.5)
        else:
            p.normal_(0, 0.15)
te3.save_pretrained(os.path.join(PIPE, "text_encoder_3"), safe_serialization=True, max_shard_size="60KB")

with torch.no_grad():
    prompt = tricky[3]
    ids1 = torch.tensor([tok_golden["clip_l"][3]])
    ids2 = torch.tensor([tok_golden["clip_g"][3]])
    ids3 = torch.tensor([tok_golden["t5"][3]])
    o1 = te1(ids1, output_hidden_states=True)
    o2 = te2(ids2, output_hidden_states=True)
    o3 = te3(ids3)
    put("clip_l.ids", ids1); put("clip_l.penultimate", o1.hidden_states[-2]); put("clip_l.last", o1.last_hidden_state)
    put("clip_l.text_embeds", o1.text_embeds)
    put("clip_g.ids", ids2); put("clip_g.penultimate", o2.hidden_states[-2]); put("clip_g.last", o2.last_hidden_state)
    put("clip_g.text_embeds", o2.text_embeds)
    put("t5.ids", ids3); put("t5.last", o3.last_hidden_state)

# ---------------------------------------------------------------------------------------------- transformer + VAE
from diffusers import SD3Transformer2DModel, AutoencoderKL, FlowMatchEulerDiscreteScheduler

tr = SD3Transformer2DModel(sample_size=16, patch_size=2, in_channels=16, num_layers=3, attention_head_dim=8,
                           num_attention_heads=4, joint_attention_dim=96, caption_projection_dim=32,
                           pooled_projection_dim=80, out_channels=16, pos_embed_max_size=24).eval()
with torch.no_grad():
    for n, p in tr.named_parameters():
        if "pos_embed.pos_embed" not in n:
            p.normal_(0, 0.12)
save_rounded(tr, os.path.join(PIPE, "transformer"), torch.float16)
vae = AutoencoderKL(in_channels=3, out_channels=3, down_block_types=["DownEncoderBlock2D"] * 4,
                    up_block_types=["UpDecoderBlock2D"] * 4, block_out_channels=[16, 32, 32, 32], layers_per_block=2,
                    latent_channels=16, norm_num_groups=8, sample_size=64, scaling_factor=1.5305, shift_factor=0.0609,
                    use_quant_conv=False, use_post_quant_conv=False, mid_block_add_attention=True).eval()
with torch.no_grad():
    for n, p in vae.named_parameters():
        if "norm" in n and p.dim() == 1:
            p.uniform_(0.7, 1.3) if n.endswith("weight") else p.normal_(0, 0.1)
        else:
            p.normal_(0, 0.08)
vae.save_pretrained(os.path.join(PIPE, "vae"), safe_serialization=True)
FlowMatchEulerDiscreteScheduler(num_train_timesteps=1000, shift=3.0).save_pretrained(os.path.join(PIPE, "scheduler"))
json.dump({"_class_name": "StableDiffusion3Pipeline", "_diffusers_version": "0.32.1",
           "scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"],
           "text_encoder": ["transformers", "CLIPTextModelWithProjection"],
           "text_encoder_2": ["transformers", "CLIPTextModelWithProjection"],
           "text_encoder_3": ["transformers", "T5EncoderModel"], "tokenizer": ["transformers", "CLIPTokenizer"],
           "tokenizer_2": ["transformers", "CLIPTokenizer"], "tokenizer_3": ["transformers", "T5TokenizerFast"],
           "transformer": ["diffusers", "SD3Transformer2DModel"], "vae": ["diffusers", "AutoencoderKL"]},
          open(os.path.join(PIPE, "model_index.json"), "w"), indent=2)

with torch.no_grad():
    x = torch.rand(1, 3, 64, 64) * 2 - 1
    put("vae.x", x)
    h = vae.encoder(x)
    put("vae.moments", h)
    zl = torch.randn(1, 16, 8, 8)
    put("vae.z", zl); put("vae.decoded", vae.decoder(zl))
    # Transformer alone: 16x16 latent (8x8 tokens), a 20-token context, two timesteps.
    hs = torch.randn(1, 16, 16, 16); ctx = torch.randn(1, 20, 96); pooled = torch.randn(1, 80)
    put("tr.hidden", hs); put("tr.context", ctx); put("tr.pooled", pooled)
    for t in (1000.0, 437.5):
        put(f"tr.out_t{int(t)}", tr(hidden_states=hs, timestep=torch.tensor([t]), encoder_hidden_states=ctx,
                                    pooled_projections=pooled, return_dict=False)[0])

# ---------------------------------------------------------------------------------------------- CoZ LoRA files
import osediff_sd3 as O

tr_lora = SD3Transformer2DModel.from_pretrained(os.path.join(PIPE, "transformer")).float().eval()
O.inject_lora(tr_lora, {"AdaLayerNormZero"}, loras=None, r=4)
loras = []
for _m, _n, child in O._find_modules(tr_lora, {"AdaLayerNormZero"}, search_class=[O.LoraInjectedLinear], exclude_children_of=None):
    up = torch.randn_like(child.lora_up.weight) * 0.1
    down = torch.randn_like(child.lora_down.weight) * 0.3
    loras += [up, down]
os.makedirs(os.path.join(OUT, "lora"), exist_ok=True)
torch.save(loras, os.path.join(OUT, "lora", "model_tiny.pkl"))
n_lora_layers = len(loras) // 2

vae_l = AutoencoderKL.from_pretrained(os.path.join(PIPE, "vae")).eval()
O.inject_lora_vae(vae_l, lora_rank=4)
with torch.no_grad():
    for n, p in vae_l.named_parameters():
        if "lora_B" in n or "lora_A" in n:
            p.normal_(0, 0.05)
torch.save(vae_l.encoder.state_dict(), os.path.join(OUT, "lora", "vae_encoder_tiny.pt"))

# ---------------------------------------------------------------------------------------------- one OSEDiff step
from diffusers.models.autoencoders.vae import DiagonalGaussianDistribution

EPS = torch.randn(1, 16, 8, 8)
put("osediff.eps", EPS)
DiagonalGaussianDistribution.sample = lambda self, generator=None: self.mean + self.std * EPS.to(self.mean)


class TinyBase(O.SD3Euler):
    def __init__(self):  # what StableDiffusion3Base.__init__ builds, from our folder, all fp32 on the CPU
        self.device = torch.device("cpu")
        self.dtype = torch.float32
        self.scheduler = FlowMatchEulerDiscreteScheduler.from_pretrained(os.path.join(PIPE, "scheduler"))
        self.tokenizer_1 = CLIPTokenizer.from_pretrained(os.path.join(PIPE, "tokenizer"))
        self.tokenizer_2 = CLIPTokenizer.from_pretrained(os.path.join(PIPE, "tokenizer_2"))
        self.tokenizer_3 = T5TokenizerFast.from_pretrained(os.path.join(PIPE, "tokenizer_3"))
        self.text_enc_1 = CLIPTextModelWithProjection.from_pretrained(os.path.join(PIPE, "text_encoder")).float().eval()
        self.text_enc_2 = CLIPTextModelWithProjection.from_pretrained(os.path.join(PIPE, "text_encoder_2")).float().eval()
        self.text_enc_3 = T5EncoderModel.from_pretrained(os.path.join(PIPE, "text_encoder_3")).float().eval()
        self.vae = AutoencoderKL.from_pretrained(os.path.join(PIPE, "vae")).float().eval()
        self.transformer = SD3Transformer2DModel.from_pretrained(os.path.join(PIPE, "transformer")).float().eval()
        self.vae_scale_factor = 8


base = TinyBase()
args = types.SimpleNamespace(lora_path=os.path.join(OUT, "lora", "model_tiny.pkl"),
                             vae_path=os.path.join(OUT, "lora", "vae_encoder_tiny.pt"), lora_rank=4)
model = O.OSEDiff_SD3_TEST(args, base)
prompt = "a photo of a cat's eye, sharp"
with torch.no_grad():
    lq = torch.rand(1, 3, 64, 64) * 2 - 1
    put("osediff.lq", lq)
    pe, pp = base.encode_prompt([prompt], 1)
    put("osediff.prompt_embeds", pe); put("osediff.pooled", pp)
    z = base.vae.encode(lq).latent_dist.sample() * base.vae.config.scaling_factor
    put("osediff.z", z)
    out = model(lq, prompt=prompt)
    put("osediff.out", out)
    # The transformer with the merged LoRA, to check the merge on its own.
    base.scheduler.set_timesteps(1)
    put("osediff.v", base.transformer(hidden_states=z, timestep=base.scheduler.timesteps[:1], pooled_projections=pp.float(),
                                      encoder_hidden_states=pe.float(), return_dict=False)[0])
save_file(io, os.path.join(OUT, "io.safetensors"))
json.dump({"prompt": prompt, "n_transformer_lora_layers": n_lora_layers, "clip_prompt": tricky[3],
           "torch": torch.__version__, "transformers": __import__("transformers").__version__,
           "diffusers": __import__("diffusers").__version__},
          open(os.path.join(OUT, "meta.json"), "w"), indent=1)
print("wrote", OUT, "lora layers", n_lora_layers, "clip vocab", V_CLIP, "t5 vocab", V_T5)
