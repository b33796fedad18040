// GroupNorm (+ SiLU) through the engine's CUDA kernel where it applies (kernels/group_norm_cuda.cu).
#pragma once
#include <torch/torch.h>

namespace coz::kernels {

// True when this build carries the engine's CUDA kernels.
bool have_cuda_kernels();

// GroupNorm over a CUDA channels-last [N,C,H,W] tensor, optionally followed by SiLU, with fp32
// statistics. Returns an undefined tensor when the kernel does not apply (CPU tensor, another
// layout, a build without kernels, an unsupported channel count); the caller then uses LibTorch.
torch::Tensor group_norm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias, int64_t groups,
                         double eps, bool silu);

// Qwen2RMSNorm over the last dimension of a contiguous CUDA tensor (kernels/rms_norm_cuda.cu).
// Undefined when the kernel does not apply (CPU, another layout, a build without kernels).
torch::Tensor rms_norm(const torch::Tensor& x, const torch::Tensor& weight, double eps);
// The same over x + residual: returns {x + residual, rms_norm(x + residual)}, or undefined tensors.
std::pair<torch::Tensor, torch::Tensor> add_rms_norm(const torch::Tensor& x, const torch::Tensor& residual,
                                                     const torch::Tensor& weight, double eps);

}  // namespace coz::kernels
