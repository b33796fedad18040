#include "text/spm.h"

#include <dlfcn.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>

#include "coz/error.h"

namespace coz::text {
namespace {

struct Api {
  void* (*load)(const char*, char*, int) = nullptr;
  void (*free_)(void*) = nullptr;
  int (*encode_ids)(void*, const char*, int, int*, int) = nullptr;
  int (*encode_pieces)(void*, const char*, int, char*, int) = nullptr;
  int (*piece_size)(void*) = nullptr;
  int (*piece_to_id)(void*, const char*) = nullptr;
  int (*id_to_piece)(void*, int, char*, int) = nullptr;
  int (*unk_id)(void*) = nullptr;
  std::string error;
  bool ok = false;
};

const Api& api() {
  static Api a;
  static std::once_flag once;
  std::call_once(once, [] {
#ifdef COZ_SPM_SHIM
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("COZ_SPM_SHIM"); env && *env) candidates.emplace_back(env);
    // Beside the library that holds this code (libcoz.so in <libdir>, the shim in <libdir>/coz),
    // then beside the executable (static builds).
    Dl_info self{};
    if (::dladdr(reinterpret_cast<const void*>(&api), &self) && self.dli_fname) {
      const auto dir = std::filesystem::path(self.dli_fname).parent_path();
      candidates.push_back((dir / "coz" / "libcoz_spm.so").string());
    }
    char exe[4096];
    const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
      exe[n] = 0;
      const auto dir = std::filesystem::path(exe).parent_path();
      candidates.push_back((dir / "libcoz_spm.so").string());
      candidates.push_back((dir / ".." / "lib" / "coz" / "libcoz_spm.so").string());
    }
    candidates.emplace_back(COZ_SPM_SHIM);
    void* h = nullptr;
    for (const auto& c : candidates) {
      if (!std::filesystem::exists(c)) continue;
      h = ::dlopen(c.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
      if (h) break;
      a.error = ::dlerror();
    }
    if (!h) {
      if (a.error.empty()) a.error = "the SentencePiece shim libcoz_spm.so was not found";
      return;
    }
    auto sym = [&](const char* name) { return ::dlsym(h, name); };
    a.load = reinterpret_cast<decltype(a.load)>(sym("coz_spm_load"));
    a.free_ = reinterpret_cast<decltype(a.free_)>(sym("coz_spm_free"));
    a.encode_ids = reinterpret_cast<decltype(a.encode_ids)>(sym("coz_spm_encode_ids"));
    a.encode_pieces = reinterpret_cast<decltype(a.encode_pieces)>(sym("coz_spm_encode_pieces"));
    a.piece_size = reinterpret_cast<decltype(a.piece_size)>(sym("coz_spm_piece_size"));
    a.piece_to_id = reinterpret_cast<decltype(a.piece_to_id)>(sym("coz_spm_piece_to_id"));
    a.id_to_piece = reinterpret_cast<decltype(a.id_to_piece)>(sym("coz_spm_id_to_piece"));
    a.unk_id = reinterpret_cast<decltype(a.unk_id)>(sym("coz_spm_unk_id"));
    a.ok = a.load && a.free_ && a.encode_ids && a.encode_pieces && a.piece_size && a.piece_to_id && a.id_to_piece && a.unk_id;
    if (!a.ok) a.error = "the SentencePiece shim lacks functions";
#else
    a.error = "this build has no SentencePiece (install libsentencepiece-dev and rebuild)";
#endif
  });
  return a;
}

}  // namespace

bool SentencePiece::available() { return api().ok; }

std::unique_ptr<SentencePiece> SentencePiece::load(const std::string& model_path) {
  const Api& a = api();
  if (!a.ok) throw ModelLoadError("cannot use " + model_path + ": " + a.error);
  char err[512] = "";
  void* h = a.load(model_path.c_str(), err, sizeof err);
  if (!h) throw ModelLoadError(model_path + ": cannot load the SentencePiece model (" + err + ")");
  std::unique_ptr<SentencePiece> s(new SentencePiece());
  s->handle_ = h;
  return s;
}

SentencePiece::~SentencePiece() {
  if (handle_) api().free_(handle_);
}

std::vector<int> SentencePiece::encode(const std::string& text) const {
  std::vector<int> ids(text.size() + 16);
  int n = api().encode_ids(handle_, text.data(), static_cast<int>(text.size()), ids.data(), static_cast<int>(ids.size()));
  if (n > static_cast<int>(ids.size())) {
    ids.resize(n);
    n = api().encode_ids(handle_, text.data(), static_cast<int>(text.size()), ids.data(), n);
  }
  if (n < 0) throw Error("SentencePiece failed to encode the text");
  ids.resize(n);
  return ids;
}

std::vector<std::string> SentencePiece::encode_pieces(const std::string& text) const {
  std::vector<char> buf(text.size() * 4 + 64);
  int n = api().encode_pieces(handle_, text.data(), static_cast<int>(text.size()), buf.data(), static_cast<int>(buf.size()));
  if (n > static_cast<int>(buf.size())) {
    buf.resize(n);
    n = api().encode_pieces(handle_, text.data(), static_cast<int>(text.size()), buf.data(), n);
  }
  if (n < 0) throw Error("SentencePiece failed to encode the text");
  std::vector<std::string> out;
  for (int i = 0; i < n;) {  // pieces separated by NUL bytes
    std::string p(&buf[i]);
    i += static_cast<int>(p.size()) + 1;
    out.push_back(std::move(p));
  }
  return out;
}

int SentencePiece::piece_size() const { return api().piece_size(handle_); }
int SentencePiece::piece_to_id(const std::string& p) const { return api().piece_to_id(handle_, p.c_str()); }
int SentencePiece::unk_id() const { return api().unk_id(handle_); }

std::string SentencePiece::id_to_piece(int id) const {
  char buf[1024];
  const int n = api().id_to_piece(handle_, id, buf, sizeof buf);
  return n < 0 ? std::string() : std::string(buf, std::min<int>(n, sizeof buf));
}

}  // namespace coz::text
