// The zoom flight and its videos: step images at x4^k byte for byte, monotone fades, the window's
// path, real zoom runs (recursive and one-step layouts), cover framing, the magnification schedule,
// bad inputs; .mp4/.avi/.gif read back with OpenCV's decoder, cancel, and a run's folder loaded back.
#include <QTemporaryDir>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#ifdef COZ_HAVE_VIDEOIO
#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>
#endif

#include "coz/error.h"
#include "coz/export.h"
#include "coz/imageio.h"
#include "coz/video.h"
#include "coz/zoom.h"
#include "coz/zoom_flight.h"
#include "test_util.h"

using namespace coz;
namespace fs = std::filesystem;

namespace {

// A P x P step with busy, step-specific content (every pixel differs from its neighbours).
FlightStep noisy_step(int P, int k, FlightCrop crop = {}) {
  FlightStep s;
  s.width = s.height = P;
  s.rgb.resize(static_cast<size_t>(P) * P * 3);
  uint32_t h = 2166136261u + static_cast<uint32_t>(k) * 16777619u;
  for (auto& v : s.rgb) {
    h = h * 1664525u + 1013904223u;
    v = static_cast<uint8_t>(h >> 24);
  }
  s.crop = crop;
  return s;
}

FlightStep flat_step(int P, uint8_t value, FlightCrop crop = {}) {
  FlightStep s;
  s.width = s.height = P;
  s.rgb.assign(static_cast<size_t>(P) * P * 3, value);
  s.crop = crop;
  return s;
}

// A smooth step (what a real zoom gives): gentle gradients that video codecs keep well.
FlightStep smooth_step(int P, int k, FlightCrop crop = {}) {
  FlightStep s;
  s.width = s.height = P;
  s.rgb.resize(static_cast<size_t>(P) * P * 3);
  for (int y = 0; y < P; ++y)
    for (int x = 0; x < P; ++x) {
      const double u = static_cast<double>(x) / P, v = static_cast<double>(y) / P;
      uint8_t* p = s.rgb.data() + (static_cast<size_t>(y) * P + x) * 3;
      p[0] = static_cast<uint8_t>(128 + 100 * std::sin(6 * u + 2 * v + k));
      p[1] = static_cast<uint8_t>(128 + 100 * std::cos(4 * v - 3 * u + 0.5 * k));
      p[2] = static_cast<uint8_t>(60 + 150 * u * v);
    }
  s.crop = crop;
  return s;
}

// Recursive layout: step k is an off-centre quarter of step k-1.
std::vector<FlightStep> recursive_chain(int P, int N) {
  std::vector<FlightStep> v{noisy_step(P, 0)};
  const int n = P / 4;
  for (int k = 1; k <= N; ++k) v.push_back(noisy_step(P, k, {k - 1, P - n - 3 * k, 2 * k, n, n}));
  return v;
}

// One-step layout: step k is a P/4^k box of step 0 around one point.
std::vector<FlightStep> onestep_chain(int P, int N) {
  std::vector<FlightStep> v{noisy_step(P, 0)};
  for (int k = 1; k <= N; ++k) {
    const int n = P >> (2 * k);
    v.push_back(noisy_step(P, k, {0, (P * 3) / 10 - n / 2, (P * 6) / 10 - n / 2, n, n}));
  }
  return v;
}

double pow4(double e) { return std::pow(4.0, e); }

std::string error_of(const std::function<void()>& fn) { return test::error_of(fn); }

bool inside(const FlightRect& a, const FlightRect& b, double eps = 1e-9) {  // a inside b
  return a.x >= b.x - eps && a.y >= b.y - eps && a.x + a.w <= b.x + b.w + eps && a.y + a.h <= b.y + b.h + eps;
}

double psnr_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  double mse = 0;
  for (size_t i = 0; i < n; ++i) mse += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
  mse /= n;
  return mse == 0 ? 99 : 10 * std::log10(255.0 * 255.0 / mse);
}

std::vector<uint8_t> u8_of(const torch::Tensor& nchw) {
  const auto t = to_u8_hwc(nchw);
  return std::vector<uint8_t>(t.data_ptr<uint8_t>(), t.data_ptr<uint8_t>() + t.numel());
}

