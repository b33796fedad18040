#include "coz/record.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "coz/error.h"
#include "coz/version.h"

namespace coz {
namespace {
using json = nlohmann::ordered_json;

template <typename B>  // Box (pixels of a step image) or BoxF (input pixels)
json box_json(const B& b) {
  return {{"x", b.x}, {"y", b.y}, {"w", b.w}, {"h", b.h}};
}

json request_object(const ZoomRequest& req) {
  const int w = req.image.rgb.defined() ? req.image.width() : req.input_width;
  const int h = req.image.rgb.defined() ? req.image.height() : req.input_height;
  return {
      {"model", req.model},
      {"recursion", recursion_name(req.recursion)},
      {"steps", req.steps},
      {"process_size", req.process_size},
      {"center", {{"x", req.center_x}, {"y", req.center_y}}},
      {"center_pixels", {{"x", req.center_x * w}, {"y", req.center_y * h}}},
      {"prompt_mode", req.prompt_source ? "custom" : prompt_mode_name(req.prompt_mode)},
      {"user_prompt", req.user_prompt},
      {"color_fix", color_fix_name(req.color_fix)},
      {"seed", req.seed},
      {"device", device_name(req.device)},
      {"precision", precision_name(req.precision)},
      {"tiles", {{"tile", req.tiles.tile}, {"overlap", req.tiles.overlap}, {"context", req.tiles.context}}},
  };
}

// The request, with the steering changes when there are any (runs without them keep their bytes).
json request_with_overrides(const ZoomRequest& req, int last_step) {
  json r = request_object(req);
  std::vector<StepOverride> os(req.overrides);
  std::sort(os.begin(), os.end(), [](const StepOverride& a, const StepOverride& b) { return a.step < b.step; });
  json arr = json::array();
  for (const StepOverride& o : os) {
    if (o.step > last_step) continue;
    json j = {{"step", o.step}};
    if (o.prompt) j["prompt"] = *o.prompt;
    if (o.prompt_mode) j["prompt_mode"] = prompt_mode_name(*o.prompt_mode);
    if (o.point_x) j["point"] = {{"x", *o.point_x}, {"y", *o.point_y}};
    arr.push_back(std::move(j));
  }
  if (!arr.empty()) r["overrides"] = std::move(arr);
  return r;
}

json models_json(const std::vector<ModelFingerprint>& models) {
  json arr = json::array();
  for (const ModelFingerprint& m : models) {
    json files = json::array();
    for (const auto& f : m.files) files.push_back({{"name", f.first}, {"sha256", f.second}});
    arr.push_back({{"role", m.role}, {"id", m.id}, {"files", std::move(files)}});
  }
  return arr;
}

// Reading a record back: every member is checked, and an error names the document and the member.
struct Reader {
  std::string where;
  [[noreturn]] void fail(const std::string& what) const { throw InvalidInput(where + ": " + what); }
  const json& member(const json& o, const char* key) const {
    if (!o.is_object() || !o.contains(key)) fail(std::string("\"") + key + "\" is missing");
    return o.at(key);
  }
  std::string text(const json& o, const char* key, const std::string& fallback = {}) const {
    if (!o.is_object() || !o.contains(key)) return fallback;
    if (!o.at(key).is_string()) fail(std::string("\"") + key + "\" is not a string");
    return o.at(key).get<std::string>();
  }
  double number(const json& o, const char* key, double fallback) const {
    if (!o.is_object() || !o.contains(key)) return fallback;
    if (!o.at(key).is_number()) fail(std::string("\"") + key + "\" is not a number");
    return o.at(key).get<double>();
  }
  int64_t integer(const json& o, const char* key, int64_t fallback, int64_t lo, int64_t hi) const {
    if (!o.is_object() || !o.contains(key)) return fallback;
    const json& v = o.at(key);
    if (!v.is_number_integer() && !v.is_number_unsigned()) fail(std::string("\"") + key + "\" is not an integer");
    const int64_t x = v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(hi) ? hi + 1 : v.get<int64_t>();
    if (x < lo || x > hi)
      fail(std::string("\"") + key + "\" is " + std::to_string(x) + ", outside " + std::to_string(lo) + ".." + std::to_string(hi));
    return x;
  }
  template <typename F>
  auto parsed(const char* key, F&& f) const -> decltype(f()) {
    try {
      return f();
    } catch (const InvalidInput& e) {
      fail(std::string("\"") + key + "\": " + e.what());
    }
  }
  std::vector<ModelFingerprint> models(const json& doc) const {
    std::vector<ModelFingerprint> out;
    if (!doc.contains("models")) return out;
    const json& arr = doc.at("models");
    if (!arr.is_array()) fail("\"models\" is not a list");
    for (const json& m : arr) {
      ModelFingerprint f{text(m, "role"), text(m, "id"), {}};
      if (m.contains("files")) {
        if (!m.at("files").is_array()) fail("\"models[].files\" is not a list");
        for (const json& x : m.at("files")) f.files.emplace_back(text(x, "name"), text(x, "sha256"));
      }
      out.push_back(std::move(f));
    }
    return out;
  }
  json parse(const std::string& text_in) const {
    json doc = json::parse(text_in, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) fail("not a JSON object");
    return doc;
  }
};

TileOptions read_tiles(const Reader& rd, const json& r) {
  TileOptions t;
  if (!r.contains("tiles")) return t;
  const json& tj = r.at("tiles");
  t.tile = static_cast<int>(rd.integer(tj, "tile", t.tile, 0, 1 << 16));
  t.overlap = static_cast<int>(rd.integer(tj, "overlap", t.overlap, 0, 1 << 16));
  t.context = static_cast<int>(rd.integer(tj, "context", t.context, 0, 1 << 16));
  return t;
}

}  // namespace

std::string zoom_request_json(const ZoomRequest& req) { return request_object(req).dump(2); }

std::string zoom_record_json(const ZoomRequest& req, const ZoomResult& res, const ZoomRecordFiles& files) {
  if (files.steps.size() != res.steps.size())
    throw InvalidInput("steps.json: " + std::to_string(res.steps.size()) + " step images but " +
                       std::to_string(files.steps.size()) + " file names");
  const ZoomPlan& plan = res.plan;
  json steps = json::array();
  for (size_t i = 0; i < res.steps.size(); ++i) {
    const StepResult& s = res.steps[i];
    json j = {{"step", s.step}, {"file", files.steps[i]}, {"magnification", std::pow(4.0, s.step)}, {"prompt", s.prompt}};
    if (s.step > 0) {
      j["crop"] = box_json(s.plan.crop);
      j["crop"]["source_step"] = s.plan.source_step;
      j["region_in_input"] = box_json(s.plan.in_original);
    } else {
      j["crop"] = box_json(plan.initial_crop);
      j["crop"]["resized_w"] = plan.resized_w;
      j["crop"]["resized_h"] = plan.resized_h;
      j["region_in_input"] = box_json(plan.initial_in_original);
    }
    j["timings"] = {{"prompt_ms", s.ms_prompt}, {"sr_ms", s.ms_sr}, {"total_ms", s.ms_total}};
    steps.push_back(std::move(j));
  }
  const int w = req.image.rgb.defined() ? req.image.width() : req.input_width;
  const int h = req.image.rgb.defined() ? req.image.height() : req.input_height;
  json doc = {
      {"format", "coz-steps"},
      {"format_version", kStepsFormatVersion},
      {"coz_version", version()},
      {"input", {{"file", files.input}, {"width", w}, {"height", h}}},
      {"request", request_with_overrides(req, kMaxZoomSteps)},
      {"precision_used", precision_name(zoom_precision_used(req))},
      {"plan", {{"resized_w", plan.resized_w}, {"resized_h", plan.resized_h}}},
      {"steps", std::move(steps)},
      {"strip", files.strip},
      {"timings", {{"load_ms", res.ms_load}, {"total_s", files.seconds}}},
  };
  if (!files.models.empty()) doc["models"] = models_json(files.models);
  if (!files.complete) doc["complete"] = false;
  return doc.dump(2) + "\n";
}

std::string zoom_recipe_json(const ZoomRequest& req, const ZoomResult& res, const ZoomRecordFiles& files, int last_step) {
  const int n = static_cast<int>(res.steps.size()) - 1;
  if (last_step < 0 || last_step > n) last_step = n;
  ZoomRecordFiles f = files;
  f.steps.assign(static_cast<size_t>(last_step) + 1, "");
  for (size_t i = 0; i < f.steps.size() && i < files.steps.size(); ++i) f.steps[i] = files.steps[i];
  ZoomResult cut;
  cut.plan = res.plan;
  cut.plan.steps.resize(static_cast<size_t>(last_step));
  cut.steps.assign(res.steps.begin(), res.steps.begin() + last_step + 1);
  ZoomRequest r;  // the request without its image, cut to the steps that made this image
  r = req;
  r.resume.clear();
  r.steps = std::max(1, last_step);
  json doc = json::parse(zoom_record_json(r, cut, f));
  doc["request"] = request_with_overrides(r, last_step);
  doc.erase("timings");
  doc.erase("strip");
  for (json& s : doc["steps"]) s.erase("timings");
  return doc.dump();
}

std::string upscale_recipe_json(const UpscaleRequest& req, const std::string& input_file,
                                const std::vector<ModelFingerprint>& models) {
  json doc = {
      {"format", "coz-upscale"},
      {"format_version", 1},
      {"coz_version", version()},
      {"input", {{"file", input_file}, {"width", req.image.width()}, {"height", req.image.height()}}},
      {"request",
       {{"model", req.model},
        {"scale", req.scale},
        {"color_fix", color_fix_name(req.color_fix)},
        {"device", device_name(req.device)},
        {"precision", precision_name(req.precision)},
        {"tiles", {{"tile", req.tiles.tile}, {"overlap", req.tiles.overlap}, {"context", req.tiles.context}}},
        {"max_side", req.max_side}}},
      {"precision_used", precision_name(resolve_precision(req.precision, req.device))},
  };
  if (!models.empty()) doc["models"] = models_json(models);
  return doc.dump();
}

std::string recipe_format(const std::string& json_text) {
  const json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("format") || !doc.at("format").is_string()) return "";
  const std::string f = doc.at("format").get<std::string>();
  return f == "coz-steps" || f == "coz-upscale" ? f : "";
}

