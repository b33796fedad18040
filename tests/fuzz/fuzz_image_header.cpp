// The image-header sniffer and the pixel-limit check that runs before any decoding.
#include "fuzz_common.h"
#include "image_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const coz::io::HeaderInfo h = coz::io::sniff_header(bytes);
  if (h.orientation < 1 || h.orientation > 8) __builtin_trap();
  coz::fuzz::expect_only_our_errors([&] { coz::io::check_declared_size(h, "fuzz.img", 200'000'000); });
  coz::fuzz::expect_only_our_errors([&] { coz::io::check_declared_size(h, "fuzz.img", INT64_MAX); });
  return 0;
}
