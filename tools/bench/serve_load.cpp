// A bounded load test of `coz serve` over loopback (a benchmark, not a test):
//   coz serve --port 7861 --model esrgan-slim --quiet &
//   coz_serve_load --port 7861 --pid $! [--requests 200] [--concurrency 8] [--size 64] [--scale 2]
// Sends `requests` POST /upscale requests with one size x size PNG from `concurrency` threads, then
// prints throughput, p50/p99 latency, failures and the server's RSS (VmRSS of --pid) before, after
// a first warm-up round and at the end.
#include <httplib.h>

#include "base64.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {
double rss_mb(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  for (std::string l; std::getline(f, l);)
    if (l.rfind("VmRSS:", 0) == 0) return std::stod(l.substr(6)) / 1024.0;
  return -1;
}

// An uncompressed 24-bit BMP of a smooth pattern, base64-encoded.
std::string bmp_base64(int s) {
  const int row = (s * 3 + 3) / 4 * 4;
  std::string b(54 + row * s, '\0');
  auto put32 = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  };
  b[0] = 'B', b[1] = 'M';
  put32(2, static_cast<uint32_t>(b.size()));
  put32(10, 54);
  put32(14, 40);
  put32(18, static_cast<uint32_t>(s));
  put32(22, static_cast<uint32_t>(s));
  b[26] = 1, b[28] = 24;
  for (int y = 0; y < s; ++y)
    for (int x = 0; x < s; ++x)
      for (int c = 0; c < 3; ++c)
        b[54 + y * row + x * 3 + c] = static_cast<char>(128 + 100 * std::sin(0.1 * x * (c + 1) + 0.07 * y));
  return coz::cli::base64_encode(b);
}
}  // namespace

int main(int argc, char** argv) {
  int port = 7861, pid = 0, requests = 200, concurrency = 8, size = 64;
  double scale = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--port") port = std::stoi(v);
    else if (k == "--pid") pid = std::stoi(v);
    else if (k == "--requests") requests = std::stoi(v);
    else if (k == "--concurrency") concurrency = std::stoi(v);
    else if (k == "--size") size = std::stoi(v);
    else if (k == "--scale") scale = std::stod(v);
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  const std::string body = "{\"image\":\"" + bmp_base64(size) + "\",\"scale\":" + std::to_string(scale) + "}";
  auto round = [&](int n, std::vector<double>& lat, int& failed) {
    std::atomic<int> next{0}, bad{0};
    std::vector<std::vector<double>> per(concurrency);
    std::vector<std::thread> ts;
    for (int t = 0; t < concurrency; ++t)
      ts.emplace_back([&, t] {
        httplib::Client c("127.0.0.1", port);
        c.set_read_timeout(300, 0);
        while (next.fetch_add(1) < n) {
          const auto t0 = std::chrono::steady_clock::now();
          auto r = c.Post("/upscale", body, "application/json");
          per[t].push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
          if (!r || r->status != 200) ++bad;
        }
      });
    for (auto& t : ts) t.join();
    for (auto& p : per) lat.insert(lat.end(), p.begin(), p.end());
    failed = bad.load();
  };
  const double rss0 = pid ? rss_mb(pid) : -1;
  std::vector<double> warm;
  int wf = 0;
  round(concurrency * 2, warm, wf);
  const double rss1 = pid ? rss_mb(pid) : -1;
  std::vector<double> lat;
  int failed = 0;
  const auto t0 = std::chrono::steady_clock::now();
  round(requests, lat, failed);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double rss2 = pid ? rss_mb(pid) : -1;
  std::sort(lat.begin(), lat.end());
  auto pct = [&](double p) { return lat.empty() ? 0.0 : lat[std::min(lat.size() - 1, static_cast<size_t>(p * lat.size()))]; };
  std::printf("%d requests (%dx%d -> x%g), %d concurrent: %.1f requests/s, p50 %.1f ms, p99 %.1f ms, failed %d (warm-up failed %d)\n",
              requests, size, size, scale, concurrency, requests / secs, pct(0.5), pct(0.99), failed, wf);
  if (pid) std::printf("server RSS: %.0f MB before, %.0f MB after warm-up, %.0f MB after the run\n", rss0, rss1, rss2);
  return failed ? 1 : 0;
}
