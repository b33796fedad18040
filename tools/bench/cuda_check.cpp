// Checks the engine's CUDA-only code against LibTorch on a CUDA device (the GPU box has no Qt, so
// this is the test there): the fused GroupNorm(+SiLU) kernel on several shapes and dtypes (including
// a large mean, where a naive E[x²]−E[x]² loses everything), the one-token decode kernels of the VLM
// (split-KV attention over the filled part of a static cache, GEMV, RMSNorm), and GraphedCall's
// capture, replay with new inputs, re-capture on a new shape and fallback when capture is impossible.
//   coz_cuda_check [--device cuda:0] [--time]   exit status 0 when everything is within tolerance;
//   --time also times the decode kernels (and cuBLAS for the projections) on their Qwen shapes
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "cuda_graph.h"
#include "kernels/decode_ops.h"
#include "kernels/group_norm.h"

namespace {
int failures = 0;

void expect(bool ok, const std::string& what) {
  std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
  if (!ok) ++failures;
}

void check_group_norm(const torch::Device& dev, std::vector<int64_t> shape, int64_t groups, torch::Dtype dt, bool silu,
                      double mean, double tol) {
  torch::manual_seed(1);
  const int64_t c = shape[1];
  auto x32 = torch::randn(shape, torch::TensorOptions().device(dev)) * 2.0 + mean;
  auto w32 = torch::randn({c}, torch::TensorOptions().device(dev)), b32 = torch::randn({c}, torch::TensorOptions().device(dev));
  auto x = x32.to(dt).contiguous(torch::MemoryFormat::ChannelsLast);
  auto w = w32.to(dt), b = b32.to(dt);
  auto y = coz::kernels::group_norm(x, w, b, groups, 1e-6, silu);
  const std::string what = "GroupNorm " + std::string(c10::toString(dt)) + " " + c10::str(c10::IntArrayRef(shape)) + " groups " +
                           std::to_string(groups) + (silu ? " +SiLU" : "") + " mean " + std::to_string(static_cast<int>(mean));
  if (!y.defined()) return expect(false, what + ": the kernel did not apply");
  // Reference: LibTorch's GroupNorm in fp64 on the same (rounded) input and weights.
  auto ref = torch::group_norm(x.to(torch::kFloat64), groups, w.to(torch::kFloat64), b.to(torch::kFloat64), 1e-6);
  if (silu) ref = torch::silu(ref);
  const double err = (y.to(torch::kFloat64) - ref).abs().max().item<double>();
  const double scale = ref.abs().max().item<double>();
  expect(y.is_contiguous(torch::MemoryFormat::ChannelsLast) && err <= tol * std::max(1.0, scale),
         what + ": max error " + std::to_string(err) + " (values up to " + std::to_string(scale) + ")");
}

// Random tensors drawn on the CPU: the checks must not depend on the CUDA generator's state.
torch::Tensor randn_on(const torch::Device& dev, std::vector<int64_t> shape) { return torch::randn(shape).to(dev); }

// Split-KV decode attention against softmax(q k^T * scale) v in fp64 over slots 0..pos; the slots
// after pos hold large values that must not leak in. Then inside a CUDA graph: captured at one
// length, replayed at others (the length is read from the device).
void check_decode_attention(const torch::Device& dev, torch::Dtype dt, int64_t kv_heads, int64_t group, int64_t hd,
                            int64_t cap, double tol) {
  const int64_t heads = kv_heads * group;
  auto q = randn_on(dev, {1, heads, 1, hd}).to(dt);
  auto k = randn_on(dev, {1, kv_heads, cap, hd}).to(dt), v = randn_on(dev, {1, kv_heads, cap, hd}).to(dt);
  const double scale = 1.0 / std::sqrt(static_cast<double>(hd));
  auto reference = [&](int64_t pos) {
    auto kk = k.narrow(2, 0, pos + 1).to(torch::kFloat64).repeat_interleave(group, 1);
    auto vv = v.narrow(2, 0, pos + 1).to(torch::kFloat64).repeat_interleave(group, 1);
    auto w = torch::softmax(torch::matmul(q.to(torch::kFloat64), kk.transpose(-2, -1)) * scale, -1);
    return torch::matmul(w, vv);
  };
  const std::string what = "decode attention " + std::string(c10::toString(dt)) + " kv_heads " + std::to_string(kv_heads) +
                           " group " + std::to_string(group) + " hd " + std::to_string(hd) + " capacity " + std::to_string(cap);
  auto pos = torch::zeros({1}, torch::TensorOptions().device(dev).dtype(torch::kInt64));
  for (int64_t p : {int64_t{0}, int64_t{63}, int64_t{64}, int64_t{200}, cap - 1}) {
    k.narrow(2, p + 1, cap - p - 1).fill_(30.0), v.narrow(2, p + 1, cap - p - 1).fill_(1e3);
    pos.fill_(p);
    auto y = coz::kernels::decode_attention(q, k, v, pos, scale);
    if (!y.defined()) return expect(false, what + ": the kernel did not apply");
    const double err = (y.to(torch::kFloat64) - reference(p)).abs().max().item<double>();
    expect(y.sizes() == q.sizes() && err <= tol, what + " at length " + std::to_string(p + 1) + ": max error " + std::to_string(err));
    k.copy_(randn_on(dev, {1, kv_heads, cap, hd}).to(dt)), v.copy_(randn_on(dev, {1, kv_heads, cap, hd}).to(dt));
  }
  coz::GraphedCall g("a decode attention graph");
  auto fn = [&](const std::vector<torch::Tensor>& in) {
    return std::vector<torch::Tensor>{coz::kernels::decode_attention(q, k, v, in[0], scale)};
  };
  bool ok = true;
  for (int64_t p : {int64_t{5}, int64_t{300}, int64_t{64}, int64_t{1}}) {
    pos.fill_(p);
    auto y = g.run({pos}, fn)[0].to(torch::kFloat64);
    ok = ok && g.captured() && (y - reference(p)).abs().max().item<double>() <= tol;
  }
  expect(ok, what + ": one graph replayed at lengths 6, 301, 65, 2");
}

// Qwen2RMSNorm (and its residual-add form) against LibTorch's formula in the same precision: the
// sum x + r is a single rounded add, so it must be bit-equal; the norm may differ by the order of
// the fp32 sum of squares only (a rounding step of the storage type at most). Shapes cover the
// vectorised kernel (rows of up to 1024 16-byte vectors) and the strided one (odd or longer rows).
void check_rms_norm(const torch::Device& dev, torch::Dtype dt, int64_t rows, int64_t n) {
  const auto x = randn_on(dev, {rows, n}).to(dt), r = randn_on(dev, {rows, n}).to(dt);
  const auto w = (randn_on(dev, {n}) * 0.5 + 1.0).to(dt);
  auto formula = [&](const torch::Tensor& v) {
    auto h = v.to(torch::kFloat32);
    h = h * torch::rsqrt(h.pow(2).mean(-1, true) + 1e-6);
    return (w * h.to(dt)).to(torch::kFloat64);
  };
  const double ulp = dt == torch::kFloat32 ? 1e-6 : dt == torch::kBFloat16 ? 8e-3 : 1e-3;
  const std::string what = "RMSNorm " + std::string(c10::toString(dt)) + " " + std::to_string(rows) + " x " + std::to_string(n);
  const auto y = coz::kernels::rms_norm(x, w, 1e-6);
  const auto want = formula(x);
  double err = (y.to(torch::kFloat64) - want).abs().max().item<double>() / want.abs().max().item<double>();
  expect(y.defined() && err <= ulp, what + ": max relative error " + std::to_string(err));
  const auto [sum, y2] = coz::kernels::add_rms_norm(x, r, w, 1e-6);
  const auto want2 = formula(x + r);
  err = (y2.to(torch::kFloat64) - want2).abs().max().item<double>() / want2.abs().max().item<double>();
  expect(sum.defined() && torch::equal(sum, x + r) && err <= ulp,
         what + " + residual: sum " + (torch::equal(sum, x + r) ? "bit-equal" : "DIFFERENT") + ", max relative error " +
             std::to_string(err));
}

// GEMV (one row) against the fp64 product, with and without a bias; where it does not apply it
// leaves the work to LibTorch.
void check_gemv(const torch::Device& dev, torch::Dtype dt, int64_t n, int64_t k, bool bias) {
  auto x = randn_on(dev, {1, 1, k}).to(dt), w = (randn_on(dev, {n, k}) * 0.05).to(dt);
  auto b = bias ? randn_on(dev, {n}).to(dt) : torch::Tensor();
  auto ref = torch::matmul(x.to(torch::kFloat64), w.to(torch::kFloat64).t());
  if (bias) ref = ref + b.to(torch::kFloat64);
  for (int loads : {4, 8}) {
    auto y = coz::kernels::gemv(x, w, b, loads);
    const std::string what = "GEMV " + std::string(c10::toString(dt)) + " " + std::to_string(n) + " x " + std::to_string(k) +
                             (bias ? " + bias" : "") + ", " + std::to_string(loads) + " loads";
    if (!y.defined()) return expect(false, what + ": the kernel did not apply");
    // One rounding of the output to the storage type.
    const double err = ((y.to(torch::kFloat64) - ref).abs() / (ref.abs() + 1e-2)).max().item<double>();
    const double tol = dt == torch::kBFloat16 ? 8e-3 : 1e-3;
    expect(y.sizes() == torch::IntArrayRef({1, 1, n}) && err <= tol, what + ": max relative error " + std::to_string(err));
  }
}

void check_graphs(const torch::Device& dev) {
  auto w = randn_on(dev, {64, 64});
  auto fn = [&](const std::vector<torch::Tensor>& in) {
    return std::vector<torch::Tensor>{torch::relu(torch::matmul(in[0], w)) * 2.0 + in[1]};
  };
  const auto pool = coz::GraphPool::make();
  coz::GraphedCall g("a test graph", pool), g2("a second graph in the same pool", pool);
  for (int i = 0; i < 3; ++i) {
    auto a = randn_on(dev, {8, 64}), b = randn_on(dev, {8, 64});
    auto got = g.run({a, b}, fn)[0].clone();
    auto want = fn({a, b})[0];
    expect(g.captured() && torch::allclose(got, want, 1e-5, 1e-5),
           "graph replay " + std::to_string(i) + " equals the eager result");
  }
  auto a = randn_on(dev, {16, 64}), b = randn_on(dev, {16, 64});
  auto got = g.run({a, b}, fn)[0].clone();
  expect(g.captured() && got.size(0) == 16 && torch::allclose(got, fn({a, b})[0], 1e-5, 1e-5), "a new shape is captured again");
  auto c = randn_on(dev, {4, 64}), d = randn_on(dev, {4, 64});
  auto got2 = g2.run({c, d}, fn)[0].clone();
  expect(g2.captured() && torch::allclose(got2, fn({c, d})[0], 1e-5, 1e-5), "a second graph shares the pool");
  // Both graphs of the pool reset, then captured again (what switching settings does).
  g.reset();
  g2.reset();
  got = g.run({a, b}, fn)[0].clone();
  got2 = g2.run({c, d}, fn)[0].clone();
  expect(g.captured() && g2.captured() && torch::allclose(got, fn({a, b})[0], 1e-5, 1e-5) &&
             torch::allclose(got2, fn({c, d})[0], 1e-5, 1e-5),
         "a pool whose graphs were all reset is replaced by a fresh one");
  // A host synchronisation inside the work cannot be captured: the call must still give the answer.
  coz::GraphedCall bad("a graph with a host sync");
  auto sync_fn = [&](const std::vector<torch::Tensor>& in) {
    const double m = in[0].max().item<double>();
    return std::vector<torch::Tensor>{in[0] / m};
  };
  auto x = torch::rand({4, 4}).to(dev) + 1.0;
  auto r = bad.run({x}, sync_fn)[0];
  expect(!bad.captured() && !bad.failure().empty() && torch::allclose(r, x / x.max()),
         "capture failure falls back to eager (" + bad.failure().substr(0, 60) + "...)");
  auto r2 = bad.run({x * 2}, sync_fn)[0];
  expect(torch::allclose(r2, x / x.max()), "and stays eager afterwards");
  // The device is still healthy after the failed capture.
  auto after = g.run({a, b}, fn)[0];
  expect(torch::allclose(after, fn({a, b})[0], 1e-5, 1e-5), "other graphs still replay after a failed capture");
}
}  // namespace

