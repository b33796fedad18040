#!/usr/bin/env python3
"""Real-size OSEDiff-SD3 side by side: writes a full-size SD3-medium with random weights in the
diffusers layout (fp16 files, as released) plus CoZ LoRA files of the real shapes, runs the CoZ
reference step (OSEDiff_SD3_TEST, diffusers + transformers) on a fixed input and noise, and leaves
lq.f32 / eps.f32 / ref_out.f32 for build-gpu/tools/bench/coz_sd3_bench to run the same step.

    PYTHONPATH=.vendor/diffusers/src:.vendor/coz python3 tools/bench/sd3_real_size.py WORK_DIR
    python3 tools/bench/sd3_real_size.py --psnr WORK_DIR/ref_out.f32 WORK_DIR/ours_fp32.f32
Tokenizers: the tiny ones from tests/data/goldens/sd3/pipeline (their ids are valid in the real vocabularies).
"""
import json, os, shutil, statistics, sys, time, types

import torch

if sys.argv[1] == "--psnr":
    import numpy as np
    a = np.fromfile(sys.argv[2], dtype="<f4"); b = np.fromfile(sys.argv[3], dtype="<f4")
    a = np.clip(a, -1, 1) * 0.5 + 0.5; b = np.clip(b, -1, 1) * 0.5 + 0.5
    mse = float(((a - b) ** 2).mean())
    print(json.dumps({"psnr_db": 10 * np.log10(1 / mse) if mse > 0 else 999, "max_abs": float(abs(a - b).max())}))
    sys.exit(0)

sys.modules.setdefault("lpips", types.ModuleType("lpips"))
W = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
tiny = os.path.join(here, "..", "..", "tests", "data", "goldens", "sd3", "pipeline")
P = os.path.join(W, "sd3")
dev = torch.device("cuda")
torch.manual_seed(0)
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
from diffusers import SD3Transformer2DModel, AutoencoderKL, FlowMatchEulerDiscreteScheduler
from transformers import CLIPTextConfig, CLIPTextModelWithProjection, T5Config, T5EncoderModel, CLIPTokenizer, T5TokenizerFast
import osediff_sd3 as O

t0 = time.time()
if not os.path.exists(os.path.join(P, "model_index.json")):
    os.makedirs(P, exist_ok=True)
    for sub in ("tokenizer", "tokenizer_2", "tokenizer_3", "scheduler"):
        shutil.copytree(os.path.join(tiny, sub), os.path.join(P, sub), dirs_exist_ok=True)
    shutil.copy(os.path.join(tiny, "model_index.json"), P)
    with torch.device("cuda"):
        def save(m, sub, **kw):
            m.to(torch.float16).save_pretrained(os.path.join(P, sub), safe_serialization=True, **kw)
        save(SD3Transformer2DModel(sample_size=128, patch_size=2, in_channels=16, num_layers=24, attention_head_dim=64,
             num_attention_heads=24, joint_attention_dim=4096, caption_projection_dim=1536, pooled_projection_dim=2048,
             out_channels=16, pos_embed_max_size=192), "transformer")
        save(AutoencoderKL(in_channels=3, out_channels=3, down_block_types=["DownEncoderBlock2D"] * 4,
             up_block_types=["UpDecoderBlock2D"] * 4, block_out_channels=[128, 256, 512, 512], layers_per_block=2,
             latent_channels=16, norm_num_groups=32, sample_size=1024, scaling_factor=1.5305, shift_factor=0.0609,
             use_quant_conv=False, use_post_quant_conv=False), "vae")
        save(CLIPTextModelWithProjection(CLIPTextConfig(vocab_size=49408, hidden_size=768, intermediate_size=3072,
             num_hidden_layers=12, num_attention_heads=12, max_position_embeddings=77, hidden_act="quick_gelu",
             projection_dim=768, eos_token_id=933, bos_token_id=932)), "text_encoder")
        save(CLIPTextModelWithProjection(CLIPTextConfig(vocab_size=49408, hidden_size=1280, intermediate_size=5120,
             num_hidden_layers=32, num_attention_heads=20, max_position_embeddings=77, hidden_act="gelu",
             projection_dim=1280, eos_token_id=933, bos_token_id=932)), "text_encoder_2")
        save(T5EncoderModel(T5Config(vocab_size=32128, d_model=4096, d_kv=64, d_ff=10240, num_layers=24, num_heads=64,
             relative_attention_num_buckets=32, relative_attention_max_distance=128, feed_forward_proj="gated-gelu",
             is_encoder_decoder=False, use_cache=False)), "text_encoder_3", max_shard_size="5GB")
    torch.cuda.empty_cache()
