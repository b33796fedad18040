// Colour correction of an SR output towards its input (CoZ §1.10).
#pragma once
#include "coz/api.h"
#include <string>
#include <torch/types.h>

namespace coz {

enum class ColorFix { None, Wavelet, AdaIN };

// target: SR output, source: the upscaled SR input; both [1,3,H,W] float in [0,1], same size.
// Returns the corrected image clamped to [0,1].
COZ_API torch::Tensor apply_color_fix(ColorFix fix, const torch::Tensor& target, const torch::Tensor& source);

COZ_API torch::Tensor wavelet_color_fix(const torch::Tensor& target, const torch::Tensor& source);
COZ_API torch::Tensor adain_color_fix(const torch::Tensor& target, const torch::Tensor& source);

COZ_API ColorFix parse_color_fix(const std::string& s);  // throws InvalidInput
COZ_API const char* color_fix_name(ColorFix f);

}  // namespace coz
