// One generic tiler for every backbone: runs a per-tile callable over overlapping tiles and
// blends the results so memory stays bounded for any image size.
#pragma once
#include <functional>
#include <torch/types.h>

#include "coz/control.h"

namespace coz {

struct TileOptions {
  int tile = 256;      // core tile size in input pixels (<= 0: no tiling)
  int overlap = 16;    // input pixels shared by neighbouring tiles, blended with linear ramps
  int context = 8;     // extra input pixels fed around each tile and cropped off its output
};

// x: [1,C,H,W]. fn maps a [1,C,h,w] tile to [1,C2,h*scale,w*scale]. The output tensor is
// allocated once ([1,C2,H*scale,W*scale], float32, on x's device) and tiles are accumulated into
// it with weights that sum to one, so no normalisation buffer is needed.
// Cancel is checked before each tile; progress reports tile i of n with the given base.
torch::Tensor run_tiled(const torch::Tensor& x, int scale, const TileOptions& opt,
                        const std::function<torch::Tensor(const torch::Tensor&)>& fn,
                        const RunControl& ctl, const Progress& base = {});

// Tile starts along one axis of `size` pixels (exposed for tests and progress estimates).
std::vector<int> tile_starts(int size, int tile, int overlap);

}  // namespace coz
