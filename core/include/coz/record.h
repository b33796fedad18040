// The record of a zoom run: steps.json (schema docs/steps.schema.json, "format": "coz-steps",
// "format_version": 1). The CLI, the studio and the server write it with the same function, so
// the same run gives the same bytes; only the "timings" objects differ between runs.
#pragma once
#include <string>
#include <vector>

#include "coz/api.h"
#include "coz/zoom.h"

namespace coz {

constexpr int kStepsFormatVersion = 1;

struct ZoomRecordFiles {
  std::string input;                 // the input image as the user named it
  std::vector<std::string> steps;    // file of each step image (step_0.png, ...), one per result step
  std::string strip;                 // "strip.png"
  double seconds = 0;                // wall time of the whole run, load and export included
};

// The request's options as a JSON object (the "request" member of steps.json; also the body of a
// job for `coz serve`). The image itself is not part of it.
COZ_API std::string zoom_request_json(const ZoomRequest& req);

// The whole steps.json document, pretty-printed with two spaces and a final newline.
COZ_API std::string zoom_record_json(const ZoomRequest& req, const ZoomResult& res, const ZoomRecordFiles& files);

}  // namespace coz
