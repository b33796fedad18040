// `coz serve`: the seed's HTTP API over one engine. Requests are JSON; images travel as base64
// (a data: prefix is accepted) and are decoded through the same checked reader as files. One
// worker runs the engine at a time (models stay loaded between requests); at most `queue` requests
// wait for it, more are answered 429. Errors are JSON {success: false, error, code} with the CLI's
// exit codes. Endpoints:
//   GET  /health     {status: healthy|not_ready, models_loaded: [ids]}
//   GET  /v1/models  the backbones and prompt sources, installed or not
//   POST /upscale    {image, scale = 4, model, max_side = 8192, color_fix} -> {success, image, original_size,
//                    output_size, scale}; the size rule of `coz upscale` (round(w*scale) x round(h*scale))
//   POST /process    {image, zoom_steps 1..8 = 4, user_prompt, model, prompt_mode, process_size = 512,
//                    recursion} -> {success, image (the last step, PNG), zoom_steps, final_resolution, prompts}
//   POST /zoom       as /process, plus center_x, center_y (fractions of the width and height, 0.5 = centre)
//   AUTOMATIC1111: GET /sdapi/v1/upscalers, POST /sdapi/v1/extra-single-image, extra-batch-images,
//                  GET /sdapi/v1/progress, POST /sdapi/v1/interrupt
#include "serve.h"

#include <httplib.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "base64.h"
#include "cli.h"
#include "coz/export.h"
#include "coz/fingerprint.h"

namespace coz::cli {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

struct HttpError : std::runtime_error {
  int status, code;
  HttpError(int s, int c, const std::string& m) : std::runtime_error(m), status(s), code(c) {}
};

// Standard or URL-safe alphabet, whitespace ignored, padding optional; a data: URL prefix is dropped.
std::string base64_decode(const std::string& field, const std::string& in) {
  size_t start = 0;
  if (in.rfind("data:", 0) == 0) {
    const size_t comma = in.find(',');
    if (comma == std::string::npos || in.find(";base64", 0) > comma)
      throw HttpError(400, kInputError, field + " is a data: URL without base64 content");
    start = comma + 1;
  }
  std::string out;
  size_t at = 0;
  switch (cli::base64_decode(in, start, out, at)) {
    case Base64Error::BadCharacter:
      throw HttpError(400, kInputError, field + " is not valid base64 (character " + std::to_string(at) + ")");
    case Base64Error::DataAfterPadding:
      throw HttpError(400, kInputError, field + " is not valid base64 (data after padding)");
    case Base64Error::Truncated: throw HttpError(400, kInputError, field + " is not valid base64 (truncated)");
    case Base64Error::None: break;
  }
  if (out.empty()) throw HttpError(400, kInputError, field + " is empty");
  return out;
}

// The image format from its first bytes (PNG, JPEG, WebP, TIFF, BMP), as a file extension.
std::string sniff_extension(const std::string& b) {
  auto starts = [&](const char* m, size_t n, size_t at = 0) { return b.size() >= at + n && b.compare(at, n, m, n) == 0; };
  if (starts("\x89PNG\r\n\x1a\n", 8)) return ".png";
  if (starts("\xff\xd8\xff", 3)) return ".jpg";
  if (starts("RIFF", 4) && starts("WEBP", 4, 8)) return ".webp";
  if (starts("II*\0", 4) || starts("MM\0*", 4)) return ".tif";
  if (starts("BM", 2)) return ".bmp";
  return "";
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "coz-serve-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a temporary folder: " + std::string(std::strerror(errno)));
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

int http_status(const std::exception& e) {
  switch (error_kind(e)) {
    case ErrorKind::InvalidInput: return 400;
    case ErrorKind::ModelLoad: return 503;
    case ErrorKind::OutOfMemory: return 507;
    case ErrorKind::Cancelled: return 503;
    default: return 500;
  }
}

int exit_code(const std::exception& e) {
  switch (error_kind(e)) {
    case ErrorKind::InvalidInput: return kInputError;
    case ErrorKind::ModelLoad: return kModelError;
    case ErrorKind::OutOfMemory: return kOutOfMemory;
    case ErrorKind::Cancelled: return kCancelled;
    case ErrorKind::Download: return kDownloadError;
    default: return kFailure;
  }
}

// How far a run is, 0..1, from the engine's step and tile counters.
double progress_fraction(const Progress& p) {
  const double within = p.tiles > 0 ? static_cast<double>(p.tile - 1) / p.tiles : 0.0;
  return (std::max(0, p.step - 1) + within) / p.steps;
}

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

class Service {
 public:
  Service(const ServeOptions& o, const std::atomic<bool>& stop) : o_(o), stop_(stop), engine_(o.engine) {}

  json health() const {
    std::lock_guard<std::mutex> lock(loaded_mu_);
    const bool ready = engine_.status(o_.model).installed;
    return {{"status", ready ? "healthy" : "not_ready"}, {"models_loaded", std::vector<std::string>(loaded_.begin(), loaded_.end())},
            {"default_model", o_.model}};
  }

  json models() const {
    json backbones = json::array(), prompts = json::array();
    for (const auto& s : engine_.models())
      backbones.push_back({{"id", s.info.id}, {"family", s.info.family}, {"description", s.info.description},
                           {"installed", s.installed}, {"scales", s.info.scales}});
    for (const auto& s : engine_.prompt_sources())
      prompts.push_back({{"id", s.info.id}, {"family", s.info.family}, {"description", s.info.description},
                         {"installed", s.installed}});
    return {{"backbones", backbones}, {"prompt_sources", prompts}, {"default_model", o_.model}};
  }

