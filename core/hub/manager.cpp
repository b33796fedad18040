// The model manager: where each catalog file lives, and pulling, verifying and removing them.
//
// Hugging Face files follow huggingface_hub's file_download.py: HEAD .../resolve/<revision>/<path>
// gives the commit (X-Repo-Commit), the blob id (X-Linked-Etag for LFS files, else ETag: the git
// blob id) and the size; the bytes go to blobs/<etag>.incomplete under .locks/<repo>/<etag>.lock,
// are checked, renamed to blobs/<etag>, linked from snapshots/<commit>/<path>, and refs/<revision>
// records the commit. npm tarballs and GitHub files go to <models>/<folder>/<dest> the same way
// (<dest>.incomplete, a lock, check, rename).
#include <fcntl.h>
#include <sys/file.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <thread>

#include "coz/atomic_file.h"
#include "coz/hub.h"
#include "hash.h"
#include "http.h"
#include "tar.h"
#include "weights/hf_cache.h"

namespace coz::hub {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

bool is_commit(const std::string& s) { return is_hex(s, 40); }

std::string strip_etag(std::string e) {
  if (e.rfind("W/", 0) == 0) e = e.substr(2);
  if (e.size() >= 2 && e.front() == '"' && e.back() == '"') e = e.substr(1, e.size() - 2);
  return e;
}

int64_t file_size_or(const fs::path& p, int64_t fallback) {
  std::error_code ec;
  const auto n = fs::file_size(p, ec);
  return ec ? fallback : static_cast<int64_t>(n);
}

std::string header(const HttpResponse& r, const char* name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? std::string() : it->second;
}

// An exclusive lock file (flock, as Python's filelock takes it), waited for with cancel checks.
class FileLock {
 public:
  FileLock(const fs::path& path, const RunControl& ctl) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw DownloadError("cannot create the lock file " + path.string() + ": " + std::strerror(errno));
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) {
        const int e = errno;
        ::close(fd_);
        throw DownloadError("cannot lock " + path.string() + ": " + std::strerror(e));
      }
      if (ctl.cancelled()) {
        ::close(fd_);
        throw Cancelled();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~FileLock() {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

void ensure_dir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw DownloadError("cannot create " + dir.string() + ": " + ec.message() + "; choose a folder you can write to");
}

// Free bytes where `dir` (or its nearest existing parent) lives.
int64_t free_bytes(fs::path dir) {
  std::error_code ec;
  while (!dir.empty() && !fs::exists(dir, ec)) dir = dir.parent_path();
  struct statvfs st {};
  if (dir.empty() || ::statvfs(dir.c_str(), &st) != 0) return -1;
  return static_cast<int64_t>(st.f_bavail) * static_cast<int64_t>(st.f_frsize);
}

void check_space(const fs::path& dir, int64_t need, const std::string& what) {
  if (need <= 0) return;
  const int64_t margin = int64_t{64} << 20;
  const int64_t have = free_bytes(dir);
  if (have >= 0 && have < need + margin)
    throw DownloadError("not enough space for " + what + ": it needs " + human_bytes(need) + " in " + dir.string() +
                        ", which has " + human_bytes(have) + " free; free some space or point " +
                        "HF_HUB_CACHE / COZ_MODELS_DIR elsewhere");
}

// What a finished file must be: its size, SHA-256 and/or git blob id (any may be unknown).
struct Expect {
  int64_t size = -1;
  std::string sha256, git_blob;
};

// Checks `path` against `e`; "" when it matches, else what is wrong.
std::string check_file(const fs::path& path, const Expect& e, const RunControl& ctl,
                       const std::function<void(int64_t)>& on_bytes = {}) {
  const int64_t size = file_size_or(path, -1);
  if (size < 0) return "missing";
  if (e.size >= 0 && size != e.size)
    return "size " + std::to_string(size) + " bytes, expected " + std::to_string(e.size);
  if (e.sha256.empty() && e.git_blob.empty()) return "";
  Hasher h(e.git_blob.empty() ? -1 : size);
  hash_file(path, h, ctl, on_bytes);
  const std::string sha = h.sha256_hex(), blob = h.git_blob_hex();
  if (!e.sha256.empty() && sha != e.sha256) return "SHA-256 " + sha + ", expected " + e.sha256;
  if (!e.git_blob.empty() && blob != e.git_blob) return "git blob id " + blob + ", expected " + e.git_blob;
  return "";
}

// Progress of one file's transfer, throttled, with a rate over the last few seconds.
class Meter {
 public:
  Meter(const RunControl& ctl, std::string file, int index, int count)
      : ctl_(ctl), file_(std::move(file)), index_(index), count_(count) {}
  void update(int64_t bytes, int64_t total, bool force = false) {
    const auto now = Clock::now();
    if (samples_.empty() || bytes < samples_.back().second) samples_.assign(1, {now, bytes});
    if (!force && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    samples_.push_back({now, bytes});
    while (samples_.size() > 2 && now - samples_.front().first > std::chrono::seconds(5)) samples_.erase(samples_.begin());
    Progress p;
    p.stage = Stage::Download;
    p.step = index_;
    p.steps = count_;
    p.file = file_;
    p.bytes = bytes;
    p.total_bytes = total;
    const double dt = std::chrono::duration<double>(now - samples_.front().first).count();
    if (dt > 0.2) p.bytes_per_second = static_cast<double>(bytes - samples_.front().second) / dt;
    if (p.bytes_per_second > 0 && total >= bytes) p.eta_seconds = static_cast<double>(total - bytes) / p.bytes_per_second;
    ctl_.report(p);
  }

 private:
  const RunControl& ctl_;
  std::string file_;
  int index_, count_;
  Clock::time_point last_{};
  std::vector<std::pair<Clock::time_point, int64_t>> samples_;
};

}  // namespace

struct ModelManager::Impl {
  Catalog catalog;
  HubSettings s;

  // ---- where files live -------------------------------------------------------------------

  fs::path repo_dir(const FileSource& src) const { return s.hf_cache / weights::hf_repo_folder_name(src.repo); }

  fs::path local_path(const CatalogModel& m, const CatalogFile& f) const { return s.models_dir / m.folder / f.dest; }

  // The Hub file in the cache for `revision` (its snapshot link), or "" when absent.
  fs::path hub_file(const CatalogFile& f, const std::string& revision) const {
    auto snap = weights::find_hf_snapshot_in(s.hf_cache, f.source.repo, revision, f.source.path);
    return snap ? *snap / f.source.path : fs::path();
  }

  FileStatus file_status(const CatalogModel& m, const CatalogFile& f) const {
    FileStatus st;
    st.file = f;
    if (f.source.kind == FileSource::Kind::HuggingFace) {
      const fs::path p = hub_file(f, f.source.revision);
      if (!p.empty()) {
        st.path = p;
        st.present = f.size < 0 || file_size_or(p, -1) == f.size;
      } else {
        st.path = repo_dir(f.source) / "snapshots" / f.source.revision / f.source.path;
        if (!f.sha256.empty())  // an LFS file's blob is named by its SHA-256
          st.partial_bytes = file_size_or(repo_dir(f.source) / "blobs" / (f.sha256 + ".incomplete"), 0);
      }
    } else {
      st.path = local_path(m, f);
      const int64_t n = file_size_or(st.path, -1);
      st.present = n >= 0 && (f.size < 0 || n == f.size);
      st.partial_bytes = file_size_or(fs::path(st.path.string() + ".incomplete"), 0);
    }
    return st;
  }

  ModelStatus model_status(const std::string& id) const {
    const CatalogModel& m = catalog.at(id);
    ModelStatus st;
    st.id = id;
    bool all = true, any = false;
    for (const CatalogModel* part : catalog.closure(id)) {
      st.size += part->size();
      for (const CatalogFile& f : part->files) {
        FileStatus fs_ = file_status(*part, f);
        all &= fs_.present;
        any |= fs_.present || fs_.partial_bytes > 0;
        if (fs_.present) st.present_bytes += std::max<int64_t>(f.size, file_size_or(fs_.path, 0));
        else st.present_bytes += fs_.partial_bytes;
        if (part == &m) st.files.push_back(std::move(fs_));
      }
    }
    st.present_bytes = std::min(st.present_bytes, std::max(st.size, st.present_bytes));
    st.state = all ? InstallState::Installed : any ? InstallState::Partial : InstallState::Missing;
    if (!m.files.empty()) {
      const CatalogFile& f0 = m.files.front();
      if (f0.source.kind == FileSource::Kind::HuggingFace) {
        const fs::path p = hub_file(f0, f0.source.revision);
        st.where = p.empty() ? repo_dir(f0.source) : p.parent_path();
        // A file in a sub-folder: the snapshot is that many levels up.
        for (size_t n = std::count(f0.source.path.begin(), f0.source.path.end(), '/'); n > 0 && !p.empty(); --n)
          st.where = st.where.parent_path();
      } else {
        st.where = s.models_dir / m.folder;
      }
    }
    return st;
  }

  // ---- transfers --------------------------------------------------------------------------

  [[noreturn]] void http_error(const CatalogModel& m, const CatalogFile& f, const std::string& url,
                               const HttpResponse& r, const std::string& revision = "") const {
    const std::string code = header(r, "x-error-code"), msg = header(r, "x-error-message");
    const std::string file = f.source.path + " of " + m.id;
    if (code == "GatedRepo" || ((r.status == 401 || r.status == 403) && m.gated)) {
      const std::string page = m.gate_url.empty() ? s.hf_endpoint + "/" + f.source.repo : m.gate_url;
      const std::string how = "create a read token at https://huggingface.co/settings/tokens and set HF_TOKEN=<token> "
                              "or save it in " + s.token_file.string() + " (CoZ Studio: Models ▸ Hugging Face token)";
      if (s.token.empty())
        throw DownloadError(m.id + " (" + f.source.repo + ") is gated: accept its licence at " + page +
                            " while logged in to Hugging Face, then " + how + ". Nothing was downloaded.");
      throw DownloadError(m.id + " (" + f.source.repo + ") is gated and your token has no access to it (HTTP " +
                          std::to_string(r.status) + "): accept the licence at " + page +
                          " with the account the token belongs to, or use another token; " + how + ".");
    }
    if (code == "RepoNotFound")
      throw DownloadError(url + ": the repository " + f.source.repo + " was not found (or is private; set HF_TOKEN)");
    if (code == "RevisionNotFound")
      throw DownloadError(url + ": the revision '" + (revision.empty() ? f.source.revision : revision) + "' of " + f.source.repo +
                          " does not exist; check --revision");
    if (r.status == 404)
      throw DownloadError(url + ": not found (404): " + file + " is not on the server" +
                          (msg.empty() ? "" : " (" + msg + ")") + "; the catalog entry may be out of date");
    if (r.status == 401 || r.status == 403)
      throw DownloadError(url + ": access denied (HTTP " + std::to_string(r.status) + ") for " + file +
                          "; set HF_TOKEN if the repository is private");
    throw DownloadError(url + ": the server answered HTTP " + std::to_string(r.status) + " for " + file +
                        (msg.empty() ? "" : " (" + msg + ")"));
  }

  static bool retryable(long status) { return status == 429 || status >= 500; }

  // Sleeps before attempt `attempt` (1-based retry), honouring Retry-After; checks cancel.
  void back_off(int attempt, const HttpResponse* r, const RunControl& ctl) const {
    double ms = s.retry_delay_ms * std::pow(2.0, attempt - 1);
    if (r) {
      const std::string ra = header(*r, "retry-after");
      if (!ra.empty() && std::all_of(ra.begin(), ra.end(), ::isdigit)) ms = std::min(60000.0, 1000.0 * std::atof(ra.c_str()));
    }
    const auto until = Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(ms));
    while (Clock::now() < until) {
      ctl.check_cancel();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  // HEAD with retries; returns a 2xx/3xx answer or throws the right DownloadError.
  HttpResponse head(const CatalogModel& m, const CatalogFile& f, const std::string& url, const std::string& revision,
                    const RunControl& ctl) const {
    HttpRequest req;
    req.method = "HEAD";
    req.url = url;
    req.bearer = s.token;
    req.follow = HttpRequest::Follow::RelativeOnly;
    req.connect_timeout_s = s.connect_timeout_s;
    req.stall_timeout_s = s.stall_timeout_s;
    std::string last;
    for (int attempt = 1; attempt <= s.max_attempts; ++attempt) {
      try {
        HttpResponse r = http_request(req, ctl);
        if (r.status >= 200 && r.status < 400) return r;
        if (!retryable(r.status) || attempt == s.max_attempts) {
          if (retryable(r.status)) last = "HTTP " + std::to_string(r.status);
          else http_error(m, f, url, r, revision);
        } else {
          back_off(attempt, &r, ctl);
          continue;
        }
      } catch (const TransferError& e) {
        last = e.what();
        if (attempt < s.max_attempts) back_off(attempt, nullptr, ctl);
      }
    }
    throw DownloadError("cannot reach " + url + " (" + last + ") after " + std::to_string(s.max_attempts) +
                        " attempts; check the network and proxy settings (https_proxy), or set HF_ENDPOINT to a "
                        "mirror, then run " + pull_command(m.id) + " again (it resumes)");
  }

  // Downloads `url` into `part` (resuming what is there) until it holds the whole body. Retries
  // dropped connections, 5xx and 429. Returns the body's total size.
  int64_t fetch(const CatalogModel& m, const CatalogFile& f, const std::string& url, const std::string& bearer,
                const fs::path& part, int64_t expected_size, Meter& meter, const RunControl& ctl) const {
    std::string last;
    for (int attempt = 1; attempt <= s.max_attempts; ++attempt) {
      int64_t have = file_size_or(part, 0);
      if (expected_size >= 0 && have > expected_size) {  // longer than the file: start over
        fs::remove(part);
        have = 0;
      }
      if (expected_size >= 0 && have == expected_size && have > 0) return have;
      const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0) throw DownloadError("cannot write " + part.string() + ": " + std::strerror(errno));
      struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
      } closer{fd};
      HttpRequest req;
      req.url = url;
      req.bearer = bearer;
      req.range_from = have;
      req.connect_timeout_s = s.connect_timeout_s;
      req.stall_timeout_s = s.stall_timeout_s;
      int64_t base = have, total = expected_size;
      bool positioned = false;
      int write_errno = 0;
      req.sink = [&](const char* data, size_t n) {
        if (!positioned) {
          // The first byte tells whether the server resumed (206) or sent everything (200).
          if (::ftruncate(fd, base) != 0 || ::lseek(fd, base, SEEK_SET) < 0) {
            write_errno = errno;
            return false;
          }
          positioned = true;
        }
        while (n > 0) {
          const ssize_t w = ::write(fd, data, n);
          if (w < 0) {
            if (errno == EINTR) continue;
            write_errno = errno;
            return false;
          }
          data += w;
          n -= static_cast<size_t>(w);
        }
        return true;
      };
      // A server that ignores Range answers 200 with the whole file: it is written from byte 0.
      req.on_status = [&](long status) {
        if (status == 200) base = 0;
      };
      req.on_bytes = [&](int64_t got, int64_t) { meter.update(base + got, total); };
      HttpResponse r;
      try {
        r = http_request(req, ctl);
      } catch (const TransferError& e) {
        last = e.what();
        if (attempt < s.max_attempts) back_off(attempt, nullptr, ctl);
        continue;
      } catch (const Error& e) {
        if (write_errno)
          throw DownloadError("cannot write " + part.string() + ": " + std::strerror(write_errno) +
                              (write_errno == ENOSPC ? "; free some space and pull again (it resumes)" : ""));
        throw;
      }
      if (r.status == 416 && have > 0) {  // we hold at least the whole file: check it as it is
        return have;
      }
      if (r.status == 200 || r.status == 206) {
        const std::string cr = header(r, "content-range");  // "bytes a-b/total"
        if (r.status == 206 && cr.find('/') != std::string::npos) total = std::atoll(cr.c_str() + cr.find('/') + 1);
        else if (r.status == 200 && !header(r, "content-length").empty()) total = std::atoll(header(r, "content-length").c_str());
        if (!positioned) {  // an empty body
          if (::ftruncate(fd, base) != 0) throw DownloadError("cannot write " + part.string() + ": " + std::strerror(errno));
        }
        ::fsync(fd);
        const int64_t now = file_size_or(part, 0);
        meter.update(now, total, true);
        if (total < 0 || now == total) return now;
        last = "the connection closed after " + std::to_string(now) + " of " + std::to_string(total) + " bytes";
        if (attempt < s.max_attempts) back_off(attempt, nullptr, ctl);
        continue;
      }
      if (retryable(r.status)) {
        last = "HTTP " + std::to_string(r.status);
        if (attempt < s.max_attempts) back_off(attempt, &r, ctl);
        continue;
      }
      http_error(m, f, url, r);
    }
    throw DownloadError("the download of " + f.source.path + " (" + m.id + ") from " + url + " failed " +
                        std::to_string(s.max_attempts) + " times (" + last + "); the part is kept in " +
                        part.string() + ": run " + pull_command(m.id) + " again to resume");
  }

  // Checks a finished part and renames it into place, or deletes it and says why.
  void finish(const CatalogModel& m, const CatalogFile& f, const fs::path& part, const fs::path& dest,
              const Expect& e, Meter& meter, const RunControl& ctl) const {
    const int64_t size = file_size_or(part, 0);
    const std::string problem = check_file(part, e, ctl, [&](int64_t n) { meter.update(n, size); });
    if (!problem.empty()) {
      std::error_code ec;
      fs::remove(part, ec);
      throw DownloadError("the download of " + f.source.path + " (" + m.id + ") is damaged: " + problem +
                          ". The bad file was deleted; run " + pull_command(m.id) +
                          " again (if it happens again, the server or the catalog entry is wrong)");
    }
    if (::rename(part.c_str(), dest.c_str()) != 0)
      throw DownloadError("cannot move " + part.string() + " to " + dest.string() + ": " + std::strerror(errno));
  }

  // One Hub file. Returns the bytes downloaded (0 when it was already there).
  int64_t pull_hub(const CatalogModel& m, const CatalogFile& f, const std::string& revision, Meter& meter,
                   const RunControl& ctl) const {
    const std::string url = s.hf_endpoint + "/" + f.source.repo + "/resolve/" + url_escape_path(revision) + "/" +
                            url_escape_path(f.source.path);
    const HttpResponse r = head(m, f, url, revision, ctl);
    const std::string commit = header(r, "x-repo-commit");
    std::string etag = strip_etag(header(r, "x-linked-etag"));
    if (etag.empty()) etag = strip_etag(header(r, "etag"));
    const std::string size_text = !header(r, "x-linked-size").empty() ? header(r, "x-linked-size") : header(r, "content-length");
    const int64_t size = size_text.empty() ? -1 : std::atoll(size_text.c_str());
    if (!is_commit(commit) || etag.empty() || etag.find('/') != std::string::npos || etag.find("..") != std::string::npos)
      throw DownloadError(url + ": the server did not send the commit and ETag a Hugging Face Hub sends; check HF_ENDPOINT");
    if (is_hex(etag, 64) && !f.sha256.empty() && etag != f.sha256 && revision == f.source.revision)
      throw DownloadError(url + ": the Hub serves a different " + f.source.path + " (SHA-256 " + etag +
                          ") than the catalog expects (" + f.sha256 + "); the repository changed: pass --revision "
                          "with the commit you want, or update the catalog entry");
    if (f.size >= 0 && size >= 0 && size != f.size && revision == f.source.revision && f.sha256.empty())
      throw DownloadError(url + ": the Hub serves " + f.source.path + " with " + std::to_string(size) +
                          " bytes, the catalog expects " + std::to_string(f.size) + "; update the catalog entry");
    std::string location = url;
    if (r.status >= 300 && r.status < 400 && !header(r, "location").empty()) location = url_resolve(url, header(r, "location"));

    const fs::path repo = repo_dir(f.source);
    const fs::path blob = repo / "blobs" / etag;
    const fs::path pointer = repo / "snapshots" / commit / f.source.path;
    int64_t downloaded = 0;
    std::error_code ec;
    if (!fs::exists(pointer, ec)) {
      ensure_dir(repo / "blobs");
      FileLock lock(s.hf_cache / ".locks" / weights::hf_repo_folder_name(f.source.repo) / (etag + ".lock"), ctl);
      if (!fs::exists(blob, ec)) {
        const fs::path part = blob.string() + ".incomplete";
        check_space(repo, size - file_size_or(part, 0), f.source.path);
        const int64_t before = file_size_or(part, 0);
        // A signed CDN address (another host) gets no token, as huggingface_hub does.
        fetch(m, f, location, url_origin(location) == url_origin(url) ? s.token : "", part, size, meter, ctl);
        downloaded = file_size_or(part, 0) - before;
        Expect e;
        e.size = size;
        e.sha256 = !f.sha256.empty() && revision == f.source.revision ? f.sha256 : is_hex(etag, 64) ? etag : "";
        if (is_hex(etag, 40)) e.git_blob = etag;  // a non-LFS file: the ETag is its git blob id
        if (!f.git_blob.empty() && revision == f.source.revision) e.git_blob = f.git_blob;
        finish(m, f, part, blob, e, meter, ctl);
      }
      ensure_dir(pointer.parent_path());
      const fs::path link_tmp = pointer.string() + ".tmp-link-" + std::to_string(::getpid());
      fs::remove(link_tmp, ec);
      fs::create_symlink(blob.lexically_relative(pointer.parent_path()), link_tmp, ec);
      if (ec || ::rename(link_tmp.c_str(), pointer.c_str()) != 0)
        throw DownloadError("cannot link " + pointer.string() + " to its blob: " + (ec ? ec.message() : std::strerror(errno)));
    }
    if (revision != commit) {
      ensure_dir((repo / "refs" / revision).parent_path());
      write_file_atomic((repo / "refs" / revision).string(), commit);
    }
    return downloaded;
  }

  // One GitHub file into <models>/<folder>/<dest>.
  int64_t pull_github(const CatalogModel& m, const CatalogFile& f, Meter& meter, const RunControl& ctl) const {
    const std::string url = s.github_endpoint + "/" + f.source.repo + "/raw/" + url_escape_path(f.source.revision) + "/" +
                            url_escape_path(f.source.path);
    const fs::path dest = local_path(m, f);
    ensure_dir(dest.parent_path());
    FileLock lock(s.models_dir / ".locks" / m.folder / (f.dest + ".lock"), ctl);
    if (file_status(m, f).present) return 0;
    const fs::path part = dest.string() + ".incomplete";
    check_space(dest.parent_path(), f.size < 0 ? 0 : f.size - file_size_or(part, 0), f.dest);
    const int64_t before = file_size_or(part, 0);
    fetch(m, f, url, "", part, f.size, meter, ctl);
    const int64_t got = file_size_or(part, 0) - before;
    finish(m, f, part, dest, Expect{f.size, f.sha256, f.git_blob}, meter, ctl);
    return got;
  }

  // Every file of one npm tarball (all of `files` come from it).
  int64_t pull_npm(const CatalogModel& m, const std::vector<const CatalogFile*>& files, Meter& meter,
                   const RunControl& ctl) const {
    const FileSource& src = files.front()->source;
    const std::string base = src.repo.substr(src.repo.rfind('/') + 1);
    const std::string tgz_name = base + "-" + src.revision + ".tgz";
    const std::string url = s.npm_registry + "/" + src.repo + "/-/" + tgz_name;
    const fs::path downloads = s.models_dir / ".downloads";
    ensure_dir(downloads);
    FileLock lock(s.models_dir / ".locks" / (tgz_name + ".lock"), ctl);
    std::vector<const CatalogFile*> todo;
    for (const CatalogFile* f : files)
      if (!file_status(m, *f).present) todo.push_back(f);
    if (todo.empty()) return 0;
    const fs::path part = downloads / (tgz_name + ".incomplete");
    const fs::path tgz = downloads / tgz_name;
    int64_t got = 0;
    std::error_code ec;
    if (!fs::exists(tgz, ec)) {
      int64_t need = src.tarball_size - file_size_or(part, 0);
      for (const CatalogFile* f : todo) need += std::max<int64_t>(f->size, 0);
      check_space(downloads, need, tgz_name);
      const int64_t before = file_size_or(part, 0);
      fetch(m, *todo.front(), url, "", part, src.tarball_size, meter, ctl);
      got = file_size_or(part, 0) - before;
      finish(m, *todo.front(), part, tgz, Expect{src.tarball_size, src.tarball_sha256, ""}, meter, ctl);
    }
    // Unpack the wanted members, each to <dest>.incomplete, then check and rename.
    std::map<std::string, const CatalogFile*> wanted;
    for (const CatalogFile* f : todo) wanted[f->source.path] = f;
    std::map<std::string, int> fds;
    std::vector<std::string> seen;
    auto close_all = [&] {
      for (auto& [p, fd] : fds) ::close(fd);
      fds.clear();
    };
    try {
      TarVisitor v;
      v.want = [&](const std::string& path, int64_t) {
        auto it = wanted.find(path);
        if (it == wanted.end()) return false;
        const fs::path dest = local_path(m, *it->second);
        ensure_dir(dest.parent_path());
        const std::string p = dest.string() + ".incomplete";
        const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) throw DownloadError("cannot write " + p + ": " + std::strerror(errno));
        fds[path] = fd;
        return true;
      };
      v.data = [&](const std::string& path, const char* d, size_t n) {
        while (n > 0) {
          const ssize_t w = ::write(fds.at(path), d, n);
          if (w < 0 && errno == EINTR) continue;
          if (w < 0) throw DownloadError("cannot write " + local_path(m, *wanted.at(path)).string() + ": " + std::strerror(errno));
          d += w;
          n -= static_cast<size_t>(w);
        }
      };
      v.done = [&](const std::string& path) {
        ::close(fds.at(path));
        fds.erase(path);
        seen.push_back(path);
      };
      read_tgz(tgz, v);
    } catch (const DownloadError&) {
      close_all();
      throw;
    } catch (const Error& e) {
      close_all();
      fs::remove(tgz, ec);
      throw DownloadError(std::string(e.what()) + " (the tarball of " + m.id + " was deleted; pull again)");
    }
    close_all();
    for (const auto& [path, f] : wanted) {
      if (std::find(seen.begin(), seen.end(), path) == seen.end())
        throw DownloadError("the npm package " + src.repo + "@" + src.revision + " has no " + path +
                            "; the catalog entry of " + m.id + " is wrong");
      const fs::path dest = local_path(m, *f);
      finish(m, *f, dest.string() + ".incomplete", dest, Expect{f->size, f->sha256, f->git_blob}, meter, ctl);
    }
    fs::remove(tgz, ec);
    return got;
  }
};

