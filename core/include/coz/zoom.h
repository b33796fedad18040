// The Chain-of-Zoom pipeline (REFERENCE.md §1): plan every crop before any model runs, then run
// crop -> upsample -> prompt -> SR -> colour fix per step, each step reading the previous output.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coz/api.h"
#include "coz/color_fix.h"
#include "coz/control.h"
#include "coz/device.h"
#include "coz/image.h"
#include "coz/prompt_source.h"
#include "coz/tiler.h"

namespace coz {

enum class Recursion { Recursive, RecursiveMultiscale, OneStep, Bicubic, Nearest };

COZ_API Recursion parse_recursion(const std::string& s);  // throws InvalidInput
COZ_API const char* recursion_name(Recursion r);

struct Box {  // integer pixel box in some image
  int x = 0, y = 0, w = 0, h = 0;
};
struct BoxF {  // box in the original input image's pixel coordinates
  double x = 0, y = 0, w = 0, h = 0;
};

// Steering one step of a chain: what the user changed at step `step` (1-based). Later steps keep
// the request's prompt rule; a moved zoom point carries on to later steps (they nest in it).
struct StepOverride {
  int step = 0;
  std::optional<std::string> prompt;        // this exact prompt at the step (no prompt source runs)
  std::optional<PromptMode> prompt_mode;    // the step's prompt from this mode's family instead
  std::optional<double> point_x, point_y;   // the step's zoom point, as fractions of its source image
};

struct ZoomStepPlan {
  int step = 0;             // 1-based
  int source_step = 0;      // which step's image is cropped (k-1 recursive, 0 otherwise)
  Box crop;                 // crop box in that source image (process_size square images)
  BoxF in_original;         // the same region in the original image
  double magnification = 1; // 4^step
};

struct StepResult {
  int step = 0;                 // 0 = the initial resized crop
  int steps = 0;
  torch::Tensor input;          // the step's upscaled crop (what colour fix and prompts see)
  torch::Tensor output;         // [1,3,P,P] float in [0,1], quantised to 8-bit steps
  std::string prompt;
  ZoomStepPlan plan;
  double ms_prompt = 0, ms_sr = 0, ms_total = 0;
  bool reused = false;          // taken from ZoomRequest::resume, not computed in this run
};

struct ZoomRequest {
  Image image;                       // the original picture (alpha is ignored by zoom)
  double center_x = 0.5;             // zoom point, as a fraction of the input width
  double center_y = 0.5;             // ... and height
  int steps = 4;                     // 1..8
  Recursion recursion = Recursion::Recursive;
  int process_size = 512;
  std::string model = "esrgan-thick";
  PromptMode prompt_mode = PromptMode::Null;     // the registered prompt-source family to use
  std::shared_ptr<PromptSource> prompt_source;  // set: this source instead (a library caller's own)
  std::string user_prompt;
  ColorFix color_fix = ColorFix::None;
  uint64_t seed = 0;
  Device device;
  Precision precision = Precision::Auto;
  TileOptions tiles;
  std::vector<StepOverride> overrides;  // at most one per step, sorted or not
  // Resume / re-run from step K = resume.size(): steps 0..K-1 are taken from here (their output and
  // prompt; each output must be [1,3,P,P] as the plan says) instead of being computed. They are
  // still reported through on_step, with `reused` set.
  std::vector<StepResult> resume;
  // With `resume` holding step 0, the image may be left empty: the original's size (steps.json's
  // input width and height) is then all the plan needs.
  int input_width = 0, input_height = 0;
};

// The precision a zoom run computes in: "auto" resolved for its device (fp32 for the baselines).
COZ_API Precision zoom_precision_used(const ZoomRequest& req);

// The override of `step` in `req`, or nullptr.
COZ_API const StepOverride* find_override(const ZoomRequest& req, int step);

constexpr int kZoomFactor = 4;  // every CoZ step magnifies 4x
constexpr int kMaxZoomSteps = 8;

struct ZoomPlan {
  int process_size = 512;
  int resized_w = 0, resized_h = 0;  // size after the initial resize (min side = process_size)
  Box initial_crop;                  // process_size square in the resized image (may poke out by 1)
  BoxF initial_in_original;
  std::vector<ZoomStepPlan> steps;
};

// Validates the request (throws InvalidInput) and computes every crop box.
COZ_API ZoomPlan plan_zoom(int width, int height, const ZoomRequest& req);

struct ZoomResult {
  ZoomPlan plan;
  std::vector<StepResult> steps;  // steps[0] is the initial crop, then one per zoom step
  double ms_load = 0;
};

// Engine::zoom runs a ZoomRequest.

// Pillow-exact initial resize-and-centre-crop (§1.2), generalised to a zoom point.
COZ_API torch::Tensor initial_crop_u8(const torch::Tensor& u8_hwc, const ZoomPlan& plan);

}  // namespace coz
