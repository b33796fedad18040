// The models' files of a run, for its recipe (coz/record.h ModelFingerprint). Needs LibTorch (the
// engine's requests), unlike the rest of coz/hub.h.
#pragma once
#include <vector>

#include "coz/api.h"
#include "coz/engine.h"
#include "coz/record.h"

namespace coz::hub {

// The fingerprints of the models a request runs (its backbone, and the prompt sources of its modes):
// none for the baselines or models that are not installed. Hashes come from fingerprint_files
// (coz/hub.h), remembered in <cache>/file-hashes.json (coz/paths.h default_cache_dir).
COZ_API std::vector<ModelFingerprint> model_fingerprints(const Engine& engine, const ZoomRequest& req);
COZ_API std::vector<ModelFingerprint> model_fingerprints(const Engine& engine, const UpscaleRequest& req);

}  // namespace coz::hub
