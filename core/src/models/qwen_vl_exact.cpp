// The exact path of QwenVL (QwenGenerateOptions::exact): transformers 5's modeling_qwen2_5_vl.py with
// attn_implementation "sdpa" and GenerationMixin's sampling loop, op for op and shape for shape, so
// that the same LibTorch on the same GPU rounds every intermediate the same way: the Conv3d patch
// embedding, Qwen2RMSNorm's formula, the vision rotary in fp32 with the tables made on the device,
// one SDPA call per attention window, separate q/k/v and gate/up Linears, Qwen2_5_VLRotaryEmbedding's
// fp32 matmul, the section pick of apply_multimodal_rotary_pos_emb, a DynamicCache grown by cat with
// SDPA (enable_gqa, causal only with several queries) over exactly the filled length, the residual
// adds in the reference's order, the final norm over every prompt position, lm_head over the last
// one, and the logits processors in fp32. No fused kernel, no CUDA graph. See qwen_vl.h.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "compat.h"
#include "coz/error.h"
#include "models/qwen_vl.h"
#include "models/qwen_vl_parts.h"

namespace coz::models {

namespace {

// Qwen2RMSNorm.forward.
torch::Tensor rms_norm_ref(const torch::Tensor& x, const torch::Tensor& weight, double eps) {
  auto h = x.to(torch::kFloat32);
  auto variance = h.pow(2).mean(-1, true);
  h = h * torch::rsqrt(variance + eps);
  return weight * h.to(x.scalar_type());
}

// Qwen2_5_VLMLP / Qwen2MLP: down(silu(gate(x)) * up(x)).
torch::Tensor mlp_ref(const torch::Tensor& x, const QwenLinear& gate, const QwenLinear& up, const QwenLinear& down) {
  return down(torch::silu(gate(x)) * up(x));
}

}  // namespace

torch::Tensor QwenVL::vision_exact(const std::vector<QwenImage>& images, const QwenTensorTap& tap) {
  torch::NoGradGuard ng;
  const auto& c = vision_layout(images);
  const auto& vc = config_.vision;
  const int64_t unit = vc.merge * vc.merge, hd = vc.hidden / vc.heads, I = vc.intermediate;
  std::vector<torch::Tensor> rows;
  for (const auto& im : images) rows.push_back(im.patches(device_));
  const auto pixels = torch::cat(rows);  // [N, C*T*P*P] fp32
  if (tap) tap("pixel_values", pixels);
  // Qwen2_5_VisionPatchEmbed: the rows as [N, C, T, P, P] through the Conv3d (stride = kernel).
  auto x = pixels.to(dtype_).view({-1, vc.in_channels, vc.temporal_patch, vc.patch, vc.patch});
  const auto conv_w = w_->patch_embed.view({vc.hidden, vc.in_channels, vc.temporal_patch, vc.patch, vc.patch});
  x = torch::conv3d(x, conv_w, {}, {vc.temporal_patch, vc.patch, vc.patch}).view({-1, vc.hidden});
  const int64_t N = x.size(0);
  x = x.reshape({N / unit, unit, -1}).index_select(0, c.window_index).reshape({N, -1});
  auto emb = torch::cat({c.theta, c.theta}, -1);  // [N, hd] fp32, window order
  const auto cos = emb.cos().unsqueeze(-2), sin = emb.sin().unsqueeze(-2);
  const double scale = std::pow(static_cast<double>(hd), -0.5);
  const std::set<int64_t> full(vc.fullatt_blocks.begin(), vc.fullatt_blocks.end());
  for (int64_t i = 0; i < vc.depth; ++i) {
    const auto& b = w_->vblocks[static_cast<size_t>(i)];
    // Qwen2_5_VLVisionAttention.
    auto qkv = b.qkv(rms_norm_ref(x, b.norm1, 1e-6)).reshape({N, 3, vc.heads, -1}).permute({1, 0, 2, 3});
    auto q = qkv[0].to(torch::kFloat32), k = qkv[1].to(torch::kFloat32), v = qkv[2];
    q = (q * cos + qwen_rotate_half(q) * sin).to(dtype_);  // apply_rotary_pos_emb_vision
    k = (k * cos + qwen_rotate_half(k) * sin).to(dtype_);
    q = q.transpose(0, 1).unsqueeze(0), k = k.transpose(0, 1).unsqueeze(0), v = v.transpose(0, 1).unsqueeze(0);
    const auto& lens = full.count(i) ? c.full_lens : c.window_lens;
    const auto qs = q.split_with_sizes(lens, 2), ks = k.split_with_sizes(lens, 2), vs = v.split_with_sizes(lens, 2);
    std::vector<torch::Tensor> outs;
    for (size_t j = 0; j < lens.size(); ++j)
      outs.push_back(compat::sdpa_gqa(qs[j], ks[j], vs[j], false, scale).transpose(1, 2).contiguous());
    auto a = torch::cat(outs, 1).reshape({N, -1}).contiguous();
    x = x + b.proj(a);
    const QwenLinear gate{b.gate_up.w.narrow(0, 0, I), b.gate_b}, up{b.gate_up.w.narrow(0, I, I), b.up_b};
    x = x + mlp_ref(rms_norm_ref(x, b.norm2, 1e-6), gate, up, b.down);
  }
  // Qwen2_5_VLPatchMerger, then the window order undone.
  auto h = rms_norm_ref(x, w_->ln_q, 1e-6).view({-1, unit * vc.hidden});
  h = w_->merger2(torch::gelu(w_->merger0(h)));
  h = h.index_select(0, c.reverse);
  if (tap) tap("vision", h);
  return h;
}

std::vector<int64_t> QwenVL::generate_exact(const std::vector<int64_t>& ids, const std::vector<QwenImage>& images,
                                            const QwenGenerateOptions& opt, const RunControl* ctl, QwenTimings* timings) {
  torch::NoGradGuard ng;
  using clock = std::chrono::steady_clock;
  const auto& tc = config_.text;
  const auto& tap = opt.on_tensor;
  const int64_t L = static_cast<int64_t>(ids.size());
  const int64_t max_new = opt.max_new_tokens > 0 ? opt.max_new_tokens : config_.generation.max_new_tokens;
  const int64_t hd = tc.head_dim(), Q = tc.heads * hd, K = tc.kv_heads * hd, TI = tc.intermediate;
  if (ctl) ctl->check_cancel();

  auto t0 = clock::now();
  const auto embeds = embed_prompt(ids, images, /*exact=*/true, tap).unsqueeze(0);  // [1, L, D]
  const auto rope = rope_index(ids, images);
  const int64_t delta = rope.second;
  compat::cuda_synchronize(device_);
  if (timings) timings->vision_ms = qwen_ms_since(t0), timings->prompt_tokens = L;

  std::vector<int64_t> sec2;
  for (int r = 0; r < 2; ++r)
    for (auto s : tc.mrope_section) sec2.push_back(s);
  const double scale = std::pow(static_cast<double>(hd), -0.5);
  // DynamicCache: per layer an empty tensor that every step's keys/values are concatenated to.
  std::vector<torch::Tensor> kcache(static_cast<size_t>(tc.layers)), vcache(static_cast<size_t>(tc.layers));
  for (auto* cache : {&kcache, &vcache})
    for (auto& t : *cache) t = torch::empty({0}, torch::TensorOptions().device(device_).dtype(dtype_));

  // Qwen2_5_VLTextModel + lm_head over x [1, T, D] at positions [3, 1, T]: fp32 logits of the last
  // position [vocab] (outputs.logits[:, -1, :].to(float32)).
  auto forward = [&](torch::Tensor x, const torch::Tensor& positions, int64_t step) {
    const int64_t T = x.size(1);
    auto name = [&](int64_t j) { return "h." + std::to_string(step) + "." + std::to_string(j); };
    // Qwen2_5_VLRotaryEmbedding.forward (attention_scaling 1 for the default rope type).
    auto inv = w_->t_inv_freq.view({1, 1, -1, 1}).to(torch::kFloat32).expand({3, positions.size(1), -1, 1});
    auto freqs = torch::matmul(inv, positions.unsqueeze(2).to(torch::kFloat32)).transpose(2, 3);  // [3, 1, T, hd/2]
    auto emb = torch::cat({freqs, freqs}, -1);
    auto pick = [&](const torch::Tensor& t) {  // apply_multimodal_rotary_pos_emb's sections -> [1, 1, T, hd]
      const auto parts = t.split_with_sizes(sec2, -1);
      std::vector<torch::Tensor> sel;
      for (size_t i = 0; i < parts.size(); ++i) sel.push_back(parts[i][static_cast<int64_t>(i % 3)]);
      return torch::cat(sel, -1).unsqueeze(1);
    };
    const auto cos = pick(emb.cos().to(dtype_)), sin = pick(emb.sin().to(dtype_));
    const bool detail = tap && step > 0;  // per-layer parts of decode steps, for qwen_compare.py
    if (detail) tap("cos." + std::to_string(step), cos), tap("sin." + std::to_string(step), sin);
    if (tap) tap(name(0), x);
    for (int64_t i = 0; i < tc.layers; ++i) {
      const auto& l = w_->layers[static_cast<size_t>(i)];
      auto residual = x;
      auto h = rms_norm_ref(x, l.in_norm, tc.eps);
      const QwenLinear qp{l.qkv.w.narrow(0, 0, Q), l.q_b}, kp{l.qkv.w.narrow(0, Q, K), l.k_b},
          vp{l.qkv.w.narrow(0, Q + K, K), l.v_b};
      auto q = qp(h).view({1, T, -1, hd}).transpose(1, 2);
      auto k = kp(h).view({1, T, -1, hd}).transpose(1, 2);
      auto v = vp(h).view({1, T, -1, hd}).transpose(1, 2);
      q = q * cos + qwen_rotate_half(q) * sin;
      k = k * cos + qwen_rotate_half(k) * sin;
      auto& kc = kcache[static_cast<size_t>(i)];
      auto& vc = vcache[static_cast<size_t>(i)];
      kc = torch::cat({kc, k}, -2);
      vc = torch::cat({vc, v}, -2);
      auto a = compat::sdpa_gqa(q, kc, vc, /*causal=*/T > 1, scale).transpose(1, 2).contiguous();
      a = a.reshape({1, T, -1}).contiguous();
      const auto attn = l.o(a);
      x = residual + attn;
      residual = x;
      const QwenLinear gate{l.gate_up.w.narrow(0, 0, TI), {}}, up{l.gate_up.w.narrow(0, TI, TI), {}};
      const auto mlp = mlp_ref(rms_norm_ref(x, l.post_norm, tc.eps), gate, up, l.down);
      x = residual + mlp;
      if (detail) tap("attn." + std::to_string(step) + "." + std::to_string(i), attn),
          tap("mlp." + std::to_string(step) + "." + std::to_string(i), mlp);
      if (tap && i + 1 < tc.layers) tap(name(i + 1), x);
    }
    x = rms_norm_ref(x, w_->norm, tc.eps);
    if (tap) tap(name(tc.layers), x);
    auto logits = torch::linear(x.narrow(1, T - 1, 1), w_->lm_head);  // [1, 1, vocab]
    auto scores = logits.select(1, 0).to(torch::kFloat32).view({tc.vocab});
    if (tap) tap("logits." + std::to_string(step), scores);
    return scores;
  };

  const auto io = torch::TensorOptions().device(device_).dtype(torch::kInt64);
  auto seen = torch::zeros({tc.vocab}, io.dtype(torch::kBool));
  seen.index_fill_(0, torch::tensor(ids, torch::kInt64).to(device_), true);
  const auto banned = opt.ignore_eos ? torch::tensor(config_.generation.eos, torch::kInt64).to(device_) : torch::Tensor();
  auto is_eos = [&](int64_t id) {
    return std::find(config_.generation.eos.begin(), config_.generation.eos.end(), id) != config_.generation.eos.end();
  };

  t0 = clock::now();
  auto scores = forward(embeds, rope.first.to(device_).unsqueeze(1), 0);
  std::vector<int64_t> out{qwen_choose(scores, seen, banned, config_.generation).item<int64_t>()};
  if (opt.on_token) opt.on_token(out.back());
  if (timings) timings->prefill_ms = qwen_ms_since(t0);

  t0 = clock::now();
  while (static_cast<int64_t>(out.size()) < max_new && !is_eos(out.back())) {
    if (ctl) ctl->check_cancel();
    const int64_t step = static_cast<int64_t>(out.size());
    const auto token = torch::full({1}, out.back(), io);
    seen.index_fill_(0, token, true);
    auto x = w_->embed.index_select(0, token).view({1, 1, tc.hidden});
    // The new token's position in all three rows: cache_position + rope_deltas.
    const auto positions = torch::full({3, 1, 1}, L + step - 1 + delta, io);
    scores = forward(x, positions, step);
    out.push_back(qwen_choose(scores, seen, banned, config_.generation).item<int64_t>());
    if (opt.on_token) opt.on_token(out.back());
  }
  if (timings) timings->decode_ms = qwen_ms_since(t0), timings->new_tokens = static_cast<int64_t>(out.size());
  if (tap)
    for (int64_t i = 0; i < tc.layers; ++i)
      tap("k." + std::to_string(i), kcache[static_cast<size_t>(i)]), tap("v." + std::to_string(i), vcache[static_cast<size_t>(i)]);
  return out;
}

}  // namespace coz::models
