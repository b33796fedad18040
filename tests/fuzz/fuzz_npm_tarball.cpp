// The npm tarball reader (core/hub/tar.cpp): a downloaded .tgz is untrusted until its hash is
// checked, and a mirror may serve anything. The input is written to a file (the reader streams
// from disk) and every member is read.
#include <unistd.h>

#include <cstdio>

#include "fuzz_common.h"
#include "tar.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/coz-fuzz-" + std::to_string(::getpid()) + ".tgz";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  size_t total = 0;
  coz::fuzz::expect_only_our_errors([&] {
    coz::hub::TarVisitor v;
    v.want = [](const std::string&, int64_t) { return true; };
    v.data = [&](const std::string&, const char*, size_t n) { total += n; };
    coz::hub::read_tgz(path, v);
  });
  return 0;
}
