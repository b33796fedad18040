#include "coz/engine.h"

#include <torch/torch.h>

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "coz/error.h"
#include "families/families.h"
#include "json_file.h"

namespace coz {
namespace fs = std::filesystem;

namespace {
// What a family says of one of its backbones or prompt sources (BackboneStatus, PromptSourceStatus).
template <typename Status, typename Entry>
Status family_status(const Entry& e, const ModelOptions& o) {
  Status s;
  s.info = e.info;
  s.installed = e.family->installed(e.info, o);
  s.location = e.info.needs_files ? e.family->location(e.info, o) : fs::path();
  if (!s.installed) s.install_hint = e.family->install_hint(e.info, o);
  return s;
}
}  // namespace

fs::path default_cache_dir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "coz";
  if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache" / "coz";
  return fs::path(".cache") / "coz";
}

fs::path default_models_dir() {
  if (const char* d = std::getenv("COZ_MODELS_DIR"); d && *d) return fs::path(d);
  return default_cache_dir() / "models";
}

SD3Options SD3Options::from_environment() {
  SD3Options s;
  if (const char* v = std::getenv("COZ_SD3_PATH")) s.sd3 = v;
  if (const char* v = std::getenv("COZ_SD3_LORA")) s.lora = v;
  if (const char* v = std::getenv("COZ_SD3_VAE_LORA")) s.vae_lora = v;
  return s;
}

Engine::Engine(EngineOptions options) {
  options_.models_dir = std::move(options.models_dir);
  options_.sd3 = std::move(options.sd3);
  options_.dape = std::move(options.dape);
  options_.vlm = std::move(options.vlm);
  if (options.builtin_backbones)
    for (auto& f : families::builtin_backbone_families()) register_backbone(std::move(f));
  if (options.builtin_prompt_sources)
    for (auto& f : families::builtin_prompt_families()) register_prompt_source(std::move(f));
}

void Engine::register_prompt_source(std::shared_ptr<const PromptSourceFamily> family) {
  if (!family) throw InvalidInput("register_prompt_source: no family given");
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& s : family->sources()) {
    for (const auto& e : prompt_entries_)
      if (e.info.mode == s.mode)
        throw InvalidInput(std::string("prompt mode '") + prompt_mode_name(s.mode) + "' of family " + s.family +
                           " is already provided by family " + e.info.family);
    prompt_entries_.push_back({s, family});
  }
}

const Engine::PromptEntry& Engine::prompt_entry(PromptMode mode) const {
  for (const auto& e : prompt_entries_)
    if (e.info.mode == mode) return e;
  std::string ids;
  for (const auto& e : prompt_entries_) ids += (ids.empty() ? "" : ", ") + e.info.id;
  throw InvalidInput(std::string("prompt mode '") + prompt_mode_name(mode) + "' is not available in this build" +
                     (ids.empty() ? std::string() : ": available modes are " + ids));
}

PromptSourceStatus Engine::prompt_source_status(PromptMode mode) const {
  std::lock_guard<std::mutex> lock(mu_);
  return family_status<PromptSourceStatus>(prompt_entry(mode), options_);
}

std::vector<PromptSourceStatus> Engine::prompt_sources() const {
  std::vector<PromptMode> modes;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& e : prompt_entries_) modes.push_back(e.info.mode);
  }
  std::vector<PromptSourceStatus> out;
  for (PromptMode m : modes) out.push_back(prompt_source_status(m));
  return out;
}

Engine::LoadedPromptSource Engine::prompt_source(PromptMode mode, const torch::Device& device, Precision precision) {
  precision = resolve_precision(precision, device);
  std::unique_lock<std::mutex> lock(mu_);
  const PromptEntry& e = prompt_entry(mode);
  const std::string key = e.info.id + "@" + device.str() + "@" + precision_name(precision) + "@" +
                          e.family->options_key(options_);
  if (auto it = prompt_cache_.find(key); it != prompt_cache_.end()) return it->second;
  const ModelOptions opts = options_;
  const auto family = e.family;
  const PromptSourceInfo info = e.info;
  lock.unlock();
  LoadedPromptSource loaded{family->load(info, device, precision, opts), std::make_shared<std::mutex>()};
  if (!loaded.source) throw ModelLoadError("prompt source '" + info.id + "' of family " + info.family + " loaded nothing");
  lock.lock();
  return prompt_cache_.emplace(key, std::move(loaded)).first->second;
}

Engine::~Engine() = default;

void Engine::register_backbone(std::shared_ptr<const BackboneFamily> family) {
  if (!family) throw InvalidInput("register_backbone: no family given");
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& b : family->backbones()) {
    for (const auto& e : entries_)
      if (e.info.id == b.id)
        throw InvalidInput("backbone id '" + b.id + "' of family " + b.family + " is already registered by family " +
                           e.info.family);
    entries_.push_back({b, family});
  }
}

const Engine::Entry& Engine::entry(const std::string& id) const {
  for (const auto& e : entries_)
    if (e.info.id == id) return e;
  std::string ids;
  for (const auto& e : entries_) ids += (ids.empty() ? "" : ", ") + e.info.id;
  throw InvalidInput("unknown model '" + id + "': known models are " + ids + " (see `coz models`)");
}

const BackboneInfo& Engine::backbone_info(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return entry(id).info;
}

ModelOptions Engine::model_options() const {
  std::lock_guard<std::mutex> lock(mu_);
  return options_;
}

void Engine::set_sd3_options(const SD3Options& o) {
  std::lock_guard<std::mutex> lock(mu_);
  options_.sd3 = o;
}

BackboneStatus Engine::status(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return family_status<BackboneStatus>(entry(id), options_);
}

std::vector<BackboneStatus> Engine::models() const {
  std::vector<std::string> ids;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& e : entries_) ids.push_back(e.info.id);
  }
  std::vector<BackboneStatus> out;
  for (const auto& id : ids) out.push_back(status(id));
  return out;
}

std::shared_ptr<const SuperResolver> Engine::backbone(const std::string& id, int scale, const torch::Device& device,
                                                      Precision precision) {
  precision = resolve_precision(precision, device);
  std::unique_lock<std::mutex> lock(mu_);
  const Entry& e = entry(id);
  if (scale < 2) throw InvalidInput("model scale must be 2 or more (got " + std::to_string(scale) + ")");
  if (!e.info.scales.empty() && std::find(e.info.scales.begin(), e.info.scales.end(), scale) == e.info.scales.end())
    throw InvalidInput(id + " has no x" + std::to_string(scale) + " model");
  const std::string key = id + "@x" + std::to_string(scale) + "@" + device.str() + "@" + precision_name(precision) +
                          "@" + e.family->options_key(options_);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  const ModelOptions opts = options_;
  const auto family = e.family;
  const BackboneInfo info = e.info;
  lock.unlock();  // loading takes long; another thread may use other models meanwhile
  auto sr = family->load(info, scale, device, precision, opts);
  lock.lock();
  return cache_.emplace(key, std::move(sr)).first->second;
}

void Engine::clear_cache() {
  std::lock_guard<std::mutex> lock(mu_);
  cache_.clear();
  prompt_cache_.clear();
}

int best_native_scale(const BackboneInfo& m, double s) {
  for (int n : m.scales)
    if (std::fabs(n - s) < 1e-9) return n;
  int best = 0;
  for (int n : m.scales)
    if (n > s && (best == 0 || n < best)) best = n;
  return best;
}

}  // namespace coz
