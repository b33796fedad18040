// Follows diffusers 0.40 SD3Transformer2DModel (models/transformers/transformer_sd3.py), PatchEmbed /
// Timesteps / TimestepEmbedding / PixArtAlphaTextProjection (models/embeddings.py),
// JointTransformerBlock / FeedForward (models/attention.py), AdaLayerNormZero / AdaLayerNormContinuous
// (models/normalization.py) and JointAttnProcessor2_0 (models/attention_processor.py).
#include "models/sd3_mmdit.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

#include "compat.h"
#include "coz/error.h"
#include "json_file.h"
#include "models/fused_params.h"
#include "weights/weight_store.h"

namespace coz::models {
namespace fs = std::filesystem;
using json = nlohmann::json;
using torch::Tensor;

namespace {

constexpr double kNormEps = 1e-6;   // every LayerNorm in the model (no affine)
constexpr int64_t kTimeChannels = 256;

Dense linear(int64_t in, int64_t out) { return Dense(in, out); }

Tensor layer_norm(const Tensor& x) { return torch::layer_norm(x, {x.size(-1)}, {}, {}, kNormEps); }

// The chunks of an AdaLayerNorm linear output m [B, k*D], each as [B,1,D] in the activation dtype,
// with every odd-numbered "scale" chunk already turned into (1 + scale). With `half` the linear
// output is rounded to fp16 and 1 + scale is evaluated in fp16 (CoZ's LoRA layers return fp16); the
// values are then promoted to the activation dtype, as PyTorch's type promotion does for fp32.
std::vector<Tensor> modulation(const Tensor& m, int64_t chunks, const std::vector<int>& scale_idx, bool half,
                               torch::Dtype act) {
  const Tensor mm = (half ? m.to(torch::kHalf) : m).unsqueeze(1);
  std::vector<Tensor> ch = mm.chunk(chunks, -1);
  for (int i : scale_idx) ch[i] = ch[i] + 1;
  for (auto& c : ch) c = c.to(act);
  return ch;
}

// LN(x) * (1 + scale) + shift, with the (1 + scale) factor already formed.
Tensor modulate(const Tensor& x, const Tensor& scale1p, const Tensor& shift) {
  return torch::addcmul(shift, layer_norm(x), scale1p);
}

int64_t get_int(const json& j, const char* key, int64_t dflt, const fs::path& p) {
  if (!j.contains(key) || j[key].is_null()) return dflt;
  if (!j[key].is_number_integer())
    throw ModelLoadError(p.string() + ": \"" + key + "\" must be an integer, got " + j[key].dump());
  const int64_t v = j[key].get<int64_t>();
  if (v > kMaxConfigInt)
    throw ModelLoadError(p.string() + ": \"" + key + "\" = " + std::to_string(v) + " is implausibly large (a damaged config?)");
  return v;
}

}  // namespace

namespace {
SD3TransformerConfig parse_config(const json& config, const fs::path& config_json);
}  // namespace

SD3TransformerConfig SD3TransformerConfig::from_json(const fs::path& config_json) {
  return from_json(read_json_file(config_json, "the transformer config"), config_json);  // that overload guards the parse
}

SD3TransformerConfig SD3TransformerConfig::from_json(const json& config, const fs::path& config_json) {
  return guard_model_file(config_json, [&] { return parse_config(config, config_json); });
}

namespace {
SD3TransformerConfig parse_config(const json& config, const fs::path& config_json) {
  json j = config;
  SD3TransformerConfig c;
  const fs::path& p = config_json;
  c.sample_size = get_int(j, "sample_size", c.sample_size, p);
  c.patch_size = get_int(j, "patch_size", c.patch_size, p);
  c.in_channels = get_int(j, "in_channels", c.in_channels, p);
  c.out_channels = get_int(j, "out_channels", c.in_channels, p);  // diffusers: None means in_channels
  c.num_layers = get_int(j, "num_layers", c.num_layers, p);
  c.attention_head_dim = get_int(j, "attention_head_dim", c.attention_head_dim, p);
  c.num_attention_heads = get_int(j, "num_attention_heads", c.num_attention_heads, p);
  c.joint_attention_dim = get_int(j, "joint_attention_dim", c.joint_attention_dim, p);
  c.caption_projection_dim = get_int(j, "caption_projection_dim", c.caption_projection_dim, p);
  c.pooled_projection_dim = get_int(j, "pooled_projection_dim", c.pooled_projection_dim, p);
  if (j.contains("pos_embed_max_size") && j["pos_embed_max_size"].is_null())
    throw ModelLoadError(p.string() + ": pos_embed_max_size is null; only SD3 checkpoints with a stored positional table are supported");
  c.pos_embed_max_size = get_int(j, "pos_embed_max_size", c.pos_embed_max_size, p);
  if (j.contains("dual_attention_layers") && j["dual_attention_layers"].is_array() && !j["dual_attention_layers"].empty())
    throw ModelLoadError(p.string() + ": dual_attention_layers " + j["dual_attention_layers"].dump() +
                         " (SD3.5 MMDiT-X) is not supported; use an SD3.0 medium transformer");
  if (j.contains("qk_norm") && !j["qk_norm"].is_null())
    throw ModelLoadError(p.string() + ": qk_norm " + j["qk_norm"].dump() + " (SD3.5) is not supported; use an SD3.0 medium transformer");
  if (c.caption_projection_dim != c.inner_dim())
    throw ModelLoadError(p.string() + ": caption_projection_dim " + std::to_string(c.caption_projection_dim) +
                         " differs from num_attention_heads*attention_head_dim " + std::to_string(c.inner_dim()));
  if (c.patch_size <= 0 || c.num_layers <= 0 || c.attention_head_dim <= 0 || c.num_attention_heads <= 0 ||
      c.pos_embed_max_size <= 0)
    throw ModelLoadError(p.string() + ": patch_size, num_layers, attention sizes and pos_embed_max_size must be positive");
  return c;
}
}  // namespace

namespace sd3 {

MLPEmbedderImpl::MLPEmbedderImpl(int64_t in, int64_t dim) {
  linear_1 = register_module("linear_1", linear(in, dim));
  linear_2 = register_module("linear_2", linear(dim, dim));
}

Tensor MLPEmbedderImpl::forward(const Tensor& x) { return linear_2->forward(torch::silu(linear_1->forward(x))); }

PatchEmbedImpl::PatchEmbedImpl(int64_t in_channels, int64_t dim, int64_t patch, int64_t max_size)
    : patch_(patch), max_size_(max_size) {
  proj = register_module("proj", torch::nn::Conv2d(torch::nn::Conv2dOptions(in_channels, dim, patch).stride(patch)));
  pos_embed = register_buffer("pos_embed", torch::zeros({1, max_size * max_size, dim}));
}

Tensor PatchEmbedImpl::cropped(int64_t h, int64_t w, const torch::Device& device, torch::Dtype dtype) {
  std::lock_guard<std::mutex> lock(mu_);
  auto key = std::make_tuple(h, w, device.str(), static_cast<int>(dtype), pos_embed.data_ptr());
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  const int64_t top = (max_size_ - h) / 2, left = (max_size_ - w) / 2, dim = pos_embed.size(-1);
  Tensor t = pos_embed.view({1, max_size_, max_size_, dim})
                 .narrow(1, top, h)
                 .narrow(2, left, w)
                 .reshape({1, h * w, dim})
                 .to(device, dtype)
                 .contiguous();
  if (cache_.size() >= 16) cache_.clear();  // tile sizes vary little; keep the cache bounded
  cache_.emplace(key, t);
  return t;
}

void PatchEmbedImpl::clear_cache() {
  std::lock_guard<std::mutex> lock(mu_);
  cache_.clear();
}

Tensor PatchEmbedImpl::forward(const Tensor& x) {
  const int64_t h = x.size(2) / patch_, w = x.size(3) / patch_;
  Tensor tokens = proj->forward(x).flatten(2).transpose(1, 2);  // [B, h*w, D]
  return (tokens + cropped(h, w, x.device(), x.scalar_type())).contiguous();
}

AdaNormImpl::AdaNormImpl(int64_t dim, int64_t chunks) { linear = register_module("linear", coz::models::linear(dim, chunks * dim)); }

GeluProjImpl::GeluProjImpl(int64_t in, int64_t out) { proj = register_module("proj", linear(in, out)); }

Tensor GeluProjImpl::forward(const Tensor& x) { return torch::gelu(proj->forward(x), "tanh"); }

FeedForwardImpl::FeedForwardImpl(int64_t dim) {
  act_ = GeluProj(dim, 4 * dim);
  out_ = linear(4 * dim, dim);
  net->push_back(act_);
  net->push_back(torch::nn::Identity());  // dropout
  net->push_back(out_);
  register_module("net", net);
}

Tensor FeedForwardImpl::forward(const Tensor& x) { return out_->forward(act_->forward(x)); }

JointAttentionImpl::JointAttentionImpl(int64_t dim, int64_t heads, bool context_pre_only)
    : heads_(heads), pre_only_(context_pre_only) {
  to_q = register_module("to_q", linear(dim, dim));
  to_k = register_module("to_k", linear(dim, dim));
  to_v = register_module("to_v", linear(dim, dim));
  add_k_proj = register_module("add_k_proj", linear(dim, dim));
  add_v_proj = register_module("add_v_proj", linear(dim, dim));
  add_q_proj = register_module("add_q_proj", linear(dim, dim));
  out_ = linear(dim, dim);
  to_out->push_back(out_);
  to_out->push_back(torch::nn::Identity());  // dropout
  register_module("to_out", to_out);
  if (!context_pre_only) to_add_out = register_module("to_add_out", linear(dim, dim));
}

void JointAttentionImpl::fuse_qkv(bool on) {
  torch::NoGradGuard ng;
  if (on) {
    w_x_ = fuse_params({to_q->weight, to_k->weight, to_v->weight});
    b_x_ = fuse_params({to_q->bias, to_k->bias, to_v->bias});
    w_c_ = fuse_params({add_q_proj->weight, add_k_proj->weight, add_v_proj->weight});
    b_c_ = fuse_params({add_q_proj->bias, add_k_proj->bias, add_v_proj->bias});
    return;
  }
  unfuse_params({to_q->weight, to_k->weight, to_v->weight}, w_x_);
  unfuse_params({to_q->bias, to_k->bias, to_v->bias}, b_x_);
  unfuse_params({add_q_proj->weight, add_k_proj->weight, add_v_proj->weight}, w_c_);
  unfuse_params({add_q_proj->bias, add_k_proj->bias, add_v_proj->bias}, b_c_);
  w_x_ = b_x_ = w_c_ = b_c_ = Tensor();
}

bool JointAttentionImpl::qkv_fused() const {
  return views_of({to_q->weight, to_k->weight, to_v->weight}, w_x_) && views_of({to_q->bias, to_k->bias, to_v->bias}, b_x_) &&
         views_of({add_q_proj->weight, add_k_proj->weight, add_v_proj->weight}, w_c_) &&
         views_of({add_q_proj->bias, add_k_proj->bias, add_v_proj->bias}, b_c_);
}

std::pair<Tensor, Tensor> JointAttentionImpl::forward(const Tensor& x, const Tensor& c) {
  const int64_t B = x.size(0), N = x.size(1), L = c.size(1), D = x.size(2), hd = D / heads_, T = N + L;
  Tensor qkv_x, qkv_c;  // [B,N,3D], [B,L,3D]
  if (qkv_fused()) {
    qkv_x = torch::linear(x, w_x_, b_x_);
    qkv_c = torch::linear(c, w_c_, b_c_);
  } else {
    qkv_x = torch::cat({to_q->forward(x), to_k->forward(x), to_v->forward(x)}, -1);
    qkv_c = torch::cat({add_q_proj->forward(c), add_k_proj->forward(c), add_v_proj->forward(c)}, -1);
  }
  // Image tokens first, then context: [B,T,3,H,hd] -> [3,B,H,T,hd] (views; last dim stays contiguous).
  const Tensor qkv = torch::cat({qkv_x, qkv_c}, 1).view({B, T, 3, heads_, hd}).permute({2, 0, 3, 1, 4});
  const double scale = 1.0 / std::sqrt(static_cast<double>(hd));
  if (pre_only_) {
    // The context half of the output is discarded, so only image queries are needed (softmax rows
    // are independent: identical to attending with all queries and dropping the context rows).
    const Tensor o = compat::sdpa(qkv[0].narrow(2, 0, N), qkv[1], qkv[2], c10::nullopt, false, scale);
    return {out_->forward(o.transpose(1, 2).reshape({B, N, D})), Tensor()};
  }
  const Tensor o = compat::sdpa(qkv[0], qkv[1], qkv[2], c10::nullopt, false, scale).transpose(1, 2).reshape({B, T, D});
  return {out_->forward(o.narrow(1, 0, N)), to_add_out->forward(o.narrow(1, N, L))};
}

JointTransformerBlockImpl::JointTransformerBlockImpl(int64_t dim, int64_t heads, bool context_pre_only)
    : dim_(dim), pre_only_(context_pre_only) {
  norm1 = register_module("norm1", AdaNorm(dim, 6));
  // Last block: AdaLayerNormContinuous (scale, shift); otherwise AdaLayerNormZero (6 chunks).
  norm1_context = register_module("norm1_context", AdaNorm(dim, context_pre_only ? 2 : 6));
  attn = register_module("attn", JointAttention(dim, heads, context_pre_only));
  ff = register_module("ff", FeedForward(dim));
  if (!context_pre_only) ff_context = register_module("ff_context", FeedForward(dim));
}

std::pair<Tensor, Tensor> JointTransformerBlockImpl::forward(const Tensor& x, const Tensor& c, const Tensor& silu_temb,
                                                             bool half) {
  const auto act = x.scalar_type();
  // shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp
  const auto m = modulation(norm1->forward(silu_temb), 6, {1, 4}, half, act);
  const Tensor xn = modulate(x, m[1], m[0]);
  Tensor cn;
  std::vector<Tensor> mc;
  if (pre_only_) {
    // AdaLayerNormContinuous: scale first, then shift; not LoRA-adapted, so never half.
    mc = modulation(norm1_context->forward(silu_temb), 2, {0}, false, act);
    cn = modulate(c, mc[0], mc[1]);
  } else {
    mc = modulation(norm1_context->forward(silu_temb), 6, {1, 4}, half, act);
    cn = modulate(c, mc[1], mc[0]);
  }
  auto [ax, ac] = attn->forward(xn, cn);
  Tensor xo = torch::addcmul(x, m[2], ax);
  xo = torch::addcmul(xo, m[5], ff->forward(modulate(xo, m[4], m[3])));
  if (pre_only_) return {xo, Tensor()};
  Tensor co = torch::addcmul(c, mc[2], ac);
  co = torch::addcmul(co, mc[5], ff_context->forward(modulate(co, mc[4], mc[3])));
  return {xo, co};
}

TimeTextEmbedImpl::TimeTextEmbedImpl(int64_t dim, int64_t pooled_dim) {
  timestep_embedder = register_module("timestep_embedder", MLPEmbedder(kTimeChannels, dim));
  text_embedder = register_module("text_embedder", MLPEmbedder(pooled_dim, dim));
}

}  // namespace sd3

SD3TransformerImpl::SD3TransformerImpl(const SD3TransformerConfig& cfg) : cfg_(cfg) {
  const int64_t D = cfg.inner_dim();
  pos_embed = register_module("pos_embed", sd3::PatchEmbed(cfg.in_channels, D, cfg.patch_size, cfg.pos_embed_max_size));
  time_text_embed = register_module("time_text_embed", sd3::TimeTextEmbed(D, cfg.pooled_projection_dim));
  context_embedder = register_module("context_embedder", linear(cfg.joint_attention_dim, cfg.caption_projection_dim));
  for (int64_t i = 0; i < cfg.num_layers; ++i) {
    blocks_.push_back(sd3::JointTransformerBlock(D, cfg.num_attention_heads, i == cfg.num_layers - 1));
    transformer_blocks->push_back(blocks_.back());
  }
  register_module("transformer_blocks", transformer_blocks);
  norm_out = register_module("norm_out", sd3::AdaNorm(D, 2));
  proj_out = register_module("proj_out", linear(D, cfg.patch_size * cfg.patch_size * cfg.out_channels));
}

void SD3TransformerImpl::fuse_qkv(bool on) {
  for (auto& blk : blocks_) blk->attn->fuse_qkv(on);
}

void SD3TransformerImpl::clear_caches() {
  pos_embed->clear_cache();
  std::lock_guard<std::mutex> lock(mu_);
  freqs_.clear();
}

// exp(-ln(10000) * k / 128), k = 0..127, computed in fp32 as diffusers' get_timestep_embedding does.
Tensor SD3TransformerImpl::timestep_freqs(const torch::Device& device) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string key = device.str();
  auto it = freqs_.find(key);
  if (it != freqs_.end()) return it->second;
  const int64_t half = kTimeChannels / 2;
  Tensor e = torch::arange(0, half, torch::TensorOptions().dtype(torch::kFloat32)) * (-std::log(10000.0));
  e = torch::exp(e / static_cast<double>(half)).to(device);
  freqs_.emplace(key, e);
  return e;
}