// --time: the decode step's kernels alone, 50 calls captured in one CUDA graph and replayed (no
// launch overhead from the host), against cuBLAS for the projections. A benchmark, no verdict.
void time_decode_kernels(const torch::Device& dev) {
  const auto bf = torch::TensorOptions().device(dev).dtype(torch::kBFloat16);
  auto per_call_us = [&](const std::function<void()>& f) {
    constexpr int kCalls = 50, kReplays = 20;
    coz::GraphedCall g("a timing graph");
    auto fn = [&](const std::vector<torch::Tensor>& in) {
      for (int i = 0; i < kCalls; ++i) f();
      return in;
    };
    const std::vector<torch::Tensor> in{torch::zeros({1}, bf)};
    g.run(in, fn);
    torch::cuda::synchronize();
    const auto t0 = std::chrono::steady_clock::now();
    for (int r = 0; r < kReplays; ++r) g.run(in, fn);
    torch::cuda::synchronize();
    return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / (kCalls * kReplays);
  };
  auto q = randn_on(dev, {1, 16, 1, 128}).to(bf), k = randn_on(dev, {1, 2, 1024, 128}).to(bf),
       v = randn_on(dev, {1, 2, 1024, 128}).to(bf);
  for (int64_t len : {int64_t{64}, int64_t{800}, int64_t{1024}}) {
    auto pos = torch::full({1}, len - 1, torch::TensorOptions().device(dev).dtype(torch::kInt64));
    const double us = per_call_us([&] { coz::kernels::decode_attention(q, k, v, pos, 0.088); });
    std::printf("time decode attention bf16 kv_heads 2 group 8 hd 128 capacity 1024 at length %lld: %.2f us\n",
                static_cast<long long>(len), us);
  }
  for (const auto& shape : std::vector<std::pair<int64_t, int64_t>>{{2560, 2048}, {2048, 2048}, {22016, 2048}, {2048, 11008}, {151936, 2048}}) {
    const int64_t n = shape.first, kk = shape.second;
    auto x = randn_on(dev, {1, 1, kk}).to(bf), w = (randn_on(dev, {n, kk}) * 0.02).to(bf);
    const double ours4 = per_call_us([&] { coz::kernels::gemv(x, w, {}, 4); });
    const double ours8 = per_call_us([&] { coz::kernels::gemv(x, w, {}, 8); });
    const double blas = per_call_us([&] { torch::linear(x, w); });
    const double gb = static_cast<double>(n * kk * 2) / 1e9;
    std::printf("time GEMV bf16 %lld x %lld: ours 4 loads %.2f us (%.2f TB/s), 8 loads %.2f us (%.2f TB/s), cuBLAS %.2f us "
                "(%.2f TB/s)\n",
                static_cast<long long>(n), static_cast<long long>(kk), ours4, gb / ours4 * 1e3, ours8, gb / ours8 * 1e3, blas,
                gb / blas * 1e3);
  }
  auto xr = randn_on(dev, {1, 2048}).to(bf), rr = randn_on(dev, {1, 2048}).to(bf), wr = randn_on(dev, {2048}).to(bf);
  std::printf("time RMSNorm + residual bf16 1 x 2048: %.2f us\n",
              per_call_us([&] { coz::kernels::add_rms_norm(xr, rr, wr, 1e-6); }));
}