ZoomRequest zoom_request(Recursion r, const std::string& model, int steps) {
  ZoomRequest q;
  q.image.rgb = test::test_pattern(60, 44);
  q.steps = steps;
  q.recursion = r;
  q.model = model;
  q.process_size = 32;
  q.center_x = 0.8;
  q.center_y = 0.3;
  q.tiles.tile = 0;
  return q;
}

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> v;
  for (const auto& e : fs::directory_iterator(dir)) v.push_back(e.path().filename().string());
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

class TestZoomFlight : public QObject {
  Q_OBJECT
  Engine engine_;

  // The flight of a real run: its frame at x4^k is step k's output; its regions nest and hold the
  // zoom point, and so does every window on the way.
  void checkRun(const ZoomRequest& q) {
    const ZoomResult res = engine_.zoom(q, {});
    const ZoomFlight f = make_flight(res);
    const int P = q.process_size, N = q.steps;
    QCOMPARE(f.steps(), N);
    QCOMPARE(f.process_size(), P);
    QCOMPARE(f.max_magnification(), pow4(N));
    for (int k = 0; k <= N; ++k) QVERIFY2(f.render(pow4(k), P, P) == u8_of(res.steps[k].output), ("step " + std::to_string(k)).c_str());
    // Regions from the plan, composed independently: region k = its source's region, scaled.
    std::vector<FlightRect> want{{0, 0, double(P), double(P)}};
    for (const auto& sp : res.plan.steps) {
      const FlightRect& src = want[sp.source_step];
      const double s = src.w / P;
      want.push_back({src.x + sp.crop.x * s, src.y + sp.crop.y * s, sp.crop.w * s, sp.crop.h * s});
    }
    const double px = q.center_x * res.plan.resized_w - res.plan.initial_crop.x;
    const double py = q.center_y * res.plan.resized_h - res.plan.initial_crop.y;
    for (int k = 0; k <= N; ++k) {
      const FlightRect r = f.region(k);
      QVERIFY(std::fabs(r.x - want[k].x) < 1e-9 && std::fabs(r.y - want[k].y) < 1e-9 && std::fabs(r.w - want[k].w) < 1e-9);
      QVERIFY(px >= r.x && px <= r.x + r.w && py >= r.y && py <= r.y + r.h);
    }
    for (int i = 0; i <= 60; ++i) {
      const FlightRect w = f.window(pow4(N * i / 60.0));
      QVERIFY(px >= w.x - 1e-9 && px <= w.x + w.w + 1e-9 && py >= w.y - 1e-9 && py <= w.y + w.h + 1e-9);
    }
  }

 private Q_SLOTS:
  void stepImagesAtPowersOfFourAreExact() {
    for (const bool recursive : {true, false}) {
      for (const double fade : {0.35, 1.0, 0.0}) {
        auto chain = recursive ? recursive_chain(64, 3) : onestep_chain(64, 3);
        std::vector<std::vector<uint8_t>> images;
        for (const auto& s : chain) images.push_back(s.rgb);
        FlightOptions o;
        o.fade = fade;
        const ZoomFlight f(std::move(chain), o);
        for (int k = 0; k <= 3; ++k) {
          QVERIFY2(f.render(pow4(k), 64, 64) == images[k],
                   ("step " + std::to_string(k) + (recursive ? " recursive" : " one-step") + " fade " + std::to_string(fade)).c_str());
          QVERIFY(f.step(k).rgb == images[k]);
        }
        // Just before a boundary the frame is (nearly) the finer step already, not the coarser one.
        const auto before = f.render(pow4(2 - 1e-9), 64, 64);
        if (fade > 0) QVERIFY(psnr_u8(before.data(), images[2].data(), before.size()) > 40);
      }
    }
    // A frame into a row stride wider than the row: the padding is left alone.
    const ZoomFlight f(recursive_chain(32, 1));
    std::vector<uint8_t> padded(32 * 100, 7);
    f.render(4, 32, 32, padded.data(), 100);
    for (int y = 0; y < 32; ++y) {
      QVERIFY(std::equal(padded.begin() + y * 100, padded.begin() + y * 100 + 96, f.step(1).rgb.begin() + y * 96));
      QVERIFY(std::all_of(padded.begin() + y * 100 + 96, padded.begin() + y * 100 + 100, [](uint8_t v) { return v == 7; }));
    }
  }

