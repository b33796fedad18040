// SD3 MMDiT: diffusers SD3Transformer2DModel (models/transformers/transformer_sd3.py) with its parts
// from models/embeddings.py (PatchEmbed, Timesteps/TimestepEmbedding, PixArtAlphaTextProjection,
// CombinedTimestepTextProjEmbeddings), models/attention.py (JointTransformerBlock, FeedForward),
// models/normalization.py (AdaLayerNormZero, AdaLayerNormContinuous) and
// models/attention_processor.py (JointAttnProcessor2_0). SD3.0 layout only: no dual attention
// (attn2), no QK norm. Module names match the diffusers checkpoint, so loading is a name lookup.
#pragma once
#include <torch/torch.h>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <tuple>

#include "models/dense.h"

namespace coz::models {

struct SD3TransformerConfig {
  int64_t sample_size = 128, patch_size = 2, in_channels = 16, out_channels = 16, num_layers = 24,
          attention_head_dim = 64, num_attention_heads = 24, joint_attention_dim = 4096,
          caption_projection_dim = 1536, pooled_projection_dim = 2048, pos_embed_max_size = 192;
  int64_t inner_dim() const { return attention_head_dim * num_attention_heads; }
  // Reads diffusers' transformer/config.json; absent keys keep the defaults above. Throws
  // ModelLoadError for an unreadable file or an SD3.5 feature (dual attention, QK norm).
  static SD3TransformerConfig from_json(const std::filesystem::path& config_json);
  // The same for a parsed config; `config_json` names it in errors (used by the fuzzer).
  static SD3TransformerConfig from_json(const nlohmann::json& config, const std::filesystem::path& config_json);
};

namespace sd3 {

// Linear -> SiLU -> Linear (TimestepEmbedding and PixArtAlphaTextProjection share this shape).
class MLPEmbedderImpl : public torch::nn::Module {
 public:
  MLPEmbedderImpl(int64_t in, int64_t dim);
  torch::Tensor forward(const torch::Tensor& x);
  Dense linear_1{nullptr}, linear_2{nullptr};
};
TORCH_MODULE(MLPEmbedder);

// PatchEmbed: Conv2d(k=s=patch) + the stored sin-cos table [1, max*max, D] cropped to the centre.
class PatchEmbedImpl : public torch::nn::Module {
 public:
  PatchEmbedImpl(int64_t in_channels, int64_t dim, int64_t patch, int64_t max_size);
  // x [B,C,H,W] -> [B, (H/p)*(W/p), D] (row-major tokens) with the positional embedding added.
  torch::Tensor forward(const torch::Tensor& x);
  // The cropped table [1, h*w, D] for an h x w token grid, cached per (h, w, device, dtype).
  torch::Tensor cropped(int64_t h, int64_t w, const torch::Device& device, torch::Dtype dtype);
  void clear_cache();
  torch::nn::Conv2d proj{nullptr};
  torch::Tensor pos_embed;  // buffer [1, max*max, D]

 private:
  int64_t patch_, max_size_;
  std::mutex mu_;
  std::map<std::tuple<int64_t, int64_t, std::string, int, const void*>, torch::Tensor> cache_;
};
TORCH_MODULE(PatchEmbed);

// AdaLayerNormZero / AdaLayerNormContinuous hold one Linear named `linear` (SiLU(temb) -> k*D);
// the chunking is done by the caller.
class AdaNormImpl : public torch::nn::Module {
 public:
  AdaNormImpl(int64_t dim, int64_t chunks);
  torch::Tensor forward(const torch::Tensor& silu_temb) { return linear->forward(silu_temb); }
  Dense linear{nullptr};
};
TORCH_MODULE(AdaNorm);

// FeedForward: net.0 = GELU(tanh) with its `proj` Linear, net.1 = dropout, net.2 = Linear.
class GeluProjImpl : public torch::nn::Module {
 public:
  GeluProjImpl(int64_t in, int64_t out);
  torch::Tensor forward(const torch::Tensor& x);
  Dense proj{nullptr};
};
TORCH_MODULE(GeluProj);

class FeedForwardImpl : public torch::nn::Module {
 public:
  explicit FeedForwardImpl(int64_t dim);
  torch::Tensor forward(const torch::Tensor& x);  // [.., D] -> [.., D], hidden 4*D
  torch::nn::ModuleList net;

