// Qwen2.5-VL forward and generation; see qwen_vl.h. Numerics follow transformers'
// modeling_qwen2_5_vl.py: RMSNorm in fp32 cast back before the weight, vision RoPE applied in fp32,
// LM RoPE in the model dtype, attention scaled by head_dim^-0.5, logits cast to fp32 before the
// repetition penalty.
#include "models/qwen_vl.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>

#include "compat.h"
#include "coz/error.h"
#include "coz/resample.h"
#include "json_file.h"
#include "kernels/decode_ops.h"
#include "kernels/group_norm.h"
#include "models/qwen_vl_parts.h"
#include "weights/weight_store.h"

namespace coz::models {
namespace fs = std::filesystem;
using json = nlohmann::json;
using torch::indexing::Slice;

// ------------------------------------------------------------------------------------------ config

namespace {

std::vector<int64_t> int_list(const json& j, const char* key, const fs::path& file) {
  std::vector<int64_t> v;
  if (!j.contains(key) || j[key].is_null()) return v;
  if (!j[key].is_array()) throw ModelLoadError(file.string() + ": " + key + " is not a list of integers");
  for (const auto& x : j[key]) {
    if (!x.is_number_integer() || x.get<int64_t>() < 0 || x.get<int64_t>() > kMaxConfigInt)
      throw ModelLoadError(file.string() + ": " + key + " holds " + x.dump() + ", not a non-negative integer");
    v.push_back(x.get<int64_t>());
  }
  return v;
}

double read_double(const json& j, const char* key, double fallback, const fs::path& file) {
  if (!j.contains(key) || j[key].is_null()) return fallback;
  if (!j[key].is_number() || !std::isfinite(j[key].get<double>()) || j[key].get<double>() <= 0)
    throw ModelLoadError(file.string() + ": " + key + " = " + j[key].dump() + " is not a positive number");
  return j[key].get<double>();
}

void read_id(const json& j, const char* key, int64_t& dst, const fs::path& file) {
  if (!j.contains(key) || j[key].is_null()) return;
  if (!j[key].is_number_integer() || j[key].get<int64_t>() < 0)
    throw ModelLoadError(file.string() + ": " + key + " = " + j[key].dump() + " is not a token id");
  dst = j[key].get<int64_t>();
}

}  // namespace

QwenConfig QwenConfig::from_folder(const fs::path& dir) {
  QwenConfig c;
  const fs::path cfg_file = dir / "config.json";
  const json cfg = read_json_file(cfg_file, "the model config");
  if (!cfg.is_object()) throw ModelLoadError(cfg_file.string() + ": not a JSON object");
  const std::string type = cfg.value("model_type", std::string());
  if (type != "qwen2_5_vl")
    throw ModelLoadError(cfg_file.string() + ": model_type is \"" + type +
                         "\", not \"qwen2_5_vl\"; the VLM prompt needs a Qwen2.5-VL folder (Qwen/Qwen2.5-VL-3B-Instruct)");
  // The published files keep the LM settings at the top level; transformers 5 writes text_config.
  const json& t = cfg.contains("text_config") && cfg["text_config"].is_object() ? cfg["text_config"] : cfg;
  auto& tc = c.text;
  read_positive_int(t, "hidden_size", tc.hidden, cfg_file);
  read_positive_int(t, "num_hidden_layers", tc.layers, cfg_file);
  read_positive_int(t, "num_attention_heads", tc.heads, cfg_file);
  read_positive_int(t, "num_key_value_heads", tc.kv_heads, cfg_file);
  read_positive_int(t, "intermediate_size", tc.intermediate, cfg_file);
  read_positive_int(t, "vocab_size", tc.vocab, cfg_file);
  tc.eps = read_double(t, "rms_norm_eps", tc.eps, cfg_file);
  tc.theta = read_double(t, "rope_theta", tc.theta, cfg_file);
  const json* rope = nullptr;
  for (const char* k : {"rope_scaling", "rope_parameters"})
    if (t.contains(k) && t[k].is_object()) rope = &t[k];
  if (!rope)
    for (const char* k : {"rope_scaling", "rope_parameters"})
      if (cfg.contains(k) && cfg[k].is_object()) rope = &cfg[k];
  if (rope) {
    auto s = int_list(*rope, "mrope_section", cfg_file);
    if (!s.empty()) tc.mrope_section = s;
    tc.theta = read_double(*rope, "rope_theta", tc.theta, cfg_file);
  }
  if (t.contains("tie_word_embeddings")) tc.tied = t["tie_word_embeddings"].is_boolean() && t["tie_word_embeddings"].get<bool>();
  else if (cfg.contains("tie_word_embeddings"))
    tc.tied = cfg["tie_word_embeddings"].is_boolean() && cfg["tie_word_embeddings"].get<bool>();
  for (const json* j : {&cfg, &t}) {
    read_id(*j, "image_token_id", tc.image_token, cfg_file);
    read_id(*j, "video_token_id", tc.video_token, cfg_file);
    read_id(*j, "vision_start_token_id", tc.vision_start, cfg_file);
    read_id(*j, "vision_end_token_id", tc.vision_end, cfg_file);
  }
  if (tc.hidden % tc.heads || tc.heads % tc.kv_heads || tc.head_dim() % 2)
    throw ModelLoadError(cfg_file.string() + ": hidden_size " + std::to_string(tc.hidden) + " does not split into " +
                         std::to_string(tc.heads) + " heads over " + std::to_string(tc.kv_heads) + " key/value heads");
  int64_t sec = 0;
  for (auto s : tc.mrope_section) sec += s;
  if (tc.mrope_section.size() != 3 || sec * 2 != tc.head_dim())
    throw ModelLoadError(cfg_file.string() + ": mrope_section must be three numbers summing to head_dim/2 = " +
                         std::to_string(tc.head_dim() / 2));

  if (!cfg.contains("vision_config") || !cfg["vision_config"].is_object())
    throw ModelLoadError(cfg_file.string() + ": no vision_config; not a Qwen2.5-VL model folder");
  const json& v = cfg["vision_config"];
  auto& vc = c.vision;
  read_positive_int(v, "depth", vc.depth, cfg_file);
  read_positive_int(v, "hidden_size", vc.hidden, cfg_file);
  read_positive_int(v, "num_heads", vc.heads, cfg_file);
  read_positive_int(v, "intermediate_size", vc.intermediate, cfg_file);
  read_positive_int(v, "in_chans", vc.in_channels, cfg_file);
  read_positive_int(v, "in_channels", vc.in_channels, cfg_file);
  read_positive_int(v, "patch_size", vc.patch, cfg_file);
  read_positive_int(v, "temporal_patch_size", vc.temporal_patch, cfg_file);
  read_positive_int(v, "spatial_merge_size", vc.merge, cfg_file);
  read_positive_int(v, "window_size", vc.window, cfg_file);
  read_positive_int(v, "out_hidden_size", vc.out_hidden, cfg_file);
  if (v.contains("fullatt_block_indexes")) vc.fullatt_blocks = int_list(v, "fullatt_block_indexes", cfg_file);
  if (vc.hidden % vc.heads || (vc.hidden / vc.heads) % 4)
    throw ModelLoadError(cfg_file.string() + ": vision hidden_size " + std::to_string(vc.hidden) + " over " +
                         std::to_string(vc.heads) + " heads gives no 2-D rotary split");
  if (vc.in_channels != 3) throw ModelLoadError(cfg_file.string() + ": vision in_chans must be 3 (RGB)");
  if (vc.out_hidden != tc.hidden)
    throw ModelLoadError(cfg_file.string() + ": vision out_hidden_size " + std::to_string(vc.out_hidden) +
                         " differs from the language model's hidden_size " + std::to_string(tc.hidden));
  if (vc.window % (vc.merge * vc.patch))
    throw ModelLoadError(cfg_file.string() + ": vision window_size is not a multiple of patch_size * spatial_merge_size");

  std::error_code ec;
  const fs::path gen_file = dir / "generation_config.json";
  if (fs::exists(gen_file, ec)) {
    const json g = read_json_file(gen_file, "the generation config");
    auto& gc = c.generation;
    if (g.contains("eos_token_id")) {
      gc.eos.clear();
      if (g["eos_token_id"].is_array()) gc.eos = int_list(g, "eos_token_id", gen_file);
      else if (g["eos_token_id"].is_number_integer()) gc.eos.push_back(g["eos_token_id"].get<int64_t>());
    }
    gc.repetition_penalty = read_double(g, "repetition_penalty", 1.0, gen_file);
    if (g.contains("do_sample") && g["do_sample"].is_boolean()) gc.do_sample = g["do_sample"].get<bool>();
    // Only a sampling config's temperature matters (qwen_choose); 0 or null (greedy configs) is ignored.
    if (g.contains("temperature") && g["temperature"].is_number() && g["temperature"].get<double>() > 0)
      gc.temperature = g["temperature"].get<double>();
    if (g.contains("max_new_tokens")) read_positive_int(g, "max_new_tokens", gc.max_new_tokens, gen_file);
  }
  const fs::path pre_file = dir / "preprocessor_config.json";
  if (fs::exists(pre_file, ec)) {
    const json p = read_json_file(pre_file, "the image preprocessor config");
    auto& pc = c.preprocess;
    // Pixel counts exceed kMaxConfigInt (12845056 for Qwen2.5-VL): their own bound, 2^36.
    auto pixels = [&](const json& j, const char* key, int64_t& dst) {
      if (!j.contains(key) || j[key].is_null()) return;
      if (!j[key].is_number_integer() || j[key].get<int64_t>() <= 0 || j[key].get<int64_t>() > (int64_t{1} << 36))
        throw ModelLoadError(pre_file.string() + ": " + key + " = " + j[key].dump() + " is not a pixel count");
      dst = j[key].get<int64_t>();
    };
    pixels(p, "min_pixels", pc.min_pixels);
    pixels(p, "max_pixels", pc.max_pixels);
    if (p.contains("size") && p["size"].is_object()) {
      pixels(p["size"], "shortest_edge", pc.min_pixels);
      pixels(p["size"], "longest_edge", pc.max_pixels);
    }
    if (pc.min_pixels > pc.max_pixels)
      throw ModelLoadError(pre_file.string() + ": min_pixels " + std::to_string(pc.min_pixels) + " exceeds max_pixels " +
                           std::to_string(pc.max_pixels));
    for (auto [key, dst] : {std::pair{"image_mean", &pc.mean}, std::pair{"image_std", &pc.std}}) {
      if (!p.contains(key)) continue;
      const auto& a = p[key];
      if (!a.is_array() || a.size() != 3) throw ModelLoadError(pre_file.string() + ": " + key + " is not 3 numbers");
      for (int i = 0; i < 3; ++i) {
        if (!a[i].is_number()) throw ModelLoadError(pre_file.string() + ": " + key + " is not 3 numbers");
        (*dst)[i] = a[i].get<float>();
      }
    }
    for (const char* key : {"patch_size", "merge_size", "temporal_patch_size"}) {
      int64_t val = -1;
      read_positive_int(p, key, val, pre_file);
      const int64_t want = std::string(key) == "patch_size" ? vc.patch
                           : std::string(key) == "merge_size" ? vc.merge : vc.temporal_patch;
      if (val > 0 && val != want)
        throw ModelLoadError(pre_file.string() + ": " + key + " " + std::to_string(val) + " differs from config.json's " +
                             std::to_string(want));
    }
    if (c.preprocess.std[0] == 0 || c.preprocess.std[1] == 0 || c.preprocess.std[2] == 0)
      throw ModelLoadError(pre_file.string() + ": image_std holds 0");
  }
  return c;
}

// -------------------------------------------------------------------------------------- preprocess

namespace {
int64_t round_half_even(double x) { return static_cast<int64_t>(std::nearbyint(x)); }  // FE_TONEAREST
}  // namespace

std::pair<int64_t, int64_t> qwen_smart_resize(int64_t h, int64_t w, int64_t factor, int64_t min_pixels,
                                             int64_t max_pixels) {
  if (h <= 0 || w <= 0) throw InvalidInput("VLM image: empty image (" + std::to_string(w) + "x" + std::to_string(h) + ")");
  if (static_cast<double>(std::max(h, w)) / static_cast<double>(std::min(h, w)) > 200)
    throw InvalidInput("VLM image: aspect ratio of " + std::to_string(w) + "x" + std::to_string(h) +
                       " is above 200; crop it closer to square");
  const double f = static_cast<double>(factor);
  int64_t hb = std::max(factor, round_half_even(h / f) * factor);
  int64_t wb = std::max(factor, round_half_even(w / f) * factor);
  if (hb * wb > max_pixels) {
    const double beta = std::sqrt(static_cast<double>(h) * w / static_cast<double>(max_pixels));
    hb = std::max(factor, static_cast<int64_t>(std::floor(h / beta / f)) * factor);
    wb = std::max(factor, static_cast<int64_t>(std::floor(w / beta / f)) * factor);
  } else if (hb * wb < min_pixels) {
    const double beta = std::sqrt(static_cast<double>(min_pixels) / (static_cast<double>(h) * w));
    hb = static_cast<int64_t>(std::ceil(h * beta / f)) * factor;
    wb = static_cast<int64_t>(std::ceil(w * beta / f)) * factor;
  }
  return {hb, wb};
}

QwenImage qwen_preprocess(const torch::Tensor& rgb, const QwenConfig& config) {
  torch::NoGradGuard ng;
  torch::Tensor u8;
  if (rgb.scalar_type() == torch::kUInt8) {
    if (rgb.dim() != 3 || rgb.size(2) != 3) throw InvalidInput("VLM image: expected [H,W,3] uint8 RGB");
    u8 = rgb.to(torch::kCPU).contiguous();
  } else {
    auto x = rgb.dim() == 4 ? rgb.squeeze(0) : rgb;
    if (x.dim() != 3 || x.size(0) != 3) throw InvalidInput("VLM image: expected an RGB image [1,3,H,W]");
    u8 = x.to(torch::kCPU, torch::kFloat32).mul(255.0).round().clamp(0, 255).to(torch::kUInt8).permute({1, 2, 0}).contiguous();
  }
  const auto& vc = config.vision;
  const int64_t factor = vc.patch * vc.merge;
  auto resize_to = [&](std::pair<int64_t, int64_t> hw) {
    if (hw.first != u8.size(0) || hw.second != u8.size(1))
      u8 = pil_resize_u8(u8, static_cast<int>(hw.second), static_cast<int>(hw.first), Filter::Bicubic);
  };
  // qwen-vl-utils' fetch_image (its own bounds), then the image processor's smart_resize.
  resize_to(qwen_smart_resize(u8.size(0), u8.size(1), 28, 4 * 28 * 28, 16384 * 28 * 28));
  resize_to(qwen_smart_resize(u8.size(0), u8.size(1), factor, config.preprocess.min_pixels, config.preprocess.max_pixels));
  QwenImage img;
  img.pixels = u8;
  img.grid_t = 1;
  img.grid_h = u8.size(0) / vc.patch;
  img.grid_w = u8.size(1) / vc.patch;
  img.mean = config.preprocess.mean;
  img.std = config.preprocess.std;
  img.temporal_patch = vc.temporal_patch;
  img.patch = vc.patch;
  img.merge = vc.merge;
  return img;
}

torch::Tensor QwenImage::patches(const torch::Device& device) const {
  torch::NoGradGuard ng;
  // transformers 5's Qwen2VLImageProcessor (torchvision backend) fuses rescale and normalise: the
  // uint8 values as float32 minus mean * 255, divided by std * 255 (both products rounded to float32),
  // channels first. Bit for bit its pixel_values, so bf16 runs start from the same vision input.
  const int64_t H = pixels.size(0), W = pixels.size(1);
  auto x = pixels.to(device).to(torch::kFloat32).permute({2, 0, 1});
  auto m = (torch::tensor({mean[0], mean[1], mean[2]}) * (1.0 / (1.0 / 255.0))).view({3, 1, 1}).to(device);
  auto s = (torch::tensor({std[0], std[1], std[2]}) * (1.0 / (1.0 / 255.0))).view({3, 1, 1}).to(device);
  x = (x - m) / s;
  const int64_t T = temporal_patch, P = patch, M = merge, gh = H / P, gw = W / P;
  auto frames = x.unsqueeze(0).expand({T, 3, H, W});
  auto p = frames.reshape({1, T, 3, gh / M, M, P, gw / M, M, P}).permute({0, 3, 6, 4, 7, 2, 1, 5, 8});
  return p.reshape({gh * gw, 3 * T * P * P}).contiguous();
}

// ------------------------------------------------------------------------------------------ weights

namespace {

// The engine's fused kernels on CUDA (RMSNorm, SiLU-mul, decode RoPE + cache write, decode
// attention, GEMV) unless COZ_QWEN_FUSED=0 (the LibTorch formulas, for comparisons).
bool fused_enabled() {
  static const bool on = [] {
    const char* v = std::getenv("COZ_QWEN_FUSED");
    return !(v && std::string(v) == "0");
  }();
  return on;
}

// The decode attention kernel (filled cache slots only) and the one-row GEMV kernel: on by default
// (checked against fp64 by coz_cuda_check and against transformers' ids on the H200, see
// docs/PERFORMANCE.md); COZ_QWEN_DECODE_KERNELS=0 gives the step back to masked SDPA and cuBLAS, and
// COZ_QWEN_GEMV=0 only the projections to cuBLAS, for comparisons.
bool decode_kernels_enabled() {
  static const bool on = [] {
    const char* v = std::getenv("COZ_QWEN_DECODE_KERNELS");
    return !(v && std::string(v) == "0");
  }();
  return on;
}

bool gemv_enabled() {
  static const bool on = [] {
    const char* v = std::getenv("COZ_QWEN_GEMV");
    return decode_kernels_enabled() && !(v && std::string(v) == "0");
  }();
  return on;
}

torch::Tensor rms_norm(const torch::Tensor& x, const torch::Tensor& weight, double eps) {
  if (x.is_cuda() && fused_enabled())
    if (auto y = kernels::rms_norm(x.contiguous(), weight, eps); y.defined()) return y;
  auto h = x.to(torch::kFloat32);
  h = h * torch::rsqrt(h.pow(2).mean(-1, true) + eps);
  return weight * h.to(x.scalar_type());
}

// {x + r, rms_norm(x + r)}: one kernel on CUDA.
std::pair<torch::Tensor, torch::Tensor> add_rms_norm(const torch::Tensor& x, const torch::Tensor& r,
                                                     const torch::Tensor& weight, double eps) {
  if (x.is_cuda() && fused_enabled()) {
    auto out = kernels::add_rms_norm(x.contiguous(), r.contiguous(), weight, eps);
    if (out.first.defined()) return out;
  }
  auto s = x + r;
  return {s, rms_norm(s, weight, eps)};
}

// silu(gate) * up of a fused gate|up projection.
torch::Tensor swiglu(const torch::Tensor& gate_up) {
  if (gate_up.is_cuda() && fused_enabled())
    if (auto y = kernels::silu_mul(gate_up.contiguous()); y.defined()) return y;
  auto c = gate_up.chunk(2, -1);
  return torch::silu(c[0]) * c[1];
}

}  // namespace

torch::Tensor qwen_rotate_half(const torch::Tensor& x) {
  const int64_t half = x.size(-1) / 2;
  return torch::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
}

torch::Tensor qwen_choose(torch::Tensor logits, const torch::Tensor& seen, const torch::Tensor& banned,
                          const QwenGenerationConfig& g) {
  const double p = g.repetition_penalty;
  if (p != 1.0) logits = torch::where(seen, torch::where(logits < 0, logits * p, logits / p), logits);
  if (banned.defined() && banned.numel()) logits = logits.index_fill(0, banned, -std::numeric_limits<float>::infinity());
  if (!g.do_sample) return logits.argmax(0, true);
  if (g.temperature > 0 && g.temperature != 1.0) logits = logits / g.temperature;
  return (logits.size(0) - 1) - logits.flip(0).argmax(0, true);
}

namespace {

// Tensor names: the published ones first, then transformers 5's.
class QwenReader {
 public:
  QwenReader(const weights::WeightStore& store, const torch::Device& device, torch::Dtype dtype)
      : store_(store), device_(device), dtype_(dtype) {
    report.source = store.source();
  }
  torch::Tensor get(const std::string& name, std::vector<int64_t> shape, bool optional = false) {
    std::string n = name;
    if (!store_.has(n)) {
      for (const auto& alt : aliases(name))
        if (store_.has(alt)) n = alt;
    }
    if (!store_.has(n)) {
      if (!optional) report.missing.push_back(name);
      return {};
    }
    used_.insert(n);
    const auto& e = store_.entry(n);
    if (e.shape != shape) {
      report.mismatched.push_back({n, shape, e.shape});
      return {};
    }
    return store_.get(n).to(device_).to(dtype_);
  }
  void finish() {
    for (const auto& n : store_.names())
      if (!used_.count(n)) report.unexpected.push_back(n);
    weights::check_load(report, weights::Unexpected::Log);
  }
  weights::LoadReport report;

