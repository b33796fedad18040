// Follows transformers models/clip/modeling_clip.py (CLIPTextModelWithProjection, CLIPTextTransformer,
// CLIPEncoderLayer, CLIPAttention, CLIPMLP) as SD3's encode_prompt uses it (REFERENCE.md §2.4).
#include "models/clip_text.h"

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

namespace {

bool known_activation(const std::string& act) {
  return act == "quick_gelu" || act == "gelu" || act == "gelu_new" || act == "gelu_pytorch_tanh" || act == "relu";
}

}  // namespace

namespace {
CLIPTextConfig parse_config(const json& config, const fs::path& config_json);
}  // namespace

CLIPTextConfig CLIPTextConfig::from_json(const fs::path& config_json) {
  return from_json(read_json_file(config_json, "the model config"), config_json);  // that overload guards the parse
}

CLIPTextConfig CLIPTextConfig::from_json(const json& config, const fs::path& config_json) {
  return guard_model_file(config_json, [&] { return parse_config(config, config_json); });
}

namespace {
CLIPTextConfig parse_config(const json& config, const fs::path& config_json) {
  json j = config;
  if (j.contains("text_config") && j["text_config"].is_object() && !j.contains("hidden_size")) j = j["text_config"];
  CLIPTextConfig c;
  auto get_int = [&](const char* key, int64_t& v) { read_positive_int(j, key, v, config_json); };
  get_int("vocab_size", c.vocab_size);
  get_int("hidden_size", c.hidden_size);
  get_int("intermediate_size", c.intermediate_size);
  get_int("num_hidden_layers", c.num_hidden_layers);
  get_int("num_attention_heads", c.num_attention_heads);
  get_int("max_position_embeddings", c.max_position_embeddings);
  get_int("projection_dim", c.projection_dim);
  get_int("eos_token_id", c.eos_token_id);
  if (j.contains("hidden_act") && j["hidden_act"].is_string()) c.hidden_act = j["hidden_act"].get<std::string>();
  if (j.contains("layer_norm_eps") && j["layer_norm_eps"].is_number()) c.layer_norm_eps = j["layer_norm_eps"].get<double>();
  if (!known_activation(c.hidden_act))
    throw ModelLoadError(config_json.string() + ": hidden_act \"" + c.hidden_act + "\" is not supported");
  if (c.hidden_size % c.num_attention_heads != 0)
    throw ModelLoadError(config_json.string() + ": hidden_size " + std::to_string(c.hidden_size) +
                         " is not a multiple of num_attention_heads " + std::to_string(c.num_attention_heads));
  return c;
}
}  // namespace

CLIPAttentionImpl::CLIPAttentionImpl(int64_t hidden, int64_t heads) : heads_(heads) {
  q_proj_ = register_module("q_proj", Dense(hidden, hidden));
  k_proj_ = register_module("k_proj", Dense(hidden, hidden));
  v_proj_ = register_module("v_proj", Dense(hidden, hidden));
  out_proj_ = register_module("out_proj", Dense(hidden, hidden));
}

torch::Tensor CLIPAttentionImpl::forward(const torch::Tensor& x) {
  const int64_t B = x.size(0), S = x.size(1), H = x.size(2), d = H / heads_;
  auto heads = [&](const torch::Tensor& t) { return t.view({B, S, heads_, d}).transpose(1, 2); };  // [B,h,S,d]
  auto o = compat::sdpa(heads(q_proj_(x)), heads(k_proj_(x)), heads(v_proj_(x)), c10::nullopt, /*causal=*/true,
                        1.0 / std::sqrt(static_cast<double>(d)));
  return out_proj_(o.transpose(1, 2).reshape({B, S, H}));
}

CLIPMLPImpl::CLIPMLPImpl(int64_t hidden, int64_t intermediate, std::string act) : act_(std::move(act)) {
  fc1_ = register_module("fc1", Dense(hidden, intermediate));
  fc2_ = register_module("fc2", Dense(intermediate, hidden));
}

torch::Tensor CLIPMLPImpl::forward(const torch::Tensor& x) {
  auto h = fc1_(x);
  if (act_ == "quick_gelu") h = h * torch::sigmoid(1.702 * h);
  else if (act_ == "gelu") h = torch::gelu(h);
  else if (act_ == "relu") h = torch::relu(h);
  else h = torch::gelu(h, "tanh");  // gelu_new, gelu_pytorch_tanh
  return fc2_(h);
}

CLIPEncoderLayerImpl::CLIPEncoderLayerImpl(const CLIPTextConfig& c) {
  auto ln = [&] { return torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps)); };
  self_attn_ = register_module("self_attn", CLIPAttention(c.hidden_size, c.num_attention_heads));
  layer_norm1_ = register_module("layer_norm1", ln());
  mlp_ = register_module("mlp", CLIPMLP(c.hidden_size, c.intermediate_size, c.hidden_act));
  layer_norm2_ = register_module("layer_norm2", ln());
}