 private:
  GeluProj act_{nullptr};
  Dense out_{nullptr};
};
TORCH_MODULE(FeedForward);

// Joint attention (JointAttnProcessor2_0): image tokens first, then context tokens.
class JointAttentionImpl : public torch::nn::Module {
 public:
  JointAttentionImpl(int64_t dim, int64_t heads, bool context_pre_only);
  // x [B,N,D], c [B,L,D] -> {x_out [B,N,D], c_out [B,L,D] (undefined when context_pre_only)}.
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& x, const torch::Tensor& c);
  // on: moves to_q/to_k/to_v (and add_q/k/v_proj) into one [3D,D] weight per stream, the six
  // parameters becoming views of it, so each stream projects with one GEMM (same memory). off: gives
  // each parameter its own storage again. Moving the module (to()) also ends the fusion (forward then
  // falls back to separate GEMMs) until fuse_qkv(true) is called again. Call outside InferenceMode.
  void fuse_qkv(bool on);
  bool qkv_fused() const;
  Dense to_q{nullptr}, to_k{nullptr}, to_v{nullptr}, add_q_proj{nullptr}, add_k_proj{nullptr},
      add_v_proj{nullptr}, to_add_out{nullptr};
  torch::nn::ModuleList to_out;

 private:
  int64_t heads_;
  bool pre_only_;
  Dense out_{nullptr};
  torch::Tensor w_x_, b_x_, w_c_, b_c_;  // fused [3D,D] / [3D] storage of the image and context q, k, v
};
TORCH_MODULE(JointAttention);

class JointTransformerBlockImpl : public torch::nn::Module {
 public:
  JointTransformerBlockImpl(int64_t dim, int64_t heads, bool context_pre_only);
  // x [B,N,D], c [B,L,D], silu_temb [B,D] -> {x [B,N,D], c [B,L,D] (undefined for the last block)}.
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& x, const torch::Tensor& c,
                                                  const torch::Tensor& silu_temb, bool half_modulation);
  bool context_pre_only() const { return pre_only_; }
  AdaNorm norm1{nullptr}, norm1_context{nullptr};
  JointAttention attn{nullptr};
  FeedForward ff{nullptr}, ff_context{nullptr};

 private:
  int64_t dim_;
  bool pre_only_;
};
TORCH_MODULE(JointTransformerBlock);

class TimeTextEmbedImpl : public torch::nn::Module {
 public:
  TimeTextEmbedImpl(int64_t dim, int64_t pooled_dim);
  MLPEmbedder timestep_embedder{nullptr}, text_embedder{nullptr};
};
TORCH_MODULE(TimeTextEmbed);

}  // namespace sd3

class SD3TransformerImpl : public torch::nn::Module {
 public:
  explicit SD3TransformerImpl(const SD3TransformerConfig& cfg);
  // hidden [B,in_channels,H,W] latent (H, W multiples of patch_size, H/p and W/p <= pos_embed_max_size),
  // timestep [B] (or a scalar) float in [0,1000], context [B,L,joint_attention_dim],
  // pooled [B,pooled_projection_dim] -> [B,out_channels,H,W]. Inputs are cast to the weights' dtype;
  // the output has that dtype.
  torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& timestep, const torch::Tensor& context,
                        const torch::Tensor& pooled);
  // Emulates CoZ's LoRA-injected AdaLayerNormZero linears (output rounded to fp16, 1+scale in fp16;
  // REFERENCE 1.8) in norm1 of every block and norm1_context of all but the last block.
  void set_half_modulation(bool on) { half_modulation_ = on; }
  // One q/k/v GEMM per stream in every block (see JointAttentionImpl::fuse_qkv); load_sd3_transformer
  // turns it on.
  void fuse_qkv(bool on);
  bool half_modulation() const { return half_modulation_; }
  const SD3TransformerConfig& config() const { return cfg_; }
  // Drops the cached positional-embedding crops and sinusoid frequencies (call after changing the
  // pos_embed buffer in place).
  void clear_caches();

  sd3::PatchEmbed pos_embed{nullptr};
  sd3::TimeTextEmbed time_text_embed{nullptr};
  Dense context_embedder{nullptr};
  torch::nn::ModuleList transformer_blocks;
  sd3::AdaNorm norm_out{nullptr};
  Dense proj_out{nullptr};

 private:
  torch::Tensor timestep_freqs(const torch::Device& device);

  SD3TransformerConfig cfg_;
  std::vector<sd3::JointTransformerBlock> blocks_;
  bool half_modulation_ = false;
  std::mutex mu_;
  std::map<std::string, torch::Tensor> freqs_;  // by device
};
TORCH_MODULE(SD3Transformer);

// Builds the model from a diffusers folder (config.json + diffusion_pytorch_model.safetensors or its
// sharded index), on `device` in `dtype`, in eval mode. Throws ModelLoadError naming the file and the
// tensor for missing or wrong-shaped weights.
SD3Transformer load_sd3_transformer(const std::filesystem::path& folder, const torch::Device& device,
                                    torch::Dtype dtype);

}  // namespace coz::models
