// Per-call progress, preview and cancel: every long operation takes a RunControl.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "coz/api.h"
#include "coz/error.h"

namespace coz {

// What a run is doing. The shells translate the stage, never match text.
enum class Stage {
  LoadingModel,  // loading a backbone or prompt source (step/steps: the run's steps)
  Prompt,        // a prompt source describes step `step`
  ZoomStep,      // zoom step `step` of `steps` (tile/tiles set while it is tiled)
  UpscalePass,   // upscale pass `step` of `steps`
  Resizing,      // the final resize to the exact output size
  ColorFix,      // colour correction
  VaeEncode,     // SD3's VAE encoder over tile `tile` of `tiles`
  VaeDecode,     // SD3's VAE decoder over tile `tile` of `tiles`
  Writing,       // writing output files
  Download,      // downloading file `step` of `steps` (bytes, rate and ETA set)
  VideoFrame,    // rendering and encoding video frame `step` of `steps`
};
// A stable key for logs and machine-readable output: "loading model", "zoom step", ...
COZ_API const char* stage_name(Stage s);

struct Progress {
  Stage stage = Stage::LoadingModel;
  int step = 0;       // 1-based step of `steps` (0 when not stepping)
  int steps = 0;
  int tile = 0;       // 1-based tile of `tiles` in the current step (0 when untiled)
  int tiles = 0;
  // Stage::Download only: the current file and its bytes, the transfer rate, the time left.
  std::string file;
  int64_t bytes = 0;
  int64_t total_bytes = 0;  // -1 when the server does not say
  double bytes_per_second = 0;
  double eta_seconds = -1;  // -1 when unknown
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
