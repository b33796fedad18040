// make_flight (coz/zoom_flight.h): a finished run's step outputs and plan as a zoom flight. Apart
// from zoom_flight.cpp because it reads tensors; the flight itself needs no LibTorch.
#include <torch/torch.h>

#include "coz/error.h"
#include "coz/image.h"
#include "coz/zoom.h"
#include "coz/zoom_flight.h"

namespace coz {

ZoomFlight make_flight(const ZoomResult& res, const FlightOptions& opt) {
  std::vector<FlightStep> steps;
  steps.reserve(res.steps.size());
  for (size_t i = 0; i < res.steps.size(); ++i) {
    const StepResult& s = res.steps[i];
    const std::string name = "zoom flight: step " + std::to_string(i);
    if (s.step != static_cast<int>(i))
      throw InvalidInput(name + " of the run is numbered " + std::to_string(s.step) + "; the steps must be 0, 1, 2, ...");
    if (!s.output.defined() || s.output.dim() != 4 || s.output.size(0) != 1 || s.output.size(1) != 3)
      throw InvalidInput(name + " has no [1,3,H,W] RGB output image");
    const torch::Tensor u8 = to_u8_hwc(s.output);  // [H,W,3], contiguous, on the CPU
    FlightStep f;
    f.height = static_cast<int>(u8.size(0));
    f.width = static_cast<int>(u8.size(1));
    const uint8_t* p = u8.data_ptr<uint8_t>();
    f.rgb.assign(p, p + u8.numel());
    if (i > 0) f.crop = {s.plan.source_step, s.plan.crop.x, s.plan.crop.y, s.plan.crop.w, s.plan.crop.h};
    steps.push_back(std::move(f));
  }
  return ZoomFlight(std::move(steps), opt);
}

}  // namespace coz
