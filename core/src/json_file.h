// One reader for the JSON files of model folders (configs, tokenizers, shard indexes, TF.js models).
#pragma once
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace coz {

// Throws ModelLoadError "<path>: cannot open <what>; reinstall the model" or "<path>: not valid JSON
// (<parser message>); reinstall the model".
nlohmann::json read_json_file(const std::filesystem::path& path, const std::string& what = "the file");

// A config value: sets dst from j[key] unless the key is absent or null; throws ModelLoadError
// "<path>: <key> = <value> is not a positive integer" for anything else.
void read_positive_int(const nlohmann::json& j, const char* key, int64_t& dst, const std::filesystem::path& path);

}  // namespace coz
