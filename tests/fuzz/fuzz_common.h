// Shared by the libFuzzer targets: each target feeds one parser of untrusted files and lets only
// the engine's own errors (coz::Error) through; any other exception, crash or sanitizer report is
// a finding. Multi-file inputs (model.json + shard, vocab + specials + merges) are split at kSep.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "coz/error.h"

namespace coz::fuzz {

inline const std::string kSep = "\n#--8<--\n";

inline std::vector<std::string> split(const uint8_t* data, size_t size, size_t parts) {
  const std::string s(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> out;
  size_t from = 0;
  while (out.size() + 1 < parts) {
    const size_t at = s.find(kSep, from);
    if (at == std::string::npos) break;
    out.push_back(s.substr(from, at - from));
    from = at + kSep.size();
  }
  out.push_back(s.substr(from));
  while (out.size() < parts) out.emplace_back();
  return out;
}

// Runs f; coz::Error is the expected way to refuse a file, everything else escapes to libFuzzer.
template <class F>
void expect_only_our_errors(F&& f) {
  try {
    f();
  } catch (const coz::Error&) {
  }
}

}  // namespace coz::fuzz