Tensor SD3TransformerImpl::forward(const Tensor& hidden_in, const Tensor& timestep, const Tensor& context_in,
                                   const Tensor& pooled_in) {
  const auto& w = proj_out->weight;
  const auto dev = w.device();
  const auto dt = w.scalar_type();
  const int64_t p = cfg_.patch_size;
  if (hidden_in.dim() != 4 || hidden_in.size(1) != cfg_.in_channels || hidden_in.size(2) % p || hidden_in.size(3) % p)
    throw InvalidInput("SD3 transformer: latent must be [B," + std::to_string(cfg_.in_channels) + ",H,W] with H, W multiples of " +
                       std::to_string(p) + ", got " + weights::shape_str(hidden_in.sizes().vec()));
  const int64_t B = hidden_in.size(0), h = hidden_in.size(2) / p, wd = hidden_in.size(3) / p;
  if (h > cfg_.pos_embed_max_size || wd > cfg_.pos_embed_max_size)
    throw InvalidInput("SD3 transformer: latent " + std::to_string(hidden_in.size(2)) + "x" + std::to_string(hidden_in.size(3)) +
                       " exceeds the positional table (" + std::to_string(cfg_.pos_embed_max_size * p) + " per side); use smaller tiles");
  if (context_in.dim() != 3 || context_in.size(0) != B || context_in.size(2) != cfg_.joint_attention_dim)
    throw InvalidInput("SD3 transformer: context must be [" + std::to_string(B) + ",L," + std::to_string(cfg_.joint_attention_dim) +
                       "], got " + weights::shape_str(context_in.sizes().vec()));
  if (pooled_in.dim() != 2 || pooled_in.size(0) != B || pooled_in.size(1) != cfg_.pooled_projection_dim)
    throw InvalidInput("SD3 transformer: pooled must be [" + std::to_string(B) + "," + std::to_string(cfg_.pooled_projection_dim) +
                       "], got " + weights::shape_str(pooled_in.sizes().vec()));
  if (timestep.numel() != B && timestep.numel() != 1)
    throw InvalidInput("SD3 transformer: timestep must have 1 or " + std::to_string(B) + " values, got " +
                       std::to_string(timestep.numel()));

  const Tensor hidden = hidden_in.to(dev, dt), context = context_in.to(dev, dt), pooled = pooled_in.to(dev, dt);

  // Time + pooled-text embedding: sinusoid [cos, sin] (flip_sin_to_cos, shift 0) of t in fp32.
  const Tensor t = timestep.to(dev, torch::kFloat32).reshape({-1, 1}).expand({B, 1});
  const Tensor arg = t * timestep_freqs(dev).unsqueeze(0);  // [B,128]
  const Tensor t_proj = torch::cat({arg.cos(), arg.sin()}, 1).to(dt);
  const Tensor temb = time_text_embed->timestep_embedder->forward(t_proj) + time_text_embed->text_embedder->forward(pooled);
  const Tensor silu_temb = torch::silu(temb);  // every AdaLayerNorm linear reads SiLU(temb)

  Tensor x = pos_embed->forward(hidden);              // [B, h*w, D]
  Tensor c = context_embedder->forward(context);      // [B, L, D]
  for (auto& blk : blocks_) std::tie(x, c) = blk->forward(x, c, silu_temb, half_modulation_);

  const auto m = modulation(norm_out->forward(silu_temb), 2, {0}, false, x.scalar_type());  // scale, shift
  x = proj_out->forward(modulate(x, m[0], m[1]));      // [B, h*w, p*p*C]
  // Unpatchify: [B,h,w,p,q,C] -> [B,C,h,p,w,q] -> [B,C,H,W].
  return x.view({B, h, wd, p, p, cfg_.out_channels}).permute({0, 5, 1, 3, 2, 4}).reshape({B, cfg_.out_channels, h * p, wd * p});
}

SD3Transformer load_sd3_transformer(const fs::path& folder, const torch::Device& device, torch::Dtype dtype) {
  const SD3TransformerConfig cfg = SD3TransformerConfig::from_json(folder / "config.json");
  torch::NoGradGuard ng;
  SD3Transformer model = [&] {
    DenseOn on(device, dtype);  // the linear layers (nearly all weights) are allocated in place
    return SD3Transformer(cfg);
  }();
  model->eval();
  model->to(device, dtype);  // the rest; then the file's weights are copied straight into place
  const auto store = weights::WeightStore::open(folder);
  // The diffusers SD3Transformer2DModel file holds exactly this module: anything else is another model.
  weights::load_module(*model, store, weights::Unexpected::Error);
  model->fuse_qkv(true);
  for (auto& prm : model->parameters()) prm.set_requires_grad(false);
  return model;
}

}  // namespace coz::models
