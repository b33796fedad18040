#include "coz/device.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <thread>

#include "coz/error.h"

namespace coz {

bool cuda_available() { return torch::cuda::is_available(); }
int cuda_device_count() { return cuda_available() ? static_cast<int>(torch::cuda::device_count()) : 0; }
std::string torch_version() { return TORCH_VERSION; }

torch::Device parse_device(const std::string& s) {
  if (s == "cpu") return torch::kCPU;
  if (s == "cuda" || s.rfind("cuda:", 0) == 0) {
    int index = 0;
    if (s.size() > 5) {
      const std::string n = s.substr(5);
      if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos)
        throw InvalidInput("bad device '" + s + "': use cpu, cuda or cuda:N");
      index = std::stoi(n);
    }
    if (!cuda_available())
      throw InvalidInput("device '" + s + "' is not available: this LibTorch " + torch_version() +
                         " build or machine has no CUDA; use --device cpu");
    if (index >= cuda_device_count())
      throw InvalidInput("device '" + s + "' does not exist: this machine has " +
                         std::to_string(cuda_device_count()) + " CUDA device(s)");
    return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
  }
  throw InvalidInput("unknown device '" + s + "': use cpu, cuda or cuda:N");
}

int set_threads(int n) {
  if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(n);
  return torch::get_num_threads();
}

}  // namespace coz
