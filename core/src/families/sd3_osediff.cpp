// SD3-OSEDiff, the Chain-of-Zoom paper's backbone: Stable Diffusion 3 medium (diffusers folder,
// found in the Hugging Face cache or given) + CoZ's transformer and VAE-encoder LoRAs.
#include <torch/torch.h>

#include "coz/error.h"
#include "families/families.h"
#include "json_file.h"
#include "models/osediff.h"

namespace coz::families {
namespace {
namespace fs = std::filesystem;

class SD3Family : public BackboneFamily {
 public:
  std::vector<BackboneInfo> backbones() const override {
    return {{"sd3-osediff", "sd3-osediff", "Stable Diffusion 3 + CoZ LoRA, one step (the Chain-of-Zoom paper's model)",
             {4}, "", true}};
  }
  fs::path location(const BackboneInfo& b, const ModelOptions& o) const override { return o.models_dir / b.id; }
  bool installed(const BackboneInfo&, const ModelOptions& o) const override {
    try {
      const auto p = paths(o);
      std::error_code ec;
      return fs::exists(p.lora, ec) && fs::exists(p.vae_lora, ec);
    } catch (const Error&) {
      return false;
    }
  }
  std::string install_hint(const BackboneInfo& b, const ModelOptions& o) const override {
    return "run: coz models pull sd3-osediff (Stable Diffusion 3 medium is gated: accept its licence at "
           "https://huggingface.co/stabilityai/stable-diffusion-3-medium-diffusers and set HF_TOKEN first); or give "
           "a diffusers folder with --sd3 PATH and CoZ's model_20001.pkl and vae_encoder_20001.pt in " +
           location(b, o).string() + " (or --lora / --vae-lora)";
  }
  std::string options_key(const ModelOptions& o) const override {
    const SD3Options& s = o.sd3;
    return s.sd3 + "|" + s.lora + "|" + s.vae_lora + (s.use_t5 ? "|t5" : "|no-t5") + (s.deterministic ? "|mean" : "") +
           (s.low_memory ? "|lowmem" : "") + (s.cuda_graphs ? "" : "|nographs") + "|r" + std::to_string(s.lora_rank) +
           "|tile" + std::to_string(s.vae_tile) + "|" + (s.text_device ? device_name(*s.text_device) : "") + "|" +
           (s.vae_device ? device_name(*s.vae_device) : "");
  }
  std::shared_ptr<const SuperResolver> load(const BackboneInfo&, int scale, const torch::Device& device,
                                            Precision precision, const ModelOptions& opts) const override {
    if (scale != 4) throw InvalidInput("sd3-osediff works at x4 only (got x" + std::to_string(scale) + ")");
    const SD3Options& s = opts.sd3;
    models::OSEDiffOptions o;
    o.text_device = o.transformer_device = o.vae_device = device;
    if (s.text_device) o.text_device = torch_device(*s.text_device);
    if (s.vae_device) o.vae_device = torch_device(*s.vae_device);
    o.precision = precision;
    o.use_t5 = s.use_t5;
    o.deterministic = s.deterministic;
    o.lora_rank = s.lora_rank;
    o.vae_tile = s.vae_tile;
    o.low_memory = s.low_memory;
    o.cuda_graphs = s.cuda_graphs;
    const models::SD3Paths p = paths(opts);
    return guard_model_file(p.root, [&] { return models::make_osediff_resolver(p, o); });
  }

 private:
  static models::SD3Paths paths(const ModelOptions& o) {
    models::SD3Paths p;
    p.root = models::find_sd3_folder(o.sd3.sd3);
    p.lora = o.sd3.lora.empty() ? o.models_dir / "sd3-osediff" / "model_20001.pkl" : fs::path(o.sd3.lora);
    p.vae_lora = o.sd3.vae_lora.empty() ? o.models_dir / "sd3-osediff" / "vae_encoder_20001.pt" : fs::path(o.sd3.vae_lora);
    return p;
  }
};

}  // namespace

std::shared_ptr<const BackboneFamily> sd3_family() { return std::make_shared<SD3Family>(); }

}  // namespace coz::families
