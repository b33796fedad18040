// The model catalog: core/hub/models.json (compiled in) plus the user's models.d/*.json.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <sstream>

#include "coz/hub.h"
#include "hash.h"

namespace coz::hub {
namespace fs = std::filesystem;
using json = nlohmann::json;

extern const char* const kBuiltinCatalog;  // generated from models.json (core/CMakeLists.txt)

const char* source_kind_name(FileSource::Kind k) {
  switch (k) {
    case FileSource::Kind::HuggingFace: return "huggingface";
    case FileSource::Kind::Npm: return "npm";
    case FileSource::Kind::GitHub: return "github";
  }
  return "?";
}

int64_t CatalogModel::size() const {
  if (disk_size > 0) return disk_size;
  int64_t n = 0;
  for (const auto& f : files) n += std::max<int64_t>(f.size, 0);
  return n;
}

namespace {

// A repository id "a/b" of letters, digits and -_. (npm: "@scope/name" or "name").
bool valid_repo(const std::string& s, bool npm) {
  std::string t = s;
  if (npm && !t.empty() && t[0] == '@') t = t.substr(1);
  const size_t slash = t.find('/');
  if (!npm && slash == std::string::npos) return false;
  if (slash != std::string::npos && (slash == 0 || slash + 1 == t.size() || t.find('/', slash + 1) != std::string::npos))
    return false;
  for (char c : t)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '/')) return false;
  return !t.empty() && t.find("..") == std::string::npos;
}

// A relative path that stays inside its folder: no "..", no absolute path, no empty parts.
bool safe_relative(const std::string& p) {
  if (p.empty() || p[0] == '/' || p.back() == '/') return false;
  std::stringstream ss(p);
  std::string part;
  while (std::getline(ss, part, '/'))
    if (part.empty() || part == "." || part == "..") return false;
  return p.find('\\') == std::string::npos && p.find('\0') == std::string::npos;
}

bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 100 || !std::isalnum(static_cast<unsigned char>(id[0]))) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  return true;
}

class Parser {
 public:
  explicit Parser(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw InvalidInput(origin_ + ": " + where + ": " + what + " (see core/hub/models.json for the format)");
  }

