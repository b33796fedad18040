#include "json_file.h"

#include <fstream>

#include "coz/error.h"

namespace coz {

nlohmann::json read_json_file(const std::filesystem::path& path, const std::string& what) {
  std::ifstream f(path);
  if (!f) throw ModelLoadError(path.string() + ": cannot open " + what + "; reinstall the model");
  try {
    return nlohmann::json::parse(f);
  } catch (const std::exception& e) {
    throw ModelLoadError(path.string() + ": not valid JSON (" + e.what() + "); reinstall the model");
  }
}

void read_positive_int(const nlohmann::json& j, const char* key, int64_t& dst, const std::filesystem::path& path) {
  if (!j.contains(key) || j[key].is_null()) return;
  if (!j[key].is_number_integer() || j[key].get<int64_t>() <= 0)
    throw ModelLoadError(path.string() + ": " + key + " = " + j[key].dump() + " is not a positive integer");
  dst = j[key].get<int64_t>();
}

}  // namespace coz
