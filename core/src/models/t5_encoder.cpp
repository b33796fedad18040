// Follows transformers' models/t5/modeling_t5.py (T5EncoderModel → T5Stack → T5Block: T5LayerSelfAttention
// + T5LayerFF; T5Attention._relative_position_bucket; T5LayerNorm; T5DenseGatedActDense with
// NewGELUActivation) for the encoder path SD3 uses (no attention mask, no dropout, no cache).
#include "models/t5_encoder.h"

#include "models/fused_params.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

#include "compat.h"
#include "coz/error.h"
#include "json_file.h"
#include "weights/weight_store.h"

namespace coz::models {
namespace fs = std::filesystem;
using json = nlohmann::json;

// ---------------------------------------------------------------------------------------------- config

namespace {
T5Config parse_config(const json& config, const fs::path& config_json);
}  // namespace

T5Config T5Config::from_json(const fs::path& config_json) {
  return from_json(read_json_file(config_json, "the T5 config"), config_json);  // that overload guards the parse
}

T5Config T5Config::from_json(const json& config, const fs::path& config_json) {
  return guard_model_file(config_json, [&] { return parse_config(config, config_json); });
}

namespace {
T5Config parse_config(const json& config, const fs::path& config_json) {
  json j = config;
  T5Config c;
  auto get_int = [&](const char* key, int64_t& dst) { read_positive_int(j, key, dst, config_json); };
  get_int("vocab_size", c.vocab_size);
  get_int("d_model", c.d_model);
  get_int("d_kv", c.d_kv);
  get_int("d_ff", c.d_ff);
  get_int("num_layers", c.num_layers);
  get_int("num_heads", c.num_heads);
  get_int("relative_attention_num_buckets", c.relative_attention_num_buckets);
  get_int("relative_attention_max_distance", c.relative_attention_max_distance);
  if (j.contains("layer_norm_epsilon")) {
    if (!j["layer_norm_epsilon"].is_number() || j["layer_norm_epsilon"].get<double>() <= 0)
      throw ModelLoadError(config_json.string() + ": layer_norm_epsilon = " + j["layer_norm_epsilon"].dump() +
                           " is not a positive number");
    c.layer_norm_epsilon = j["layer_norm_epsilon"].get<double>();
  }
  if (j.contains("feed_forward_proj")) {
    if (!j["feed_forward_proj"].is_string())
      throw ModelLoadError(config_json.string() + ": feed_forward_proj = " + j["feed_forward_proj"].dump() + " is not a string");
    c.feed_forward_proj = j["feed_forward_proj"].get<std::string>();
  }
  static const char* known[] = {"gated-gelu", "gated-relu", "gated-silu", "gated-gelu_new", "relu", "gelu", "silu", "gelu_new"};
  if (std::find(std::begin(known), std::end(known), c.feed_forward_proj) == std::end(known))
    throw ModelLoadError(config_json.string() + ": feed_forward_proj = \"" + c.feed_forward_proj +
                         "\" is not supported (expected gated-gelu, gated-relu, gated-silu, relu, gelu or silu)");
  if (c.relative_attention_num_buckets < 4)
    throw ModelLoadError(config_json.string() + ": relative_attention_num_buckets = " +
                         std::to_string(c.relative_attention_num_buckets) + " is too small (need at least 4)");
  return c;
}
}  // namespace

// ---------------------------------------------------------------------------------------------- pieces

T5LinearImpl::T5LinearImpl(int64_t in, int64_t out, const torch::TensorOptions& opts) {
  weight = register_parameter("weight", torch::empty({out, in}, opts), false);
}

torch::Tensor T5LinearImpl::forward(const torch::Tensor& x) { return torch::linear(x, weight); }

T5EmbeddingImpl::T5EmbeddingImpl(int64_t num, int64_t dim, const torch::TensorOptions& opts) {
  weight = register_parameter("weight", torch::empty({num, dim}, opts), false);
}

torch::Tensor T5EmbeddingImpl::forward(const torch::Tensor& ids) { return torch::embedding(weight, ids); }

T5LayerNormImpl::T5LayerNormImpl(int64_t dim, double eps_, const torch::TensorOptions& opts) : eps(eps_) {
  weight = register_parameter("weight", torch::ones({dim}, opts), false);
}

torch::Tensor T5LayerNormImpl::forward(const torch::Tensor& x) {
  const auto var = x.to(torch::kFloat32).pow(2).mean(-1, /*keepdim=*/true);
  auto h = x * torch::rsqrt(var + eps);  // promoted to fp32
  if (weight.scalar_type() == torch::kHalf || weight.scalar_type() == torch::kBFloat16) h = h.to(weight.scalar_type());
  return weight * h;
}

T5AttentionImpl::T5AttentionImpl(const T5Config& c, bool has_bias, const torch::TensorOptions& opts)
    : num_heads(c.num_heads), d_kv(c.d_kv) {
  const int64_t inner = c.num_heads * c.d_kv;
  q = register_module("q", T5Linear(c.d_model, inner, opts));
  k = register_module("k", T5Linear(c.d_model, inner, opts));
  v = register_module("v", T5Linear(c.d_model, inner, opts));
  o = register_module("o", T5Linear(inner, c.d_model, opts));
  if (has_bias)
    relative_attention_bias =
        register_module("relative_attention_bias", T5Embedding(c.relative_attention_num_buckets, c.num_heads, opts));
}

torch::Tensor T5AttentionImpl::forward(const torch::Tensor& h, const torch::Tensor& position_bias) {
  const int64_t B = h.size(0), S = h.size(1);
  auto heads = [&](const torch::Tensor& t) { return t.view({B, S, num_heads, d_kv}).transpose(1, 2); };
  // T5 folds the 1/sqrt(d) scaling into the initialisation: the logits are q·kᵀ + bias, unscaled.
  torch::Tensor a;
  if (views_of({q->weight, k->weight, v->weight}, w_qkv)) {
    const auto qkv = torch::linear(h, w_qkv).view({B, S, 3, num_heads, d_kv}).permute({2, 0, 3, 1, 4});
    a = compat::sdpa(qkv[0], qkv[1], qkv[2], position_bias, /*causal=*/false, /*scale=*/1.0);
  } else {
    a = compat::sdpa(heads(q(h)), heads(k(h)), heads(v(h)), position_bias, /*causal=*/false, /*scale=*/1.0);
  }
  return o(a.transpose(1, 2).reshape({B, S, num_heads * d_kv}));  // [B,S,D]
}

T5LayerSelfAttentionImpl::T5LayerSelfAttentionImpl(const T5Config& c, bool has_bias, const torch::TensorOptions& opts) {
  SelfAttention = register_module("SelfAttention", T5Attention(c, has_bias, opts));
  layer_norm = register_module("layer_norm", T5LayerNorm(c.d_model, c.layer_norm_epsilon, opts));
}

torch::Tensor T5LayerSelfAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& position_bias) {
  return x + SelfAttention(layer_norm(x), position_bias);
}

