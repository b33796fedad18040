// T5 v1.1 encoder (SD3's text_encoder_3, google/t5-v1_1-xxl), following transformers'
// models/t5/modeling_t5.py (T5EncoderModel, T5Stack, T5Block, T5Attention, T5LayerNorm,
// T5DenseGatedActDense) as of transformers 4.49 / 5.17, encoder path only, no attention mask.
#pragma once
#include <torch/torch.h>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>

namespace coz::models {

struct T5Config {
  int64_t vocab_size = 32128, d_model = 4096, d_kv = 64, d_ff = 10240, num_layers = 24, num_heads = 64,
          relative_attention_num_buckets = 32, relative_attention_max_distance = 128;
  double layer_norm_epsilon = 1e-6;
  // "gated-gelu" (v1.1: wi_0/wi_1/wo, gelu_new), "gated-relu", "gated-silu", "relu" or "gelu" (wi/wo).
  std::string feed_forward_proj = "gated-gelu";

  bool gated() const { return feed_forward_proj.rfind("gated-", 0) == 0; }
  static T5Config from_json(const std::filesystem::path& config_json);
  // The same for a parsed config; `config_json` names it in errors (used by the fuzzer).
  static T5Config from_json(const nlohmann::json& config, const std::filesystem::path& config_json);
};

// A bias-free Linear whose weight is allocated uninitialised at the target dtype/device (the XXL
// encoder has 4.7e9 parameters: no random init, no fp32 detour before loading).
class T5LinearImpl : public torch::nn::Module {
 public:
  T5LinearImpl(int64_t in, int64_t out, const torch::TensorOptions& opts);
  torch::Tensor forward(const torch::Tensor& x);  // [..., in] -> [..., out]
  torch::Tensor weight;                            // [out, in]
};
TORCH_MODULE(T5Linear);

// Embedding table with an uninitialised weight at the target dtype/device.
class T5EmbeddingImpl : public torch::nn::Module {
 public:
  T5EmbeddingImpl(int64_t num, int64_t dim, const torch::TensorOptions& opts);
  torch::Tensor forward(const torch::Tensor& ids);  // [...] int64 -> [..., dim]
  torch::Tensor weight;                              // [num, dim]
};
TORCH_MODULE(T5Embedding);

// RMSNorm without mean subtraction and without bias; the variance is computed in fp32 and the
// normalised value is cast to the weight's dtype when that is fp16/bf16 (as T5LayerNorm does).
class T5LayerNormImpl : public torch::nn::Module {
 public:
  T5LayerNormImpl(int64_t dim, double eps, const torch::TensorOptions& opts);
  torch::Tensor forward(const torch::Tensor& x);  // [B,S,D] -> [B,S,D]
  torch::Tensor weight;                            // [D]
  double eps;
};
TORCH_MODULE(T5LayerNorm);

class T5AttentionImpl : public torch::nn::Module {
 public:
  T5AttentionImpl(const T5Config& c, bool has_relative_attention_bias, const torch::TensorOptions& opts);
  // h: [B,S,D] (normalised), position_bias: [1,H,S,S] additive, in h's dtype -> [B,S,D].
  torch::Tensor forward(const torch::Tensor& h, const torch::Tensor& position_bias);
  T5Linear q{nullptr}, k{nullptr}, v{nullptr}, o{nullptr};
  T5Embedding relative_attention_bias{nullptr};  // [num_buckets, H], block 0 only
  int64_t num_heads, d_kv;
  torch::Tensor w_qkv;  // fused [3·inner, D] storage of q, k, v (fused_params.h), or undefined
};
TORCH_MODULE(T5Attention);

class T5LayerSelfAttentionImpl : public torch::nn::Module {
 public:
  T5LayerSelfAttentionImpl(const T5Config& c, bool has_relative_attention_bias, const torch::TensorOptions& opts);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& position_bias);  // x + attn(ln(x))
  T5Attention SelfAttention{nullptr};
  T5LayerNorm layer_norm{nullptr};
};
TORCH_MODULE(T5LayerSelfAttention);

// Gated: wo(act(wi_0(h)) * wi_1(h)); plain: wo(act(wi(h))). The product is cast to wo's dtype first
// (wo stays fp32 in an fp16 model, like transformers' _keep_in_fp32_modules = ["wo"]).
class T5DenseActDenseImpl : public torch::nn::Module {
 public:
  T5DenseActDenseImpl(const T5Config& c, const torch::TensorOptions& opts, const torch::TensorOptions& wo_opts);
  torch::Tensor forward(const torch::Tensor& h);  // [B,S,D] -> [B,S,D] in wo's dtype
  T5Linear wi{nullptr}, wi_0{nullptr}, wi_1{nullptr}, wo{nullptr};
  std::string act;  // "gelu_new" (tanh approximation), "gelu" (erf), "relu", "silu"
  torch::Tensor w_i;  // fused [2·d_ff, D] storage of wi_0, wi_1 (gated variants), or undefined
};
TORCH_MODULE(T5DenseActDense);

