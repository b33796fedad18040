// The kernels' storage type of a LibTorch tensor (float, half, bfloat16); false for any other.
// Only for builds with the engine's CUDA kernels (COZ_CUDA_KERNELS).
#pragma once
#include <torch/torch.h>

#include "kernels/group_norm_cuda.h"

namespace coz::kernels {

inline bool kernel_dtype(const torch::Tensor& t, DType& dt) {
  switch (t.scalar_type()) {
    case torch::kFloat32: dt = DType::F32; return true;
    case torch::kHalf: dt = DType::F16; return true;
    case torch::kBFloat16: dt = DType::BF16; return true;
    default: return false;
  }
}

}  // namespace coz::kernels