 private:
  static std::vector<std::string> aliases(const std::string& n) {
    if (n.rfind("visual.", 0) == 0) return {"model." + n};
    if (n.rfind("model.", 0) == 0) return {"model.language_model." + n.substr(6)};
    return {};
  }
  const weights::WeightStore& store_;
  torch::Device device_;
  torch::Dtype dtype_;
  std::set<std::string> used_;
};

torch::Tensor inv_freq(double theta, int64_t dim) {
  return 1.0 / torch::pow(theta, torch::arange(0, dim, 2, torch::kInt64).to(torch::kFloat32) / static_cast<double>(dim));
}

}  // namespace

QwenVL::~QwenVL() = default;

std::shared_ptr<QwenVL> QwenVL::load(const fs::path& dir, const torch::Device& device, torch::Dtype dtype) {
  torch::NoGradGuard ng;
  std::shared_ptr<QwenVL> m(new QwenVL());
  m->config_ = QwenConfig::from_folder(dir);
  m->device_ = device;
  m->dtype_ = dtype;
  // Tokenizer and its chat template.
  m->tokenizer_ = std::make_shared<const text::QwenTokenizer>(text::QwenTokenizer::from_file(dir / "tokenizer.json"));
  for (const char* tok : {"<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>", "<|image_pad|>"})
    if (!m->tokenizer_->token_id(tok))
      throw ModelLoadError((dir / "tokenizer.json").string() + ": no token " + tok + "; not a Qwen2-VL tokenizer");
  const auto& tc = m->config_.text;
  if (*m->tokenizer_->token_id("<|image_pad|>") != tc.image_token)
    throw ModelLoadError((dir / "tokenizer.json").string() + ": <|image_pad|> is id " +
                         std::to_string(*m->tokenizer_->token_id("<|image_pad|>")) + " but config.json's image_token_id is " +
                         std::to_string(tc.image_token) + "; the tokenizer belongs to another model");
  std::error_code ec;
  for (const char* f : {"chat_template.json", "tokenizer_config.json"}) {
    if (!fs::exists(dir / f, ec)) continue;
    const json j = read_json_file(dir / f, "the chat template");
    if (!j.is_object() || !j.contains("chat_template") || !j["chat_template"].is_string()) continue;
    const std::string t = j["chat_template"].get<std::string>();
    for (const char* piece : {"<|im_start|>", "<|im_end|>", "<|vision_start|><|image_pad|><|vision_end|>",
                              "<|im_start|>assistant"})
      if (t.find(piece) == std::string::npos)
        throw ModelLoadError((dir / f).string() + ": the chat template lacks \"" + piece +
                             "\"; it is not the Qwen2-VL template this prompt is built for");
  }

  const auto store = weights::WeightStore::open(dir);
  auto w = std::make_unique<Weights>();
  const auto& vc = m->config_.vision;
  {
    QwenReader r(store, device, dtype);
    const int64_t pdim = vc.in_channels * vc.temporal_patch * vc.patch * vc.patch;
    auto pe = r.get("visual.patch_embed.proj.weight", {vc.hidden, vc.in_channels, vc.temporal_patch, vc.patch, vc.patch});
    if (pe.defined()) w->patch_embed = pe.reshape({vc.hidden, pdim}).contiguous();
    const int64_t H = vc.hidden, I = vc.intermediate;
    for (int64_t i = 0; i < vc.depth; ++i) {
      const std::string p = "visual.blocks." + std::to_string(i) + ".";
      Weights::VisionBlock b;
      b.norm1 = r.get(p + "norm1.weight", {H});
      b.norm2 = r.get(p + "norm2.weight", {H});
      b.qkv = {r.get(p + "attn.qkv.weight", {3 * H, H}), r.get(p + "attn.qkv.bias", {3 * H})};
      b.proj = {r.get(p + "attn.proj.weight", {H, H}), r.get(p + "attn.proj.bias", {H})};
      auto gw = r.get(p + "mlp.gate_proj.weight", {I, H}), uw = r.get(p + "mlp.up_proj.weight", {I, H});
      auto gb = r.get(p + "mlp.gate_proj.bias", {I}), ub = r.get(p + "mlp.up_proj.bias", {I});
      if (gw.defined() && uw.defined() && gb.defined() && ub.defined())
        b.gate_up = {torch::cat({gw, uw}), torch::cat({gb, ub})};
      b.gate_b = gb, b.up_b = ub;
      b.down = {r.get(p + "mlp.down_proj.weight", {H, I}), r.get(p + "mlp.down_proj.bias", {H})};
      w->vblocks.push_back(std::move(b));
    }
    w->ln_q = r.get("visual.merger.ln_q.weight", {H});
    const int64_t MH = H * vc.merge * vc.merge;
    w->merger0 = {r.get("visual.merger.mlp.0.weight", {MH, MH}), r.get("visual.merger.mlp.0.bias", {MH})};
    w->merger2 = {r.get("visual.merger.mlp.2.weight", {vc.out_hidden, MH}), r.get("visual.merger.mlp.2.bias", {vc.out_hidden})};

    const int64_t D = tc.hidden, hd = tc.head_dim(), Q = tc.heads * hd, K = tc.kv_heads * hd, TI = tc.intermediate;
    w->embed = r.get("model.embed_tokens.weight", {tc.vocab, D});
    for (int64_t i = 0; i < tc.layers; ++i) {
      const std::string p = "model.layers." + std::to_string(i) + ".";
      Weights::TextLayer l;
      l.in_norm = r.get(p + "input_layernorm.weight", {D});
      l.post_norm = r.get(p + "post_attention_layernorm.weight", {D});
      auto qw = r.get(p + "self_attn.q_proj.weight", {Q, D}), kw = r.get(p + "self_attn.k_proj.weight", {K, D}),
           vw = r.get(p + "self_attn.v_proj.weight", {K, D});
      auto qb = r.get(p + "self_attn.q_proj.bias", {Q}), kb = r.get(p + "self_attn.k_proj.bias", {K}),
           vb = r.get(p + "self_attn.v_proj.bias", {K});
      if (qw.defined() && kw.defined() && vw.defined() && qb.defined() && kb.defined() && vb.defined())
        l.qkv = {torch::cat({qw, kw, vw}), torch::cat({qb, kb, vb})};
      l.q_b = qb, l.k_b = kb, l.v_b = vb;
      l.o = {r.get(p + "self_attn.o_proj.weight", {D, Q}), {}};
      auto gw = r.get(p + "mlp.gate_proj.weight", {TI, D}), uw = r.get(p + "mlp.up_proj.weight", {TI, D});
      if (gw.defined() && uw.defined()) l.gate_up = {torch::cat({gw, uw}), {}};
      l.down = {r.get(p + "mlp.down_proj.weight", {D, TI}), {}};
      w->layers.push_back(std::move(l));
    }
    w->norm = r.get("model.norm.weight", {D});
    w->lm_head = r.get("lm_head.weight", {tc.vocab, D}, /*optional=*/tc.tied);
    if (!w->lm_head.defined()) w->lm_head = w->embed;
    r.finish();
  }
  w->v_inv_freq = inv_freq(10000.0, vc.hidden / vc.heads / 2).to(device);
  w->t_inv_freq = inv_freq(tc.theta, tc.head_dim()).to(device);
  m->w_ = std::move(w);
  return m;
}

void QwenVL::set_cuda_graphs(bool on) {
  graphs_ = on;
  if (decoder_ && decoder_->graph) decoder_->graph->reset();
}

void QwenVL::to(const torch::Device& device) {
  if (device == device_) return;
  torch::NoGradGuard ng;
  decoder_.reset();
  vision_cache_.reset();
  auto moved = [&](const Weights& from, const std::function<torch::Tensor(const torch::Tensor&)>& f) {
    auto w = std::make_unique<Weights>(from);
    const bool tied = from.lm_head.is_same(from.embed);
    w->each([&](torch::Tensor& t) {
      if (t.defined()) t = f(t);
    });
    w->lm_head = tied ? w->embed : f(from.lm_head);
    return w;
  };
  if (device_.is_cpu() && device.is_cuda() && !host_ && torch::cuda::is_available())
    host_ = moved(*w_, [](const torch::Tensor& t) { return t.pin_memory(); });
  if (device.is_cpu() && host_) {
    w_ = std::make_unique<Weights>(*host_);  // the pinned copy: no transfer
  } else {
    const Weights& src = host_ ? *host_ : *w_;
    w_ = moved(src, [&](const torch::Tensor& t) { return t.to(device, /*non_blocking=*/true); });
    compat::cuda_synchronize(device);
  }
  device_ = device;
}

// ------------------------------------------------------------------------------------------- vision

namespace {

torch::Tensor segment_attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                const std::vector<QwenVL::Vision::Group>& groups, double scale) {
  // q, k, v: [N, heads, hd]
  const int64_t N = q.size(0), heads = q.size(1), hd = q.size(2);
  auto run = [&](const torch::Tensor& qq, const torch::Tensor& kk, const torch::Tensor& vv, int64_t count, int64_t len) {
    auto f = [&](const torch::Tensor& t) { return t.reshape({count, len, heads, hd}).transpose(1, 2); };
    return compat::sdpa(f(qq), f(kk), f(vv), c10::nullopt, false, scale).transpose(1, 2).reshape({count * len, heads, hd});
  };
  if (groups.size() == 1 && !groups[0].rows.defined()) return run(q, k, v, groups[0].count, groups[0].len);
  auto out = torch::empty_like(q);
  for (const auto& g : groups) {
    auto o = g.rows.defined() ? run(q.index_select(0, g.rows), k.index_select(0, g.rows), v.index_select(0, g.rows), g.count, g.len)
                              : run(q, k, v, g.count, g.len);
    out.index_copy_(0, g.rows, o);
  }
  (void)N;
  return out;
}

// Segments (start, length) grouped by length; one group covering 0..N-1 in order keeps no index.
std::vector<QwenVL::Vision::Group> group_segments(const std::vector<std::pair<int64_t, int64_t>>& segs,
                                                  const torch::Device& device) {
  std::map<int64_t, std::vector<int64_t>> by_len;
  for (const auto& [start, len] : segs) {
    auto& rows = by_len[len];
    for (int64_t i = 0; i < len; ++i) rows.push_back(start + i);
  }
  std::vector<QwenVL::Vision::Group> groups;
  for (auto& [len, rows] : by_len) {
    QwenVL::Vision::Group g;
    g.len = len;
    g.count = static_cast<int64_t>(rows.size()) / len;
    g.rows = torch::tensor(rows, torch::kInt64).to(device);
    groups.push_back(std::move(g));
  }
  if (groups.size() == 1) groups[0].rows = torch::Tensor();  // every segment has one length and they tile 0..N-1 in order
  return groups;
}

}  // namespace

