// One reader for the JSON files of model folders (configs, tokenizers, shard indexes, TF.js models),
// and the guard that turns any parse failure of a model file into a ModelLoadError naming the file.
// The engine builds with JSON_DIAGNOSTICS, so nlohmann's type errors name the key's JSON path.
#pragma once
#include <nlohmann/json.hpp>

#include <filesystem>
#include <new>
#include <stdexcept>
#include <string>

#include "coz/error.h"

namespace coz {

// Throws ModelLoadError "<path>: cannot open <what>; reinstall the model" or "<path>: not valid JSON
// (<parser message>); reinstall the model".
nlohmann::json read_json_file(const std::filesystem::path& path, const std::string& what = "the file");
// The same for text already in memory (fuzzing, tests); `path` names it in errors.
nlohmann::json parse_json_text(const std::string& text, const std::filesystem::path& path);

// The largest size a model config may declare (a safety net: real models stay far below it, and
// products of three such values cannot overflow int64).
constexpr int64_t kMaxConfigInt = int64_t{1} << 20;
// JSON files of model folders nest a handful of levels; deeper is refused before anything recurses.
constexpr int kMaxJsonDepth = 128;
// The largest JSON or text file of a model folder read (tokenizer.json files are ~10 MB).
constexpr uint64_t kMaxModelTextFile = uint64_t{256} << 20;

// The bytes of a small model file (configs, tokenizers, TF.js shards): it must be a regular file of
// at most `max_bytes`. Throws ModelLoadError "<path>: cannot open <what>; ..." otherwise.
std::string read_model_text_file(const std::filesystem::path& path, const std::string& what,
                                 uint64_t max_bytes = kMaxModelTextFile);

// A config value: sets dst from j[key] unless the key is absent or null; throws ModelLoadError
// "<path>: <key> = <value> is not a positive integer" for anything else.
void read_positive_int(const nlohmann::json& j, const char* key, int64_t& dst, const std::filesystem::path& path);

// Runs `parse` (which reads the model file `path`) so that only coz::Error leaves it: a JSON value
// of the wrong type, a missing key, an index out of range, an allocation a crafted size asked for,
// or a LibTorch check become ModelLoadError "<path>: <detail>; the file is damaged ...".
[[noreturn]] void rethrow_as_model_error(const std::filesystem::path& path);
template <class F>
auto guard_model_file(const std::filesystem::path& path, F&& parse) -> decltype(parse()) {
  try {
    return parse();
  } catch (...) {
    rethrow_as_model_error(path);
  }
}

}  // namespace coz
