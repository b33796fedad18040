// Follows Pillow's libImaging/Resample.c (precompute_coeffs, normalize_coeffs_8bpc,
// ImagingResampleHorizontal/Vertical_8bpc) and Geometry.c (ImagingScaleAffine for NEAREST).
#include "coz/resample.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "coz/error.h"

namespace coz {
namespace {

constexpr int kPrecisionBits = 32 - 8 - 2;

double bicubic_filter(double x) {
  constexpr double a = -0.5;
  if (x < 0.0) x = -x;
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}

double sinc_filter(double x) {
  if (x == 0.0) return 1.0;
  x = x * M_PI;
  return std::sin(x) / x;
}

double lanczos_filter(double x) {
  if (-3.0 <= x && x < 3.0) return sinc_filter(x) * sinc_filter(x / 3);
  return 0.0;
}

struct Coeffs {
  int ksize = 0;
  std::vector<int> xmin, xcount;  // per output pixel
  std::vector<double> k;          // out_size * ksize, normalised
};

// All in double, as Pillow does (verified bit-exact against Pillow 9.4 in test_resample).
Coeffs precompute(int in_size, int out_size, Filter f) {
  const double support0 = f == Filter::Lanczos ? 3.0 : 2.0;
  double (*filter)(double) = f == Filter::Lanczos ? lanczos_filter : bicubic_filter;
  const float in0 = 0.0f, in1 = static_cast<float>(in_size);
  const double scale = static_cast<double>(in1 - in0) / out_size;
  double filterscale = scale < 1.0 ? 1.0 : scale;
  const double support = support0 * filterscale;
  Coeffs c;
  c.ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
  c.xmin.resize(out_size);
  c.xcount.resize(out_size);
  c.k.assign(static_cast<size_t>(out_size) * c.ksize, 0.0);
  for (int xx = 0; xx < out_size; ++xx) {
    const double center = in0 + (xx + 0.5) * scale;
    const double ss = 1.0 / filterscale;
    int xmin = static_cast<int>(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    int xmax = static_cast<int>(center + support + 0.5);
    if (xmax > in_size) xmax = in_size;
    xmax -= xmin;
    double* k = &c.k[static_cast<size_t>(xx) * c.ksize];
    double ww = 0.0;
    for (int x = 0; x < xmax; ++x) {
      const double w = filter((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    for (int x = 0; x < xmax; ++x)
      if (ww != 0.0) k[x] /= ww;
    c.xmin[xx] = xmin;
    c.xcount[xx] = xmax;
  }
  return c;
}

std::vector<int32_t> fixed_point(const Coeffs& c) {
  std::vector<int32_t> out(c.k.size());
  for (size_t i = 0; i < c.k.size(); ++i) {
    const double v = c.k[i] * (1 << kPrecisionBits);
    out[i] = c.k[i] < 0 ? static_cast<int32_t>(-0.5 + v) : static_cast<int32_t>(0.5 + v);
  }
  return out;
}

inline uint8_t clip8(int32_t in) {
  if (in >= (1 << kPrecisionBits << 8)) return 255;
  if (in <= 0) return 0;
  return static_cast<uint8_t>(in >> kPrecisionBits);
}

// Horizontal pass over a [H,W,C] uint8 image.
torch::Tensor horizontal_u8(const torch::Tensor& in, int out_w, const Coeffs& c) {
  const int64_t h = in.size(0), w = in.size(1), ch = in.size(2);
  const auto kk = fixed_point(c);
  auto out = torch::empty({h, out_w, ch}, torch::kUInt8);
  const uint8_t* src = in.data_ptr<uint8_t>();
  uint8_t* dst = out.data_ptr<uint8_t>();
  for (int64_t y = 0; y < h; ++y) {
    const uint8_t* row = src + y * w * ch;
    uint8_t* orow = dst + y * out_w * ch;
    for (int xx = 0; xx < out_w; ++xx) {
      const int32_t* k = &kk[static_cast<size_t>(xx) * c.ksize];
      const int xmin = c.xmin[xx], n = c.xcount[xx];
      for (int64_t b = 0; b < ch; ++b) {
        int32_t ss = 1 << (kPrecisionBits - 1);
        for (int x = 0; x < n; ++x) ss += row[(x + xmin) * ch + b] * k[x];
        orow[xx * ch + b] = clip8(ss);
      }
    }
  }
  return out;
}

torch::Tensor vertical_u8(const torch::Tensor& in, int out_h, const Coeffs& c) {
  const int64_t w = in.size(1), ch = in.size(2);
  const auto kk = fixed_point(c);
  auto out = torch::empty({out_h, w, ch}, torch::kUInt8);
  const uint8_t* src = in.data_ptr<uint8_t>();
  uint8_t* dst = out.data_ptr<uint8_t>();
  const int64_t stride = w * ch;
  for (int yy = 0; yy < out_h; ++yy) {
    const int32_t* k = &kk[static_cast<size_t>(yy) * c.ksize];
    const int ymin = c.xmin[yy], n = c.xcount[yy];
    uint8_t* orow = dst + yy * stride;
    for (int64_t i = 0; i < stride; ++i) {
      int32_t ss = 1 << (kPrecisionBits - 1);
      for (int y = 0; y < n; ++y) ss += src[(y + ymin) * stride + i] * k[y];
      orow[i] = clip8(ss);
    }
  }
  return out;
}

// ImagingScaleAffine: positions accumulate in double, COORD truncates (negative -> -1).
std::vector<int> nearest_table(int in_size, int out_size) {
  const double a0 = static_cast<double>(in_size) / out_size;
  double xo = a0 * 0.5;
  std::vector<int> tab(out_size);
  for (int x = 0; x < out_size; ++x) {
    int xin = xo < 0.0 ? -1 : static_cast<int>(xo);
    tab[x] = std::clamp(xin, 0, in_size - 1);
    xo += a0;
  }
  return tab;
}

void check_u8(const torch::Tensor& t, int out_w, int out_h) {
  if (t.dim() != 3 || t.scalar_type() != torch::kUInt8)
    throw InvalidInput("resample: expected a [H,W,C] uint8 image");
  if (t.size(0) < 1 || t.size(1) < 1 || out_w < 1 || out_h < 1)
    throw InvalidInput("resample: sizes must be at least 1x1 (got " + std::to_string(t.size(1)) +
                       "x" + std::to_string(t.size(0)) + " -> " + std::to_string(out_w) + "x" +
                       std::to_string(out_h) + ")");
}

// Taps of a float resample along one axis: indices [out,ksize] and weights [out,ksize].
void taps(int in_size, int out_size, Filter f, torch::Tensor& idx, torch::Tensor& w) {
  if (f == Filter::Nearest) {
    idx = torch::tensor(nearest_table(in_size, out_size), torch::kLong).unsqueeze(1);
    w = torch::ones({out_size, 1}, torch::kFloat32);
    return;
  }
  Coeffs c = precompute(in_size, out_size, f);
  idx = torch::zeros({out_size, c.ksize}, torch::kLong);
  w = torch::zeros({out_size, c.ksize}, torch::kFloat64);
  auto ia = idx.accessor<int64_t, 2>();
  auto wa = w.accessor<double, 2>();
  for (int i = 0; i < out_size; ++i)
    for (int x = 0; x < c.ksize; ++x) {
      ia[i][x] = std::min(c.xmin[i] + x, in_size - 1);
      wa[i][x] = x < c.xcount[i] ? c.k[static_cast<size_t>(i) * c.ksize + x] : 0.0;
    }
  w = w.to(torch::kFloat32);
}

// Resamples `x` along `dim` (2 = rows, 3 = columns), in strips over the other axis so the
// temporaries stay a strip in size.
torch::Tensor resample_axis(const torch::Tensor& x, int64_t dim, int out_size, Filter f) {
  torch::Tensor idx, w;
  taps(static_cast<int>(x.size(dim)), out_size, f, idx, w);
  idx = idx.to(x.device());
  w = w.to(x.device());
  auto shape = x.sizes().vec();
  shape[dim] = out_size;
  auto out = torch::empty(shape, x.options());
  const int64_t other = dim == 2 ? 3 : 2;
  const int64_t strip = 256;
  std::vector<int64_t> wshape(4, 1);
  wshape[dim] = out_size;
  for (int64_t s0 = 0; s0 < x.size(other); s0 += strip) {
    const int64_t s1 = std::min<int64_t>(x.size(other), s0 + strip);
    auto src = x.slice(other, s0, s1);
    auto acc = torch::zeros_like(out.slice(other, s0, s1));
    for (int64_t k = 0; k < idx.size(1); ++k)
      acc.add_(src.index_select(dim, idx.select(1, k)) * w.select(1, k).view(wshape));
    out.slice(other, s0, s1).copy_(acc);
  }
  return out;
}

}  // namespace

const char* filter_name(Filter f) {
  switch (f) {
    case Filter::Nearest: return "nearest";
    case Filter::Bicubic: return "bicubic";
    case Filter::Lanczos: return "lanczos";
  }
  return "?";
}

torch::Tensor pil_resize_u8(const torch::Tensor& u8_in, int out_w, int out_h, Filter filter) {
  check_u8(u8_in, out_w, out_h);
  auto u8 = u8_in.contiguous();
  const int in_h = static_cast<int>(u8.size(0)), in_w = static_cast<int>(u8.size(1));
  if (in_w == out_w && in_h == out_h) return u8.clone();
  if (filter == Filter::Nearest) {
    auto xt = torch::tensor(nearest_table(in_w, out_w), torch::kLong);
    auto yt = torch::tensor(nearest_table(in_h, out_h), torch::kLong);
    return u8.index_select(0, yt).index_select(1, xt).contiguous();
  }
  torch::Tensor t = u8;
  if (out_w != in_w) t = horizontal_u8(t, out_w, precompute(in_w, out_w, filter));
  if (out_h != in_h) t = vertical_u8(t, out_h, precompute(in_h, out_h, filter));
  return t;
}

torch::Tensor resize_float(const torch::Tensor& f, int out_w, int out_h, Filter filter) {
  if (f.dim() != 4) throw InvalidInput("resize_float: expected [N,C,H,W]");
  const int in_h = static_cast<int>(f.size(2)), in_w = static_cast<int>(f.size(3));
  if (out_w < 1 || out_h < 1) throw InvalidInput("resize_float: output size must be positive");
  auto x = f.to(torch::kFloat32);
  if (in_w == out_w && in_h == out_h) return x.clone();
  // Horizontal pass first, as Pillow does.
  if (out_w != in_w) x = resample_axis(x, 3, out_w, filter);
  if (out_h != in_h) x = resample_axis(x, 2, out_h, filter);
  return x;
}

torch::Tensor crop_zero_fill_u8(const torch::Tensor& u8, int left, int top, int w, int h) {
  const int H = static_cast<int>(u8.size(0)), W = static_cast<int>(u8.size(1));
  auto out = torch::zeros({h, w, u8.size(2)}, torch::kUInt8);
  const int x0 = std::max(left, 0), y0 = std::max(top, 0);
  const int x1 = std::min(left + w, W), y1 = std::min(top + h, H);
  if (x1 > x0 && y1 > y0)
    out.slice(0, y0 - top, y1 - top).slice(1, x0 - left, x1 - left)
        .copy_(u8.slice(0, y0, y1).slice(1, x0, x1));
  return out;
}

}  // namespace coz
