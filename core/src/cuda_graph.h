// CUDA graphs for fixed-shape work: the first call with a new set of input shapes runs the work once
// (warm-up) and captures it on a side stream; later calls copy their inputs into the graph's own
// input tensors and replay every kernel with one launch. Without CUDA (Debian's LibTorch 1.13 CPU)
// the work simply runs.
#pragma once
#include <torch/torch.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace coz {

// A memory pool that graphs replayed one after another (never concurrently) may share. Once every
// graph in it has been reset, the next capture starts a fresh pool (LibTorch refuses to capture into
// a pool whose graphs are all gone while its memory is still cached). A default GraphPool gives each
// capture a private pool.
struct GraphPool {
  struct State {
    std::pair<unsigned long long, unsigned long long> id{0, 0};
    int graphs = 0;  // captured graphs in the pool now
  };
  std::shared_ptr<State> state;
  static GraphPool make();
};

class GraphedCall {
 public:
  using Fn = std::function<std::vector<torch::Tensor>(const std::vector<torch::Tensor>&)>;

  explicit GraphedCall(std::string what, GraphPool pool = {});
  ~GraphedCall();
  GraphedCall(const GraphedCall&) = delete;
  GraphedCall& operator=(const GraphedCall&) = delete;

  // True when this build can capture CUDA graphs.
  static bool supported();

  // fn(inputs) through the graph. Every input must be a defined CUDA tensor of one device; fn must be
  // free of host synchronisation and must read nothing that changes between calls except its inputs.
  // The returned tensors are the graph's own outputs: they stay valid until the next call (clone
  // what you keep). If capturing fails, the call falls back to running fn eagerly, for good.
  std::vector<torch::Tensor> run(const std::vector<torch::Tensor>& inputs, const Fn& fn);

  // Frees the captured graph and its tensors.
  void reset();
  bool captured() const;
  // The reason the last capture failed ("" if none).
  const std::string& failure() const { return failure_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string what_;
  GraphPool pool_;
  std::string failure_;
};

}  // namespace coz
