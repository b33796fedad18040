// Follows CoZ inference_coz.py (resize_and_center_crop, the rec_type branches) with the zoom point
// generalised from the centre to any point; with the centre the boxes equal the reference's.
#include "coz/zoom.h"

#include <torch/torch.h>

#include <c10/core/InferenceMode.h>

#include <chrono>
#include <cmath>

#include "coz/device.h"
#include "coz/error.h"
#include "coz/engine.h"
#include "coz/resample.h"

namespace coz {
namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Top-left of an n-pixel crop around point p in an axis of `size` pixels, kept inside the image.
int place(double p, int n, int size) {
  const int lo = static_cast<int>(std::min<int64_t>(0, floor_div(size - n, 2)));
  const int hi = std::max(size - n, lo);
  return std::clamp(static_cast<int>(std::floor(p - n / 2.0)), lo, hi);
}

bool is_recursive(Recursion r) { return r == Recursion::Recursive || r == Recursion::RecursiveMultiscale; }

}  // namespace

Recursion parse_recursion(const std::string& s) {
  if (s == "recursive") return Recursion::Recursive;
  if (s == "recursive-multiscale" || s == "recursive_multiscale") return Recursion::RecursiveMultiscale;
  if (s == "onestep") return Recursion::OneStep;
  if (s == "bicubic") return Recursion::Bicubic;
  if (s == "nearest") return Recursion::Nearest;
  throw InvalidInput("unknown recursion type '" + s + "': use recursive, recursive-multiscale, onestep, bicubic or nearest");
}

const char* recursion_name(Recursion r) {
  switch (r) {
    case Recursion::Recursive: return "recursive";
    case Recursion::RecursiveMultiscale: return "recursive-multiscale";
    case Recursion::OneStep: return "onestep";
    case Recursion::Bicubic: return "bicubic";
    case Recursion::Nearest: return "nearest";
  }
  return "?";
}

ZoomPlan plan_zoom(int width, int height, const ZoomRequest& req) {
  if (width < 1 || height < 1) throw InvalidInput("the image is empty (" + std::to_string(width) + "x" + std::to_string(height) + ")");
  if (std::min(width, height) < 8)
    throw InvalidInput("the image is too small to zoom into (" + std::to_string(width) + "x" + std::to_string(height) +
                       "); it needs at least 8 pixels on its short side");
  if (req.steps < 1 || req.steps > kMaxZoomSteps)
    throw InvalidInput("steps must be between 1 and " + std::to_string(kMaxZoomSteps) + " (got " + std::to_string(req.steps) + ")");
  const int P = req.process_size;
  if (P < 16 || P > 4096 || P % kZoomFactor != 0)
    throw InvalidInput("process size must be a multiple of 4 between 16 and 4096 (got " + std::to_string(P) + ")");
  if (!(req.center_x >= 0.0 && req.center_x <= 1.0 && req.center_y >= 0.0 && req.center_y <= 1.0))
    throw InvalidInput("the zoom centre must lie inside the image");
  if (!is_recursive(req.recursion)) {
    int64_t n = P;
    for (int k = 0; k < req.steps; ++k) n /= kZoomFactor;
    if (n < 1) {
      int max_steps = 0;
      for (int64_t m = P / kZoomFactor; m >= 1; m /= kZoomFactor) ++max_steps;
      throw InvalidInput(std::string("--rec ") + recursion_name(req.recursion) + " crops " + std::to_string(P) +
                         "/4^steps pixels from the first image: with process size " + std::to_string(P) +
                         " it allows at most " + std::to_string(max_steps) + " steps (got " + std::to_string(req.steps) + ")");
    }
  }

  ZoomPlan plan;
  plan.process_size = P;
  const double s = static_cast<double>(P) / std::min(width, height);
  plan.resized_w = static_cast<int>(width * s);
  plan.resized_h = static_cast<int>(height * s);
  const double cx = req.center_x * plan.resized_w, cy = req.center_y * plan.resized_h;
  plan.initial_crop = {place(cx, P, plan.resized_w), place(cy, P, plan.resized_h), P, P};
  const double fx = static_cast<double>(width) / plan.resized_w, fy = static_cast<double>(height) / plan.resized_h;
  plan.initial_in_original = {plan.initial_crop.x * fx, plan.initial_crop.y * fy, P * fx, P * fy};

  // Zoom point and the map from the current step image to step-0 coordinates (q0 = off + q*f).
  const double p0x = cx - plan.initial_crop.x, p0y = cy - plan.initial_crop.y;
  double px = p0x, py = p0y, offx = 0, offy = 0, f = 1;
  int64_t n_once = P;
  for (int k = 1; k <= req.steps; ++k) {
    ZoomStepPlan sp;
    sp.step = k;
    sp.magnification = std::pow(static_cast<double>(kZoomFactor), k);
    if (is_recursive(req.recursion)) {
      const int n = P / kZoomFactor;
      sp.source_step = k - 1;
      sp.crop = {place(px, n, P), place(py, n, P), n, n};
      // Region in step-0 coordinates, then in the original image.
      const double x0 = offx + sp.crop.x * f, y0 = offy + sp.crop.y * f, sz = n * f;
      sp.in_original = {(plan.initial_crop.x + x0) * fx, (plan.initial_crop.y + y0) * fy, sz * fx, sz * fy};
      px = (px - sp.crop.x) * (static_cast<double>(P) / n);
      py = (py - sp.crop.y) * (static_cast<double>(P) / n);
      offx = x0;
      offy = y0;
      f = sz / P;
    } else {
      n_once /= kZoomFactor;
      const int n = static_cast<int>(n_once);
      sp.source_step = 0;
      sp.crop = {place(p0x, n, P), place(p0y, n, P), n, n};
      sp.in_original = {(plan.initial_crop.x + sp.crop.x) * fx, (plan.initial_crop.y + sp.crop.y) * fy, n * fx, n * fy};
    }
    plan.steps.push_back(sp);
  }
  return plan;
}

