// Flexible whole-image upscaling by any factor > 1 (the seed's process_image_with_scale).
#pragma once
#include <string>

#include "coz/color_fix.h"
#include "coz/control.h"
#include "coz/device.h"
#include "coz/image.h"
#include "coz/tiler.h"

namespace coz {

struct UpscaleRequest {
  Image image;
  double scale = 4.0;
  std::string model = "esrgan-thick";
  ColorFix color_fix = ColorFix::None;
  Device device;
  Precision precision = Precision::Auto;
  TileOptions tiles;
  int max_side = 8192;
};

struct UpscalePlan {
  int out_w = 0, out_h = 0;  // exactly round(w*S) x round(h*S)
  int native_scale = 0;      // scale of one backbone pass
  int passes = 0;
  bool resize_after = false; // a final high-quality resize to the exact size
};

// Engine::plan_upscale validates (scale > 1 and finite, output within max_side) and plans with the
// backbone's native scales; Engine::upscale runs it.

}  // namespace coz
