// Follows CoZ's ram/models/swin_transformer_lora.py (WindowAttention, SwinTransformerBlock,
// PatchMerging, SwinTransformer.forward) at inference: dropout and drop-path are identities.
#include "models/ram_swin.h"

#include <cmath>

#include "compat.h"
#include "coz/error.h"
#include "weights/weight_store.h"

namespace coz::models {
namespace {

const torch::Tensor& need(const std::map<std::string, torch::Tensor>& w, const std::string& name, const std::string& file,
                          int64_t dims) {
  auto it = w.find(name);
  if (it == w.end())
    throw ModelLoadError(file + ": not a RAM (recognize-anything Swin) checkpoint: tensor " + name + " is missing");
  if (it->second.dim() != dims)
    throw ModelLoadError(file + ": tensor " + name + " has shape " + weights::shape_str(it->second.sizes().vec()) +
                         ", expected " + std::to_string(dims) + " dimensions");
  return it->second;
}

torch::nn::LayerNorm layer_norm(int64_t dim, double eps) {
  return torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(eps));
}

}  // namespace

RamConfig RamConfig::from_weights(const std::map<std::string, torch::Tensor>& w, const std::string& file) {
  RamConfig c;
  const auto& pe = need(w, "visual_encoder.patch_embed.proj.weight", file, 4);
  c.embed_dim = pe.size(0);
  c.patch_size = pe.size(2);
  if (pe.size(1) != 3 || pe.size(3) != c.patch_size || c.embed_dim < 1)
    throw ModelLoadError(file + ": visual_encoder.patch_embed.proj.weight has shape " + weights::shape_str(pe.sizes().vec()) +
                         ", expected [embed_dim, 3, patch, patch]");
  c.depths.clear();
  c.num_heads.clear();
  for (int s = 0;; ++s) {
    const std::string stage = "visual_encoder.layers." + std::to_string(s) + ".blocks.";
    int64_t n = 0;
    while (w.count(stage + std::to_string(n) + ".norm1.weight")) ++n;
    if (n == 0) break;
    const auto& table = need(w, stage + "0.attn.relative_position_bias_table", file, 2);
    c.depths.push_back(n);
    c.num_heads.push_back(table.size(1));
    if (s == 0) {
      const auto side = static_cast<int64_t>(std::lround(std::sqrt(static_cast<double>(table.size(0)))));
      if (side * side != table.size(0) || side % 2 == 0)
        throw ModelLoadError(file + ": " + stage + "0.attn.relative_position_bias_table has " +
                             std::to_string(table.size(0)) + " rows, not (2*window-1)^2");
      c.window_size = (side + 1) / 2;
    }
  }
  if (c.depths.empty() || c.depths.size() > 6)
    throw ModelLoadError(file + ": not a RAM Swin checkpoint: no visual_encoder.layers.N.blocks.M found");
  const auto& proj = need(w, "image_proj.weight", file, 2);
  c.embed_width = proj.size(0);
  if (proj.size(1) != c.vision_width())
    throw ModelLoadError(file + ": image_proj.weight has shape " + weights::shape_str(proj.sizes().vec()) +
                         ", expected [*, " + std::to_string(c.vision_width()) + "] for this Swin");
  const auto& label = need(w, "label_embed", file, 2);
  c.num_class = label.size(0);
  const auto& wv = need(w, "wordvec_proj.weight", file, 2);
  c.head_hidden = wv.size(0);
  c.head_layers = 0;
  while (w.count("tagging_head.encoder.layer." + std::to_string(c.head_layers) + ".crossattention.self.query.weight"))
    ++c.head_layers;
  if (c.head_layers == 0)
    throw ModelLoadError(file + ": not a RAM checkpoint: tensor tagging_head.encoder.layer.0.crossattention.self.query.weight "
                         "is missing");
  c.head_intermediate = need(w, "tagging_head.encoder.layer.0.intermediate.dense.weight", file, 2).size(0);
  if (c.head_hidden % c.head_heads != 0) c.head_heads = 1;  // a tiny head that 4 does not divide
  const int64_t grid = c.image_size / c.patch_size;
  if (grid % (int64_t{1} << (c.depths.size() - 1)) != 0)
    throw ModelLoadError(file + ": " + std::to_string(c.depths.size()) + " Swin stages do not fit a " +
                         std::to_string(c.image_size) + " px input");
  for (size_t s = 0; s < c.depths.size(); ++s)
    if (((c.embed_dim << s) % c.num_heads[s]) != 0)
      throw ModelLoadError(file + ": Swin stage " + std::to_string(s) + " width is not a multiple of its " +
                           std::to_string(c.num_heads[s]) + " heads");
  return c;
}

