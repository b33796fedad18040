// Follows CoZ's ram/models/ram_lora.py (RAMLora: generate_tag, condition_forward, ram(), the
// thresholds rule), ram/models/utils.py (load_checkpoint_swinlarge, tie_encoder_decoder_weights),
// ram/models/bert_lora.py (BertLayer in mode "tagging") and loralib 0.1.2 (Linear / MergedLinear
// merge on .eval()).
#include "models/ram_head.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "compat.h"
#include "coz/error.h"

namespace coz::models {
namespace fs = std::filesystem;
using State = std::map<std::string, torch::Tensor>;

namespace {

torch::nn::LayerNorm layer_norm(int64_t dim, double eps) {
  return torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(eps));
}

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

// Tensors RAM checkpoints hold that the tagging path does not use: the text encoder/decoder, the
// buffers the reference recomputes, the head's deleted embeddings and self-attention.
bool unused_by_tagging(const std::string& k) {
  if (starts_with(k, "tag_encoder.") || starts_with(k, "text_decoder.") || starts_with(k, "tagging_head.embeddings."))
    return true;
  if (k.find("relative_position_index") != std::string::npos || k.find("attn_mask") != std::string::npos) return true;
  return starts_with(k, "tagging_head.encoder.layer.") && k.find(".attention.") != std::string::npos;
}

// The base checkpoint as load_checkpoint_swinlarge sees it: checkpoint["model"] (or a bare state
// dict), "vision_multi" renamed to "tagging_head".
State base_state(const weights::WeightStore& st) {
  const std::string prefix = st.has("model.visual_encoder.patch_embed.proj.weight") ? "model." : "";
  State s;
  for (const auto& n : st.names()) {
    if (!starts_with(n, prefix)) continue;
    std::string k = n.substr(prefix.size());
    for (size_t p; (p = k.find("vision_multi")) != std::string::npos;) k.replace(p, 12, "tagging_head");
    s[k] = st.get(n);
  }
  return s;
}

// Linear `W += (B @ A) * (alpha / r)`, alpha = 1 (loralib.Linear as RAM builds it).
void merge_linear(torch::Tensor& W, const torch::Tensor& A, const torch::Tensor& B, const std::string& name,
                  const std::string& file) {
  if (A.dim() != 2 || B.dim() != 2 || A.size(1) != W.size(1) || B.size(0) != W.size(0) || B.size(1) != A.size(0) ||
      A.size(0) < 1)
    throw ModelLoadError(file + ": LoRA " + name + " has lora_A " + weights::shape_str(A.sizes().vec()) + " and lora_B " +
                         weights::shape_str(B.sizes().vec()) + ", which do not fit the weight " +
                         weights::shape_str(W.sizes().vec()));
  W += torch::matmul(B.to(torch::kFloat32), A.to(torch::kFloat32)) * (1.0 / static_cast<double>(A.size(0)));
}

// loralib.MergedLinear(dim, 3*dim, r, enable_lora=[True, False, True]): lora_A [2r, dim] (rows 0..r-1
// for q, r..2r-1 for v), lora_B [2*dim, r]; q rows 0..dim-1 and v rows 2dim..3dim-1 get the deltas.
void merge_qkv(torch::Tensor& W, const torch::Tensor& A, const torch::Tensor& B, const std::string& name,
               const std::string& file) {
  using torch::indexing::Slice;
  const int64_t dim = W.size(1);
  if (A.dim() != 2 || B.dim() != 2 || A.size(0) % 2 != 0 || A.size(0) < 2 || A.size(1) != dim || B.size(0) != 2 * dim ||
      B.size(1) * 2 != A.size(0) || W.size(0) != 3 * dim)
    throw ModelLoadError(file + ": LoRA " + name + " has lora_A " + weights::shape_str(A.sizes().vec()) + " and lora_B " +
                         weights::shape_str(B.sizes().vec()) + ", which do not fit a q/v-merged qkv of width " +
                         std::to_string(dim));
  const int64_t r = A.size(0) / 2;
  const double scaling = 1.0 / static_cast<double>(r);
  const auto a = A.to(torch::kFloat32), b = B.to(torch::kFloat32);
  W.index({Slice(0, dim)}) += torch::matmul(b.index({Slice(0, dim)}), a.index({Slice(0, r)})) * scaling;
  W.index({Slice(2 * dim, 3 * dim)}) += torch::matmul(b.index({Slice(dim, 2 * dim)}), a.index({Slice(r, 2 * r)})) * scaling;
}

std::string read_text(const fs::path& file, const char* what) {
  std::ifstream f(file, std::ios::binary);
  if (!f) throw ModelLoadError(file.string() + ": cannot open the RAM " + what + " (missing or unreadable); run: coz models pull dape");
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Python str.splitlines() for \n, \r\n and \r (no empty last element after a final break).
std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0, start = 0;
  while (i < s.size()) {
    if (s[i] == '\n' || s[i] == '\r') {
      out.push_back(s.substr(start, i - start));
      if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      start = ++i;
    } else {
      ++i;
    }
  }
  if (start < s.size()) out.push_back(s.substr(start));
  return out;
}

}  // namespace

