// Models on demand: the model catalog (which files each model needs, from where, with which size
// and SHA-256) and the manager that downloads, verifies and removes them.
//
// Hugging Face files land in the standard Hub cache, laid out exactly as huggingface_hub lays it
// out (blobs/<etag>, snapshots/<commit>/<path> as relative links, refs/<revision>), so Python tools
// and CoZ share one copy. npm tarballs and GitHub files land in CoZ's models folder
// (<models>/<folder>/<dest>), where the backbone families look for them.
//
// No Qt, no LibTorch: libcurl for the transfers, OpenSSL for the hashes, zlib for npm tarballs.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "coz/api.h"
#include "coz/control.h"
#include "coz/error.h"

namespace coz::hub {

// Where a file comes from.
struct FileSource {
  enum class Kind { HuggingFace, Npm, GitHub };
  Kind kind = Kind::HuggingFace;
  std::string repo;      // "org/name" (Hub), "@scope/name" (npm), "owner/name" (GitHub)
  std::string revision;  // branch, tag or commit (Hub), version (npm), commit (GitHub)
  std::string path;      // the file in the repository, or inside the npm tarball ("package/...")
  // npm only: the tarball's size and SHA-256 (-1 / "" when unknown).
  int64_t tarball_size = -1;
  std::string tarball_sha256;
  bool lfs = false;      // GitHub: the file is stored with Git LFS
};
COZ_API const char* source_kind_name(FileSource::Kind k);  // "huggingface", "npm", "github"

struct CatalogFile {
  FileSource source;
  std::string dest;        // npm/GitHub: path under the model's folder; Hub files keep source.path
  int64_t size = -1;       // bytes; -1 when unknown
  std::string sha256;      // lower-case hex; "" when unknown (then the size alone is checked)
  std::string git_blob;    // the git blob id (SHA-1 of "blob <size>\0" + content), where known
};

struct COZ_API CatalogModel {
  std::string id;           // "esrgan-thick", "sd3-medium", "coz-lora", ...
  std::string family;       // "esrgan", "sd3-osediff", "dape", "vlm", "bundle"
  std::string description;
  std::string licence;      // "MIT", "Stability AI Community License", ...
  std::string licence_url;  // where the licence text is
  bool gated = false;       // the Hub asks the user to accept the licence first
  std::string gate_url;     // the page where it is accepted
  std::string folder;       // npm/GitHub files go to <models>/<folder>/ (default: the id)
  std::vector<std::string> requirements;  // other catalog ids pulled with this one
  std::string backbone;     // the backbone id this model provides ("" if none)
  std::string prompt_mode;  // the prompt mode it provides: "dape", "vlm" ("" if none)
  std::vector<CatalogFile> files;
  int64_t disk_size = -1;   // approximate bytes on disk, where some file sizes are unknown
  std::string note;         // what could not be confirmed, and how files are checked
  std::string origin;       // the catalog file it came from (for error messages)

  // disk_size where given, else the files' bytes (unknown sizes count 0).
  int64_t size() const;
};

class COZ_API Catalog {
 public:
  // The catalog compiled into libcoz (core/hub/models.json), then every *.json in `user_dirs`
  // (default: $COZ_MODELS_D, else $XDG_CONFIG_HOME/coz/models.d, else ~/.config/coz/models.d) in
  // name order; a user entry with an existing id replaces it. Throws InvalidInput naming the file
  // and the JSON path of a bad entry.
  static Catalog load();
  static Catalog load(const std::vector<std::filesystem::path>& user_dirs);
  static std::vector<std::filesystem::path> default_user_dirs();
  // One catalog file's text (format "coz-models", format_version 1).
  static Catalog parse(const std::string& json_text, const std::string& origin);
  static const std::string& builtin_json();

  void merge(const Catalog& other);  // other's entries replace ours with the same id
  const std::vector<CatalogModel>& models() const { return models_; }
  // Throws InvalidInput "unknown model 'x': the catalog has ..." for an unknown id.
  const CatalogModel& at(const std::string& id) const;
  const CatalogModel* find(const std::string& id) const;
  const CatalogModel* for_backbone(const std::string& backbone) const;
  const CatalogModel* for_prompt_mode(const std::string& mode) const;
  // `id` and everything it requires, requirements first, each once. Throws InvalidInput for an
  // unknown requirement or a cycle.
  std::vector<const CatalogModel*> closure(const std::string& id) const;