class T5LayerFFImpl : public torch::nn::Module {
 public:
  T5LayerFFImpl(const T5Config& c, const torch::TensorOptions& opts, const torch::TensorOptions& wo_opts);
  torch::Tensor forward(const torch::Tensor& x);  // x + ff(ln(x))
  T5DenseActDense DenseReluDense{nullptr};
  T5LayerNorm layer_norm{nullptr};
};
TORCH_MODULE(T5LayerFF);

class T5BlockImpl : public torch::nn::Module {
 public:
  T5BlockImpl(const T5Config& c, bool has_relative_attention_bias, const torch::TensorOptions& opts,
              const torch::TensorOptions& wo_opts);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& position_bias);  // [B,S,D]
  torch::nn::ModuleList layer{nullptr};  // 0: T5LayerSelfAttention, 1: T5LayerFF
  T5LayerSelfAttention self_attention{nullptr};
  T5LayerFF ff{nullptr};
};
TORCH_MODULE(T5Block);

class T5StackImpl : public torch::nn::Module {
 public:
  T5StackImpl(const T5Config& c, const torch::TensorOptions& opts, const torch::TensorOptions& wo_opts);
  torch::nn::ModuleList block{nullptr};
  T5LayerNorm final_layer_norm{nullptr};
  std::vector<T5Block> blocks;
};
TORCH_MODULE(T5Stack);

// Weight names: shared.weight, encoder.block.{i}.layer.0.SelfAttention.{q,k,v,o}.weight,
// encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight,
// encoder.block.{i}.layer.{0,1}.layer_norm.weight, encoder.block.{i}.layer.1.DenseReluDense.{wi_0,wi_1,wo}.weight,
// encoder.final_layer_norm.weight.
class T5EncoderModelImpl : public torch::nn::Module {
 public:
  // opts: dtype/device of the parameters (uninitialised until loaded). With fp16, every `wo` is
  // kept in fp32 and the residual stream becomes fp32 from block 0's FF on, as in the reference.
  explicit T5EncoderModelImpl(const T5Config& config, const torch::TensorOptions& opts = {});
  // ids: [B,S] int64 -> last_hidden_state [B,S,d_model] (dtype of the final layer norm's weight).
  // No attention mask: padding tokens are attended, as SD3 does. check_ids = false skips the
  // vocabulary check (a host synchronisation) for ids already checked by check_ids().
  torch::Tensor forward(const torch::Tensor& ids, bool check_ids = true);
  // Throws InvalidInput unless ids is a non-empty [B,S] tensor of ids inside the vocabulary.
  void check_ids(const torch::Tensor& ids) const;
  // The same with the weights left in host memory: each block visits `device` in turn, so the
  // device holds one block (~0.4 GB for T5-XXL in bf16) instead of the whole encoder. The result is
  // on `device`.
  torch::Tensor forward_streamed(const torch::Tensor& ids, const torch::Device& device);
  const T5Config& config() const { return config_; }
  // One GEMM for q/k/v and one for the gated FF's two input projections in every block
  // (load_t5_encoder turns this on once the weights are in place; moving the model with to() makes
  // the blocks fall back to separate GEMMs). off: every weight gets its own storage again (before
  // moving blocks around, so no fused copy stays behind).
  void fuse_projections(bool on);

  // Relative position bias of block 0's table, shared by every block: [1,H,S,S] in `dtype`.
  torch::Tensor position_bias(int64_t seq_len, torch::Dtype dtype);
  // Bidirectional bucket index of every (query, key) pair: [S,S] int64 on `device`, cached per S.
  torch::Tensor relative_position_buckets(int64_t seq_len, const torch::Device& device);

  T5Embedding shared{nullptr};  // [vocab, D]; the file may call it encoder.embed_tokens
  T5Stack encoder{nullptr};

 private:
  T5Config config_;
  std::mutex cache_mutex_;
  std::map<std::pair<int64_t, std::string>, torch::Tensor> bucket_cache_;
};
TORCH_MODULE(T5EncoderModel);

// The transformers folder layout: config.json + model.safetensors, or model.safetensors.index.json
// with its shards. Throws coz::ModelLoadError naming the file and the tensor or value at fault.
// fused: one GEMM for q/k/v and one for the gated FF inputs (fuse_projections); leave it off for a
// model whose blocks will be moved between devices.
T5EncoderModel load_t5_encoder(const std::filesystem::path& folder, const torch::Device& device, torch::Dtype dtype,
                               bool fused = true);

}  // namespace coz::models
