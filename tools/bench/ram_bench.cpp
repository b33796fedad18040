// Times the C++ RAM + DAPE tagger on full-size files and prints its tags, for the side-by-side with
// the reference (tools/bench/ram_full_size.py). A benchmark, not a test.
//   coz_ram_bench --ram ram.pth --dape DAPE.pth --tags DIR --images imgs.f32 --count N [--size 512]
//                 [--device cuda] [--precision fp32|bf16|fp16] [--repeat 20] [--logits out.f32] [--no-graphs]
// imgs.f32: N raw float32 images [3,size,size] in [0,1]. Prints load time, the median time of one
// tag call (preprocess + forward + selection, synchronised), and "tags <i>: ..." per image.
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
#include "models/ram_head.h"

namespace {
using coz::bench::now_ms;
using coz::bench::read_f32;
using coz::bench::sync;
}  // namespace

int main(int argc, char** argv) {
  std::string ram, dape, tags, images, logits_out, device = "cuda", precision = "fp32";
  int count = 5, size = 512, repeat = 20;
  bool graphs = true;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    auto v = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (k == "--ram") ram = v();
    else if (k == "--dape") dape = v();
    else if (k == "--tags") tags = v();
    else if (k == "--images") images = v();
    else if (k == "--count") count = std::stoi(v());
    else if (k == "--size") size = std::stoi(v());
    else if (k == "--device") device = v();
    else if (k == "--precision") precision = v();
    else if (k == "--repeat") repeat = std::stoi(v());
    else if (k == "--logits") logits_out = v();
    else if (k == "--no-graphs") graphs = false;
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  try {
    const torch::Device dev = coz::parse_torch_device(device);
    const coz::Precision prec = coz::resolve_precision(coz::parse_precision(precision), dev);
    coz::models::RamPaths p{ram, dape, tags + "/ram_tag_list.txt", tags + "/ram_tag_list_threshold.txt"};
    double t0 = now_ms();
    auto tagger = coz::models::RamTagger::load(p, dev, coz::precision_dtype(prec));
    tagger->set_cuda_graphs(graphs);
    coz::compat::cuda_synchronize(dev);
    std::printf("load %.0f ms (%s, %s%s)\n", now_ms() - t0, device.c_str(), coz::precision_name(prec),
                graphs ? "" : ", no CUDA graphs");
    const auto all = read_f32(images, {count, 3, size, size}).to(dev);
    for (int w = 0; w < 3; ++w) tagger->tag(all[0].unsqueeze(0));  // warm-up
    std::vector<double> ts;
    for (int r = 0; r < repeat; ++r)
      for (int i = 0; i < count; ++i) {
        coz::compat::cuda_synchronize(dev);
        const double t = now_ms();
        tagger->tag(all[i].unsqueeze(0));
        coz::compat::cuda_synchronize(dev);
        ts.push_back(now_ms() - t);
      }
    std::sort(ts.begin(), ts.end());
    std::printf("tag call: median %.2f ms, min %.2f ms over %zu calls\n", ts[ts.size() / 2], ts.front(), ts.size());
    std::vector<torch::Tensor> rows;
    for (int i = 0; i < count; ++i) {
      const auto x = all[i].unsqueeze(0);
      std::printf("tags %d: %s\n", i, tagger->tag(x).at(0).c_str());
      if (!logits_out.empty()) rows.push_back(tagger->logits(x));
    }
    if (!logits_out.empty()) {
      const auto l = torch::cat(rows).contiguous();
      std::ofstream(logits_out, std::ios::binary).write(reinterpret_cast<const char*>(l.data_ptr<float>()), l.numel() * 4);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "coz_ram_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
