// What a model file holds, read with the engine's own checkpoint readers: safetensors (and sharded
// *.safetensors.index.json), PyTorch zip checkpoints (torch.save), and TensorFlow.js layers models
// (model.json + shards). Used by `coz inspect`; every reader treats the file as untrusted input.
#pragma once
#include "coz/api.h"
#include <cstdint>
#include <string>
#include <vector>

namespace coz {

struct TensorInfo {
  std::string name;
  std::string dtype;           // "float32", "bfloat16", ...
  std::vector<int64_t> shape;
};

struct ModelFileInfo {
  std::string path;
  std::string format;          // "safetensors", "safetensors index", "torch zip", "tfjs layers-model"
  std::vector<TensorInfo> tensors;  // by name (torch.save lists: "0", "1", ... in list order)
};

// Throws ModelLoadError naming the file and what is wrong with it.
COZ_API ModelFileInfo inspect_model_file(const std::string& path);

}  // namespace coz
