#include "tar.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "coz/error.h"

namespace coz::hub {
namespace {

// An octal (or GNU base-256) number field of a tar header; -1 when malformed.
int64_t tar_number(const char* p, size_t n) {
  if (n && (static_cast<unsigned char>(p[0]) & 0x80)) {  // base-256, positive only
    int64_t v = static_cast<unsigned char>(p[0]) & 0x7f;
    for (size_t i = 1; i < n; ++i) {
      if (v > (int64_t{1} << 50)) return -1;
      v = (v << 8) | static_cast<unsigned char>(p[i]);
    }
    return v;
  }
  int64_t v = 0;
  size_t i = 0;
  while (i < n && (p[i] == ' ' || p[i] == '\0')) ++i;
  for (; i < n && p[i] >= '0' && p[i] <= '7'; ++i) {
    if (v > (int64_t{1} << 50)) return -1;
    v = v * 8 + (p[i] - '0');
  }
  for (; i < n; ++i)
    if (p[i] != ' ' && p[i] != '\0') return -1;
  return v;
}

std::string field(const char* p, size_t n) { return std::string(p, strnlen(p, n)); }

}  // namespace

void read_tgz(const std::filesystem::path& tgz, const TarVisitor& v) {
  const std::string name = tgz.string();
  std::unique_ptr<gzFile_s, decltype(&gzclose)> gz(gzopen(tgz.c_str(), "rb"), gzclose);
  if (!gz) throw Error("cannot open " + name + ": " + std::strerror(errno));
  gzbuffer(gz.get(), 1 << 17);
  auto read_exact = [&](char* dst, size_t n) {
    size_t got = 0;
    while (got < n) {
      const int r = gzread(gz.get(), dst + got, static_cast<unsigned>(std::min<size_t>(n - got, 1u << 30)));
      if (r <= 0) {
        int err = 0;
        const char* msg = gzerror(gz.get(), &err);
        throw Error(name + ": the package tarball is damaged or cut short (" +
                    std::string(r < 0 && msg ? msg : "unexpected end") + "); delete it and download again");
      }
      got += static_cast<size_t>(r);
    }
  };
  std::vector<char> buf(1 << 16);
  std::string long_name;
  char h[512];
  int zero_blocks = 0;
  while (true) {
    read_exact(h, 512);
    if (std::all_of(h, h + 512, [](char c) { return c == 0; })) {
      if (++zero_blocks == 2) return;
      continue;
    }
    zero_blocks = 0;
    int64_t sum = 0;
    for (int i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(h[i]);
    if (tar_number(h + 148, 8) != sum) throw Error(name + ": not a tar archive (bad header checksum); delete it and download again");
    const int64_t size = tar_number(h + 124, 12);
    if (size < 0) throw Error(name + ": a tar header has a malformed size");
    const char type = h[156];
    std::string path = field(h, 100);
    if (std::memcmp(h + 257, "ustar", 5) == 0) {
      const std::string prefix = field(h + 345, 155);
      if (!prefix.empty()) path = prefix + "/" + path;
    }
    if (!long_name.empty()) {
      path = long_name;
      long_name.clear();
    }
    const int64_t padded = (size + 511) / 512 * 512;
    if (type == 'L' || type == 'x') {  // the next member's name (GNU) or its pax records
      if (size > (1 << 20)) throw Error(name + ": a tar name record is larger than 1 MB");
      std::string rec(static_cast<size_t>(padded), '\0');
      read_exact(rec.data(), rec.size());
      rec.resize(static_cast<size_t>(size));
      if (type == 'L') {
        long_name = rec.substr(0, strnlen(rec.data(), rec.size()));
      } else {  // "<len> key=value\n" records
        size_t pos = 0;
        while (pos < rec.size()) {
          const size_t sp = rec.find(' ', pos);
          if (sp == std::string::npos) break;
          const long len = std::atol(rec.c_str() + pos);
          if (len <= 0 || pos + static_cast<size_t>(len) > rec.size()) break;
          const std::string kv = rec.substr(sp + 1, pos + len - sp - 2);
          if (kv.rfind("path=", 0) == 0) long_name = kv.substr(5);
          pos += static_cast<size_t>(len);
        }
      }
      continue;
    }
    const bool regular = type == '0' || type == '\0' || type == '7';
    const bool take = regular && v.want && v.want(path, size);
    int64_t left = padded;
    int64_t body_left = size;
    while (left > 0) {
      const size_t n = static_cast<size_t>(std::min<int64_t>(left, static_cast<int64_t>(buf.size())));
      read_exact(buf.data(), n);
      if (take && body_left > 0) {
        const size_t useful = static_cast<size_t>(std::min<int64_t>(body_left, static_cast<int64_t>(n)));
        v.data(path, buf.data(), useful);
        body_left -= static_cast<int64_t>(useful);
      }
      left -= static_cast<int64_t>(n);
    }
    if (take && v.done) v.done(path);
  }
}

}  // namespace coz::hub
