// Writes a zoom run's files: step_0..step_N, the strip and steps.json (coz/record.h). One writer
// for the CLI, the studio and the server. All or nothing: the folder (and missing parents) is
// created only when the first file is written, every file is written atomically, and a failure or
// cancel removes the files this export added and the folders it created (files that were there
// before are kept, except those it replaced).
#pragma once
#include <filesystem>
#include <string>

#include "coz/api.h"
#include "coz/control.h"
#include "coz/record.h"
#include "coz/zoom.h"

namespace coz::io {

struct ZoomExportOptions {
  std::string format = "png";  // png|jpg|webp|tif|bmp: the step images and the strip
  int bit_depth = 8;           // 16 for png/tif only
  std::string input;           // recorded as the input file in steps.json
  double seconds = 0;          // wall time of the run so far (the export's own time is added)
  bool metadata = true;        // each image carries its recipe (coz/record.h zoom_recipe_json)
  std::vector<ModelFingerprint> models;  // the models' files, for steps.json and the recipes
};

// Throws InvalidInput before any file is written when `dir` is a file, lies below a file, or its
// nearest existing folder is not writable. Shells call it before a long run.
COZ_API void check_output_folder(const std::filesystem::path& dir);

// Returns what it wrote (file names relative to dir, steps.json last). Throws InvalidInput for a
// bad format/bit depth or a write failure, Cancelled when ctl is cancelled between files.
COZ_API ZoomRecordFiles export_zoom(const std::filesystem::path& dir, const ZoomRequest& req, const ZoomResult& res,
                                    const ZoomExportOptions& opt, const RunControl& ctl = {});

}  // namespace coz::io
