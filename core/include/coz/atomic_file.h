// Never leave a half-written output: write to a temporary file beside the target, then rename.
#pragma once
#include "coz/api.h"
#include <string>

namespace coz {

// Throws InvalidInput naming the path and the system's reason when it cannot be written.
COZ_API void write_file_atomic(const std::string& path, const std::string& bytes);

}  // namespace coz
