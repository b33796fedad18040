// The sharded-checkpoint index (*.safetensors.index.json): JSON types and shard names.
#include <filesystem>

#include "fuzz_common.h"
#include "json_file.h"
#include "weights/weight_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  coz::fuzz::expect_only_our_errors([&] {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto j = coz::parse_json_text(text, "fuzz.index.json");
    for (const auto& [tensor, shard] : coz::weights::parse_shard_index(j, "/models/x/fuzz.index.json")) {
      const std::filesystem::path p(shard);
      if (shard.empty() || p.is_absolute()) __builtin_trap();  // escaped the folder
      for (const auto& part : p)
        if (part == "..") __builtin_trap();
    }
  });
  return 0;
}
