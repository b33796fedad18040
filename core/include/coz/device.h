// Device selection and CPU threading.
#pragma once
#include <string>
#include <torch/types.h>

namespace coz {

// "cpu", "cuda", "cuda:1". Throws InvalidInput for unknown names or CUDA devices this build or
// machine does not have.
torch::Device parse_device(const std::string& s);

// Sets intra-op threads (n <= 0: all available cores). Returns the count in effect.
int set_threads(int n);

bool cuda_available();
int cuda_device_count();
std::string torch_version();

}  // namespace coz
