// Times the C++ Qwen2.5-VL on a full-size folder and checks its ids against transformers', for the
// side-by-side with the reference (tools/bench/qwen_full_size.py). A benchmark, not a test.
//   coz_qwen_bench --model DIR --images a.u8,b.u8 [--size 512] [--device cuda] [--precision bf16|fp32]
//                  [--max-new 128] [--repeat 3] [--ref ref.json] [--no-graphs] [--exact] [--dump out.pt]
//                  [--profile trace.json] [--no-cudnn-attention]
// Images: raw uint8 [size,size,3]. The prompt is CoZ's: two images = recursive-multiscale's system
// message, one image = recursive's. EOS is suppressed (like min_new_tokens) so every run makes
// --max-new tokens. Prints load time, time to first token (vision + prefill + first token),
// decode tokens/s, peak GPU memory (medians over --repeat), and how many ids match the reference.
// --exact: QwenVL's exact path (transformers' op sequence; cuDNN without TF32, as the reference
// script sets it). --dump: the exact path's intermediate tensors (pixel values, vision features,
// hidden states and logits of every step) of the last run as a torch.save-compatible dict, for
// tools/bench/qwen_compare.py. --profile: one more run under the Kineto profiler (CPU + CUDA kernels),
// saved as a Chrome trace; tools/bench/trace_summary.py sums its kernels by name.
// --no-cudnn-attention: SDPA without the cuDNN backend (whose bf16 results vary from run to run;
// qwen_full_size.py's QWEN_NO_CUDNN_SDP=1 does the same on the reference side).
#include <torch/csrc/autograd/profiler_kineto.h>
#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bench_util.h"
#include "compat.h"
#include "coz/coz.h"
#include "models/qwen_vl.h"