// ------------------------------------------------------------------------------ window attention

SwinWindowAttentionImpl::SwinWindowAttentionImpl(int64_t dim, int64_t window, int64_t heads)
    : dim_(dim), window_(window), heads_(heads) {
  relative_position_bias_table =
      register_parameter("relative_position_bias_table", torch::zeros({(2 * window - 1) * (2 * window - 1), heads}));
  qkv = register_module("qkv", Dense(dim, 3 * dim));
  proj = register_module("proj", Dense(dim, dim));
  const int64_t N = window * window;
  index_ = torch::empty({N * N}, torch::kLong);
  auto* idx = index_.data_ptr<int64_t>();
  for (int64_t i = 0; i < N; ++i)
    for (int64_t j = 0; j < N; ++j)
      idx[i * N + j] = (i / window - j / window + window - 1) * (2 * window - 1) + (i % window - j % window + window - 1);
}

torch::Tensor SwinWindowAttentionImpl::position_bias() const {
  const int64_t N = window_ * window_;
  const auto& t = relative_position_bias_table;
  return t.index_select(0, index_.to(t.device())).view({N, N, heads_}).permute({2, 0, 1}).contiguous();
}

torch::Tensor SwinWindowAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& bias) {
  const int64_t B_ = x.size(0), N = x.size(1), C = x.size(2), d = C / heads_;
  const auto qkv_ = qkv(x).reshape({B_, N, 3, heads_, d}).permute({2, 0, 3, 1, 4});  // [3, B_, h, N, d]
  torch::Tensor mask = bias;
  if (bias.size(0) > 1 && bias.size(0) != B_) mask = bias.repeat({B_ / bias.size(0), 1, 1, 1});  // batch-major windows
  const auto o = compat::sdpa(qkv_[0], qkv_[1], qkv_[2], mask, false, 1.0 / std::sqrt(static_cast<double>(d)));
  return proj(o.transpose(1, 2).reshape({B_, N, C}));
}

// ------------------------------------------------------------------------------ block

SwinBlockImpl::SwinBlockImpl(int64_t dim, int64_t resolution, int64_t heads, int64_t window, int64_t shift, double eps)
    : dim_(dim), res_(resolution), window_(window), shift_(shift) {
  if (res_ <= window_) {  // the reference's rule: one window over the whole grid, no shift
    shift_ = 0;
    window_ = res_;
  }
  norm1_ = register_module("norm1", layer_norm(dim, eps));
  attn_ = register_module("attn", SwinWindowAttention(dim, window_, heads));
  norm2_ = register_module("norm2", layer_norm(dim, eps));
  auto mlp = register_module("mlp", std::make_shared<torch::nn::Module>());
  fc1_ = mlp->register_module("fc1", Dense(dim, 4 * dim));
  fc2_ = mlp->register_module("fc2", Dense(4 * dim, dim));
}

void SwinBlockImpl::prepare() {
  torch::NoGradGuard ng;
  const auto& table = attn_->relative_position_bias_table;
  auto bias = attn_->position_bias().to(torch::kFloat32).unsqueeze(0);  // [1, h, N, N]
  if (shift_ > 0) {
    // Region labels of the rolled grid: [0, R-w), [R-w, R-s), [R-s, R) on each axis (3x3 regions);
    // tokens of different regions in one window do not attend (-100, as the reference).
    const int64_t R = res_, w = window_, s = shift_, nW = (R / w) * (R / w), N = w * w;
    auto region = [&](int64_t v) { return v < R - w ? 0 : (v < R - s ? 1 : 2); };
    auto ids = torch::empty({nW, N}, torch::kLong);
    auto* p = ids.data_ptr<int64_t>();
    for (int64_t wy = 0; wy < R / w; ++wy)
      for (int64_t wx = 0; wx < R / w; ++wx)
        for (int64_t i = 0; i < N; ++i)
          p[(wy * (R / w) + wx) * N + i] = region(wy * w + i / w) * 3 + region(wx * w + i % w);
    auto mask = torch::where(ids.unsqueeze(1) != ids.unsqueeze(2), torch::full({}, -100.0f), torch::zeros({}));
    bias = bias.to(torch::kCPU) + mask.unsqueeze(1);  // [nW, h, N, N]
  }
  bias_ = bias.to(table.device(), table.scalar_type()).contiguous();
}