print(f"weights ready in {time.time() - t0:.0f} s", flush=True)


class Base(O.SD3Euler):  # StableDiffusion3Base.__init__ from our folder, as the reference holds it
    def __init__(self):
        self.device = dev; self.dtype = torch.float16
        self.scheduler = FlowMatchEulerDiscreteScheduler.from_pretrained(os.path.join(P, "scheduler"))
        self.tokenizer_1 = CLIPTokenizer.from_pretrained(os.path.join(P, "tokenizer"))
        self.tokenizer_2 = CLIPTokenizer.from_pretrained(os.path.join(P, "tokenizer_2"))
        self.tokenizer_3 = T5TokenizerFast.from_pretrained(os.path.join(P, "tokenizer_3"))
        self.text_enc_1 = CLIPTextModelWithProjection.from_pretrained(os.path.join(P, "text_encoder"), torch_dtype=torch.float16).to(dev)
        self.text_enc_2 = CLIPTextModelWithProjection.from_pretrained(os.path.join(P, "text_encoder_2"), torch_dtype=torch.float16).to(dev)
        self.text_enc_3 = T5EncoderModel.from_pretrained(os.path.join(P, "text_encoder_3"), torch_dtype=torch.float16).to(dev)
        self.vae = AutoencoderKL.from_pretrained(os.path.join(P, "vae"), torch_dtype=torch.float16).to(dev).float()
        self.transformer = SD3Transformer2DModel.from_pretrained(os.path.join(P, "transformer"), torch_dtype=torch.float16).to(dev).float()
        self.vae_scale_factor = 8


base = Base()
lora_dir = os.path.join(W, "lora")
os.makedirs(lora_dir, exist_ok=True)
if not os.path.exists(os.path.join(lora_dir, "model.pkl")):
    tr_l = SD3Transformer2DModel.from_pretrained(os.path.join(P, "transformer"), torch_dtype=torch.float16).float()
    O.inject_lora(tr_l, {"AdaLayerNormZero"}, loras=None, r=4)
    loras = []
    for _m, _n, c in O._find_modules(tr_l, {"AdaLayerNormZero"}, search_class=[O.LoraInjectedLinear], exclude_children_of=None):
        loras += [torch.randn_like(c.lora_up.weight) * 0.01, torch.randn_like(c.lora_down.weight) * 0.1]
    torch.save(loras, os.path.join(lora_dir, "model.pkl"))
    vae_l = AutoencoderKL.from_pretrained(os.path.join(P, "vae"))
    O.inject_lora_vae(vae_l, lora_rank=4)
    with torch.no_grad():
        for n, p in vae_l.named_parameters():
            if "lora_B" in n:
                p.normal_(0, 0.01)
    torch.save(vae_l.encoder.state_dict(), os.path.join(lora_dir, "vae_encoder.pt"))
    del tr_l, vae_l

from diffusers.models.autoencoders.vae import DiagonalGaussianDistribution
g = torch.Generator().manual_seed(7)
lq = (torch.rand(1, 3, 512, 512, generator=g) * 2 - 1)
eps = torch.randn(1, 16, 64, 64, generator=g)
lq.numpy().astype("<f4").tofile(os.path.join(W, "lq.f32"))
eps.numpy().astype("<f4").tofile(os.path.join(W, "eps.f32"))
EPS = eps.to(dev)
DiagonalGaussianDistribution.sample = lambda self, generator=None: self.mean + self.std * EPS.to(self.mean)

args = types.SimpleNamespace(lora_path=os.path.join(lora_dir, "model.pkl"), vae_path=os.path.join(lora_dir, "vae_encoder.pt"), lora_rank=4)
model = O.OSEDiff_SD3_TEST(args, base)
x = lq.to(dev)


def timeit(f, n=5, warm=2):
    for _ in range(warm): f()
    torch.cuda.synchronize(); ts = []
    for _ in range(n):
        t = time.perf_counter(); f(); torch.cuda.synchronize(); ts.append(time.perf_counter() - t)
    return 1e3 * statistics.median(ts)


res = {"torch": torch.__version__}
with torch.no_grad():
    out = model(x, prompt="a cat")
    out.float().cpu().numpy().astype("<f4").tofile(os.path.join(W, "ref_out.f32"))
    torch.cuda.reset_peak_memory_stats()
    res["ref_step_ms"] = timeit(lambda: model(x, prompt="a cat"))
    res["ref_peak_GB"] = torch.cuda.max_memory_allocated() / 2**30
print(json.dumps(res), flush=True)