torch::Tensor initial_crop_u8(const torch::Tensor& u8_hwc, const ZoomPlan& plan) {
  auto resized = pil_resize_u8(u8_hwc, plan.resized_w, plan.resized_h, Filter::Lanczos);
  const Box& b = plan.initial_crop;
  return crop_zero_fill_u8(resized, b.x, b.y, b.w, b.h);
}

ZoomResult Engine::zoom(const ZoomRequest& req, const RunControl& ctl) {
  if (!req.image.rgb.defined()) throw InvalidInput("no image given");
  c10::InferenceMode guard;
  ZoomResult res;
  res.plan = plan_zoom(req.image.width(), req.image.height(), req);
  const ZoomPlan& plan = res.plan;
  const int P = plan.process_size;
  const int n_steps = static_cast<int>(plan.steps.size());
  const torch::Device device = torch_device(req.device);

  auto t0 = Clock::now();
  StepResult s0;
  s0.steps = n_steps;
  s0.output = to_float_nchw(initial_crop_u8(to_u8_hwc(req.image.rgb), plan));
  s0.input = s0.output;
  s0.ms_total = ms_since(t0);
  res.steps.push_back(s0);
  if (ctl.on_step) ctl.on_step(res.steps.back());

  std::shared_ptr<const SuperResolver> sr;
  if (req.recursion != Recursion::Bicubic && req.recursion != Recursion::Nearest) {
    ctl.check_cancel();
    ctl.report({Stage::LoadingModel, 0, n_steps, 0, 0});
    auto tl = Clock::now();
    sr = backbone(req.model, kZoomFactor, device, req.precision);
    res.ms_load = ms_since(tl);
  }
  // The request's own source (a library caller's), else the registered family of its mode. The
  // prompts are generated even for backbones that ignore them: the user asked to see them.
  LoadedPromptSource prompts{req.prompt_source, std::make_shared<std::mutex>()};
  if (sr && !prompts.source) {
    auto tl = Clock::now();
    prompts = prompt_source(req.prompt_mode, device, req.precision);
    res.ms_load += ms_since(tl);
  }

  for (int k = 1; k <= n_steps; ++k) {
    ctl.check_cancel();
    const ZoomStepPlan& sp = plan.steps[k - 1];
    ctl.report({Stage::ZoomStep, k, n_steps, 0, 0});
    auto ts = Clock::now();
    StepResult st;
    st.step = k;
    st.steps = n_steps;
    st.plan = sp;
    const auto src = to_u8_hwc(res.steps[sp.source_step].output);
    const auto crop = crop_zero_fill_u8(src, sp.crop.x, sp.crop.y, sp.crop.w, sp.crop.h);
    const Filter up = req.recursion == Recursion::Nearest ? Filter::Nearest : Filter::Bicubic;
    st.input = to_float_nchw(pil_resize_u8(crop, P, P, up));
    if (!sr) {
      st.output = st.input;
    } else {
      auto tp = Clock::now();
      {
        if (prompts.source->mode() != PromptMode::Null) ctl.report({Stage::Prompt, k, n_steps, 0, 0});
        PromptContext pc{st.input, res.steps[k - 1].output, k, req.recursion == Recursion::RecursiveMultiscale};
        std::lock_guard<std::mutex> lock(*prompts.mu);
        const std::string generated = prompts.source->generate(pc, ctl);
        st.prompt = compose_prompt(prompts.source->mode(), generated, req.user_prompt);
      }
      st.ms_prompt = ms_since(tp);

      SRRequest r;
      r.prompt = st.prompt;
      r.seed = req.seed + static_cast<uint64_t>(k);
      r.tiles = req.tiles;
      if (sr->input_kind() == SRInput::Upscaled) {
        r.image = st.input;
      } else {
        const int lr = P / sr->scale();
        r.image = to_float_nchw(sp.crop.w == lr ? crop : pil_resize_u8(crop, lr, lr, Filter::Bicubic));
      }
      auto tsr = Clock::now();
      auto out = sr->upscale(r, ctl, {Stage::ZoomStep, k, n_steps, 0, 0});
      if (out.size(2) != P || out.size(3) != P) out = resize_float(out, P, P, Filter::Lanczos);
      st.ms_sr = ms_since(tsr);
      st.output = quantize8(apply_color_fix(req.color_fix, out, st.input));
    }
    st.ms_total = ms_since(ts);
    res.steps.push_back(st);
    if (ctl.on_step) ctl.on_step(res.steps.back());
  }
  return res;
}

}  // namespace coz
