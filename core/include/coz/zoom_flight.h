// A continuous flight through a zoom run: from x1 (step 0) to x4^N (step N) at any magnification
// in between, rendered from the step images with cached mip pyramids and a cross-fade at every
// boundary. Plain 8-bit RGB buffers, no LibTorch: the viewer and the video writer share it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "coz/api.h"

namespace coz {

struct ZoomResult;

// Where step k (k >= 1) was cropped from: a box in the pixels of step `source_step`'s image, as
// ZoomPlan (ZoomStepPlan::source_step/crop) and steps.json ("crop") record it.
struct FlightCrop {
  int source_step = 0;  // 0..k-1 (k-1 for the recursive modes, 0 for the others)
  int x = 0, y = 0, w = 0, h = 0;
};

// One step image: size x size pixels, 8-bit RGB, rows packed (size*3 bytes a row).
struct FlightStep {
  int width = 0, height = 0;
  std::vector<uint8_t> rgb;
  FlightCrop crop;  // ignored for step 0
};

// A rectangle in step 0's pixel coordinates (step 0 spans 0..P on both axes).
struct FlightRect {
  double x = 0, y = 0, w = 0, h = 0;
};

struct FlightOptions {
  // The cross-fade from step k to step k+1 takes the last `fade` of the way from x4^k to x4^(k+1)
  // (in log-magnification); 0 cuts at the boundary. 0..1.
  double fade = 0.35;
  // The finer image fades in from its region's edge over this width (a fraction of the view
  // window's side) when its fade starts; the width shrinks to 0 at the boundary. 0..1.
  double feather = 0.1;
};

// The magnification m (in [1, 4^N]) names the view: a square window of side P/m in step-0
// pixels, exactly step k's region at m = 4^k; between 4^k and 4^(k+1) it zooms about the fixed
// point of the similarity that maps region k onto region k+1, so it stays inside region k and the
// path is continuous. A frame of W x H pixels shows the largest W:H rectangle centred in the
// window ("cover": a square frame shows the whole window).
class COZ_API ZoomFlight {
 public:
  // steps[0..N], N >= 1, all P x P. Throws InvalidInput naming the step when sizes differ, a crop
  // box is not square, does not fit inside its source image, names a later source step, or its
  // region is not strictly smaller than and inside the previous step's region.
  explicit ZoomFlight(std::vector<FlightStep> steps, const FlightOptions& opt = {});
  ~ZoomFlight();
  ZoomFlight(ZoomFlight&&) noexcept;
  ZoomFlight& operator=(ZoomFlight&&) noexcept;
  ZoomFlight(const ZoomFlight&) = delete;
  ZoomFlight& operator=(const ZoomFlight&) = delete;

  int steps() const;                  // N: zoom steps (the flight has N+1 images)
  int process_size() const;           // P
  double max_magnification() const;   // 4^N
  const FlightOptions& options() const;
  const FlightStep& step(int k) const;  // the step image as given (throws InvalidInput for a bad k)

  FlightRect region(int k) const;     // step k's region in step-0 pixels (region(0) = 0,0,P,P)
  // The square view window at magnification m (values outside [1, 4^N] are clamped; NaN and
  // infinities throw InvalidInput).
  FlightRect window(double m) const;
  // The part of the window a width x height frame shows.
  FlightRect view(double m, int width, int height) const;

  // Renders the frame at magnification m into rgb (height rows of width*3 bytes, `stride` bytes
  // apart; 0 = packed). Width and height 1..16384, else InvalidInput. Thread-safe; concurrent
  // calls take turns (each one uses every core).
  void render(double m, int width, int height, uint8_t* rgb, std::ptrdiff_t stride = 0) const;
  std::vector<uint8_t> render(double m, int width, int height) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The flight of a finished zoom run (its step outputs and plan). Defined with the engine (it reads
// tensors); throws InvalidInput like the constructor.
COZ_API ZoomFlight make_flight(const ZoomResult& res, const FlightOptions& opt = {});

// The pace of a fly-through.
enum class Ease {
  Linear,  // constant speed in log-magnification
  InOut,   // smoothstep in log-magnification: starts and ends slowly
};
COZ_API Ease parse_ease(const std::string& s);  // "linear" | "in-out"; throws InvalidInput
COZ_API const char* ease_name(Ease e);

// How far (0..1, in log-magnification) frame `frame` of `frames` is: 0 for the first, 1 for the last.
// Throws InvalidInput unless frames >= 2 and 0 <= frame < frames.
COZ_API double flight_progress(int frame, int frames, Ease ease);
// The magnification of that frame in a flight over `steps` zoom steps: 4^(steps * progress), so
// frame 0 is x1 and the last frame x4^steps.
COZ_API double flight_magnification(int frame, int frames, int steps, Ease ease);

}  // namespace coz
