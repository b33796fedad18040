#include "models/esrgan.h"

#include <c10/core/InferenceMode.h>

#include "coz/error.h"

namespace coz::models {

EsrganConfig EsrganConfig::from_graph(const KerasGraphImpl& g) {
  EsrganConfig c;
  const bool rrdn = g.has_layer_class("MultiplyBeta") || g.has_layer_class("PixelShuffle");
  c.arch = rrdn ? "rrdn" : "rdn";
  // RRDN graphs (thick, gans) take and return [0,1]. For gans: UpscalerJS 0.x
  // packages/upscalerjs/src/models/idealo-gans.ts preprocesses `tf.div(image, 255)` and
  // postprocesses `output.clipByValue(0, 1) * 255`, and models/esrgan-legacy/src/gans.ts declares
  // inputRange and outputRange [0, 1]; nothing else is done around the graph.
  c.value_range = rrdn ? 1.0f : 255.0f;
  c.scale = g.upscale_factor();
  return c;
}

namespace {

class EsrganResolver : public SuperResolver {
 public:
  EsrganResolver(std::string id, KerasGraph net, EsrganConfig cfg, torch::Device dev, torch::Dtype dtype)
      : id_(std::move(id)), net_(std::move(net)), cfg_(cfg), device_(dev), dtype_(dtype) {}

  std::string id() const override { return id_; }
  int scale() const override { return cfg_.scale; }

  torch::Tensor upscale(const SRRequest& req, const RunControl& ctl, const Progress& base) const override {
    c10::InferenceMode guard;
    auto fn = [&](const torch::Tensor& tile) {
      auto x = tile.to(device_, dtype_);
      if (cfg_.value_range != 1.0f) x = x * cfg_.value_range;
      auto y = net_->forward(x);
      if (cfg_.value_range != 1.0f) y = y / cfg_.value_range;
      return y.to(torch::kFloat32).clamp_(0.0, 1.0).to(torch::kCPU);
    };
    try {
      return run_tiled(req.image.to(torch::kCPU), cfg_.scale, req.tiles, fn, ctl, base);
    } catch (const c10::Error& e) {
      const std::string what = e.what();
      if (what.find("out of memory") != std::string::npos)
        throw OutOfMemory(id_ + ": the device ran out of memory; use a smaller --tile (now " +
                          std::to_string(req.tiles.tile) + ")");
      throw Error(id_ + ": inference failed: " + what.substr(0, what.find('\n')));
    }
  }

 private:
  std::string id_;
  mutable KerasGraph net_;  // never modified after load; forward only reads the weights
  EsrganConfig cfg_;
  torch::Device device_;
  torch::Dtype dtype_;
};

}  // namespace

std::shared_ptr<const SuperResolver> load_esrgan(const std::string& id, const std::filesystem::path& model_json,
                                                 int expected_scale, const torch::Device& device, Precision precision) {
  KerasGraph net(model_json);
  const EsrganConfig cfg = EsrganConfig::from_graph(*net);
  if (cfg.scale != expected_scale)
    throw ModelLoadError(model_json.string() + ": the graph upscales x" + std::to_string(cfg.scale) +
                         ", expected x" + std::to_string(expected_scale));
  net->eval();
  net->to(device);
  // oneDNN and cuDNN run these convolutions fastest channels-last (measured: docs/PERFORMANCE.md).
  net->set_channels_last(true);
  const torch::Dtype dtype = precision_dtype(resolve_precision(precision, device));
  net->to(dtype);
  return std::make_shared<EsrganResolver>(id, net, cfg, device, dtype);
}

}  // namespace coz::models