  void flatStepsFadeMonotonically() {
    // 30 -> 220 (rising) through segment 0, 220 -> 100 (falling) through segment 1.
    std::vector<FlightStep> steps{flat_step(64, 30), flat_step(64, 220, {0, 40, 8, 16, 16}), flat_step(64, 100, {1, 3, 45, 16, 16})};
    const ZoomFlight f(std::move(steps));
    for (const auto& size : {std::pair{64, 64}, std::pair{40, 24}, std::pair{17, 31}}) {
      const int W = size.first, H = size.second;
      for (int seg = 0; seg < 2; ++seg) {
        const int a = seg == 0 ? 30 : 220, b = seg == 0 ? 220 : 100;
        std::vector<uint8_t> prev = f.render(pow4(seg), W, H);
        QVERIFY(std::all_of(prev.begin(), prev.end(), [&](uint8_t v) { return v == a; }));
        std::set<int> seen;
        for (int i = 1; i <= 300; ++i) {
          const auto cur = f.render(pow4(seg + i / 300.0), W, H);
          for (size_t j = 0; j < cur.size(); ++j) {
            const bool ok = b > a ? (cur[j] >= prev[j] && cur[j] <= b) : (cur[j] <= prev[j] && cur[j] >= b);
            if (!ok)
              QFAIL(("pixel value " + std::to_string(j) + " went " + std::to_string(prev[j]) + " -> " + std::to_string(cur[j]) +
                     " at frame " + std::to_string(i) + " of segment " + std::to_string(seg))
                        .c_str());
            seen.insert(cur[j]);
          }
          prev = cur;
        }
        QVERIFY(std::all_of(prev.begin(), prev.end(), [&](uint8_t v) { return v == b; }));
        QVERIFY2(seen.size() > 50, "the fade is gradual, not a cut");
        // The fade waits for the last 35% of the segment.
        const auto early = f.render(pow4(seg + 0.6), W, H);
        QVERIFY(std::all_of(early.begin(), early.end(), [&](uint8_t v) { return v == a; }));
      }
    }
  }

  void windowZoomsAboutTheFixedPointInsideEachRegion() {
    for (const bool recursive : {true, false}) {
      const ZoomFlight f(recursive ? recursive_chain(64, 3) : onestep_chain(64, 3));
      FlightRect prev = f.window(1);
      QCOMPARE(prev.w, 64.0);
      for (int k = 0; k < 3; ++k) {
        const FlightRect r = f.region(k), next = f.region(k + 1);
        const FlightRect at = f.window(pow4(k));
        QCOMPARE(at.x, r.x);  // exactly the region
        QCOMPARE(at.y, r.y);
        QCOMPARE(at.w, r.w);
        QVERIFY(inside(next, r));
        for (int i = 1; i <= 100; ++i) {
          const double m = pow4(k + i / 100.0);
          const FlightRect w = f.window(m);
          QVERIFY(inside(w, r));
          QVERIFY(inside(next, w));
          QVERIFY(inside(w, prev));  // every window lies inside the ones before: a steady zoom-in
          QVERIFY(std::fabs(w.w - 64.0 / m) < 1e-9 * 64);
          QCOMPARE(w.w, w.h);
          // Continuous: a small step in m moves the window by a small amount.
          const FlightRect w2 = f.window(m * 1.0001);
          QVERIFY(std::fabs(w2.x - w.x) < 1e-3 * w.w && std::fabs(w2.y - w.y) < 1e-3 * w.w);
          prev = w;
        }
      }
      // Out of range magnifications are clamped, NaN is refused.
      QCOMPARE(f.window(0.5).w, 64.0);
      QCOMPARE(f.window(1e9).w, f.region(3).w);
    }
  }

