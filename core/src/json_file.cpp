#include "json_file.h"

#include <fstream>
#include <sstream>

namespace coz {

std::string read_model_text_file(const std::filesystem::path& path, const std::string& what, uint64_t max_bytes) {
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::is_regular_file(st))
    throw ModelLoadError(path.string() + ": cannot open " + what + (std::filesystem::exists(st) ? " (not a regular file)" : "") +
                         "; reinstall the model");
  const uint64_t size = std::filesystem::file_size(path, ec);
  if (ec || size > max_bytes)
    throw ModelLoadError(path.string() + ": " + what + " is " + std::to_string(size) + " bytes, more than the " +
                         std::to_string(max_bytes >> 20) + " MiB such a file can be; the file is damaged — reinstall the model");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw ModelLoadError(path.string() + ": cannot open " + what + "; reinstall the model");
  std::string bytes(size, '\0');
  f.read(bytes.data(), static_cast<std::streamsize>(size));
  bytes.resize(static_cast<size_t>(f.gcount()));
  return bytes;
}

nlohmann::json read_json_file(const std::filesystem::path& path, const std::string& what) {
  return parse_json_text(read_model_text_file(path, what), path);
}

nlohmann::json parse_json_text(const std::string& text, const std::filesystem::path& path) {
  // The callback refuses deep nesting while parsing: copies and dump() of a parsed value recurse.
  const nlohmann::json::parser_callback_t depth_limit = [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > kMaxJsonDepth)
      throw ModelLoadError(path.string() + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                           " levels; the file is damaged — reinstall the model");
    return true;
  };
  try {
    return nlohmann::json::parse(text, depth_limit);
  } catch (const nlohmann::json::exception& e) {
    throw ModelLoadError(path.string() + ": not valid JSON (" + e.what() + "); reinstall the model");
  } catch (const std::bad_alloc&) {
    throw ModelLoadError(path.string() + ": the JSON is too large to read; the file is damaged — reinstall the model");
  }
}

void read_positive_int(const nlohmann::json& j, const char* key, int64_t& dst, const std::filesystem::path& path) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return;
  if (!j[key].is_number_integer() || j[key].get<int64_t>() <= 0)
    throw ModelLoadError(path.string() + ": " + key + " = " + j[key].dump() + " is not a positive integer");
  if (j[key].get<int64_t>() > kMaxConfigInt)
    throw ModelLoadError(path.string() + ": " + key + " = " + j[key].dump() + " is implausibly large (a damaged config?)");
  dst = j[key].get<int64_t>();
}

void rethrow_as_model_error(const std::filesystem::path& path) {
  const std::string p = path.string();
  const std::string tail = "; the file is damaged or not what it should be — download or reinstall the model";
  try {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const nlohmann::json::exception& e) {
    // "[json.exception.type_error.302] (/layers/0/name) type must be string, but is null"
    std::string w = e.what();
    if (const size_t b = w.find("] "); b != std::string::npos) w = w.substr(b + 2);
    throw ModelLoadError(p + ": unexpected value " + w + tail);
  } catch (const std::bad_alloc&) {
    throw ModelLoadError(p + ": declares sizes larger than the memory available" + tail);
  } catch (const std::length_error&) {
    throw ModelLoadError(p + ": declares sizes larger than the memory available" + tail);
  } catch (const std::exception& e) {
    std::string w = e.what();
    w = w.substr(0, w.find('\n'));
    throw ModelLoadError(p + ": cannot read it (" + w + ")" + tail);
  } catch (...) {
    throw ModelLoadError(p + ": cannot read it" + tail);
  }
}

}  // namespace coz
