// Zooms into the centre of an image, printing progress and each step's prompt, and cancels after
// CANCEL_AFTER finished steps (0: never). Writes the steps, the strip and steps.json to OUTDIR.
//   zoom_progress IN OUTDIR STEPS [MODEL] [CANCEL_AFTER]
#include <coz/coz.h>
#include <coz/export.h>
#include <coz/imageio.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  if (argc < 4 || argc > 6) {
    std::fprintf(stderr, "usage: %s IN OUTDIR STEPS [MODEL] [CANCEL_AFTER]\n", argv[0]);
    return 2;
  }
  const int cancel_after = argc == 6 ? std::atoi(argv[5]) : 0;
  try {
    coz::Engine engine;
    coz::ZoomRequest req;
    req.image = coz::io::read_image(argv[1]);
    req.steps = std::atoi(argv[3]);
    if (argc >= 5) req.model = argv[4];
    req.process_size = 64;

    std::atomic<bool> cancel{false};
    coz::RunControl ctl;
    ctl.cancel = &cancel;
    ctl.on_progress = [](const coz::Progress& p) {
      std::printf("progress %s %d/%d\n", coz::stage_name(p.stage), p.step, p.steps);
    };
    ctl.on_step = [&](const coz::StepResult& s) {
      std::printf("step %d/%d prompt '%s'\n", s.step, s.steps, s.prompt.c_str());
      if (cancel_after > 0 && s.step >= cancel_after) cancel = true;  // stop before the next step
    };
    const coz::ZoomResult res = engine.zoom(req, ctl);
    coz::io::ZoomExportOptions eo;
    eo.input = argv[1];
    coz::io::export_zoom(argv[2], req, res, eo, ctl);
    std::printf("wrote %zu steps to %s\n", res.steps.size(), argv[2]);
    return 0;
  } catch (const coz::Cancelled&) {
    std::printf("cancelled\n");
    return 130;
  } catch (const coz::Error& e) {
    std::fprintf(stderr, "zoom_progress: %s (%s)\n", e.what(), coz::error_kind_name(e.kind()));
    return 1;
  }
}
