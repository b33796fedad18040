// Zoom videos: a ZoomFlight from x1 to x4^N as an .mp4 (H.264, else MPEG-4), .avi (MJPEG) or an
// animated .gif (our own encoder: works where no video encoder is installed), and a zoom run's
// folder (steps.json and its step images) read back as a flight.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "coz/api.h"
#include "coz/control.h"
#include "coz/zoom_flight.h"

namespace coz::io {

struct VideoOptions {
  double fps = 30;       // 1..240 (.gif: at most 50, its delays are in 1/100 s)
  double seconds = 8;    // the whole flight; frames = round(fps * seconds), 2..216000
  int width = 1920, height = 1080;  // 16..8192; even for .mp4
  Ease ease = Ease::InOut;
};

// ".mp4", ".avi", ".gif".
COZ_API const std::vector<std::string>& video_extensions();

// round(fps * seconds) after checking the options for a file of extension `ext` (".mp4", any case);
// throws InvalidInput naming the bad value and its range.
COZ_API int video_frame_count(const VideoOptions& opt, const std::string& ext);

// Writes the flight to `out`: frame i of n shows flight_magnification(i, n, flight.steps(), ease).
// The type follows the extension: .mp4 H.264 ('avc1') where the encoder exists, else MPEG-4
// ('mp4v'); .avi MJPEG; .gif 256 colours a frame, looping. Atomic: a temporary file beside `out`
// (same extension) renamed at the end; a failure or cancel leaves no file behind.
// Progress: Stage::VideoFrame, step = frame (1-based), steps = frames. Cancel is checked between
// frames (throws Cancelled). Throws InvalidInput for an unknown extension, bad options, a missing
// folder or no encoder for the type.
COZ_API void write_zoom_video(const std::filesystem::path& out, const ZoomFlight& flight, const VideoOptions& opt,
                              const RunControl& ctl = {});

// The flight of a zoom run's folder: steps.json (coz/record.h) and the step images it names (any
// readable format, 8 or 16 bits). Throws InvalidInput naming the file that is missing, unreadable,
// of the wrong size, or whose crop boxes do not chain.
COZ_API ZoomFlight load_flight(const std::filesystem::path& steps_dir, const FlightOptions& opt = {});

}  // namespace coz::io
