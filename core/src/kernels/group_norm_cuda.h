// The engine's own CUDA kernels, callable from plain C++ (no CUDA or LibTorch types here): built
// only where a CUDA compiler and a CUDA LibTorch are present (COZ_CUDA_KERNELS).
#pragma once
#include <cstdint>

namespace coz::kernels {

enum class DType { F32, F16, BF16 };

struct GroupNormArgs {
  const void* x = nullptr;  // [n, hw, c], c contiguous, 16-byte aligned
  void* y = nullptr;        // same shape and type as x
  const void* weight = nullptr;
  const void* bias = nullptr;  // [c] each, same type as x
  DType dtype = DType::F32;
  int64_t n = 0, hw = 0, c = 0, groups = 0;
  float eps = 1e-6f;
  bool silu = false;
  float* scratch = nullptr;  // group_norm_scratch_floats(n, hw, c) floats of device memory
  void* stream = nullptr;    // cudaStream_t
};

bool group_norm_supported(int dtype_bytes, int64_t c, int64_t groups);
int64_t group_norm_chunks(int64_t n, int64_t hw);
int64_t group_norm_scratch_floats(int64_t n, int64_t hw, int64_t c);
// Launches the three passes on a.stream; returns nullptr or the CUDA error text.
const char* group_norm_nhwc(const GroupNormArgs& a);

}  // namespace coz::kernels
