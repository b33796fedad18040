#include "progress.h"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace coz::cli {

ProgressPrinter::ProgressPrinter(bool bar, bool json)
    : bar_(bar), json_(json), start_(std::chrono::steady_clock::now()) {}

void ProgressPrinter::update(const Progress& p) {
  const auto now = std::chrono::steady_clock::now();
  const double t = std::chrono::duration<double>(now - start_).count();
  if (json_) {
    nlohmann::json j = {{"event", "progress"}, {"stage", stage_name(p.stage)}, {"step", p.step}, {"steps", p.steps},
                        {"tile", p.tile}, {"tiles", p.tiles}, {"elapsed_s", t}};
    if (p.stage == Stage::Download) {
      j["file"] = p.file;
      j["bytes"] = p.bytes;
      j["total_bytes"] = p.total_bytes;
      j["bytes_per_second"] = p.bytes_per_second;
      j["eta_s"] = p.eta_seconds;
    }
    std::printf("%s\n", j.dump().c_str());
    std::fflush(stdout);
  }
  if (!bar_) return;
  if (p.stage == Stage::Download) {
    draw_download(p);
    return;
  }
  double frac = 0;
  if (p.steps > 0) {
    const double in_step = p.tiles > 0 ? static_cast<double>(p.tile - 1) / p.tiles : 0.0;
    frac = (std::max(0, p.step - 1) + in_step) / p.steps;
  }
  constexpr int width = 28;
  const int filled = static_cast<int>(frac * width);
  std::string b(filled, '=');
  if (filled < width) b += '>' + std::string(width - filled - 1, ' ');
  char eta[32] = "";
  if (frac > 0.02) std::snprintf(eta, sizeof eta, "  ~%.0fs left", t / frac - t);
  char tiles[32] = "";
  if (p.tiles > 1) std::snprintf(tiles, sizeof tiles, " tile %d/%d", p.tile, p.tiles);
  std::fprintf(stderr, "\r\033[K[%s] %s %d/%d%s  %.1fs%s", b.c_str(), stage_name(p.stage), p.step, p.steps, tiles, t, eta);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressPrinter::draw_download(const Progress& p) {
  auto mb = [](double b) { return b / 1e6; };
  const double frac = p.total_bytes > 0 ? std::min(1.0, static_cast<double>(p.bytes) / p.total_bytes) : 0.0;
  constexpr int width = 24;
  const int filled = static_cast<int>(frac * width);
  std::string b(filled, '=');
  if (filled < width) b += '>' + std::string(width - filled - 1, ' ');
  char total[32] = "?";
  if (p.total_bytes >= 0) std::snprintf(total, sizeof total, "%.1f", mb(static_cast<double>(p.total_bytes)));
  char eta[48] = "";
  if (p.eta_seconds >= 0) std::snprintf(eta, sizeof eta, "  %.0f s left", p.eta_seconds);
  std::string name = p.file;
  if (name.size() > 40) name = "…" + name.substr(name.size() - 39);
  std::fprintf(stderr, "\r\033[K[%s] %d/%d %s  %.1f/%s MB  %.1f MB/s%s", b.c_str(), p.step, p.steps, name.c_str(),
               mb(static_cast<double>(p.bytes)), total, mb(p.bytes_per_second), eta);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressPrinter::message(const std::string& text) {
  if (json_) {
    std::printf("%s\n", nlohmann::json({{"event", "message"}, {"text", text}}).dump().c_str());
    std::fflush(stdout);
    return;
  }
  if (drawn_) std::fprintf(stderr, "\r\033[K");
  std::fprintf(stderr, "%s\n", text.c_str());
}

void ProgressPrinter::finish() {
  if (bar_ && drawn_) std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
}

}  // namespace coz::cli