  void keys(const json& j, const std::string& where, std::initializer_list<const char*> allowed) const {
    if (!j.is_object()) fail(where, "expected an object");
    for (auto it = j.begin(); it != j.end(); ++it)
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* k) { return it.key() == k; }))
        fail(where, "unknown key '" + it.key() + "'");
  }
  std::string str(const json& j, const char* key, const std::string& where, bool required = false) const {
    if (!j.contains(key)) {
      if (required) fail(where, std::string("'") + key + "' is missing");
      return "";
    }
    if (!j.at(key).is_string()) fail(where, std::string("'") + key + "' must be a string");
    return j.at(key).get<std::string>();
  }
  int64_t size(const json& j, const char* key, const std::string& where) const {
    if (!j.contains(key)) return -1;
    const json& v = j.at(key);
    if (!v.is_number_unsigned() || v.get<uint64_t>() > (uint64_t{1} << 50))
      fail(where, std::string("'") + key + "' must be a byte count");
    return v.get<int64_t>();
  }
  std::string hex(const json& j, const char* key, size_t len, const std::string& where) const {
    std::string s = str(j, key, where);
    if (!s.empty() && !is_hex(s, len))
      fail(where, std::string("'") + key + "' must be " + std::to_string(len) + " lower-case hex digits");
    return s;
  }

  FileSource source(const json& j, const std::string& where) const {
    keys(j, where, {"type", "repo", "revision", "package", "version", "commit", "tarball_size", "tarball_sha256", "lfs"});
    FileSource s;
    const std::string type = str(j, "type", where, true);
    if (type == "huggingface") {
      s.kind = FileSource::Kind::HuggingFace;
      s.repo = str(j, "repo", where, true);
      s.revision = str(j, "revision", where);
      if (s.revision.empty()) s.revision = "main";
    } else if (type == "npm") {
      s.kind = FileSource::Kind::Npm;
      s.repo = str(j, "package", where, true);
      s.revision = str(j, "version", where, true);
      s.tarball_size = size(j, "tarball_size", where);
      s.tarball_sha256 = hex(j, "tarball_sha256", 64, where);
    } else if (type == "github") {
      s.kind = FileSource::Kind::GitHub;
      s.repo = str(j, "repo", where, true);
      s.revision = str(j, "commit", where, true);
      s.lfs = j.value("lfs", false);
    } else {
      fail(where, "'type' must be huggingface, npm or github (got '" + type + "')");
    }
    if (!valid_repo(s.repo, s.kind == FileSource::Kind::Npm)) fail(where, "'" + s.repo + "' is not a repository name");
    for (char c : s.revision)
      if (std::isspace(static_cast<unsigned char>(c)) || c == '\0' || c == '?' || c == '#')
        fail(where, "'" + s.revision + "' is not a revision");
    if (s.revision.empty() || s.revision.find("..") != std::string::npos) fail(where, "'" + s.revision + "' is not a revision");
    return s;
  }

  CatalogModel model(const json& j, const std::string& where) const {
    const std::string id = j.is_object() && j.contains("id") && j.at("id").is_string() ? j.at("id").get<std::string>() : "";
    keys(j, id.empty() ? where : where + " (" + id + ")", {"id", "family", "description", "licence", "licence_url", "gated", "gate_url", "folder", "requires",
                    "backbone", "prompt_mode", "disk_size", "note", "source", "files"});
    CatalogModel m;
    m.origin = origin_;
    m.id = str(j, "id", where, true);
    if (!valid_id(m.id)) fail(where, "'" + m.id + "' is not a model id (letters, digits, '-', '_', '.')");
    const std::string at = where + " (" + m.id + ")";
    m.family = str(j, "family", at, true);
    m.description = str(j, "description", at);
    m.licence = str(j, "licence", at);
    m.licence_url = str(j, "licence_url", at);
    if (j.contains("gated") && !j.at("gated").is_boolean()) fail(at, "'gated' must be true or false");
    m.gated = j.value("gated", false);
    m.gate_url = str(j, "gate_url", at);
    m.folder = str(j, "folder", at);
    if (m.folder.empty()) m.folder = m.id;
    if (!safe_relative(m.folder) || m.folder.find('/') != std::string::npos) fail(at, "'folder' must be one folder name");
    m.backbone = str(j, "backbone", at);
    m.prompt_mode = str(j, "prompt_mode", at);
    m.note = str(j, "note", at);
    m.disk_size = size(j, "disk_size", at);
    if (j.contains("requires")) {
      if (!j.at("requires").is_array()) fail(at, "'requires' must be a list of ids");
      for (const json& r : j.at("requires")) {
        if (!r.is_string()) fail(at, "'requires' must be a list of ids");
        m.requirements.push_back(r.get<std::string>());
      }
    }
    std::optional<FileSource> base;
    if (j.contains("source")) base = source(j.at("source"), at + ".source");
    if (!j.contains("files") || !j.at("files").is_array()) fail(at, "'files' must be a list");
    std::set<std::string> dests;
    for (size_t i = 0; i < j.at("files").size(); ++i) {
      const json& f = j.at("files")[i];
      const std::string fw = at + ".files[" + std::to_string(i) + "]";
      keys(f, fw, {"path", "dest", "size", "sha256", "git_blob", "source", "note"});
      CatalogFile cf;
      if (f.contains("source")) cf.source = source(f.at("source"), fw + ".source");
      else if (base) cf.source = *base;
      else fail(fw, "no 'source' here or on the model");
      cf.source.path = str(f, "path", fw, true);
      if (!safe_relative(cf.source.path)) fail(fw, "'path' must be a relative path inside the repository");
      cf.dest = str(f, "dest", fw);
      if (cf.source.kind == FileSource::Kind::HuggingFace) {
        if (!cf.dest.empty()) fail(fw, "Hub files keep their path: remove 'dest'");
      } else {
        if (cf.dest.empty()) cf.dest = cf.source.path.substr(cf.source.path.rfind('/') + 1);
        if (!safe_relative(cf.dest)) fail(fw, "'dest' must be a relative path inside the model's folder");
      }
      cf.size = size(f, "size", fw);
      cf.sha256 = hex(f, "sha256", 64, fw);
      cf.git_blob = hex(f, "git_blob", 40, fw);
      const std::string key = std::string(source_kind_name(cf.source.kind)) + ":" +
                              (cf.dest.empty() ? cf.source.repo + "/" + cf.source.path : cf.dest);
      if (!dests.insert(key).second) fail(fw, "the file '" + (cf.dest.empty() ? cf.source.path : cf.dest) + "' is listed twice");
      m.files.push_back(std::move(cf));
    }
    if (m.files.empty() && m.requirements.empty()) fail(at, "a model needs files or 'requires'");
    return m;
  }

 private:
  std::string origin_;
};

}  // namespace

