// One GEMM instead of several that read the same input (q/k/v, gated FF halves): the parameters are
// concatenated along the output dim and each original parameter becomes a view of its slice, so
// module names, load_module and state dicts keep working and no memory is duplicated.
#pragma once
#include <torch/torch.h>

#include <vector>

namespace coz::models {

// Concatenates the tensors along dim 0 into a new tensor and re-points each one (set_data keeps the
// Parameter objects) to its slice. Returns the concatenation.
inline torch::Tensor fuse_params(const std::vector<torch::Tensor>& params) {
  torch::NoGradGuard ng;
  auto fused = torch::cat(params, 0);
  int64_t off = 0;
  for (auto p : params) {  // a Tensor handle shares the parameter's TensorImpl
    const int64_t n = p.size(0);
    p.set_data(fused.narrow(0, off, n));
    off += n;
  }
  return fused;
}

// Gives each tensor that is still a view of `fused` its own contiguous storage again (tensors that
// were already copied apart are left alone), so `fused` can be dropped.
inline void unfuse_params(const std::vector<torch::Tensor>& params, const torch::Tensor& fused) {
  torch::NoGradGuard ng;
  if (!fused.defined()) return;
  for (auto p : params)
    if (p.is_alias_of(fused)) p.set_data(p.clone(at::MemoryFormat::Contiguous));
}

// True while every tensor is still a view of `fused` (moving a module with to() copies each
// parameter apart, after which the separate GEMMs must be used, or fuse_params called again).
inline bool views_of(const std::vector<torch::Tensor>& params, const torch::Tensor& fused) {
  if (!fused.defined()) return false;
  for (const auto& p : params)
    if (!p.is_alias_of(fused)) return false;
  return true;
}

}  // namespace coz::models
