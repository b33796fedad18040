// A generic tiler in the spirit of stable-diffusion.cpp's process_tiles_2d, with weights that
// form an exact partition of unity (complementary linear ramps), so no weight buffer is needed.
// Everything is laid out in units of `den` input pixels, each mapping to `num` output pixels: an
// integer scale is the case den = 1, a VAE encoder's /8 works on whole latent pixels.
#include "coz/tiler.h"

#include <torch/torch.h>

#include <algorithm>

#include "coz/error.h"

namespace coz {

std::string TileScale::str() const {
  return "x" + std::to_string(num) + (den == 1 ? "" : "/" + std::to_string(den));
}

std::vector<int> tile_starts(int size, int tile, int overlap) {
  if (tile <= 0 || tile >= size) return {0};
  const int stride = std::max(1, tile - overlap);
  std::vector<int> starts;
  for (int s = 0;; s += stride) {
    if (s + tile >= size) {
      starts.push_back(size - tile);
      break;
    }
    starts.push_back(s);
  }
  return starts;
}

namespace {

// Blend weight of each output position of tile i along one axis: a linear ramp over `ov` input
// units at every side that has a neighbouring tile, 1 elsewhere, never 0. The sum over tiles is
// kept per axis; weights are separable, so the 2-D normalisation is an outer product of two 1-D
// sums and needs no image-sized weight buffer. `len`, `ov` in units; `num` output pixels a unit.
torch::Tensor axis_weights(const std::vector<int>& starts, size_t i, int len, int num, int ov) {
  const int n = len * num;
  auto pos = torch::arange(n, torch::kFloat32) + 0.5f;
  auto w = torch::ones({n}, torch::kFloat32);
  const float ramp = static_cast<float>(std::max(1, ov * num));
  if (i > 0) w = torch::minimum(w, pos / ramp);
  if (i + 1 < starts.size()) w = torch::minimum(w, (n - pos) / ramp);
  return w;
}

torch::Tensor axis_sum(const std::vector<int>& starts, int len, int size, int num, int ov) {
  auto sum = torch::zeros({int64_t{size} * num}, torch::kFloat32);
  for (size_t i = 0; i < starts.size(); ++i)
    sum.slice(0, int64_t{starts[i]} * num, int64_t{starts[i] + len} * num).add_(axis_weights(starts, i, len, num, ov));
  return sum;
}

void check_aligned(int value, int den, const char* what, const TileScale& scale) {
  if (value % den != 0)
    throw InvalidInput("tiler: " + std::string(what) + " " + std::to_string(value) + " is not a multiple of " +
                       std::to_string(den) + ", which a " + scale.str() + " scale needs");
}

}  // namespace

torch::Tensor run_tiled(const torch::Tensor& x, TileScale scale, const TileOptions& opt,
                        const std::function<torch::Tensor(const torch::Tensor&)>& fn,
                        const RunControl& ctl, const Progress& base) {
  if (x.dim() != 4) throw InvalidInput("tiler: expected a [1,C,H,W] tensor");
  if (scale.num < 1 || scale.den < 1) throw InvalidInput("tiler: the scale " + scale.str() + " is not positive");
  const int num = scale.num, den = scale.den;
  const int H = static_cast<int>(x.size(2)), W = static_cast<int>(x.size(3));
  const int tile = opt.tile;
  if (tile > 0 && tile < 8) throw InvalidInput("tile size " + std::to_string(tile) + " is too small: use 8 or more (or 0 for no tiling)");
  if (den > 1) {
    if (H % den != 0 || W % den != 0)
      throw InvalidInput("tiler: a " + scale.str() + " scale needs sides that are multiples of " + std::to_string(den) +
                         " (got " + std::to_string(W) + "x" + std::to_string(H) + ")");
    check_aligned(std::max(0, tile), den, "tile size", scale);
    check_aligned(std::max(0, opt.overlap), den, "tile overlap", scale);
    check_aligned(std::max(0, opt.context), den, "tile context", scale);
  }
  // From here on sizes are in units of den input pixels (one unit -> num output pixels).
  const int Hu = H / den, Wu = W / den, tile_u = tile > 0 ? tile / den : 0;
  const int overlap = std::clamp(opt.overlap / den, 0, tile_u > 0 ? std::max(0, tile_u / 2 - 1) : 0);
  const int context = std::max(0, opt.context) / den;
  const auto ys = tile_starts(Hu, tile_u, overlap);
  const auto xs = tile_starts(Wu, tile_u, overlap);
  const int th = std::min(tile_u > 0 ? tile_u : Hu, Hu), tw = std::min(tile_u > 0 ? tile_u : Wu, Wu);
  const int n = static_cast<int>(ys.size() * xs.size());
  const auto out_size = [&](int units) { return int64_t{units} * num; };

  Progress p = base;
  p.tiles = n;
  if (n == 1) {
    ctl.check_cancel();
    p.tile = 1;
    ctl.report(p);
    auto y = fn(x);
    if (y.dim() != 4 || y.size(2) != out_size(Hu) || y.size(3) != out_size(Wu))
      throw Error("tiler: backbone returned " + std::to_string(y.size(-1)) + "x" + std::to_string(y.size(-2)) +
                  " for a " + std::to_string(W) + "x" + std::to_string(H) + " input at " + scale.str());
    return y;
  }

  torch::Tensor out;
  auto fopt = torch::TensorOptions().dtype(torch::kFloat32).device(x.device());
  const int ov = std::max(1, overlap);
  int k = 0;
  for (size_t iy = 0; iy < ys.size(); ++iy) {
    auto wy = axis_weights(ys, iy, th, num, ov).to(x.device()).view({1, 1, -1, 1});
    for (size_t ix = 0; ix < xs.size(); ++ix) {
      ctl.check_cancel();
      p.tile = ++k;
      ctl.report(p);
      const int y0 = ys[iy], x0 = xs[ix];
      // Feed the tile with context around it, then crop the context off the output.
      const int cy0 = std::max(0, y0 - context), cx0 = std::max(0, x0 - context);
      const int cy1 = std::min(Hu, y0 + th + context), cx1 = std::min(Wu, x0 + tw + context);
      auto in = x.slice(2, int64_t{cy0} * den, int64_t{cy1} * den).slice(3, int64_t{cx0} * den, int64_t{cx1} * den);
      auto y = fn(in);
      if (y.dim() != 4 || y.size(2) != out_size(cy1 - cy0) || y.size(3) != out_size(cx1 - cx0))
        throw Error("tiler: backbone returned a tile of the wrong size");
      y = y.slice(2, out_size(y0 - cy0), out_size(y0 - cy0 + th))
              .slice(3, out_size(x0 - cx0), out_size(x0 - cx0 + tw))
              .to(torch::kFloat32);
      if (!out.defined()) out = torch::zeros({x.size(0), y.size(1), out_size(Hu), out_size(Wu)}, fopt);
      auto wx = axis_weights(xs, ix, tw, num, ov).to(x.device()).view({1, 1, 1, -1});
      out.slice(2, out_size(y0), out_size(y0 + th)).slice(3, out_size(x0), out_size(x0 + tw)).add_(y * wy * wx);
    }
  }
  out.div_(axis_sum(ys, th, Hu, num, ov).to(x.device()).view({1, 1, -1, 1}));
  out.div_(axis_sum(xs, tw, Wu, num, ov).to(x.device()).view({1, 1, 1, -1}));
  return out;
}

}  // namespace coz