std::vector<std::string> read_ram_tag_list(const fs::path& file, int64_t num_class) {
  auto tags = split_lines(read_text(file, "tag list"));
  if (static_cast<int64_t>(tags.size()) != num_class)
    throw ModelLoadError(file.string() + ": the tag list has " + std::to_string(tags.size()) + " tags but the model's " +
                         "label embedding has " + std::to_string(num_class) + " classes; the tag list does not belong to "
                         "this RAM checkpoint");
  return tags;
}

torch::Tensor read_ram_thresholds(const fs::path& file, int64_t num_class) {
  auto lines = split_lines(read_text(file, "thresholds file"));
  while (!lines.empty() && lines.back().find_first_not_of(" \t\f\v") == std::string::npos) lines.pop_back();
  if (static_cast<int64_t>(lines.size()) != num_class)
    throw ModelLoadError(file.string() + ": the thresholds file has " + std::to_string(lines.size()) +
                         " values but the model has " + std::to_string(num_class) + " classes");
  auto t = torch::empty({num_class}, torch::kFloat32);
  auto* p = t.data_ptr<float>();
  constexpr double max_threshold = 0.9, add_threshold = 0.0;  // CoZ's RAMLora defaults
  for (int64_t k = 0; k < num_class; ++k) {
    const std::string& s = lines[static_cast<size_t>(k)];
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    const bool rest_blank = end && std::string(end).find_first_not_of(" \t\f\v") == std::string::npos;
    if (end == s.c_str() || !rest_blank || !std::isfinite(v))
      throw ModelLoadError(file.string() + ": line " + std::to_string(k + 1) + " (\"" + s.substr(0, 40) +
                           "\") is not a number");
    p[k] = static_cast<float>(v > max_threshold ? v : std::min(v + add_threshold, max_threshold));
  }
  return t;
}

// ------------------------------------------------------------------------------ modules

RamHeadLayerImpl::RamHeadLayerImpl(const RamConfig& c) : heads_(c.head_heads) {
  const int64_t H = c.head_hidden;
  auto cross = register_module("crossattention", std::make_shared<torch::nn::Module>());
  auto self = cross->register_module("self", std::make_shared<torch::nn::Module>());
  query = self->register_module("query", Dense(H, H));
  key = self->register_module("key", Dense(c.embed_width, H));
  value = self->register_module("value", Dense(c.embed_width, H));
  auto cross_out = cross->register_module("output", std::make_shared<torch::nn::Module>());
  attn_dense_ = cross_out->register_module("dense", Dense(H, H));
  attn_norm_ = cross_out->register_module("LayerNorm", layer_norm(H, c.head_eps));
  auto inter = register_module("intermediate", std::make_shared<torch::nn::Module>());
  inter_dense_ = inter->register_module("dense", Dense(H, c.head_intermediate));
  auto out = register_module("output", std::make_shared<torch::nn::Module>());
  out_dense_ = out->register_module("dense", Dense(c.head_intermediate, H));
  out_norm_ = out->register_module("LayerNorm", layer_norm(H, c.head_eps));
}