const QwenVL::Vision& QwenVL::vision_layout(const std::vector<QwenImage>& images) {
  if (images.empty()) throw InvalidInput("VLM: no image");
  const auto& vc = config_.vision;
  const int64_t M = vc.merge, unit = M * M;
  std::vector<std::array<int64_t, 3>> key;
  for (const auto& im : images) {
    if (!im.pixels.defined() || im.grid_h % M || im.grid_w % M || im.grid_t != 1 || im.merge != M ||
        im.patch != vc.patch || im.temporal_patch != vc.temporal_patch || im.pixels.dim() != 3 ||
        im.pixels.size(0) != im.grid_h * vc.patch || im.pixels.size(1) != im.grid_w * vc.patch)
      throw InvalidInput("VLM: an image's patch grid does not match its patches; preprocess it with qwen_preprocess");
    key.push_back({im.grid_t, im.grid_h, im.grid_w});
  }
  if (!vision_cache_ || vision_cache_->key != key) {
    auto c = std::make_unique<Vision>();
    c->key = key;
    const int64_t vws = vc.window / M / vc.patch;
    std::vector<int64_t> window_index, hpos, wpos;
    std::vector<std::pair<int64_t, int64_t>> wsegs, fsegs;
    int64_t offset = 0, row = 0;
    for (const auto& [t, h, w] : key) {
      // Patch positions in merge-block order (rot_pos_emb).
      for (int64_t tt = 0; tt < t; ++tt)
        for (int64_t bh = 0; bh < h / M; ++bh)
          for (int64_t bw = 0; bw < w / M; ++bw)
            for (int64_t mh = 0; mh < M; ++mh)
              for (int64_t mw = 0; mw < M; ++mw) hpos.push_back(bh * M + mh), wpos.push_back(bw * M + mw);
      // Windows of vws x vws merged units over the grid padded by vws - (n % vws) (get_window_index).
      const int64_t lh = h / M, lw = w / M, ph = vws - lh % vws, pw = vws - lw % vws;
      const int64_t nwh = (lh + ph) / vws, nww = (lw + pw) / vws;
      for (int64_t tt = 0; tt < t; ++tt)
        for (int64_t wy = 0; wy < nwh; ++wy)
          for (int64_t wx = 0; wx < nww; ++wx) {
            int64_t n = 0;
            for (int64_t y = wy * vws; y < std::min(lh, (wy + 1) * vws); ++y)
              for (int64_t x = wx * vws; x < std::min(lw, (wx + 1) * vws); ++x, ++n)
                window_index.push_back(offset + tt * lh * lw + y * lw + x);
            if (n) wsegs.emplace_back(row, n * unit), row += n * unit;
          }
      for (int64_t tt = 0; tt < t; ++tt) fsegs.emplace_back((offset + tt * lh * lw) * unit, h * w);
      offset += t * lh * lw;
    }
    auto wi = torch::tensor(window_index, torch::kInt64);
    c->window_index = wi.to(device_);
    c->reverse = wi.argsort().to(device_);
    const int64_t N = static_cast<int64_t>(hpos.size());
    auto inv = w_->v_inv_freq.to(torch::kCPU);
    auto th = torch::outer(torch::tensor(hpos, torch::kInt64).to(torch::kFloat32), inv);
    auto tw = torch::outer(torch::tensor(wpos, torch::kInt64).to(torch::kFloat32), inv);
    auto theta = torch::cat({th, tw}, 1);  // [N, hd/2]
    theta = theta.view({N / unit, unit, -1}).index_select(0, wi).reshape({N, -1});
    auto emb = torch::cat({theta, theta}, 1).unsqueeze(1);  // [N, 1, hd]
    c->cos = emb.cos().to(device_);
    c->sin = emb.sin().to(device_);
    c->theta = theta.to(device_);
    c->window_groups = group_segments(wsegs, device_);
    c->full_groups = group_segments(fsegs, device_);
    for (const auto& sg : wsegs) c->window_lens.push_back(sg.second);
    for (const auto& sg : fsegs) c->full_lens.push_back(sg.second);
    vision_cache_ = std::move(c);
  }
  return *vision_cache_;
}

