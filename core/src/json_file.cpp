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

}  // namespace coz