namespace {
using coz::bench::now_ms;

torch::Tensor read_u8(const std::string& path, int size) {
  auto t = torch::empty({size, size, 3}, torch::kUInt8);
  std::ifstream f(path, std::ios::binary);
  f.read(reinterpret_cast<char*>(t.data_ptr<uint8_t>()), t.numel());
  if (f.gcount() != t.numel()) throw std::runtime_error("short file " + path);
  return t;
}

// How many ids two sequences share before the first difference.
size_t common_prefix(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
}  // namespace

int main(int argc, char** argv) {
  std::string model, images, ref, device = "cuda", precision = "bf16";
  int size = 512, repeat = 3;
  int64_t max_new = 128;
  bool graphs = true, park = false, exact = false, no_cudnn_sdp = false;
  std::string dump, profile;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    auto v = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (k == "--model") model = v();
    else if (k == "--images") images = v();
    else if (k == "--size") size = std::stoi(v());
    else if (k == "--device") device = v();
    else if (k == "--precision") precision = v();
    else if (k == "--max-new") max_new = std::stoll(v());
    else if (k == "--repeat") repeat = std::stoi(v());
    else if (k == "--ref") ref = v();
    else if (k == "--no-graphs") graphs = false;
    else if (k == "--park") park = true;
    else if (k == "--exact") exact = true;
    else if (k == "--dump") dump = v();
    else if (k == "--profile") profile = v();
    else if (k == "--no-cudnn-attention") no_cudnn_sdp = true;
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  try {
    const torch::Device dev = coz::parse_torch_device(device);
    const coz::Precision prec = coz::resolve_precision(coz::parse_precision(precision), dev);
    double t0 = now_ms();
    auto vlm = coz::models::QwenVL::load(model, dev, coz::precision_dtype(prec));
    vlm->set_cuda_graphs(graphs);
    coz::compat::cuda_synchronize(dev);
    std::printf("load %.0f ms (%s, %s%s%s)\n", now_ms() - t0, device.c_str(), coz::precision_name(prec),
                graphs ? "" : ", no CUDA graphs", exact ? ", exact path" : "");
    if (exact) at::globalContext().setAllowTF32CuDNN(false);
    if (no_cudnn_sdp) {  // cuDNN's attention (LibTorch 2.x on Hopper) is not reproducible from run to run
#if COZ_TORCH_AT_LEAST(2, 5)
      at::globalContext().setSDPUseCuDNN(false);
#else
      std::fprintf(stderr, "--no-cudnn-attention: this LibTorch has no cuDNN attention\n");
#endif
    }
    std::vector<torch::Tensor> raw;
    std::stringstream ss(images);
    for (std::string p; std::getline(ss, p, ',');) raw.push_back(read_u8(p, size));
    const std::string system =
        raw.size() == 2 ? "The second image is a zoom-in of the first image. Based on this knowledge, what is in the "
                          "second image? Give me a set of words."
                        : "What is in this image? Give me a set of words.";
    auto preprocess = [&] {
      std::vector<coz::models::QwenImage> imgs;
      for (const auto& u8 : raw) imgs.push_back(coz::models::qwen_preprocess(u8, vlm->config()));
      return imgs;
    };
    coz::models::QwenGenerateOptions o;
    o.max_new_tokens = max_new;
    o.ignore_eos = true;
    o.exact = exact;
    c10::Dict<std::string, at::Tensor> taps;
    std::vector<int64_t> ids;
    std::vector<double> ttft, tps, pre_ms;
    std::vector<int64_t> first_ids;
    size_t runs_agree = static_cast<size_t>(max_new);
    double peak = 0;
    for (int r = 0; r < repeat + 1; ++r) {  // the first run captures the graph and warms the caches
      if (r == 1) coz::compat::cuda_reset_peak(dev);
      coz::bench::sync(dev);
      const double s0 = now_ms();
      const auto imgs = preprocess();
      const double s1 = now_ms();
      coz::models::QwenTimings t;
      if (!dump.empty() && exact && r == repeat)
        o.on_tensor = [&](const std::string& name, const torch::Tensor& x) { taps.insert(name, x.to(torch::kCPU).clone()); };
      ids = vlm->generate(vlm->prompt_ids(system, imgs), imgs, o, nullptr, &t);
      o.on_tensor = nullptr;
      if (r == 0) {
        first_ids = ids;
        continue;
      }
      runs_agree = std::min(runs_agree, common_prefix(ids, first_ids));  // is our own run reproducible?
      pre_ms.push_back(s1 - s0);
      ttft.push_back(s1 - s0 + t.vision_ms + t.prefill_ms);
      tps.push_back(static_cast<double>(t.new_tokens - 1) / (t.decode_ms / 1e3));
      if (r == 1)
        std::printf("prompt %lld tokens; preprocess %.1f ms, vision+embed %.1f ms, prefill+first %.1f ms\n",
                    static_cast<long long>(t.prompt_tokens), s1 - s0, t.vision_ms, t.prefill_ms);
    }
    peak = coz::compat::cuda_peak_gb(dev);
    std::printf("runs agree: %zu of %zu ids equal to the first run's before any difference\n", runs_agree, first_ids.size());
    std::printf("ttft %.1f ms  decode %.1f tokens/s  (%lld new tokens, median of %d)  peak %.2f GB\n", median(ttft),
                median(tps), static_cast<long long>(ids.size()), repeat, peak);
    if (!dump.empty()) {
      const auto bytes = torch::pickle_save(taps);
      std::ofstream(dump, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      std::printf("dumped %zu tensors to %s\n", taps.size(), dump.c_str());
    }
    std::printf("first ids:");
    for (size_t i = 0; i < std::min<size_t>(12, ids.size()); ++i) std::printf(" %lld", static_cast<long long>(ids[i]));
    std::printf("\n");
    if (!profile.empty()) {
      namespace tp = torch::profiler::impl;
      const tp::ProfilerConfig cfg(tp::ProfilerState::KINETO);
      const std::set<tp::ActivityType> kinds{tp::ActivityType::CPU, tp::ActivityType::CUDA};
      torch::autograd::profiler::prepareProfiler(cfg, kinds);
      torch::autograd::profiler::enableProfiler(cfg, kinds);
      const auto imgs = preprocess();
      vlm->generate(vlm->prompt_ids(system, imgs), imgs, o);
      coz::bench::sync(dev);
      torch::autograd::profiler::disableProfiler()->save(profile);
      std::printf("profile of one more run written to %s\n", profile.c_str());
    }
    if (park) {  // the memory mode: park on the CPU, come back, and the same ids again
      double p0 = now_ms();
      vlm->to(torch::kCPU);
      const double to_cpu = now_ms() - p0;
      p0 = now_ms();
      vlm->to(dev);
      const double to_gpu = now_ms() - p0;
      p0 = now_ms();
      vlm->to(torch::kCPU);
      const double to_cpu2 = now_ms() - p0;
      p0 = now_ms();
      vlm->to(dev);
      const double to_gpu2 = now_ms() - p0;
      const auto imgs = preprocess();
      const auto again = vlm->generate(vlm->prompt_ids(system, imgs), imgs, o);
      std::printf("park: to CPU %.0f ms, back %.0f ms; again %.0f ms, %.0f ms; ids after parking %s\n", to_cpu, to_gpu,
                  to_cpu2, to_gpu2, again == ids ? "equal" : "DIFFERENT");
    }
    if (!ref.empty()) {
      const auto j = nlohmann::json::parse(std::ifstream(ref));
      const auto imgs = preprocess();
      std::printf("prompt ids vs transformers: %s\n",
                  vlm->prompt_ids(system, imgs) == j.at("prompt_ids").get<std::vector<int64_t>>() ? "equal" : "DIFFERENT");
      const std::string key = prec == coz::Precision::FP32 ? "fp32" : "bf16";
      const auto want = j.at(key).at("ids").get<std::vector<int64_t>>();
      const size_t same = common_prefix(want, ids);
      std::printf("ids vs transformers %s (%s path): %zu of %zu equal before the first difference%s\n", key.c_str(),
                  exact ? "exact" : "fast", same, want.size(), same == want.size() && ids.size() == want.size() ? " (all)" : "");
      const auto& r = j.at(key);
      std::printf("transformers %s: ttft %.1f ms, %.1f tokens/s, peak %.2f GB\n", key.c_str(), r.at("ttft_ms").get<double>(),
                  r.at("tokens_per_s").get<double>(), r.at("peak_gb").get<double>());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