torch::Tensor RamHeadLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& image) {
  const int64_t B = x.size(0), C = x.size(1), H = x.size(2), T = image.size(1), d = H / heads_;
  auto heads = [&](const torch::Tensor& t, int64_t n) { return t.view({B, n, heads_, d}).transpose(1, 2); };
  // The image mask is all ones: the additive mask is 0 and is left out.
  const auto ctx = compat::sdpa(heads(query(x), C), heads(key(image), T), heads(value(image), T), c10::nullopt, false,
                                1.0 / std::sqrt(static_cast<double>(d)));
  const auto a = attn_norm_(attn_dense_(ctx.transpose(1, 2).reshape({B, C, H})) + x);
  return out_norm_(out_dense_(torch::gelu(inter_dense_(a))) + a);
}

RamModelImpl::RamModelImpl(const RamConfig& c) {
  visual_encoder = register_module("visual_encoder", RamSwin(c));
  image_proj_ = register_module("image_proj", Dense(c.vision_width(), c.embed_width));
  label_embed_ = register_parameter("label_embed", torch::zeros({c.num_class, c.embed_width}));
  wordvec_proj_ = register_module("wordvec_proj", Dense(c.embed_width, c.head_hidden));
  fc_ = register_module("fc", Dense(c.head_hidden, 1));
  auto tagging_head = register_module("tagging_head", std::make_shared<torch::nn::Module>());
  auto encoder = tagging_head->register_module("encoder", std::make_shared<torch::nn::Module>());
  auto layers = encoder->register_module("layer", torch::nn::ModuleList());
  for (int64_t i = 0; i < c.head_layers; ++i) {
    head.emplace_back(c);
    layers->push_back(head.back());
  }
}

torch::Tensor RamModelImpl::forward(const torch::Tensor& image) {
  const auto emb = image_proj_(visual_encoder(image));                                       // [B, T, W]
  auto q = torch::relu(wordvec_proj_(label_embed_)).unsqueeze(0).expand({image.size(0), -1, -1});  // [B, C, H]
  for (auto& layer : head) q = layer(q, emb);
  return fc_(q).squeeze(-1);  // [B, C]
}

// ------------------------------------------------------------------------------ loading

