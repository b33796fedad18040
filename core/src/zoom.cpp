// Follows CoZ inference_coz.py (resize_and_center_crop, the rec_type branches) with the zoom point
// generalised from the centre to any point; with the centre the boxes equal the reference's.
#include "coz/zoom.h"

#include <torch/torch.h>

#include <c10/core/InferenceMode.h>

#include <chrono>
#include <cmath>
#include <map>

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

Precision zoom_precision_used(const ZoomRequest& req) {
  return req.recursion == Recursion::Bicubic || req.recursion == Recursion::Nearest ? Precision::FP32
                                                                                    : resolve_precision(req.precision, req.device);
}

const StepOverride* find_override(const ZoomRequest& req, int step) {
  for (const StepOverride& o : req.overrides)
    if (o.step == step) return &o;
  return nullptr;
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
  for (size_t i = 0; i < req.overrides.size(); ++i) {
    const StepOverride& o = req.overrides[i];
    const std::string at = "the change at step " + std::to_string(o.step);
    if (o.step < 1 || o.step > req.steps)
      throw InvalidInput(at + " is outside the chain: steps are numbered 1 to " + std::to_string(req.steps));
    for (size_t j = 0; j < i; ++j)
      if (req.overrides[j].step == o.step) throw InvalidInput("step " + std::to_string(o.step) + " is changed twice");
    if (o.point_x.has_value() != o.point_y.has_value()) throw InvalidInput(at + " moves the zoom point in one direction only");
    if (o.point_x && !(*o.point_x >= 0.0 && *o.point_x <= 1.0 && *o.point_y >= 0.0 && *o.point_y <= 1.0))
      throw InvalidInput(at + " moves the zoom point outside the image (" + std::to_string(*o.point_x) + ", " +
                         std::to_string(*o.point_y) + "); use fractions between 0 and 1");
    if (o.prompt && o.prompt_mode) throw InvalidInput(at + " gives both a prompt and a prompt mode; give one");
    if (o.point_x && !is_recursive(req.recursion))
      throw InvalidInput(at + " moves the zoom point: that needs a recursive chain (recursive or recursive-multiscale), "
                         "where each step crops the one before; with " + recursion_name(req.recursion) +
                         " every step crops the first image around one point");
  }
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
  double q0x = p0x, q0y = p0y;  // non-recursive: the point every crop of step 0 centres on
  for (int k = 1; k <= req.steps; ++k) {
    const StepOverride* moved = find_override(req, k);
    if (moved && !moved->point_x) moved = nullptr;
    ZoomStepPlan sp;
    sp.step = k;
    sp.magnification = std::pow(static_cast<double>(kZoomFactor), k);
    if (is_recursive(req.recursion)) {
      const int n = P / kZoomFactor;
      sp.source_step = k - 1;
      if (moved) px = *moved->point_x * P, py = *moved->point_y * P;
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
      if (moved) q0x = *moved->point_x * P, q0y = *moved->point_y * P;
      sp.crop = {place(q0x, n, P), place(q0y, n, P), n, n};
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
  const int n_resumed = static_cast<int>(req.resume.size());
  if (!req.image.rgb.defined() && (n_resumed == 0 || req.input_width < 1 || req.input_height < 1))
    throw InvalidInput("no image given");
  c10::InferenceMode guard;
  ZoomResult res;
  res.plan = req.image.rgb.defined() ? plan_zoom(req.image.width(), req.image.height(), req)
                                     : plan_zoom(req.input_width, req.input_height, req);
  const ZoomPlan& plan = res.plan;
  const int P = plan.process_size;
  const int n_steps = static_cast<int>(plan.steps.size());
  const torch::Device device = torch_device(req.device);
  if (n_resumed > n_steps + 1)
    throw InvalidInput("the run to resume has " + std::to_string(n_resumed - 1) + " steps, more than the " +
                       std::to_string(n_steps) + " asked for");

  // Steps taken over from an earlier run (resume, or a re-run from step K).
  for (int k = 0; k < n_resumed; ++k) {
    StepResult st = req.resume[k];
    const auto& o = st.output;
    if (!o.defined() || o.dim() != 4 || o.size(0) != 1 || o.size(1) != 3 || o.size(2) != P || o.size(3) != P)
      throw InvalidInput("step " + std::to_string(k) + " of the run to resume is not a " + std::to_string(P) + "x" +
                         std::to_string(P) + " RGB image (the process size of its steps.json)");
    st.output = o.to(torch::kFloat32);
    if (!st.input.defined()) st.input = st.output;
    st.step = k;
    st.steps = n_steps;
    st.plan = k > 0 ? plan.steps[k - 1] : ZoomStepPlan{};
    st.reused = true;
    res.steps.push_back(st);
    if (ctl.on_step) ctl.on_step(res.steps.back());
  }
  if (n_resumed == 0) {
    auto t0 = Clock::now();
    StepResult s0;
    s0.steps = n_steps;
    s0.output = to_float_nchw(initial_crop_u8(to_u8_hwc(req.image.rgb), plan));
    s0.input = s0.output;
    s0.ms_total = ms_since(t0);
    res.steps.push_back(s0);
    if (ctl.on_step) ctl.on_step(res.steps.back());
  }
  const int first = std::max(1, n_resumed);
  if (first > n_steps) return res;

  std::shared_ptr<const SuperResolver> sr;
  if (req.recursion != Recursion::Bicubic && req.recursion != Recursion::Nearest) {
    ctl.check_cancel();
    ctl.report({Stage::LoadingModel, 0, n_steps, 0, 0});
    auto tl = Clock::now();
    sr = backbone(req.model, kZoomFactor, device, req.precision);
    res.ms_load = ms_since(tl);
  }
  // The request's prompt source (a caller's own, or its mode's family), and any other mode a step
  // switches to; each is loaded once, before the first step, so a missing model fails early.
  std::map<PromptMode, LoadedPromptSource> sources;
  LoadedPromptSource own{req.prompt_source, std::make_shared<std::mutex>()};
  if (sr) {
    auto tl = Clock::now();
    if (!own.source) own = prompt_source(req.prompt_mode, device, req.precision);
    for (int k = first; k <= n_steps; ++k) {
      const StepOverride* o = find_override(req, k);
      if (o && o->prompt_mode && !sources.count(*o->prompt_mode))
        sources[*o->prompt_mode] = prompt_source(*o->prompt_mode, device, req.precision);
    }
    res.ms_load += ms_since(tl);
  }

  for (int k = first; k <= n_steps; ++k) {
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
      const StepOverride* o = find_override(req, k);
      if (o && o->prompt) {
        st.prompt = *o->prompt;
      } else {
        const LoadedPromptSource& ps = o && o->prompt_mode ? sources.at(*o->prompt_mode) : own;
        if (ps.source->mode() != PromptMode::Null) ctl.report({Stage::Prompt, k, n_steps, 0, 0});
        PromptContext pc{st.input, res.steps[k - 1].output, k, req.recursion == Recursion::RecursiveMultiscale};
        std::lock_guard<std::mutex> lock(*ps.mu);
        const std::string generated = ps.source->generate(pc, ctl);
        st.prompt = compose_prompt(ps.source->mode(), generated, req.user_prompt);
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
