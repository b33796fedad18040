// Devices, precisions and CPU threading. Requests carry a Device and a Precision as plain values;
// the shells parse their text once with parse_device / parse_precision.
#pragma once
#include <string>
#include <torch/types.h>

#include "coz/api.h"

namespace coz {

struct COZ_API Device {
  enum class Kind { CPU, CUDA };
  Kind kind = Kind::CPU;
  int index = 0;  // CUDA ordinal (0 for the CPU)

  static Device cpu() { return {}; }
  static Device cuda(int index = 0) { return {Kind::CUDA, index}; }
  bool is_cuda() const { return kind == Kind::CUDA; }
  bool operator==(const Device& o) const { return kind == o.kind && index == o.index; }
  bool operator!=(const Device& o) const { return !(*this == o); }
};

// "cpu", "cuda", "cuda:N" (N a decimal ordinal < 1024). Syntax only: throws InvalidInput
// "unknown device 'x': use cpu, cuda or cuda:N" for anything else.
COZ_API Device parse_device(const std::string& s);
COZ_API std::string device_name(const Device& d);  // "cpu", "cuda:0"
// The LibTorch device. Throws InvalidInput when this build or machine has no such CUDA device.
COZ_API torch::Device torch_device(const Device& d);
// Parses and checks availability in one go (the form most callers want).
COZ_API torch::Device parse_torch_device(const std::string& s);

// Sets intra-op threads (n <= 0: all available cores). Returns the count in effect.
COZ_API int set_threads(int n);

// Arithmetic precision of a backbone. Auto picks bf16 where the hardware computes it natively
// (CUDA; CPUs with AVX512-BF16 or AMX), else fp32.
enum class Precision { Auto, FP32, BF16, FP16 };
COZ_API Precision parse_precision(const std::string& s);  // "auto"|"fp32"|"bf16"|"fp16"; throws InvalidInput
COZ_API const char* precision_name(Precision p);
COZ_API Precision resolve_precision(Precision p, const torch::Device& d);
COZ_API Precision resolve_precision(Precision p, const Device& d);
COZ_API torch::Dtype precision_dtype(Precision p);  // p must be resolved
COZ_API bool cpu_has_native_bf16();

COZ_API bool cuda_available();
COZ_API int cuda_device_count();
COZ_API std::string torch_version();
COZ_API bool fused_attention_available();  // SDPA kernels (LibTorch >= 2.1)

}  // namespace coz
