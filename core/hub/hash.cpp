#include "hash.h"

#include <openssl/evp.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include "coz/error.h"

namespace coz::hub {
namespace {

struct MdCtx {
  EVP_MD_CTX* ctx = nullptr;
  explicit MdCtx(const EVP_MD* md) : ctx(EVP_MD_CTX_new()) {
    if (!ctx || EVP_DigestInit_ex(ctx, md, nullptr) != 1) throw Error("cannot start a hash (OpenSSL)");
  }
  ~MdCtx() { EVP_MD_CTX_free(ctx); }
  void update(const void* p, size_t n) { EVP_DigestUpdate(ctx, p, n); }
  std::string hex() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx, md, &n);
    static const char* digits = "0123456789abcdef";
    std::string out(2 * n, '0');
    for (unsigned i = 0; i < n; ++i) {
      out[2 * i] = digits[md[i] >> 4];
      out[2 * i + 1] = digits[md[i] & 15];
    }
    return out;
  }
};

}  // namespace

struct Hasher::Impl {
  MdCtx sha256{EVP_sha256()};
  std::unique_ptr<MdCtx> sha1;
};

Hasher::Hasher(int64_t git_blob_size) : impl_(std::make_unique<Impl>()) {
  if (git_blob_size >= 0) {
    impl_->sha1 = std::make_unique<MdCtx>(EVP_sha1());
    const std::string header = "blob " + std::to_string(git_blob_size);
    impl_->sha1->update(header.data(), header.size() + 1);  // with the terminating NUL
  }
}
Hasher::~Hasher() = default;

void Hasher::update(const void* data, size_t n) {
  impl_->sha256.update(data, n);
  if (impl_->sha1) impl_->sha1->update(data, n);
}
std::string Hasher::sha256_hex() { return impl_->sha256.hex(); }
std::string Hasher::git_blob_hex() { return impl_->sha1 ? impl_->sha1->hex() : std::string(); }

void hash_file(const std::filesystem::path& path, Hasher& h, const RunControl& ctl,
               const std::function<void(int64_t)>& on_bytes, int64_t bytes) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw Error("cannot read " + path.string() + ": " + std::strerror(errno));
  std::vector<char> buf(1 << 20);
  int64_t done = 0;
  try {
    while (bytes < 0 || done < bytes) {
      ctl.check_cancel();
      size_t want = buf.size();
      if (bytes >= 0 && static_cast<int64_t>(want) > bytes - done) want = static_cast<size_t>(bytes - done);
      const size_t n = std::fread(buf.data(), 1, want, f);
      if (n == 0) {
        if (std::ferror(f)) throw Error("cannot read " + path.string() + ": " + std::strerror(errno));
        break;
      }
      h.update(buf.data(), n);
      done += static_cast<int64_t>(n);
      if (on_bytes) on_bytes(done);
    }
  } catch (...) {
    std::fclose(f);
    throw;
  }
  std::fclose(f);
}

bool is_hex(const std::string& s, size_t length) {
  if (s.size() != length) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace coz::hub
