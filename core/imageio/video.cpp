// Zoom videos (coz/video.h): the flight's frames through OpenCV's VideoWriter (FFmpeg: H.264 or
// MPEG-4 in .mp4, MJPEG in .avi) or our own GIF encoder, into a temporary file beside the target
// that is renamed at the end.
#include "coz/video.h"

#include <fcntl.h>
#include <unistd.h>

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgproc.hpp>
#ifdef COZ_HAVE_VIDEOIO
#include <opencv2/videoio.hpp>
#endif

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <memory>
#include <sstream>

#include "coz/error.h"
#include "gif_writer.h"

namespace coz::io {
namespace fs = std::filesystem;

namespace {

constexpr int kMinSide = 16, kMaxSide = 8192, kMaxFrames = 216000;

std::string lower_ext(const fs::path& p) {
  std::string e = p.extension().string();
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return e;
}

std::string num(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

// The temporary file of one write, beside the target with the same extension (encoders choose
// the container by it); removed unless committed.
class TempFile {
 public:
  TempFile(const fs::path& target, const std::string& ext) {
    static std::atomic<unsigned> counter{0};
    fs::path dir = target.parent_path();
    if (dir.empty()) dir = ".";
    path_ = dir / ("." + target.stem().string() + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ext);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (committed_) return;
    std::error_code ec;
    fs::remove(path_, ec);
  }
  const fs::path& path() const { return path_; }

  // Flushes the finished file to disk and renames it to `target`.
  void commit(const fs::path& target) {
    std::error_code ec;
    const auto size = fs::file_size(path_, ec);
    if (ec || size == 0) throw InvalidInput("cannot write " + target.string() + ": the encoder wrote nothing");
    const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      ::fsync(fd);
      ::close(fd);
    }
    if (::rename(path_.c_str(), target.c_str()) != 0)
      throw InvalidInput("cannot write " + target.string() + ": " + std::strerror(errno));
    committed_ = true;
  }

 private:
  fs::path path_;
  bool committed_ = false;
};

// Where the frames go.
class FrameSink {
 public:
  virtual ~FrameSink() = default;
  virtual void add(const cv::Mat& rgb, int frame) = 0;
  virtual void finish() = 0;
};

#ifdef COZ_HAVE_VIDEOIO
class CvSink : public FrameSink {
 public:
  CvSink(const fs::path& tmp, const fs::path& target, const std::string& ext, const VideoOptions& opt) {
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    struct Try {
      int fourcc, api;
    };
    std::vector<Try> tries;
    const int avc1 = cv::VideoWriter::fourcc('a', 'v', 'c', '1'), mp4v = cv::VideoWriter::fourcc('m', 'p', '4', 'v');
    const int mjpg = cv::VideoWriter::fourcc('M', 'J', 'P', 'G');
    if (ext == ".mp4") tries = {{avc1, cv::CAP_FFMPEG}, {mp4v, cv::CAP_FFMPEG}, {avc1, cv::CAP_ANY}, {mp4v, cv::CAP_ANY}};
    else tries = {{mjpg, cv::CAP_FFMPEG}, {mjpg, cv::CAP_OPENCV_MJPEG}};
    const cv::Size size(opt.width, opt.height);
    for (const Try& t : tries) {
      try {
        if (writer_.open(tmp.string(), t.api, t.fourcc, opt.fps, size, true) && writer_.isOpened()) return;
      } catch (const cv::Exception&) {
      }
      writer_.release();
    }
    throw InvalidInput("cannot write " + target.string() + ": this system has no " +
                       (ext == ".mp4" ? std::string("H.264 or MPEG-4") : std::string("MJPEG")) +
                       " video encoder (OpenCV's FFmpeg backend); write a .gif instead");
  }
  void add(const cv::Mat& rgb, int) override {
    cv::cvtColor(rgb, bgr_, cv::COLOR_RGB2BGR);
    writer_.write(bgr_);
  }
  void finish() override { writer_.release(); }

 private:
  cv::VideoWriter writer_;
  cv::Mat bgr_;
};
#endif

class GifSink : public FrameSink {
 public:
  GifSink(const fs::path& tmp, const VideoOptions& opt) : gif_(tmp.string(), opt.width, opt.height), fps_(opt.fps) {}
  void add(const cv::Mat& rgb, int frame) override {
    // Delays in 1/100 s, rounded so the frames keep the frame rate on average.
    const int delay = static_cast<int>(std::lround((frame + 1) * 100.0 / fps_) - std::lround(frame * 100.0 / fps_));
    gif_.add_frame(rgb.data, static_cast<std::ptrdiff_t>(rgb.step), std::max(delay, 1));
  }
  void finish() override { gif_.finish(); }

