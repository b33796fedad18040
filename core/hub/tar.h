// Reads members out of a gzip-compressed tar file (an npm package tarball), streaming: each wanted
// member is handed to a callback in pieces, nothing else is unpacked. ustar, GNU long names and pax
// path records are understood; links, devices and anything else are skipped.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace coz::hub {

struct TarVisitor {
  // Return true to receive this regular file's bytes through `data`.
  std::function<bool(const std::string& path, int64_t size)> want;
  std::function<void(const std::string& path, const char* data, size_t n)> data;
  std::function<void(const std::string& path)> done;  // after its last piece
};

// Throws Error naming `tgz` when it is not a gzip tar or is truncated.
void read_tgz(const std::filesystem::path& tgz, const TarVisitor& v);

}  // namespace coz::hub
