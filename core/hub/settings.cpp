// HubSettings from the environment (the variables huggingface_hub reads, plus CoZ's endpoints),
// the token file, and the small formatting helpers of coz/hub.h.
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "coz/atomic_file.h"
#include "coz/hub.h"
#include "coz/paths.h"
#include "weights/hf_cache.h"

namespace coz::hub {
namespace fs = std::filesystem;

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

bool truthy(std::string v) {
  for (char& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return v == "1" || v == "ON" || v == "YES" || v == "TRUE";
}

std::string strip_slash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

HubSettings HubSettings::from_environment() {
  HubSettings s;
  if (const std::string e = env("HF_ENDPOINT"); !e.empty()) s.hf_endpoint = strip_slash(e);
  if (const std::string e = env("COZ_NPM_REGISTRY"); !e.empty()) s.npm_registry = strip_slash(e);
  if (const std::string e = env("COZ_GITHUB_ENDPOINT"); !e.empty()) s.github_endpoint = strip_slash(e);
  s.hf_cache = weights::hf_hub_cache_dir();
  s.models_dir = default_models_dir();
  s.token_file = env("HF_TOKEN_PATH").empty() ? weights::hf_home_dir() / "token" : fs::path(env("HF_TOKEN_PATH"));
  s.token = env("HF_TOKEN");
  if (s.token.empty()) {
    std::ifstream in(s.token_file);
    std::stringstream ss;
    ss << in.rdbuf();
    s.token = ss.str();
  }
  while (!s.token.empty() && std::isspace(static_cast<unsigned char>(s.token.back()))) s.token.pop_back();
  s.offline = truthy(env("HF_HUB_OFFLINE"));
  if (const std::string r = env("COZ_DOWNLOAD_RETRY_MS"); !r.empty()) s.retry_delay_ms = std::max(0, std::atoi(r.c_str()));
  return s;
}

void save_token(const fs::path& token_file, const std::string& token) {
  std::string t = token;
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.erase(t.begin());
  for (char c : t)
    if (c < 0x21 || c > 0x7e) throw InvalidInput("the token has spaces or unusual characters; paste it again from https://huggingface.co/settings/tokens");
  std::error_code ec;
  if (t.empty()) {
    fs::remove(token_file, ec);
    if (ec) throw InvalidInput("cannot delete " + token_file.string() + ": " + ec.message());
    return;
  }
  fs::create_directories(token_file.parent_path(), ec);
  if (ec) throw InvalidInput("cannot create " + token_file.parent_path().string() + ": " + ec.message());
  const mode_t old = ::umask(077);  // the token file is the user's alone, from its first byte
  try {
    write_file_atomic(token_file.string(), t);
  } catch (...) {
    ::umask(old);
    throw;
  }
  ::umask(old);
  ::chmod(token_file.c_str(), 0600);
}

const char* install_state_name(InstallState s) {
  switch (s) {
    case InstallState::Installed: return "installed";
    case InstallState::Partial: return "partial";
    case InstallState::Missing: return "missing";
  }
  return "?";
}

bool VerifyResult::ok() const {
  for (const auto& i : items)
    if (!i.ok) return false;
  return true;
}

std::string ModelManager::pull_command(const std::string& id) { return "coz models pull " + id; }

std::string human_bytes(int64_t bytes) {
  if (bytes < 0) return "?";
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000 && u < 4) {
    v /= 1000;
    ++u;
  }
  char buf[32];
  if (u == 0) std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(bytes));
  else std::snprintf(buf, sizeof buf, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
  return buf;
}

}  // namespace coz::hub
