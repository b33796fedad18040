// The engine's image: float RGB in [0,1], NCHW, on the CPU unless a step moves it.
#pragma once
#include "coz/api.h"
#include <torch/types.h>

namespace coz {

struct Image {
  torch::Tensor rgb;    // [1,3,H,W] float32 in [0,1]
  torch::Tensor alpha;  // undefined, or [1,1,H,W] float32 in [0,1]
  int bit_depth = 8;    // bit depth of the source file (8 or 16)

  int width() const { return rgb.defined() ? static_cast<int>(rgb.size(3)) : 0; }
  int height() const { return rgb.defined() ? static_cast<int>(rgb.size(2)) : 0; }
  bool has_alpha() const { return alpha.defined(); }
};

// uint8 HWC <-> float NCHW. to_u8 rounds to nearest after clamping to [0,1].
COZ_API torch::Tensor to_float_nchw(const torch::Tensor& u8_hwc);
COZ_API torch::Tensor to_u8_hwc(const torch::Tensor& f_nchw);
// Quantise a float image to 8-bit steps (round to nearest), keeping float type.
COZ_API torch::Tensor quantize8(const torch::Tensor& f_nchw);

}  // namespace coz
