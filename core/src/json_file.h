// One reader for the JSON files of model folders (configs, tokenizers, shard indexes, TF.js models).
#pragma once
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace coz {

// Throws ModelLoadError "<path>: cannot open <what>; reinstall the model" or "<path>: not valid JSON
// (<parser message>); reinstall the model".
nlohmann::json read_json_file(const std::filesystem::path& path, const std::string& what = "the file");

}  // namespace coz