 private:
  GifWriter gif_;
  double fps_;
};

}  // namespace

const std::vector<std::string>& video_extensions() {
  static const std::vector<std::string> e = {".mp4", ".avi", ".gif"};
  return e;
}

int video_frame_count(const VideoOptions& opt, const std::string& ext_in) {
  std::string ext = ext_in;
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto& ok = video_extensions();
  if (std::find(ok.begin(), ok.end(), ext) == ok.end())
    throw InvalidInput("unknown video type '" + ext + "': use .mp4, .avi or .gif");
  const double max_fps = ext == ".gif" ? 50 : 240;
  if (!(std::isfinite(opt.fps) && opt.fps >= 1 && opt.fps <= max_fps))
    throw InvalidInput("the frame rate must be between 1 and " + num(max_fps) + " fps" +
                       (ext == ".gif" ? " for a .gif (its frame delays are in 1/100 s)" : "") + " (got " + num(opt.fps) + ")");
  if (!(std::isfinite(opt.seconds) && opt.seconds > 0 && opt.seconds <= 3600))
    throw InvalidInput("the video length must be more than 0 and at most 3600 seconds (got " + num(opt.seconds) + ")");
  const double frames = std::round(opt.fps * opt.seconds);
  if (frames < 2)
    throw InvalidInput("a video of " + num(opt.seconds) + " s at " + num(opt.fps) + " fps has " + num(frames) +
                       " frame(s); a flight needs at least 2: make it longer or raise the frame rate");
  if (frames > kMaxFrames)
    throw InvalidInput("a video of " + num(opt.seconds) + " s at " + num(opt.fps) + " fps has " + num(frames) +
                       " frames, over the limit of " + std::to_string(kMaxFrames));
  if (opt.width < kMinSide || opt.width > kMaxSide || opt.height < kMinSide || opt.height > kMaxSide)
    throw InvalidInput("the video size " + std::to_string(opt.width) + "x" + std::to_string(opt.height) + " is out of range (" +
                       std::to_string(kMinSide) + ".." + std::to_string(kMaxSide) + " pixels on each side)");
  if (ext == ".mp4" && (opt.width % 2 != 0 || opt.height % 2 != 0))
    throw InvalidInput("an .mp4 video needs an even width and height (got " + std::to_string(opt.width) + "x" +
                       std::to_string(opt.height) + ")");
  return static_cast<int>(frames);
}

void write_zoom_video(const fs::path& out, const ZoomFlight& flight, const VideoOptions& opt, const RunControl& ctl) {
  const std::string ext = lower_ext(out);
  const auto& ok = video_extensions();
  if (std::find(ok.begin(), ok.end(), ext) == ok.end())
    throw InvalidInput("cannot write the video " + out.string() + ": " +
                       (ext.empty() ? std::string("it has no extension") : "unknown type '" + ext + "'") +
                       "; use .mp4, .avi or .gif");
  int frames = 0;
  try {
    frames = video_frame_count(opt, ext);
  } catch (const InvalidInput& e) {
    throw InvalidInput("cannot write the video " + out.string() + ": " + e.what());
  }
  std::error_code ec;
  if (fs::is_directory(out, ec)) throw InvalidInput("cannot write the video " + out.string() + ": it is a folder; give a file name");
  const fs::path dir = out.parent_path().empty() ? fs::path(".") : out.parent_path();
  if (!fs::is_directory(dir, ec))
    throw InvalidInput("cannot write the video " + out.string() + ": the folder " + dir.string() + " does not exist; create it first");
  if (::access(dir.c_str(), W_OK) != 0)
    throw InvalidInput("cannot write the video " + out.string() + ": the folder " + dir.string() + " is not writable");

  ctl.check_cancel();
  TempFile tmp(out, ext);
  std::unique_ptr<FrameSink> sink;
  if (ext == ".gif") {
    sink = std::make_unique<GifSink>(tmp.path(), opt);
  } else {
#ifdef COZ_HAVE_VIDEOIO
    sink = std::make_unique<CvSink>(tmp.path(), out, ext, opt);
#else
    throw InvalidInput("cannot write " + out.string() + ": this build has no video encoder (OpenCV videoio); write a .gif instead");
#endif
  }
  cv::Mat rgb(opt.height, opt.width, CV_8UC3);
  Progress progress;
  progress.stage = Stage::VideoFrame;
  progress.steps = frames;
  for (int i = 0; i < frames; ++i) {
    ctl.check_cancel();
    progress.step = i + 1;
    ctl.report(progress);
    const double m = flight_magnification(i, frames, flight.steps(), opt.ease);
    flight.render(m, opt.width, opt.height, rgb.data, static_cast<std::ptrdiff_t>(rgb.step));
    sink->add(rgb, i);
  }
  ctl.check_cancel();
  sink->finish();
  sink.reset();
  tmp.commit(out);
}

}  // namespace coz::io
