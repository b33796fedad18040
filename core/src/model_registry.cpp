#include "coz/model_registry.h"

#include <torch/torch.h>

#include <cmath>
#include <cstdlib>

#include "coz/error.h"
#include "coz/resample.h"
#include "json_file.h"
#include "models/esrgan.h"
#include "models/osediff.h"

namespace coz {
namespace fs = std::filesystem;

fs::path models_dir() {
  if (const char* d = std::getenv("COZ_MODELS_DIR"); d && *d) return fs::path(d);
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "coz" / "models";
  if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache" / "coz" / "models";
  return fs::path(".cache") / "coz" / "models";
}

const std::vector<ModelInfo>& known_models() {
  static const std::vector<ModelInfo> models = {
      {"esrgan-thick", ModelKind::ESRGAN, "ESRGAN RRDN thick (UpscalerJS, DIV2K), best quality, slowest",
       {2, 3, 4, 8}, "@upscalerjs/esrgan-thick@1.0.0", true},
      {"esrgan-medium", ModelKind::ESRGAN, "ESRGAN RDN medium (UpscalerJS, DIV2K)",
       {2, 3, 4, 8}, "@upscalerjs/esrgan-medium@1.0.0", true},
      {"esrgan-slim", ModelKind::ESRGAN, "ESRGAN RDN slim (UpscalerJS, DIV2K), fastest",
       {2, 3, 4, 8}, "@upscalerjs/esrgan-slim@1.0.0", true},
      {"sd3-osediff", ModelKind::SD3, "Stable Diffusion 3 + CoZ LoRA, one step (the Chain-of-Zoom paper's model)",
       {4}, "", true},
      {"bicubic", ModelKind::Baseline, "bicubic interpolation (baseline, no model)", {}, "", false},
      {"nearest", ModelKind::Baseline, "nearest neighbour (baseline, no model)", {}, "", false},
  };
  return models;
}

const ModelInfo& model_info(const std::string& id) {
  for (const auto& m : known_models())
    if (m.id == id) return m;
  std::string ids;
  for (const auto& m : known_models()) ids += (ids.empty() ? "" : ", ") + m.id;
  throw InvalidInput("unknown model '" + id + "': known models are " + ids + " (see `coz models`)");
}

fs::path model_path(const ModelInfo& m, int scale) {
  return models_dir() / m.id / ("x" + std::to_string(scale));
}

namespace {
std::mutex g_sd3_mu;
SD3Settings g_sd3 = [] {
  SD3Settings s;
  if (const char* v = std::getenv("COZ_SD3_PATH")) s.sd3 = v;
  if (const char* v = std::getenv("COZ_SD3_LORA")) s.lora = v;
  if (const char* v = std::getenv("COZ_SD3_VAE_LORA")) s.vae_lora = v;
  return s;
}();

models::SD3Paths sd3_paths(const SD3Settings& s) {
  models::SD3Paths p;
  p.root = models::find_sd3_folder(s.sd3);
  p.lora = s.lora.empty() ? models_dir() / "sd3-osediff" / "model_20001.pkl" : fs::path(s.lora);
  p.vae_lora = s.vae_lora.empty() ? models_dir() / "sd3-osediff" / "vae_encoder_20001.pt" : fs::path(s.vae_lora);
  return p;
}
}  // namespace

void set_sd3_settings(const SD3Settings& s) {
  std::lock_guard<std::mutex> lock(g_sd3_mu);
  g_sd3 = s;
}

SD3Settings sd3_settings() {
  std::lock_guard<std::mutex> lock(g_sd3_mu);
  return g_sd3;
}

bool model_installed(const ModelInfo& m) {
  if (!m.needs_files) return true;
  if (m.kind == ModelKind::SD3) {
    try {
      const auto p = sd3_paths(sd3_settings());
      return fs::exists(p.lora) && fs::exists(p.vae_lora);
    } catch (const Error&) {
      return false;
    }
  }
  for (int s : m.scales)
    if (!fs::exists(model_path(m, s) / "model.json")) return false;
  return true;
}

std::string install_hint(const ModelInfo& m) {
  if (!m.needs_files) return "";
  if (m.kind == ModelKind::SD3)
    return "download stabilityai/stable-diffusion-3-medium-diffusers (Hugging Face cache, or --sd3 PATH) and CoZ's "
           "ckpt/SR_LoRA/model_20001.pkl and ckpt/SR_VAE/vae_encoder_20001.pt into " +
           (models_dir() / "sd3-osediff").string() + " (or --lora / --vae-lora)";
  return "run scripts/setup.sh, or: npm pack " + m.package + " && tar xzf upscalerjs-" + m.id +
         "-1.0.0.tgz && mkdir -p " + (models_dir() / m.id).string() + " && cp -r package/models/x* " +
         (models_dir() / m.id).string() + "/";
}

int best_native_scale(const ModelInfo& m, double s) {
  for (int n : m.scales)
    if (std::fabs(n - s) < 1e-9) return n;
  int best = 0;
  for (int n : m.scales)
    if (n > s && (best == 0 || n < best)) best = n;
  return best;
}

namespace {

class InterpolationResolver : public SuperResolver {
 public:
  InterpolationResolver(std::string id, Filter f, int scale) : id_(std::move(id)), filter_(f), scale_(scale) {}
  std::string id() const override { return id_; }
  int scale() const override { return scale_; }
  torch::Tensor upscale(const SRRequest& req, const RunControl& ctl, const Progress& base) const override {
    ctl.check_cancel();
    Progress p = base;
    p.tile = p.tiles = 1;
    ctl.report(p);
    const auto& x = req.image;
    return resize_float(x.to(torch::kCPU), static_cast<int>(x.size(3)) * scale_,
                        static_cast<int>(x.size(2)) * scale_, filter_).clamp_(0.0, 1.0);
  }