std::shared_ptr<RamTagger> RamTagger::load(const RamPaths& paths, const torch::Device& device, torch::Dtype dtype) {
  torch::NoGradGuard ng;
  const std::string base_file = paths.checkpoint.string();
  State base;
  {
    const auto st = weights::WeightStore::open_pickle(paths.checkpoint);
    if (!st.list().empty())
      throw ModelLoadError(base_file + ": a list of tensors, not a RAM checkpoint (a state dict under \"model\")");
    base = base_state(st);
  }
  auto t = std::make_shared<RamTagger>();
  t->config_ = RamConfig::from_weights(base, base_file);
  t->model_ = RamModel(t->config_);
  auto& model = *t->model_;

  // Base weights: every parameter by name; the tag_encoder copies of the tied head layers and the
  // text model are ignored (the reference's strict=False load keeps the tagging_head values).
  weights::LoadReport& r = t->report_;
  r.source = base_file;
  std::set<std::string> used;
  auto params = model.named_parameters();
  for (auto& p : params) {
    auto it = base.find(p.key());
    if (it == base.end()) {
      r.missing.push_back(p.key());
    } else if (it->second.sizes() != p.value().sizes()) {
      r.mismatched.push_back({p.key(), p.value().sizes().vec(), it->second.sizes().vec()});
    } else {
      p.value().copy_(it->second.to(torch::kFloat32));
      used.insert(p.key());
    }
  }
  State lora;
  for (const auto& [k, v] : base) {
    if (k.find(".lora_") != std::string::npos) lora[k] = v;
    else if (!used.count(k) && !unused_by_tagging(k)) r.unexpected.push_back(k);
  }
  weights::check_load(r, weights::Unexpected::Log);

  // DAPE.pth: a flat state dict loaded with strict=False on top: LoRA tensors, and any full
  // weight it carries replaces the base one. A tied tag_encoder head-layer weight lands in the
  // tagging_head (they share one Parameter) unless the tagging_head name is there too.
  if (!paths.dape.empty()) {
    const std::string dape_file = paths.dape.string();
    const auto st = weights::WeightStore::open_pickle(paths.dape);
    int64_t overlaid = 0;
    weights::LoadReport dr;
    dr.source = dape_file;
    std::map<std::string, torch::Tensor> by_name;
    for (auto& p : params) by_name[p.key()] = p.value();
    auto overlay = [&](const std::string& target, const torch::Tensor& v, const std::string& src) {
      auto& w = by_name.at(target);
      if (w.sizes() != v.sizes()) {
        dr.mismatched.push_back({src, w.sizes().vec(), v.sizes().vec()});
        return;
      }
      w.copy_(v.to(torch::kFloat32));
      ++overlaid;
    };
    for (const auto& n : st.names()) {
      const auto v = st.get(n);
      if (n.find(".lora_") != std::string::npos) {
        lora[n] = v;
      } else if (by_name.count(n)) {
        overlay(n, v, n);
      } else if (starts_with(n, "tag_encoder.encoder.layer.")) {
        const std::string head_name = "tagging_head" + n.substr(11);  // same layer index and suffix
        const bool tied = by_name.count(head_name) && n.find(".attention.") == std::string::npos;
        if (tied && !st.has(head_name)) overlay(head_name, v, n);
      } else if (!unused_by_tagging(n)) {
        dr.unexpected.push_back(n);
      }
    }
    // Merge (loralib .eval()): Swin qkv q/v groups, then per head layer the tag_encoder delta
    // (merged first, into the shared weight) and the tagging_head delta.
    int64_t merged = 0;
    auto pair = [&](const std::string& prefix, torch::Tensor& A, torch::Tensor& B) {
      auto a = lora.find(prefix + "lora_A"), b = lora.find(prefix + "lora_B");
      if (a == lora.end() && b == lora.end()) return false;
      if (a == lora.end() || b == lora.end())
        throw ModelLoadError(dape_file + ": " + prefix + (a == lora.end() ? "lora_A" : "lora_B") +
                             " is missing (its partner is there)");
      A = a->second;
      B = b->second;
      lora.erase(a);
      lora.erase(b);
      return true;
    };
    const auto& c = t->config_;
    for (size_t s = 0; s < c.depths.size(); ++s)
      for (int64_t b = 0; b < c.depths[s]; ++b) {
        const std::string pre = "visual_encoder.layers." + std::to_string(s) + ".blocks." + std::to_string(b) + ".attn.qkv.";
        torch::Tensor A, B;
        if (pair(pre, A, B)) {
          auto W = model.visual_encoder->qkv(s, static_cast<size_t>(b))->weight;
          merge_qkv(W, A, B, pre, dape_file);
          ++merged;
        }
      }
    for (int64_t i = 0; i < c.head_layers; ++i)
      for (const char* which : {"query", "key"}) {
        const std::string tail = ".encoder.layer." + std::to_string(i) + ".crossattention.self." + which + ".";
        auto& layer = *model.head[static_cast<size_t>(i)];
        auto W = (std::string(which) == "query" ? layer.query : layer.key)->weight;
        for (const char* owner : {"tag_encoder", "tagging_head"}) {
          torch::Tensor A, B;
          if (pair(owner + tail, A, B)) {
            merge_linear(W, A, B, owner + tail, dape_file);
            ++merged;
          }
        }
      }
    for (const auto& [k, v] : lora)
      if (!unused_by_tagging(k)) dr.unexpected.push_back(k);
    if (merged == 0 && overlaid == 0)
      throw ModelLoadError(dape_file + ": not a DAPE file for this RAM model: none of its " + std::to_string(st.size()) +
                           " tensors is a LoRA (lora_A/lora_B) or weight of the tagger");
    weights::check_load(dr, weights::Unexpected::Log);
  }

  t->tags_ = read_ram_tag_list(paths.tag_list, t->config_.num_class);
  t->thresholds_ = read_ram_thresholds(paths.thresholds, t->config_.num_class);
  t->device_ = device;
  t->dtype_ = dtype;
  t->mean_ = torch::tensor({0.485f, 0.456f, 0.406f}).view({1, 3, 1, 1}).to(device);
  t->std_ = torch::tensor({0.229f, 0.224f, 0.225f}).view({1, 3, 1, 1}).to(device);
  model.to(device, dtype);
  model.eval();
  model.visual_encoder->prepare();
  return t;
}

