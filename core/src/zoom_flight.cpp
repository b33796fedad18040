// The zoom flight (coz/zoom_flight.h): region geometry, per-step mip pyramids and the row renderer.
// Standard library only; 8-bit fixed-point arithmetic so the frame at m = 4^k, P x P, is step k's
// image byte for byte, and a fade between two flat colours never overshoots.
#include "coz/zoom_flight.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

#include "coz/error.h"

namespace coz {
namespace {

constexpr int kMaxFrameSide = 16384;

std::string box_text(const FlightCrop& c) {
  std::ostringstream o;
  o << "(x=" << c.x << ", y=" << c.y << ", w=" << c.w << ", h=" << c.h << ")";
  return o.str();
}

// One level of a step's mip pyramid: w x h packed RGB.
struct Level {
  int w = 0, h = 0;
  const uint8_t* px = nullptr;  // level 0 points at the step's own buffer
  std::vector<uint8_t> own;
};

// 2x box filter (the last column/row repeats where the size is odd).
void halve(const Level& in, Level& out) {
  out.w = (in.w + 1) / 2;
  out.h = (in.h + 1) / 2;
  out.own.resize(static_cast<size_t>(out.w) * out.h * 3);
  for (int y = 0; y < out.h; ++y) {
    const uint8_t* r0 = in.px + static_cast<size_t>(2 * y) * in.w * 3;
    const uint8_t* r1 = in.px + static_cast<size_t>(std::min(2 * y + 1, in.h - 1)) * in.w * 3;
    uint8_t* o = out.own.data() + static_cast<size_t>(y) * out.w * 3;
    for (int x = 0; x < out.w; ++x) {
      const int a = 2 * x * 3, b = std::min(2 * x + 1, in.w - 1) * 3;
      for (int c = 0; c < 3; ++c) o[x * 3 + c] = static_cast<uint8_t>((r0[a + c] + r0[b + c] + r1[a + c] + r1[b + c] + 2) >> 2);
    }
  }
  out.px = out.own.data();
}

// Square region in step-0 pixels.
struct Region {
  double x = 0, y = 0, s = 0;
};

// A small persistent pool: run() splits [0, rows) into chunks over the workers and the caller.
class RowPool {
 public:
  using Fn = void (*)(void* ctx, int thread, int row0, int row1);
  explicit RowPool(int helpers) {
    for (int i = 0; i < helpers; ++i) threads_.emplace_back([this, i] { loop(i + 1); });
  }
  ~RowPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }
  int threads() const { return static_cast<int>(threads_.size()) + 1; }

  void run(int rows, int chunk, Fn fn, void* ctx) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      fn_ = fn;
      ctx_ = ctx;
      rows_ = rows;
      chunk_ = chunk;
      next_.store(0);
      busy_ = static_cast<int>(threads_.size());
      ++generation_;
    }
    wake_.notify_all();
    work(0);
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [this] { return busy_ == 0; });
    fn_ = nullptr;
  }

 private:
  void work(int thread) {
    for (;;) {
      const int r0 = next_.fetch_add(chunk_);
      if (r0 >= rows_) return;
      fn_(ctx_, thread, r0, std::min(rows_, r0 + chunk_));
    }
  }
  void loop(int thread) {
    uint64_t seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
      }
      work(thread);
      std::lock_guard<std::mutex> lock(mu_);
      if (--busy_ == 0) done_.notify_one();
    }
  }

  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable wake_, done_;
  Fn fn_ = nullptr;
  void* ctx_ = nullptr;
  int rows_ = 0, chunk_ = 1, busy_ = 0;
  std::atomic<int> next_{0};
  uint64_t generation_ = 0;
  bool stop_ = false;
};

// Sampling tables of one step image for one frame: bilinear taps per output column and row.
struct Layer {
  const Level* lv = nullptr;
  std::vector<int> xs0, xs1, yr0, yr1;  // per output column: byte offsets of the taps in a level row;
                                        // per output row: the two level rows
  std::vector<uint16_t> wx, wy;         // weight of the second tap, 0..255 (of 256)
};

