// The SD3 VAE after diffusers AutoencoderKL (see sd3_vae.h for the files it follows).
#include "models/sd3_vae.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>

#include "compat.h"
#include "coz/error.h"
#include "json_file.h"
#include "kernels/group_norm.h"
#include "coz/tiler.h"
#include "weights/weight_store.h"

namespace coz::models {
namespace fs = std::filesystem;
namespace nn = torch::nn;
using json = nlohmann::json;

// ---------------------------------------------------------------------------------------- config

namespace {
SD3VAEConfig parse_config(const json& config, const fs::path& config_json);
}  // namespace

SD3VAEConfig SD3VAEConfig::from_json(const fs::path& config_json) {
  return from_json(read_json_file(config_json, "the VAE config"), config_json);  // that overload guards the parse
}

SD3VAEConfig SD3VAEConfig::from_json(const json& config, const fs::path& config_json) {
  return guard_model_file(config_json, [&] { return parse_config(config, config_json); });
}

namespace {
SD3VAEConfig parse_config(const json& config, const fs::path& config_json) {
  const std::string where = config_json.string();
  json j = config;
  SD3VAEConfig c;
  try {
    for (auto [key, dst] : {std::pair<const char*, int64_t*>{"in_channels", &c.in_channels}, {"out_channels", &c.out_channels},
                            {"latent_channels", &c.latent_channels}, {"layers_per_block", &c.layers_per_block},
                            {"norm_num_groups", &c.norm_num_groups}})
      read_positive_int(j, key, *dst, config_json);
    if (j.contains("block_out_channels") && !j["block_out_channels"].is_null()) {
      const json& b = j["block_out_channels"];
      if (!b.is_array() || b.empty() || b.size() > 16)
        throw ModelLoadError(where + ": block_out_channels = " + b.dump() + " is not a list of 1 to 16 channel counts");
      c.block_out_channels.clear();
      for (const json& ch : b) {
        if (!ch.is_number_integer() || ch.get<int64_t>() <= 0 || ch.get<int64_t>() > kMaxConfigInt)
          throw ModelLoadError(where + ": block_out_channels = " + b.dump() + " holds " + ch.dump() + ", not a channel count");
        c.block_out_channels.push_back(ch.get<int64_t>());
      }
    }
    auto real = [&](const char* key, double& dst) {
      if (!j.contains(key) || j[key].is_null()) return;
      if (!j[key].is_number()) throw ModelLoadError(where + ": " + key + " = " + j[key].dump() + " is not a number");
      dst = j[key].get<double>();
    };
    real("scaling_factor", c.scaling_factor);
    if (j.contains("mid_block_add_attention") && j["mid_block_add_attention"].is_boolean())
      c.mid_block_add_attention = j["mid_block_add_attention"].get<bool>();
    // diffusers: shift_factor null means "no shift".
    if (j.contains("shift_factor") && j["shift_factor"].is_null()) c.shift_factor = 0.0;
    else real("shift_factor", c.shift_factor);
    auto flag = [&](const char* key) { return j.contains(key) && j[key].is_boolean() && j[key].get<bool>(); };
    for (const char* key : {"use_quant_conv", "use_post_quant_conv"})
      if (flag(key))
        throw ModelLoadError(where + ": " + key + " is true; the SD3 VAE has no quant convs (this is not an SD3 VAE)");
    if (j.contains("act_fn") && j["act_fn"].get<std::string>() != "silu")
      throw ModelLoadError(where + ": act_fn " + j["act_fn"].get<std::string>() + " is not supported (expected silu)");
    auto types = [&](const char* key, const char* want) {
      if (!j.contains(key)) return;
      const auto t = j[key].get<std::vector<std::string>>();
      if (t.size() != c.block_out_channels.size())
        throw ModelLoadError(where + ": " + key + " has " + std::to_string(t.size()) + " entries but block_out_channels has " +
                             std::to_string(c.block_out_channels.size()));
      for (const auto& s : t)
        if (s != want) throw ModelLoadError(where + ": " + key + " contains " + s + ", only " + want + " is supported");
    };
    types("down_block_types", "DownEncoderBlock2D");
    types("up_block_types", "UpDecoderBlock2D");
  } catch (const json::exception& e) {
    throw ModelLoadError(where + ": bad value in the VAE config (" + e.what() + ")");
  }
  if (c.block_out_channels.empty() || c.layers_per_block < 1 || c.norm_num_groups < 1 || c.latent_channels < 1)
    throw ModelLoadError(where + ": block_out_channels, layers_per_block, norm_num_groups and latent_channels must be positive");
  for (auto ch : c.block_out_channels)
    if (ch % c.norm_num_groups != 0)
      throw ModelLoadError(where + ": block_out_channels entry " + std::to_string(ch) + " is not divisible by norm_num_groups " +
                           std::to_string(c.norm_num_groups));
  return c;
}
}  // namespace

// ---------------------------------------------------------------------------------------- layers

namespace {

nn::GroupNorm group_norm(int64_t groups, int64_t ch) { return nn::GroupNorm(nn::GroupNormOptions(groups, ch).eps(1e-6)); }
nn::Conv2d conv(int64_t in, int64_t out, int64_t k, int64_t stride = 1, int64_t pad = 1) {
  return nn::Conv2d(nn::Conv2dOptions(in, out, k).stride(stride).padding(pad));
}

// GroupNorm, then SiLU if asked: one fused CUDA kernel for channels-last CUDA activations (LibTorch's
// GroupNorm spends most of the VAE's time in its statistics pass there), LibTorch elsewhere.
torch::Tensor norm(nn::GroupNorm& gn, const torch::Tensor& x, bool silu) {
  auto y = kernels::group_norm(x, gn->weight, gn->bias, gn->options.num_groups(), gn->options.eps(), silu);
  if (y.defined()) return y;
  y = gn->forward(x);
  return silu ? torch::silu(y) : y;
}

}  // namespace

VAEResnetBlockImpl::VAEResnetBlockImpl(int64_t in, int64_t out, int64_t groups) {
  norm1_ = register_module("norm1", group_norm(groups, in));
  conv1_ = register_module("conv1", conv(in, out, 3));
  norm2_ = register_module("norm2", group_norm(groups, out));
  conv2_ = register_module("conv2", conv(out, out, 3));
  if (in != out) conv_shortcut_ = register_module("conv_shortcut", conv(in, out, 1, 1, 0));
}

torch::Tensor VAEResnetBlockImpl::forward(const torch::Tensor& x) {
  auto h = conv1_->forward(norm(norm1_, x, true));
  h = conv2_->forward(norm(norm2_, h, true));
  return (conv_shortcut_ ? conv_shortcut_->forward(x) : x) + h;  // output_scale_factor 1.0
}

VAEAttentionImpl::VAEAttentionImpl(int64_t channels, int64_t groups) {
  group_norm_ = register_module("group_norm", group_norm(groups, channels));
  to_q_ = register_module("to_q", nn::Linear(channels, channels));
  to_k_ = register_module("to_k", nn::Linear(channels, channels));
  to_v_ = register_module("to_v", nn::Linear(channels, channels));
  to_out_ = register_module("to_out", nn::ModuleList());
  to_out_->push_back(nn::Linear(channels, channels));
}

torch::Tensor VAEAttentionImpl::forward(const torch::Tensor& x) {
  const auto B = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
  // [B,C,H,W] -> tokens [B,1,H*W,C] (one head of C channels); a view for channels-last activations.
  auto t = norm(group_norm_, x, false).permute({0, 2, 3, 1}).reshape({B, H * W, C});
  auto q = to_q_->forward(t).unsqueeze(1), k = to_k_->forward(t).unsqueeze(1), v = to_v_->forward(t).unsqueeze(1);
  auto a = compat::sdpa(q, k, v, c10::nullopt, false, 1.0 / std::sqrt(static_cast<double>(C))).squeeze(1);
  a = to_out_[0]->as<nn::Linear>()->forward(a);
  // Back to x's layout (a view for channels-last; LibTorch 1.13's CPU bf16 kernels go wrong on the
  // channels-last strides otherwise), then the residual; rescale_output_factor 1.0.
  return a.view({B, H, W, C}).permute({0, 3, 1, 2}).contiguous(x.suggest_memory_format()) + x;
}

VAEMidBlockImpl::VAEMidBlockImpl(int64_t channels, int64_t groups, bool add_attention) {
  resnets_ = register_module("resnets", nn::ModuleList());
  attentions_ = register_module("attentions", nn::ModuleList());
  resnets_->push_back(VAEResnetBlock(channels, channels, groups));
  if (add_attention) attentions_->push_back(VAEAttention(channels, groups));
  resnets_->push_back(VAEResnetBlock(channels, channels, groups));
}

torch::Tensor VAEMidBlockImpl::forward(torch::Tensor x) {
  x = resnets_[0]->as<VAEResnetBlock>()->forward(x);
  if (!attentions_->is_empty()) x = attentions_[0]->as<VAEAttention>()->forward(x);
  return resnets_[1]->as<VAEResnetBlock>()->forward(x);
}

VAEBlockImpl::VAEBlockImpl(Kind kind, int64_t in, int64_t out, int64_t layers, int64_t groups, bool resample)
    : kind_(kind) {
  resnets_ = register_module("resnets", nn::ModuleList());
  for (int64_t i = 0; i < layers; ++i) resnets_->push_back(VAEResnetBlock(i == 0 ? in : out, out, groups));
  if (!resample) return;
  samplers_ = register_module(kind == Kind::Down ? "downsamplers" : "upsamplers", nn::ModuleList());
  auto holder = std::make_shared<nn::Module>();
  // Downsample2D(padding=0): zero pad right/bottom by 1, then 3x3 stride 2; Upsample2D: 3x3 padding 1.
  conv_ = holder->register_module("conv", kind == Kind::Down ? conv(out, out, 3, 2, 0) : conv(out, out, 3));
  samplers_->push_back(holder);
}

torch::Tensor VAEBlockImpl::forward(torch::Tensor x) {
  for (const auto& r : *resnets_) x = r->as<VAEResnetBlock>()->forward(x);
  if (!conv_) return x;
  if (kind_ == Kind::Down) return conv_->forward(torch::constant_pad_nd(x, {0, 1, 0, 1}, 0));
  // Nearest x2 is an exact pixel repeat; upsample_nearest2d handles fp16/bf16 on every backend we use.
  return conv_->forward(torch::upsample_nearest2d(x, {x.size(2) * 2, x.size(3) * 2}));
}

VAEEncoderImpl::VAEEncoderImpl(const SD3VAEConfig& c) {
  const auto& ch = c.block_out_channels;
  const int64_t g = c.norm_num_groups;
  conv_in_ = register_module("conv_in", conv(c.in_channels, ch[0], 3));
  down_blocks_ = register_module("down_blocks", nn::ModuleList());
  int64_t out = ch[0];
  for (size_t i = 0; i < ch.size(); ++i) {
    const int64_t in = out;
    out = ch[i];
    down_blocks_->push_back(VAEBlock(VAEBlockImpl::Kind::Down, in, out, c.layers_per_block, g, i + 1 < ch.size()));
  }
  mid_block_ = register_module("mid_block", VAEMidBlock(ch.back(), g, c.mid_block_add_attention));
  conv_norm_out_ = register_module("conv_norm_out", group_norm(g, ch.back()));
  conv_out_ = register_module("conv_out", conv(ch.back(), 2 * c.latent_channels, 3));
}

torch::Tensor VAEEncoderImpl::forward(const torch::Tensor& x) {
  auto h = conv_in_->forward(x);
  for (const auto& b : *down_blocks_) h = b->as<VAEBlock>()->forward(h);
  h = mid_block_->forward(h);
  return conv_out_->forward(norm(conv_norm_out_, h, true));
}

VAEDecoderImpl::VAEDecoderImpl(const SD3VAEConfig& c) {
  std::vector<int64_t> ch(c.block_out_channels.rbegin(), c.block_out_channels.rend());
  const int64_t g = c.norm_num_groups;
  conv_in_ = register_module("conv_in", conv(c.latent_channels, ch[0], 3));
  mid_block_ = register_module("mid_block", VAEMidBlock(ch[0], g, c.mid_block_add_attention));
  up_blocks_ = register_module("up_blocks", nn::ModuleList());
  int64_t out = ch[0];
  for (size_t i = 0; i < ch.size(); ++i) {
    const int64_t in = out;
    out = ch[i];
    up_blocks_->push_back(VAEBlock(VAEBlockImpl::Kind::Up, in, out, c.layers_per_block + 1, g, i + 1 < ch.size()));
  }
  conv_norm_out_ = register_module("conv_norm_out", group_norm(g, ch.back()));
  conv_out_ = register_module("conv_out", conv(ch.back(), c.out_channels, 3));
}

torch::Tensor VAEDecoderImpl::forward(const torch::Tensor& z) {
  auto h = mid_block_->forward(conv_in_->forward(z));
  for (const auto& b : *up_blocks_) h = b->as<VAEBlock>()->forward(h);
  return conv_out_->forward(norm(conv_norm_out_, h, true));
}

// ---------------------------------------------------------------------------------------- VAE

SD3VAEImpl::SD3VAEImpl(const SD3VAEConfig& c) : cfg_(c) {
  encoder_ = register_module("encoder", VAEEncoder(c));
  decoder_ = register_module("decoder", VAEDecoder(c));
}

namespace {

// Where and in which dtype the module computes (all its weights share one device and dtype).
torch::TensorOptions weight_options(torch::nn::Module& m) {
  for (const auto& p : m.parameters()) return p.options();
  return torch::TensorOptions();
}

void check_input(const torch::Tensor& t, int64_t channels, int64_t multiple, const char* what) {
  if (t.dim() != 4 || t.size(1) != channels)
    throw InvalidInput(std::string("SD3 VAE ") + what + ": expected a [B," + std::to_string(channels) + ",H,W] tensor, got " +
                       weights::shape_str(t.sizes().vec()));
  if (t.size(2) % multiple != 0 || t.size(3) % multiple != 0 || t.size(2) == 0 || t.size(3) == 0)
    throw InvalidInput(std::string("SD3 VAE ") + what + ": height and width must be positive multiples of " +
                       std::to_string(multiple) + ", got " + std::to_string(t.size(3)) + "x" + std::to_string(t.size(2)));
}

}  // namespace

void SD3VAEImpl::set_channels_last(bool on) {
  channels_last_ = on;
  const auto fmt = on ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous;
  torch::NoGradGuard ng;
  for (auto& p : parameters(true))
    if (p.dim() == 4) p.set_data(p.contiguous(fmt));
}

torch::Tensor SD3VAEImpl::encode_moments(const torch::Tensor& x) {
  check_input(x, cfg_.in_channels, 8, "encode");
  auto in = x.to(weight_options(*encoder_));
  if (channels_last_) in = in.contiguous(torch::MemoryFormat::ChannelsLast);
  return encoder_->forward(in).contiguous();
}

torch::Tensor SD3VAEImpl::decode(const torch::Tensor& z) {
  check_input(z, cfg_.latent_channels, 1, "decode");
  auto in = z.to(weight_options(*decoder_));
  if (channels_last_) in = in.contiguous(torch::MemoryFormat::ChannelsLast);
  return decoder_->forward(in).contiguous();
}

torch::Tensor SD3VAEImpl::encode_moments_tiled(const torch::Tensor& x, int tile, int overlap, const coz::RunControl& ctl,
                                               const coz::Progress& base) {
  check_input(x, cfg_.in_channels, 8, "encode");
  if (tile > 0 && tile % 8 != 0)
    throw InvalidInput("SD3 VAE encode: tile size " + std::to_string(tile) + " must be a multiple of 8 (or 0 for no tiling)");
  if (overlap < 0 || overlap % 8 != 0)
    throw InvalidInput("SD3 VAE encode: tile overlap " + std::to_string(overlap) + " must be a non-negative multiple of 8");
  // Image pixels in, latent pixels out (/8); each tile also sees `overlap` pixels of context.
  TileOptions opt;
  opt.tile = tile;
  opt.overlap = overlap;
  opt.context = overlap;
  Progress p = base;
  p.stage = Stage::VaeEncode;
  return run_tiled(x, TileScale{1, 8}, opt, [&](const torch::Tensor& t) { return encode_moments(t).to(torch::kFloat32).to(x.device()); },
                   ctl, p);
}

torch::Tensor SD3VAEImpl::decode_tiled(const torch::Tensor& z, int tile, int overlap, const coz::RunControl& ctl,
                                       const coz::Progress& base) {
  check_input(z, cfg_.latent_channels, 1, "decode");
  TileOptions opt;
  opt.tile = tile;
  opt.overlap = std::max(0, overlap);
  opt.context = opt.overlap;
  Progress p = base;
  p.stage = Stage::VaeDecode;
  return run_tiled(z, 8, opt, [&](const torch::Tensor& t) { return decode(t).to(torch::kFloat32).to(z.device()); }, ctl, p);
}

// ---------------------------------------------------------------------------------------- loading

std::string sd3_vae_legacy_name(const std::string& name) {
  static const std::map<std::string, std::string> legacy = {
      {".to_q.", ".query."}, {".to_k.", ".key."}, {".to_v.", ".value."}, {".to_out.0.", ".proj_attn."}};
  if (name.find(".attentions.") == std::string::npos) return "";
  for (const auto& [now, old] : legacy) {
    const auto pos = name.find(now);
    if (pos != std::string::npos) return name.substr(0, pos) + old + name.substr(pos + now.size());
  }
  return "";
}

SD3VAE load_sd3_vae(const fs::path& folder, const torch::Device& device, torch::Dtype dtype) {
  const auto cfg = SD3VAEConfig::from_json(folder / "config.json");
  SD3VAE vae(cfg);
  const auto store = weights::WeightStore::open(folder);
  torch::NoGradGuard no_grad;
  // Legacy attention tensors stored as 1x1 convs ([C,C,1,1]) cannot go through read_module's shape
  // check; they are skipped there and copied below with a reshape.
  std::map<std::string, std::string> conv_shaped;  // module name -> file name
  auto rename = [&](const std::string& name) -> std::string {
    if (store.has(name)) return name;
    const std::string old = sd3_vae_legacy_name(name);
    if (old.empty() || !store.has(old)) return name;  // reported as missing under its diffusers name
    if (store.entry(old).shape.size() == 4) {
      conv_shaped[name] = old;
      return "";
    }
    return old;
  };
  weights::LoadReport report = weights::read_module(*vae, store, "", rename);
  for (const auto& [name, old] : conv_shaped)  // not unexpected: taken below
    report.unexpected.erase(std::remove(report.unexpected.begin(), report.unexpected.end(), old), report.unexpected.end());
  // A diffusers AutoencoderKL file holds exactly the encoder and the decoder: anything else means
  // a different model (quant convs are refused by the config already).
  weights::check_load(report, weights::Unexpected::Error);
  auto params = vae->named_parameters(true);
  for (const auto& [name, old] : conv_shaped) {
    torch::Tensor& p = params[name];
    const auto& e = store.entry(old);
    if (e.shape != std::vector<int64_t>{p.size(0), p.size(1), 1, 1})
      throw ModelLoadError("cannot load " + store.source() + "\n  tensor " + old + " has shape " + weights::shape_str(e.shape) +
                           ", expected " + weights::shape_str(p.sizes().vec()) + " or [" + std::to_string(p.size(0)) + "," +
                           std::to_string(p.size(1)) + ",1,1]");
    p.copy_(store.get(old).reshape(p.sizes()).to(p.scalar_type()));
  }
  vae->to(device, dtype);
  vae->eval();
  return vae;
}

}  // namespace coz::models
