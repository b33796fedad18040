// Where CoZ keeps its models (no LibTorch needed to ask).
#pragma once
#include <filesystem>

#include "coz/api.h"

namespace coz {

// $COZ_MODELS_DIR, else $XDG_CACHE_HOME/coz/models, else ~/.cache/coz/models.
COZ_API std::filesystem::path default_models_dir();
// CoZ's own cache (checkpoints of unfinished zoom runs, model file hashes): $XDG_CACHE_HOME/coz,
// else ~/.cache/coz.
COZ_API std::filesystem::path default_cache_dir();

}  // namespace coz