// The two horizontally filtered level rows a thread holds, so consecutive output rows reuse them.
struct RowCache {
  int key[2] = {-1, -1};
  uint16_t* buf[2] = {nullptr, nullptr};
};

// Horizontal pass of level row `row` over output columns [c0, c1) into buf (x256, 3 per column).
void filter_row(const Layer& L, int row, int c0, int c1, uint16_t* buf) {
  const uint8_t* r = L.lv->px + static_cast<size_t>(row) * L.lv->w * 3;
  for (int i = c0; i < c1; ++i) {
    const uint8_t* p = r + L.xs0[i];
    const uint8_t* q = r + L.xs1[i];
    const uint32_t w1 = L.wx[i], w0 = 256 - w1;
    uint16_t* o = buf + i * 3;
    o[0] = static_cast<uint16_t>(p[0] * w0 + q[0] * w1);
    o[1] = static_cast<uint16_t>(p[1] * w0 + q[1] * w1);
    o[2] = static_cast<uint16_t>(p[2] * w0 + q[2] * w1);
  }
}

// The filtered rows output row y blends (h0 above, h1 below), from the cache or filtered now.
void row_pair(const Layer& L, int y, int c0, int c1, RowCache& rc, const uint16_t*& h0, const uint16_t*& h1) {
  const int r0 = L.yr0[y], r1 = L.yr1[y];
  int s0 = rc.key[0] == r0 ? 0 : rc.key[1] == r0 ? 1 : -1;
  if (s0 < 0) {
    s0 = rc.key[0] == r1 ? 1 : 0;
    filter_row(L, r0, c0, c1, rc.buf[s0]);
    rc.key[s0] = r0;
  }
  int s1 = rc.key[0] == r1 ? 0 : rc.key[1] == r1 ? 1 : -1;
  if (s1 < 0) {
    s1 = 1 - s0;
    filter_row(L, r1, c0, c1, rc.buf[s1]);
    rc.key[s1] = r1;
  }
  h0 = rc.buf[s0];
  h1 = rc.buf[s1];
}

// Integer tap and 8-bit weight of position u (pixel-centre coordinates of an n-pixel axis).
inline void tap(double u, int n, int& i0, int& i1, uint16_t& w) {
  double f = std::floor(u);
  int wi = static_cast<int>(std::lround((u - f) * 256.0));
  if (wi >= 256) {
    wi = 0;
    f += 1;
  }
  const int i = static_cast<int>(std::clamp(f, -1.0, static_cast<double>(n)));
  i0 = std::clamp(i, 0, n - 1);
  i1 = std::clamp(i + 1, 0, n - 1);
  w = static_cast<uint16_t>(wi);
}

double smoothstep(double u) {
  u = std::clamp(u, 0.0, 1.0);
  return u * u * (3 - 2 * u);
}

}  // namespace

struct ZoomFlight::Impl {
  std::vector<FlightStep> steps;
  FlightOptions opt;
  int P = 0, N = 0;
  std::vector<Region> regions;
  std::vector<double> pow4;                 // 4^k, exact
  std::vector<std::vector<Level>> pyramids;  // per step, level 0 = the image

  // Per-frame state, reused between frames (render holds mu).
  std::mutex mu;
  std::unique_ptr<RowPool> pool;
  Layer base, fine;
  std::vector<uint16_t> ax3, ay;             // fade alpha (of 256) per output value (x3) / row
  std::vector<std::vector<uint16_t>> rowbuf;  // per thread: 2 + 2 horizontally filtered rows

  // The segment of magnification m: step k and the log4 fraction s in [0,1) towards step k+1;
  // k == N (s == 0) at the end of the flight.
  void segment(double m, int& k, double& s) const {
    if (!std::isfinite(m)) throw InvalidInput("zoom flight: the magnification must be a finite number");
    m = std::clamp(m, 1.0, pow4[N]);
    if (m >= pow4[N]) {
      k = N;
      s = 0;
      return;
    }
    k = 0;
    while (k + 1 < N && m >= pow4[k + 1]) ++k;
    s = std::clamp(std::log(m / pow4[k]) / std::log(4.0), 0.0, 1.0);
  }

