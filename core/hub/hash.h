// SHA-256 (and the git blob id, SHA-1 of "blob <size>\0" + content) of a byte stream, fed in
// pieces as a download arrives; OpenSSL does the arithmetic (SHA-NI where the CPU has it).
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "coz/control.h"

namespace coz::hub {

class Hasher {
 public:
  // git_blob_size >= 0 also computes the git blob id of a file of that many bytes.
  explicit Hasher(int64_t git_blob_size = -1);
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  void update(const void* data, size_t n);
  std::string sha256_hex();    // finishes; call once
  std::string git_blob_hex();  // finishes; "" unless constructed with a size

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Feeds `bytes` bytes of `path` (all of it when -1) into `h`; checks ctl's cancel between blocks and
// reports through `on_bytes` (may be empty). Throws Error naming the file when it cannot be read.
void hash_file(const std::filesystem::path& path, Hasher& h, const RunControl& ctl = {},
               const std::function<void(int64_t)>& on_bytes = {}, int64_t bytes = -1);

bool is_hex(const std::string& s, size_t length);

}  // namespace coz::hub
