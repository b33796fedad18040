// RMSNorm as transformers' Qwen2RMSNorm computes it, in one kernel: per row, the mean of squares in
// fp32, x * rsqrt(mean + eps) rounded to the storage type, then times the weight (rounded again for
// 16-bit types, as a 16-bit elementwise product is). Plain C++ interface (kernels/group_norm_cuda.h).
#pragma once
#include <cstdint>

#include "kernels/group_norm_cuda.h"

namespace coz::kernels {

struct RmsNormArgs {
  const void* x = nullptr;       // [rows, n], rows contiguous
  const void* residual = nullptr;  // optional, like x: the kernel normalises x + residual (rounded) ...
  void* sum = nullptr;             // ... and stores that sum here (like x)
  void* y = nullptr;             // same shape and type
  const void* weight = nullptr;  // [n], same type
  DType dtype = DType::F32;
  int64_t rows = 0, n = 0;
  float eps = 1e-6f;
  void* stream = nullptr;  // cudaStream_t
};

// Returns nullptr or the CUDA error text.
const char* rms_norm_rows(const RmsNormArgs& a);

}  // namespace coz::kernels