  Region window_of(int k, double s) const {
    if (k >= N || s <= 0) return regions[k];
    const Region& a = regions[k];
    const Region& b = regions[k + 1];
    // The similarity about the fixed point F that maps a onto b, at power s: the window is the
    // convex combination (1-lam)*a + lam*b of the two squares.
    const double r = b.s / a.s, rho = std::pow(r, s), lam = (1 - rho) / (1 - r);
    return {a.x + lam * (b.x - a.x), a.y + lam * (b.y - a.y), a.s + lam * (b.s - a.s)};
  }

  static FlightRect cover(const Region& w, int width, int height) {
    if (width >= height) {
      const double h = w.s * height / width;
      return {w.x, w.y + (w.s - h) / 2, w.s, h};
    }
    const double ww = w.s * width / height;
    return {w.x + (w.s - ww) / 2, w.y, ww, w.s};
  }

  // Fills `L` for step j over output columns [c0, c1) (all rows) of the view `v` (d px a pixel).
  void setup_layer(Layer& L, int j, const FlightRect& v, double d, int width, int height, int c0, int c1) const {
    const Region& R = regions[j];
    const double to_img = P / R.s;  // step-0 pixels -> step j pixels
    const double dj = d * to_img;
    const auto& pyr = pyramids[j];
    int level = dj > 0 ? static_cast<int>(std::ceil(std::log2(dj) - 0.2)) : 0;
    level = std::clamp(level, 0, static_cast<int>(pyr.size()) - 1);
    L.lv = &pyr[level];
    const double f = to_img / static_cast<double>(1 << level);
    L.xs0.resize(width);
    L.xs1.resize(width);
    L.wx.resize(width);
    L.yr0.resize(height);
    L.yr1.resize(height);
    L.wy.resize(height);
    for (int i = c0; i < c1; ++i) {
      int a, b;
      tap((v.x + (i + 0.5) * d - R.x) * f - 0.5, L.lv->w, a, b, L.wx[i]);
      L.xs0[i] = a * 3;
      L.xs1[i] = b * 3;
    }
    for (int y = 0; y < height; ++y) tap((v.y + (y + 0.5) * d - R.y) * f - 0.5, L.lv->h, L.yr0[y], L.yr1[y], L.wy[y]);
  }

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  // The same rows compiled for AVX2 (8 lanes of the 32-bit arithmetic instead of SSE2's emulated 4),
  // chosen at run time where the CPU has it.
  __attribute__((target("avx2"), flatten)) void rows_avx2(int thread, int y0, int y1) { rows(thread, y0, y1); }
  static bool has_avx2() {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
  }
#else
  void rows_avx2(int thread, int y0, int y1) { rows(thread, y0, y1); }
  static bool has_avx2() { return false; }
#endif

  // The frame being rendered: rows [y0, y1) on thread `thread`.
  uint8_t* out = nullptr;
  std::ptrdiff_t stride = 0;
  int width = 0, fc0 = 0, fc1 = 0;  // the finer step shows in output columns [fc0, fc1)
  void rows(int thread, int y0, int y1) {
    // Locals only in the inner loops: the output bytes may alias anything.
    const size_t n = static_cast<size_t>(width) * 3, j0 = static_cast<size_t>(fc0) * 3, j1 = static_cast<size_t>(fc1) * 3;
    const std::ptrdiff_t step = stride;
    uint8_t* const frame = out;
    const uint16_t* const alpha = ax3.data();
    uint16_t* t = rowbuf[thread].data();
    RowCache bc, fc;
    bc.buf[0] = t;
    bc.buf[1] = t + n;
    fc.buf[0] = t + 2 * n;
    fc.buf[1] = t + 3 * n;
    for (int y = y0; y < y1; ++y) {
      uint8_t* o = frame + static_cast<std::ptrdiff_t>(y) * step;
      const uint16_t *h0, *h1, *g0 = nullptr, *g1 = nullptr;
      row_pair(base, y, 0, width, bc, h0, h1);
      const uint32_t v1 = base.wy[y], v0 = 256 - v1;
      const bool blend = j1 > j0 && ay[y] > 0;
      const size_t b0 = blend ? j0 : n, b1 = blend ? j1 : n;
      for (size_t j = 0; j < b0; ++j) o[j] = static_cast<uint8_t>((h0[j] * v0 + h1[j] * v1 + 32768) >> 16);
      for (size_t j = b1; j < n; ++j) o[j] = static_cast<uint8_t>((h0[j] * v0 + h1[j] * v1 + 32768) >> 16);
      if (!blend) continue;
      const uint32_t ayv = ay[y];
      row_pair(fine, y, fc0, fc1, fc, g0, g1);
      const uint32_t f1 = fine.wy[y], f0 = 256 - f1;
      for (size_t j = j0; j < j1; ++j) {
        const uint32_t bv = (h0[j] * v0 + h1[j] * v1 + 32768) >> 16;
        const uint32_t fv = (g0[j] * f0 + g1[j] * f1 + 32768) >> 16;
        const uint32_t al = std::min<uint32_t>(alpha[j], ayv);
        o[j] = static_cast<uint8_t>((bv * (256 - al) + fv * al + 128) >> 8);
      }
    }
  }
};