T5DenseActDenseImpl::T5DenseActDenseImpl(const T5Config& c, const torch::TensorOptions& opts,
                                         const torch::TensorOptions& wo_opts) {
  const std::string& p = c.feed_forward_proj;
  act = c.gated() ? p.substr(6) : p;
  if (p == "gated-gelu") act = "gelu_new";  // transformers' special case for T5 v1.1
  if (c.gated()) {
    wi_0 = register_module("wi_0", T5Linear(c.d_model, c.d_ff, opts));
    wi_1 = register_module("wi_1", T5Linear(c.d_model, c.d_ff, opts));
  } else {
    wi = register_module("wi", T5Linear(c.d_model, c.d_ff, opts));
  }
  wo = register_module("wo", T5Linear(c.d_ff, c.d_model, wo_opts));
}

torch::Tensor T5DenseActDenseImpl::forward(const torch::Tensor& h) {
  auto activate = [&](const torch::Tensor& t) {
    if (act == "gelu_new") return torch::gelu(t, "tanh");  // 0.5·x·(1+tanh(√(2/π)(x+0.044715x³)))
    if (act == "gelu") return torch::gelu(t);
    if (act == "silu") return torch::silu(t);
    return torch::relu(t);
  };
  torch::Tensor g;
  if (wi_0 && views_of({wi_0->weight, wi_1->weight}, w_i)) {
    const auto both = torch::linear(h, w_i).chunk(2, -1);
    g = activate(both[0]) * both[1];
  } else {
    g = wi_0 ? activate(wi_0(h)) * wi_1(h) : activate(wi(h));
  }
  return wo(g.to(wo->weight.scalar_type()));
}

T5LayerFFImpl::T5LayerFFImpl(const T5Config& c, const torch::TensorOptions& opts, const torch::TensorOptions& wo_opts) {
  DenseReluDense = register_module("DenseReluDense", T5DenseActDense(c, opts, wo_opts));
  layer_norm = register_module("layer_norm", T5LayerNorm(c.d_model, c.layer_norm_epsilon, opts));
}

