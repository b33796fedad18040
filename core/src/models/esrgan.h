// The UpscalerJS ESRGAN family (npm @upscalerjs/esrgan-thick|medium|slim 1.0.0, idealo's
// image-super-resolution RRDN/RDN trained on DIV2K; and idealo's GAN-trained RRDN x4 from
// @upscalerjs/models 0.9.0, models/idealo/gans), loaded from its TF.js layers-model files.
#pragma once
#include <filesystem>
#include <memory>

#include "coz/device.h"
#include "coz/super_resolver.h"
#include "models/tfjs_layers.h"

namespace coz::models {

struct EsrganConfig {
  std::string arch = "rrdn";  // "rrdn" (thick, gans: MultiplyBeta + PixelShuffle) or "rdn" (UpSampling2D)
  int scale = 4;
  float value_range = 1.0f;   // thick, gans: [0,1]; medium/slim: [0,255] (esrgan.js inputRange)

  static EsrganConfig from_graph(const KerasGraphImpl& g);
};

std::shared_ptr<const SuperResolver> load_esrgan(const std::string& id, const std::filesystem::path& model_json,
                                                 int expected_scale, const torch::Device& device,
                                                 Precision precision = Precision::FP32);

}  // namespace coz::models
