// A super-resolution backbone: nearest, bicubic, ESRGAN, SD3-OSEDiff.
#pragma once
#include "coz/api.h"
#include <string>
#include <torch/types.h>

#include "coz/control.h"
#include "coz/tiler.h"

namespace coz {

// What a backbone wants as input for one x`scale` step.
enum class SRInput {
  LowRes,    // the crop itself; the backbone enlarges it (ESRGAN, nearest, bicubic)
  Upscaled,  // the crop already bicubic-upscaled to the output size (SD3-OSEDiff, §1.3)
};

struct SRRequest {
  torch::Tensor image;       // [1,3,h,w] float in [0,1] (LowRes) or [1,3,h*s,w*s] (Upscaled)
  std::string prompt;        // used by prompted backbones only
  uint64_t seed = 0;
  TileOptions tiles;
};

class COZ_API SuperResolver {
 public:
  virtual ~SuperResolver() = default;
  virtual std::string id() const = 0;
  virtual int scale() const = 0;
  virtual SRInput input_kind() const { return SRInput::LowRes; }
  virtual bool uses_prompt() const { return false; }
  // Returns [1,3,H*s,W*s] float in [0,1] on the CPU.
  virtual torch::Tensor upscale(const SRRequest& req, const RunControl& ctl,
                                const Progress& base = {}) const = 0;
  // Interpolation backbones scale by any factor: one resize straight to width x height.
  virtual bool any_scale() const { return false; }
  virtual torch::Tensor resize_to(const torch::Tensor& x, int width, int height) const;
};

}  // namespace coz