ZoomRecord parse_zoom_record(const std::string& json_text, const std::string& where) {
  const Reader rd{where};
  const json doc = rd.parse(json_text);
  if (rd.text(doc, "format") != "coz-steps") rd.fail("not a CoZ zoom record (\"format\" is not \"coz-steps\")");
  const int64_t version = rd.integer(doc, "format_version", -1, -1, 1 << 20);
  if (version != kStepsFormatVersion)
    rd.fail("format_version " + std::to_string(version) + " is not supported (this coz reads version " +
            std::to_string(kStepsFormatVersion) + "; update coz)");
  ZoomRecord rec;
  rec.coz_version = rd.text(doc, "coz_version");
  const json& in = rd.member(doc, "input");
  rec.input_file = rd.text(in, "file");
  ZoomRequest& q = rec.request;
  q.input_width = static_cast<int>(rd.integer(in, "width", 0, 1, 1 << 20));
  q.input_height = static_cast<int>(rd.integer(in, "height", 0, 1, 1 << 20));
  const json& r = rd.member(doc, "request");
  q.model = rd.text(r, "model", q.model);
  q.recursion = rd.parsed("recursion", [&] { return parse_recursion(rd.text(r, "recursion", "recursive")); });
  q.steps = static_cast<int>(rd.integer(r, "steps", 4, 1, kMaxZoomSteps));
  q.process_size = static_cast<int>(rd.integer(r, "process_size", 512, 16, 4096));
  if (r.contains("center")) {
    q.center_x = rd.number(r.at("center"), "x", 0.5);
    q.center_y = rd.number(r.at("center"), "y", 0.5);
  }
  const std::string mode = rd.text(r, "prompt_mode", "null");
  if (mode == "custom") rd.fail("the run used a program's own prompt source (\"prompt_mode\": \"custom\"); it cannot be re-run here");
  q.prompt_mode = rd.parsed("prompt_mode", [&] { return parse_prompt_mode(mode); });
  q.user_prompt = rd.text(r, "user_prompt");
  q.color_fix = rd.parsed("color_fix", [&] { return parse_color_fix(rd.text(r, "color_fix", "none")); });
  q.seed = static_cast<uint64_t>(rd.integer(r, "seed", 0, 0, int64_t{1} << 62));
  q.device = rd.parsed("device", [&] { return parse_device(rd.text(r, "device", "cpu")); });
  q.precision = rd.parsed("precision", [&] { return parse_precision(rd.text(r, "precision", "auto")); });
  q.tiles = read_tiles(rd, r);
  if (r.contains("overrides")) {
    if (!r.at("overrides").is_array()) rd.fail("\"request.overrides\" is not a list");
    for (const json& oj : r.at("overrides")) {
      StepOverride o;
      o.step = static_cast<int>(rd.integer(oj, "step", 0, 1, kMaxZoomSteps));
      if (oj.contains("prompt")) o.prompt = rd.text(oj, "prompt");
      if (oj.contains("prompt_mode"))
        o.prompt_mode = rd.parsed("prompt_mode", [&] { return parse_prompt_mode(rd.text(oj, "prompt_mode")); });
      if (oj.contains("point")) {
        o.point_x = rd.number(oj.at("point"), "x", 0.5);
        o.point_y = rd.number(oj.at("point"), "y", 0.5);
      }
      q.overrides.push_back(std::move(o));
    }
  }
  rd.parsed("request", [&] { return plan_zoom(q.input_width, q.input_height, q); });  // every value in range
  rec.precision_used = rd.text(doc, "precision_used");
  const json& steps = rd.member(doc, "steps");
  if (!steps.is_array() || steps.empty() || steps.size() > static_cast<size_t>(q.steps) + 1)
    rd.fail("\"steps\" must list 1 to " + std::to_string(q.steps + 1) + " steps");
  for (size_t i = 0; i < steps.size(); ++i) {
    if (rd.integer(steps[i], "step", -1, 0, kMaxZoomSteps) != static_cast<int64_t>(i))
      rd.fail("\"steps\"[" + std::to_string(i) + "] is not step " + std::to_string(i));
    rec.step_files.push_back(rd.text(steps[i], "file"));
    rec.prompts.push_back(rd.text(steps[i], "prompt"));
  }
  rec.models = rd.models(doc);
  rec.complete = !doc.contains("complete") || doc.at("complete") != false;
  return rec;
}

