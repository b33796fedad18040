// Upscales an image file by any factor with a backbone of your choice:
//   upscale_file IN OUT SCALE [MODEL]        e.g. upscale_file photo.jpg big.png 2.5 esrgan-thick
#include <coz/coz.h>
#include <coz/imageio.h>

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  if (argc < 4 || argc > 5) {
    std::fprintf(stderr, "usage: %s IN OUT SCALE [MODEL]\n", argv[0]);
    return 2;
  }
  try {
    coz::Engine engine;  // models from $COZ_MODELS_DIR or ~/.cache/coz/models
    coz::UpscaleRequest req;
    req.image = coz::io::read_image(argv[1]);
    req.scale = std::strtod(argv[3], nullptr);
    if (argc == 5) req.model = argv[4];
    const coz::UpscalePlan plan =
        engine.plan_upscale(req.image.width(), req.image.height(), req.model, req.scale, req.max_side);
    const coz::Image out = engine.upscale(req, coz::RunControl{});
    coz::io::write_image(argv[2], out);
    std::printf("%dx%d -> %dx%d with %s\n", req.image.width(), req.image.height(), plan.out_w, plan.out_h,
                req.model.c_str());
    return 0;
  } catch (const coz::Error& e) {
    std::fprintf(stderr, "upscale_file: %s (%s)\n", e.what(), coz::error_kind_name(e.kind()));
    return 1;
  }
}
