// Every JSON config reader of the model families: CLIP text, T5, the SD3 transformer and VAE. The
// first byte picks the reader, the rest is the config text.
#include "fuzz_common.h"
#include "json_file.h"
#include "models/clip_text.h"
#include "models/sd3_mmdit.h"
#include "models/sd3_vae.h"
#include "models/t5_encoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  coz::fuzz::expect_only_our_errors([&] {
    const auto j = coz::parse_json_text(text, "fuzz/config.json");
    switch (data[0] % 4) {
      case 0: (void)coz::models::CLIPTextConfig::from_json(j, "fuzz/config.json"); break;
      case 1: (void)coz::models::T5Config::from_json(j, "fuzz/config.json"); break;
      case 2: (void)coz::models::SD3TransformerConfig::from_json(j, "fuzz/config.json"); break;
      default: (void)coz::models::SD3VAEConfig::from_json(j, "fuzz/config.json"); break;
    }
  });
  return 0;
}
