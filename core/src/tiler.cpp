// A generic tiler in the spirit of stable-diffusion.cpp's process_tiles_2d, with weights that
// form an exact partition of unity (complementary linear ramps), so no weight buffer is needed.
#include "coz/tiler.h"

#include <torch/torch.h>

#include <algorithm>

#include "coz/error.h"

namespace coz {

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
// pixels at every side that has a neighbouring tile, 1 elsewhere, never 0. The sum over tiles is
// kept per axis; weights are separable, so the 2-D normalisation is an outer product of two 1-D
// sums and needs no image-sized weight buffer.
torch::Tensor axis_weights(const std::vector<int>& starts, size_t i, int len, int scale, int ov) {
  const int n = len * scale;
  auto pos = torch::arange(n, torch::kFloat32) + 0.5f;
  auto w = torch::ones({n}, torch::kFloat32);
  const float ramp = static_cast<float>(std::max(1, ov * scale));
  if (i > 0) w = torch::minimum(w, pos / ramp);
  if (i + 1 < starts.size()) w = torch::minimum(w, (n - pos) / ramp);
  return w;
}

torch::Tensor axis_sum(const std::vector<int>& starts, int len, int size, int scale, int ov) {
  auto sum = torch::zeros({int64_t{size} * scale}, torch::kFloat32);
  for (size_t i = 0; i < starts.size(); ++i)
    sum.slice(0, int64_t{starts[i]} * scale, int64_t{starts[i] + len} * scale)
        .add_(axis_weights(starts, i, len, scale, ov));
  return sum;
}

}  // namespace

torch::Tensor run_tiled(const torch::Tensor& x, int scale, const TileOptions& opt,
                        const std::function<torch::Tensor(const torch::Tensor&)>& fn,
                        const RunControl& ctl, const Progress& base) {
  if (x.dim() != 4) throw InvalidInput("tiler: expected a [1,C,H,W] tensor");
  const int H = static_cast<int>(x.size(2)), W = static_cast<int>(x.size(3));
  const int tile = opt.tile;
  if (tile > 0 && tile < 8) throw InvalidInput("tile size " + std::to_string(tile) + " is too small: use 8 or more (or 0 for no tiling)");
  const int overlap = std::clamp(opt.overlap, 0, tile > 0 ? tile / 2 - 1 : 0);
  const int context = std::max(0, opt.context);
  const auto ys = tile_starts(H, tile, overlap);
  const auto xs = tile_starts(W, tile, overlap);
  const int th = std::min(tile > 0 ? tile : H, H), tw = std::min(tile > 0 ? tile : W, W);
  const int n = static_cast<int>(ys.size() * xs.size());

  Progress p = base;
  p.tiles = n;
  if (n == 1) {
    ctl.check_cancel();
    p.tile = 1;
    ctl.report(p);
    auto y = fn(x);
    if (y.size(2) != H * scale || y.size(3) != W * scale)
      throw Error("tiler: backbone returned " + std::to_string(y.size(3)) + "x" + std::to_string(y.size(2)) +
                  " for a " + std::to_string(W) + "x" + std::to_string(H) + " input at x" + std::to_string(scale));
    return y;
  }

  torch::Tensor out;
  auto fopt = torch::TensorOptions().dtype(torch::kFloat32).device(x.device());
  const int ov = std::max(1, overlap);
  int k = 0;
  for (size_t iy = 0; iy < ys.size(); ++iy) {
    auto wy = axis_weights(ys, iy, th, scale, ov).to(x.device()).view({1, 1, -1, 1});
    for (size_t ix = 0; ix < xs.size(); ++ix) {
      ctl.check_cancel();
      p.tile = ++k;
      ctl.report(p);
      const int y0 = ys[iy], x0 = xs[ix];
      // Feed the tile with context around it, then crop the context off the output.
      const int cy0 = std::max(0, y0 - context), cx0 = std::max(0, x0 - context);
      const int cy1 = std::min(H, y0 + th + context), cx1 = std::min(W, x0 + tw + context);
      auto in = x.slice(2, cy0, cy1).slice(3, cx0, cx1);
      auto y = fn(in);
      if (y.size(2) != (cy1 - cy0) * scale || y.size(3) != (cx1 - cx0) * scale)
        throw Error("tiler: backbone returned a tile of the wrong size");
      y = y.slice(2, (y0 - cy0) * scale, (y0 - cy0 + th) * scale)
              .slice(3, (x0 - cx0) * scale, (x0 - cx0 + tw) * scale)
              .to(torch::kFloat32);
      if (!out.defined())
        out = torch::zeros({x.size(0), y.size(1), int64_t{H} * scale, int64_t{W} * scale}, fopt);
      auto wx = axis_weights(xs, ix, tw, scale, ov).to(x.device()).view({1, 1, 1, -1});
      out.slice(2, int64_t{y0} * scale, int64_t{y0 + th} * scale)
          .slice(3, int64_t{x0} * scale, int64_t{x0 + tw} * scale)
          .add_(y * wy * wx);
    }
  }
  out.div_(axis_sum(ys, th, H, scale, ov).to(x.device()).view({1, 1, -1, 1}));
  out.div_(axis_sum(xs, tw, W, scale, ov).to(x.device()).view({1, 1, 1, -1}));
  return out;
}

}  // namespace coz
