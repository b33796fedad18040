// Checkpoint files, read by tensor name: safetensors (memory-mapped; F32/F16/BF16/I64/...; sharded
// through *.safetensors.index.json) and PyTorch zip checkpoints (torch.save of a state dict or of a
// list of tensors) through LibTorch's unpickler. Loading into a module returns a LoadReport that
// names every missing, unexpected and wrong-shaped tensor with its file.
#pragma once
#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace coz::weights {

struct TensorEntry {
  std::string file;              // where it lives
  std::vector<int64_t> shape;
  torch::Dtype dtype = torch::kFloat32;
  size_t offset = 0, nbytes = 0; // inside the mapped file (safetensors)
  torch::Tensor tensor;          // already materialised (pickle checkpoints)
};

class MappedFile;

class WeightStore {
 public:
  // A file (.safetensors, .pt/.pth/.pkl/.bin zip checkpoint), a *.index.json, or a folder holding
  // one of model.safetensors, diffusion_pytorch_model.safetensors or their .index.json.
  static WeightStore open(const std::filesystem::path& path);
  static WeightStore open_safetensors(const std::filesystem::path& file);
  static WeightStore open_index(const std::filesystem::path& index_json);
  static WeightStore open_pickle(const std::filesystem::path& file);
  // A safetensors file already mapped or held in memory (used by the fuzzer and the tests).
  static WeightStore from_safetensors(std::shared_ptr<MappedFile> file);

  bool has(const std::string& name) const { return entries_.count(name) > 0; }
  const TensorEntry& entry(const std::string& name) const;
  // The tensor as stored (dtype of the file), on the CPU. For safetensors the memory is shared with
  // the mapping; copy it (e.g. .to(dtype)) before the store goes away.
  torch::Tensor get(const std::string& name) const;
  std::vector<std::string> names() const;
  size_t size() const { return entries_.size(); }
  const std::string& source() const { return source_; }
  // For list checkpoints (CoZ's model_*.pkl): the tensors in list order.
  const std::vector<torch::Tensor>& list() const { return list_; }

 private:
  std::string source_;
  std::map<std::string, TensorEntry> entries_;
  std::vector<std::shared_ptr<MappedFile>> files_;
  std::map<std::string, std::shared_ptr<MappedFile>> by_file_;
  std::vector<torch::Tensor> list_;
};

struct Mismatch {
  std::string name;
  std::vector<int64_t> expected, got;
};

struct LoadReport {
  std::string source;
  std::vector<std::string> missing;      // in the module, not in the file
  std::vector<std::string> unexpected;   // in the file, not used
  std::vector<Mismatch> mismatched;
  bool ok() const { return missing.empty() && mismatched.empty(); }
  // The source, then one line per mismatch and a line each for the missing and the unexpected
  // names (count, then the first `max_items`).
  std::string describe(size_t max_items = 8) const;
};

std::string shape_str(const std::vector<int64_t>& s);

// What a family does with tensors in its file that the module does not use.
enum class Unexpected {
  Error,  // strict: the file must hold exactly the module (a wrong or damaged file otherwise)
  Log,    // the family knowingly loads a subset (a stray buffer, a tied copy): say so once, go on
};
// Where Unexpected::Log goes; empty: one line on stderr.
using LoadLog = std::function<void(const std::string&)>;

// The one load policy every family applies to its report: missing or wrong-shaped tensors throw
// ModelLoadError ("cannot load <file>" and the report); unexpected tensors throw as well under
// Unexpected::Error, or are logged once as "<file>: N unexpected tensors ignored: a b ..." under
// Unexpected::Log.
void check_load(const LoadReport& report, Unexpected unexpected, const LoadLog& log = {});

// The (tensor, shard file) pairs of a *.safetensors.index.json, checked: every shard is a plain
// file name inside the model folder. Throws ModelLoadError naming `index_json` and the tensor.
std::vector<std::pair<std::string, std::string>> parse_shard_index(const nlohmann::json& j,
                                                                   const std::filesystem::path& index_json);

// Copies every parameter and buffer of `module` from `store` (name = prefix + module name, after
// `rename`, which maps a module name to a file name or "" to skip it). Values are cast to each
// parameter's dtype. Buffers named in `optional` may be absent. Returns the report without
// judging it (file tensors under `prefix` that nothing took are listed as unexpected).
LoadReport read_module(torch::nn::Module& module, const WeightStore& store, const std::string& prefix = "",
                       const std::function<std::string(const std::string&)>& rename = {},
                       const std::vector<std::string>& optional = {});

// read_module, then check_load with `unexpected` (each call site says which policy it needs).
LoadReport load_module(torch::nn::Module& module, const WeightStore& store, Unexpected unexpected,
                       const std::string& prefix = "", const std::function<std::string(const std::string&)>& rename = {},
                       const std::vector<std::string>& optional = {}, const LoadLog& log = {});

}  // namespace coz::weights
