// Hugging Face cache lookup after huggingface_hub's constants.py (where the cache is) and
// file_download.py try_to_load_from_cache (refs/<revision> -> snapshots/<commit>).
#include "weights/hf_cache.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "coz/error.h"

namespace coz::weights {
namespace fs = std::filesystem;

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

bool is_hex_commit(const std::string& s) {
  return s.size() == 40 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// A ref or snapshot name read from the cache or given by the caller: a relative path of plain
// parts (refs may be "refs/pr/1"), never one that climbs out of its folder.
bool safe_relative(const std::string& s) {
  if (s.empty() || s.size() > 256 || s.find('\0') != std::string::npos || s.find('\\') != std::string::npos) return false;
  const fs::path p(s);
  if (p.is_absolute() || p.has_root_name()) return false;
  for (const auto& part : p)
    if (part == ".." || part == "." || part.empty()) return false;
  return true;
}

bool complete(const fs::path& snapshot, const std::string& required_file) {
  std::error_code ec;
  if (!fs::is_directory(snapshot, ec)) return false;
  return required_file.empty() || fs::exists(snapshot / required_file, ec);
}

}  // namespace

fs::path hf_home_dir() {
  if (const std::string h = env("HF_HOME"); !h.empty()) return h;
  if (const std::string x = env("XDG_CACHE_HOME"); !x.empty()) return fs::path(x) / "huggingface";
  if (const std::string h = env("HOME"); !h.empty()) return fs::path(h) / ".cache" / "huggingface";
  return fs::path(".cache") / "huggingface";
}

std::vector<fs::path> hf_hub_cache_dirs() {
  std::vector<fs::path> dirs;
  auto add = [&](const fs::path& p) {
    if (!p.empty() && std::find(dirs.begin(), dirs.end(), p) == dirs.end()) dirs.push_back(p);
  };
  add(env("HF_HUB_CACHE"));
  add(env("HUGGINGFACE_HUB_CACHE"));  // the older name huggingface_hub still reads
  if (!env("HF_HOME").empty()) add(fs::path(env("HF_HOME")) / "hub");
  if (!env("XDG_CACHE_HOME").empty()) add(fs::path(env("XDG_CACHE_HOME")) / "huggingface" / "hub");
  if (!env("HOME").empty()) add(fs::path(env("HOME")) / ".cache" / "huggingface" / "hub");
  return dirs;
}

fs::path hf_hub_cache_dir() {
  const auto dirs = hf_hub_cache_dirs();
  return dirs.empty() ? fs::path(".cache") / "huggingface" / "hub" : dirs.front();
}

std::string hf_repo_folder_name(const std::string& repo_id) {
  const auto slash = repo_id.find('/');
  const auto ok_part = [](const std::string& s) {
    return !s.empty() && s.size() <= 96 && s != "." && s != ".." &&
           std::all_of(s.begin(), s.end(), [](char c) {
             return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
           });
  };
  if (slash == std::string::npos || !ok_part(repo_id.substr(0, slash)) || !ok_part(repo_id.substr(slash + 1)))
    throw InvalidInput("'" + repo_id + "' is not a Hugging Face model id (expected <org>/<name>)");
  return "models--" + repo_id.substr(0, slash) + "--" + repo_id.substr(slash + 1);
}

std::optional<fs::path> find_hf_snapshot_in(const fs::path& cache, const std::string& repo_id, const std::string& revision,
                                            const std::string& required_file) {
  if (!safe_relative(revision)) throw InvalidInput("'" + revision + "' is not a Hugging Face revision");
  if (!required_file.empty() && !safe_relative(required_file))
    throw InvalidInput("'" + required_file + "' is not a file name inside a snapshot");
  const fs::path repo = cache / hf_repo_folder_name(repo_id);
  const fs::path snapshots = repo / "snapshots";
  std::error_code ec;
  if (!fs::is_directory(snapshots, ec)) return std::nullopt;
  // The commit the revision names: refs/<revision> (a branch or tag), else the revision itself.
  std::string commit;
  if (std::ifstream ref(repo / "refs" / revision); ref) std::getline(ref, commit);
  while (!commit.empty() && (commit.back() == '\n' || commit.back() == '\r' || commit.back() == ' ')) commit.pop_back();
  const bool pinned = commit.empty() && is_hex_commit(revision);
  if (pinned) commit = revision;
  if (!commit.empty() && safe_relative(commit) && commit.find('/') == std::string::npos &&
      complete(snapshots / commit, required_file))
    return snapshots / commit;
  if (pinned || required_file.empty()) return std::nullopt;
  // A branch or tag whose snapshot is missing or incomplete: any complete snapshot, newest first.
  std::vector<std::pair<fs::file_time_type, fs::path>> found;
  for (const auto& s : fs::directory_iterator(snapshots, ec))
    if (complete(s.path(), required_file)) found.emplace_back(fs::last_write_time(s.path(), ec), s.path());
  if (found.empty()) return std::nullopt;
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  return found.front().second;
}

std::optional<fs::path> find_hf_snapshot(const std::string& repo_id, const std::string& revision,
                                         const std::string& required_file) {
  for (const auto& cache : hf_hub_cache_dirs())
    if (auto s = find_hf_snapshot_in(cache, repo_id, revision, required_file)) return s;
  return std::nullopt;
}

}  // namespace coz::weights