int main(int argc, char** argv) {
  std::string device = "cuda:0";
  bool timing = false;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--device" && i + 1 < argc) device = argv[i + 1];
    if (std::string(argv[i]) == "--time") timing = true;
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  if (!torch::cuda::is_available()) {
    std::printf("no CUDA device: nothing to check\n");
    return 2;
  }
  const torch::Device dev(device);
  torch::NoGradGuard ng;
  if (!coz::kernels::have_cuda_kernels()) {
    std::printf("FAIL this build has no CUDA kernels (no CUDA compiler at configure time?)\n");
    ++failures;
  } else {
    for (auto dt : {torch::kFloat32, torch::kBFloat16, torch::kHalf}) {
      // fp32: within fp32 rounding; bf16/fp16: one rounding of the output.
      const double tol = dt == torch::kFloat32 ? 2e-5 : dt == torch::kBFloat16 ? 8e-3 : 1e-3;
      check_group_norm(dev, {1, 128, 64, 64}, 32, dt, true, 0.0, tol);
      check_group_norm(dev, {2, 256, 24, 40}, 32, dt, false, 0.0, tol);
      check_group_norm(dev, {1, 512, 8, 8}, 32, dt, true, 0.0, tol);
      check_group_norm(dev, {3, 64, 5, 7}, 8, dt, true, 0.0, tol);
    }
    check_group_norm(dev, {1, 128, 128, 128}, 32, torch::kFloat32, false, 1000.0, 2e-4);
    check_group_norm(dev, {1, 128, 512, 512}, 32, torch::kBFloat16, true, 0.0, 8e-3);
    // Not applicable: NCHW input, odd channel count.
    auto x = torch::randn({1, 64, 8, 8}, torch::TensorOptions().device(dev));
    auto w = torch::ones({64}, x.options()), b = torch::zeros({64}, x.options());
    expect(!coz::kernels::group_norm(x, w, b, 8, 1e-6, false).defined(), "NCHW input is left to LibTorch");
    // The VLM decode step's kernels (Qwen2.5-VL-3B: 2 key/value heads of 8 query heads, hd 128).
    for (auto dt : {torch::kFloat32, torch::kBFloat16, torch::kHalf}) {
      const double tol = dt == torch::kFloat32 ? 1e-5 : dt == torch::kBFloat16 ? 2e-2 : 3e-3;
      check_decode_attention(dev, dt, 2, 8, 128, 1024, tol);
      check_decode_attention(dev, dt, 4, 1, 64, 320, tol);
      check_decode_attention(dev, dt, 4, 7, 128, 512, tol);  // Qwen2.5-VL-7B's group: 7 of 8 padded heads
      check_decode_attention(dev, dt, 1, 3, 64, 320, tol);
    }
    for (auto dt : {torch::kFloat32, torch::kBFloat16, torch::kHalf}) {
      check_rms_norm(dev, dt, 1, 2048);   // the decode step's rows: vectorised
      check_rms_norm(dev, dt, 3, 1280);   // vision tower width: vectorised
      check_rms_norm(dev, dt, 2, 4100);   // not a whole number of vectors: strided
      check_rms_norm(dev, dt, 1, 16384);  // longer than one pass of vectors: strided
    }
    for (auto dt : {torch::kBFloat16, torch::kHalf}) {
      check_gemv(dev, dt, 2560, 2048, true);
      check_gemv(dev, dt, 22016, 2048, false);
      check_gemv(dev, dt, 2048, 11008, false);
      check_gemv(dev, dt, 151936, 2048, false);
      check_gemv(dev, dt, 37, 136, true);  // a tail shorter than one unrolled step
      check_gemv(dev, dt, 300, 2056, true);  // one vector past a whole unrolled step
    }
    auto x32 = torch::randn({1, 1, 64}).to(dev), w32 = torch::randn({16, 64}).to(dev);
    expect(!coz::kernels::gemv(x32, w32, {}).defined(), "fp32 GEMV is left to cuBLAS");
    auto x2 = torch::randn({2, 64}).to(dev).to(torch::kBFloat16), w2 = torch::randn({16, 64}).to(dev).to(torch::kBFloat16);
    expect(!coz::kernels::gemv(x2, w2, {}).defined(), "two rows are left to cuBLAS");
  }
  check_graphs(dev);
  if (timing) time_decode_kernels(dev);
  std::printf("%s\n", failures ? "SOME CHECKS FAILED" : "all checks passed");
  return failures ? 1 : 0;
}
