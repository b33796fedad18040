// A linear layer whose weights are allocated but not initialised. Every model here is filled from
// a checkpoint right after it is built, and LibTorch's own Linear runs a Kaiming initialisation on
// the CPU first: for SD3's transformer and CLIP encoders (2.8 B parameters) that random fill was
// most of the ~25 s load (measured on the H200 machine, docs/PERFORMANCE.md).
#pragma once
#include <torch/torch.h>

namespace coz::models {

class DenseImpl : public torch::nn::Module {
 public:
  DenseImpl(int64_t in, int64_t out, bool bias = true) {
    weight = register_parameter("weight", torch::empty({out, in}), false);
    if (bias) this->bias = register_parameter("bias", torch::empty({out}), false);
  }
  torch::Tensor forward(const torch::Tensor& x) { return torch::linear(x, weight, bias); }  // [..., in] -> [..., out]
  torch::Tensor weight;  // [out, in]
  torch::Tensor bias;    // [out], or undefined
};
TORCH_MODULE(Dense);

}  // namespace coz::models
