// One generic tiler for every backbone: runs a per-tile callable over overlapping tiles and
// blends the results so memory stays bounded for any image size.
#pragma once
#include <functional>
#include <string>
#include <vector>
#include <torch/types.h>

#include "coz/api.h"
#include "coz/control.h"

namespace coz {

struct TileOptions {
  int tile = 256;      // core tile size in input pixels (<= 0: no tiling)
  int overlap = 16;    // input pixels shared by neighbouring tiles, blended with linear ramps
  int context = 8;     // extra input pixels fed around each tile and cropped off its output
};

// The tile callable's output size per input size: num/den (x4 is {4}, a VAE encoder's /8 is {1, 8},
// its decoder's x8 is {8}). An integer converts. With den > 1 the input sides, the tile size, the
// overlap and the context must be multiples of den, so every tile starts on a den-pixel boundary
// and maps to whole output pixels.
struct COZ_API TileScale {
  int num = 1, den = 1;
  TileScale(int n = 1, int d = 1) : num(n), den(d) {}  // NOLINT: implicit from an integer scale
  std::string str() const;                             // "x4", "x1/8"
};

// x: [B,C,H,W]. fn maps a [B,C,h,w] tile to [B,C2,h*num/den,w*num/den]. The output tensor is
// allocated once ([B,C2,H*num/den,W*num/den], float32, on x's device) and tiles are accumulated
// into it with separable weights normalised per axis, so no image-sized weight buffer is needed.
// Cancel is checked before each tile; progress reports `base` with tile i of n.
COZ_API torch::Tensor run_tiled(const torch::Tensor& x, TileScale scale, const TileOptions& opt,
                                const std::function<torch::Tensor(const torch::Tensor&)>& fn,
                                const RunControl& ctl, const Progress& base = {});

// Tile starts along one axis of `size` pixels (exposed for tests and progress estimates).
COZ_API std::vector<int> tile_starts(int size, int tile, int overlap);

}  // namespace coz
