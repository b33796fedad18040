// The engine object: backbone families registered by id, the cache of loaded models, and the
// zoom / upscale calls. No process-wide state: each Engine owns its options and cache, so several
// can live in one process (e.g. two with different SD3 files).
#pragma once
#include <filesystem>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "coz/api.h"
#include "coz/device.h"
#include "coz/paths.h"
#include "coz/prompt_source.h"
#include "coz/super_resolver.h"
#include "coz/upscale.h"
#include "coz/zoom.h"

namespace coz {

// Options of the SD3-OSEDiff family. Empty paths mean the defaults: the SD3 folder from the Hugging
// Face cache, the LoRAs as <models>/sd3-osediff/model_20001.pkl and vae_encoder_20001.pt.
struct COZ_API SD3Options {
  std::string sd3, lora, vae_lora;
  bool use_t5 = true;
  bool deterministic = false;
  int lora_rank = 4;
  int vae_tile = 0;
  bool low_memory = false;
  bool cuda_graphs = true;               // replay the fixed-shape parts as CUDA graphs (CUDA only)
  std::optional<Device> text_device, vae_device;  // none: the run's device
  // The paths from $COZ_SD3_PATH, $COZ_SD3_LORA and $COZ_SD3_VAE_LORA, the rest defaults.
  static SD3Options from_environment();
};

// Options of the DAPE prompt family. Empty paths mean the defaults: ram_swin_large_14m.pth from the
// Hugging Face cache (xinyu1205/recognize_anything_model), DAPE as <models>/dape/DAPE.pth; the tag
// list and thresholds are always <models>/ram/ram_tag_list.txt and ram_tag_list_threshold.txt,
// or beside a given RAM checkpoint.
struct DAPEOptions {
  std::string ram, dape;
};

// Options of the VLM prompt family. An empty path means Qwen/Qwen2.5-VL-3B-Instruct from the Hugging
// Face cache. offload: the model waits on the CPU between prompts and comes to the GPU for each
// (less GPU memory at the cost of two transfers a step; the reference's --efficient_memory).
struct VLMOptions {
  std::string path;
  bool offload = false;
};

// Everything a family may read when it checks or loads a model.
struct ModelOptions {
  std::filesystem::path models_dir;
  SD3Options sd3;
  DAPEOptions dape;
  VLMOptions vlm;
};

struct BackboneInfo {
  std::string id;              // "esrgan-thick"
  std::string family;          // "esrgan", "sd3-osediff", "baseline"
  std::string description;
  std::vector<int> scales;     // native scales; empty: any scale (interpolation)
  std::string package;         // where the files come from, for the install hint ("" if none)
  bool needs_files = false;
};

// A backbone family: its ids, whether their files are there, and how to load one. A new family is
// a new .cpp with a class like this plus one line in core/src/families/builtin.cpp (or a call of
// Engine::register_backbone from outside the engine).
class COZ_API BackboneFamily {
 public:
  virtual ~BackboneFamily() = default;
  virtual std::vector<BackboneInfo> backbones() const = 0;
  virtual bool installed(const BackboneInfo& b, const ModelOptions& o) const = 0;
  virtual std::string install_hint(const BackboneInfo& b, const ModelOptions& o) const = 0;
  virtual std::filesystem::path location(const BackboneInfo& b, const ModelOptions& o) const = 0;
  // The options this family reads, in a canonical text form (part of the model-cache key).
  virtual std::string options_key(const ModelOptions&) const { return ""; }
  // Loads `b` for one x`scale` step (a native scale, or any scale >= 2 for any-scale backbones).
  // Throws ModelLoadError naming the file.
  virtual std::shared_ptr<const SuperResolver> load(const BackboneInfo& b, int scale, const torch::Device& device,
                                                    Precision precision, const ModelOptions& o) const = 0;
};

struct BackboneStatus {
  BackboneInfo info;
  bool installed = false;
  std::filesystem::path location;  // "" for backbones without files
  std::string install_hint;        // "" when installed or without files
};

struct EngineOptions {
  std::filesystem::path models_dir = default_models_dir();
  SD3Options sd3 = SD3Options::from_environment();
  DAPEOptions dape;
  VLMOptions vlm;
  bool builtin_backbones = true;       // register ESRGAN, SD3-OSEDiff and the baselines
  bool builtin_prompt_sources = true;  // register the null, DAPE and VLM sources
};

class COZ_API Engine {
 public:
  explicit Engine(EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Adds a family; its ids must be new (throws InvalidInput naming a clash).
  void register_backbone(std::shared_ptr<const BackboneFamily> family);

  // Adds a prompt-source family; each mode it provides must not have a family yet.
  void register_prompt_source(std::shared_ptr<const PromptSourceFamily> family);

  std::vector<BackboneStatus> models() const;
  std::vector<PromptSourceStatus> prompt_sources() const;
  // Throws InvalidInput naming the mode when no family provides it.
  PromptSourceStatus prompt_source_status(PromptMode mode) const;
  // Throws InvalidInput "unknown model 'x': known models are ..." for an unknown id.
  const BackboneInfo& backbone_info(const std::string& id) const;
  BackboneStatus status(const std::string& id) const;
  ModelOptions model_options() const;
  // Changes the SD3 options (the GUI's file fields) for later loads; loaded models stay cached
  // under their own options.
  void set_sd3_options(const SD3Options& o);

  // The backbone for one x`scale` step, loaded once per (id, scale, device, precision, options).
  std::shared_ptr<const SuperResolver> backbone(const std::string& id, int scale, const torch::Device& device,
                                                Precision precision);
  // The prompt source of `mode`, loaded once per (mode, device, precision, options). Calls of its
  // generate() must hold the returned lock.
  struct LoadedPromptSource {
    std::shared_ptr<PromptSource> source;
    std::shared_ptr<std::mutex> mu;
  };
  LoadedPromptSource prompt_source(PromptMode mode, const torch::Device& device, Precision precision);
  void clear_cache();

  UpscalePlan plan_upscale(int width, int height, const std::string& model, double scale, int max_side) const;
  Image upscale(const UpscaleRequest& req, const RunControl& ctl);
  ZoomResult zoom(const ZoomRequest& req, const RunControl& ctl);

 private:
  struct Entry {
    BackboneInfo info;
    std::shared_ptr<const BackboneFamily> family;
  };
  const Entry& entry(const std::string& id) const;
  struct PromptEntry {
    PromptSourceInfo info;
    std::shared_ptr<const PromptSourceFamily> family;
  };
  const PromptEntry& prompt_entry(PromptMode mode) const;

  mutable std::mutex mu_;
  ModelOptions options_;
  std::deque<Entry> entries_;  // references stay valid as families are added
  std::deque<PromptEntry> prompt_entries_;
  std::map<std::string, std::shared_ptr<const SuperResolver>> cache_;
  std::map<std::string, LoadedPromptSource> prompt_cache_;
};

// Picks the native scale used for a single step of factor `s` (exact native if any, else the
// smallest native scale above s, else 0).
COZ_API int best_native_scale(const BackboneInfo& b, double s);

}  // namespace coz
