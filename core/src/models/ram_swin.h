// The Swin Transformer image encoder of RAM ("visual_encoder."), following CoZ's
// ram/models/swin_transformer_lora.py (Swin-L 384, window 12; REFERENCE.md §3.3): shifted windows
// with the -100 region mask, relative position bias, patch merging, final LayerNorm and a mean
// "CLS" token prepended. The qkv LoRA of DAPE is merged into qkv.weight before use (ram_head.cpp).
#pragma once
#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

#include "models/dense.h"

namespace coz::models {

struct RamConfig {
  // Swin (config_swinL_384.json)
  int64_t image_size = 384, patch_size = 4, embed_dim = 192, window_size = 12;
  std::vector<int64_t> depths{2, 2, 18, 2}, num_heads{6, 12, 24, 48};
  double swin_eps = 1e-5;
  // Projection and tagging head (q2l_config.json; encoder_width 512 is hard-coded in RAM)
  int64_t embed_width = 512, num_class = 4585, head_hidden = 768, head_layers = 2, head_heads = 4,
          head_intermediate = 3072;
  double head_eps = 1e-12;

  int64_t vision_width() const { return embed_dim << (depths.size() - 1); }
  // Shapes from a RAM checkpoint (names already in the model's layout, see ram_head.cpp). Reads
  // embed_dim, patch_size, depths, heads and window (relative_position_bias_table), the projection
  // width, num_class, the head's width/depth/intermediate size. Not in any shape, so kept from the
  // defaults: image_size (384, CoZ's) and the head's 4 attention heads. Throws ModelLoadError naming
  // the file and the tensor.
  static RamConfig from_weights(const std::map<std::string, torch::Tensor>& w, const std::string& file);
};

class SwinWindowAttentionImpl : public torch::nn::Module {
 public:
  SwinWindowAttentionImpl(int64_t dim, int64_t window, int64_t heads);
  // x: [B*nW, N, C] with N = window²; bias: additive [nW or 1, heads, N, N] (relative position bias
  // plus the shift mask), from attention_bias().
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& bias);
  // relative_position_bias_table gathered to [heads, N, N].
  torch::Tensor position_bias() const;
  Dense qkv{nullptr}, proj{nullptr};
  torch::Tensor relative_position_bias_table;  // [(2w-1)², heads]

 private:
  int64_t dim_, window_, heads_;
  torch::Tensor index_;  // [N*N] int64, row-major (Δy+w-1)(2w-1) + (Δx+w-1)
};
TORCH_MODULE(SwinWindowAttention);

class SwinBlockImpl : public torch::nn::Module {
 public:
  // `resolution` is the stage's token grid side; the window shrinks to it (and the shift goes to
  // 0) when the grid is not larger than the window, as in the reference.
  SwinBlockImpl(int64_t dim, int64_t resolution, int64_t heads, int64_t window, int64_t shift, double eps);
  torch::Tensor forward(const torch::Tensor& x);  // [B, R*R, C] -> [B, R*R, C]
  // Builds the additive attention bias (position bias + -100 shift mask) on the weights' device and
  // dtype; call after loading and after every move/cast.
  void prepare();
  SwinWindowAttention& attn() { return attn_; }
  int64_t window() const { return window_; }
  int64_t shift() const { return shift_; }

 private:
  int64_t dim_, res_, window_, shift_;
  torch::nn::LayerNorm norm1_{nullptr}, norm2_{nullptr};
  SwinWindowAttention attn_{nullptr};
  Dense fc1_{nullptr}, fc2_{nullptr};
  torch::Tensor bias_;  // [nW or 1, heads, N, N]
};
TORCH_MODULE(SwinBlock);

class SwinPatchMergingImpl : public torch::nn::Module {
 public:
  SwinPatchMergingImpl(int64_t dim, int64_t resolution, double eps);
  torch::Tensor forward(const torch::Tensor& x);  // [B, R*R, C] -> [B, (R/2)², 2C]

 private:
  int64_t res_;
  torch::nn::LayerNorm norm_{nullptr};
  Dense reduction_{nullptr};
};
TORCH_MODULE(SwinPatchMerging);

class RamSwinImpl : public torch::nn::Module {
 public:
  explicit RamSwinImpl(const RamConfig& c);
  // image: [B,3,S,S] normalised, S = image_size -> [B, 1 + (S/patch/2^(L-1))², vision_width]; token 0
  // is the mean of the others.
  torch::Tensor forward(const torch::Tensor& image);
  void prepare();  // see SwinBlockImpl::prepare
  // The block's qkv Linear, for the LoRA merge: stage s, block b.
  Dense qkv(size_t s, size_t b);

 private:
  RamConfig c_;
  torch::nn::Conv2d proj_{nullptr};
  torch::nn::LayerNorm patch_norm_{nullptr}, norm_{nullptr};
  std::vector<std::vector<SwinBlock>> blocks_;
  std::vector<SwinPatchMerging> downsample_;
};
TORCH_MODULE(RamSwin);

}  // namespace coz::models
