// Per-call progress, preview and cancel: every long operation takes a RunControl.
#pragma once
#include <atomic>
#include <functional>
#include <string>

#include "coz/error.h"

namespace coz {

struct Progress {
  std::string stage;  // "loading model", "zoom step", "tile", "writing"
  int step = 0;       // 1-based step of `steps` (0 when not stepping)
  int steps = 0;
  int tile = 0;       // 1-based tile of `tiles` in the current step (0 when untiled)
  int tiles = 0;
};

struct StepResult;

struct RunControl {
  std::function<void(const Progress&)> on_progress;   // may be empty
  std::function<void(const StepResult&)> on_step;     // preview: each finished zoom step
  const std::atomic<bool>* cancel = nullptr;          // owned by the caller

  bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
  void check_cancel() const {
    if (cancelled()) throw Cancelled();
  }
  void report(const Progress& p) const {
    if (on_progress) on_progress(p);
  }
};

}  // namespace coz