torch::Tensor CLIPEncoderLayerImpl::forward(const torch::Tensor& x) {
  auto h = x + self_attn_(layer_norm1_(x));
  return h + mlp_(layer_norm2_(h));
}

CLIPTextModelImpl::CLIPTextModelImpl(const CLIPTextConfig& config) : config_(config) {
  const auto& c = config_;
  // Plain modules give the checkpoint's name prefixes (text_model.embeddings.*, text_model.encoder.*).
  auto text_model = register_module("text_model", std::make_shared<torch::nn::Module>());
  auto embeddings = text_model->register_module("embeddings", std::make_shared<torch::nn::Module>());
  auto encoder = text_model->register_module("encoder", std::make_shared<torch::nn::Module>());
  token_embedding_ = embeddings->register_module("token_embedding", torch::nn::Embedding(c.vocab_size, c.hidden_size));
  position_embedding_ =
      embeddings->register_module("position_embedding", torch::nn::Embedding(c.max_position_embeddings, c.hidden_size));
  layers_ = encoder->register_module("layers", torch::nn::ModuleList());
  for (int64_t i = 0; i < c.num_hidden_layers; ++i) layers_->push_back(CLIPEncoderLayer(c));
  final_layer_norm_ = text_model->register_module(
      "final_layer_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps)));
  text_projection_ = register_module(
      "text_projection", Dense(c.hidden_size, c.projection_dim, /*bias=*/false));
}

CLIPTextOutput CLIPTextModelImpl::forward(const torch::Tensor& ids) {
  if (ids.dim() != 2 || ids.size(1) < 1 || ids.size(1) > config_.max_position_embeddings)
    throw InvalidInput("CLIP text encoder: token ids must be [batch, 1.." + std::to_string(config_.max_position_embeddings) +
                       "], got " + weights::shape_str(ids.sizes().vec()));
  // Ids from a damaged vocab.json must not index past the embedding (on CUDA that is a device-side
  // assert that poisons the context). Checked where the ids are still on the CPU (no host sync).
  if (ids.device().is_cpu() && ids.numel() > 0) {
    const int64_t lo = ids.min().item<int64_t>(), hi = ids.max().item<int64_t>();
    if (lo < 0 || hi >= config_.vocab_size)
      throw ModelLoadError("CLIP text encoder: token id " + std::to_string(lo < 0 ? lo : hi) + " is outside the vocabulary of " +
                           std::to_string(config_.vocab_size) + " tokens; the tokenizer does not belong to this model");
  }
  const auto tok = ids.to(position_embedding_->weight.device(), torch::kLong);
  const int64_t B = tok.size(0), S = tok.size(1);
  const auto positions = torch::arange(S, tok.options());
  auto x = token_embedding_(tok) + position_embedding_(positions).unsqueeze(0);  // [B,S,H]
  torch::Tensor penultimate = x;
  const size_t n = layers_->size();
  for (size_t i = 0; i < n; ++i) {
    if (i + 1 == n) penultimate = x;  // hidden_states[-2]
    x = layers_[i]->as<CLIPEncoderLayerImpl>()->forward(x);
  }
  auto last = final_layer_norm_(x);
  // transformers: legacy configs (eos_token_id == 2, e.g. openai/clip-vit-large-patch14 and SD3's
  // text_encoder) pool at argmax(ids), i.e. the first <|endoftext|> = highest id; others at the first
  // ids == eos_token_id. argmax returns the first maximum; no EOS at all pools position 0.
  const auto pos = config_.eos_token_id == 2 ? tok.argmax(1) : tok.eq(config_.eos_token_id).to(torch::kLong).argmax(1);
  auto pooled = last.index({torch::arange(B, pos.options()), pos});  // [B,H]
  return {penultimate, last, text_projection_(pooled)};
}

CLIPTextModel load_clip_text(const fs::path& folder, const torch::Device& device, torch::Dtype dtype) {
  const auto config = CLIPTextConfig::from_json(folder / "config.json");
  const auto store = weights::WeightStore::open(folder);
  torch::NoGradGuard no_grad;
  // Built where it runs, in its dtype: the file's bytes are copied there and converted there.
  CLIPTextModel model = [&] {
    DenseOn on(device, dtype);
    return CLIPTextModel(config);
  }();
  model->to(device, dtype);
  // Older checkpoints carry a stray text_model.embeddings.position_ids buffer (REFERENCE.md §2):
  // unused tensors are logged, not refused.
  weights::load_module(*model, store, weights::Unexpected::Log);
  model->eval();
  return model;
}

}  // namespace coz::models