torch::Tensor SwinBlockImpl::forward(const torch::Tensor& x) {
  const int64_t B = x.size(0), R = res_, C = dim_, w = window_, n = R / w;
  TORCH_CHECK(bias_.defined(), "SwinBlock::prepare() was not called");
  auto h = norm1_(x).view({B, R, R, C});
  if (shift_ > 0) h = torch::roll(h, {-shift_, -shift_}, {1, 2});
  auto win = h.view({B, n, w, n, w, C}).permute({0, 1, 3, 2, 4, 5}).reshape({B * n * n, w * w, C});
  auto a = attn_(win, bias_).view({B, n, n, w, w, C}).permute({0, 1, 3, 2, 4, 5}).reshape({B, R, R, C});
  if (shift_ > 0) a = torch::roll(a, {shift_, shift_}, {1, 2});
  auto y = x + a.reshape({B, R * R, C});
  return y + fc2_(torch::gelu(fc1_(norm2_(y))));
}

// ------------------------------------------------------------------------------ patch merging

SwinPatchMergingImpl::SwinPatchMergingImpl(int64_t dim, int64_t resolution, double eps) : res_(resolution) {
  reduction_ = register_module("reduction", Dense(4 * dim, 2 * dim, /*bias=*/false));
  norm_ = register_module("norm", layer_norm(4 * dim, eps));
}

torch::Tensor SwinPatchMergingImpl::forward(const torch::Tensor& x) {
  using torch::indexing::None;
  using torch::indexing::Slice;
  const int64_t B = x.size(0), C = x.size(2);
  const auto g = x.view({B, res_, res_, C});
  const auto x0 = g.index({Slice(), Slice(0, None, 2), Slice(0, None, 2)});
  const auto x1 = g.index({Slice(), Slice(1, None, 2), Slice(0, None, 2)});
  const auto x2 = g.index({Slice(), Slice(0, None, 2), Slice(1, None, 2)});
  const auto x3 = g.index({Slice(), Slice(1, None, 2), Slice(1, None, 2)});
  return reduction_(norm_(torch::cat({x0, x1, x2, x3}, -1).reshape({B, -1, 4 * C})));
}

// ------------------------------------------------------------------------------ encoder

RamSwinImpl::RamSwinImpl(const RamConfig& c) : c_(c) {
  auto patch_embed = register_module("patch_embed", std::make_shared<torch::nn::Module>());
  proj_ = patch_embed->register_module(
      "proj", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, c.embed_dim, c.patch_size).stride(c.patch_size)));
  patch_norm_ = patch_embed->register_module("norm", layer_norm(c.embed_dim, c.swin_eps));
  auto layers = register_module("layers", torch::nn::ModuleList());
  int64_t res = c.image_size / c.patch_size;
  for (size_t s = 0; s < c.depths.size(); ++s) {
    const int64_t dim = c.embed_dim << s;
    auto layer = std::make_shared<torch::nn::Module>();
    auto blocks = layer->register_module("blocks", torch::nn::ModuleList());
    blocks_.emplace_back();
    for (int64_t b = 0; b < c.depths[s]; ++b) {
      SwinBlock blk(dim, res, c.num_heads[s], c.window_size, b % 2 == 0 ? 0 : c.window_size / 2, c.swin_eps);
      blocks->push_back(blk);
      blocks_.back().push_back(blk);
    }
    if (s + 1 < c.depths.size()) {
      downsample_.push_back(layer->register_module("downsample", SwinPatchMerging(dim, res, c.swin_eps)));
      res /= 2;
    }
    layers->push_back(layer);
  }
  norm_ = register_module("norm", layer_norm(c.vision_width(), c.swin_eps));
}

Dense RamSwinImpl::qkv(size_t s, size_t b) {
  return blocks_.at(s).at(b)->attn()->qkv;
}

void RamSwinImpl::prepare() {
  for (auto& stage : blocks_)
    for (auto& b : stage) b->prepare();
}

torch::Tensor RamSwinImpl::forward(const torch::Tensor& image) {
  auto x = proj_(image).flatten(2).transpose(1, 2);  // [B, (S/p)², E]
  x = patch_norm_(x);
  for (size_t s = 0; s < blocks_.size(); ++s) {
    for (auto& b : blocks_[s]) x = b(x);
    if (s < downsample_.size()) x = downsample_[s](x);
  }
  x = norm_(x);
  return torch::cat({x.mean(1, true), x}, 1);
}

}  // namespace coz::models