torch::Tensor QwenVL::vision(const std::vector<QwenImage>& images) {
  torch::NoGradGuard ng;
  const auto& c = vision_layout(images);
  const auto& vc = config_.vision;
  const int64_t M = vc.merge, unit = M * M, hd = vc.hidden / vc.heads;
  std::vector<torch::Tensor> rows;
  for (const auto& im : images) rows.push_back(im.patches(device_));
  auto x = torch::cat(rows).to(dtype_);
  x = torch::linear(x, w_->patch_embed);
  const int64_t N = x.size(0);
  x = x.view({N / unit, unit, -1}).index_select(0, c.window_index).reshape({N, -1});
  const double scale = 1.0 / std::sqrt(static_cast<double>(hd));
  std::set<int64_t> full(vc.fullatt_blocks.begin(), vc.fullatt_blocks.end());
  for (int64_t i = 0; i < vc.depth; ++i) {
    const auto& b = w_->vblocks[static_cast<size_t>(i)];
    auto h = rms_norm(x, b.norm1, 1e-6);
    auto qkv = b.qkv(h).view({N, 3, vc.heads, hd});
    auto rope = [&](const torch::Tensor& t) {
      auto f = t.to(torch::kFloat32);
      return (f * c.cos + qwen_rotate_half(f) * c.sin).to(dtype_);
    };
    auto q = rope(qkv.select(1, 0)), k = rope(qkv.select(1, 1)), v = qkv.select(1, 2);
    auto a = segment_attention(q, k, v, full.count(i) ? c.full_groups : c.window_groups, scale);
    x = x + b.proj(a.reshape({N, vc.hidden}));
    x = x + b.down(swiglu(b.gate_up(rms_norm(x, b.norm2, 1e-6))));
  }
  auto h = rms_norm(x, w_->ln_q, 1e-6).view({N / unit, unit * vc.hidden});
  h = w_->merger2(torch::gelu(w_->merger0(h)));
  return h.index_select(0, c.reverse);
}

