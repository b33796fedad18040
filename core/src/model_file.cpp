#include "coz/model_file.h"

#include <torch/torch.h>

#include <filesystem>

#include "coz/error.h"
#include "json_file.h"
#include "models/tfjs_layers.h"
#include "weights/weight_store.h"

namespace coz {
namespace fs = std::filesystem;

namespace {
std::string dtype_name(torch::Dtype d) {
  std::string s = c10::toString(d);  // "Float", "BFloat16", ...
  if (s == "Float") return "float32";
  if (s == "Double") return "float64";
  if (s == "Half") return "float16";
  if (s == "BFloat16") return "bfloat16";
  if (s == "Long") return "int64";
  if (s == "Int") return "int32";
  if (s == "Short") return "int16";
  if (s == "Char") return "int8";
  if (s == "Byte") return "uint8";
  if (s == "Bool") return "bool";
  return s;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}
}  // namespace

ModelFileInfo inspect_model_file(const std::string& path) {
  ModelFileInfo info;
  info.path = path;
  std::error_code ec;
  if (!fs::exists(path, ec)) throw ModelLoadError(path + ": no such file");
  return guard_model_file(path, [&] {
    if (!fs::is_directory(path, ec) && ends_with(path, ".json") && !ends_with(path, ".index.json")) {
      info.format = "tfjs layers-model";
      auto weights = models::read_tfjs_weights(path);  // the shards are read once
      for (const auto& [name, t] : weights) info.tensors.push_back({name, dtype_name(t.scalar_type()), t.sizes().vec()});
      // Checks the whole graph (layers, channel flow) against those weights.
      models::KerasGraph graph(read_json_file(path, "the model file"), std::move(weights), path);
      return info;
    }
    const auto store = weights::WeightStore::open(path);
    info.format = ends_with(store.source(), ".index.json") ? "safetensors index"
                  : ends_with(store.source(), ".safetensors") ? "safetensors" : "torch zip";
    for (const auto& name : store.names()) {
      const auto& e = store.entry(name);
      info.tensors.push_back({name, dtype_name(e.dtype), e.shape});
    }
    return info;
  });
}

}  // namespace coz
