// The SD3 VAE: diffusers AutoencoderKL (src/diffusers/models/autoencoders/autoencoder_kl.py,
// vae.py Encoder/Decoder, unets/unet_2d_blocks.py DownEncoderBlock2D/UpDecoderBlock2D/UNetMidBlock2D,
// resnet.py ResnetBlock2D, downsampling.py/upsampling.py, attention_processor.py AttnProcessor2_0)
// with the SD3 config: 16 latent channels, no quant_conv/post_quant_conv. Module names mirror the
// diffusers state dict (encoder.* / decoder.*), so loading is a name lookup.
#pragma once
#include <torch/torch.h>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <filesystem>
#include <vector>

#include "coz/control.h"

namespace coz::models {

struct SD3VAEConfig {
  int64_t in_channels = 3, out_channels = 3, latent_channels = 16, layers_per_block = 2, norm_num_groups = 32;
  std::vector<int64_t> block_out_channels{128, 256, 512, 512};
  double scaling_factor = 1.5305, shift_factor = 0.0609;
  bool mid_block_add_attention = true;

  // Reads a diffusers vae/config.json. Throws ModelLoadError naming the file and the value for
  // layouts this class does not implement (quant convs, other block types or activations).
  static SD3VAEConfig from_json(const std::filesystem::path& config_json);
  // The same for a parsed config; `config_json` names it in errors (used by the fuzzer).
  static SD3VAEConfig from_json(const nlohmann::json& config, const std::filesystem::path& config_json);
};

// ResnetBlock2D without time embedding: (shortcut(x) + conv2(silu(norm2(conv1(silu(norm1(x))))))).
class VAEResnetBlockImpl : public torch::nn::Module {
 public:
  VAEResnetBlockImpl(int64_t in, int64_t out, int64_t groups);
  torch::Tensor forward(const torch::Tensor& x);  // [B,in,H,W] -> [B,out,H,W]

 private:
  torch::nn::GroupNorm norm1_{nullptr}, norm2_{nullptr};
  torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr}, conv_shortcut_{nullptr};
};
TORCH_MODULE(VAEResnetBlock);

// Single-head self-attention over the H*W positions, with GroupNorm in front and a residual add.
class VAEAttentionImpl : public torch::nn::Module {
 public:
  VAEAttentionImpl(int64_t channels, int64_t groups);
  torch::Tensor forward(const torch::Tensor& x);  // [B,C,H,W] -> [B,C,H,W]

 private:
  torch::nn::GroupNorm group_norm_{nullptr};
  torch::nn::Linear to_q_{nullptr}, to_k_{nullptr}, to_v_{nullptr};
  torch::nn::ModuleList to_out_;  // to_out.0 = Linear (to_out.1 is a dropout in diffusers)
};
TORCH_MODULE(VAEAttention);

// UNetMidBlock2D: resnets.0, attentions.0 (optional), resnets.1.
class VAEMidBlockImpl : public torch::nn::Module {
 public:
  VAEMidBlockImpl(int64_t channels, int64_t groups, bool add_attention);
  torch::Tensor forward(torch::Tensor x);  // [B,C,H,W] -> [B,C,H,W]

 private:
  torch::nn::ModuleList resnets_, attentions_;
};
TORCH_MODULE(VAEMidBlock);

// One encoder stage (DownEncoderBlock2D) or decoder stage (UpDecoderBlock2D).
class VAEBlockImpl : public torch::nn::Module {
 public:
  enum class Kind { Down, Up };
  VAEBlockImpl(Kind kind, int64_t in, int64_t out, int64_t layers, int64_t groups, bool resample);
  // Down: [B,in,H,W] -> [B,out,H/2,W/2] (H,W even) when resampling; Up: -> [B,out,2H,2W].
  torch::Tensor forward(torch::Tensor x);

 private:
  Kind kind_;
  torch::nn::ModuleList resnets_, samplers_;  // samplers_: downsamplers.0 / upsamplers.0 ({conv})
  torch::nn::Conv2d conv_{nullptr};
};
TORCH_MODULE(VAEBlock);