ZoomFlight::ZoomFlight(std::vector<FlightStep> steps, const FlightOptions& opt) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  if (steps.size() < 2)
    throw InvalidInput("zoom flight: needs step 0 and at least one zoom step (got " + std::to_string(steps.size()) +
                       " image" + (steps.size() == 1 ? "" : "s") + ")");
  if (steps.size() > 31) throw InvalidInput("zoom flight: at most 30 zoom steps (got " + std::to_string(steps.size() - 1) + ")");
  if (!(opt.fade >= 0 && opt.fade <= 1)) throw InvalidInput("zoom flight: the fade must be between 0 and 1");
  if (!(opt.feather >= 0 && opt.feather <= 1)) throw InvalidInput("zoom flight: the feather must be between 0 and 1");
  m.opt = opt;
  m.N = static_cast<int>(steps.size()) - 1;
  m.P = steps[0].width;
  const int P = m.P;
  for (size_t k = 0; k < steps.size(); ++k) {
    const FlightStep& s = steps[k];
    const std::string name = "zoom flight: step " + std::to_string(k);
    if (s.width < 1 || s.height < 1 || s.width > kMaxFrameSide || s.height > kMaxFrameSide)
      throw InvalidInput(name + " has an invalid size " + std::to_string(s.width) + "x" + std::to_string(s.height));
    if (s.width != s.height) throw InvalidInput(name + " is " + std::to_string(s.width) + "x" + std::to_string(s.height) + ", not square");
    if (s.width != P)
      throw InvalidInput(name + " is " + std::to_string(s.width) + "x" + std::to_string(s.height) + " but step 0 is " +
                         std::to_string(P) + "x" + std::to_string(P) + "; every step must have the process size");
    if (s.rgb.size() != static_cast<size_t>(P) * P * 3)
      throw InvalidInput(name + " has " + std::to_string(s.rgb.size()) + " bytes; " + std::to_string(P) + "x" + std::to_string(P) +
                         " RGB needs " + std::to_string(static_cast<size_t>(P) * P * 3));
  }
  m.regions.push_back({0, 0, static_cast<double>(P)});
  m.pow4.push_back(1);
  for (int k = 1; k <= m.N; ++k) {
    const FlightCrop& c = steps[k].crop;
    const std::string name = "zoom flight: step " + std::to_string(k);
    if (c.source_step < 0 || c.source_step >= k)
      throw InvalidInput(name + " is cropped from step " + std::to_string(c.source_step) + "; it must be an earlier step (0.." +
                         std::to_string(k - 1) + ")");
    if (c.w < 1 || c.h < 1) throw InvalidInput(name + "'s crop box " + box_text(c) + " is empty");
    if (c.w != c.h) throw InvalidInput(name + "'s crop box " + box_text(c) + " is not square");
    if (c.x < 0 || c.y < 0 || c.x + c.w > P || c.y + c.h > P)
      throw InvalidInput(name + "'s crop box " + box_text(c) + " does not fit inside step " + std::to_string(c.source_step) +
                         "'s " + std::to_string(P) + "x" + std::to_string(P) + " image");
    const Region& src = m.regions[c.source_step];
    const double f = src.s / P;
    const Region r{src.x + c.x * f, src.y + c.y * f, c.w * f};
    const Region& prev = m.regions[k - 1];
    const double eps = 1e-9 * P;
    if (!(r.s < prev.s - eps))
      throw InvalidInput(name + "'s region is not smaller than step " + std::to_string(k - 1) + "'s; each step must zoom in");
    if (r.x < prev.x - eps || r.y < prev.y - eps || r.x + r.s > prev.x + prev.s + eps || r.y + r.s > prev.y + prev.s + eps)
      throw InvalidInput(name + "'s crop box " + box_text(c) + " in step " + std::to_string(c.source_step) +
                         " lies partly outside step " + std::to_string(k - 1) + "'s region; the steps must nest");
    m.regions.push_back(r);
    m.pow4.push_back(m.pow4.back() * 4);
  }
  m.steps = std::move(steps);
  for (const FlightStep& s : m.steps) {
    std::vector<Level> pyr(1);
    pyr[0].w = pyr[0].h = P;
    pyr[0].px = s.rgb.data();
    while (pyr.back().w > 1) {
      Level next;
      halve(pyr.back(), next);
      pyr.push_back(std::move(next));
    }
    m.pyramids.push_back(std::move(pyr));
  }
}

