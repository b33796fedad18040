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

// Arithmetic precision of a backbone. Auto picks bf16 where the hardware computes it natively
// (CUDA; CPUs with AVX512-BF16 or AMX), else fp32.
enum class Precision { Auto, FP32, BF16, FP16 };
Precision parse_precision(const std::string& s);  // "auto"|"fp32"|"bf16"|"fp16"; throws InvalidInput
const char* precision_name(Precision p);
Precision resolve_precision(Precision p, const torch::Device& d);
torch::Dtype precision_dtype(Precision p);  // p must be resolved
bool cpu_has_native_bf16();

bool cuda_available();
int cuda_device_count();
std::string torch_version();
bool fused_attention_available();  // SDPA kernels (LibTorch >= 2.1)

}  // namespace coz
