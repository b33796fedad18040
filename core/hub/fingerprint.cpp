// Model fingerprints for recipes (coz/hub.h fingerprint_files).
#include <algorithm>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>

#include "coz/atomic_file.h"
#include "coz/fingerprint.h"
#include "coz/hub.h"
#include "coz/paths.h"
#include "hash.h"

namespace coz::hub {
namespace {
namespace fs = std::filesystem;
using json = nlohmann::json;

// A link into a Hugging Face cache's blobs/ whose target is named by a SHA-256 (LFS files are).
std::string blob_sha256(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_symlink(fs::symlink_status(p, ec))) return "";
  const fs::path target = fs::read_symlink(p, ec);
  if (ec || target.parent_path().filename() != "blobs") return "";
  const std::string name = target.filename().string();
  return is_hex(name, 64) ? name : "";
}

std::string cache_key(const fs::path& p, int64_t size, int64_t mtime) {
  return fs::absolute(p).lexically_normal().string() + "|" + std::to_string(size) + "|" + std::to_string(mtime);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> fingerprint_files(const fs::path& location, const fs::path& cache_file,
                                                                   const RunControl& ctl) {
  std::error_code ec;
  std::vector<fs::path> files;
  if (fs::is_directory(location, ec)) {
    for (auto it = fs::recursive_directory_iterator(location, fs::directory_options::follow_directory_symlink, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      if (it->is_regular_file(ec)) files.push_back(it->path());
    if (ec) throw Error("cannot list the model folder " + location.string() + ": " + ec.message());
  } else if (fs::is_regular_file(location, ec)) {
    files.push_back(location);
  } else {
    throw Error("the model file " + location.string() + " does not exist");
  }
  std::sort(files.begin(), files.end());

  json cache = json::object();
  if (!cache_file.empty()) {
    std::ifstream in(cache_file);
    if (in) {
      cache = json::parse(in, nullptr, false);
      if (cache.is_discarded() || !cache.is_object()) cache = json::object();
    }
  }
  bool changed = false;
  std::vector<std::pair<std::string, std::string>> out;
  for (const fs::path& f : files) {
    const std::string name = fs::is_directory(location) ? f.lexically_relative(location).generic_string() : f.filename().string();
    std::string sha = blob_sha256(f);
    if (sha.empty()) {
      const int64_t size = static_cast<int64_t>(fs::file_size(f, ec));
      if (ec) throw Error("cannot read the model file " + f.string() + ": " + ec.message());
      const int64_t mtime = static_cast<int64_t>(fs::last_write_time(f, ec).time_since_epoch().count());
      const std::string key = cache_key(f, size, mtime);
      const auto hit = cache.find(key);
      if (hit != cache.end() && hit->is_string() && is_hex(hit->get<std::string>(), 64)) {
        sha = hit->get<std::string>();
      } else {
        Hasher h;
        hash_file(f, h, ctl);
        sha = h.sha256_hex();
        cache[key] = sha;
        changed = true;
      }
    }
    out.emplace_back(name, sha);
  }
  if (changed && !cache_file.empty()) {
    try {
      fs::create_directories(cache_file.parent_path(), ec);
      write_file_atomic(cache_file.string(), cache.dump(1) + "\n");
    } catch (const std::exception&) {
      // The cache only saves time; a read-only cache folder costs a re-hash next run.
    }
  }
  return out;
}

namespace {
// One model's fingerprint. The files a run uses may lie elsewhere than the family's default
// location (files named on the command line): then, or when one cannot be read, the recipe records
// the model's id alone; a recipe never fails a run.
ModelFingerprint fingerprint_of(const std::string& role, const std::string& id, const fs::path& location) {
  ModelFingerprint f{role, id, {}};
  std::error_code ec;
  if (location.empty() || !fs::exists(location, ec)) return f;
  try {
    f.files = fingerprint_files(location, default_cache_dir() / "file-hashes.json");
  } catch (const std::exception&) {
    f.files.clear();
  }
  return f;
}
}  // namespace

std::vector<ModelFingerprint> model_fingerprints(const Engine& engine, const ZoomRequest& req) {
  std::vector<ModelFingerprint> out;
  if (req.recursion == Recursion::Bicubic || req.recursion == Recursion::Nearest) return out;
  const BackboneStatus st = engine.status(req.model);
  if (st.info.needs_files && st.installed) out.push_back(fingerprint_of("backbone", req.model, st.location));
  std::vector<PromptMode> modes = {req.prompt_mode};
  for (const StepOverride& o : req.overrides)
    if (o.prompt_mode && std::find(modes.begin(), modes.end(), *o.prompt_mode) == modes.end()) modes.push_back(*o.prompt_mode);
  for (PromptMode m : modes) {
    const PromptSourceStatus ps = engine.prompt_source_status(m);
    if (ps.installed && !ps.location.empty()) out.push_back(fingerprint_of("prompt", prompt_mode_name(m), ps.location));
  }
  return out;
}

std::vector<ModelFingerprint> model_fingerprints(const Engine& engine, const UpscaleRequest& req) {
  const BackboneStatus st = engine.status(req.model);
  if (!st.info.needs_files || !st.installed) return {};
  return {fingerprint_of("backbone", req.model, st.location)};
}

}  // namespace coz::hub