ZoomFlight::~ZoomFlight() = default;
ZoomFlight::ZoomFlight(ZoomFlight&&) noexcept = default;
ZoomFlight& ZoomFlight::operator=(ZoomFlight&&) noexcept = default;

int ZoomFlight::steps() const { return impl_->N; }
int ZoomFlight::process_size() const { return impl_->P; }
double ZoomFlight::max_magnification() const { return impl_->pow4[impl_->N]; }
const FlightOptions& ZoomFlight::options() const { return impl_->opt; }

const FlightStep& ZoomFlight::step(int k) const {
  if (k < 0 || k > impl_->N)
    throw InvalidInput("zoom flight: no step " + std::to_string(k) + " (the flight has steps 0.." + std::to_string(impl_->N) + ")");
  return impl_->steps[k];
}

FlightRect ZoomFlight::region(int k) const {
  step(k);  // validates k
  const Region& r = impl_->regions[k];
  return {r.x, r.y, r.s, r.s};
}

FlightRect ZoomFlight::window(double m) const {
  int k;
  double s;
  impl_->segment(m, k, s);
  const Region w = impl_->window_of(k, s);
  return {w.x, w.y, w.s, w.s};
}

FlightRect ZoomFlight::view(double m, int width, int height) const {
  if (width < 1 || height < 1 || width > kMaxFrameSide || height > kMaxFrameSide)
    throw InvalidInput("zoom flight: the frame size " + std::to_string(width) + "x" + std::to_string(height) +
                       " is out of range (1..16384 on each side)");
  int k;
  double s;
  impl_->segment(m, k, s);
  return Impl::cover(impl_->window_of(k, s), width, height);
}

std::vector<uint8_t> ZoomFlight::render(double m, int width, int height) const {
  view(m, width, height);  // validates before allocating
  std::vector<uint8_t> out(static_cast<size_t>(width) * height * 3);
  render(m, width, height, out.data(), 0);
  return out;
}