ModelManager::ModelManager(Catalog catalog, HubSettings settings) : impl_(std::make_unique<Impl>()) {
  impl_->catalog = std::move(catalog);
  impl_->s = std::move(settings);
}
ModelManager::~ModelManager() = default;

const Catalog& ModelManager::catalog() const { return impl_->catalog; }
const HubSettings& ModelManager::settings() const { return impl_->s; }

ModelStatus ModelManager::status(const std::string& id) const { return impl_->model_status(id); }

std::vector<ModelStatus> ModelManager::list() const {
  std::vector<ModelStatus> out;
  for (const auto& m : impl_->catalog.models()) out.push_back(impl_->model_status(m.id));
  return out;
}

PullResult ModelManager::pull(const std::string& id, const RunControl& ctl, const PullOptions& opts) {
  Impl& I = *impl_;
  // The work: every missing file, npm files grouped by tarball.
  struct Job {
    const CatalogModel* model;
    std::vector<const CatalogFile*> files;
  };
  std::vector<Job> jobs;
  PullResult result;
  std::vector<std::string> missing;
  for (const CatalogModel* m : I.catalog.closure(id)) {
    std::map<std::string, size_t> tarball_job;
    for (const CatalogFile& f : m->files) {
      const bool hub = f.source.kind == FileSource::Kind::HuggingFace;
      const std::string rev = hub && !opts.revision.empty() ? opts.revision : f.source.revision;
      const bool present = hub ? !I.hub_file(f, rev).empty() : I.file_status(*m, f).present;
      if (present) {
        ++result.files_present;
        continue;
      }
      missing.push_back(I.file_status(*m, f).path.string());
      if (f.source.kind == FileSource::Kind::Npm) {
        const std::string key = f.source.repo + "@" + f.source.revision;
        auto it = tarball_job.find(key);
        if (it != tarball_job.end()) {
          jobs[it->second].files.push_back(&f);
          continue;
        }
        tarball_job[key] = jobs.size();
      }
      jobs.push_back({m, {&f}});
    }
  }
  if (jobs.empty()) return result;
  if (I.s.offline) {
    std::string list;
    for (size_t i = 0; i < missing.size() && i < 8; ++i) list += "\n  " + missing[i];
    if (missing.size() > 8) list += "\n  … and " + std::to_string(missing.size() - 8) + " more";
    throw DownloadError("offline (HF_HUB_OFFLINE is set): " + id + " is missing " + std::to_string(missing.size()) +
                        " file(s), which would go to:" + list + "\nUnset HF_HUB_OFFLINE and run " + pull_command(id) +
                        ", or copy the files there");
  }
  // Space for everything whose size is known, before the first byte (each transfer checks again).
  std::map<std::string, int64_t> need;
  for (const Job& j : jobs)
    for (const CatalogFile* f : j.files) {
      const bool hub = f->source.kind == FileSource::Kind::HuggingFace;
      need[(hub ? I.s.hf_cache : I.s.models_dir).string()] += std::max<int64_t>(f->size, 0);
    }
  for (const auto& [dir, bytes] : need) check_space(dir, bytes, id);

  for (size_t k = 0; k < jobs.size(); ++k) {
    const Job& j = jobs[k];
    const CatalogFile& f = *j.files.front();
    const std::string label = f.source.kind == FileSource::Kind::Npm
                                  ? f.source.repo + "@" + f.source.revision
                                  : (f.dest.empty() ? f.source.path : f.dest);
    Meter meter(ctl, label, static_cast<int>(k + 1), static_cast<int>(jobs.size()));
    meter.update(0, f.size, true);
    int64_t got = 0;
    switch (f.source.kind) {
      case FileSource::Kind::HuggingFace:
        got = I.pull_hub(*j.model, f, opts.revision.empty() ? f.source.revision : opts.revision, meter, ctl);
        break;
      case FileSource::Kind::GitHub: got = I.pull_github(*j.model, f, meter, ctl); break;
      case FileSource::Kind::Npm: got = I.pull_npm(*j.model, j.files, meter, ctl); break;
    }
    result.downloaded_bytes += got;
    result.files_downloaded += static_cast<int>(j.files.size());
  }
  return result;
}

