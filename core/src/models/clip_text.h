// CLIP text encoders of SD3 (text_encoder = CLIP-L/14, text_encoder_2 = OpenCLIP bigG/14), following
// transformers' CLIPTextModelWithProjection (models/clip/modeling_clip.py, transformers 4.49 / 5.17):
// pre-LN causal transformer, outputs hidden_states[-2], last_hidden_state and the projected pooled
// feature at the first EOS.
#pragma once
#include <torch/torch.h>

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <string>

#include "models/dense.h"

namespace coz::models {

struct CLIPTextConfig {
  int64_t vocab_size = 49408, hidden_size = 768, intermediate_size = 3072, num_hidden_layers = 12,
          num_attention_heads = 12, max_position_embeddings = 77, projection_dim = 768;
  std::string hidden_act = "quick_gelu";  // CLIP-L; CLIP-G uses "gelu" (exact erf)
  double layer_norm_eps = 1e-5;
  int64_t eos_token_id = 49407;           // pooled position = first ids == eos_token_id

  // Reads a transformers config.json (a CLIPTextConfig, or a CLIPConfig's "text_config").
  // Throws coz::ModelLoadError naming the file and the bad value.
  static CLIPTextConfig from_json(const std::filesystem::path& config_json);
  // The same for a parsed config; `config_json` names it in errors (used by the fuzzer).
  static CLIPTextConfig from_json(const nlohmann::json& config, const std::filesystem::path& config_json);
};

struct CLIPTextOutput {
  torch::Tensor penultimate;  // hidden_states[-2]: [B,S,H], output of layer N-1, before final_layer_norm
  torch::Tensor last;         // last_hidden_state: [B,S,H], after final_layer_norm
  torch::Tensor text_embeds;  // [B,P]: text_projection(last at the first EOS position)
};

class CLIPAttentionImpl : public torch::nn::Module {
 public:
  CLIPAttentionImpl(int64_t hidden, int64_t heads);
  torch::Tensor forward(const torch::Tensor& x);  // [B,S,H] -> [B,S,H], causal
 private:
  int64_t heads_;
  Dense q_proj_{nullptr}, k_proj_{nullptr}, v_proj_{nullptr}, out_proj_{nullptr};
};
TORCH_MODULE(CLIPAttention);

class CLIPMLPImpl : public torch::nn::Module {
 public:
  CLIPMLPImpl(int64_t hidden, int64_t intermediate, std::string act);
  torch::Tensor forward(const torch::Tensor& x);  // [B,S,H] -> [B,S,H]
 private:
  std::string act_;
  Dense fc1_{nullptr}, fc2_{nullptr};
};
TORCH_MODULE(CLIPMLP);

class CLIPEncoderLayerImpl : public torch::nn::Module {
 public:
  explicit CLIPEncoderLayerImpl(const CLIPTextConfig& c);
  torch::Tensor forward(const torch::Tensor& x);  // [B,S,H] -> [B,S,H]
 private:
  CLIPAttention self_attn_{nullptr};
  torch::nn::LayerNorm layer_norm1_{nullptr}, layer_norm2_{nullptr};
  CLIPMLP mlp_{nullptr};
};
TORCH_MODULE(CLIPEncoderLayer);

class CLIPTextModelImpl : public torch::nn::Module {
 public:
  explicit CLIPTextModelImpl(const CLIPTextConfig& config);
  // ids: [B,S] int64, S <= max_position_embeddings (77 in SD3). No padding mask: every position,
  // padding included, attends causally, as in SD3.
  CLIPTextOutput forward(const torch::Tensor& ids);
  const CLIPTextConfig& config() const { return config_; }

 private:
  CLIPTextConfig config_;
  // Registered as text_model.{embeddings.{token,position}_embedding, encoder.layers.N,
  // final_layer_norm} and text_projection, the checkpoint's names.
  torch::nn::Embedding token_embedding_{nullptr}, position_embedding_{nullptr};
  torch::nn::ModuleList layers_{nullptr};
  torch::nn::LayerNorm final_layer_norm_{nullptr};
  Dense text_projection_{nullptr};
};
TORCH_MODULE(CLIPTextModel);

// folder holds config.json and model.safetensors (or a sharded index). Weights are cast to `dtype`
// and moved to `device`; the module is returned in eval mode. Throws coz::ModelLoadError naming the
// file and every missing or wrong-shaped tensor.
CLIPTextModel load_clip_text(const std::filesystem::path& folder, const torch::Device& device, torch::Dtype dtype);

}  // namespace coz::models
