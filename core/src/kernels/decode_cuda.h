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

struct DecodeAttentionArgs {
  const void* q = nullptr;        // [kv_heads * group, hd]: query heads, `group` per key/value head
  const void* k_cache = nullptr;  // [kv_heads, capacity, hd]
  const void* v_cache = nullptr;  // [kv_heads, capacity, hd]
  const int64_t* pos = nullptr;   // device: slots 0..*pos are filled
  void* out = nullptr;            // [kv_heads * group, hd]
  float* partial = nullptr;       // [kv_heads, chunks(capacity), group, hd + 2] scratch
  DType dtype = DType::F32;
  int kv_heads = 0, group = 0, head_dim = 0;
  int64_t capacity = 0;
  float scale = 1.f;
  void* stream = nullptr;
};
constexpr int kDecodeChunk = 32;  // cache slots per block (one warp lane each in the softmax)
constexpr int kDecodeMaxGroup = 16;
inline int64_t decode_chunks(int64_t capacity) { return (capacity + kDecodeChunk - 1) / kDecodeChunk; }
// softmax(q k^T * scale) v over the filled slots, split-KV: one block per (chunk, key/value head)
// writes a partial result (max, sum, weighted values) for its chunk, a second kernel combines them.
// Chunks past *pos return at once, so a CUDA graph captured once serves every length. Head sizes 64
// and 128, up to kDecodeMaxGroup query heads per key/value head; anything else returns an error.
const char* decode_attention(const DecodeAttentionArgs& a);

struct GemvArgs {
  const void* x = nullptr;     // [k]
  const void* w = nullptr;     // [n, k] row-major
  const void* bias = nullptr;  // [n] or null
  void* y = nullptr;           // [n]
  DType dtype = DType::F16;    // F16 or BF16
  int64_t n = 0, k = 0;        // k a multiple of 8; x and w 16-byte aligned
  int loads = 4;               // 16-byte weight loads each lane issues at once: 4 or 8 (for comparisons)
  void* stream = nullptr;
};
// y = w x (+ bias) for one row x: one warp per output, 16-byte loads, fp32 accumulation.
const char* gemv(const GemvArgs& a);

}  // namespace coz::kernels