// --------------------------------------------------------------------------------------- text model

std::string QwenVL::chat_text(const std::string& system, int n_images) {
  std::string s = "<|im_start|>system\n" + system + "<|im_end|>\n<|im_start|>user\n";
  for (int i = 0; i < n_images; ++i) s += "<|vision_start|><|image_pad|><|vision_end|>";
  return s + "<|im_end|>\n<|im_start|>assistant\n";
}

std::vector<int64_t> QwenVL::prompt_ids(const std::string& system, const std::vector<QwenImage>& images) const {
  const std::string chat = chat_text(system, static_cast<int>(images.size()));
  const std::string pad = "<|image_pad|>";
  std::string text;
  size_t from = 0;
  for (const auto& im : images) {
    const size_t at = chat.find(pad, from);
    text += chat.substr(from, at - from);
    for (int64_t i = 0; i < im.tokens(); ++i) text += pad;
    from = at + pad.size();
  }
  text += chat.substr(from);
  return tokenizer_->encode(text);
}

std::pair<torch::Tensor, int64_t> QwenVL::rope_index(const std::vector<int64_t>& ids,
                                                     const std::vector<QwenImage>& images) const {
  const int64_t L = static_cast<int64_t>(ids.size()), M = config_.vision.merge;
  auto pos = torch::empty({3, L}, torch::kInt64);
  auto p = pos.accessor<int64_t, 2>();
  int64_t cur = 0, max_pos = -1;
  size_t img = 0;
  for (int64_t i = 0; i < L;) {
    if (ids[static_cast<size_t>(i)] == config_.text.image_token) {
      if (img >= images.size())
        throw InvalidInput("VLM prompt: more image tokens than images (" + std::to_string(images.size()) + ")");
      const auto& im = images[img++];
      const int64_t lh = im.grid_h / M, lw = im.grid_w / M, n = im.grid_t * lh * lw;
      if (i + n > L) throw InvalidInput("VLM prompt: an image's tokens run past the end of the prompt");
      int64_t k = i;
      for (int64_t t = 0; t < im.grid_t; ++t)
        for (int64_t r = 0; r < lh; ++r)
          for (int64_t c = 0; c < lw; ++c, ++k) {
            if (ids[static_cast<size_t>(k)] != config_.text.image_token)
              throw InvalidInput("VLM prompt: image " + std::to_string(img) + " has fewer image tokens than its grid");
            p[0][k] = cur, p[1][k] = cur + r, p[2][k] = cur + c;  // images: temporal index 0
          }
      max_pos = cur + std::max(lh, lw) - 1;
      cur = max_pos + 1;
      i += n;
    } else {
      p[0][i] = p[1][i] = p[2][i] = cur;
      max_pos = cur++;
      ++i;
    }
  }
  if (img != images.size())
    throw InvalidInput("VLM prompt: " + std::to_string(images.size()) + " images but image tokens for " + std::to_string(img));
  return {pos, max_pos + 1 - L};
}

