// One-token decoding helpers through the engine's CUDA kernels (kernels/decode_cuda.cu). Each returns
// false / an undefined tensor when its kernel does not apply (CPU, a build without kernels, another
// layout); the caller then runs the LibTorch formula.
#pragma once
#include <torch/torch.h>

namespace coz::kernels {

// qkv: [.., heads*hd + 2*kv_heads*hd] of one token (contiguous); cos, sin: [hd]; q_out: [heads*hd];
// k_cache, v_cache: [kv_heads, capacity, hd] contiguous; pos: [1] int64 on the device.
bool rope_cache_decode(const torch::Tensor& qkv, const torch::Tensor& cos, const torch::Tensor& sin,
                       torch::Tensor& q_out, torch::Tensor& k_cache, torch::Tensor& v_cache, const torch::Tensor& pos,
                       int64_t heads, int64_t kv_heads, int64_t head_dim);

// gate_up: [..., 2n] contiguous -> silu(gate) * up, [..., n].
torch::Tensor silu_mul(const torch::Tensor& gate_up);

// Attention of one query token over the filled slots 0..*pos of a static cache (split-KV kernels).
// q: [1, heads, 1, hd] contiguous (heads a multiple of kv_heads, at most 16 per key/value head;
// hd 64 or 128); k_cache, v_cache: [1, kv_heads, capacity, hd] contiguous, 16-byte aligned; pos:
// [1] int64 on the device. Returns [1, heads, 1, hd] (q's type), or an undefined tensor (then use SDPA).
torch::Tensor decode_attention(const torch::Tensor& q, const torch::Tensor& k_cache, const torch::Tensor& v_cache,
                               const torch::Tensor& pos, double scale);

// torch::linear(x, w, b) for one row x ([..., k] with one row in all, contiguous), bf16/fp16 only:
// [..., n], or an undefined tensor (then use torch::linear).
// loads: 16-byte weight loads each lane issues before using them, 4 or 8 (0: 4, or COZ_GEMV_LOADS=8;
// on the H200 four are faster: 355 against 333 tokens/s for the whole decode step).
torch::Tensor gemv(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b, int loads = 0);

}  // namespace coz::kernels