 private:
  std::string id_;
  Filter filter_;
  int scale_;
};

}  // namespace

std::shared_ptr<const SuperResolver> make_resolver(const std::string& id, int scale, const torch::Device& device,
                                                   Precision precision) {
  const ModelInfo& m = model_info(id);
  if (scale < 2) throw InvalidInput("model scale must be 2 or more (got " + std::to_string(scale) + ")");
  if (m.kind == ModelKind::Baseline)
    return std::make_shared<InterpolationResolver>(id, id == "nearest" ? Filter::Nearest : Filter::Bicubic, scale);
  if (m.kind == ModelKind::SD3) {
    if (scale != 4) throw InvalidInput("sd3-osediff works at x4 only (got x" + std::to_string(scale) + ")");
    const SD3Settings s = sd3_settings();
    models::OSEDiffOptions o;
    o.text_device = o.transformer_device = o.vae_device = device;
    if (!s.text_device.empty()) o.text_device = parse_device(s.text_device);
    if (!s.vae_device.empty()) o.vae_device = parse_device(s.vae_device);
    o.precision = precision;
    o.use_t5 = s.use_t5;
    o.deterministic = s.deterministic;
    o.lora_rank = s.lora_rank;
    o.vae_tile = s.vae_tile;
    o.low_memory = s.low_memory;
    o.cuda_graphs = s.cuda_graphs;
    const models::SD3Paths paths = sd3_paths(s);
    return guard_model_file(paths.root, [&] { return models::make_osediff_resolver(paths, o); });
  }
  bool native = false;
  for (int s : m.scales) native |= s == scale;
  if (!native) throw InvalidInput(id + " has no x" + std::to_string(scale) + " model");
  const fs::path json = model_path(m, scale) / "model.json";
  if (!fs::exists(json))
    throw ModelLoadError("model " + id + " is not installed: " + json.string() + " is missing. To install it, " +
                         install_hint(m) + " (or set COZ_MODELS_DIR to the folder that holds it)");
  return guard_model_file(json, [&] { return models::load_esrgan(id, json, scale, device, resolve_precision(precision, device)); });
}

ModelRegistry& ModelRegistry::instance() {
  static ModelRegistry r;
  return r;
}

std::shared_ptr<const SuperResolver> ModelRegistry::get(const std::string& id, int scale, const torch::Device& device,
                                                        Precision precision) {
  precision = resolve_precision(precision, device);
  std::string key = id + "@x" + std::to_string(scale) + "@" + device.str() + "@" + precision_name(precision);
  if (model_info(id).kind == ModelKind::SD3) {
    const SD3Settings s = sd3_settings();
    key += "@" + s.sd3 + "@" + s.lora + "@" + s.vae_lora + (s.use_t5 ? "@t5" : "@no-t5") + (s.deterministic ? "@mean" : "") + (s.low_memory ? "@lowmem" : "") + (s.cuda_graphs ? "" : "@nographs") + "@" + s.text_device + "@" + s.vae_device;
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  auto r = make_resolver(id, scale, device, precision);
  cache_[key] = r;
  return r;
}

void ModelRegistry::clear() {
  std::lock_guard<std::mutex> lock(mu_);
  cache_.clear();
}

}  // namespace coz