 private:
  std::vector<CatalogModel> models_;
};

// Endpoints, folders and credentials; from_environment() reads what huggingface_hub reads.
struct COZ_API HubSettings {
  std::string hf_endpoint = "https://huggingface.co";  // $HF_ENDPOINT
  std::string npm_registry = "https://registry.npmjs.org";  // $COZ_NPM_REGISTRY
  std::string github_endpoint = "https://github.com";  // $COZ_GITHUB_ENDPOINT
  std::filesystem::path hf_cache;    // $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub
  std::filesystem::path models_dir;  // CoZ's models folder (coz::default_models_dir())
  std::filesystem::path token_file;  // $HF_TOKEN_PATH, else $HF_HOME/token, else ~/.cache/huggingface/token
  std::string token;                 // $HF_TOKEN, else the token file's text ("" if none)
  bool offline = false;              // $HF_HUB_OFFLINE (1/ON/YES/TRUE)
  int max_attempts = 5;              // per file, on 5xx, 429 and dropped connections
  int retry_delay_ms = 1000;         // first back-off delay, doubled each retry ($COZ_DOWNLOAD_RETRY_MS)
  int connect_timeout_s = 30;
  int stall_timeout_s = 60;          // abort (and retry) a transfer that moves no byte this long
  static HubSettings from_environment();
};

// Saves `token` as the Hub token file (atomically, mode 0600); "" deletes it.
COZ_API void save_token(const std::filesystem::path& token_file, const std::string& token);

enum class InstallState { Installed, Partial, Missing };
COZ_API const char* install_state_name(InstallState s);  // "installed", "partial", "missing"

struct FileStatus {
  CatalogFile file;
  std::filesystem::path path;  // where it is, or would go
  bool present = false;        // complete (right size where the size is known)
  int64_t partial_bytes = 0;   // bytes of an interrupted download waiting to be resumed
};

struct ModelStatus {
  std::string id;
  InstallState state = InstallState::Missing;  // of the model and everything it requires
  int64_t size = 0;                            // bytes of all files, requirements included
  int64_t present_bytes = 0;
  std::filesystem::path where;                 // the folder (Hub: the snapshot, or the repo folder)
  std::vector<FileStatus> files;               // this model's files (not its requirements')
};

struct COZ_API VerifyResult {
  struct Item {
    std::filesystem::path path;
    bool ok = false;
    std::string problem;  // "missing", "size 12 bytes, expected 34", "SHA-256 abc…, expected def…"
  };
  std::vector<Item> items;
  bool ok() const;
};

struct PullResult {
  int64_t downloaded_bytes = 0;
  int files_downloaded = 0;
  int files_present = 0;  // already there (nothing downloaded)
};

struct PullOptions {
  std::string revision;  // Hub files: this branch, tag or commit instead of the catalog's ("" = catalog)
};

class COZ_API ModelManager {
 public:
  ModelManager(Catalog catalog, HubSettings settings);
  ~ModelManager();
  ModelManager(const ModelManager&) = delete;
  ModelManager& operator=(const ModelManager&) = delete;

  const Catalog& catalog() const;
  const HubSettings& settings() const;

  // Without network: what is there (sizes only; verify() reads the bytes).
  ModelStatus status(const std::string& id) const;
  std::vector<ModelStatus> list() const;

  // Downloads what `id` and its requirements lack. Progress: Stage::Download, step k of n files,
  // with bytes, rate and ETA. Cancel keeps the part in `.incomplete` for the next pull to resume.
  // Throws DownloadError (network, gated, not found, hash mismatch, no space, offline), Cancelled.
  PullResult pull(const std::string& id, const RunControl& ctl, const PullOptions& opts = {});
  // Reads every file of `id` (requirements included) and checks sizes and hashes.
  VerifyResult verify(const std::string& id, const RunControl& ctl = {}) const;
  // Deletes `id`'s own files (not its requirements'); Hub blobs that another snapshot still links
  // are kept. Returns the bytes freed.
  int64_t remove(const std::string& id);

  // "coz models pull <id>" — what a script should run.
  static std::string pull_command(const std::string& id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The SHA-256 of every file of a model at `location` (a file, or a folder walked in name order;
// names relative to it), for recipes. A file of the Hugging Face cache is a link to a blob named by
// its SHA-256, which is read off the link; other files are hashed once and remembered in
// `cache_file` (JSON, keyed by path, size and modification time). Throws Error naming a file that
// cannot be read; an unreadable or corrupt cache file is ignored and rewritten.
COZ_API std::vector<std::pair<std::string, std::string>> fingerprint_files(const std::filesystem::path& location,
                                                                           const std::filesystem::path& cache_file,
                                                                           const RunControl& ctl = {});

// "1.2 GB", "830 MB", "12 kB" (decimal units, as the Hub shows them).
COZ_API std::string human_bytes(int64_t bytes);

}  // namespace coz::hub