  Engine& engine() { return engine_; }
  std::mutex& run_mutex() { return run_mu_; }
  Image image_from(const json& body) const { return image_of(body); }
  // An uploaded file's bytes (multipart) as an image.
  Image image_from_bytes(const std::string& bytes) const { return decode_bytes(bytes); }

  // Cancels the running request (POST /sdapi/v1/interrupt, shutdown).
  void interrupt() { interrupt_ = true; }

  // AUTOMATIC1111's GET /sdapi/v1/progress.
  json progress() const {
    const bool busy = busy_.load();
    const double p = busy ? progress_.load() : 0.0, elapsed = busy ? now_s() - started_.load() : 0.0;
    const double eta = busy && p > 0.01 ? elapsed / p - elapsed : 0.0;
    return {{"progress", p}, {"eta_relative", eta}, {"current_image", nullptr},
            {"textinfo", busy ? "working" : "idle"},
            {"state", {{"skipped", false}, {"interrupted", interrupt_.load()}, {"job", busy ? "upscale" : ""},
                       {"job_count", busy ? 1 : 0}, {"job_no", jobs_done_.load()}, {"sampling_step", 0}, {"sampling_steps", 0}}}};
  }

  // AUTOMATIC1111's GET /sdapi/v1/upscalers: our backbones (no server paths).
  json upscalers() const {
    json list = json::array();
    for (const auto& s : engine_.models()) {
      if (!s.installed) continue;
      list.push_back({{"name", s.info.id}, {"model_name", s.info.family}, {"model_path", nullptr}, {"model_url", nullptr},
                      {"scale", s.info.scales.empty() ? 4 : s.info.scales.back()}});
    }
    return list;
  }

  // AUTOMATIC1111's extras: one image (POST /sdapi/v1/extra-single-image) or several
  // (extra-batch-images, "imageList": [{data, name}]). resize_mode 0 scales by upscaling_resize,
  // 1 to upscaling_resize_w x upscaling_resize_h (covering, then centre-cropped with upscaling_crop).
  // What we do not do (face restoration, a second upscaler) is accepted and said in html_info.
  json extras(const json& body, bool batch) {
    std::vector<std::string> notes;
    for (const char* k : {"gfpgan_visibility", "codeformer_visibility"})
      if (number(body, k, 0) > 0) notes.push_back(std::string(k) + " ignored: CoZ Studio does no face restoration");
    if (body.contains("upscaler_2") && body["upscaler_2"].is_string() && body["upscaler_2"] != "None" &&
        number(body, "extras_upscaler_2_visibility", 0) > 0)
      notes.push_back("upscaler_2 ignored: one upscaler per request");
    const std::string name = body.contains("upscaler_1") ? text(body, "upscaler_1") : o_.model;
    const int mode = static_cast<int>(integer(body, "resize_mode", 0, 0, 1));
    const double factor = number(body, "upscaling_resize", 2.0);
    const int64_t tw = integer(body, "upscaling_resize_w", 512, 1, 1 << 16), th = integer(body, "upscaling_resize_h", 512, 1, 1 << 16);
    const bool crop = !body.contains("upscaling_crop") || !body["upscaling_crop"].is_boolean() || body["upscaling_crop"].get<bool>();
    std::vector<json> inputs;
    if (batch) {
      if (!body.contains("imageList") || !body["imageList"].is_array() || body["imageList"].empty())
        throw HttpError(400, kUsage, "imageList must be a list of {data, name}");
      for (const auto& item : body["imageList"]) {
        if (!item.is_object() || !item.contains("data")) throw HttpError(400, kUsage, "every imageList entry needs \"data\"");
        inputs.push_back({{"image", item["data"]}});
      }
    } else {
      inputs.push_back({{"image", body.value("image", json())}});
    }
    json images = json::array();
    for (const auto& in : inputs) {
      Image img = image_of(in);
      Image out = img;
      if (name != "None") {
        UpscaleRequest req;
        req.image = img;
        req.model = model_of({{"model", name}});
        req.scale = mode == 0 ? factor
                              : std::max(static_cast<double>(tw) / img.width(), static_cast<double>(th) / img.height());
        if (!(req.scale > 1.0) || req.scale > 64)
          throw HttpError(400, kUsage, "the upscale factor must be above 1 and at most 64 (got " + std::to_string(req.scale) + ")");
        req.device = o_.device;
        req.precision = o_.precision;
        req.tiles = o_.tiles;
        engine_.plan_upscale(img.width(), img.height(), req.model, req.scale, req.max_side);
        out = run([&](const RunControl& ctl) { return engine_.upscale(req, ctl); }, req.model);
        if (mode == 1 && crop && (out.width() > tw || out.height() > th)) {
          const int64_t x = (out.width() - std::min<int64_t>(tw, out.width())) / 2;
          const int64_t y = (out.height() - std::min<int64_t>(th, out.height())) / 2;
          out.rgb = out.rgb.narrow(2, y, std::min<int64_t>(th, out.height())).narrow(3, x, std::min<int64_t>(tw, out.width())).contiguous();
          if (out.alpha.defined())
            out.alpha = out.alpha.narrow(2, y, out.rgb.size(2)).narrow(3, x, out.rgb.size(3)).contiguous();
        }
      } else {
        notes.push_back("upscaler_1 None: the image is returned as it was");
      }
      images.push_back(base64_encode(io::encode_image(".png", out)));
    }
    std::string info = "CoZ Studio, " + name;
    for (const auto& n : notes) info += "; " + n;
    if (batch) return {{"images", images}, {"html_info", info}};
    return {{"image", images[0]}, {"html_info", info}};
  }

