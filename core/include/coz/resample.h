// Pillow-exact resampling (Resample.c / Geometry.c of Pillow 9-11), for inputs that must match
// the reference bit for bit, plus a float variant of the same filters for high-quality resizes.
#pragma once
#include "coz/api.h"
#include <torch/types.h>

namespace coz {

enum class Filter { Nearest, Bicubic, Lanczos };

// u8: [H,W,C] uint8 contiguous. Returns [out_h,out_w,C] uint8, bit-identical to
// PIL.Image.resize((out_w,out_h), filter) for 8-bit modes.
COZ_API torch::Tensor pil_resize_u8(const torch::Tensor& u8, int out_w, int out_h, Filter filter);

// f: [N,C,H,W] float. Same filter kernels and support (antialiased when shrinking), computed in
// float without intermediate rounding. Works for any size; memory is O(output).
COZ_API torch::Tensor resize_float(const torch::Tensor& f, int out_w, int out_h, Filter filter);

// PIL crop: box may extend past the image; outside pixels are 0 (black), as Pillow fills them.
COZ_API torch::Tensor crop_zero_fill_u8(const torch::Tensor& u8, int left, int top, int w, int h);

COZ_API const char* filter_name(Filter f);

}  // namespace coz
