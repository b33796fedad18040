// Private to models/qwen_vl*.cpp: the loaded weights, the per-image-grid vision layout and the decode
// state of QwenVL, shared by the fast path (qwen_vl.cpp) and the exact path (qwen_vl_exact.cpp).
#pragma once
#include <torch/torch.h>

#include <array>
#include <chrono>
#include <memory>
#include <vector>

#include "cuda_graph.h"
#include "models/qwen_vl.h"

namespace coz::models {

// Milliseconds since t0 (QwenTimings' figures).
inline double qwen_ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

struct QwenLinear {
  torch::Tensor w, b;
  torch::Tensor operator()(const torch::Tensor& x) const { return torch::linear(x, w, b); }
};

// q/k/v and gate/up are stored fused (one matrix each); the exact path reads its rows back as the
// checkpoint's separate matrices (views) and keeps the separate biases as their own tensors, so that
// every GEMM sees the operands transformers gives it (cuBLASLt picks kernels by pointer alignment).
struct QwenVL::Weights {
  struct VisionBlock {
    torch::Tensor norm1, norm2;
    QwenLinear qkv, proj, gate_up, down;
    torch::Tensor gate_b, up_b;  // [intermediate] each
  };
  struct TextLayer {
    torch::Tensor in_norm, post_norm;
    QwenLinear qkv, o, gate_up, down;
    torch::Tensor q_b, k_b, v_b;
  };
  torch::Tensor patch_embed;  // [hidden, C*T*P*P]
  std::vector<VisionBlock> vblocks;
  torch::Tensor ln_q;
  QwenLinear merger0, merger2;
  torch::Tensor embed, norm, lm_head;
  std::vector<TextLayer> layers;
  torch::Tensor v_inv_freq;  // [head_dim/4] fp32
  torch::Tensor t_inv_freq;  // [head_dim/2] fp32

  template <class F>
  void each(F&& f) {
    f(patch_embed), f(ln_q), f(embed), f(norm), f(v_inv_freq), f(t_inv_freq);
    for (auto* l : {&merger0, &merger2}) f(l->w), f(l->b);
    for (auto& b : vblocks) {
      f(b.norm1), f(b.norm2), f(b.gate_b), f(b.up_b);
      for (auto* l : {&b.qkv, &b.proj, &b.gate_up, &b.down}) f(l->w), f(l->b);
    }
    for (auto& t : layers) {
      f(t.in_norm), f(t.post_norm), f(t.q_b), f(t.k_b), f(t.v_b);
      for (auto* l : {&t.qkv, &t.o, &t.gate_up, &t.down}) f(l->w), f(l->b);
    }
  }
};

// Cached per image-grid list: the window order, its inverse, the rotary angles and tables in window
// order, and the attention segments (in order, and grouped by length).
struct QwenVL::Vision {
  struct Group {
    int64_t len = 0, count = 0;
    torch::Tensor rows;  // [count*len] int64 on the device; undefined: rows 0..N-1 in order
  };
  std::vector<std::array<int64_t, 3>> key;
  torch::Tensor window_index, reverse, cos, sin;  // cos/sin [N, 1, head_dim] fp32
  torch::Tensor theta;                            // [N, head_dim/2] fp32 on the device
  std::vector<Group> window_groups, full_groups;
  std::vector<int64_t> window_lens, full_lens;  // segment lengths in order (cu_seqlens differences)
};

struct QwenVL::Decoder {
  int64_t capacity = 0;
  torch::Tensor k, v;            // [layers, 1, kv_heads, capacity, head_dim]
  torch::Tensor token, pos, delta;  // [1] int64 on the device
  torch::Tensor seen;            // [vocab] bool
  torch::Tensor slots;           // arange(capacity) int64
  torch::Tensor eos;             // [n] int64
  bool ignore_eos = false;
  std::unique_ptr<GraphedCall> graph;
};

// The next id [1] (int64) from the fp32 logits [vocab] as transformers' logits processors and
// selection leave it: repetition penalty on the `seen` ids, `banned` ids (may be undefined) at -inf,
// the temperature when sampling, then the maximum. With do_sample (CoZ's config: top_k 1, top_p
// 0.001) the top-p step sorts ascending and keeps the last of equal maxima, so ties go to the highest
// id; plain greedy (argmax) takes the lowest.
torch::Tensor qwen_choose(torch::Tensor logits, const torch::Tensor& seen, const torch::Tensor& banned,
                          const QwenGenerationConfig& g);

// rotate_half: (x1, x2) -> (-x2, x1) over the last dimension.
torch::Tensor qwen_rotate_half(const torch::Tensor& x);

}  // namespace coz::models
