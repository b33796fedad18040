// Known models, where they live on disk, and a process-wide cache of loaded backbones.
#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "coz/device.h"
#include "coz/super_resolver.h"

namespace coz {

enum class ModelKind { Baseline, ESRGAN, SD3 };

struct ModelInfo {
  std::string id;            // "esrgan-thick"
  ModelKind kind;
  std::string description;
  std::vector<int> scales;   // native scales
  std::string package;       // npm package the files come from ("" for baselines)
  bool needs_files = false;
};

// $COZ_MODELS_DIR, else $XDG_CACHE_HOME/coz/models, else ~/.cache/coz/models.
std::filesystem::path models_dir();

const std::vector<ModelInfo>& known_models();
const ModelInfo& model_info(const std::string& id);  // throws InvalidInput naming the known ids

// Folder holding a model's files for one scale (e.g. <models>/esrgan-thick/x4).
std::filesystem::path model_path(const ModelInfo& m, int scale);
bool model_installed(const ModelInfo& m);
std::string install_hint(const ModelInfo& m);

// Loads each (model, scale, device) once per process and hands out shared, immutable resolvers.
class ModelRegistry {
 public:
  static ModelRegistry& instance();
  std::shared_ptr<const SuperResolver> get(const std::string& id, int scale, const torch::Device& device,
                                           Precision precision = Precision::FP32);
  void clear();

 private:
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const SuperResolver>> cache_;
};

// Creates a resolver without caching (used by the registry and tests).
std::shared_ptr<const SuperResolver> make_resolver(const std::string& id, int scale, const torch::Device& device,
                                                   Precision precision = Precision::FP32);

// Where the SD3-OSEDiff backbone finds its files (CLI --sd3/--lora/--vae-lora, GUI settings, or
// $COZ_SD3_PATH / $COZ_SD3_LORA / $COZ_SD3_VAE_LORA). Empty paths mean the defaults: the SD3 folder
// from the Hugging Face cache, the LoRAs as <models>/sd3-osediff/model_20001.pkl and
// vae_encoder_20001.pt.
struct SD3Settings {
  std::string sd3, lora, vae_lora;
  bool use_t5 = true;
  bool deterministic = false;
  int lora_rank = 4;
  int vae_tile = 0;
  bool low_memory = false;
  bool cuda_graphs = true;  // replay the fixed-shape parts as CUDA graphs (CUDA only)
  std::string text_device, vae_device;  // empty: the run's device
};
void set_sd3_settings(const SD3Settings& s);
SD3Settings sd3_settings();

// Picks the native scale used for a single step of factor `s` (exact native if any, else the
// smallest native scale above s, else 0).
int best_native_scale(const ModelInfo& m, double s);

}  // namespace coz
