// The model catalog reader (core/hub/catalog.cpp): a user's models.d file is untrusted text.
#include "coz/hub.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  coz::fuzz::expect_only_our_errors([&] {
    const coz::hub::Catalog c = coz::hub::Catalog::parse(text, "fuzz/models.d/x.json");
    for (const auto& m : c.models()) (void)c.closure(m.id);
  });
  return 0;
}
