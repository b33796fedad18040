// Follows CoZ's utils/wavelet_color_fix.py (wavelet_reconstruction, adaptive_instance_normalization).
#include "coz/color_fix.h"

#include <torch/torch.h>

#include "coz/error.h"

namespace coz {
namespace {

namespace F = torch::nn::functional;

torch::Tensor wavelet_blur(const torch::Tensor& img, int radius) {
  const int64_t c = img.size(1);
  auto k = torch::tensor({0.0625f, 0.125f, 0.0625f, 0.125f, 0.25f, 0.125f, 0.0625f, 0.125f, 0.0625f},
                         img.options()).view({1, 1, 3, 3}).repeat({c, 1, 1, 1});
  auto padded = F::pad(img, F::PadFuncOptions({radius, radius, radius, radius}).mode(torch::kReplicate));
  return F::conv2d(padded, k, F::Conv2dFuncOptions().groups(c).dilation(radius));
}

// Returns {high, low} after 5 levels with radius 1, 2, 4, 8, 16.
std::pair<torch::Tensor, torch::Tensor> wavelet_decomposition(torch::Tensor img, int levels = 5) {
  auto high = torch::zeros_like(img);
  torch::Tensor low;
  for (int i = 0; i < levels; ++i) {
    low = wavelet_blur(img, 1 << i);
    high += img - low;
    img = low;
  }
  return {high, low};
}

std::pair<torch::Tensor, torch::Tensor> mean_std(const torch::Tensor& f, double eps = 1e-5) {
  auto flat = f.flatten(2);
  auto var = flat.var(2, /*unbiased=*/true) + eps;
  return {flat.mean(2).unsqueeze(-1).unsqueeze(-1), var.sqrt().unsqueeze(-1).unsqueeze(-1)};
}

void check_pair(const torch::Tensor& t, const torch::Tensor& s) {
  if (t.dim() != 4 || s.dim() != 4 || t.sizes() != s.sizes())
    throw InvalidInput("colour fix: output and input images must have the same [1,3,H,W] shape");
}

}  // namespace

torch::Tensor wavelet_color_fix(const torch::Tensor& target, const torch::Tensor& source) {
  check_pair(target, source);
  auto [t_high, t_low] = wavelet_decomposition(target.to(torch::kFloat32));
  auto [s_high, s_low] = wavelet_decomposition(source.to(target.device(), torch::kFloat32));
  (void)t_low;
  (void)s_high;
  return (t_high + s_low).clamp_(0.0, 1.0);
}

torch::Tensor adain_color_fix(const torch::Tensor& target, const torch::Tensor& source) {
  check_pair(target, source);
  auto t = target.to(torch::kFloat32);
  auto [s_mean, s_std] = mean_std(source.to(t.device(), torch::kFloat32));
  auto [t_mean, t_std] = mean_std(t);
  return ((t - t_mean) / t_std * s_std + s_mean).clamp_(0.0, 1.0);
}

torch::Tensor apply_color_fix(ColorFix fix, const torch::Tensor& target, const torch::Tensor& source) {
  switch (fix) {
    case ColorFix::None: return target.clamp(0.0, 1.0);
    case ColorFix::Wavelet: return wavelet_color_fix(target, source);
    case ColorFix::AdaIN: return adain_color_fix(target, source);
  }
  return target;
}

ColorFix parse_color_fix(const std::string& s) {
  if (s == "none" || s == "nofix") return ColorFix::None;
  if (s == "wavelet") return ColorFix::Wavelet;
  if (s == "adain") return ColorFix::AdaIN;
  throw InvalidInput("unknown colour fix '" + s + "': use none, wavelet or adain");
}

const char* color_fix_name(ColorFix f) {
  switch (f) {
    case ColorFix::None: return "none";
    case ColorFix::Wavelet: return "wavelet";
    case ColorFix::AdaIN: return "adain";
  }
  return "?";
}

}  // namespace coz
