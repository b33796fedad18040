#include "kernels/group_norm.h"

#include <stdexcept>
#include <string>

#ifdef COZ_CUDA_KERNELS
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include "kernels/dtype.h"
#include "kernels/group_norm_cuda.h"
#include "kernels/rms_norm_cuda.h"
#endif

namespace coz::kernels {

bool have_cuda_kernels() {
#ifdef COZ_CUDA_KERNELS
  return true;
#else
  return false;
#endif
}

torch::Tensor group_norm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias, int64_t groups,
                         double eps, bool silu) {
#ifdef COZ_CUDA_KERNELS
  if (!x.is_cuda() || x.dim() != 4 || !x.is_contiguous(torch::MemoryFormat::ChannelsLast)) return {};
  if (!weight.defined() || !bias.defined() || weight.scalar_type() != x.scalar_type() ||
      bias.scalar_type() != x.scalar_type() || !weight.is_contiguous() || !bias.is_contiguous() ||
      weight.device() != x.device() || bias.device() != x.device())
    return {};
  DType dt;
  if (!kernel_dtype(x, dt)) return {};
  const int64_t n = x.size(0), c = x.size(1), hw = x.size(2) * x.size(3);
  if (n == 0 || hw == 0 || weight.numel() != c || bias.numel() != c) return {};
  if (!group_norm_supported(static_cast<int>(x.element_size()), c, groups)) return {};
  if (reinterpret_cast<uintptr_t>(x.data_ptr()) % 16 != 0) return {};
  const c10::cuda::CUDAGuard guard(x.device());
  auto y = torch::empty_like(x, x.options(), torch::MemoryFormat::ChannelsLast);
  auto scratch = torch::empty({group_norm_scratch_floats(n, hw, c)}, x.options().dtype(torch::kFloat32));
  GroupNormArgs a;
  a.x = x.data_ptr();
  a.y = y.data_ptr();
  a.weight = weight.data_ptr();
  a.bias = bias.data_ptr();
  a.dtype = dt;
  a.n = n;
  a.hw = hw;
  a.c = c;
  a.groups = groups;
  a.eps = static_cast<float>(eps);
  a.silu = silu;
  a.scratch = scratch.data_ptr<float>();
  a.stream = c10::cuda::getCurrentCUDAStream(x.device().index()).stream();
  if (const char* err = group_norm_nhwc(a)) throw std::runtime_error(std::string("GroupNorm CUDA kernel failed: ") + err);
  return y;
#else
  (void)x, (void)weight, (void)bias, (void)groups, (void)eps, (void)silu;
  return {};
#endif
}

namespace {
std::pair<torch::Tensor, torch::Tensor> rms_norm_impl(const torch::Tensor& x, const torch::Tensor* residual,
                                                      const torch::Tensor& weight, double eps) {
#ifdef COZ_CUDA_KERNELS
  if (!x.is_cuda() || !x.is_contiguous() || x.dim() < 1 || !weight.defined() || !weight.is_contiguous() ||
      weight.scalar_type() != x.scalar_type() || weight.device() != x.device() || weight.numel() != x.size(-1))
    return {};
  if (residual && (!residual->is_contiguous() || residual->sizes() != x.sizes() ||
                   residual->scalar_type() != x.scalar_type() || residual->device() != x.device()))
    return {};
  DType dt;
  if (!kernel_dtype(x, dt)) return {};
  const c10::cuda::CUDAGuard guard(x.device());
  auto y = torch::empty_like(x);
  torch::Tensor sum;
  RmsNormArgs a;
  a.x = x.data_ptr();
  if (residual) {
    sum = torch::empty_like(x);
    a.residual = residual->data_ptr();
    a.sum = sum.data_ptr();
  }
  a.y = y.data_ptr();
  a.weight = weight.data_ptr();
  a.dtype = dt;
  a.n = x.size(-1);
  a.rows = x.numel() / a.n;
  a.eps = static_cast<float>(eps);
  a.stream = c10::cuda::getCurrentCUDAStream(x.device().index()).stream();
  if (const char* err = rms_norm_rows(a)) throw std::runtime_error(std::string("RMSNorm CUDA kernel failed: ") + err);
  return {sum, y};
#else
  (void)x, (void)residual, (void)weight, (void)eps;
  return {};
#endif
}
}  // namespace

torch::Tensor rms_norm(const torch::Tensor& x, const torch::Tensor& weight, double eps) {
  return rms_norm_impl(x, nullptr, weight, eps).second;
}

std::pair<torch::Tensor, torch::Tensor> add_rms_norm(const torch::Tensor& x, const torch::Tensor& residual,
                                                     const torch::Tensor& weight, double eps) {
  return rms_norm_impl(x, &residual, weight, eps);
}

}  // namespace coz::kernels
