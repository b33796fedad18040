// Progress output of the `coz` CLI: a one-line bar on a terminal, JSON lines with --json.
#pragma once
#include <chrono>
#include <string>

#include "coz/control.h"

namespace coz::cli {

class ProgressPrinter {
 public:
  ProgressPrinter(bool bar, bool json);
  void update(const Progress& p);
  void message(const std::string& text);  // a line above the bar
  void finish();

 private:
  void draw_download(const Progress& p);
  bool bar_, json_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace coz::cli