// ------------------------------------------------------------------------------ running

void RamTagger::set_cuda_graphs(bool on) {
  graphs_ = on;
  graph_->reset();
}

torch::Tensor RamTagger::preprocess(const torch::Tensor& rgb) const { return resize_normalize(check_input(rgb)); }

torch::Tensor RamTagger::check_input(const torch::Tensor& rgb) const {
  if (!rgb.defined() || rgb.dim() != 4 || rgb.size(1) != 3)
    throw InvalidInput("the RAM tagger needs an RGB image [B,3,H,W], got " +
                       (rgb.defined() ? weights::shape_str(rgb.sizes().vec()) : std::string("none")) +
                       (rgb.defined() && rgb.dim() == 4 && rgb.size(1) == 1 ? " (a grey image: convert it to RGB)" : ""));
  if (rgb.size(2) < 8 || rgb.size(3) < 8)
    throw InvalidInput("the RAM tagger needs an image of at least 8x8 pixels, got " + std::to_string(rgb.size(3)) + "x" +
                       std::to_string(rgb.size(2)));
  return rgb.to(device_, torch::kFloat32).contiguous();
}

torch::Tensor RamTagger::resize_normalize(const torch::Tensor& x) const {
  const int64_t S = config_.image_size;
  namespace F = torch::nn::functional;
  const auto r = F::interpolate(
      x, F::InterpolateFuncOptions().size(std::vector<int64_t>{S, S}).mode(torch::kBilinear).align_corners(false).antialias(true));
  return ((r - mean_) / std_).to(dtype_);
}

torch::Tensor RamTagger::forward_raw(const torch::Tensor& rgb) {
  c10::InferenceMode guard;
  const auto x = check_input(rgb);
  if (graphs_ && device_.is_cuda() && GraphedCall::supported()) {
    auto out = graph_->run({x}, [this](const std::vector<torch::Tensor>& t) {
      return std::vector<torch::Tensor>{model_->forward(resize_normalize(t[0]))};
    });
    return out[0];  // the graph's own tensor: read before the next call
  }
  return model_->forward(resize_normalize(x));
}

torch::Tensor RamTagger::logits(const torch::Tensor& rgb) {
  c10::InferenceMode guard;
  return forward_raw(rgb).to(torch::kCPU, torch::kFloat32);
}

std::string RamTagger::tags_from_logits(const torch::Tensor& row) const {
  // sigmoid in the model's dtype, compared with the fp32 thresholds (CoZ runs fp16: the fp16
  // probability is promoted), strictly greater.
  const auto p = torch::sigmoid(row.reshape({-1})).to(torch::kCPU, torch::kFloat32).contiguous();
  if (p.numel() != static_cast<int64_t>(tags_.size()))
    throw InvalidInput("RAM: " + std::to_string(p.numel()) + " logits for " + std::to_string(tags_.size()) + " tags");
  const float* pv = p.data_ptr<float>();
  const float* tv = thresholds_.data_ptr<float>();
  std::string out;
  for (size_t k = 0; k < tags_.size(); ++k)
    if (pv[k] > tv[k]) out += (out.empty() ? "" : ", ") + tags_[k];
  return out;
}

std::vector<std::string> RamTagger::tag(const torch::Tensor& rgb) {
  c10::InferenceMode guard;
  const auto raw = forward_raw(rgb);  // model dtype, on the device (a graph output: used here only)
  std::vector<std::string> out;
  for (int64_t b = 0; b < raw.size(0); ++b) out.push_back(tags_from_logits(raw[b]));
  return out;
}

}  // namespace coz::models