torch::Tensor QwenVL::embed_prompt(const std::vector<int64_t>& ids, const std::vector<QwenImage>& images, bool exact,
                                   const QwenTensorTap& tap) {
  for (auto id : ids)
    if (id < 0 || id >= config_.text.vocab) throw InvalidInput("VLM prompt: token id " + std::to_string(id) + " out of range");
  auto ids_t = torch::tensor(ids, torch::kInt64);
  auto e = w_->embed.index_select(0, ids_t.to(device_));
  std::vector<int64_t> where;
  for (size_t i = 0; i < ids.size(); ++i)
    if (ids[i] == config_.text.image_token) where.push_back(static_cast<int64_t>(i));
  if (!images.empty() || !where.empty()) {
    auto feats = images.empty() ? torch::Tensor() : exact ? vision_exact(images, tap) : vision(images);
    if (!feats.defined() || feats.size(0) != static_cast<int64_t>(where.size()))
      throw InvalidInput("VLM prompt: " + std::to_string(where.size()) + " image tokens for " +
                         std::to_string(feats.defined() ? feats.size(0) : 0) + " image features");
    e.index_copy_(0, torch::tensor(where, torch::kInt64).to(device_), feats.to(e.scalar_type()));
  }
  return e;
}

namespace {

// M-RoPE tables [L, head_dim] in the model dtype from positions [3, L] (device).
std::pair<torch::Tensor, torch::Tensor> mrope(const torch::Tensor& positions, const torch::Tensor& inv,
                                              const std::vector<int64_t>& section, torch::Dtype dtype) {
  auto freqs = positions.to(torch::kFloat32).unsqueeze(-1) * inv.view({1, 1, -1});  // [3, L, hd/2]
  auto emb = torch::cat({freqs, freqs}, -1);
  auto cos = emb.cos().to(dtype), sin = emb.sin().to(dtype);
  std::vector<int64_t> sizes;
  for (int rep = 0; rep < 2; ++rep)
    for (auto s : section) sizes.push_back(s);
  auto pick = [&](const torch::Tensor& t) {
    auto parts = t.split_with_sizes(sizes, -1);
    std::vector<torch::Tensor> sel;
    for (size_t i = 0; i < parts.size(); ++i) sel.push_back(parts[i].select(0, static_cast<int64_t>(i % 3)));
    return torch::cat(sel, -1);  // [L, hd]
  };
  return {pick(cos), pick(sin)};
}

}  // namespace

