// Times one OSEDiff-SD3 step of the C++ engine on a diffusers folder + CoZ LoRA files, with an input
// image and noise read from raw float32 files, and writes the output for a side-by-side comparison
// with the reference (tools/bench/sd3_real_size.py). A benchmark, not a test.
//   coz_sd3_bench --sd3 DIR --lora F --vae-lora F --lq lq.f32 --eps eps.f32 --size 512 --out out.f32
//                 [--device cuda] [--precision fp32|bf16|fp16] [--repeat 5] [--prompt TEXT] [--no-t5] [--low-memory]
//                 [--no-graphs] [--no-kernels] [--variants]
// --variants times the CUDA speed-ups one after another in one process (none; fused kernels; + CUDA
// graphs) and prints each output's largest difference from the first.
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "compat.h"
#include "bench_util.h"
#include "coz/coz.h"
#include "models/osediff.h"

namespace {
using coz::bench::now_ms;
using coz::bench::read_f32;
using coz::bench::sync;
template <typename F>
double median_ms(int n, const torch::Device& d, F&& f) {
  std::vector<double> ts;
  for (int i = 0; i < n; ++i) {
    sync(d);
    const double t = now_ms();
    f();
    sync(d);
    ts.push_back(now_ms() - t);
  }
  std::sort(ts.begin(), ts.end());
  return ts[ts.size() / 2];
}
}  // namespace

int main(int argc, char** argv) {
  std::string sd3, lora, vae_lora, lq_path, eps_path, out_path, device = "cuda", precision = "fp32", prompt = "a cat";
  int size = 512, repeat = 5;
  bool use_t5 = true, low_memory = false, graphs = true, kernels = true, variants = false;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    auto v = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (k == "--sd3") sd3 = v();
    else if (k == "--lora") lora = v();
    else if (k == "--vae-lora") vae_lora = v();
    else if (k == "--lq") lq_path = v();
    else if (k == "--eps") eps_path = v();
    else if (k == "--out") out_path = v();
    else if (k == "--device") device = v();
    else if (k == "--precision") precision = v();
    else if (k == "--prompt") prompt = v();
    else if (k == "--size") size = std::stoi(v());
    else if (k == "--repeat") repeat = std::stoi(v());
    else if (k == "--no-t5") use_t5 = false;
    else if (k == "--low-memory") low_memory = true;
    else if (k == "--no-graphs") graphs = false;
    else if (k == "--no-kernels") kernels = false;
    else if (k == "--variants") variants = true;
    else { std::fprintf(stderr, "unknown option %s\n", k.c_str()); return 2; }
  }
  try {
    const torch::Device dev = coz::parse_torch_device(device);
    coz::models::OSEDiffOptions o;
    o.text_device = o.transformer_device = o.vae_device = dev;
    o.precision = coz::parse_precision(precision);
    o.use_t5 = use_t5;
    o.low_memory = low_memory;
    double t0 = now_ms();
    auto m = coz::models::OSEDiffSD3::load({sd3, lora, vae_lora}, o);
    auto st = m->make_state();
    sync(dev);
    std::printf("load %.0f ms (%s, %s, LibTorch %s)\n", now_ms() - t0, device.c_str(), precision.c_str(),
                coz::torch_version().c_str());
    const auto lq = read_f32(lq_path, {1, 3, size, size});
    const auto eps = read_f32(eps_path, {1, 16, size / 8, size / 8});
    c10::InferenceMode guard;
    struct Variant {
      bool graphs, kernels;
      const char* name;
    };
    std::vector<Variant> runs{{graphs, kernels, "as asked"}};
    if (variants)
      runs = {{false, false, "no speed-ups"}, {false, true, "fused GroupNorm kernel"}, {true, true, "kernel + CUDA graphs"}};
    torch::Tensor out, first;
    int fresh = 0;
    for (const auto& r : runs) {
      st->set_cuda_graphs(r.graphs);  // drops the graphs captured with the previous layout
      m->set_fused_kernels(r.kernels);
      st->clear_prompt_cache();  // "a cat" is encoded by this variant's text path
      // Warm-up (kernel selection, allocator, graph capture), then timings.
      sync(dev);
      const double t_first = now_ms();
      m->run(*st, lq, prompt + " warm-up " + std::to_string(fresh++), eps);
      sync(dev);
      std::printf("[%s] first step (warm-up and any graph capture) %.0f ms\n", r.name, now_ms() - t_first);
      m->run(*st, lq, prompt + " warm-up " + std::to_string(fresh++), eps);
      coz::compat::cuda_reset_peak(dev);
      // A step with the prompt not cached (a new string every time): tokenizers + text encoders + VAE
      // encode + transformer + VAE decode.
      const double step_uncached = median_ms(repeat, dev, [&] {
        out = m->run(*st, lq, prompt + " " + std::to_string(fresh++), eps);
      });
      const auto pe = m->encode_prompt(*st, prompt);
      const double step_cached = median_ms(repeat, dev, [&] { out = m->step(*st, lq, pe, eps); });
      const double text = median_ms(repeat, dev, [&] { m->encode_prompt(*st, prompt + " text " + std::to_string(fresh++)); });
      torch::Tensor z;
      const double enc = median_ms(repeat, dev, [&] { z = m->encode_latent(*st, lq, eps, 0); });
      const double fin = median_ms(repeat, dev, [&] { m->finish(*st, z, pe); });
      const double tr = median_ms(repeat, dev, [&] { m->velocity(z, pe); });
      const double peak = coz::compat::cuda_peak_gb(dev);
      std::printf("[%s] step (prompt encoded every time) %.1f ms; step (prompt cached) %.1f ms; text encoders %.1f ms; "
                  "VAE encode %.1f ms; transformer + VAE decode %.1f ms (transformer alone, eager: %.1f ms); "
                  "peak GPU memory %.2f GiB\n",
                  r.name, step_uncached, step_cached, text, enc, fin, tr, peak);
      if (!first.defined()) first = out.clone();
      else std::printf("  largest difference from [%s]: %.3g\n", runs[0].name, (out - first).abs().max().item<double>());
      std::fflush(stdout);
    }
    if (!out_path.empty()) {
      auto o32 = out.to(torch::kCPU, torch::kFloat32).contiguous();
      std::ofstream f(out_path, std::ios::binary);
      f.write(reinterpret_cast<const char*>(o32.data_ptr<float>()), o32.numel() * 4);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "coz_sd3_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