UpscaleRecord parse_upscale_recipe(const std::string& json_text, const std::string& where) {
  const Reader rd{where};
  const json doc = rd.parse(json_text);
  if (rd.text(doc, "format") != "coz-upscale") rd.fail("not a CoZ upscale recipe (\"format\" is not \"coz-upscale\")");
  UpscaleRecord rec;
  rec.coz_version = rd.text(doc, "coz_version");
  const json& in = rd.member(doc, "input");
  rec.input_file = rd.text(in, "file");
  rec.input_width = static_cast<int>(rd.integer(in, "width", 0, 1, 1 << 20));
  rec.input_height = static_cast<int>(rd.integer(in, "height", 0, 1, 1 << 20));
  const json& r = rd.member(doc, "request");
  UpscaleRequest& q = rec.request;
  q.model = rd.text(r, "model", q.model);
  q.scale = rd.number(r, "scale", 4.0);
  if (!(q.scale > 1.0 && q.scale <= 64.0)) rd.fail("\"scale\" must be above 1 and at most 64");
  q.color_fix = rd.parsed("color_fix", [&] { return parse_color_fix(rd.text(r, "color_fix", "none")); });
  q.device = rd.parsed("device", [&] { return parse_device(rd.text(r, "device", "cpu")); });
  q.precision = rd.parsed("precision", [&] { return parse_precision(rd.text(r, "precision", "auto")); });
  q.tiles = read_tiles(rd, r);
  q.max_side = static_cast<int>(rd.integer(r, "max_side", q.max_side, 1, 1 << 20));
  rec.models = rd.models(doc);
  return rec;
}

std::vector<std::string> recipe_input_candidates(const std::string& recorded, const std::string& image) {
  namespace fs = std::filesystem;
  const fs::path name = fs::path(recorded).filename();
  if (name.empty()) return {};
  const fs::path dir = fs::path(image).parent_path();
  std::vector<std::string> out;
  for (std::string p : {recorded, (dir / name).string(), (dir.parent_path() / name).string()})
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(std::move(p));
  return out;
}

}  // namespace coz