torch::Tensor QwenVL::forward_prefill(const torch::Tensor& embeds, const torch::Tensor& positions, int64_t capacity,
                                      bool all_logits) {
  const auto& tc = config_.text;
  const int64_t L = embeds.size(0), hd = tc.head_dim(), Q = tc.heads * hd, K = tc.kv_heads * hd, rep = tc.heads / tc.kv_heads;
  auto [cos, sin] = mrope(positions.to(device_), w_->t_inv_freq, tc.mrope_section, dtype_);
  cos = cos.view({1, 1, L, hd}), sin = sin.view({1, 1, L, hd});
  const double scale = 1.0 / std::sqrt(static_cast<double>(hd));
  auto x = embeds.unsqueeze(0);
  for (int64_t i = 0; i < tc.layers; ++i) {
    const auto& l = w_->layers[static_cast<size_t>(i)];
    auto qkv = l.qkv(rms_norm(x, l.in_norm, tc.eps));
    auto q = qkv.narrow(-1, 0, Q).view({1, L, tc.heads, hd}).transpose(1, 2);
    auto k = qkv.narrow(-1, Q, K).view({1, L, tc.kv_heads, hd}).transpose(1, 2);
    auto v = qkv.narrow(-1, Q + K, K).view({1, L, tc.kv_heads, hd}).transpose(1, 2);
    q = q * cos + qwen_rotate_half(q) * sin;
    k = k * cos + qwen_rotate_half(k) * sin;
    if (capacity > 0) {
      decoder_->k[i].narrow(2, 0, L).copy_(k);
      decoder_->v[i].narrow(2, 0, L).copy_(v);
    }
    auto kx = k.unsqueeze(2).expand({1, tc.kv_heads, rep, L, hd}).reshape({1, tc.heads, L, hd});
    auto vx = v.unsqueeze(2).expand({1, tc.kv_heads, rep, L, hd}).reshape({1, tc.heads, L, hd});
    auto a = compat::sdpa(q, kx, vx, c10::nullopt, /*causal=*/true, scale);
    x = x + l.o(a.transpose(1, 2).reshape({1, L, Q}));
    x = x + l.down(swiglu(l.gate_up(rms_norm(x, l.post_norm, tc.eps))));
  }
  x = rms_norm(all_logits ? x : x.narrow(1, L - 1, 1), w_->norm, tc.eps);
  return torch::linear(x, w_->lm_head).squeeze(0);  // [L or 1, vocab]
}

torch::Tensor QwenVL::prefill_logits(const std::vector<int64_t>& ids, const std::vector<QwenImage>& images) {
  torch::NoGradGuard ng;
  auto e = embed_prompt(ids, images);
  auto pos = rope_index(ids, images).first;
  return forward_prefill(e, pos, 0, true).to(torch::kCPU, torch::kFloat32);
}