  UpscaleRequest upscale_request(const json& body, Image image) const {
    UpscaleRequest req;
    req.image = std::move(image);
    req.scale = number(body, "scale", 4.0);
    if (!(req.scale > 1.0) || req.scale > 64) throw HttpError(400, kUsage, "scale must be a number above 1 (got " + body.value("scale", json()).dump() + ")");
    req.model = model_of(body);
    req.max_side = static_cast<int>(integer(body, "max_side", 8192, 1, 1 << 16));
    if (body.contains("color_fix")) req.color_fix = parse_color_fix(text(body, "color_fix"));
    req.device = o_.device;
    req.precision = o_.precision;
    req.tiles = o_.tiles;
    engine_.plan_upscale(req.image.width(), req.image.height(), req.model, req.scale, req.max_side);
    require_installed(req.model);
    return req;
  }

  json upscale(const json& body) {
    UpscaleRequest req = upscale_request(body, image_of(body));  // checks the plan
    Image out = run([&](const RunControl& ctl) { return engine_.upscale(req, ctl); }, req.model);
    io::WriteOptions wo;
    wo.recipe = upscale_recipe_json(req, "upload", hub::model_fingerprints(engine_, req));
    return {{"success", true}, {"image", base64_encode(io::encode_image(".png", out, wo))},
            {"original_size", {req.image.width(), req.image.height()}}, {"output_size", {out.width(), out.height()}},
            {"scale", req.scale}, {"model", req.model}};
  }

  ZoomRequest zoom_request(const json& body, Image image, bool with_center) const {
    ZoomRequest req;
    req.image = std::move(image);
    // The seed's field names, or those of a steps.json "request" object (steps, center {x, y}).
    req.steps = static_cast<int>(integer(body, body.contains("zoom_steps") ? "zoom_steps" : "steps", 4, 1, kMaxZoomSteps));
    req.user_prompt = body.contains("user_prompt") ? text(body, "user_prompt") : "";
    req.model = model_of(body);
    req.process_size = static_cast<int>(integer(body, "process_size", 512, 16, 4096));
    if (req.process_size % 4) throw HttpError(400, kUsage, "process_size must be a multiple of 4");
    if (body.contains("prompt_mode")) req.prompt_mode = parse_prompt_mode(text(body, "prompt_mode"));
    if (body.contains("recursion")) req.recursion = parse_recursion(text(body, "recursion"));
    if (body.contains("color_fix")) req.color_fix = parse_color_fix(text(body, "color_fix"));
    if (body.contains("seed")) req.seed = static_cast<uint64_t>(integer(body, "seed", 0, 0, int64_t{1} << 62));
    if (with_center) {
      req.center_x = number(body, "center_x", 0.5);
      req.center_y = number(body, "center_y", 0.5);
      if (body.contains("center") && body["center"].is_object()) {
        req.center_x = number(body["center"], "x", req.center_x);
        req.center_y = number(body["center"], "y", req.center_y);
      }
      if (!(req.center_x >= 0 && req.center_x <= 1 && req.center_y >= 0 && req.center_y <= 1))
        throw HttpError(400, kUsage, "center_x and center_y are fractions of the width and height, between 0 and 1");
    }
    req.device = o_.device;
    req.precision = o_.precision;
    req.tiles = o_.tiles;
    plan_zoom(req.image.width(), req.image.height(), req);
    require_installed(req.model);
    if (!engine_.prompt_source_status(req.prompt_mode).installed)
      throw ModelLoadError(std::string("prompt mode ") + prompt_mode_name(req.prompt_mode) + " is not installed: " +
                           engine_.prompt_source_status(req.prompt_mode).install_hint);
    return req;
  }

  json zoom(const json& body, bool with_center) {
    ZoomRequest req = zoom_request(body, image_of(body), with_center);
    ZoomResult res = run([&](const RunControl& ctl) { return engine_.zoom(req, ctl); }, req.model);
    Image last;
    last.rgb = res.steps.back().output;
    json prompts = json::array();
    for (size_t k = 1; k < res.steps.size(); ++k) prompts.push_back(res.steps[k].prompt);
    ZoomRecordFiles files;
    files.input = "upload";
    files.models = hub::model_fingerprints(engine_, req);
    for (const StepResult& st : res.steps) files.steps.push_back("step_" + std::to_string(st.step) + ".png");
    io::WriteOptions wo;
    wo.recipe = zoom_recipe_json(req, res, files, req.steps);
    return {{"success", true}, {"image", base64_encode(io::encode_image(".png", last, wo))}, {"zoom_steps", req.steps},
            {"final_resolution", {last.width(), last.height()}}, {"prompts", prompts}, {"model", req.model}};
  }

 private:
  const ServeOptions& o_;
  const std::atomic<bool>& stop_;
  Engine engine_;
  std::mutex run_mu_;
  std::atomic<int> waiting_{0};
  std::atomic<bool> interrupt_{false};  // the running job's cancel flag (interrupt, shutdown)
  std::atomic<bool> busy_{false};
  std::atomic<double> progress_{0}, started_{0};
  std::atomic<int64_t> jobs_done_{0};
  mutable std::mutex loaded_mu_;
  std::set<std::string> loaded_;

  // One worker: the engine runs one request at a time; `queue` more may wait.
  template <class F>
  auto run(F&& f, const std::string& model) -> decltype(f(RunControl{})) {
    if (waiting_.fetch_add(1) >= o_.queue + 1) {
      waiting_.fetch_sub(1);
      throw HttpError(429, kFailure, "busy: " + std::to_string(o_.queue) + " requests are already waiting; retry later");
    }
    struct Leave {
      std::atomic<int>& n;
      ~Leave() { n.fetch_sub(1); }
    } leave{waiting_};
    std::lock_guard<std::mutex> lock(run_mu_);
    require_installed(model);
    interrupt_ = stop_.load();
    progress_ = 0;
    started_ = now_s();
    busy_ = true;
    struct Idle {
      Service& s;
      ~Idle() {
        s.busy_ = false;
        s.progress_ = 0;
        ++s.jobs_done_;
      }
    } idle{*this};
    RunControl ctl;
    ctl.cancel = &interrupt_;
    ctl.on_progress = [this](const Progress& p) {
      if (p.steps <= 0) return;
      const double f = progress_fraction(p);
      if (f > progress_.load()) progress_ = std::min(f, 0.999);
    };
    auto out = f(ctl);
    if (interrupt_.load()) throw Cancelled();
    std::lock_guard<std::mutex> l2(loaded_mu_);
    loaded_.insert(model);
    return out;
  }

