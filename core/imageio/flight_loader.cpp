// load_flight (coz/video.h): a zoom run's folder read back as a ZoomFlight. Reads only what the
// flight needs from steps.json (format "coz-steps" version 1): each step's file and crop box.
#include <torch/torch.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "coz/error.h"
#include "coz/image.h"
#include "coz/imageio.h"
#include "coz/video.h"

namespace coz::io {
namespace fs = std::filesystem;

ZoomFlight load_flight(const fs::path& dir, const FlightOptions& opt) {
  using json = nlohmann::json;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw InvalidInput("cannot read the zoom run " + dir.string() + ": " +
                       (fs::exists(dir, ec) ? "it is a file, not a folder" : "no such folder"));
  const fs::path doc_path = dir / "steps.json";
  const std::string where = doc_path.string();
  if (!fs::is_regular_file(doc_path, ec))
    throw InvalidInput(where + " is missing: give the folder a zoom run was exported to (steps.json, step_0.png, ...)");
  std::ifstream f(doc_path, std::ios::binary);
  std::stringstream text;
  text << f.rdbuf();
  if (!f) throw InvalidInput("cannot read " + where);

  std::vector<FlightStep> steps;
  int process_size = 0;
  try {
    const json doc = json::parse(text.str());
    if (!doc.is_object() || doc.value("format", std::string()) != "coz-steps")
      throw InvalidInput(where + " is not a zoom run's record (its \"format\" is not \"coz-steps\")");
    const int version = doc.at("format_version").get<int>();
    if (version != 1)
      throw InvalidInput(where + " has format_version " + std::to_string(version) + "; this coz reads version 1");
    if (doc.contains("request") && doc["request"].contains("process_size"))
      process_size = doc["request"]["process_size"].get<int>();
    const json& list = doc.at("steps");
    if (!list.is_array() || list.size() < 2)
      throw InvalidInput(where + " records " + std::to_string(list.is_array() ? list.size() : 0) +
                         " step image(s); a flight needs step 0 and at least one zoom step");
    for (size_t i = 0; i < list.size(); ++i) {
      const json& s = list[i];
      const int k = s.at("step").get<int>();
      if (k != static_cast<int>(i))
        throw InvalidInput(where + ": entry " + std::to_string(i) + " of \"steps\" is step " + std::to_string(k) +
                           "; the steps must be listed as 0, 1, 2, ...");
      const fs::path file = dir / s.at("file").get<std::string>();
      const Image img = read_image(file.string());
      const int w = img.width(), h = img.height();
      if (w != h || (process_size > 0 && w != process_size) || (!steps.empty() && w != steps[0].width)) {
        const int want = process_size > 0 ? process_size : steps.empty() ? w : steps[0].width;
        throw InvalidInput(file.string() + " is " + std::to_string(w) + "x" + std::to_string(h) + ", but the run's steps are " +
                           std::to_string(want) + "x" + std::to_string(want) + " (" + where + ")");
      }
      const torch::Tensor u8 = to_u8_hwc(img.rgb);
      FlightStep st;
      st.width = w;
      st.height = h;
      st.rgb.assign(u8.data_ptr<uint8_t>(), u8.data_ptr<uint8_t>() + u8.numel());
      if (k > 0) {
        const json& c = s.at("crop");
        st.crop = {c.at("source_step").get<int>(), c.at("x").get<int>(), c.at("y").get<int>(), c.at("w").get<int>(),
                   c.at("h").get<int>()};
      }
      steps.push_back(std::move(st));
    }
  } catch (const json::exception& e) {
    throw InvalidInput(where + " is malformed: " + e.what());
  }
  try {
    return ZoomFlight(std::move(steps), opt);
  } catch (const InvalidInput& e) {
    throw InvalidInput(where + ": " + e.what());
  }
}

}  // namespace coz::io
