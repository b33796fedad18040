#include "coz/record.h"

#include <torch/torch.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "coz/error.h"
#include "coz/version.h"

namespace coz {
namespace {
using json = nlohmann::ordered_json;

template <typename B>  // Box (pixels of a step image) or BoxF (input pixels)
json box_json(const B& b) {
  return {{"x", b.x}, {"y", b.y}, {"w", b.w}, {"h", b.h}};
}

json request_object(const ZoomRequest& req) {
  const int w = req.image.width(), h = req.image.height();
  return {
      {"model", req.model},
      {"recursion", recursion_name(req.recursion)},
      {"steps", req.steps},
      {"process_size", req.process_size},
      {"center", {{"x", req.center_x}, {"y", req.center_y}}},
      {"center_pixels", {{"x", req.center_x * w}, {"y", req.center_y * h}}},
      {"prompt_mode", req.prompt_source ? "custom" : prompt_mode_name(req.prompt_mode)},
      {"user_prompt", req.user_prompt},
      {"color_fix", color_fix_name(req.color_fix)},
      {"seed", req.seed},
      {"device", device_name(req.device)},
      {"precision", precision_name(req.precision)},
      {"tiles", {{"tile", req.tiles.tile}, {"overlap", req.tiles.overlap}, {"context", req.tiles.context}}},
  };
}

}  // namespace

std::string zoom_request_json(const ZoomRequest& req) { return request_object(req).dump(2); }

std::string zoom_record_json(const ZoomRequest& req, const ZoomResult& res, const ZoomRecordFiles& files) {
  if (files.steps.size() != res.steps.size())
    throw InvalidInput("steps.json: " + std::to_string(res.steps.size()) + " step images but " +
                       std::to_string(files.steps.size()) + " file names");
  const ZoomPlan& plan = res.plan;
  json steps = json::array();
  for (size_t i = 0; i < res.steps.size(); ++i) {
    const StepResult& s = res.steps[i];
    json j = {{"step", s.step}, {"file", files.steps[i]}, {"magnification", std::pow(4.0, s.step)}, {"prompt", s.prompt}};
    if (s.step > 0) {
      j["crop"] = box_json(s.plan.crop);
      j["crop"]["source_step"] = s.plan.source_step;
      j["region_in_input"] = box_json(s.plan.in_original);
    } else {
      j["crop"] = box_json(plan.initial_crop);
      j["crop"]["resized_w"] = plan.resized_w;
      j["crop"]["resized_h"] = plan.resized_h;
      j["region_in_input"] = box_json(plan.initial_in_original);
    }
    j["timings"] = {{"prompt_ms", s.ms_prompt}, {"sr_ms", s.ms_sr}, {"total_ms", s.ms_total}};
    steps.push_back(std::move(j));
  }
  // The precision the run computed in: "auto" resolved for the device it ran on.
  const Precision used = req.recursion == Recursion::Bicubic || req.recursion == Recursion::Nearest
                             ? Precision::FP32
                             : resolve_precision(req.precision, req.device);
  json doc = {
      {"format", "coz-steps"},
      {"format_version", kStepsFormatVersion},
      {"coz_version", version()},
      {"input", {{"file", files.input}, {"width", req.image.width()}, {"height", req.image.height()}}},
      {"request", request_object(req)},
      {"precision_used", precision_name(used)},
      {"plan", {{"resized_w", plan.resized_w}, {"resized_h", plan.resized_h}}},
      {"steps", std::move(steps)},
      {"strip", files.strip},
      {"timings", {{"load_ms", res.ms_load}, {"total_s", files.seconds}}},
  };
  return doc.dump(2) + "\n";
}

}  // namespace coz
