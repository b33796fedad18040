// Shared by the benchmarks: wall-clock milliseconds, raw float32 files, waiting for the device.
#pragma once
#include <torch/torch.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "compat.h"

namespace coz::bench {

inline double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// A raw little-endian float32 file of exactly `shape` (what the Python side writes with tofile()).
inline torch::Tensor read_f32(const std::string& path, std::vector<int64_t> shape) {
  auto t = torch::empty(shape, torch::kFloat32);
  std::ifstream f(path, std::ios::binary);
  f.read(reinterpret_cast<char*>(t.data_ptr<float>()), t.numel() * 4);
  if (f.gcount() != t.numel() * 4) throw std::runtime_error("short file " + path);
  return t;
}

inline void sync(const torch::Device& d) {
  if (d.is_cuda()) coz::compat::cuda_synchronize(d);
}

}  // namespace coz::bench