torch::Tensor T5LayerFFImpl::forward(const torch::Tensor& x) { return x + DenseReluDense(layer_norm(x)); }

namespace {
// transformers clamps fp16 hidden states after each sublayer (only matters before the residual
// stream has been promoted to fp32 by the fp32 `wo`).
torch::Tensor clamp_fp16(const torch::Tensor& x) {
  if (x.scalar_type() != torch::kHalf) return x;
  const double fmax = 65504.0;
  auto limit = torch::where(x.isinf().any(), torch::scalar_tensor(fmax - 1000, x.options()),
                            torch::scalar_tensor(fmax, x.options()));
  return torch::max(torch::min(x, limit), -limit);
}
}  // namespace

T5BlockImpl::T5BlockImpl(const T5Config& c, bool has_bias, const torch::TensorOptions& opts,
                         const torch::TensorOptions& wo_opts) {
  layer = register_module("layer", torch::nn::ModuleList());
  self_attention = T5LayerSelfAttention(c, has_bias, opts);
  ff = T5LayerFF(c, opts, wo_opts);
  layer->push_back(self_attention);
  layer->push_back(ff);
}

torch::Tensor T5BlockImpl::forward(const torch::Tensor& x, const torch::Tensor& position_bias) {
  auto h = clamp_fp16(self_attention(x, position_bias));
  return clamp_fp16(ff(h));
}

T5StackImpl::T5StackImpl(const T5Config& c, const torch::TensorOptions& opts, const torch::TensorOptions& wo_opts) {
  block = register_module("block", torch::nn::ModuleList());
  for (int64_t i = 0; i < c.num_layers; ++i) {
    blocks.push_back(T5Block(c, /*has_relative_attention_bias=*/i == 0, opts, wo_opts));
    block->push_back(blocks.back());
  }
  final_layer_norm = register_module("final_layer_norm", T5LayerNorm(c.d_model, c.layer_norm_epsilon, opts));
}

// ---------------------------------------------------------------------------------------------- model

T5EncoderModelImpl::T5EncoderModelImpl(const T5Config& config, const torch::TensorOptions& opts)
    : config_(config) {
  auto wo_opts = opts;
  if (c10::typeMetaToScalarType(opts.dtype()) == torch::kHalf)
    wo_opts = opts.dtype(torch::kFloat32);  // _keep_in_fp32_modules = ["wo"]
  shared = register_module("shared", T5Embedding(config.vocab_size, config.d_model, opts));
  encoder = register_module("encoder", T5Stack(config, opts, wo_opts));
}

void T5EncoderModelImpl::fuse_projections(bool on) {
  torch::NoGradGuard ng;
  for (auto& b : encoder->blocks) {
    auto& a = *b->self_attention->SelfAttention;
    auto& ff = *b->ff->DenseReluDense;
    if (on) {
      a.w_qkv = fuse_params({a.q->weight, a.k->weight, a.v->weight});
      if (ff.wi_0) ff.w_i = fuse_params({ff.wi_0->weight, ff.wi_1->weight});
      continue;
    }
    unfuse_params({a.q->weight, a.k->weight, a.v->weight}, a.w_qkv);
    if (ff.wi_0) unfuse_params({ff.wi_0->weight, ff.wi_1->weight}, ff.w_i);
    a.w_qkv = ff.w_i = torch::Tensor();
  }
}

torch::Tensor T5EncoderModelImpl::relative_position_buckets(int64_t S, const torch::Device& device) {
  std::lock_guard<std::mutex> lock(cache_mutex_);
  const auto key = std::make_pair(S, device.str());
  auto it = bucket_cache_.find(key);
  if (it != bucket_cache_.end()) return it->second;
  // _relative_position_bucket(bidirectional=True), evaluated on the CPU in fp32 exactly as the
  // Python expression (the log-bucket boundaries at distances 16, 32, 64 depend on fp32 rounding).
  const int64_t half = config_.relative_attention_num_buckets / 2;
  const int64_t max_exact = half / 2;
  auto pos = torch::arange(S, torch::kLong);
  auto rel = pos.unsqueeze(0) - pos.unsqueeze(1);  // [q,k] = key − query
  auto buckets = (rel > 0).to(torch::kLong) * half;
  rel = rel.abs();
  auto large = max_exact + (torch::log(rel.to(torch::kFloat32) / max_exact) /
                            std::log(static_cast<double>(config_.relative_attention_max_distance) / max_exact) *
                            (half - max_exact))
                               .to(torch::kLong);
  large = torch::min(large, torch::full_like(large, half - 1));
  buckets = (buckets + torch::where(rel < max_exact, rel, large)).to(device);
  bucket_cache_.emplace(key, buckets);
  return buckets;
}