VerifyResult ModelManager::verify(const std::string& id, const RunControl& ctl) const {
  VerifyResult out;
  for (const CatalogModel* m : impl_->catalog.closure(id)) {
    for (const CatalogFile& f : m->files) {
      const FileStatus st = impl_->file_status(*m, f);
      VerifyResult::Item item;
      item.path = st.path;
      Expect e{f.size, f.sha256, f.git_blob};
      if (f.source.kind == FileSource::Kind::HuggingFace && st.present) {
        // The blob's name is its ETag: the SHA-256 (LFS) or the git blob id.
        std::error_code ec;
        const std::string etag = fs::canonical(st.path, ec).filename().string();
        if (e.sha256.empty() && is_hex(etag, 64)) e.sha256 = etag;
        if (e.git_blob.empty() && is_hex(etag, 40)) e.git_blob = etag;
      }
      item.problem = st.present || fs::exists(st.path) ? check_file(st.path, e, ctl) : "missing";
      item.ok = item.problem.empty();
      out.items.push_back(std::move(item));
    }
  }
  return out;
}

int64_t ModelManager::remove(const std::string& id) {
  Impl& I = *impl_;
  const CatalogModel& m = I.catalog.at(id);
  int64_t freed = 0;
  std::error_code ec;
  if (m.files.empty()) {  // a bundle: remove what it is made of
    for (const std::string& r : m.requirements) freed += remove(r);
    return freed;
  }
  auto prune = [&](fs::path dir, const fs::path& stop) {  // empty folders up to `stop`
    while (dir != stop && dir.string().rfind(stop.string(), 0) == 0 && fs::is_empty(dir, ec) && !ec) {
      fs::remove(dir, ec);
      dir = dir.parent_path();
    }
  };
  for (const CatalogFile& f : m.files) {
    if (f.source.kind != FileSource::Kind::HuggingFace) {
      const fs::path p = I.local_path(m, f);
      for (const fs::path& q : {p, fs::path(p.string() + ".incomplete")}) {
        const int64_t n = file_size_or(q, 0);
        if (fs::remove(q, ec)) freed += n;
      }
      prune(p.parent_path(), I.s.models_dir);
      continue;
    }
    // Every snapshot's link to this path; then blobs no other link uses.
    const fs::path repo = I.repo_dir(f.source);
    std::vector<fs::path> blobs;
    for (const auto& snap : fs::directory_iterator(repo / "snapshots", ec)) {
      const fs::path link = snap.path() / f.source.path;
      if (!fs::is_symlink(link, ec) && !fs::exists(link, ec)) continue;
      if (fs::is_symlink(link, ec)) blobs.push_back(fs::weakly_canonical(snap.path() / f.source.path, ec));
      else freed += file_size_or(link, 0);
      fs::remove(link, ec);
      prune(link.parent_path(), repo / "snapshots");
    }
    if (!f.sha256.empty()) blobs.push_back(repo / "blobs" / (f.sha256 + ".incomplete"));
    for (const fs::path& b : blobs) {
      bool used = false;
      for (const auto& e : fs::recursive_directory_iterator(repo / "snapshots", ec))
        if (e.is_symlink(ec) && fs::weakly_canonical(e.path(), ec) == b) used = true;
      if (used) continue;
      const int64_t n = file_size_or(b, 0);
      if (fs::remove(b, ec)) freed += n;
    }
  }
  // A repository with no snapshot left goes entirely (refs, blobs, locks).
  for (const CatalogFile& f : m.files) {
    if (f.source.kind != FileSource::Kind::HuggingFace) continue;
    const fs::path repo = I.repo_dir(f.source);
    if (fs::exists(repo, ec) && (!fs::exists(repo / "snapshots", ec) || fs::is_empty(repo / "snapshots", ec))) {
      for (const auto& e : fs::recursive_directory_iterator(repo, ec))
        if (e.is_regular_file(ec) && !e.is_symlink(ec)) freed += file_size_or(e.path(), 0);
      fs::remove_all(repo, ec);
      fs::remove_all(I.s.hf_cache / ".locks" / weights::hf_repo_folder_name(f.source.repo), ec);
    }
  }
  return freed;
}

}  // namespace coz::hub
