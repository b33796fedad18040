// Times ZoomFlight::render: a fly-through of a synthetic chain (recursive layout, off-centre crops)
// at video size, as the viewer and `coz video` render it. A benchmark, not a test: it asserts nothing.
//   coz_flight_bench [--frames 240] [--width 1920] [--height 1080] [--steps 4] [--size 512] [--ease in-out]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "coz/zoom_flight.h"

namespace {

double wall_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
double cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

// Photo-like content: smooth shading, edges and fine noise, different in every step.
coz::FlightStep synthetic_step(int P, int k, coz::FlightCrop crop) {
  coz::FlightStep s;
  s.width = s.height = P;
  s.rgb.resize(static_cast<size_t>(P) * P * 3);
  uint32_t h = 12345u + 977u * static_cast<uint32_t>(k);
  for (int y = 0; y < P; ++y)
    for (int x = 0; x < P; ++x) {
      const double u = static_cast<double>(x) / P, v = static_cast<double>(y) / P;
      const bool stripe = (static_cast<int>((u + v) * 12 + k) & 1) != 0;
      uint8_t* p = s.rgb.data() + (static_cast<size_t>(y) * P + x) * 3;
      for (int c = 0; c < 3; ++c) {
        h = h * 1664525u + 1013904223u;
        const double base = 120 + 80 * std::sin(5 * u + 3 * v * (c + 1) + k) + (stripe ? 25 : -25);
        p[c] = static_cast<uint8_t>(std::clamp(base + static_cast<int>(h >> 28) - 8, 0.0, 255.0));
      }
    }
  s.crop = crop;
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  int frames = 240, width = 1920, height = 1080, steps = 4, size = 512;
  std::string ease = "in-out";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--frames") frames = std::stoi(v);
    else if (k == "--width") width = std::stoi(v);
    else if (k == "--height") height = std::stoi(v);
    else if (k == "--steps") steps = std::stoi(v);
    else if (k == "--size") size = std::stoi(v);
    else if (k == "--ease") ease = v;
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  const double t0 = wall_ms();
  std::vector<coz::FlightStep> chain{synthetic_step(size, 0, {})};
  const int n = size / 4;
  for (int k = 1; k <= steps; ++k) chain.push_back(synthetic_step(size, k, {k - 1, size / 2 - n / 2 + 37 * (k % 3) - 30, size / 2 - n / 2 - 21, n, n}));
  const double t1 = wall_ms();
  const coz::ZoomFlight flight(std::move(chain));
  const double t_build = wall_ms() - t1;
  std::printf("chain: %d steps of %dx%d (made in %.0f ms), pyramids built in %.1f ms; %u hardware threads\n", steps, size,
              size, t1 - t0, t_build, std::thread::hardware_concurrency());

  std::vector<uint8_t> frame(static_cast<size_t>(width) * height * 3);
  flight.render(1, width, height, frame.data());  // warm-up: starts the thread pool, faults the buffer in
  std::vector<double> ms;
  const coz::Ease e = coz::parse_ease(ease);
  const double c0 = cpu_ms(), w0 = wall_ms();
  for (int i = 0; i < frames; ++i) {
    const double m = coz::flight_magnification(i, frames, steps, e);
    const double a = wall_ms();
    flight.render(m, width, height, frame.data());
    ms.push_back(wall_ms() - a);
  }
  const double total = wall_ms() - w0, cpu = cpu_ms() - c0;
  std::vector<double> sorted = ms;
  std::sort(sorted.begin(), sorted.end());
  const double mean = std::accumulate(ms.begin(), ms.end(), 0.0) / ms.size();
  const double p95 = sorted[std::min(sorted.size() - 1, static_cast<size_t>(std::ceil(0.95 * sorted.size())) - 1)];
  std::printf("%d frames %dx%d (%s): mean %.2f ms, median %.2f ms, p95 %.2f ms, max %.2f ms per frame; %.1f fps; "
              "CPU %.2f ms per frame (all threads)\n",
              frames, width, height, ease.c_str(), mean, sorted[sorted.size() / 2], p95, sorted.back(), 1000.0 * frames / total,
              cpu / frames);
  return 0;
}
