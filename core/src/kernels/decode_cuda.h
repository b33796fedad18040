// Small fused kernels for one-token LLM decoding (Qwen2.5-VL's decode step), with the rounding of the
// LibTorch formulas they replace: every elementwise product and sum is rounded to the storage type
// as a 16-bit LibTorch op would round it. Plain C++ interface (kernels/group_norm_cuda.h).
#pragma once
#include <cstdint>

#include "kernels/group_norm_cuda.h"

namespace coz::kernels {

struct RopeCacheArgs {
  const void* qkv = nullptr;   // [heads*hd | kv_heads*hd | kv_heads*hd] of one token
  const void* cos = nullptr;   // [hd]
  const void* sin = nullptr;   // [hd]
  void* q_out = nullptr;       // [heads*hd]: rotated q
  void* k_cache = nullptr;     // [kv_heads, capacity, hd]: rotated k written at slot *pos
  void* v_cache = nullptr;     // [kv_heads, capacity, hd]: v written at slot *pos
  const int64_t* pos = nullptr;  // device
  DType dtype = DType::F32;
  int heads = 0, kv_heads = 0, head_dim = 0;
  int64_t capacity = 0;
  void* stream = nullptr;
};
// q*cos + rotate_half(q)*sin for q and k (pairs i, i + hd/2), k and v stored in the caches.
const char* rope_cache_decode(const RopeCacheArgs& a);

struct SiluMulArgs {
  const void* gate_up = nullptr;  // [rows, 2*n]: gate then up
  void* out = nullptr;            // [rows, n]
  DType dtype = DType::F32;
  int64_t rows = 0, n = 0;
  void* stream = nullptr;
};
// silu(gate) * up.
const char* silu_mul_rows(const SiluMulArgs& a);

}  // namespace coz::kernels
