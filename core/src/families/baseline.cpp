// Pillow-exact interpolation baselines: any scale, no files.
#include <torch/torch.h>

#include "coz/resample.h"
#include "families/families.h"

namespace coz::families {
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
    return resize_to(x, static_cast<int>(x.size(3)) * scale_, static_cast<int>(x.size(2)) * scale_);
  }
  bool any_scale() const override { return true; }
  torch::Tensor resize_to(const torch::Tensor& x, int width, int height) const override {
    return resize_float(x.to(torch::kCPU), width, height, filter_).clamp_(0.0, 1.0);
  }

 private:
  std::string id_;
  Filter filter_;
  int scale_;
};

class BaselineFamily : public BackboneFamily {
 public:
  std::vector<BackboneInfo> backbones() const override {
    return {{"bicubic", "baseline", "bicubic interpolation (baseline, no model)", {}, "", false},
            {"nearest", "baseline", "nearest neighbour (baseline, no model)", {}, "", false}};
  }
  bool installed(const BackboneInfo&, const ModelOptions&) const override { return true; }
  std::string install_hint(const BackboneInfo&, const ModelOptions&) const override { return ""; }
  std::filesystem::path location(const BackboneInfo&, const ModelOptions&) const override { return {}; }
  std::shared_ptr<const SuperResolver> load(const BackboneInfo& b, int scale, const torch::Device&, Precision,
                                            const ModelOptions&) const override {
    return std::make_shared<InterpolationResolver>(b.id, b.id == "nearest" ? Filter::Nearest : Filter::Bicubic, scale);
  }
};

}  // namespace

std::shared_ptr<const BackboneFamily> baseline_family() { return std::make_shared<BaselineFamily>(); }

}  // namespace coz::families
