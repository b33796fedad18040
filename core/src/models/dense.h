// A linear layer whose weights are allocated but not initialised. Every model here is filled from
// a checkpoint right after it is built, and LibTorch's own Linear runs a Kaiming initialisation on
// the CPU first: for SD3's transformer and CLIP encoders (2.8 B parameters) that random fill was
// most of the ~25 s load (measured on the H200 machine, docs/PERFORMANCE.md).
#pragma once
#include <torch/torch.h>

namespace coz::models {

// Where Dense layers built on this thread allocate (default: CPU, float32).
inline torch::TensorOptions& dense_allocation() {
  thread_local torch::TensorOptions options;
  return options;
}

// While alive, Dense layers built on this thread allocate on `device` in `dtype`: a model built in
// this scope needs no host-to-device copy of its (not yet loaded) weights.
class DenseOn {
 public:
  DenseOn(const torch::Device& device, torch::Dtype dtype) : saved_(dense_allocation()) {
    dense_allocation() = torch::TensorOptions().device(device).dtype(dtype);
  }
  ~DenseOn() { dense_allocation() = saved_; }
  DenseOn(const DenseOn&) = delete;
  DenseOn& operator=(const DenseOn&) = delete;

 private:
  torch::TensorOptions saved_;
};

class DenseImpl : public torch::nn::Module {
 public:
  DenseImpl(int64_t in, int64_t out, bool bias = true) {
    weight = register_parameter("weight", torch::empty({out, in}, dense_allocation()), false);
    if (bias) this->bias = register_parameter("bias", torch::empty({out}, dense_allocation()), false);
  }
  torch::Tensor forward(const torch::Tensor& x) { return torch::linear(x, weight, bias); }  // [..., in] -> [..., out]
  torch::Tensor weight;  // [out, in]
  torch::Tensor bias;    // [out], or undefined
};
TORCH_MODULE(Dense);

}  // namespace coz::models