  void coverShowsTheCentredPartOfTheWindow() {
    auto chain = recursive_chain(64, 2);
    const auto step1 = chain[1].rgb;
    const ZoomFlight f(std::move(chain));
    // Landscape: the middle half of the rows, byte for byte at x4.
    const auto wide = f.render(4, 64, 32);
    QVERIFY(std::equal(wide.begin(), wide.end(), step1.begin() + 16 * 64 * 3));
    const FlightRect v = f.view(4, 64, 32), r = f.region(1);
    QCOMPARE(v.w, r.w);
    QCOMPARE(v.h, r.w / 2);
    QCOMPARE(v.y, r.y + r.w / 4);
    // Portrait: the middle half of the columns.
    const auto tall = f.render(4, 32, 64);
    for (int y = 0; y < 64; ++y)
      QVERIFY(std::equal(tall.begin() + y * 96, tall.begin() + y * 96 + 96, step1.begin() + (y * 64 + 16) * 3));
    // A larger frame than the step at x1 is a smooth upscale, a smaller one a smooth reduction.
    QCOMPARE(f.render(1.7, 1280, 720).size(), size_t(1280 * 720 * 3));
    const auto small = f.render(1, 16, 16);  // 4x reduction through the pyramid: the mean survives
    double mean_small = 0, mean_full = 0;
    for (auto v8 : small) mean_small += v8;
    for (auto v8 : f.step(0).rgb) mean_full += v8;
    QVERIFY(std::fabs(mean_small / small.size() - mean_full / f.step(0).rgb.size()) < 2);
  }

  void recursiveRunFlies() { checkRun(zoom_request(Recursion::Recursive, "bicubic", 3)); }
  void oneStepRunFlies() { checkRun(zoom_request(Recursion::Bicubic, "bicubic", 2)); }

  void magnificationSchedule() {
    const int n = 61, N = 4;
    QCOMPARE(flight_magnification(0, n, N, Ease::Linear), 1.0);
    QCOMPARE(flight_magnification(n - 1, n, N, Ease::Linear), 256.0);
    QCOMPARE(flight_magnification(0, n, N, Ease::InOut), 1.0);
    QCOMPARE(flight_magnification(n - 1, n, N, Ease::InOut), 256.0);
    const double step = std::log(256.0) / (n - 1);
    for (int i = 1; i < n; ++i) {
      const double d = std::log(flight_magnification(i, n, N, Ease::Linear)) - std::log(flight_magnification(i - 1, n, N, Ease::Linear));
      QVERIFY(std::fabs(d - step) < 1e-12);  // constant speed in log-magnification
      const double a = std::log(flight_magnification(i, n, N, Ease::InOut)) / std::log(4.0);
      const double b = std::log(flight_magnification(n - 1 - i, n, N, Ease::InOut)) / std::log(4.0);
      QVERIFY(std::fabs(a + b - N) < 1e-12);  // symmetric about the middle
      QVERIFY(flight_magnification(i, n, N, Ease::InOut) > flight_magnification(i - 1, n, N, Ease::InOut));
    }
    QCOMPARE(flight_magnification(30, n, N, Ease::InOut), 16.0);
    // Eased: slow at both ends, faster than linear in the middle.
    const double lin0 = std::log(flight_magnification(1, n, N, Ease::Linear));
    QVERIFY(std::log(flight_magnification(1, n, N, Ease::InOut)) < 0.1 * lin0);
    QVERIFY(std::log(flight_magnification(31, n, N, Ease::InOut) / flight_magnification(30, n, N, Ease::InOut)) > 1.4 * lin0);
    QCOMPARE(flight_progress(1, 3, Ease::Linear), 0.5);
    QCOMPARE(parse_ease("linear"), Ease::Linear);
    QCOMPARE(parse_ease("in-out"), Ease::InOut);
    QCOMPARE(std::string(ease_name(Ease::InOut)), std::string("in-out"));
    QCOMPARE(std::string(ease_name(Ease::Linear)), std::string("linear"));
    QCOMPARE(error_of([] { parse_ease("bounce"); }), std::string("unknown ease 'bounce': use linear or in-out"));
    QCOMPARE(error_of([] { flight_magnification(0, 1, 2, Ease::Linear); }), std::string("a flight needs at least 2 frames (got 1)"));
    QCOMPARE(error_of([] { flight_magnification(5, 5, 2, Ease::Linear); }), std::string("frame 5 is outside the flight's frames 0..4"));
    QCOMPARE(error_of([] { flight_magnification(0, 5, -1, Ease::Linear); }), std::string("a flight has 0..30 zoom steps (got -1)"));
  }

