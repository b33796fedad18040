#include "coz/image.h"

#include <torch/torch.h>

namespace coz {

torch::Tensor to_float_nchw(const torch::Tensor& u8_hwc) {
  return u8_hwc.permute({2, 0, 1}).unsqueeze(0).to(torch::kFloat32).div_(255.0f).contiguous();
}

torch::Tensor to_u8_hwc(const torch::Tensor& f_nchw) {
  return f_nchw.detach().to(torch::kCPU, torch::kFloat32).squeeze(0).clamp(0.0, 1.0)
      .mul(255.0f).round_().to(torch::kUInt8).permute({1, 2, 0}).contiguous();
}

torch::Tensor quantize8(const torch::Tensor& f_nchw) {
  return f_nchw.clamp(0.0, 1.0).mul(255.0f).round_().div_(255.0f);
}

}  // namespace coz
