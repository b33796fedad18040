#include "cuda_graph.h"

#include <cstdio>

#ifdef COZ_WITH_CUDA
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>
#endif

namespace coz {

namespace {
// What identifies a capture: every input's sizes, strides, dtype and device.
std::vector<int64_t> signature(const std::vector<torch::Tensor>& in) {
  std::vector<int64_t> k;
  for (const auto& t : in) {
    k.push_back(t.dim());
    for (auto s : t.sizes()) k.push_back(s);
    for (auto s : t.strides()) k.push_back(s);
    k.push_back(static_cast<int64_t>(t.scalar_type()));
    k.push_back(t.device().index());
  }
  return k;
}
}  // namespace

struct GraphedCall::Impl {
  std::vector<int64_t> key;
  std::vector<torch::Tensor> in, out;
  bool broken = false;  // capture failed once: run eagerly from now on
  bool in_pool = false;  // counted in pool.state->graphs
#ifdef COZ_WITH_CUDA
  std::unique_ptr<at::cuda::CUDAGraph> graph;
#endif
};

GraphPool GraphPool::make() {
  GraphPool p;
  p.state = std::make_shared<State>();
  return p;
}

GraphedCall::GraphedCall(std::string what, GraphPool pool)
    : impl_(std::make_unique<Impl>()), what_(std::move(what)), pool_(pool) {}

GraphedCall::~GraphedCall() { reset(); }

bool GraphedCall::supported() {
#ifdef COZ_WITH_CUDA
  return true;
#else
  return false;
#endif
}

bool GraphedCall::captured() const {
#ifdef COZ_WITH_CUDA
  return impl_->graph != nullptr;
#else
  return false;
#endif
}

void GraphedCall::reset() {
  // Outputs and inputs live in the graph's pool: drop them before the graph.
  impl_->out.clear();
  impl_->in.clear();
  impl_->key.clear();
#ifdef COZ_WITH_CUDA
  impl_->graph.reset();
#endif
  if (impl_->in_pool) --pool_.state->graphs;
  impl_->in_pool = false;
}

std::vector<torch::Tensor> GraphedCall::run(const std::vector<torch::Tensor>& inputs, const Fn& fn) {
#ifdef COZ_WITH_CUDA
  bool usable = !impl_->broken && !inputs.empty();
  for (const auto& t : inputs) usable = usable && t.defined() && t.is_cuda() && t.device() == inputs[0].device();
  if (!usable) return fn(inputs);
  auto key = signature(inputs);
  if (impl_->graph && key == impl_->key) {
    for (size_t i = 0; i < inputs.size(); ++i) impl_->in[i].copy_(inputs[i], /*non_blocking=*/true);
    impl_->graph->replay();
    return impl_->out;
  }
  reset();
  const auto device = inputs[0].device();
  const c10::cuda::CUDAGuard guard(device);
  for (const auto& t : inputs) impl_->in.push_back(t.clone());
  auto cur = c10::cuda::getCurrentCUDAStream(device.index());
  auto side = c10::cuda::getStreamFromPool(false, device.index());
  at::cuda::CUDAEvent ready;
  ready.record(cur);
  ready.block(side);
  try {
    const c10::cuda::CUDAStreamGuard on_side(side);
    fn(impl_->in);  // warm-up on the capturing stream: library handles, workspaces, algorithm choice
    side.synchronize();
    impl_->graph = std::make_unique<at::cuda::CUDAGraph>();
    decltype(at::cuda::graph_pool_handle()) pool{0, 0};  // {0,0}: a private pool for this capture
    if (pool_.state) {
      if (pool_.state->graphs == 0) {
        const auto id = at::cuda::graph_pool_handle();
        pool_.state->id = {id.first, id.second};
      }
      pool = {pool_.state->id.first, pool_.state->id.second};
    }
    impl_->graph->capture_begin(pool);
    if (pool_.state) ++pool_.state->graphs, impl_->in_pool = true;
    try {
      impl_->out = fn(impl_->in);
    } catch (...) {
      try {
        impl_->graph->capture_end();
      } catch (...) {
      }
      throw;
    }
    impl_->graph->capture_end();
  } catch (const std::exception& e) {
    failure_ = e.what();
    std::fprintf(stderr, "coz: capturing %s as a CUDA graph failed; it runs without one (%s)\n", what_.c_str(),
                 failure_.substr(0, failure_.find('\n')).c_str());
    (void)cudaGetLastError();
    reset();
    impl_->broken = true;
    cur.synchronize();
    return fn(inputs);
  }
  at::cuda::CUDAEvent done;
  done.record(side);
  done.block(cur);
  impl_->key = std::move(key);
  impl_->graph->replay();
  return impl_->out;
#else
  return fn(inputs);
#endif
}

}  // namespace coz
