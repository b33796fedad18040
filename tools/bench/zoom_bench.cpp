// The whole CoZ chain as a user runs it, timed: SD3-OSEDiff + DAPE or VLM prompts, N steps at the
// process size, on one device. A benchmark, not a test.
//   coz_zoom_bench --sd3 DIR --lora F --vae-lora F (--ram F --dape F | --vlm DIR [--vlm-offload])
//                  [--rec recursive|recursive-multiscale] [--image imgs.f32 --image-size 512]
//                  [--steps 4] [--size 512] [--device cuda] [--precision bf16] [--repeat 3]
// Prints the load time of SD3 + the tagger (the engine's model cache, as `coz zoom` loads them), the
// first chain (CUDA-graph capture included) and the median of the next chains (synchronised), with
// each step's prompt.
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "bench_util.h"
#include "compat.h"
#include "coz/coz.h"

namespace {
using coz::bench::now_ms;
using coz::bench::read_f32;
using coz::bench::sync;
}  // namespace

int main(int argc, char** argv) {
  std::string sd3, lora, vae_lora, ram, dape, vlm, image, rec = "recursive", device = "cuda", precision = "bf16";
  bool offload = false;
  int steps = 4, size = 512, repeat = 3, image_size = 512;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    auto v = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (k == "--sd3") sd3 = v();
    else if (k == "--lora") lora = v();
    else if (k == "--vae-lora") vae_lora = v();
    else if (k == "--ram") ram = v();
    else if (k == "--dape") dape = v();
    else if (k == "--vlm") vlm = v();
    else if (k == "--vlm-offload") offload = true;
    else if (k == "--rec") rec = v();
    else if (k == "--image") image = v();
    else if (k == "--image-size") image_size = std::stoi(v());
    else if (k == "--steps") steps = std::stoi(v());
    else if (k == "--size") size = std::stoi(v());
    else if (k == "--device") device = v();
    else if (k == "--precision") precision = v();
    else if (k == "--repeat") repeat = std::stoi(v());
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  try {
    coz::EngineOptions eo;
    eo.sd3.sd3 = sd3;
    eo.sd3.lora = lora;
    eo.sd3.vae_lora = vae_lora;
    eo.dape.ram = ram;
    eo.dape.dape = dape;
    eo.vlm.path = vlm;
    eo.vlm.offload = offload;
    coz::Engine engine(eo);
    coz::ZoomRequest req;
    req.model = "sd3-osediff";
    req.prompt_mode = vlm.empty() ? coz::PromptMode::DAPE : coz::PromptMode::VLM;
    req.recursion = coz::parse_recursion(rec);
    req.steps = steps;
    req.process_size = size;
    req.device = coz::parse_device(device);
    req.precision = coz::parse_precision(precision);
    if (!image.empty()) {  // the first [3,S,S] float32 image of the file
      req.image.rgb = read_f32(image, {1, 3, image_size, image_size});
    } else {
      req.image.rgb = torch::rand({1, 3, image_size, image_size}, torch::TensorOptions().dtype(torch::kFloat32));
    }
    const torch::Device dev = coz::torch_device(req.device);
    double t0 = now_ms();
    engine.backbone("sd3-osediff", 4, dev, req.precision);
    sync(dev);
    const double sd3_ms = now_ms() - t0;
    t0 = now_ms();
    engine.prompt_source(req.prompt_mode, dev, req.precision);
    sync(dev);
    const double ram_ms = now_ms() - t0;
    const char* source = vlm.empty() ? "RAM/DAPE" : "Qwen2.5-VL";
    std::printf("load: SD3 %.0f ms + %s %.0f ms = %.0f ms (%s, %s)\n", sd3_ms, source, ram_ms, sd3_ms + ram_ms,
                device.c_str(), precision.c_str());
    if (dev.is_cuda()) coz::compat::cuda_reset_peak(dev);
    std::vector<double> runs;
    coz::ZoomResult last;
    for (int r = 0; r <= repeat; ++r) {
      t0 = now_ms();
      last = engine.zoom(req, {});
      sync(dev);
      const double ms = now_ms() - t0;
      if (r == 0) std::printf("first chain (graph capture included): %.0f ms\n", ms);
      else runs.push_back(ms);
    }
    std::sort(runs.begin(), runs.end());
    if (!runs.empty())
      std::printf("chain: %d steps at %d px, %s + %s: median %.1f ms (min %.1f, max %.1f) over %zu runs, peak %.2f GB\n",
                  steps, size, rec.c_str(), vlm.empty() ? "DAPE" : "VLM", runs[runs.size() / 2], runs.front(), runs.back(),
                  runs.size(), coz::compat::cuda_peak_gb(dev));
    for (const auto& s : last.steps)
      if (s.step > 0)
        std::printf("  step %d: %.1f ms (prompt %.1f ms), prompt: %s\n", s.step, s.ms_total, s.ms_prompt,
                    s.prompt.substr(0, 100).c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "coz_zoom_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
