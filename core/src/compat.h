// The one place for LibTorch version differences (Debian's 1.13 CPU vs 2.x CUDA on the GPU box).
#pragma once
#include <torch/cuda.h>
#include <torch/torch.h>
#include <torch/version.h>
#ifdef COZ_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#define COZ_TORCH_AT_LEAST(major, minor) \
  (TORCH_VERSION_MAJOR > (major) || (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

namespace coz::compat {

// Scaled dot-product attention: fused kernel in 2.x, the explicit formula in 1.13.
inline torch::Tensor sdpa(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                          const c10::optional<torch::Tensor>& mask = c10::nullopt, bool causal = false,
                          c10::optional<double> scale = c10::nullopt) {
#if COZ_TORCH_AT_LEAST(2, 1)
  return at::scaled_dot_product_attention(q, k, v, mask, 0.0, causal, scale);
#else
  const double s = scale ? *scale : 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
  auto attn = torch::matmul(q, k.transpose(-2, -1)) * s;
  if (causal) {
    auto m = torch::ones({q.size(-2), k.size(-2)}, q.options().dtype(torch::kBool)).triu(1);
    attn.masked_fill_(m, -std::numeric_limits<float>::infinity());
  }
  if (mask) attn = mask->scalar_type() == torch::kBool ? attn.masked_fill(~*mask, -std::numeric_limits<float>::infinity()) : attn + *mask;
  return torch::matmul(attn.softmax(-1), v);
#endif
}

// SDPA as transformers' sdpa_attention_forward calls it from torch 2.5 on: no mask, key/value heads
// dividing the query heads (enable_gqa; before 2.5 the heads are repeated, as it does there).
inline torch::Tensor sdpa_gqa(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, bool causal,
                              double scale) {
#if COZ_TORCH_AT_LEAST(2, 5)
  return at::scaled_dot_product_attention(q, k, v, c10::nullopt, 0.0, causal, scale, /*enable_gqa=*/true);
#else
  const int64_t rep = q.size(-3) / k.size(-3);
  if (rep == 1) return sdpa(q, k, v, c10::nullopt, causal, scale);
  return sdpa(q, k.repeat_interleave(rep, -3), v.repeat_interleave(rep, -3), c10::nullopt, causal, scale);
#endif
}

inline void cuda_synchronize(const torch::Device& d) {
  if (d.is_cuda()) torch::cuda::synchronize(d.index());
}

// Peak GPU memory held by the caching allocator since the last reset (0 without CUDA).
inline void cuda_reset_peak(const torch::Device& d) {
#ifdef COZ_WITH_CUDA
  if (d.is_cuda()) c10::cuda::CUDACachingAllocator::resetPeakStats(d.index() < 0 ? 0 : d.index());
#else
  (void)d;
#endif
}

inline double cuda_peak_gb(const torch::Device& d) {
#ifdef COZ_WITH_CUDA
  if (d.is_cuda())
    return static_cast<double>(c10::cuda::CUDACachingAllocator::getDeviceStats(d.index() < 0 ? 0 : d.index())
                                   .allocated_bytes[0].peak) / (1024.0 * 1024.0 * 1024.0);
#else
  (void)d;
#endif
  return 0.0;
}

}  // namespace coz::compat
