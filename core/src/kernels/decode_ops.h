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

}  // namespace coz::kernels