void ZoomFlight::render(double mag, int width, int height, uint8_t* rgb, std::ptrdiff_t stride) const {
  Impl& m = *impl_;
  const FlightRect v = view(mag, width, height);
  if (!rgb) throw InvalidInput("zoom flight: no output buffer");
  if (stride == 0) stride = static_cast<std::ptrdiff_t>(width) * 3;
  if (stride < static_cast<std::ptrdiff_t>(width) * 3)
    throw InvalidInput("zoom flight: the row stride " + std::to_string(stride) + " is shorter than a row (" +
                       std::to_string(width * 3) + " bytes)");
  int k;
  double s;
  m.segment(mag, k, s);
  const Region win = m.window_of(k, s);
  const double d = v.w / width;  // step-0 pixels per output pixel

  // The finer step's weight: segment alpha x feather from its region's edge (in window units).
  double aseg = 0, feather_w = 0;
  if (k < m.N && m.opt.fade > 0) {
    const double u = (s - (1 - m.opt.fade)) / m.opt.fade;
    aseg = smoothstep(u);
    feather_w = m.opt.feather * (1 - std::clamp(u, 0.0, 1.0));
  }

  std::lock_guard<std::mutex> lock(m.mu);
  if (!m.pool) {
    const unsigned hw = std::thread::hardware_concurrency();
    m.pool = std::make_unique<RowPool>(static_cast<int>(std::clamp(hw, 1u, 8u)) - 1);
    m.rowbuf.resize(m.pool->threads());
  }
  m.setup_layer(m.base, k, v, d, width, height, 0, width);
  int fc0 = 0, fc1 = 0;  // output columns where the finer step shows
  const bool fading = aseg > 0;
  if (fading) {
    const Region& R = m.regions[k + 1];
    const auto alpha = [&](double p, double lo) {
      const double dist = std::min(p - lo, lo + R.s - p) / win.s;
      const double f = dist <= 0 ? 0.0 : feather_w <= 0 ? 1.0 : std::min(1.0, dist / feather_w);
      return static_cast<uint16_t>(std::lround(256.0 * aseg * f));
    };
    m.ax3.resize(static_cast<size_t>(width) * 3);
    m.ay.resize(height);
    fc0 = width;
    for (int i = 0; i < width; ++i) {
      const uint16_t a = alpha(v.x + (i + 0.5) * d, R.x);
      m.ax3[i * 3] = m.ax3[i * 3 + 1] = m.ax3[i * 3 + 2] = a;
      if (a > 0) {
        fc0 = std::min(fc0, i);
        fc1 = i + 1;
      }
    }
    for (int y = 0; y < height; ++y) m.ay[y] = alpha(v.y + (y + 0.5) * d, R.y);
    if (fc1 > fc0) m.setup_layer(m.fine, k + 1, v, d, width, height, fc0, fc1);
  }
  for (auto& b : m.rowbuf)
    if (b.size() < static_cast<size_t>(width) * 12) b.resize(static_cast<size_t>(width) * 12);

  m.out = rgb;
  m.stride = stride;
  m.width = width;
  m.fc0 = fc0;
  m.fc1 = fc1;
  // Few large chunks: each one starts with two freshly filtered rows.
  const int chunk = std::max(16, (height + 4 * m.pool->threads() - 1) / (4 * m.pool->threads()));
  static const bool avx2 = Impl::has_avx2();
  if (avx2)
    m.pool->run(height, chunk, [](void* ctx, int thread, int y0, int y1) { static_cast<Impl*>(ctx)->rows_avx2(thread, y0, y1); }, &m);
  else
    m.pool->run(height, chunk, [](void* ctx, int thread, int y0, int y1) { static_cast<Impl*>(ctx)->rows(thread, y0, y1); }, &m);
}

Ease parse_ease(const std::string& s) {
  if (s == "linear") return Ease::Linear;
  if (s == "in-out" || s == "inout" || s == "in_out") return Ease::InOut;
  throw InvalidInput("unknown ease '" + s + "': use linear or in-out");
}

const char* ease_name(Ease e) {
  switch (e) {
    case Ease::Linear: return "linear";
    case Ease::InOut: return "in-out";
  }
  return "?";
}

double flight_progress(int frame, int frames, Ease ease) {
  if (frames < 2) throw InvalidInput("a flight needs at least 2 frames (got " + std::to_string(frames) + ")");
  if (frame < 0 || frame >= frames)
    throw InvalidInput("frame " + std::to_string(frame) + " is outside the flight's frames 0.." + std::to_string(frames - 1));
  const double u = static_cast<double>(frame) / (frames - 1);
  return ease == Ease::InOut ? smoothstep(u) : u;
}

double flight_magnification(int frame, int frames, int steps, Ease ease) {
  if (steps < 0 || steps > 30) throw InvalidInput("a flight has 0..30 zoom steps (got " + std::to_string(steps) + ")");
  return std::pow(4.0, steps * flight_progress(frame, frames, ease));
}

}  // namespace coz