torch::Tensor T5EncoderModelImpl::position_bias(int64_t S, torch::Dtype dtype) {
  const auto& table = encoder->blocks.at(0)->self_attention->SelfAttention->relative_attention_bias->weight;  // [NB,H]
  auto buckets = relative_position_buckets(S, table.device());
  return table.index_select(0, buckets.reshape({-1}))
      .view({S, S, config_.num_heads})
      .permute({2, 0, 1})
      .unsqueeze(0)
      .to(dtype)
      .contiguous();  // [1,H,S,S]
}

void T5EncoderModelImpl::check_ids(const torch::Tensor& ids) const {
  if (ids.dim() != 2) throw InvalidInput("T5 encoder: token ids must be [batch, length], got " + std::to_string(ids.dim()) + " dims");
  if (ids.numel() == 0) throw InvalidInput("T5 encoder: empty token id tensor");
  const int64_t lo = ids.min().item<int64_t>(), hi = ids.max().item<int64_t>();
  if (lo < 0 || hi >= config_.vocab_size)
    throw InvalidInput("T5 encoder: token id " + std::to_string(lo < 0 ? lo : hi) + " is outside the vocabulary [0, " +
                       std::to_string(config_.vocab_size) + ")");
}

torch::Tensor T5EncoderModelImpl::forward_streamed(const torch::Tensor& ids_in, const torch::Device& device) {
  check_ids(ids_in);
  const auto ids = ids_in.to(shared->weight.device(), torch::kLong);
  auto x = shared(ids).to(device);  // the embedding lookup stays where the table is
  const auto compute = encoder->blocks.at(0)->self_attention->SelfAttention->q->weight.scalar_type();
  const auto bias = position_bias(ids.size(1), compute).to(device);
  const auto home = shared->weight.device();
  for (auto& b : encoder->blocks) {
    b->to(device);
    x = b(x, bias);
    b->to(home);
  }
  encoder->final_layer_norm->to(device);
  auto out = encoder->final_layer_norm(x);
  encoder->final_layer_norm->to(home);
  return out;
}

torch::Tensor T5EncoderModelImpl::forward(const torch::Tensor& ids_in, bool check) {
  if (check) check_ids(ids_in);
  const auto ids = ids_in.to(shared->weight.device(), torch::kLong);
  auto x = shared(ids);  // [B,S,D]
  const auto compute = encoder->blocks.at(0)->self_attention->SelfAttention->q->weight.scalar_type();
  const auto bias = position_bias(ids.size(1), compute);  // computed once, shared by every block
  for (auto& b : encoder->blocks) x = b(x, bias);
  return encoder->final_layer_norm(x);  // [B,S,D]
}

// ---------------------------------------------------------------------------------------------- loading

T5EncoderModel load_t5_encoder(const fs::path& folder, const torch::Device& device, torch::Dtype dtype, bool fused) {
  if (dtype != torch::kFloat32 && dtype != torch::kHalf && dtype != torch::kBFloat16)
    throw ModelLoadError(folder.string() + ": the T5 encoder runs in float32, float16 or bfloat16 only");
  const fs::path cfg_path = folder / "config.json";
  std::error_code ec;
  if (!fs::exists(cfg_path, ec)) throw ModelLoadError(cfg_path.string() + ": missing; reinstall the T5 encoder (text_encoder_3)");
  const T5Config cfg = T5Config::from_json(cfg_path);
  const auto store = weights::WeightStore::open(folder);  // resolves model.safetensors.index.json shards
  T5EncoderModel model(cfg, torch::TensorOptions().dtype(dtype).device(device));
  // The encoder embedding is tied to shared.weight; some exports store only encoder.embed_tokens.
  const bool tied_only = !store.has("shared.weight") && store.has("encoder.embed_tokens.weight");
  // Some exports store the tied encoder.embed_tokens.weight beside shared.weight: an unused copy,
  // logged, not refused.
  weights::load_module(*model, store, weights::Unexpected::Log, "", [&](const std::string& name) -> std::string {
    if (name == "shared.weight" && tied_only) return "encoder.embed_tokens.weight";
    return name;
  });
  if (fused) model->fuse_projections(true);
  model->eval();
  return model;
}

}  // namespace coz::models