class VAEEncoderImpl : public torch::nn::Module {
 public:
  explicit VAEEncoderImpl(const SD3VAEConfig& c);
  torch::Tensor forward(const torch::Tensor& x);  // [B,3,H,W] -> [B,2*latent,H/8,W/8]

 private:
  torch::nn::Conv2d conv_in_{nullptr}, conv_out_{nullptr};
  torch::nn::ModuleList down_blocks_;
  VAEMidBlock mid_block_{nullptr};
  torch::nn::GroupNorm conv_norm_out_{nullptr};
};
TORCH_MODULE(VAEEncoder);

class VAEDecoderImpl : public torch::nn::Module {
 public:
  explicit VAEDecoderImpl(const SD3VAEConfig& c);
  torch::Tensor forward(const torch::Tensor& z);  // [B,latent,h,w] -> [B,3,8h,8w]

 private:
  torch::nn::Conv2d conv_in_{nullptr}, conv_out_{nullptr};
  VAEMidBlock mid_block_{nullptr};
  torch::nn::ModuleList up_blocks_;
  torch::nn::GroupNorm conv_norm_out_{nullptr};
};
TORCH_MODULE(VAEDecoder);

class SD3VAEImpl : public torch::nn::Module {
 public:
  explicit SD3VAEImpl(const SD3VAEConfig& c);

  // x: [B,in_channels,H,W] in [-1,1], H and W multiples of 8.
  // Returns the encoder output [B,2*latent,H/8,W/8] = cat(mean, logvar) along dim 1 (SD3 has no
  // quant_conv). Computed in the weights' dtype and device.
  torch::Tensor encode_moments(const torch::Tensor& x);
  // z: [B,latent,h,w], already z/scaling_factor + shift_factor. Returns [B,out_channels,8h,8w],
  // unclamped, in the weights' dtype.
  torch::Tensor decode(const torch::Tensor& z);

  // Tiled versions for large inputs through the one tiler (coz/tiler.h; results float32 on x's/z's
  // device). The mid-block attention is global, so tiled results approximate the untiled ones.
  // tile <= 0 or a tile covering the input runs untiled. Cancel is checked before every tile;
  // progress reports `base` with stage VaeEncode/VaeDecode and tile i of n.
  // encode: tile and overlap in image pixels, multiples of 8 (run_tiled at scale 1/8); moments are
  // blended in latent space with linear ramps over the overlap; each tile also sees `overlap` extra
  // pixels of context.
  torch::Tensor encode_moments_tiled(const torch::Tensor& x, int tile, int overlap, const coz::RunControl& ctl,
                                     const coz::Progress& base = {});
  // decode: tile and overlap in latent pixels (run_tiled at scale 8, context margin = overlap).
  torch::Tensor decode_tiled(const torch::Tensor& z, int tile, int overlap, const coz::RunControl& ctl,
                             const coz::Progress& base = {});

  const SD3VAEConfig& config() const { return cfg_; }
  VAEEncoder& encoder() { return encoder_; }
  VAEDecoder& decoder() { return decoder_; }

  // Stores conv weights channels-last and runs activations NHWC (cuDNN's fastest layout on GPUs).
  void set_channels_last(bool on);
  bool channels_last() const { return channels_last_; }

 private:
  bool channels_last_ = false;
  SD3VAEConfig cfg_;
  VAEEncoder encoder_{nullptr};
  VAEDecoder decoder_{nullptr};
};
TORCH_MODULE(SD3VAE);

// The diffusers name of a legacy attention tensor (query/key/value/proj_attn), or "" if `name` is
// not a mid-block attention projection. Exposed for tests.
std::string sd3_vae_legacy_name(const std::string& name);

// folder: config.json + diffusion_pytorch_model.safetensors (or its shard index). Accepts the
// legacy attention names (query/key/value/proj_attn, 2-D or 1x1-conv-shaped [C,C,1,1]). The module
// is returned in eval mode on `device` in `dtype` (the reference runs fp32; diffusers marks this VAE
// force_upcast because fp16 activations can overflow; bf16 is safe). Throws ModelLoadError naming
// the file and tensor.
SD3VAE load_sd3_vae(const std::filesystem::path& folder, const torch::Device& device, torch::Dtype dtype);

}  // namespace coz::models
