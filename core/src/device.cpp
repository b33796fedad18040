#include "coz/device.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <fstream>
#include <thread>

#include "coz/error.h"
#include "compat.h"  // compiled here so both LibTorch lines check it

namespace coz {

bool cuda_available() { return torch::cuda::is_available(); }
int cuda_device_count() { return cuda_available() ? static_cast<int>(torch::cuda::device_count()) : 0; }
std::string torch_version() { return TORCH_VERSION; }

bool fused_attention_available() { return COZ_TORCH_AT_LEAST(2, 1); }

Device parse_device(const std::string& s) {
  if (s == "cpu") return Device::cpu();
  if (s == "cuda") return Device::cuda(0);
  if (s.rfind("cuda:", 0) == 0) {
    const std::string n = s.substr(5);
    if (!n.empty() && n.size() <= 4 && n.find_first_not_of("0123456789") == std::string::npos) {
      const int index = std::stoi(n);
      if (index < 1024) return Device::cuda(index);
    }
  }
  throw InvalidInput("unknown device '" + s + "': use cpu, cuda or cuda:N");
}

std::string device_name(const Device& d) {
  return d.is_cuda() ? "cuda:" + std::to_string(d.index) : "cpu";
}

torch::Device torch_device(const Device& d) {
  if (!d.is_cuda()) return torch::kCPU;
  const std::string name = device_name(d);
  if (!cuda_available())
    throw InvalidInput("device '" + name + "' is not available: this LibTorch " + torch_version() +
                       " build or machine has no CUDA; use --device cpu");
  if (d.index < 0 || d.index >= cuda_device_count())
    throw InvalidInput("device '" + name + "' does not exist: this machine has " +
                       std::to_string(cuda_device_count()) + " CUDA device(s)");
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(d.index));
}

torch::Device parse_torch_device(const std::string& s) { return torch_device(parse_device(s)); }

Precision parse_precision(const std::string& s) {
  if (s == "auto") return Precision::Auto;
  if (s == "fp32") return Precision::FP32;
  if (s == "bf16") return Precision::BF16;
  if (s == "fp16") return Precision::FP16;
  throw InvalidInput("unknown precision '" + s + "': use auto, fp32, bf16 or fp16");
}

const char* precision_name(Precision p) {
  switch (p) {
    case Precision::Auto: return "auto";
    case Precision::FP32: return "fp32";
    case Precision::BF16: return "bf16";
    case Precision::FP16: return "fp16";
  }
  return "?";
}

bool cpu_has_native_bf16() {
  static const bool has = [] {
    std::ifstream f("/proc/cpuinfo");
    for (std::string line; std::getline(f, line);)
      if (line.rfind("flags", 0) == 0)
        return line.find(" avx512_bf16") != std::string::npos || line.find(" amx_bf16") != std::string::npos;
    return false;
  }();
  return has;
}

Precision resolve_precision(Precision p, const Device& d) {
  if (p != Precision::Auto) return p;
  if (d.is_cuda()) return Precision::BF16;
  return cpu_has_native_bf16() ? Precision::BF16 : Precision::FP32;
}

Precision resolve_precision(Precision p, const torch::Device& d) {
  if (p != Precision::Auto) return p;
  if (d.is_cuda()) return Precision::BF16;
  return cpu_has_native_bf16() ? Precision::BF16 : Precision::FP32;
}

torch::Dtype precision_dtype(Precision p) {
  switch (p) {
    case Precision::BF16: return torch::kBFloat16;
    case Precision::FP16: return torch::kHalf;
    default: return torch::kFloat32;
  }
}

int set_threads(int n) {
  if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(n);
  return torch::get_num_threads();
}

}  // namespace coz