Catalog Catalog::parse(const std::string& text, const std::string& origin) {
  json j;
  try {
    // Catalogs nest four levels; a deeper file is refused before the parser recurses into it.
    const json::parser_callback_t depth_limit = [&](int depth, json::parse_event_t, json&) {
      if (depth > 16) throw InvalidInput(origin + ": JSON nested deeper than 16 levels; not a model catalog");
      return true;
    };
    j = json::parse(text, depth_limit);
  } catch (const json::exception& e) {
    throw InvalidInput(origin + ": not valid JSON (" + std::string(e.what()) + "); fix or remove the file");
  }
  Parser p(origin);
  p.keys(j, "the top level", {"format", "format_version", "comment", "models"});
  if (p.str(j, "format", "the top level", true) != "coz-models") p.fail("format", "must be \"coz-models\"");
  if (!j.contains("format_version") || j.at("format_version") != json(1))
    p.fail("format_version", "this CoZ reads version 1");
  if (!j.contains("models") || !j.at("models").is_array()) p.fail("models", "must be a list");
  Catalog c;
  std::set<std::string> ids;
  for (size_t i = 0; i < j.at("models").size(); ++i) {
    CatalogModel m = p.model(j.at("models")[i], "models[" + std::to_string(i) + "]");
    if (!ids.insert(m.id).second) p.fail("models[" + std::to_string(i) + "]", "the id '" + m.id + "' is used twice");
    c.models_.push_back(std::move(m));
  }
  return c;
}

const std::string& Catalog::builtin_json() {
  static const std::string text = kBuiltinCatalog;
  return text;
}

std::vector<fs::path> Catalog::default_user_dirs() {
  if (const char* d = std::getenv("COZ_MODELS_D"); d && *d) return {d};
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return {fs::path(x) / "coz" / "models.d"};
  if (const char* h = std::getenv("HOME"); h && *h) return {fs::path(h) / ".config" / "coz" / "models.d"};
  return {};
}

Catalog Catalog::load() { return load(default_user_dirs()); }

Catalog Catalog::load(const std::vector<fs::path>& user_dirs) {
  Catalog c = parse(builtin_json(), "the built-in model catalog");
  for (const fs::path& dir : user_dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.path().extension() == ".json" && e.is_regular_file(ec)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      if (fs::file_size(f, ec) > (uint64_t{16} << 20)) throw InvalidInput(f.string() + ": larger than 16 MB; not a catalog");
      std::ifstream in(f, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      if (!in && !in.eof()) throw InvalidInput("cannot read " + f.string());
      c.merge(parse(ss.str(), f.string()));
    }
  }
  for (const auto& m : c.models_) c.closure(m.id);  // every requirement exists, no cycles
  return c;
}

void Catalog::merge(const Catalog& other) {
  for (const CatalogModel& m : other.models_) {
    auto it = std::find_if(models_.begin(), models_.end(), [&](const CatalogModel& x) { return x.id == m.id; });
    if (it != models_.end()) *it = m;
    else models_.push_back(m);
  }
}

const CatalogModel* Catalog::find(const std::string& id) const {
  for (const auto& m : models_)
    if (m.id == id) return &m;
  return nullptr;
}

const CatalogModel& Catalog::at(const std::string& id) const {
  if (const CatalogModel* m = find(id)) return *m;
  std::string known;
  for (const auto& m : models_) known += (known.empty() ? "" : ", ") + m.id;
  throw InvalidInput("unknown model '" + id + "': the catalog has " + known);
}

const CatalogModel* Catalog::for_backbone(const std::string& backbone) const {
  for (const auto& m : models_)
    if (!backbone.empty() && m.backbone == backbone) return &m;
  return nullptr;
}

const CatalogModel* Catalog::for_prompt_mode(const std::string& mode) const {
  for (const auto& m : models_)
    if (!mode.empty() && m.prompt_mode == mode) return &m;
  return nullptr;
}

std::vector<const CatalogModel*> Catalog::closure(const std::string& id) const {
  std::vector<const CatalogModel*> out;
  std::set<std::string> done, active;
  std::function<void(const std::string&, const std::string&)> visit = [&](const std::string& x, const std::string& from) {
    if (done.count(x)) return;
    if (active.count(x)) throw InvalidInput("the model catalog has a cycle: " + from + " requires " + x + ", which requires it back");
    const CatalogModel* m = find(x);
    if (!m) throw InvalidInput(from.empty() ? at(x).id : "model '" + from + "' requires '" + x + "', which is not in the catalog");
    active.insert(x);
    for (const auto& r : m->requirements) visit(r, x);
    active.erase(x);
    done.insert(x);
    out.push_back(m);
  };
  visit(id, "");
  return out;
}

}  // namespace coz::hub