  void badInputsAreRefused() {
    const auto make = [](std::vector<FlightStep> s) { ZoomFlight f(std::move(s)); };
    QCOMPARE(error_of([&] { make({noisy_step(32, 0)}); }),
             std::string("zoom flight: needs step 0 and at least one zoom step (got 1 image)"));
    QCOMPARE(error_of([&] { make({noisy_step(32, 0), noisy_step(16, 1, {0, 0, 0, 8, 8})}); }),
             std::string("zoom flight: step 1 is 16x16 but step 0 is 32x32; every step must have the process size"));
    auto not_square = noisy_step(32, 1, {0, 0, 0, 8, 8});
    not_square.height = 16;
    not_square.rgb.resize(32 * 16 * 3);
    QCOMPARE(error_of([&] { make({noisy_step(32, 0), not_square}); }), std::string("zoom flight: step 1 is 32x16, not square"));
    auto short_buf = noisy_step(32, 1, {0, 0, 0, 8, 8});
    short_buf.rgb.pop_back();
    QCOMPARE(error_of([&] { make({noisy_step(32, 0), short_buf}); }),
             std::string("zoom flight: step 1 has 3071 bytes; 32x32 RGB needs 3072"));
    QCOMPARE(error_of([&] { make({noisy_step(32, 0), noisy_step(32, 1, {0, 0, 0, 8, 6})}); }),
             std::string("zoom flight: step 1's crop box (x=0, y=0, w=8, h=6) is not square"));
    QCOMPARE(error_of([&] { make({noisy_step(32, 0), noisy_step(32, 1, {0, 28, 0, 8, 8})}); }),
             std::string("zoom flight: step 1's crop box (x=28, y=0, w=8, h=8) does not fit inside step 0's 32x32 image"));
    QCOMPARE(error_of([&] { make({noisy_step(32, 0), noisy_step(32, 1, {1, 0, 0, 8, 8})}); }),
             std::string("zoom flight: step 1 is cropped from step 1; it must be an earlier step (0..0)"));
    QCOMPARE(error_of([&] { make({noisy_step(32, 0), noisy_step(32, 1, {0, 0, 0, 0, 0})}); }),
             std::string("zoom flight: step 1's crop box (x=0, y=0, w=0, h=0) is empty"));
    QCOMPARE(error_of([&] { make({noisy_step(32, 0), noisy_step(32, 1, {0, 0, 0, 32, 32})}); }),
             std::string("zoom flight: step 1's region is not smaller than step 0's; each step must zoom in"));
    // One-step boxes that do not nest: step 2's box lies outside step 1's.
    QCOMPARE(error_of([&] { make({noisy_step(64, 0), noisy_step(64, 1, {0, 0, 0, 16, 16}), noisy_step(64, 2, {0, 40, 40, 4, 4})}); }),
             std::string("zoom flight: step 2's crop box (x=40, y=40, w=4, h=4) in step 0 lies partly outside step 1's region; "
                         "the steps must nest"));
    FlightOptions o;
    o.fade = 1.5;
    QCOMPARE(error_of([&] { ZoomFlight f(recursive_chain(32, 1), o); }), std::string("zoom flight: the fade must be between 0 and 1"));

    const ZoomFlight f(recursive_chain(32, 1));
    QCOMPARE(error_of([&] { f.render(2, 0, 10); }),
             std::string("zoom flight: the frame size 0x10 is out of range (1..16384 on each side)"));
    QCOMPARE(error_of([&] { f.render(std::nan(""), 10, 10); }), std::string("zoom flight: the magnification must be a finite number"));
    std::vector<uint8_t> buf(30 * 10);
    QCOMPARE(error_of([&] { f.render(2, 10, 10, buf.data(), 20); }),
             std::string("zoom flight: the row stride 20 is shorter than a row (30 bytes)"));
    QCOMPARE(error_of([&] { f.step(2); }), std::string("zoom flight: no step 2 (the flight has steps 0..1)"));
    ZoomResult empty;
    QCOMPARE(error_of([&] { make_flight(empty); }), std::string("zoom flight: needs step 0 and at least one zoom step (got 0 images)"));
  }

#ifdef COZ_HAVE_VIDEOIO
  void videosReadBack_data() {
    QTest::addColumn<QString>("ext");
    QTest::addColumn<double>("min_psnr");
    QTest::newRow("mp4") << ".mp4" << 30.0;
    QTest::newRow("avi") << ".avi" << 30.0;
    QTest::newRow("gif") << ".gif" << 30.0;
  }
  void videosReadBack() {
    QFETCH(QString, ext);
    QFETCH(double, min_psnr);
    std::vector<FlightStep> steps{smooth_step(64, 0)};
    for (int k = 1; k <= 2; ++k) steps.push_back(smooth_step(64, k, {k - 1, 20, 12, 16, 16}));
    const ZoomFlight f(std::move(steps));
    QTemporaryDir tmp;
    const fs::path out = fs::path(tmp.path().toStdString()) / ("zoom" + ext.toStdString());
    io::VideoOptions o;
    o.fps = 12;
    o.seconds = 1;
    o.width = 160;
    o.height = 90;
    std::vector<int> progress;
    RunControl ctl;
    ctl.on_progress = [&](const Progress& p) {
      QCOMPARE(p.stage, Stage::VideoFrame);
      QCOMPARE(p.steps, 12);
      progress.push_back(p.step);
    };
    io::write_zoom_video(out, f, o, ctl);
    QCOMPARE(progress.size(), size_t(12));
    QCOMPARE(progress.front(), 1);
    QCOMPARE(progress.back(), 12);
    QCOMPARE(files_in(out.parent_path()), std::vector<std::string>{out.filename().string()});  // no temporary left

    cv::VideoCapture cap(out.string(), cv::CAP_FFMPEG);
    QVERIFY(cap.isOpened());
    if (ext == ".mp4") {
      const int fourcc = static_cast<int>(cap.get(cv::CAP_PROP_FOURCC));
      const std::string cc{char(fourcc & 255), char((fourcc >> 8) & 255), char((fourcc >> 16) & 255), char((fourcc >> 24) & 255)};
      QVERIFY2(cc == "avc1" || cc == "h264" || cc == "H264" || cc == "mp4v" || cc == "FMP4", cc.c_str());
    }
    std::vector<cv::Mat> frames;
    for (cv::Mat m; cap.read(m);) frames.push_back(m.clone());
    QCOMPARE(int(frames.size()), 12);
    for (const auto& m : frames) {
      QCOMPARE(m.cols, 160);
      QCOMPARE(m.rows, 90);
    }
    for (const int i : {0, 6, 11}) {
      const auto want = f.render(flight_magnification(i, 12, 2, Ease::InOut), 160, 90);
      cv::Mat bgr = frames[i];
      std::vector<uint8_t> got(want.size());
      for (int y = 0; y < 90; ++y)
        for (int x = 0; x < 160; ++x)
          for (int c = 0; c < 3; ++c) got[(y * 160 + x) * 3 + c] = bgr.at<cv::Vec3b>(y, x)[2 - c];
      const double p = psnr_u8(got.data(), want.data(), want.size());
      QVERIFY2(p > min_psnr, (ext.toStdString() + " frame " + std::to_string(i) + ": PSNR " + std::to_string(p)).c_str());
    }
  }
#endif

