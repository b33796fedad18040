// The pretrained ESRGAN/RDN family of UpscalerJS (TensorFlow.js layers models, one per scale):
// <models>/<id>/x<scale>/model.json, fetched by `coz models pull <id>` (or scripts/setup.sh).
// thick/medium/slim are PSNR-trained (@upscalerjs/esrgan-* 1.0.0); gans is idealo's GAN-trained
// RRDN x4 (@upscalerjs/models 0.9.0, models/idealo/gans, uint8-quantized), the same graph as thick.
#include <torch/torch.h>

#include "coz/error.h"
#include "families/families.h"
#include "json_file.h"
#include "models/esrgan.h"

namespace coz::families {
namespace {
namespace fs = std::filesystem;

class ESRGANFamily : public BackboneFamily {
 public:
  std::vector<BackboneInfo> backbones() const override {
    return {{"esrgan-thick", "esrgan",
             "ESRGAN RRDN thick (UpscalerJS, DIV2K, PSNR-trained): faithful but soft; the most accurate "
             "PSNR model, slowest",
             {2, 3, 4, 8}, "@upscalerjs/esrgan-thick@1.0.0", true},
            {"esrgan-medium", "esrgan",
             "ESRGAN RDN medium (UpscalerJS, DIV2K, PSNR-trained): faithful but soft; between thick and slim",
             {2, 3, 4, 8}, "@upscalerjs/esrgan-medium@1.0.0", true},
            {"esrgan-slim", "esrgan",
             "ESRGAN RDN slim (UpscalerJS, DIV2K, PSNR-trained): faithful but soft; fastest",
             {2, 3, 4, 8}, "@upscalerjs/esrgan-slim@1.0.0", true},
            {"esrgan-gans", "esrgan",
             "ESRGAN RRDN GAN-trained (idealo, UpscalerJS), x4 only: perceptual; draws plausible texture where "
             "the PSNR models blur, and may invent detail that was not there",
             {4}, "@upscalerjs/models@0.9.0", true}};
  }
  fs::path location(const BackboneInfo& b, const ModelOptions& o) const override { return o.models_dir / b.id; }
  bool installed(const BackboneInfo& b, const ModelOptions& o) const override {
    std::error_code ec;
    for (int s : b.scales)
      if (!fs::exists(model_json(b, s, o), ec)) return false;
    return true;
  }
  std::string install_hint(const BackboneInfo& b, const ModelOptions&) const override {
    return "run: coz models pull " + b.id;
  }
  std::shared_ptr<const SuperResolver> load(const BackboneInfo& b, int scale, const torch::Device& device,
                                            Precision precision, const ModelOptions& o) const override {
    const fs::path json = model_json(b, scale, o);
    std::error_code ec;
    if (!fs::exists(json, ec))
      throw ModelLoadError("model " + b.id + " is not installed: " + json.string() + " is missing. To install it, " +
                           install_hint(b, o) + " (or set COZ_MODELS_DIR to the folder that holds it)");
    return guard_model_file(json, [&] { return models::load_esrgan(b.id, json, scale, device, precision); });
  }

 private:
  static fs::path model_json(const BackboneInfo& b, int scale, const ModelOptions& o) {
    return o.models_dir / b.id / ("x" + std::to_string(scale)) / "model.json";
  }
};

}  // namespace

std::shared_ptr<const BackboneFamily> esrgan_family() { return std::make_shared<ESRGANFamily>(); }

}  // namespace coz::families
