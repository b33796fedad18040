// Where CoZ keeps its models (no LibTorch needed to ask).
#pragma once
#include <filesystem>

#include "coz/api.h"

namespace coz {

// $COZ_MODELS_DIR, else $XDG_CACHE_HOME/coz/models, else ~/.cache/coz/models.
COZ_API std::filesystem::path default_models_dir();

}  // namespace coz