  Image image_of(const json& body) const {
    if (!body.contains("image") || !body["image"].is_string())
      throw HttpError(400, kUsage, "image is missing: send the picture as a base64 string in \"image\"");
    return decode_bytes(base64_decode("image", body["image"].get<std::string>()));
  }

  Image decode_bytes(const std::string& bytes) const {
    if (sniff_extension(bytes).empty()) throw HttpError(400, kInputError, "image is not a PNG, JPEG, WebP, TIFF or BMP file");
    try {
      return io::decode_image(bytes, "image", o_.read);
    } catch (const InvalidInput& e) {
      throw HttpError(400, kInputError, e.what());
    }
  }


  void require_installed(const std::string& model) const {
    if (const BackboneStatus st = engine_.status(model); !st.installed)
      throw ModelLoadError("model " + model + " is not installed: " + st.install_hint);
  }

  std::string model_of(const json& body) const {
    const std::string m = body.contains("model") ? text(body, "model") : o_.model;
    try {
      engine_.backbone_info(m);
    } catch (const InvalidInput& e) {
      throw HttpError(400, kUsage, e.what());
    }
    return m;
  }

  static std::string text(const json& b, const char* key) {
    if (!b[key].is_string()) throw HttpError(400, kUsage, std::string(key) + " must be a string");
    return b[key].get<std::string>();
  }
  static double number(const json& b, const char* key, double fallback) {
    if (!b.contains(key) || b[key].is_null()) return fallback;
    if (!b[key].is_number()) throw HttpError(400, kUsage, std::string(key) + " must be a number (got " + b[key].dump() + ")");
    return b[key].get<double>();
  }
  static int64_t integer(const json& b, const char* key, int64_t fallback, int64_t lo, int64_t hi) {
    if (!b.contains(key) || b[key].is_null()) return fallback;
    if (!b[key].is_number_integer() || b[key].get<int64_t>() < lo || b[key].get<int64_t>() > hi)
      throw HttpError(400, kUsage, std::string(key) + " must be a whole number from " + std::to_string(lo) + " to " +
                                       std::to_string(hi) + " (got " + b[key].dump() + ")");
    return b[key].get<int64_t>();
  }
};


// ---- the async job API ------------------------------------------------------------------------

struct Job {
  std::string id, kind;  // kind: zoom | upscale
  json request;          // the body, without the image
  Image image;
  std::string status = "queued";  // queued, running, done, failed, cancelled
  std::string error;
  int code = 0;
  double progress = 0, created = now_s(), finished = 0;
  int steps_done = 0;
  std::vector<json> events;  // in order; SSE clients replay from any index
  std::atomic<bool> cancel{false};
  fs::path dir;              // <server temp>/<id>: live/step_K.png while running, result/ when done
};

class Jobs {
 public:
  Jobs(const ServeOptions& o, Engine& engine, std::mutex& run_mu, const fs::path& root)
      : o_(o), engine_(engine), run_mu_(run_mu), root_(root), worker_([this] { work(); }) {}
  ~Jobs() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      quit_ = true;
      for (auto& [id, j] : jobs_) j->cancel = true;
    }
    cv_.notify_all();
    worker_.join();
  }

  void cancel_all() {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [id, j] : jobs_) j->cancel = true;
  }

  json submit(const std::string& kind, json request, Image image) {
    auto j = std::make_shared<Job>();
    j->id = random_id();
    j->kind = kind;
    j->request = std::move(request);
    j->image = std::move(image);
    j->dir = root_ / j->id;
    {
      std::lock_guard<std::mutex> lock(mu_);
      purge_locked();
      if (static_cast<int>(queue_.size()) >= o_.queue + 1)
        throw HttpError(429, kFailure, "busy: " + std::to_string(queue_.size()) + " jobs are waiting; retry later");
      jobs_[j->id] = j;
      queue_.push_back(j);
      add_event_locked(*j, "queued", {{"position", queue_.size()}});
    }
    cv_.notify_all();
    return {{"id", j->id}, {"status", "queued"}, {"status_url", "/v1/jobs/" + j->id}, {"events_url", "/v1/jobs/" + j->id + "/events"}};
  }

  std::shared_ptr<Job> get(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = jobs_.find(id);
    if (it == jobs_.end()) throw HttpError(404, kUsage, "no job " + id + " (finished jobs are kept for --job-ttl seconds)");
    return it->second;
  }

  json status(const std::string& id) {
    auto j = get(id);
    std::lock_guard<std::mutex> lock(mu_);
    json s = {{"id", j->id}, {"kind", j->kind}, {"status", j->status}, {"progress", j->progress},
              {"steps_done", j->steps_done}, {"events", j->events.size()}, {"request", j->request}};
    if (!j->error.empty()) s["error"] = j->error, s["code"] = j->code;
    if (j->status == "done") s["result_url"] = "/v1/jobs/" + j->id + (j->kind == "zoom" ? "/strip.png" : "/result.png");
    return s;
  }

  json remove(const std::string& id) {
    auto j = get(id);
    std::lock_guard<std::mutex> lock(mu_);
    j->cancel = true;
    if (j->status == "queued") {
      queue_.erase(std::remove(queue_.begin(), queue_.end(), j), queue_.end());
      finish_locked(*j, "cancelled", "cancelled before it started", kCancelled);
    }
    return {{"id", j->id}, {"status", j->status == "running" ? "cancelling" : j->status}};
  }

  // Events from index `from`; waits up to `wait_ms` for new ones. `ended` when the job has finished
  // and every event is returned.
  std::vector<json> events(const Job& j, size_t from, int wait_ms, bool& ended) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return j.events.size() > from || quit_; });
    std::vector<json> out(j.events.begin() + static_cast<std::ptrdiff_t>(std::min(from, j.events.size())), j.events.end());
    ended = (j.status == "done" || j.status == "failed" || j.status == "cancelled") && from + out.size() >= j.events.size();
    return out;
  }

  // A file of a job's results (step_K.png, strip.png, result.png), or "" while it does not exist.
  fs::path file(const Job& j, const std::string& name) {
    std::error_code ec;
    for (const char* sub : {"result", "live"})
      if (fs::is_regular_file(j.dir / sub / name, ec)) return j.dir / sub / name;
    return {};
  }

 private:
  const ServeOptions& o_;
  Engine& engine_;
  std::mutex& run_mu_;
  fs::path root_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::deque<std::shared_ptr<Job>> queue_;
  bool quit_ = false;
  std::thread worker_;

  static std::string random_id() {
    static std::mutex m;
    static std::mt19937_64 rng{std::random_device{}()};
    std::lock_guard<std::mutex> lock(m);
    char buf[33];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(rng()), static_cast<unsigned long long>(rng()));
    return buf;
  }

  void add_event_locked(Job& j, const std::string& type, json data) {
    data["event"] = type;
    data["seq"] = j.events.size();
    j.events.push_back(std::move(data));
  }
  void add_event(Job& j, const std::string& type, json data) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      add_event_locked(j, type, std::move(data));
    }
    cv_.notify_all();
  }
  void finish_locked(Job& j, const std::string& status, const std::string& error, int code) {
    j.status = status;
    j.error = error;
    j.code = code;
    j.finished = now_s();
    j.image = Image();
    if (status == "done") add_event_locked(j, "done", {{"status", status}, {"result_url", "/v1/jobs/" + j.id + (j.kind == "zoom" ? "/strip.png" : "/result.png")}});
    else add_event_locked(j, "error", {{"status", status}, {"error", error}, {"code", code}});
  }

  // Finished jobs and their files go after --job-ttl seconds.
  void purge_locked() {
    const double now = now_s();
    for (auto it = jobs_.begin(); it != jobs_.end();) {
      if (it->second->finished > 0 && now - it->second->finished > o_.job_ttl) {
        std::error_code ec;
        fs::remove_all(it->second->dir, ec);
        it = jobs_.erase(it);
      } else {
        ++it;
      }
    }
  }

  void work() {
    for (;;) {
      std::shared_ptr<Job> j;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return quit_ || !queue_.empty(); });
        if (quit_) return;
        j = queue_.front();
        queue_.pop_front();
        j->status = "running";
        add_event_locked(*j, "running", json::object());
      }
      cv_.notify_all();
      run(*j);
      cv_.notify_all();
    }
  }

  void run(Job& j) {
    try {
      std::lock_guard<std::mutex> engine_lock(run_mu_);
      fs::create_directories(j.dir / "live");
      RunControl ctl;
      ctl.cancel = &j.cancel;
      const double t0 = now_s();
      ctl.on_progress = [&](const Progress& p) {
        double f = j.progress;
        if (p.steps > 0) f = progress_fraction(p);
        f = std::max(j.progress, std::min(f, 0.999));
        const double el = now_s() - t0;
        {
          std::lock_guard<std::mutex> lock(mu_);
          j.progress = f;
        }
        add_event(j, "progress", {{"stage", stage_name(p.stage)}, {"step", p.step}, {"steps", p.steps}, {"tile", p.tile},
                                  {"tiles", p.tiles}, {"progress", f}, {"eta_seconds", f > 0.01 ? el / f - el : -1.0}});
      };
      if (j.kind == "zoom") {
        ZoomRequest req = zoom_request_(j.request, j.image);
        ctl.on_step = [&](const StepResult& st) {
          Image im;
          im.rgb = st.output;
          io::write_image((j.dir / "live" / ("step_" + std::to_string(st.step) + ".png")).string(), im);
          {
            std::lock_guard<std::mutex> lock(mu_);
            j.steps_done = st.step;
          }
          add_event(j, "step", {{"index", st.step}, {"steps", st.steps}, {"prompt", st.prompt},
                                {"crop", {st.plan.crop.x, st.plan.crop.y, st.plan.crop.w, st.plan.crop.h}},
                                {"url", "/v1/jobs/" + j.id + "/steps/" + std::to_string(st.step) + ".png"}});
        };
        ZoomResult res = engine_.zoom(req, ctl);
        ctl.check_cancel();
        io::ZoomExportOptions eo;
        eo.input = "upload";
        eo.models = hub::model_fingerprints(engine_, req);
        io::export_zoom(j.dir / "result", req, res, eo, ctl);
      } else {
        UpscaleRequest req = upscale_request_(j.request, j.image);
        Image out = engine_.upscale(req, ctl);
        ctl.check_cancel();
        fs::create_directories(j.dir / "result");
        io::WriteOptions wo;
        wo.recipe = upscale_recipe_json(req, "upload", hub::model_fingerprints(engine_, req));
        io::write_image((j.dir / "result" / "result.png").string(), out, wo);
      }
      std::lock_guard<std::mutex> lock(mu_);
      j.progress = 1;
      finish_locked(j, "done", "", 0);
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mu_);
      if (error_kind(e) == ErrorKind::Cancelled || j.cancel.load()) finish_locked(j, "cancelled", "cancelled", kCancelled);
      else finish_locked(j, "failed", e.what(), exit_code(e));
    }
  }

 public:
  std::function<ZoomRequest(const json&, const Image&)> zoom_request_;
  std::function<UpscaleRequest(const json&, const Image&)> upscale_request_;
};

void reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void reply_error(httplib::Response& res, int status, int code, const std::string& msg) {
  reply(res, status, {{"success", false}, {"error", msg}, {"code", code}});
}

bool same_token(const std::string& a, const std::string& b) {  // constant time in the token's length
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < b.size(); ++i) diff |= static_cast<unsigned char>((i < a.size() ? a[i] : 0) ^ b[i]);
  return diff == 0;
}

}  // namespace

bool is_loopback_host(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

// The API in OpenAPI 3.0 (GET /openapi.json).
json openapi() {
  auto obj = [](json props, std::vector<std::string> required = {}) {
    json o = {{"type", "object"}, {"properties", std::move(props)}};
    if (!required.empty()) o["required"] = required;
    return o;
  };
  const json str = {{"type", "string"}}, num = {{"type", "number"}}, integer = {{"type", "integer"}},
             boolean = {{"type", "boolean"}}, size = {{"type", "array"}, {"items", integer}, {"minItems", 2}, {"maxItems", 2}};
  const json b64img = {{"type", "string"}, {"format", "byte"}, {"description", "PNG, JPEG, WebP, TIFF or BMP, base64 (a data: URL is accepted)"}};
  const json error = obj({{"success", boolean}, {"error", str}, {"code", {{"type", "integer"}, {"description", "the coz CLI's exit code"}}}});
  const json upscale_in = obj({{"image", b64img}, {"scale", num}, {"model", str}, {"max_side", integer}, {"color_fix", str}}, {"image"});
  const json zoom_in = obj({{"image", b64img}, {"zoom_steps", integer}, {"user_prompt", str}, {"model", str}, {"prompt_mode", str},
                            {"process_size", integer}, {"recursion", str}, {"color_fix", str}, {"seed", integer},
                            {"center_x", num}, {"center_y", num}}, {"image"});
  const json zoom_out = obj({{"success", boolean}, {"image", b64img}, {"zoom_steps", integer}, {"final_resolution", size},
                             {"prompts", {{"type", "array"}, {"items", str}}}});
  auto json_body = [](const json& schema) { return json{{"required", true}, {"content", {{"application/json", {{"schema", schema}}}}}}; };
  auto answer = [&](const json& schema) {
    return json{{"200", {{"description", "ok"}, {"content", {{"application/json", {{"schema", schema}}}}}}},
                {"400", {{"description", "bad request"}, {"content", {{"application/json", {{"schema", error}}}}}}},
                {"413", {{"description", "request too large"}}}, {"429", {{"description", "busy; retry later"}}},
                {"503", {{"description", "model not installed"}}}};
  };
  const json id = {{"name", "id"}, {"in", "path"}, {"required", true}, {"schema", str}};
  const json png = {{"200", {{"description", "PNG"}, {"content", {{"image/png", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}}},
                    {"404", {{"description", "not there (yet)"}}}};
  json paths = {
      {"/health", {{"get", {{"summary", "readiness"}, {"responses", answer(obj({{"status", str}, {"models_loaded", {{"type", "array"}, {"items", str}}}}))}}}}},
      {"/v1/models", {{"get", {{"summary", "backbones and prompt sources"}, {"responses", answer(obj({}))}}}}},
      {"/upscale", {{"post", {{"summary", "upscale a whole image (coz upscale)"}, {"requestBody", json_body(upscale_in)},
                              {"responses", answer(obj({{"success", boolean}, {"image", b64img}, {"original_size", size}, {"output_size", size}, {"scale", num}}))}}}}},
      {"/process", {{"post", {{"summary", "zoom into the centre (coz zoom)"}, {"requestBody", json_body(zoom_in)}, {"responses", answer(zoom_out)}}}}},
      {"/zoom", {{"post", {{"summary", "zoom into center_x, center_y"}, {"requestBody", json_body(zoom_in)}, {"responses", answer(zoom_out)}}}}},
      {"/v1/jobs", {{"post", {{"summary", "start a zoom or upscale job (JSON, or multipart with parts image and options)"},
                              {"requestBody", {{"required", true}, {"content", {{"application/json", {{"schema", zoom_in}}},
                                                                                {"multipart/form-data", {{"schema", obj({{"image", {{"type", "string"}, {"format", "binary"}}}, {"options", str}}, {"image"})}}}}}}},
                              {"responses", {{"202", {{"description", "accepted"}, {"content", {{"application/json", {{"schema", obj({{"id", str}, {"status_url", str}, {"events_url", str}})}}}}}}}}}}}}},
      {"/v1/jobs/{id}", {{"get", {{"summary", "a job's state"}, {"parameters", {id}}, {"responses", answer(obj({{"status", str}, {"progress", num}}))}}},
                         {"delete", {{"summary", "cancel a job"}, {"parameters", {id}}, {"responses", answer(obj({{"status", str}}))}}}}},
      {"/v1/jobs/{id}/events", {{"get", {{"summary", "server-sent events: queued, running, progress, step, done, error"}, {"parameters", {id}},
                                         {"responses", {{"200", {{"description", "text/event-stream"}}}}}}}}},
      {"/v1/jobs/{id}/steps/{k}.png", {{"get", {{"summary", "a zoom step's image"}, {"parameters", {id, {{"name", "k"}, {"in", "path"}, {"required", true}, {"schema", integer}}}}, {"responses", png}}}}},
      {"/v1/jobs/{id}/strip.png", {{"get", {{"summary", "all steps side by side"}, {"parameters", {id}}, {"responses", png}}}}},
      {"/v1/jobs/{id}/result.png", {{"get", {{"summary", "an upscale job's image"}, {"parameters", {id}}, {"responses", png}}}}},
      {"/sdapi/v1/upscalers", {{"get", {{"summary", "AUTOMATIC1111: the upscalers (our backbones)"}, {"responses", answer({{"type", "array"}, {"items", obj({{"name", str}, {"scale", num}})}})}}}}},
      {"/sdapi/v1/extra-single-image", {{"post", {{"summary", "AUTOMATIC1111: upscale one image"}, {"requestBody", json_body(obj({{"image", b64img}, {"resize_mode", integer}, {"upscaling_resize", num}, {"upscaling_resize_w", integer}, {"upscaling_resize_h", integer}, {"upscaling_crop", boolean}, {"upscaler_1", str}}))},
                                                  {"responses", answer(obj({{"image", b64img}, {"html_info", str}}))}}}}},
      {"/sdapi/v1/extra-batch-images", {{"post", {{"summary", "AUTOMATIC1111: upscale several images"}, {"requestBody", json_body(obj({{"imageList", {{"type", "array"}, {"items", obj({{"data", b64img}, {"name", str}})}}}}))},
                                                  {"responses", answer(obj({{"images", {{"type", "array"}, {"items", b64img}}}, {"html_info", str}}))}}}}},
      {"/sdapi/v1/progress", {{"get", {{"summary", "AUTOMATIC1111: progress of the running request"}, {"responses", answer(obj({{"progress", num}, {"eta_relative", num}}))}}}}},
      {"/sdapi/v1/interrupt", {{"post", {{"summary", "AUTOMATIC1111: cancel the running request"}, {"responses", answer(obj({}))}}}}},
  };
  return {{"openapi", "3.0.3"},
          {"info", {{"title", "CoZ Studio API"}, {"version", version()}, {"description", "coz serve: Chain-of-Zoom super-resolution over HTTP"}}},
          {"components", {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
          {"paths", paths}};
}

int serve(const ServeOptions& o, const std::atomic<bool>& stop) {
  Service svc(o, stop);
  httplib::Server server;
  server.set_payload_max_length(o.max_upload);
  server.new_task_queue = [] { return new httplib::ThreadPool(4); };

  server.set_pre_routing_handler([&](const httplib::Request& req, httplib::Response& res) {
    if (!o.cors.empty()) {
      res.set_header("Access-Control-Allow-Origin", o.cors);
      res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type");
      res.set_header("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
      res.set_header("Vary", "Origin");
    }
    if (req.method == "OPTIONS") {
      res.status = o.cors.empty() ? 405 : 204;
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!o.token.empty()) {
      const std::string auth = req.get_header_value("Authorization");
      const std::string want = "Bearer " + o.token;
      if (!same_token(auth, want)) {
        res.set_header("WWW-Authenticate", "Bearer");
        reply_error(res, 401, kUsage, "this server needs the header Authorization: Bearer <token>");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 413) reply_error(res, 413, kInputError, "the request is larger than this server accepts (--max-upload-mb)");
    else if (res.status == 404) reply_error(res, 404, kUsage, "no such endpoint (see GET /v1/models, POST /upscale, /process, /zoom)");
    else reply_error(res, res.status, kFailure, "HTTP " + std::to_string(res.status));
  });
  server.set_logger([&](const httplib::Request& req, const httplib::Response& res) {
    if (!o.quiet) std::fprintf(stderr, "%s %s %s %d\n", req.remote_addr.c_str(), req.method.c_str(), req.path.c_str(), res.status);
  });

  auto handle = [&](const std::function<json(const json&)>& f) {
    return [&, f](const httplib::Request& req, httplib::Response& res) {
      try {
        json body = json::object();
        if (!req.body.empty()) {
          body = json::parse(req.body, nullptr, false);
          if (body.is_discarded() || !body.is_object()) throw HttpError(400, kUsage, "the body is not a JSON object");
        }
        reply(res, 200, f(body));
      } catch (const HttpError& e) {
        if (e.status == 429) res.set_header("Retry-After", "5");
        reply_error(res, e.status, e.code, e.what());
      } catch (const std::exception& e) {
        reply_error(res, http_status(e), exit_code(e), e.what());
      }
    };
  };
  server.Get("/health", handle([&](const json&) { return svc.health(); }));
  server.Get("/v1/models", handle([&](const json&) { return svc.models(); }));
  server.Post("/upscale", handle([&](const json& b) { return svc.upscale(b); }));
  server.Post("/process", handle([&](const json& b) { return svc.zoom(b, false); }));
  server.Post("/zoom", handle([&](const json& b) { return svc.zoom(b, true); }));
  // AUTOMATIC1111-compatible upscaling.
  server.Get("/sdapi/v1/upscalers", handle([&](const json&) { return svc.upscalers(); }));
  server.Post("/sdapi/v1/extra-single-image", handle([&](const json& b) { return svc.extras(b, false); }));
  server.Post("/sdapi/v1/extra-batch-images", handle([&](const json& b) { return svc.extras(b, true); }));
  server.Get("/sdapi/v1/progress", handle([&](const json&) { return svc.progress(); }));
  server.Post("/sdapi/v1/interrupt", handle([&](const json&) {
    svc.interrupt();
    return json::object();
  }));

  // The async job API: results in a private temporary folder, kept for --job-ttl seconds.
  TempDir jobs_root;
  Jobs jobs(o, svc.engine(), svc.run_mutex(), jobs_root.path());
  jobs.zoom_request_ = [&](const json& b, const Image& img) { return svc.zoom_request(b, img, true); };
  jobs.upscale_request_ = [&](const json& b, const Image& img) { return svc.upscale_request(b, img); };
  server.Post("/v1/jobs", [&](const httplib::Request& req, httplib::Response& res) {
    try {
      json body = json::object();
      Image image;
      if (req.is_multipart_form_data()) {
        if (!req.has_file("image")) throw HttpError(400, kUsage, "the multipart request has no \"image\" part");
        if (req.has_file("options")) {
          body = json::parse(req.get_file_value("options").content, nullptr, false);
          if (body.is_discarded() || !body.is_object()) throw HttpError(400, kUsage, "the \"options\" part is not a JSON object");
        }
        image = svc.image_from_bytes(req.get_file_value("image").content);
      } else {
        body = json::parse(req.body, nullptr, false);
        if (body.is_discarded() || !body.is_object()) throw HttpError(400, kUsage, "the body is not a JSON object");
        image = svc.image_from(body);
        body.erase("image");
      }
      const std::string kind = body.value("kind", std::string("zoom"));
      if (kind == "zoom") svc.zoom_request(body, image, true);  // checked now: a bad request is a 400, not a failed job
      else if (kind == "upscale") svc.upscale_request(body, image);
      else throw HttpError(400, kUsage, "kind must be zoom or upscale (got " + kind + ")");
      reply(res, 202, jobs.submit(kind, body, std::move(image)));
    } catch (const HttpError& e) {
      if (e.status == 429) res.set_header("Retry-After", "5");
      reply_error(res, e.status, e.code, e.what());
    } catch (const std::exception& e) {
      reply_error(res, http_status(e), exit_code(e), e.what());
    }
  });
  auto job_route = [&](auto&& f) {
    return [&, f](const httplib::Request& req, httplib::Response& res) {
      try {
        f(req, res);
      } catch (const HttpError& e) {
        reply_error(res, e.status, e.code, e.what());
      } catch (const std::exception& e) {
        reply_error(res, http_status(e), exit_code(e), e.what());
      }
    };
  };
  server.Get(R"(/v1/jobs/([0-9a-f]{32}))", job_route([&](const httplib::Request& req, httplib::Response& res) {
    reply(res, 200, jobs.status(req.matches[1]));
  }));
  server.Delete(R"(/v1/jobs/([0-9a-f]{32}))", job_route([&](const httplib::Request& req, httplib::Response& res) {
    reply(res, 200, jobs.remove(req.matches[1]));
  }));
  server.Get(R"(/v1/jobs/([0-9a-f]{32})/events)", job_route([&](const httplib::Request& req, httplib::Response& res) {
    std::shared_ptr<Job> j = jobs.get(req.matches[1]);
    res.set_header("Cache-Control", "no-cache");
    res.set_chunked_content_provider("text/event-stream", [&jobs, j, sent = size_t{0}](size_t, httplib::DataSink& sink) mutable {
      bool ended = false;
      const auto evs = jobs.events(*j, sent, 1000, ended);
      if (evs.empty() && !ended) {
        static const std::string keep = ": keep-alive\n\n";
        return sink.write(keep.data(), keep.size());
      }
      for (const auto& e : evs) {
        const std::string m = "event: " + e["event"].get<std::string>() + "\ndata: " +
                              e.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
        if (!sink.write(m.data(), m.size())) return false;
        ++sent;
      }
      if (ended) sink.done();
      return true;
    });
  }));
  auto send_file = [&](httplib::Response& res, const std::shared_ptr<Job>& j, const std::string& name) {
    const fs::path f = jobs.file(*j, name);
    if (f.empty()) throw HttpError(404, kUsage, name + " of job " + j->id + " is not there (yet)");
    std::ifstream in(f, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    res.set_content(std::move(bytes), "image/png");
  };
  server.Get(R"(/v1/jobs/([0-9a-f]{32})/steps/(\d{1,2})\.png)", job_route([&](const httplib::Request& req, httplib::Response& res) {
    send_file(res, jobs.get(req.matches[1]), "step_" + std::to_string(std::stoi(req.matches[2])) + ".png");
  }));
  server.Get(R"(/v1/jobs/([0-9a-f]{32})/(strip|result)\.png)", job_route([&](const httplib::Request& req, httplib::Response& res) {
    send_file(res, jobs.get(req.matches[1]), std::string(req.matches[2]) + ".png");
  }));
  server.Get("/openapi.json", [&](const httplib::Request&, httplib::Response& res) { reply(res, 200, openapi()); });

  int port = o.port;
  const std::string bind_host = o.host == "[::1]" ? "::1" : o.host;
  if (port == 0) {
    port = server.bind_to_any_port(bind_host.c_str());
    if (port < 0) throw InvalidInput("cannot listen on " + o.host + ": no free port");
  } else if (!server.bind_to_port(bind_host.c_str(), port)) {
    throw InvalidInput("cannot listen on " + o.host + ":" + std::to_string(port) + " (in use, or not an address of this machine)");
  }
  std::printf("listening on http://%s:%d\n", o.host.c_str(), port);
  std::fflush(stdout);
  std::atomic<bool> ended{false};
  // Stops the server once asked. stop() is repeated until listening has ended: a signal that comes
  // before the accept loop has started would otherwise be lost (httplib ignores stop() then).
  std::thread watcher([&] {
    while (!ended.load()) {
      if (stop.load()) {
        svc.interrupt();
        jobs.cancel_all();
        server.stop();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  server.listen_after_bind();
  ended = true;
  watcher.join();
  if (!stop.load()) return kFailure;
  if (!o.quiet) std::fprintf(stderr, "coz serve: stopped\n");
  return kOk;
}

}  // namespace coz::cli
