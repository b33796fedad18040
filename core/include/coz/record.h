// The record of a zoom run: steps.json (schema docs/steps.schema.json, "format": "coz-steps",
// "format_version": 1). The CLI, the studio and the server write it with the same function, so
// the same run gives the same bytes; only the "timings" objects differ between runs.
#pragma once
#include <string>
#include <vector>

#include "coz/api.h"
#include "coz/upscale.h"
#include "coz/zoom.h"

namespace coz {

constexpr int kStepsFormatVersion = 1;

// A model's identity in a recipe: its id and the SHA-256 of each of its files (name relative to the
// model's location).
struct ModelFingerprint {
  std::string role;  // "backbone", "prompt"
  std::string id;    // "esrgan-thick", "sd3-osediff", "dape", ...
  std::vector<std::pair<std::string, std::string>> files;  // (name, sha256)
};

struct ZoomRecordFiles {
  std::string input;                 // the input image as the user named it
  std::vector<std::string> steps;    // file of each step image (step_0.png, ...), one per result step
  std::string strip;                 // "strip.png"
  double seconds = 0;                // wall time of the whole run, load and export included
  std::vector<ModelFingerprint> models;  // recorded as "models" when not empty
  bool complete = true;              // false: a checkpoint of an unfinished run ("complete": false)
};

// The request's options as a JSON object (the "request" member of steps.json; also the body of a
// job for `coz serve`). The image itself is not part of it.
COZ_API std::string zoom_request_json(const ZoomRequest& req);

// The whole steps.json document, pretty-printed with two spaces and a final newline.
COZ_API std::string zoom_record_json(const ZoomRequest& req, const ZoomResult& res, const ZoomRecordFiles& files);

// The recipe an image of the run carries (coz/imageio.h WriteOptions::recipe): steps.json's schema
// for the steps 0..last_step that made the image (the request's steps and changes cut to them), no
// timings and no strip, compact. last_step < 0: the whole run (the strip's recipe). A step's recipe
// does not depend on later steps, so re-running from step K rewrites steps < K byte for byte.
COZ_API std::string zoom_recipe_json(const ZoomRequest& req, const ZoomResult& res, const ZoomRecordFiles& files,
                                     int last_step);

// The recipe of a `coz upscale` output: {"format": "coz-upscale", ...}.
COZ_API std::string upscale_recipe_json(const UpscaleRequest& req, const std::string& input_file,
                                        const std::vector<ModelFingerprint>& models);

// A steps.json document (or a zoom image's recipe) read back. The request has no image: its size
// is in input_width/input_height. Throws InvalidInput naming `where` for anything malformed.
struct ZoomRecord {
  ZoomRequest request;
  std::string input_file;
  std::vector<std::string> step_files;  // one per step present, "" in a recipe
  std::vector<std::string> prompts;     // the prompt of each step present
  std::string precision_used;
  std::string coz_version;
  std::vector<ModelFingerprint> models;
  bool complete = true;
};
COZ_API ZoomRecord parse_zoom_record(const std::string& json_text, const std::string& where);

// An upscale recipe read back (the request has no image; its size is in input_width/height).
struct UpscaleRecord {
  UpscaleRequest request;
  std::string input_file;
  int input_width = 0, input_height = 0;
  std::string coz_version;
  std::vector<ModelFingerprint> models;
};
COZ_API UpscaleRecord parse_upscale_recipe(const std::string& json_text, const std::string& where);

// "coz-steps" or "coz-upscale" (the "format" member), "" when the text is not a recipe at all.
COZ_API std::string recipe_format(const std::string& json_text);

// Where to look for the input a recipe names, in order: as recorded (relative to the current folder,
// as the user typed it), beside the image that carries the recipe, one folder above it (a zoom
// output folder next to its input). Candidates only: the caller checks which exists (and names all
// of them when none does); each place once. Empty when nothing is recorded.
COZ_API std::vector<std::string> recipe_input_candidates(const std::string& recorded, const std::string& image);

}  // namespace coz
