// Reads PyTorch zip checkpoints (torch.save, protocol 2) without Python: a small pickle machine for
// what state dicts and tensor lists contain (OrderedDict with _metadata, _rebuild_tensor_v2,
// _rebuild_parameter, typed storages). LibTorch 1.13's own unpickler rejects OrderedDict state.
// Nothing in a checkpoint is ever executed: any global other than the tensor rebuilders and dict
// types is refused. Checkpoints are untrusted input: every count, offset, size and stride is checked
// before use, nesting is limited, and values live in an arena (no recursive teardown).
#pragma once
#include <torch/torch.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace coz::weights {

struct TorchCheckpoint {
  bool is_list = false;
  std::vector<torch::Tensor> list;                              // torch.save([t0, t1, ...])
  // torch.save(state_dict), in file order; nested dicts are flattened with '.' ({"model": {"a": t}}
  // gives "model.a"). Values that are not tensors (epochs, configs) are skipped.
  std::vector<std::pair<std::string, torch::Tensor>> entries;
};

// Maps the file and reads it. Throws ModelLoadError naming the file and the damaged part.
TorchCheckpoint read_torch_checkpoint(const std::string& path);
// The same for an archive held in memory; `what` names it in errors.
TorchCheckpoint read_torch_checkpoint_bytes(const uint8_t* data, size_t size, const std::string& what);

// The pickle program alone (data.pkl). `storage(key, &size)` returns the bytes of storage record
// `key`, or throws. Exposed for the fuzzer.
using StorageLookup = std::function<const uint8_t*(const std::string& key, size_t* size)>;
TorchCheckpoint read_torch_pickle(const uint8_t* pkl, size_t size, const StorageLookup& storage,
                                  const std::string& what);

}  // namespace coz::weights
