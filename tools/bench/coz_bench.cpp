// Times one SR step of a backbone on real-photo crops (or a synthetic picture where the imaging
// library is not built, e.g. on the GPU box). A benchmark, not a test: it asserts nothing.
//   coz_bench [--model esrgan-thick] [--scale 4] [--device cpu|cuda] [--sizes 64,128]
//             [--input PHOTO] [--repeat 3] [--threads N] [--tile 0] [--precision auto|fp32|bf16|fp16]
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "coz/coz.h"
#ifdef COZ_HAVE_IMAGEIO
#include "coz/imageio.h"
#endif

namespace {
double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

int main(int argc, char** argv) {
  const double t_start = now_s();
  std::string model = "esrgan-thick", device = "cpu", input, sizes_s = "64,128", precision = "auto";
  int scale = 4, repeat = 3, threads = 0, tile = 0;
  bool compare_cpu = false;  // --compare-cpu 1: PSNR of this device's output against CPU fp32
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--model") model = v;
    else if (k == "--device") device = v;
    else if (k == "--input") input = v;
    else if (k == "--precision") precision = v;
    else if (k == "--sizes") sizes_s = v;
    else if (k == "--scale") scale = std::stoi(v);
    else if (k == "--repeat") repeat = std::stoi(v);
    else if (k == "--threads") threads = std::stoi(v);
    else if (k == "--tile") tile = std::stoi(v);
    else if (k == "--compare-cpu") compare_cpu = v == "1";
    else { std::fprintf(stderr, "unknown option %s\n", k.c_str()); return 2; }
  }
  try {
    const int nthreads = coz::set_threads(threads);
    const torch::Device dev = coz::parse_torch_device(device);
    torch::Tensor photo;
#ifdef COZ_HAVE_IMAGEIO
    if (!input.empty()) photo = coz::io::read_image(input).rgb;
#endif
    std::vector<int> sizes;
    std::stringstream ss(sizes_s);
    for (std::string s; std::getline(ss, s, ',');) sizes.push_back(std::stoi(s));

    c10::InferenceMode guard;
    const double t0 = now_s();
    const auto prec = coz::resolve_precision(coz::parse_precision(precision), dev);
    coz::Engine engine;
    auto sr = engine.backbone(model, scale, dev, prec);
    const double load_s = now_s() - t0;
    std::printf("model %s x%d on %s, %s, %d CPU threads, LibTorch %s, load %.3f s\n", model.c_str(), scale,
                dev.str().c_str(), coz::precision_name(prec), nthreads, coz::torch_version().c_str(), load_s);
    for (int n : sizes) {
      torch::Tensor x;
      if (photo.defined() && photo.size(2) >= n && photo.size(3) >= n) {
        const int64_t y0 = (photo.size(2) - n) / 2, x0 = (photo.size(3) - n) / 2;
        x = photo.slice(2, y0, y0 + n).slice(3, x0, x0 + n).contiguous();
      } else {
        auto yy = torch::linspace(0, 1, n).view({n, 1}), xx = torch::linspace(0, 1, n).view({1, n});
        x = torch::stack({0.5 + 0.4 * torch::sin(xx * 20 + yy * 7), 0.5 + 0.4 * torch::cos(xx * 9 - yy * 23),
                          (xx * yy).sqrt() * 0.9}).unsqueeze(0).contiguous();
      }
      coz::SRRequest req;
      req.image = x;
      req.tiles.tile = tile;
      double tw = now_s();
      sr->upscale(req, {});  // warm-up (allocator, kernel selection)
      const double warm = now_s() - tw;
      std::vector<double> times;
      for (int r = 0; r < repeat; ++r) {
        const double t = now_s();
        auto y = sr->upscale(req, {});
        times.push_back(now_s() - t);
      }
      std::sort(times.begin(), times.end());
      if (compare_cpu) {
        auto ref = engine.backbone(model, scale, torch::kCPU, coz::Precision::FP32)->upscale(req, {});
        auto got = sr->upscale(req, {});
        const double mse = (got - ref).pow(2).mean().item<double>();
        std::printf("size %dx%d: PSNR vs CPU fp32 %.2f dB, max abs diff %.2e\n", n, n,
                    mse == 0 ? 999.0 : 10 * std::log10(1.0 / mse), (got - ref).abs().max().item<double>());
      }
      std::printf("size %dx%d -> %dx%d: first run %.3f s, median %.3f s, min %.3f s (%d runs)\n", n, n, n * scale,
                  n * scale, warm, times[times.size() / 2], times.front(), repeat);
    }
    std::printf("whole process %.3f s\n", now_s() - t_start);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "coz_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
