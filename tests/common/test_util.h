// Helpers shared by the tests: golden files, image comparison, model availability.
#pragma once
#include <torch/torch.h>

#include <QtTest/QtTest>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "coz/engine.h"

namespace coz::test {

inline std::filesystem::path data_dir() { return std::filesystem::path(COZ_TEST_DATA); }

// Raw little-endian float32 file -> tensor of `shape`.
inline torch::Tensor read_f32(const std::filesystem::path& p, std::vector<int64_t> shape) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw std::runtime_error("missing golden " + p.string());
  auto t = torch::empty(shape, torch::kFloat32);
  f.read(reinterpret_cast<char*>(t.data_ptr<float>()), t.numel() * 4);
  if (f.gcount() != t.numel() * 4) throw std::runtime_error("short golden " + p.string());
  return t;
}

inline double max_abs(const torch::Tensor& a, const torch::Tensor& b) {
  return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

// The message of the coz::Error that fn throws, or "" when it throws none.
inline std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

// max|got - want| / max|want| (the goldens' tolerance measure).
inline double rel_err(const torch::Tensor& got, const torch::Tensor& want) {
  return (got.to(torch::kFloat64) - want.to(torch::kFloat64)).abs().max().item<double>() /
         want.to(torch::kFloat64).abs().max().item<double>();
}

inline double psnr(const torch::Tensor& a, const torch::Tensor& b) {
  const double mse = (a.to(torch::kFloat64) - b.to(torch::kFloat64)).pow(2).mean().item<double>();
  return mse == 0 ? 1e9 : 10 * std::log10(1.0 / mse);
}

// Models come from scripts/setup.sh or `coz models pull ID`. Where COZ_REQUIRE_MODELS=1 (CI) a
// missing model fails the test; elsewhere it is skipped with the reason and the install hint.
inline bool require_model(const std::string& id) {
  const coz::Engine engine;
  const auto status = engine.status(id);
  if (status.installed) return true;
  const char* req = std::getenv("COZ_REQUIRE_MODELS");
  const std::string msg = id + " is not installed in " + engine.model_options().models_dir.string() + "; " +
                          (status.install_hint.empty() ? "run scripts/setup.sh" : status.install_hint);
  if (req && std::string(req) == "1") QTest::qFail(msg.c_str(), __FILE__, __LINE__);
  else QTest::qSkip(msg.c_str(), __FILE__, __LINE__);
  return false;
}

// LibTorch 1.13 runs bf16 GEMMs through oneDNN only on AVX-512 CPUs; elsewhere (AVX2-only CPUs
// such as some EPYC hosts) its fallback accumulates in bf16, so bf16 accuracy bounds are asserted
// on AVX-512 CPUs (and on the GPU by coz_cuda_check), and elsewhere only finiteness and dtype.
inline bool cpu_bf16_gemm_accurate() {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
}

// The folder of one scale of an installed ESRGAN model (<models>/<id>/x<scale>).
inline std::filesystem::path esrgan_dir(const std::string& id, int scale) {
  return coz::default_models_dir() / id / ("x" + std::to_string(scale));
}

// A smooth, deterministic test picture [1,3,h,w] in [0,1] (no file needed).
inline torch::Tensor test_pattern(int w, int h) {
  auto y = torch::linspace(0, 1, h).view({h, 1});
  auto x = torch::linspace(0, 1, w).view({1, w});
  auto r = 0.5 + 0.4 * torch::sin(x * 7.0 + y * 3.0);
  auto g = 0.5 + 0.4 * torch::cos(x * 5.0 - y * 9.0);
  auto b = (x * y).sqrt() * 0.9;
  return torch::stack({r, g, b}).unsqueeze(0).contiguous();
}

}  // namespace coz::test
