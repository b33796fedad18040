#include "coz/upscale.h"

#include <torch/torch.h>

#include <c10/core/InferenceMode.h>

#include <cmath>
#include <sstream>

#include "coz/device.h"
#include "coz/error.h"
#include "coz/engine.h"
#include "coz/resample.h"

namespace coz {

torch::Tensor SuperResolver::resize_to(const torch::Tensor&, int, int) const {
  throw InvalidInput(id() + " upscales by x" + std::to_string(scale()) + " only");
}

UpscalePlan Engine::plan_upscale(int width, int height, const std::string& model, double scale, int max_side) const {
  if (!std::isfinite(scale) || scale <= 1.0) {
    std::ostringstream o;
    o << "scale must be a number greater than 1 (got " << scale << ")";
    throw InvalidInput(o.str());
  }
  if (width < 1 || height < 1) throw InvalidInput("the image is empty");
  const BackboneInfo& m = backbone_info(model);
  UpscalePlan p;
  const double ow = std::round(width * scale), oh = std::round(height * scale);
  if (ow > max_side || oh > max_side) {
    std::ostringstream o;
    o << "the output would be " << static_cast<long long>(ow) << "x" << static_cast<long long>(oh)
      << " pixels, more than the maximum side of " << max_side
      << "; use a smaller --scale or raise --max-side";
    throw InvalidInput(o.str());
  }
  p.out_w = static_cast<int>(ow);
  p.out_h = static_cast<int>(oh);
  if (m.scales.empty()) {  // any-scale interpolation: one resize to the exact size
    p.resize_after = true;
    return p;
  }
  if (int n = best_native_scale(m, scale)) {
    p.native_scale = n;
    p.passes = 1;
  } else {
    bool has4 = false;
    for (int s : m.scales) has4 |= s == 4;
    p.native_scale = has4 ? 4 : m.scales.back();
    p.passes = static_cast<int>(std::ceil(std::log(scale) / std::log(p.native_scale) - 1e-12));
  }
  long long w = width, h = height;
  for (int i = 0; i < p.passes; ++i) { w *= p.native_scale; h *= p.native_scale; }
  p.resize_after = w != p.out_w || h != p.out_h;
  return p;
}

Image Engine::upscale(const UpscaleRequest& req, const RunControl& ctl) {
  if (!req.image.rgb.defined()) throw InvalidInput("no image given");
  c10::InferenceMode guard;
  const Image& in = req.image;
  const UpscalePlan plan = plan_upscale(in.width(), in.height(), req.model, req.scale, req.max_side);
  const torch::Device device = torch_device(req.device);
  const Precision precision = req.precision;

  torch::Tensor x = in.rgb.to(torch::kFloat32);
  if (plan.passes == 0) {
    auto sr = backbone(req.model, 2, device, precision);
    ctl.check_cancel();
    ctl.report({Stage::UpscalePass, 1, 1, 0, 0});
    x = sr->resize_to(x, plan.out_w, plan.out_h);
  } else {
    ctl.report({Stage::LoadingModel, 0, plan.passes, 0, 0});
    auto sr = backbone(req.model, plan.native_scale, device, precision);
    for (int i = 1; i <= plan.passes; ++i) {
      ctl.check_cancel();
      SRRequest r;
      r.image = x;
      r.tiles = req.tiles;
      x = sr->upscale(r, ctl, {Stage::UpscalePass, i, plan.passes, 0, 0});
    }
    if (plan.resize_after) {
      ctl.check_cancel();
      ctl.report({Stage::Resizing, plan.passes, plan.passes, 0, 0});
      x = resize_float(x, plan.out_w, plan.out_h, Filter::Lanczos);
    }
  }
  x = x.clamp_(0.0, 1.0);
  if (req.color_fix != ColorFix::None) {
    ctl.check_cancel();
    ctl.report({Stage::ColorFix, plan.passes, plan.passes, 0, 0});
    auto src = resize_float(in.rgb.to(torch::kFloat32), plan.out_w, plan.out_h, Filter::Bicubic).clamp_(0.0, 1.0);
    x = apply_color_fix(req.color_fix, x, src);
  }
  Image out;
  out.rgb = x;
  out.bit_depth = in.bit_depth;
  if (in.has_alpha())
    out.alpha = resize_float(in.alpha.to(torch::kFloat32), plan.out_w, plan.out_h, Filter::Bicubic).clamp_(0.0, 1.0);
  return out;
}

}  // namespace coz