std::vector<int64_t> QwenVL::generate(const std::vector<int64_t>& ids, const std::vector<QwenImage>& images,
                                      const QwenGenerateOptions& opt, const RunControl* ctl, QwenTimings* timings) {
  torch::NoGradGuard ng;
  using clock = std::chrono::steady_clock;
  if (ids.empty()) throw InvalidInput("VLM: empty prompt");
  if (opt.exact) return generate_exact(ids, images, opt, ctl, timings);
  const auto& tc = config_.text;
  const int64_t L = static_cast<int64_t>(ids.size());
  const int64_t max_new = opt.max_new_tokens > 0 ? opt.max_new_tokens : config_.generation.max_new_tokens;
  const int64_t hd = tc.head_dim(), Q = tc.heads * hd, K = tc.kv_heads * hd, rep = tc.heads / tc.kv_heads;
  if (ctl) ctl->check_cancel();

  auto t0 = clock::now();
  auto e = embed_prompt(ids, images);
  auto [pos, delta] = rope_index(ids, images);
  compat::cuda_synchronize(device_);
  if (timings) timings->vision_ms = qwen_ms_since(t0), timings->prompt_tokens = L;

  // Static KV cache: capacity rounded up so that one captured decode graph serves many prompts.
  const int64_t need = L + max_new, capacity = (need + 255) / 256 * 256;
  if (!decoder_ || decoder_->capacity < capacity || decoder_->ignore_eos != opt.ignore_eos) {
    decoder_.reset();
    auto d = std::make_unique<Decoder>();
    d->capacity = capacity;
    auto o = torch::TensorOptions().device(device_).dtype(dtype_);
    d->k = torch::zeros({tc.layers, 1, tc.kv_heads, capacity, hd}, o);
    d->v = torch::zeros({tc.layers, 1, tc.kv_heads, capacity, hd}, o);
    auto io = torch::TensorOptions().device(device_).dtype(torch::kInt64);
    d->token = torch::zeros({1}, io), d->pos = torch::zeros({1}, io), d->delta = torch::zeros({1}, io);
    d->seen = torch::zeros({tc.vocab}, io.dtype(torch::kBool));
    d->slots = torch::arange(capacity, io);
    d->eos = torch::tensor(config_.generation.eos, torch::kInt64).to(device_);
    d->ignore_eos = opt.ignore_eos;
    d->graph = std::make_unique<GraphedCall>("the VLM decode step");
    decoder_ = std::move(d);
  }
  auto& d = *decoder_;
  const auto neg_inf = -std::numeric_limits<float>::infinity();
  auto choose = [&](const torch::Tensor& logits) {  // [vocab] float32 -> [1] int64
    return qwen_choose(logits, d.seen, d.ignore_eos ? d.eos : torch::Tensor(), config_.generation);
  };

  t0 = clock::now();
  d.seen.zero_();
  d.seen.index_fill_(0, torch::tensor(ids, torch::kInt64).to(device_), true);
  auto first = choose(forward_prefill(e, pos, capacity, false).view({tc.vocab}).to(torch::kFloat32));
  d.token.copy_(first);
  d.pos.fill_(L);
  d.delta.fill_(delta);
  std::vector<int64_t> out{first.item<int64_t>()};
  if (opt.on_token) opt.on_token(out.back());
  if (timings) timings->prefill_ms = qwen_ms_since(t0);
  auto is_eos = [&](int64_t id) {
    return std::find(config_.generation.eos.begin(), config_.generation.eos.end(), id) != config_.generation.eos.end();
  };

  const double scale = 1.0 / std::sqrt(static_cast<double>(hd));
  auto step = [&](const std::vector<torch::Tensor>& in) -> std::vector<torch::Tensor> {
    const auto& token = in[0];
    const auto& p = in[1];
    auto x = w_->embed.index_select(0, token).view({1, 1, tc.hidden});
    auto freqs = (p + in[2]).to(torch::kFloat32).view({1, 1}) * w_->t_inv_freq.view({1, -1});
    auto emb = torch::cat({freqs, freqs}, -1);
    auto cos = emb.cos().to(dtype_).view({hd}), sin = emb.sin().to(dtype_).view({hd});
    const bool kernels = x.is_cuda() && fused_enabled();
    torch::Tensor mask;  // only where the attention kernel does not apply
    auto attention = [&](const torch::Tensor& q, const torch::Tensor& kc, const torch::Tensor& vc) {
      if (kernels && decode_kernels_enabled())
        if (auto a = kernels::decode_attention(q, kc, vc, p, scale); a.defined()) return a;
      if (!mask.defined())
        mask = torch::zeros({1, 1, 1, d.capacity}, x.options()).masked_fill_((d.slots > p).view({1, 1, 1, -1}), neg_inf);
      // GQA without copies: the `rep` query heads of one key/value head are its query rows.
      return compat::sdpa(q.view({1, tc.kv_heads, rep, hd}), kc, vc, mask, false, scale);
    };
    // The GEMV kernel for rows up to 4096 wide (q/k/v, o, gate/up, lm_head: 1.1-1.3x cuBLAS's speed
    // on the H200); the 11008-wide down projection stays with cuBLAS's split-K, which streams long
    // rows faster than one warp a row (coz_cuda_check --time: 13.3 against 17.8 us).
    auto linear = [&](const torch::Tensor& in, const QwenLinear& l) {
      if (kernels && gemv_enabled() && in.size(-1) <= 4096)
        if (auto y = kernels::gemv(in, l.w, l.b); y.defined()) return y;
      return l(in);
    };
    // Each residual add is fused with the norm that follows it.
    auto h = rms_norm(x, w_->layers[0].in_norm, tc.eps);
    for (int64_t i = 0; i < tc.layers; ++i) {
      const auto& l = w_->layers[static_cast<size_t>(i)];
      auto qkv = linear(h, l.qkv);
      auto kc = d.k[i], vc = d.v[i];  // [1, kv_heads, capacity, hd]
      torch::Tensor q;
      if (kernels) q = torch::empty({1, tc.heads, 1, hd}, x.options());
      if (!kernels || !kernels::rope_cache_decode(qkv, cos, sin, q, kc, vc, p, tc.heads, tc.kv_heads, hd)) {
        auto c4 = cos.view({1, 1, 1, hd}), s4 = sin.view({1, 1, 1, hd});
        q = qkv.narrow(-1, 0, Q).view({1, tc.heads, 1, hd});
        auto k = qkv.narrow(-1, Q, K).view({1, tc.kv_heads, 1, hd});
        auto v = qkv.narrow(-1, Q + K, K).view({1, tc.kv_heads, 1, hd});
        q = q * c4 + qwen_rotate_half(q) * s4;
        k = k * c4 + qwen_rotate_half(k) * s4;
        kc.index_copy_(2, p, k);
        vc.index_copy_(2, p, v);
      }
      auto a = attention(q, kc, vc);
      std::tie(x, h) = add_rms_norm(x, linear(a.reshape({1, 1, Q}), l.o), l.post_norm, tc.eps);
      const auto& next_norm = i + 1 < tc.layers ? w_->layers[static_cast<size_t>(i + 1)].in_norm : w_->norm;
      std::tie(x, h) = add_rms_norm(x, linear(swiglu(linear(h, l.gate_up)), l.down), next_norm, tc.eps);
    }
    auto logits = linear(h, QwenLinear{w_->lm_head, {}}).view({tc.vocab}).to(torch::kFloat32);
    d.seen.index_fill_(0, token, true);
    return {choose(logits)};
  };

  t0 = clock::now();
  while (static_cast<int64_t>(out.size()) < max_new && !is_eos(out.back())) {
    if (ctl) ctl->check_cancel();
    const std::vector<torch::Tensor> in{d.token, d.pos, d.delta};
    auto next = graphs_ && device_.is_cuda() ? d.graph->run(in, step)[0] : step(in)[0];
    d.token.copy_(next);
    d.pos.add_(1);
    out.push_back(next.item<int64_t>());  // the one host synchronisation per token
    if (opt.on_token) opt.on_token(out.back());
  }
  if (timings) timings->decode_ms = qwen_ms_since(t0), timings->new_tokens = static_cast<int64_t>(out.size());
  return out;
}

std::string QwenVL::describe(const std::string& system, const std::vector<QwenImage>& images, const RunControl* ctl,
                             QwenTimings* timings) {
  auto ids = generate(prompt_ids(system, images), images, {}, ctl, timings);
  // Ids of the embedding's padding rows (151665.. in Qwen2.5-VL) have no text; transformers' decode
  // drops them, and so does this.
  ids.erase(std::remove_if(ids.begin(), ids.end(), [&](int64_t id) { return !tokenizer_->has_id(id); }), ids.end());
  return tokenizer_->decode(ids, /*skip_special_tokens=*/true);
}

}  // namespace coz::models
