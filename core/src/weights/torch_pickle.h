// Reads PyTorch zip checkpoints (torch.save, protocol 2) without Python: a small pickle machine for
// what state dicts and tensor lists contain (OrderedDict with _metadata, _rebuild_tensor_v2,
// _rebuild_parameter, typed storages). LibTorch 1.13's own unpickler rejects OrderedDict state.
#pragma once
#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

namespace coz::weights {

struct TorchCheckpoint {
  bool is_list = false;
  std::vector<torch::Tensor> list;                              // torch.save([t0, t1, ...])
  std::vector<std::pair<std::string, torch::Tensor>> entries;   // torch.save(state_dict), in file order
};

// Throws ModelLoadError naming the file and the unsupported construct.
TorchCheckpoint read_torch_checkpoint(const std::string& path);

}  // namespace coz::weights