  void gifWorksWithoutAVideoEncoder() {
    // The .gif path is our own encoder: check its bytes directly (header, frames, loop, trailer).
    std::vector<FlightStep> steps{smooth_step(32, 0), smooth_step(32, 1, {0, 8, 8, 8, 8})};
    const ZoomFlight f(std::move(steps));
    QTemporaryDir tmp;
    const fs::path out = fs::path(tmp.path().toStdString()) / "z.GIF";
    io::VideoOptions o;
    o.fps = 10;
    o.seconds = 0.3;
    o.width = 33;
    o.height = 17;
    io::write_zoom_video(out, f, o);
    std::ifstream in(out, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    QCOMPARE(bytes.substr(0, 6), std::string("GIF89a"));
    QCOMPARE(uint8_t(bytes[6]) | uint8_t(bytes[7]) << 8, 33);
    QCOMPARE(uint8_t(bytes[8]) | uint8_t(bytes[9]) << 8, 17);
    QCOMPARE(uint8_t(bytes[10]), uint8_t(0x70));  // no global colour table
    // Walk the blocks: the loop extension, then per frame a control extension (delay) and an image
    // with its own 256-colour table and LZW data in sub-blocks, then the trailer.
    size_t p = 13;
    const auto skip_sub_blocks = [&] {
      while (p < bytes.size() && bytes[p] != 0) p += 1 + uint8_t(bytes[p]);
      ++p;
    };
    int frames = 0, loops = 0;
    std::vector<int> delays;
    while (p < bytes.size() && uint8_t(bytes[p]) != 0x3B) {
      const uint8_t kind = uint8_t(bytes[p]);
      if (kind == 0x21) {
        const uint8_t label = uint8_t(bytes[p + 1]);
        if (label == 0xF9) delays.push_back(uint8_t(bytes[p + 4]) | uint8_t(bytes[p + 5]) << 8);
        if (label == 0xFF && bytes.compare(p + 3, 11, "NETSCAPE2.0") == 0) ++loops;
        p += 2;
        skip_sub_blocks();
      } else if (kind == 0x2C) {
        QCOMPARE(uint8_t(bytes[p + 5]) | uint8_t(bytes[p + 6]) << 8, 33);
        QCOMPARE(uint8_t(bytes[p + 9]), uint8_t(0x87));
        p += 10 + 768;
        QCOMPARE(uint8_t(bytes[p]), uint8_t(8));  // LZW minimum code size
        ++p;
        skip_sub_blocks();
        ++frames;
      } else {
        QFAIL(("unexpected GIF block " + std::to_string(kind) + " at byte " + std::to_string(p)).c_str());
      }
    }
    QCOMPARE(p, bytes.size() - 1);  // the trailer ends the file
    QCOMPARE(loops, 1);
    QCOMPARE(frames, 3);
    QCOMPARE(delays, (std::vector<int>{10, 10, 10}));  // 1/10 s a frame
  }

  void videoCancelAndBadOptionsLeaveNoFile() {
    const ZoomFlight f(recursive_chain(32, 2));
    QTemporaryDir tmp;
    const fs::path dir(tmp.path().toStdString());
    io::VideoOptions o;
    o.fps = 10;
    o.seconds = 2;
    o.width = 64;
    o.height = 48;
    for (const char* name : {"c.gif", "c.avi", "c.mp4"}) {
#ifndef COZ_HAVE_VIDEOIO
      if (std::string(name) != "c.gif") continue;
#endif
      std::atomic<bool> cancel{false};
      RunControl ctl;
      ctl.cancel = &cancel;
      int last = 0;
      ctl.on_progress = [&](const Progress& p) {
        last = p.step;
        if (p.step == 4) cancel = true;
      };
      QVERIFY_THROWS_EXCEPTION(Cancelled, io::write_zoom_video(dir / name, f, o, ctl));
      QCOMPARE(last, 4);
      QVERIFY2(files_in(dir).empty(), name);
    }
    // A file already there survives a cancelled write unchanged.
    {
      std::ofstream(dir / "keep.gif") << "old";
      std::atomic<bool> cancel{false};
      RunControl ctl;
      ctl.cancel = &cancel;
      ctl.on_progress = [&](const Progress& p) { cancel = p.step == 2; };
      QVERIFY_THROWS_EXCEPTION(Cancelled, io::write_zoom_video(dir / "keep.gif", f, o, ctl));
      std::ifstream in(dir / "keep.gif");
      std::string s;
      in >> s;
      QCOMPARE(s, std::string("old"));
      fs::remove(dir / "keep.gif");
    }
    const std::string p = (dir / "v").string();
    QCOMPARE(error_of([&] { io::write_zoom_video(p + ".webm", f, o); }),
             "cannot write the video " + p + ".webm: unknown type '.webm'; use .mp4, .avi or .gif");
    QCOMPARE(error_of([&] { io::write_zoom_video(p, f, o); }),
             "cannot write the video " + p + ": it has no extension; use .mp4, .avi or .gif");
    io::VideoOptions odd = o;
    odd.width = 65;
    QCOMPARE(error_of([&] { io::write_zoom_video(p + ".mp4", f, odd); }),
             "cannot write the video " + p + ".mp4: an .mp4 video needs an even width and height (got 65x48)");
    io::VideoOptions fast = o;
    fast.fps = 60;
    QCOMPARE(error_of([&] { io::write_zoom_video(p + ".gif", f, fast); }),
             "cannot write the video " + p + ".gif: the frame rate must be between 1 and 50 fps for a .gif "
             "(its frame delays are in 1/100 s) (got 60)");
    io::VideoOptions brief = o;
    brief.seconds = 0.1;
    QCOMPARE(error_of([&] { io::write_zoom_video(p + ".avi", f, brief); }),
             "cannot write the video " + p + ".avi: a video of 0.1 s at 10 fps has 1 frame(s); a flight needs at least 2: "
             "make it longer or raise the frame rate");
    io::VideoOptions tiny = o;
    tiny.height = 8;
    QCOMPARE(error_of([&] { io::write_zoom_video(p + ".gif", f, tiny); }),
             "cannot write the video " + p + ".gif: the video size 64x8 is out of range (16..8192 pixels on each side)");
    QCOMPARE(error_of([&] { io::write_zoom_video(dir / "no" / "v.gif", f, o); }),
             "cannot write the video " + (dir / "no" / "v.gif").string() + ": the folder " + (dir / "no").string() +
                 " does not exist; create it first");
    QCOMPARE(io::video_frame_count(o, ".MP4"), 20);
    QVERIFY(files_in(dir).empty());
  }

  void runFolderLoadsBack() {
    const ZoomRequest q = zoom_request(Recursion::Recursive, "bicubic", 2);
    const ZoomResult res = engine_.zoom(q, {});
    QTemporaryDir tmp;
    const fs::path dir = fs::path(tmp.path().toStdString()) / "run";
    io::export_zoom(dir, q, res, {});
    const ZoomFlight f = io::load_flight(dir);
    QCOMPARE(f.steps(), 2);
    for (int k = 0; k <= 2; ++k) QVERIFY(f.render(pow4(k), 32, 32) == u8_of(res.steps[k].output));
    const ZoomFlight direct = make_flight(res);
    QVERIFY(f.render(7.3, 50, 30) == direct.render(7.3, 50, 30));

    QCOMPARE(error_of([&] { io::load_flight(dir / "none"); }), "cannot read the zoom run " + (dir / "none").string() + ": no such folder");
    const fs::path json = dir / "steps.json";
    // A step image of the wrong size, then a missing one: the error names the file.
    Image small;
    small.rgb = test::test_pattern(16, 16);
    io::write_image((dir / "step_1.png").string(), small);
    QCOMPARE(error_of([&] { io::load_flight(dir); }),
             (dir / "step_1.png").string() + " is 16x16, but the run's steps are 32x32 (" + json.string() + ")");
    fs::remove(dir / "step_1.png");
    const std::string missing = error_of([&] { io::load_flight(dir); });
    QVERIFY2(missing.find((dir / "step_1.png").string()) != std::string::npos && missing.find("no such file") != std::string::npos, missing.c_str());
    fs::remove(json);
    QCOMPARE(error_of([&] { io::load_flight(dir); }),
             json.string() + " is missing: give the folder a zoom run was exported to (steps.json, step_0.png, ...)");
    std::ofstream(json) << "{\"format\": \"coz-steps\", \"format_version\": 1, \"steps\": [{\"step\": 0, \"file\": \"step_0.png\"}]}";
    QCOMPARE(error_of([&] { io::load_flight(dir); }),
             json.string() + " records 1 step image(s); a flight needs step 0 and at least one zoom step");
    std::ofstream(json) << "{\"format\": \"other\"}";
    QCOMPARE(error_of([&] { io::load_flight(dir); }), json.string() + " is not a zoom run's record (its \"format\" is not \"coz-steps\")");
  }
};

QTEST_GUILESS_MAIN(TestZoomFlight)
#include "test_zoom_flight.moc"
